import type { Page } from "@playwright/test";
import { expect, keepScreenshot, test } from "./support/fixtures";

// One transaction: its decoded payload, every delivery that carried it, and
// provider-controlled text that must stay text.

const rawBody = (page: Page) => page.locator('pre[aria-label="Raw body"]');

/** The payload's markup never became elements (the Content-Security-Policy would also stop it running). */
async function expectNoInjectedElements(page: Page): Promise<void> {
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
  await expect(page.locator("script").filter({ hasText: /^alert\(1\)$/ })).toHaveCount(0);
}

test("shows the decoded payload and every delivery, a retry as a second one", async ({ page, ledger }) => {
  const channelNo = `DMCP-E2E-${Date.now()}`;
  const sent = await ledger.send("payermax", {}, (payload) => {
    payload.channelNo = channelNo;
  });
  const { id } = await ledger.transaction(sent);

  await page.goto(`/transactions/${id}`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(sent.providerTransactionId);
  const payload = page.getByRole("group", { name: "body payload" });
  await expect(payload).toContainText(`"channelNo": "${channelNo}"`);
  await expect(payload).toContainText(`"orderId": "${sent.orderId}"`);
  await expect(page.getByRole("heading", { name: "Deliveries (1)" })).toBeVisible();

  await ledger.retry(sent);
  await page.reload();
  await expect(page.getByRole("heading", { name: "Deliveries (2)" })).toBeVisible();
  const deliveries = page.getByRole("table", { name: "Deliveries of this transaction, oldest first" }).locator("tbody tr");
  await expect(deliveries).toHaveCount(2);
  await expect(deliveries.nth(0)).toContainText("accepted");
  await expect(deliveries.nth(1)).toContainText("duplicate");
  await expect(deliveries.nth(1)).toContainText("provider retry");
  // A retry is the same event: it is listed once.
  await expect(page.getByRole("heading", { name: "Event history (1)" })).toBeVisible();
  await keepScreenshot(page, "transaction-detail");
});

test("markup in a payload is shown as text and never runs", async ({ page, ledger }) => {
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  const script = "<script>alert(1)</script>";
  const image = '<img src=x onerror="alert(2)">';
  const sent = await ledger.send("payermax", { referenceNumber: image }, (payload) => {
    payload.reference = script;
  });
  const { id } = await ledger.transaction(sent);

  // The list shows PayerMax's paymentCode as the reference number.
  await page.goto(`/transactions?q=${sent.orderId}`);
  await expect(page.getByRole("table", { name: /^Transactions,/ }).locator("tbody tr")).toContainText(image);
  await expectNoInjectedElements(page);

  await page.goto(`/transactions/${id}`);
  const payload = page.getByRole("group", { name: "body payload" });
  await expect(payload).toContainText(`"reference": ${JSON.stringify(script)}`);
  await expect(payload).toContainText(`"paymentCode": ${JSON.stringify(image)}`);
  await expect(rawBody(page)).toContainText(script);
  await expectNoInjectedElements(page);

  const [deliveryId] = await ledger.deliveryIds(id);
  await page.goto(`/deliveries/${deliveryId}`);
  await expect(rawBody(page)).toContainText(script);
  await expectNoInjectedElements(page);
  await page.waitForLoadState("networkidle");
  expect(dialogs, "no payload text may open a dialog").toEqual([]);
  await keepScreenshot(page, "delivery-detail-with-markup");
});

test("an admin applies a later final state the provider reported; a viewer sees the decision, not the form", async ({ page, ledger, pageAs }) => {
  const failed = await ledger.send("paycools", { failed: true });
  await ledger.send("paycools", { orderId: failed.orderId, transactionId: failed.providerTransactionId });
  const { id } = await ledger.transaction(failed);

  const viewer = await pageAs("viewer");
  await viewer.goto(`/transactions/${id}`);
  const viewersPanel = viewer.getByRole("region", { name: "Conflicting final states" });
  await expect(viewersPanel).toContainText("first reported FAILED and later COMPLETED");
  await expect(viewersPanel).toContainText("; a finance user or an admin records the decision here.");
  await expect(viewer.getByRole("form", { name: "Decide the conflicting status" })).toHaveCount(0);

  await page.goto(`/transactions/${id}`);
  const form = page.getByRole("form", { name: "Decide the conflicting status" });
  await form.getByRole("radio", { name: /^Apply COMPLETED/ }).check();
  await form.getByLabel(/^Note/).fill("Portal shows it paid at 10:02");
  await form.getByRole("button", { name: "Record the decision" }).click();

  // The page refreshes with the decision in place of the form.
  const panel = page.getByRole("region", { name: "Conflicting final states" });
  await expect(panel).toContainText("Conflicting final states, decided");
  await expect(panel.getByTestId("status-decision")).toContainText(/applied COMPLETED over FAILED by admin@/);
  await expect(panel.getByTestId("status-decision")).toContainText("Portal shows it paid at 10:02");
  await expect(page.getByRole("form", { name: "Decide the conflicting status" })).toHaveCount(0);
  await expect(page.getByText("succeeded", { exact: true }).first()).toBeVisible();
  expect((await ledger.transaction(failed)).status).toBe("succeeded");

  await viewer.reload();
  await expect(viewer.getByRole("region", { name: "Conflicting final states" }).getByTestId("status-decision")).toContainText("applied COMPLETED over FAILED");
});
