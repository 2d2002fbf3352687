import { readFile } from "node:fs/promises";
import type { Page, Request } from "@playwright/test";
import { csvRecords } from "../helpers/csv";
import { expect, keepScreenshot, test } from "./support/fixtures";
import type { Ledger, Sent } from "./support/ledger";
import { storageStatePath } from "./support/run-info";

// A payment PayerMax declares a duplicate (orderType DUPLICATE_PAYMENT) opens a
// case on /duplicates; an admin or a finance user records what finance decided
// and may reopen it; a viewer may look but not decide.

/** An original PayerMax payment and the DUPLICATE_PAYMENT PayerMax sends for the same order. */
async function declaredDuplicate(ledger: Ledger): Promise<{ original: Sent; duplicate: Sent }> {
  const original = await ledger.send("payermax", { amount: "150000.00" });
  const duplicate = await ledger.send("payermax", {
    orderId: original.orderId,
    amount: "150000.00",
    duplicateOf: { orderId: original.orderId, tradeOrderNo: original.providerTransactionId },
  });
  return { original, duplicate };
}

const caseCard = (page: Page, orderId: string) => page.getByRole("article", { name: `Order ${orderId}` });

/** The case's own page: /duplicates?case=<id>, found from its card in the open list. */
async function openCasePage(page: Page, orderId: string): Promise<string> {
  await page.goto("/duplicates");
  const card = caseCard(page, orderId);
  await expect(card).toBeVisible();
  const caseId = (await card.getAttribute("id"))?.replace(/^case-/, "");
  expect(caseId).toMatch(/^[0-9a-f-]{36}$/);
  return `/duplicates?case=${caseId}`;
}

test("a declared duplicate is listed, resolved by an admin with a note, and reopened", async ({ page, ledger, run }) => {
  const { original, duplicate } = await declaredDuplicate(ledger);
  const casePath = await openCasePage(page, original.orderId);
  const card = caseCard(page, original.orderId);
  await expect(card).toContainText("declared by PayerMax");
  await expect(card.getByText("open", { exact: true })).toBeVisible();
  const payments = card.getByRole("table", { name: `Payments for order ${original.orderId}` });
  await expect(payments).toContainText(original.providerTransactionId);
  await expect(payments).toContainText(duplicate.providerTransactionId);
  await expect(card.getByText("Overpaid:").locator("..")).toHaveText(/^Overpaid:\s*IDR\s150,000(\.00)?$/);
  await keepScreenshot(page, "duplicates");

  await page.goto(casePath);
  const note = `Refunded to the customer, ticket E2E-${Date.now()}`;
  // Nothing is chosen for the admin: submitting without a choice is stopped by the browser.
  await expect(card.getByRole("radio", { checked: true })).toHaveCount(0);
  await card.getByRole("button", { name: "Record resolution" }).click();
  expect(await card.getByRole("radio", { name: /^Refunded/ }).evaluate((radio: HTMLInputElement) => radio.validity.valueMissing)).toBe(true);
  await expect(card.getByText("resolved", { exact: true })).toHaveCount(0);
  await card.getByRole("radio", { name: /^Refunded/ }).check();
  await card.getByLabel(/^Note/).fill(note);
  await card.getByRole("button", { name: "Record resolution" }).click();

  await expect(card.getByText("resolved", { exact: true })).toBeVisible();
  const resolution = card.getByText(/— by .* on \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/);
  await expect(resolution).toContainText(run.users.admin.email);
  await expect(card).toContainText(note);
  await expect(card.getByRole("listitem").filter({ hasText: "Resolved as Refunded" })).toContainText(run.users.admin.email);
  await keepScreenshot(page, "duplicate-resolved");

  // Resolved cases leave the open list.
  await page.goto("/duplicates");
  await expect(page.getByRole("heading", { level: 1, name: "Duplicate payments" })).toBeVisible();
  await expect(caseCard(page, original.orderId)).toHaveCount(0);

  await page.goto(casePath);
  await card.getByLabel(/^Reason for reopening/).fill("The refund bounced");
  await card.getByRole("button", { name: "Reopen case" }).click();
  await expect(card.getByText("open", { exact: true })).toBeVisible();
  await expect(card.getByText("Open: waiting for finance to decide.")).toBeVisible();
  await expect(card.getByRole("listitem").filter({ hasText: "Reopened" })).toContainText("The refund bounced");
  // The earlier decision stays in the history.
  await expect(card.getByRole("listitem").filter({ hasText: "Resolved as Refunded" })).toContainText(note);
  await page.goto("/duplicates");
  await expect(caseCard(page, original.orderId)).toBeVisible();
});

