import { beforeAll, describe, expect, it, vi } from "vitest";
import { findProvider } from "@/lib/providers/registry";
import { paycoolsIdParam, paycoolsParam, payermaxBody } from "@/lib/simulator/samples";
import { signFor } from "@/lib/simulator/sign";
import { countStatusConflicts } from "@/lib/transactions/count-status-conflicts";
import { postgresPoolOf } from "@/lib/db/client";
import { queryRows } from "@/lib/db/query-rows";
import { Prisma } from "@/lib/generated/prisma/client";
import { formatDateTime } from "@/lib/format";
import { csvField, csvFieldSql, csvLine } from "@/lib/transactions/csv-field";
import { amountText, currenciesWithUnusualDigits } from "@/lib/transactions/currency-digits";
import {
  amountFieldSql,
  countTransactions,
  duplicateLabel,
  findTransactions,
  type TransactionListRow,
  type TransactionPage,
} from "@/lib/transactions/find-transactions";
import { CSV_COLUMNS, streamTransactionsCsv } from "@/lib/transactions/stream-transactions-csv";
import {
  parseTransactionQuery,
  parseTransactionQueryStrict,
  SORT_KEYS,
  STATUSES,
  toSearchParams,
  type TransactionQuery,
} from "@/lib/transactions/transaction-filters";
import { DEFAULT_QUERY } from "@/lib/transactions/transaction-query-params";
import { encodeListCursor } from "@/lib/transactions/list-cursor";
import { handleWebhook } from "@/lib/webhooks/handle-webhook";
import { backends, useTestDatabase } from "../helpers/test-database";
import { installProviderKeys, type ProviderName } from "../helpers/test-keys";

const keys = installProviderKeys();
const JAKARTA = "Asia/Jakarta";
const FORMULA_ORDER = '=HYPERLINK("http://example.test","x,y")';
const AWKWARD_REFERENCE = 'VA "7",\n8';
const START = Date.UTC(2024, 2, 1, 0, 0, 0);
const HOUR = 3_600_000;

type Sent = { provider: ProviderName; transactionId: string; orderId: string; at: Date };

