import type { Page } from "@playwright/test";
import pg from "pg";
import { expect, test } from "./support/fixtures";
import { ownSenderAddress } from "./support/sender";

// The deliveries list as a provider's integration engineer uses it: a refused
// request is there with its reason, and the filters are worked from the keyboard.

const table = (page: Page) => page.getByRole("table", { name: "Webhook deliveries, newest first" });
const outcomeFilter = (page: Page) => page.getByRole("combobox", { name: "Outcome", exact: true });

test("a refused request is listed with its reason; filtering keeps the keyboard's place", async ({ page, ledger }) => {
  await ledger.send("paycools");
  // No signature at all: refused 401 and kept as a delivery.
  const refused = await page.request.post("/api/webhooks/paycools", {
    data: '{"param":"unsigned"}',
    headers: { "content-type": "application/json", "x-forwarded-for": ownSenderAddress() },
  });
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

test("a refusal's sender address lists every refusal from it, and the filters keep it until it is dropped", async ({ page }) => {
  const address = ownSenderAddress();
  for (const body of ['{"param":"first"}', '{"param":"second"}']) {
    const refused = await page.request.post("/api/webhooks/paycools", { data: body, headers: { "content-type": "application/json", "x-forwarded-for": address } });
    expect(refused.status()).toBe(401);
  }
  await page.goto("/deliveries?outcome=rejected");
  await table(page).getByRole("link", { name: address }).first().click();
  await expect(page).toHaveURL((url) => url.pathname === "/deliveries" && url.searchParams.get("sender") === address);
  await expect(page.getByRole("note").filter({ hasText: "Refusals from" })).toContainText(`Refusals from ${address} only.`);
  const rows = table(page).locator("tbody tr");
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ hasText: address })).toHaveCount(2);

  // Another filter keeps the sender; dropping it shows every sender again.
  await page.getByRole("combobox", { name: "Provider" }).selectOption("payermax");
  await expect(page).toHaveURL((url) => url.searchParams.get("sender") === address && url.searchParams.get("provider") === "payermax");
  await expect(page.getByText("No deliveries match these filters")).toBeVisible();
  await page.getByRole("link", { name: "Show every sender" }).click();
  await expect(page).toHaveURL((url) => url.searchParams.get("sender") === null && url.searchParams.get("provider") === "payermax");
});

test("a search by order id finds its deliveries and the refusals whose body names it", async ({ page, ledger }) => {
  const sent = await ledger.send("paycools");
  // Unsigned, naming the same order: refused, and kept with the body that names it.
  const refused = await page.request.post("/api/webhooks/paycools", {
    data: JSON.stringify({ param: JSON.stringify({ mchOrderId: sent.orderId }) }),
    headers: { "content-type": "application/json", "x-forwarded-for": ownSenderAddress() },
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

test("a sender past the refusal limit is answered as before but not recorded, and the list says how many and from whom", async ({ page, run }) => {
  const address = ownSenderAddress();
  const forged = () =>
    page.request.post("/api/webhooks/payermax", {
      data: JSON.stringify({ merchantNo: "M", data: {} }),
      headers: { "content-type": "application/json", sign: "bm90IGEgc2lnbmF0dXJl", "x-forwarded-for": address },
    });
  // Sent until two are not recorded: a minute that turns in between counts afresh.
  const sent: { status: number; notRecorded: boolean }[] = [];
  let last;
  do {
    last = await forged();
    sent.push({ status: last.status(), notRecorded: last.headers()["payhook-refusal-not-recorded"] === "true" });
  } while (sent.filter((one) => one.notRecorded).length < 2 && sent.length < 3 * run.refusalsPerMinute + 2);
  // Every one answered alike, as a refusal of its signature; the first of the minute's were recorded.
  expect(sent.filter((one) => one.notRecorded)).toHaveLength(2);
  expect(sent.every((one) => one.status === 401)).toBe(true);
  expect(sent.slice(0, run.refusalsPerMinute).every((one) => !one.notRecorded)).toBe(true);
  const { error } = (await last.json()) as { error: { code: string; message: string } };
  expect(error.code).toBe("signature_invalid");
  // The /64 the address belongs to is who the limit counts.
  const block = `${address.split(":").slice(0, 4).join(":")}::/64`;
  expect(error.message).toContain(`(not recorded: ${block} reached the ${run.refusalsPerMinute} refusals a minute`);

  if (run.databaseUrl) {
    // Not recorded means not kept: every refusal from the address but the two.
    const database = new pg.Client({ connectionString: run.databaseUrl });
    await database.connect();
    try {
      const { rows } = await database.query<{ n: number }>("SELECT count(*)::int AS n FROM deliveries WHERE source_ip = $1", [address]);
      expect(rows[0]!.n).toBe(sent.length - 2);
    } finally {
      await database.end();
    }
  }

  await page.goto("/deliveries");
  const note = page.getByRole("note", { name: "Refusals not recorded" });
  await expect(note).toContainText("were not recorded");
  await expect(note.getByRole("listitem").filter({ hasText: block })).toContainText("2 not recorded");
});