test("a viewer sees the case but cannot resolve it", async ({ page, pageAs, ledger, playwright, run }) => {
  const { original } = await declaredDuplicate(ledger);
  const casePath = await openCasePage(page, original.orderId);

  const viewer = await pageAs("viewer");
  await viewer.goto(casePath);
  const viewerCard = caseCard(viewer, original.orderId);
  await expect(viewerCard).toContainText("declared by PayerMax");
  await expect(viewerCard.getByText("Only finance users and admins can record or reopen a resolution.")).toBeVisible();
  await expect(viewer.getByRole("button", { name: "Record resolution" })).toHaveCount(0);
  await expect(viewer.getByRole("radio")).toHaveCount(0);
  await keepScreenshot(viewer, "duplicates-as-viewer");

  // The admin's resolve request, held back before it reaches the server...
  await page.goto(casePath);
  const card = caseCard(page, original.orderId);
  let held: Request | undefined;
  await page.route(
    (url) => url.pathname === "/duplicates",
    async (route) => {
      if (route.request().method() === "POST" && route.request().headers()["next-action"]) {
        held = route.request();
        await route.abort();
      } else {
        await route.continue();
      }
    },
  );
  await card.getByRole("radio", { name: /^Not a duplicate/ }).check();
  await card.getByLabel(/^Note/).fill("A viewer should not be able to record this");
  await card.getByRole("button", { name: "Record resolution" }).click();
  await expect.poll(() => held).toBeTruthy();

  // ...and sent again, byte for byte, with the viewer's session instead.
  const asViewer = await playwright.request.newContext({ baseURL: run.baseURL, storageState: storageStatePath("viewer") });
  try {
    const headers = held!.headers();
    const response = await asViewer.post(held!.url(), {
      headers: {
        "content-type": headers["content-type"]!,
        "next-action": headers["next-action"]!,
        "next-router-state-tree": headers["next-router-state-tree"] ?? "",
        accept: headers.accept ?? "text/x-component",
        origin: run.baseURL,
      },
      data: held!.postDataBuffer()!,
      maxRedirects: 0,
    });
    expect(await response.text()).toContain("Only finance users and admins can do this.");
  } finally {
    await asViewer.dispose();
  }

  await viewer.reload();
  await expect(viewerCard.getByText("open", { exact: true })).toBeVisible();
  await expect(viewerCard.getByText("Open: waiting for finance to decide.")).toBeVisible();
  await expect(viewerCard.getByText("No one has acted on this case yet.")).toBeVisible();
});

test("a finance user resolves a case, and is not offered what only an admin does", async ({ pageAs, ledger, run }) => {
  const { original } = await declaredDuplicate(ledger);
  const finance = await pageAs("finance");
  const casePath = await openCasePage(finance, original.orderId);
  await finance.goto(casePath);
  const card = caseCard(finance, original.orderId);
  await card.getByRole("radio", { name: /^Refunded/ }).check();
  await card.getByLabel(/^Note/).fill("Refunded by finance");
  await card.getByRole("button", { name: "Record resolution" }).click();
  await expect(card.getByText("resolved", { exact: true })).toBeVisible();
  await expect(card.getByRole("listitem").filter({ hasText: "Resolved as Refunded" })).toContainText(run.users.finance.email);

  // The resolved list as a file, for the month's reconciliation: the case with what was overpaid and how it was settled.
  await finance.goto("/duplicates?status=resolved");
  const downloading = finance.waitForEvent("download");
  await finance.getByRole("link", { name: "Download CSV" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^payhook-duplicates-resolved-\d{4}-\d{2}-\d{2}\.csv$/);
  const { records } = csvRecords(await readFile((await download.path())!, "utf8"));
  expect(records.every((record) => record.state === "resolved")).toBe(true);
  expect(records.filter((record) => record.merchant_order_id === original.orderId)).toEqual([
    expect.objectContaining({
      provider: "payermax",
      flagged_by: "provider",
      payments: "2",
      overpaid_currency: "IDR",
      resolution: "Refunded",
      resolution_note: "Refunded by finance",
      resolved_by: run.users.finance.email,
    }),
  ]);

  // Accounts and reprocessing are an admin's: no Users link, and the users page lists nobody.
  await expect(finance.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" })).toHaveCount(0);
  await finance.goto("/users");
  await expect(finance.getByText("Only an admin can manage users.")).toBeVisible();
  await expect(finance.getByRole("table")).toHaveCount(0);
});