/** A minimal RFC 4180 reader, to read the export back the way a spreadsheet would. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") row.push(field), (field = "");
    else if (char === "\r" && text[i + 1] === "\n") {
      row.push(field), rows.push(row), (row = []), (field = ""), i++;
    } else field += char;
  }
  if (field !== "" || row.length > 0) row.push(field), rows.push(row);
  return rows;
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

const query = (params: Record<string, string | undefined> = {}): TransactionQuery => parseTransactionQuery(params);

describe.each(backends)("transactions list on %s", (backend) => {
  const database = useTestDatabase(backend);
  const sent: Sent[] = [];
  let clock = START;

  async function post(provider: ProviderName, payload: Record<string, unknown>, at = new Date((clock += 3 * HOUR))): Promise<void> {
    const signed = signFor(provider, payload, keys[provider].privateKey);
    const request = new Request(`http://localhost/api/webhooks/${provider}`, { method: "POST", headers: signed.headers, body: new Uint8Array(signed.body) });
    const response = await handleWebhook(request, provider, { db: async () => database.db, findProvider, now: () => at });
    expect(response.status).toBe(200);
    const transactionId = String(payload.transactionId ?? payload.tradeOrderNo);
    if (!sent.some((s) => s.provider === provider && s.transactionId === transactionId)) {
      sent.push({ provider, transactionId, orderId: String(payload.mchOrderId ?? payload.orderId), at });
    }
  }

  /** Every row of a query, page by page, as the page would show them. */
  async function allPages(base: TransactionQuery, timeZone = "UTC"): Promise<TransactionListRow[]> {
    const rows: TransactionListRow[] = [];
    for (let page = 1; ; page++) {
      const result = await findTransactions(database.db, { ...base, page }, timeZone);
      rows.push(...result.rows);
      if (!result.hasNextPage) return rows;
    }
  }

  /** Every page of a query as the table walks it: the first page, then each next page by its cursor. */
  async function cursorPages(base: TransactionQuery, timeZone = "UTC"): Promise<{ page: TransactionPage; query: TransactionQuery }[]> {
    const pages = [];
    let current: TransactionQuery = { ...base, page: 1, after: undefined, before: undefined };
    for (;;) {
      const page = await findTransactions(database.db, current, timeZone);
      pages.push({ page, query: current });
      if (!page.hasNextPage) return pages;
      expect(page.nextCursor).not.toBeNull();
      current = { ...current, page: current.page + 1, after: page.nextCursor! };
    }
  }

  const idsOf = (rows: { providerTransactionId: string }[]) => rows.map((row) => row.providerTransactionId);

  beforeAll(async () => {
    // Ties on amount (several 500.00) so the id tie-breaker matters across pages.
    for (const amount of [50000, 50000, 50000, 125050, 99, 50000, 7300000, 420000]) {
      await post("paycools", paycoolsParam({ amount, channelCode: "ID_BCA_VA" }));
    }
    for (const amount of [50010, 50000, 1999]) await post("paycools", paycoolsParam({ amount, channelCode: "PH_GCASH" }));
    await post("paycools", paycoolsParam({ failed: true, amount: 50000 }));
    await post("paycools", paycoolsParam({ pending: true, amount: 880000 }));
    await post("paycools", paycoolsParam({ kind: "payout", amount: 310000, channelCode: "PH_GCASH" }));
    await post("paycools", paycoolsParam({ kind: "refund", amount: 50000 }));
    // A one-time order paid twice: Payhook detects the duplicate.
    await post("paycools", paycoolsParam({ orderId: "ORDER-TWICE", amount: 260000 }));
    await post("paycools", paycoolsParam({ orderId: "ORDER-TWICE", amount: 260000 }));
    // Success, then a conflicting failure for the same transaction.
    const conflicted = paycoolsParam({ amount: 640000, orderId: "ORDER-CONFLICT" });
    await post("paycools", conflicted);
    await post("paycools", { ...conflicted, eventName: "order.payment.failed", transactionStatus: "FAILED" });
    for (const reference of ["8558000011112222", "8558000033334444", "8558000055556666"]) {
      await post("paycools-id", paycoolsIdParam({ referenceNumber: reference, amount: 1500000 }));
    }
    await post("payermax", payermaxBody({ amount: "12345.67", currency: "USD" }));
    await post("payermax", payermaxBody({ amount: "0.5", currency: "USD", failed: true }));
    await post("payermax", payermaxBody({ amount: "500", currency: "IDR", orderId: FORMULA_ORDER, referenceNumber: AWKWARD_REFERENCE }));
    // PayerMax declares a duplicate of an earlier payment.
    const original = payermaxBody({ amount: "75.25", currency: "USD", orderId: "PM-ORIGINAL" });
    await post("payermax", original);
    await post(
      "payermax",
      payermaxBody({ amount: "75.25", currency: "USD", orderId: "PM-ORIGINAL", duplicateOf: { orderId: "PM-ORIGINAL", tradeOrderNo: String(original.tradeOrderNo) } }),
    );
    // Two at 17:30 UTC on 1 March: already 2 March in Jakarta.
    await post("payermax", payermaxBody({ amount: "10", currency: "IDR" }), new Date(Date.UTC(2024, 2, 1, 17, 30)));
    await post("payermax", payermaxBody({ amount: "11", currency: "IDR" }), new Date(Date.UTC(2024, 2, 1, 16, 59, 59)));
  });

  it("lists every transaction once, newest first by default", async () => {
    const rows = await allPages(query({ pageSize: "25" }));
    expect(rows).toHaveLength(sent.length);
    expect(new Set(idsOf(rows)).size).toBe(sent.length);
    const times = rows.map((row) => row.firstSeenAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const first = await findTransactions(database.db, query(), "UTC");
    expect(first.rows).toHaveLength(sent.length);
    expect(first.hasNextPage).toBe(false);
  });

  it("filters by provider, kind, status, currency, channel, duplicates and conflicts", async () => {
    const provider = await allPages(query({ provider: "paycools-id" }));
    expect(idsOf(provider).sort()).toEqual(sent.filter((s) => s.provider === "paycools-id").map((s) => s.transactionId).sort());

    const failed = await allPages(query({ status: "failed" }));
    expect(failed.every((row) => row.status === "failed")).toBe(true);
    expect(failed).toHaveLength(2);
    const conflict = (await allPages(query({ q: "ORDER-CONFLICT" })))[0]!;
    expect(conflict).toMatchObject({ status: "succeeded", statusConflict: true, conflictingStatus: "FAILED" });
    const conflicts = await allPages(query({ conflicts: "1" }));
    expect(conflicts.map((row) => row.merchantOrderId)).toEqual(["ORDER-CONFLICT"]);
    expect(await countTransactions(database.db, query({ conflicts: "1" }), "UTC")).toEqual({ value: 1, estimated: false, capped: false });
    expect(await countStatusConflicts(database.db)).toBe(1);

    const usd = await allPages(query({ currency: "usd" }));
    expect(usd.map((row) => row.amount).sort()).toEqual(["0.50", "12345.67", "75.25", "75.25"]);

    expect((await allPages(query({ kind: "payout" }))).map((row) => row.amount)).toEqual(["3100.00"]);
    expect(await allPages(query({ channel: "PH_GCASH" }))).toHaveLength(4);
    expect(await allPages(query({ channel: "CARD" }))).toHaveLength(sent.filter((s) => s.provider === "payermax").length);

    const duplicates = await allPages(query({ duplicates: "1" }));
    expect(duplicates.map((row) => `${row.merchantOrderId}:${row.duplicateSource ?? "original"}`).sort()).toEqual([
      "ORDER-TWICE:detected",
      "ORDER-TWICE:original",
      "PM-ORIGINAL:declared",
      "PM-ORIGINAL:original",
    ]);
    expect(duplicates.every((row) => row.duplicateCaseId)).toBe(true);

    const combined = await allPages(query({ provider: "paycools", kind: "payment", status: "succeeded", currency: "PHP" }));
    expect(combined.map((row) => row.amount).sort()).toEqual(["19.99", "500.00", "500.10"]);
    // Exact and written as the page shows them: IDR whole amounts without decimals, fractions with at least two.
    const rupiah = new Set((await allPages(query({ provider: "paycools", currency: "IDR" }))).map((row) => row.amount));
    for (const amount of ["0.99", "1250.50", "73000", "500"]) expect(rupiah).toContain(amount);
  });

  it("reads the date range as whole days in the chosen time zone, on firstSeenAt", async () => {
    const expected = (from: number, to: number) => sent.filter((s) => s.at.getTime() >= from && s.at.getTime() < to).map((s) => s.transactionId).sort();
    // 2 March in Jakarta (UTC+7) is 1 March 17:00 to 2 March 17:00 UTC.
    const jakarta = await allPages(query({ from: "2024-03-02", to: "2024-03-02" }), JAKARTA);
    expect(idsOf(jakarta).sort()).toEqual(expected(Date.UTC(2024, 2, 1, 17), Date.UTC(2024, 2, 2, 17)));
    expect(jakarta.some((row) => row.amount === "10")).toBe(true);
    expect(jakarta.some((row) => row.amount === "11")).toBe(false);

    const utc = await allPages(query({ from: "2024-03-02", to: "2024-03-02" }), "UTC");
    expect(idsOf(utc).sort()).toEqual(expected(Date.UTC(2024, 2, 2), Date.UTC(2024, 2, 3)));
    expect(utc.some((row) => row.amount === "10")).toBe(false);

    const open = await allPages(query({ from: "2024-03-03" }), "UTC");
    expect(idsOf(open).sort()).toEqual(expected(Date.UTC(2024, 2, 3), Infinity));
    const upTo = await allPages(query({ to: "2024-03-01" }), "UTC");
    expect(idsOf(upTo).sort()).toEqual(expected(0, Date.UTC(2024, 2, 2)));

    // A link that names its zone selects the same rows whatever the viewer's zone, in the list, the count and the export.
    const linked = query({ from: "2024-03-02", to: "2024-03-02", tz: JAKARTA });
    expect(idsOf(await allPages(linked, "UTC")).sort()).toEqual(idsOf(jakarta).sort());
    expect(await countTransactions(database.db, linked, "America/New_York")).toMatchObject({ value: jakarta.length });
    const exported = parseCsv(await readAll(streamTransactionsCsv(database.db, linked, "UTC"))).slice(1);
    expect(exported.map((row) => row[5]).sort()).toEqual(idsOf(jakarta).sort());
    expect(exported.every((row) => row[1] === "UTC")).toBe(true);
  });

  it("searches merchant order ids, provider transaction ids and reference numbers exactly", async () => {
    expect((await allPages(query({ q: "ORDER-TWICE" }))).map((row) => row.merchantOrderId)).toEqual(["ORDER-TWICE", "ORDER-TWICE"]);
    const target = sent.find((s) => s.provider === "payermax")!;
    expect(idsOf(await allPages(query({ q: target.transactionId })))).toEqual([target.transactionId]);
    const byReference = await allPages(query({ q: "8558000033334444" }));
    expect(byReference.map((row) => [row.provider, row.referenceNumber])).toEqual([["paycools-id", "8558000033334444"]]);
    expect(await allPages(query({ q: "8558000033" }))).toEqual([]);
    expect(await allPages(query({ q: "ORDER-TWICE", provider: "payermax" }))).toEqual([]);
  });

  it("sorts by amount both ways with stable pages: no row twice, none missing", async () => {
    for (const dir of ["asc", "desc"] as const) {
      const rows = await allPages({ ...query({ sort: "amount", dir }), pageSize: 4 });
      expect(rows).toHaveLength(sent.length);
      expect(new Set(rows.map((row) => row.id)).size).toBe(sent.length);
      for (let i = 1; i < rows.length; i++) {
        const [a, b] = [rows[i - 1]!, rows[i]!];
        const cmp = Number(a.amount) - Number(b.amount) || (a.id < b.id ? -1 : 1);
        expect(dir === "asc" ? cmp < 0 : cmp > 0).toBe(true);
      }
      const viaSchema = await allPages(query({ sort: "amount", dir, pageSize: "25" }));
      expect(viaSchema.map((row) => row.id)).toEqual(rows.map((row) => row.id));
    }
  });

  it("pages every sort key without gaps or repeats", async () => {
    const key: Record<(typeof SORT_KEYS)[number], (row: TransactionListRow) => number | string> = {
      time: (row) => row.firstSeenAt.getTime(),
      amount: (row) => Number(row.amount),
      status: (row) => STATUSES.indexOf(row.status),
      provider: (row) => row.provider,
      merchantOrderId: (row) => row.merchantOrderId,
    };
    for (const sort of SORT_KEYS) {
      for (const dir of ["asc", "desc"] as const) {
        const label = `${sort} ${dir}`;
        const rows = await allPages({ ...query({ sort, dir }), pageSize: 3 });
        expect(rows, label).toHaveLength(sent.length);
        expect(new Set(rows.map((row) => row.id)).size, label).toBe(sent.length);
        // Pages of three, one after another, are the whole list read as one page.
        const whole = await findTransactions(database.db, { ...query({ sort, dir }), pageSize: 100 }, "UTC");
        expect(whole.rows.length, label).toBeLessThan(100);
        expect(rows.map((row) => row.id), label).toEqual(whole.rows.map((row) => row.id));
        // And in order where JavaScript compares as PostgreSQL does (text sorts by the database's collation).
        if (sort === "time" || sort === "amount" || sort === "status") {
          const values = rows.map((row) => key[sort](row) as number);
          expect(values, label).toEqual([...values].sort((a, b) => (dir === "asc" ? a - b : b - a)));
        }
      }
    }
  });

  it("pages by cursor, both ways, through exactly the rows paging by offset shows", async () => {
    const cases: Record<string, string>[] = [{}, { status: "succeeded" }, { currency: "IDR", provider: "paycools" }, { duplicates: "1" }];
    for (const sort of SORT_KEYS) for (const dir of ["asc", "desc"]) cases.push({ sort, dir });
    for (const params of cases) {
      const base = { ...query(params), pageSize: 3 };
      const expected = await allPages(base);
      const forward = await cursorPages(base);
      const label = JSON.stringify(params);
      expect(forward.flatMap(({ page }) => page.rows.map((row) => row.id)), label).toEqual(expected.map((row) => row.id));
      expect(forward.map(({ page }) => page.page), label).toEqual(forward.map((_, index) => index + 1));
      expect(forward[0]!.page.hasPreviousPage, label).toBe(false);
      expect(forward[0]!.page.previousCursor, label).toBeNull();

      // Back from the last page by each page's previous cursor: the same pages, down to the first
      // (which, reached this way, is read as the first page: nothing before it).
      expect(forward.length, label).toBeGreaterThan(1);
      for (let index = forward.length - 1; index >= 1; index--) {
        const { page, query: shown } = forward[index]!;
        expect(page.hasPreviousPage, label).toBe(true);
        const back = await findTransactions(database.db, { ...shown, page: shown.page - 1, after: undefined, before: page.previousCursor! }, "UTC");
        expect(back.rows.map((row) => row.id), `${label}, back to page ${index}`).toEqual(forward[index - 1]!.page.rows.map((row) => row.id));
        expect(back).toMatchObject({ page: index, hasNextPage: true, hasPreviousPage: index > 1, nextCursor: forward[index - 1]!.page.nextCursor });
      }
    }
  });

  it("exports exactly the filtered, sorted rows as CSV, across batches", async () => {
    const cases = [
      {},
      { sort: "amount", dir: "asc" },
      { sort: "amount", dir: "desc", currency: "IDR" },
      { sort: "status", dir: "asc" },
      { sort: "status", dir: "desc", provider: "paycools" },
      { sort: "provider", dir: "asc" },
      { sort: "merchantOrderId", dir: "desc", duplicates: "1" },
      { sort: "time", dir: "asc", from: "2024-03-02", page: "2", pageSize: "25" },
      { conflicts: "1", sort: "amount", dir: "desc" },
    ];
    for (const params of cases) {
      const base = query(params);
      const expected = await allPages({ ...base, page: 1, pageSize: 5 }, JAKARTA);
      const text = await readAll(streamTransactionsCsv(database.db, base, JAKARTA, { batchSize: 4 }));
      const [header, ...rows] = parseCsv(text);
      expect(header).toEqual([...CSV_COLUMNS]);
      expect(rows.map((row) => `${row[2]}:${row[5]}`), JSON.stringify(params)).toEqual(expected.map((row) => `${row.provider}:${row.providerTransactionId}`));
    }
  });

  it("queries the next batch only when the reader has taken the last one", async () => {
    let batches = 0;
    // Long enough for a stream that read ahead to have sent its next query (a batch is a few milliseconds here).
    const settle = 250;
    // An extended client has no pg pool of its own, so the batches go through Prisma's raw query, where they can be counted.
    const counting = database.db.$extends({
      query: {
        $queryRawUnsafe({ args, query: run }) {
          batches++;
          return run(args);
        },
      },
    }) as unknown as typeof database.db;
    const reader = streamTransactionsCsv(counting, query(), "UTC", { batchSize: 2 }).getReader();
    await new Promise((resolve) => setTimeout(resolve, settle));
    expect(batches).toBe(0);
    await reader.read();
    await reader.read();
    await new Promise((resolve) => setTimeout(resolve, settle));
    expect(batches).toBeGreaterThanOrEqual(1);
    expect(batches).toBeLessThanOrEqual(2);
    await reader.cancel();
    await new Promise((resolve) => setTimeout(resolve, settle));
    const afterCancel = batches;
    await new Promise((resolve) => setTimeout(resolve, settle));
    expect(batches).toBe(afterCancel);
    expect(afterCancel).toBeLessThan(sent.length / 2);
  });

  it.skipIf(backend !== "postgres")("on PostgreSQL, reads a sort no index serves through one cursor, and ends its transaction", async () => {
    // Sessions of this database inside the export's transaction: its cursor is declared and fetched from there.
    const exporting = async () => {
      const [row] = await database.db.$queryRaw<{ sessions: number }[]>`
        SELECT count(*)::int AS sessions FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid() AND xact_start IS NOT NULL
          AND (query LIKE 'DECLARE payhook_export%' OR query LIKE 'FETCH % FROM payhook_export')`;
      return row!.sessions;
    };
    const pause = () => new Promise((resolve) => setTimeout(resolve, 50));

    const byAmount = query({ sort: "amount", dir: "desc" });
    const reader = streamTransactionsCsv(database.db, byAmount, "UTC", { batchSize: 2 }).getReader();
    await pause();
    expect(await exporting()).toBe(0);
    expect(new TextDecoder().decode((await reader.read()).value)).toMatch(/^first_seen,/);
    expect((await reader.read()).value!.byteLength).toBeGreaterThan(0);
    expect(await exporting()).toBe(1);
    await reader.cancel();
    await pause();
    expect(await exporting()).toBe(0);

    await readAll(streamTransactionsCsv(database.db, byAmount, "UTC", { batchSize: 3 }));
    // The time sort walks its index by keyset instead: nothing is held between its batches.
    const byTime = streamTransactionsCsv(database.db, query(), "UTC", { batchSize: 2 }).getReader();
    await byTime.read();
    await byTime.read();
    await pause();
    expect(await exporting()).toBe(0);
    await byTime.cancel();
  });

  it.skipIf(backend !== "postgres")("on PostgreSQL, leaves its cursors at a quarter of the pool and frees a download that stops reading", async () => {
    const pool = postgresPoolOf(database.db)!.pool;
    // Connections checked out of the pool. Keyset readers borrow one only while a batch query runs, so the count settles.
    const held = () => pool.totalCount - pool.idleCount;
    const byAmount = query({ sort: "amount", dir: "asc" });
    const limit = Math.floor(pool.options.max / 4);
    expect(limit).toBeGreaterThan(0);
    const readers = Array.from({ length: limit + 2 }, () => streamTransactionsCsv(database.db, byAmount, "UTC", { batchSize: 2 }).getReader());
    for (const reader of readers) {
      await reader.read();
      await reader.read();
    }
    // Exactly `limit` hold a connection through a cursor; the others read by keyset.
    await vi.waitFor(() => expect(held()).toBe(limit), { timeout: 5_000 });
    for (const reader of readers) await reader.cancel();
    await vi.waitFor(() => expect(held()).toBe(0), { timeout: 5_000 });

    // A cursor whose reader stops pulling is ended by PostgreSQL, its connection goes back at once, and the next read fails.
    const stalled = streamTransactionsCsv(database.db, byAmount, "UTC", { batchSize: 2, idleTimeoutMs: 1_000 }).getReader();
    await stalled.read();
    await stalled.read();
    expect(held()).toBe(1);
    await vi.waitFor(() => expect(held()).toBe(0), { timeout: 10_000, interval: 100 });
    await expect(
      (async () => {
        for (;;) if ((await stalled.read()).done) return "ended";
      })(),
    ).rejects.toThrow(/idle-in-transaction|terminat/i);
    // Its slot is free again: the next export by amount reads through a cursor.
    const next = streamTransactionsCsv(database.db, byAmount, "UTC", { batchSize: 2 }).getReader();
    await next.read();
    await next.read();
    expect(held()).toBe(1);
    await next.cancel();
  });

  it("writes exact amounts, zoned times, RFC 4180 quoting and neutralised formulas", async () => {
    const text = await readAll(streamTransactionsCsv(database.db, query({ provider: "payermax" }), JAKARTA));
    const [header, ...rows] = parseCsv(text);
    const column = (name: (typeof CSV_COLUMNS)[number]) => header!.indexOf(name);
    const evil = rows.find((row) => row[column("merchant_order_id")] === `'${FORMULA_ORDER}`);
    expect(evil).toBeDefined();
    expect(evil![column("reference_number")]).toBe(AWKWARD_REFERENCE);
    expect(text).toContain(`"'=HYPERLINK(""http://example.test"",""x,y"")"`);
    expect(text).toContain('"VA ""7"",\n8"');

    const usd = rows.find((row) => row[column("amount")] === "12345.67")!;
    expect(usd[column("currency")]).toBe("USD");
    expect(usd[column("raw_amount")]).toBe("12345.67");
    expect(usd[column("payment_method")]).toBe("CARD");
    const late = rows.find((row) => row[column("amount")] === "10")!;
    expect(late[column("first_seen")]).toBe("2024-03-02 00:30:00");
    expect(late[column("time_zone")]).toBe(JAKARTA);
    expect(rows.filter((row) => row[column("duplicate")] === "declared")).toHaveLength(1);
    const conflicted = parseCsv(await readAll(streamTransactionsCsv(database.db, query({ conflicts: "1" }), JAKARTA))).slice(1);
    expect(conflicted.map((row) => [row[column("merchant_order_id")], row[column("status")], row[column("conflicting_status")]])).toEqual([
      ["ORDER-CONFLICT", "succeeded", "FAILED"],
    ]);
    expect(rows.every((row) => row[column("conflicting_status")] === "")).toBe(true);
    expect(rows.filter((row) => row[column("duplicate")] === "original")).toHaveLength(1);

    for (const [input, output] of [
      ["+SUM(A1)", "'+SUM(A1)"],
      ["-2+3", "'-2+3"],
      ["@cmd", "'@cmd"],
      ["\tx", "'\tx"],
      ["\rx", "\"'\rx\""],
      ["plain", "plain"],
      ["a,b", '"a,b"'],
      [null, ""],
    ] as const) {
      expect(csvField(input)).toBe(output);
    }
  });

  it("writes each line as the page shows its row, though PostgreSQL writes most of it", async () => {
    for (const params of [{}, { sort: "amount", dir: "asc" }, { provider: "payermax", sort: "merchantOrderId" }, { conflicts: "1" }]) {
      const rows = await allPages({ ...query(params), page: 1, pageSize: 5 }, JAKARTA);
      const expected = rows.map((row) =>
        csvLine([
          formatDateTime(row.firstSeenAt, JAKARTA),
          JAKARTA,
          row.provider,
          row.kind,
          row.merchantOrderId,
          row.providerTransactionId,
          row.status,
          row.providerStatus,
          row.amount,
          row.currency,
          row.rawAmount,
          row.channel,
          row.paymentMethod,
          row.referenceNumber,
          duplicateLabel(row),
          row.statusConflict ? row.conflictingStatus : "",
        ]),
      );
      const text = await readAll(streamTransactionsCsv(database.db, query(params), JAKARTA, { batchSize: 3 }));
      expect(text, JSON.stringify(params)).toBe(csvLine(CSV_COLUMNS) + expected.join(""));
    }
  });

  it("writes a field in SQL exactly as csvField does", async () => {
    const awkward = ["=", "+", "-", "@", "\t", "\r", "\n", '"', ",", "'", " ", "a", "é", "😀", "\r\n", '""', "=1+2", "\u00a0"];
    // Every pair of awkward pieces, and longer mixes of them picked by a fixed rule.
    const values: (string | null)[] = [null, "", FORMULA_ORDER, AWKWARD_REFERENCE, "PH_GCASH", "12345.67", "-5.00", " =x"];
    for (const a of awkward) for (const b of awkward) values.push(a + b);
    for (let i = 0; i < 200; i++) values.push(Array.from({ length: 1 + (i % 7) }, (_, j) => awkward[(i * 7 + j * 13) % awkward.length]).join(""));
    const written = await queryRows<{ field: string }>(database.db, {
      text: `SELECT ${csvFieldSql("value")} AS field FROM unnest($1::text[]) WITH ORDINALITY AS input(value, n) ORDER BY n`,
      values: [values],
      prepare: false,
    });
    expect(written.map((row) => row.field)).toEqual(values.map((value) => csvField(value)));
  });

  it("writes an amount field in SQL exactly as csvField(amountText()) does, in every currency", async () => {
    const unusual = await currenciesWithUnusualDigits();
    // Withdrawn codes too: Intl still gives their decimals, though its list of supported currencies leaves them out.
    expect(unusual.codes).toEqual(expect.arrayContaining(["IDR", "JPY", "KWD", "ITL", "BYR", "CLF"]));
    const currencies = [...new Set([...Intl.supportedValuesOf("currency"), ...unusual.codes, "usd", "idr", "XYZ", "12A", "A B", "AB"])];
    const exact = ["0", "0.00", "500.1", "500.10", "33.5", "50000.00", "-5.5", "-0.00000001", "12345.67", "0.001", "1.23456789", "99999999999999.9999"];
    const amounts = currencies.flatMap(() => exact);
    const codes = currencies.flatMap((currency) => exact.map(() => currency));
    // The columns' own types: the amount with its eight decimals, the currency padded to three characters.
    const statement = Prisma.sql`SELECT ${amountFieldSql(unusual)} AS field
      FROM unnest(CAST(${amounts} AS numeric(28,8)[]), CAST(${codes} AS char(3)[])) WITH ORDINALITY AS input(amount, currency, n) ORDER BY n`;
    const written = await queryRows<{ field: string }>(database.db, { text: statement.text, values: statement.values, prepare: false });
    expect(written.map((row) => row.field)).toEqual(amounts.map((amount, i) => csvField(amountText(amount, codes[i]!.padEnd(3)))));
  });

  it("bounds the total: exact when small, capped when filtered past the cap", async () => {
    expect(await countTransactions(database.db, query(), "UTC")).toEqual({ value: sent.length, estimated: false, capped: false });
    expect(await countTransactions(database.db, query({ status: "failed" }), "UTC")).toEqual({ value: 2, estimated: false, capped: false });
    expect(await countTransactions(database.db, query({ provider: "paycools" }), "UTC", 5)).toEqual({ value: 5, estimated: false, capped: true });
    // The count writes its WHERE in SQL, the list through Prisma: they must agree on every filter.
    for (const params of [
      { provider: "paycools-id" },
      { kind: "payout" },
      { status: "pending" },
      { currency: "usd" },
      { channel: "CARD" },
      { channel: "PH_GCASH", kind: "payment" },
      { from: "2024-03-02", to: "2024-03-03" },
      { from: "2024-03-02" },
      { to: "2024-03-01" },
      { duplicates: "1" },
      { q: "ORDER-TWICE" },
      { q: "8558000011112222" },
      { q: "nothing", status: "failed" },
      { provider: "payermax", status: "succeeded", currency: "IDR", from: "2024-03-01" },
    ]) {
      const rows = await allPages(query(params), JAKARTA);
      expect(await countTransactions(database.db, query(params), JAKARTA), JSON.stringify(params)).toEqual({ value: rows.length, estimated: false, capped: false });
    }
  });

  it("parses search params leniently for the page and strictly for the API", () => {
    const lenient = parseTransactionQuery({
      status: "bogus",
      pageSize: "7",
      page: "-2",
      sort: "nope",
      dir: "sideways",
      from: "2024-02-30",
      duplicates: "yes",
      currency: "usd",
      provider: ["payermax", "paycools"],
      q: "  ORDER-1  ",
      unknown: "x",
    });
    expect(lenient).toEqual({
      provider: "payermax",
      kind: undefined,
      status: undefined,
      currency: "USD",
      channel: undefined,
      from: undefined,
      to: undefined,
      tz: undefined,
      duplicates: false,
      conflicts: false,
      q: "ORDER-1",
      sort: "time",
      dir: "desc",
      page: 1,
      pageSize: 50,
    });
    expect(parseTransactionQuery({ from: "2024-03-05", to: "2024-03-01" })).toMatchObject({ from: "2024-03-05", to: undefined });

    const strict = (params: string) => parseTransactionQueryStrict(new URLSearchParams(params));
    expect(strict("status=failed&sort=amount&dir=asc&page=2&pageSize=25&from=2024-03-01&to=2024-03-02&duplicates=1&conflicts=1")).toMatchObject({
      ok: true,
      query: { status: "failed", sort: "amount", dir: "asc", page: 2, pageSize: 25, duplicates: true, conflicts: true },
    });
    for (const [params, parameter] of [
      ["status=bogus", "status"],
      ["pageSize=7", "pageSize"],
      ["page=0", "page"],
      ["conflicts=yes", "conflicts"],
      ["tz=Mars/Olympus", "tz"],
      ["page=abc", "page"],
      ["sort=id", "sort"],
      ["from=2024-02-30", "from"],
      ["from=2024-03-05&to=2024-03-01", "to"],
      ["stauts=failed", "stauts"],
      ["status=failed&status=pending", "status"],
      ["currency=dollars", "currency"],
    ] as const) {
      const result = strict(params);
      expect(result.ok, params).toBe(false);
      if (!result.ok) expect(result.problem.parameter, params).toBe(parameter);
    }
    // Cursors: only one the server wrote for this very order, and never after and before together.
    const cursor = (sort: string, dir: string, value: string, id = "0190f000-0000-7000-8000-000000000000") =>
      encodeListCursor({ sort, dir, value, id } as Parameters<typeof encodeListCursor>[0]);
    const byAmount = cursor("amount", "asc", "500.00");
    expect(strict(`sort=amount&dir=asc&after=${byAmount}`)).toMatchObject({ ok: true, query: { after: byAmount } });
    expect(strict(`sort=merchantOrderId&before=${cursor("merchantOrderId", "desc", `' OR 1=1; --`)}`)).toMatchObject({ ok: true });
    // The longest cursor the server writes: a 128-character order id of characters JSON escapes or UTF-8 spreads out.
    const longest = cursor("merchantOrderId", "desc", "\u0001".repeat(64) + "\u{10FFFF}".repeat(64));
    expect(strict(`sort=merchantOrderId&after=${longest}`)).toMatchObject({ ok: true, query: { after: longest } });
    for (const params of [
      `after=${byAmount}`,
      `sort=amount&dir=desc&after=${byAmount}`,
      `sort=amount&dir=asc&after=${cursor("amount", "asc", "1e9")}`,
      `sort=amount&dir=asc&after=${cursor("amount", "asc", "500", "not-a-uuid")}`,
      `after=${cursor("time", "desc", "2024-03-01")}`,
      // Impossible instants that Date would roll over into real ones, and PostgreSQL refuses with an error.
      `after=${cursor("time", "desc", "2024-02-30T00:00:00.000Z")}`,
      `after=${cursor("time", "desc", "2023-02-29T12:00:00.000Z")}`,
      `after=${cursor("time", "desc", "2024-03-01T24:00:00.000Z")}`,
      `after=${cursor("time", "desc", "0000-01-01T00:00:00.000Z")}`,
      `sort=status&after=${cursor("status", "desc", "refunded")}`,
      `after=${byAmount.slice(0, -3)}`,
      "after=%27%20OR%201%3D1",
    ]) {
      const result = strict(params);
      expect(result, params).toMatchObject({ ok: false, problem: { parameter: "after", message: expect.stringMatching(/^is not a page cursor of this order/) } });
    }
    const time = cursor("time", "desc", "2024-03-01T00:00:00.000Z");
    expect(strict(`after=${time}&before=${time}`)).toMatchObject({ ok: false, problem: { parameter: "before" } });
    // The page drops what the API refuses, and keeps after when a link has both.
    expect(parseTransactionQuery({ sort: "amount", after: time, page: "3" })).toMatchObject({ sort: "amount", after: undefined, page: 3 });
    expect(parseTransactionQuery({ after: time, before: time })).toMatchObject({ after: time, before: undefined });

    const blank = strict("status=");
    expect(blank.ok && blank.query.status).toBeUndefined();

    const full = parseTransactionQuery({ provider: "paycools", status: "failed", duplicates: "1", q: "A B", from: "2024-03-01", sort: "amount", dir: "asc", page: "3", pageSize: "100" });
    expect(parseTransactionQuery(toSearchParams(full))).toEqual(full);
    expect(toSearchParams(query()).toString()).toBe("");
    // The browser leaves these defaults out of its URLs; they must be the ones the server reads back.
    expect(parseTransactionQuery({})).toStrictEqual(DEFAULT_QUERY);
  });

  // Last: its rows join the fixture for good.
  it("exports rows that share a millisecond, and those a millisecond apart, across batches of one", async () => {
    const instant = Date.UTC(2024, 4, 1, 5, 0, 0, 123);
    for (const [i, offset] of [0, 0, 0, -1, 1].entries()) {
      await post("payermax", payermaxBody({ amount: String(801 + i), currency: "IDR" }), new Date(instant + offset));
    }
    for (const dir of ["desc", "asc"]) {
      const params = { from: "2024-05-01", to: "2024-05-01", dir };
      const expected = await allPages({ ...query(params), pageSize: 25 }, "UTC");
      expect(expected).toHaveLength(5);
      expect(new Set(expected.map((row) => row.firstSeenAt.getTime())).size).toBe(3);
      for (const batchSize of [1, 2]) {
        const rows = parseCsv(await readAll(streamTransactionsCsv(database.db, query(params), "UTC", { batchSize }))).slice(1);
        expect(rows.map((row) => row[5]), `${dir}, batches of ${batchSize}`).toEqual(expected.map((row) => row.providerTransactionId));
      }
    }
  });

  // After the one above, for the same reason.
  it("keeps a cursor's page while newer notifications arrive, where an offset's page shifts", async () => {
    const day = Date.UTC(2024, 5, 1);
    const orderIds = [1, 2, 3, 4, 5, 6].map((hour) => `KEEP-${hour}`);
    for (const [index, orderId] of orderIds.entries()) {
      await post("payermax", payermaxBody({ amount: String(100 + index), currency: "IDR", orderId }), new Date(day + (index + 1) * HOUR));
    }
    const base = { ...query({ from: "2024-06-01" }), pageSize: 2 };
    const orders = (page: TransactionPage) => page.rows.map((row) => row.merchantOrderId);
    const first = await findTransactions(database.db, base, "UTC");
    expect(orders(first)).toEqual(["KEEP-6", "KEEP-5"]);
    const second = { ...base, page: 2, after: first.nextCursor! };
    expect(orders(await findTransactions(database.db, second, "UTC"))).toEqual(["KEEP-4", "KEEP-3"]);
    // A cursor without a page number (an API caller following nextCursor) is still a page with rows before it.
    expect(await findTransactions(database.db, { ...second, page: 1 }, "UTC")).toMatchObject({ page: 2, hasPreviousPage: true });

    await post("payermax", payermaxBody({ amount: "107", currency: "IDR", orderId: "KEEP-7" }), new Date(day + 7 * HOUR));
    const again = await findTransactions(database.db, second, "UTC");
    expect(orders(again)).toEqual(["KEEP-4", "KEEP-3"]);
    // The same page by offset now starts one row earlier: this is what the cursor prevents.
    expect(orders(await findTransactions(database.db, { ...base, page: 2 }, "UTC"))).toEqual(["KEEP-5", "KEEP-4"]);

    // Back from page 2: the rows it followed, with the newer one still before them.
    const back = await findTransactions(database.db, { ...base, page: 1, before: again.previousCursor! }, "UTC");
    expect(orders(back)).toEqual(["KEEP-6", "KEEP-5"]);
    expect(back).toMatchObject({ page: 1, hasPreviousPage: true });
    // Back from a page whose previous rows are fewer than a page: the list's first page, as it is now.
    const third = await findTransactions(database.db, { ...base, page: 3, after: again.nextCursor! }, "UTC");
    expect(orders(third)).toEqual(["KEEP-2", "KEEP-1"]);
    const shortBack = await findTransactions(database.db, { ...base, page: 2, before: back.nextCursor! }, "UTC");
    expect(shortBack).toMatchObject({ page: 1, hasPreviousPage: false, previousCursor: null });
    expect(orders(shortBack)).toEqual(["KEEP-7", "KEEP-6"]);
  });
});
