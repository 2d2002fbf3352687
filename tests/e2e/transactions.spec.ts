import { readFile } from "node:fs/promises";
import type { Locator, Page } from "@playwright/test";
import { csvRecords } from "../helpers/csv";
import { expect, keepScreenshot, test } from "./support/fixtures";
import { uniqueOrderId, type Sent } from "./support/ledger";

// The transactions list as finance uses it: new notifications show up, filters
// and search live in the URL (so the back button undoes them), the CSV export
// holds what the list holds, and times follow the chosen time zone.

const table = (page: Page) => page.getByRole("table", { name: /^Transactions,/ });
const bodyRows = (page: Page) => table(page).locator("tbody tr");
const rowOf = (page: Page, text: string) => bodyRows(page).filter({ hasText: text });
const searchBox = (page: Page) => page.getByRole("searchbox", { name: /^Search by merchant order id/ });
const statusFilter = (page: Page) => page.getByRole("combobox", { name: "Status", exact: true });

/** The text of one column of every row shown. */
async function columnTexts(page: Page, header: string | RegExp): Promise<string[]> {
  const headers = await table(page).locator("thead th").allInnerTexts();
  const index = headers.findIndex((text) => (typeof header === "string" ? text.trim().startsWith(header) : header.test(text.trim())));
  expect(index, `the table should have a "${header}" column`).toBeGreaterThanOrEqual(0);
  return bodyRows(page).locator(`td:nth-child(${index + 1})`).allInnerTexts();
}

function zoned(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat("sv-SE", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
  }).format(new Date(iso));
}

