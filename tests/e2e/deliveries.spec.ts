import type { Page } from "@playwright/test";
import { expect, test } from "./support/fixtures";

// The deliveries list as a provider's integration engineer uses it: a refused
// request is there with its reason, and the filters are worked from the keyboard.

const table = (page: Page) => page.getByRole("table", { name: "Webhook deliveries, newest first" });
const outcomeFilter = (page: Page) => page.getByRole("combobox", { name: "Outcome", exact: true });

test("a refused request is listed with its reason; filtering keeps the keyboard's place", async ({ page, ledger }) => {
  await ledger.send("paycools");
  // No signature at all: refused 401 and kept as a delivery.
  const refused = await page.request.post("/api/webhooks/paycools", { data: '{"param":"unsigned"}', headers: { "content-type": "application/json" } });
  expect(refused.status()).toBe(401);

  await page.goto("/deliveries");
  await expect(table(page).locator("tbody tr").first()).toBeVisible();

  await outcomeFilter(page).focus();
  await outcomeFilter(page).selectOption("rejected");
  await expect(page).toHaveURL((url) => url.pathname === "/deliveries" && url.searchParams.get("outcome") === "rejected");
  await expect(table(page).locator("tbody tr").filter({ hasText: "signature_missing" }).first()).toBeVisible();
  // Every row shown is a rejected one (other tests' deliveries are in this database too).
  await expect(table(page).locator("tbody tr").filter({ hasNotText: /rejected/i })).toHaveCount(0);
  // The form is rebuilt for the new filters; the focus stays on the control that applied them.
  await expect(outcomeFilter(page)).toBeFocused();
});

test("a search by order id finds its deliveries and the refusals whose body names it", async ({ page, ledger }) => {
  const sent = await ledger.send("paycools");
  // Unsigned, naming the same order: refused, and kept with the body that names it.
  const refused = await page.request.post("/api/webhooks/paycools", {
    data: JSON.stringify({ param: JSON.stringify({ mchOrderId: sent.orderId }) }),
    headers: { "content-type": "application/json" },
  });
  expect(refused.status()).toBe(401);

  await page.goto("/deliveries");
  const search = page.getByRole("searchbox", { name: "Search by order id, provider transaction id or VA number" });
  await search.fill(sent.orderId);
  await search.press("Enter");
  await expect(page).toHaveURL((url) => url.pathname === "/deliveries" && url.searchParams.get("q") === sent.orderId);
  const rows = table(page).locator("tbody tr");
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText("signature_missing");
  await expect(rows.nth(1)).toContainText(/accepted/i);
  // The search stays in the form, and the other filters narrow it.
  await expect(search).toHaveValue(sent.orderId);
  await outcomeFilter(page).selectOption("accepted");
  await expect(page).toHaveURL((url) => url.searchParams.get("q") === sent.orderId && url.searchParams.get("outcome") === "accepted");
  await expect(rows).toHaveCount(1);
  await expect(rows.nth(0)).toContainText(/accepted/i);
});