test("a notification sent through the webhook appears in the table", async ({ page, ledger }) => {
  await page.goto("/transactions");
  await expect(page.getByRole("heading", { level: 1, name: "Transactions" })).toBeVisible();

  const sent = await ledger.send("payermax", { amount: "12345.67", currency: "IDR" });
  await page.reload();
  const row = rowOf(page, sent.orderId);
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("PayerMax");
  await expect(row).toContainText(sent.providerTransactionId);
  await expect(row).toContainText("succeeded");
  await expect(row).toContainText(/IDR\s12,345\.67/);
  await keepScreenshot(page, "transactions");

  await row.getByRole("link", { name: sent.orderId }).click();
  await expect(page).toHaveURL(/\/transactions\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(sent.providerTransactionId);
});

test("filtering by status and searching by order id change the URL and the rows; back restores them", async ({ page, ledger }) => {
  const failed = await ledger.send("paycools", { failed: true });
  const succeeded = await ledger.send("paycools");

  await page.goto("/transactions");
  await expect(rowOf(page, failed.orderId)).toHaveCount(1);
  await expect(rowOf(page, succeeded.orderId)).toHaveCount(1);

  await statusFilter(page).focus();
  await statusFilter(page).selectOption("failed");
  await expect(page).toHaveURL(/\/transactions\?status=failed$/);
  await expect(rowOf(page, failed.orderId)).toHaveCount(1);
  await expect(rowOf(page, succeeded.orderId)).toHaveCount(0);
  // The form is rebuilt for the new filters: a keyboard user goes on from the control they used.
  await expect(statusFilter(page)).toBeFocused();
  for (const status of await columnTexts(page, "Status")) expect(status).toContain("failed");

  await searchBox(page).fill(failed.orderId);
  await searchBox(page).press("Enter");
  await expect(page).toHaveURL((url) => url.searchParams.get("q") === failed.orderId && url.searchParams.get("status") === "failed");
  await expect(bodyRows(page)).toHaveCount(1);
  await expect(searchBox(page)).toBeFocused();
  await expect(rowOf(page, failed.orderId)).toHaveCount(1);

  // The succeeded order is not failed: the search finds nothing under this filter.
  await searchBox(page).fill(succeeded.orderId);
  await searchBox(page).press("Enter");
  await expect(page).toHaveURL((url) => url.searchParams.get("q") === succeeded.orderId);
  await expect(page.getByText("No transactions match these filters")).toBeVisible();
  await expect(table(page)).toHaveCount(0);

  await page.goBack();
  await expect(page).toHaveURL((url) => url.searchParams.get("q") === failed.orderId);
  await expect(bodyRows(page)).toHaveCount(1);
  await expect(rowOf(page, failed.orderId)).toHaveCount(1);
  await expect(searchBox(page)).toHaveValue(failed.orderId);

  await page.goBack();
  await expect(page).toHaveURL(/\/transactions\?status=failed$/);
  await expect(searchBox(page)).toHaveValue("");
  await expect(statusFilter(page)).toHaveValue("failed");
  await expect(rowOf(page, succeeded.orderId)).toHaveCount(0);

  await page.goBack();
  await expect(page).toHaveURL(/\/transactions$/);
  await expect(statusFilter(page)).toHaveValue("");
  await expect(rowOf(page, succeeded.orderId)).toHaveCount(1);
  await expect(rowOf(page, failed.orderId)).toHaveCount(1);
});

test("the CSV download holds exactly the filtered rows", async ({ page, ledger }) => {
  // Payments into one static VA: several per order is normal there, so none is a duplicate.
  const orderId = uniqueOrderId("VA");
  const referenceNumber = `8558${Date.now().toString().slice(-12)}`;
  const va = { orderId, referenceNumber };
  const paid = [
    await ledger.send("paycools-id", { ...va, amount: 1000000 }),
    await ledger.send("paycools-id", { ...va, amount: 2500050 }),
    await ledger.send("paycools-id", { ...va, amount: 75000 }),
  ];
  await ledger.send("paycools-id", { ...va, failed: true });
  await ledger.send("paycools-id", { ...va, pending: true });

  await page.goto(`/transactions?q=${orderId}`);
  await expect(bodyRows(page)).toHaveCount(5);
  await statusFilter(page).selectOption("succeeded");
  await expect(page).toHaveURL((url) => url.searchParams.get("status") === "succeeded" && url.searchParams.get("q") === orderId);
  await expect(bodyRows(page)).toHaveCount(3);
  const shown = await columnTexts(page, "Provider transaction");

  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download CSV" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/\.csv$/);
  const { header, records } = csvRecords(await readFile((await download.path())!, "utf8"));

  expect(header).toEqual(expect.arrayContaining(["merchant_order_id", "provider_transaction_id", "status", "amount", "currency"]));
  expect(records).toHaveLength(3);
  expect(records.map((r) => r.provider_transaction_id).sort()).toEqual(paid.map((p) => p.providerTransactionId).sort());
  expect(records.map((r) => r.provider_transaction_id).sort()).toEqual(shown.map((text) => text.trim()).sort());
  for (const record of records) {
    expect(record.merchant_order_id).toBe(orderId);
    expect(record.status).toBe("succeeded");
    expect(record.currency).toBe("IDR");
    expect(record.reference_number).toBe(referenceNumber);
  }
  // Exact decimal amounts (minor units 2500050 are IDR 25000.50), compared by value, not by trailing zeros.
  const byValue = (amount: string) => (amount.includes(".") ? amount.replace(/\.?0+$/, "") : amount);
  expect(records.map((r) => byValue(r.amount ?? "")).sort()).toEqual(["10000", "25000.5", "750"].sort());

  // Sorted by amount, the file keeps the page's order (on PostgreSQL it is read through a cursor).
  await page.goto(`/transactions?q=${orderId}&status=succeeded&sort=amount&dir=desc`);
  await expect(bodyRows(page)).toHaveCount(3);
  const shownByAmount = (await columnTexts(page, "Provider transaction")).map((text) => text.trim());
  const downloadingSorted = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download CSV" }).click();
  const sorted = csvRecords(await readFile((await (await downloadingSorted).path())!, "utf8")).records;
  expect(sorted.map((r) => r.provider_transaction_id)).toEqual(shownByAmount);
  expect(sorted.map((r) => byValue(r.amount ?? ""))).toEqual(["25000.5", "10000", "750"]);
});

test("the time zone picker changes how times are shown", async ({ page, ledger }) => {
  const sent = await ledger.send("paycools");
  await page.goto(`/transactions?q=${sent.orderId}`);
  const time: Locator = rowOf(page, sent.orderId).locator("time");
  const iso = await time.getAttribute("datetime");
  expect(iso).toBeTruthy();
  await expect(table(page).getByRole("columnheader", { name: /First seen \(UTC\)/ })).toBeVisible();
  await expect(time).toHaveText(zoned(iso!, "UTC"));

  await page.getByLabel("Time zone").selectOption("Asia/Jakarta");
  await expect(table(page).getByRole("columnheader", { name: /First seen \(Asia\/Jakarta\)/ })).toBeVisible();
  await expect(time).toHaveText(zoned(iso!, "Asia/Jakarta"));
  expect(zoned(iso!, "Asia/Jakarta")).not.toBe(zoned(iso!, "UTC"));

  // The choice holds on other pages and after a reload.
  await page.goto(`/transactions/${(await ledger.transaction(sent)).id}`);
  await expect(page.getByText("Times are in Asia/Jakarta.")).toBeVisible();
  await page.getByLabel("Time zone").selectOption("America/New_York");
  await expect(page.getByText("Times are in America/New_York.")).toBeVisible();
  await page.goto(`/transactions?q=${sent.orderId}`);
  await expect(time).toHaveText(zoned(iso!, "America/New_York"));
});

test("transactions with conflicting final states can be listed on their own", async ({ page, ledger }) => {
  const paid = await ledger.send("paycools", { amount: 777700 });
  // The same transaction reported failed afterwards: Payhook keeps the first final state and flags the conflict.
  await ledger.send("paycools", { orderId: paid.orderId, transactionId: paid.providerTransactionId, failed: true, amount: 777700 });
  const other = await ledger.send("paycools");

  // The overview says there are some, and leads to them.
  await page.goto("/overview");
  await page.getByRole("note").getByRole("link", { name: /^Check (it|them) against the provider$/ }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/transactions" && url.searchParams.get("conflicts") === "1");
  await expect(rowOf(page, paid.orderId)).toHaveCount(1);

  await page.goto("/transactions");
  await expect(rowOf(page, other.orderId)).toHaveCount(1);
  const onlyConflicts = page.getByRole("checkbox", { name: "Conflicting final states only" });
  await onlyConflicts.focus();
  await onlyConflicts.check();
  await expect(page).toHaveURL((url) => url.pathname === "/transactions" && url.searchParams.get("conflicts") === "1");
  await expect(rowOf(page, paid.orderId)).toHaveCount(1);
  await expect(rowOf(page, paid.orderId)).toContainText("conflict");
  await expect(rowOf(page, other.orderId)).toHaveCount(0);
  await expect(onlyConflicts).toBeFocused();
  await expect(onlyConflicts).toBeChecked();
});

test("a link with dates names their zone, so a viewer elsewhere gets the same rows", async ({ page, ledger, run }) => {
  const sent = await ledger.send("paycools");
  const { firstSeenAt } = await ledger.transaction(sent);
  // Twenty-five hours apart: any instant falls on different dates in these two zones.
  const east = "Pacific/Kiritimati";
  const west = "Pacific/Pago_Pago";
  const day = (zone: string) => zoned(firstSeenAt, zone).slice(0, 10);
  expect(day(east)).not.toBe(day(west));
  // The zone a user picked (the picker's cookies): the browser's own zone no longer replaces it.
  const viewFrom = (zone: string) =>
    page.context().addCookies([
      { name: "payhook_tz", value: zone, url: run.baseURL },
      { name: "payhook_tz_chosen", value: "1", url: run.baseURL },
    ]);

  await viewFrom(east);
  await page.goto(`/transactions?q=${sent.orderId}`);
  await page.getByLabel("First seen from").fill(day(east));
  await page.getByLabel("First seen to").fill(day(east));
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL((url) => url.searchParams.get("from") === day(east) && url.searchParams.get("tz") === east);
  await expect(rowOf(page, sent.orderId)).toHaveCount(1);
  const link = page.url();

  // The same link, opened by someone whose dates are a day behind.
  await viewFrom(west);
  await page.goto(link);
  await expect(rowOf(page, sent.orderId)).toHaveCount(1);
  await expect(page.getByText(`The dates in this link are whole days in ${east}; times are shown in ${west}.`)).toBeVisible();
  const exportHref = await page.getByRole("link", { name: "Download CSV" }).getAttribute("href");
  expect(new URL(exportHref!, run.baseURL).searchParams.get("tz")).toBe(east);

  // Without the zone, those dates are days in the viewer's zone, where the transaction falls on another day.
  const bare = new URL(link);
  bare.searchParams.delete("tz");
  await page.goto(bare.toString());
  await expect(page.getByText("No transactions match these filters")).toBeVisible();
  await expect(rowOf(page, sent.orderId)).toHaveCount(0);
});

test("next and previous keep their rows while new notifications arrive", async ({ page, ledger }) => {
  // A static VA: every payment to it carries the same order id, so the search holds this test's rows alone.
  const orderId = uniqueOrderId("VA");
  const sent: Sent[] = [];
  for (let i = 0; i < 27; i++) sent.push(await ledger.send("paycools-id", { orderId }));
  const transactionIds = (list: typeof sent) => list.map((one) => one.providerTransactionId);
  const shown = async () => (await columnTexts(page, "Provider transaction")).map((text) => text.trim());
  const pagination = page.getByRole("navigation", { name: "Pagination" });

  await page.goto(`/transactions?q=${orderId}&pageSize=25`);
  await expect(bodyRows(page)).toHaveCount(25);
  await expect(pagination.getByText("Page 1", { exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "Previous page" })).toBeDisabled();
  expect(await shown()).toEqual(transactionIds(sent.slice(2).reverse()));

  await page.getByRole("button", { name: "Next page" }).click();
  await expect(page).toHaveURL((url) => url.searchParams.get("page") === "2" && url.searchParams.has("after"));
  await expect(bodyRows(page)).toHaveCount(2);
  expect(await shown()).toEqual(transactionIds(sent.slice(0, 2).reverse()));
  await expect(page.getByRole("button", { name: "Next page" })).toBeDisabled();

  // A newer payment arrives: page 2 still holds the same two (by offset it would now start one row earlier).
  const newest = await ledger.send("paycools-id", { orderId });
  await page.reload();
  await expect(pagination.getByText("Page 2", { exact: true })).toBeVisible();
  await expect(bodyRows(page)).toHaveCount(2);
  expect(await shown()).toEqual(transactionIds(sent.slice(0, 2).reverse()));

  // Previous leads to the first page as it is now, the newest payment on top.
  await page.getByRole("button", { name: "Previous page" }).click();
  await expect(page).toHaveURL((url) => !url.searchParams.has("page") && !url.searchParams.has("after") && !url.searchParams.has("before"));
  await expect(rowOf(page, newest.providerTransactionId)).toHaveCount(1);
  expect((await shown())[0]).toBe(newest.providerTransactionId);
  await expect(bodyRows(page)).toHaveCount(25);

  // Sorting drops the cursor: a new order starts at its first page.
  await page.goto(`/transactions?q=${orderId}&pageSize=25`);
  await page.getByRole("button", { name: "Next page" }).click();
  await expect(page).toHaveURL((url) => url.searchParams.has("after"));
  await table(page).getByRole("button", { name: /^Amount/ }).click();
  await expect(page).toHaveURL((url) => url.searchParams.get("sort") === "amount" && !url.searchParams.has("after") && !url.searchParams.has("page"));
  await expect(bodyRows(page)).toHaveCount(25);
});
