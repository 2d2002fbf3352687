import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/lib/db/client";
import { countOpenDuplicateCases, findDuplicateCases, MAX_CASES_PER_PAGE, type DuplicateCaseSummary } from "@/lib/duplicates/find-duplicate-cases";
import { reopenDuplicateCase } from "@/lib/duplicates/reopen-duplicate-case";
import { resolveDuplicateCase, type CaseActor } from "@/lib/duplicates/resolve-duplicate-case";
import { newMerchantOrderId, newPayermaxTradeOrderNo, paycoolsParam, payermaxBody } from "@/lib/simulator/samples";
import { signFor } from "@/lib/simulator/sign";
import { handleWebhook } from "@/lib/webhooks/handle-webhook";
import { findProvider } from "@/lib/providers/registry";
import type { Role } from "@/lib/users/user-rules";
import { DUPLICATE_CSV_COLUMNS, streamDuplicateCasesCsv, type DuplicateCasesFilter } from "@/lib/duplicates/stream-duplicate-cases-csv";
import { wallClockFormat } from "@/lib/time";
import { csvRecords } from "../helpers/csv";
import { backends, useTestDatabase } from "../helpers/test-database";
import { installProviderKeys, type ProviderName } from "../helpers/test-keys";

// Duplicate payments end to end: signed notifications through the real webhook
// handler and ingest, then the same functions the page and its server actions use.

const keys = installProviderKeys();

async function deliver(db: Db, provider: ProviderName, payload: Record<string, unknown>): Promise<void> {
  const signed = signFor(provider, payload, keys[provider].privateKey);
  const request = new Request(`http://localhost/api/webhooks/${provider}`, {
    method: "POST",
    headers: signed.headers,
    body: new Uint8Array(signed.body),
  });
  const response = await handleWebhook(request, provider, { db: async () => db, findProvider, now: () => new Date() });
  expect(response.status, await response.clone().text()).toBe(200);
}

/** A PayerMax order paid once, then declared paid again `extra.length` times. */
async function payermaxDeclared(db: Db, amount: string, extra: { amount: string; currency?: string }[], currency = "USD") {
  const orderId = newMerchantOrderId("PM");
  const tradeOrderNo = newPayermaxTradeOrderNo();
  await deliver(db, "payermax", payermaxBody({ orderId, transactionId: tradeOrderNo, amount, currency }));
  for (const duplicate of extra) {
    await deliver(db, "payermax", payermaxBody({ orderId, amount: duplicate.amount, currency: duplicate.currency ?? currency, duplicateOf: { orderId, tradeOrderNo } }));
  }
  return { orderId, tradeOrderNo };
}

/** A one-time PayCools order paid once per channel code given. */
async function paycoolsPaid(db: Db, payments: { amount: number; channelCode?: string }[]) {
  const orderId = newMerchantOrderId("PC");
  for (const payment of payments) {
    await deliver(db, "paycools", paycoolsParam({ orderId, amount: payment.amount, channelCode: payment.channelCode, referenceNumber: null }));
  }
  return orderId;
}

async function caseFor(db: Db, provider: string, merchantOrderId: string): Promise<DuplicateCaseSummary> {
  const row = await db.duplicateCase.findUniqueOrThrow({ where: { provider_merchantOrderId: { provider, merchantOrderId } } });
  const page = await findDuplicateCases(db, { caseId: row.id });
  expect(page.cases).toHaveLength(1);
  return page.cases[0]!;
}

describe.each(backends)("duplicate payments (%s)", (backend) => {
  const database = useTestDatabase(backend);
  let db: Db;
  let admin: CaseActor & { email: string };
  let otherAdmin: CaseActor;
  let viewer: CaseActor;
  let finance: CaseActor & { email: string };

  beforeAll(async () => {
    db = database.db;
    // A stored hash is all these rows need: nobody signs in here.
    const make = (email: string, role: Role) =>
      db.user.create({ data: { email, role, passwordHash: "not-a-real-hash" }, select: { id: true, email: true, role: true } });
    admin = await make("finance-admin@example.com", "admin");
    otherAdmin = await make("second-admin@example.com", "admin");
    viewer = await make("auditor@example.com", "viewer");
    finance = await make("accounts@example.com", "finance");
  });

  it("shows a PayerMax declared duplicate and a detected PayCools one, with the overpaid amount per currency", async () => {
    const declared = await payermaxDeclared(db, "10.10", [{ amount: "10.10" }, { amount: "0.20" }]);
    const declaredCase = await caseFor(db, "payermax", declared.orderId);
    expect(declaredCase).toMatchObject({ declared: true, detected: false, state: "open", resolution: null });
    expect(declaredCase.payments.map((p) => p.role)).toEqual(["original", "declared", "declared"]);
    expect(declaredCase.payments[0]!.providerTransactionId).toBe(declared.tradeOrderNo);
    // 10.10 + 0.20 is 10.299999… in floating point: the sum must be exact.
    expect(declaredCase.overpaid).toEqual([{ currency: "USD", amount: "10.3" }]);

    const detectedOrder = await paycoolsPaid(db, [{ amount: 50010 }, { amount: 50010 }, { amount: 12345, channelCode: "PH_GCASH" }]);
    const detectedCase = await caseFor(db, "paycools", detectedOrder);
    expect(detectedCase).toMatchObject({ declared: false, detected: true, state: "open" });
    expect(detectedCase.payments.map((p) => [p.role, p.currency, p.amount])).toEqual([
      ["original", "IDR", "500.1"],
      ["detected", "IDR", "500.1"],
      ["detected", "PHP", "123.45"],
    ]);
    expect(detectedCase.overpaid).toEqual([
      { currency: "IDR", amount: "500.1" },
      { currency: "PHP", amount: "123.45" },
    ]);
  });

  it("lets an admin resolve and reopen a case, keeping who did it and when", async () => {
    const order = await paycoolsPaid(db, [{ amount: 1000 }, { amount: 1000 }]);
    const opened = await caseFor(db, "paycools", order);
    const before = new Date();

    expect(await resolveDuplicateCase(db, admin, { caseId: opened.id, resolution: "refunded", note: "Refunded in the PayCools portal" })).toEqual({ ok: true });
    const resolved = await caseFor(db, "paycools", order);
    expect(resolved).toMatchObject({ state: "resolved", resolution: "refunded", resolutionNote: "Refunded in the PayCools portal" });
    expect(resolved.resolvedBy?.email).toBe(admin.email);
    expect(resolved.resolvedAt!.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000);
    expect(resolved.actions.map((a) => [a.action, a.resolution, a.user?.email])).toEqual([["resolved", "refunded", admin.email]]);

    expect(await reopenDuplicateCase(db, admin, { caseId: opened.id, note: "The refund bounced" })).toEqual({ ok: true });
    const reopened = await caseFor(db, "paycools", order);
    expect(reopened).toMatchObject({ state: "open", resolution: null, resolutionNote: null, resolvedAt: null, resolvedBy: null });
    expect(reopened.actions.map((a) => [a.action, a.note, a.user?.email])).toEqual([
      ["resolved", "Refunded in the PayCools portal", admin.email],
      ["reopened", "The refund bounced", admin.email],
    ]);
  });

  it("links a further payment to an open case without adding to its history", async () => {
    const order = await paycoolsPaid(db, [{ amount: 3000 }, { amount: 3000 }, { amount: 3000 }]);
    const open = await caseFor(db, "paycools", order);
    expect(open).toMatchObject({ state: "open", detected: true, declared: false });
    expect(open.payments).toHaveLength(3);
    expect(open.actions).toEqual([]);
  });

  it("refuses a viewer, a repeated action and an unexplained “other”, changing nothing", async () => {
    const order = await paycoolsPaid(db, [{ amount: 2000 }, { amount: 2000 }]);
    const { id: caseId } = await caseFor(db, "paycools", order);

    const byViewer = await resolveDuplicateCase(db, viewer, { caseId, resolution: "refunded" });
    expect(byViewer).toEqual({ ok: false, message: "Only finance users and admins can resolve a duplicate payment." });
    expect(await caseFor(db, "paycools", order)).toMatchObject({ state: "open", actions: [] });

    expect(await reopenDuplicateCase(db, admin, { caseId })).toEqual({ ok: false, message: expect.stringMatching(/already open/i) });
    expect(await resolveDuplicateCase(db, admin, { caseId, resolution: "other", note: "   " })).toEqual({
      ok: false,
      message: expect.stringMatching(/note/i),
    });
    expect(await resolveDuplicateCase(db, admin, { caseId: "not-a-case", resolution: "refunded" })).toMatchObject({ ok: false });
    expect(await resolveDuplicateCase(db, admin, { caseId, resolution: "bogus" })).toMatchObject({ ok: false });

    expect(await resolveDuplicateCase(db, admin, { caseId, resolution: "other", note: "Customer kept it as credit" })).toEqual({ ok: true });
    expect(await resolveDuplicateCase(db, admin, { caseId, resolution: "refunded" })).toEqual({
      ok: false,
      message: expect.stringMatching(/already resolved by finance-admin@example\.com/),
    });
    expect(await reopenDuplicateCase(db, viewer, { caseId })).toEqual({ ok: false, message: "Only finance users and admins can reopen a duplicate payment." });
    const after = await caseFor(db, "paycools", order);
    expect(after).toMatchObject({ state: "resolved", resolution: "other", resolutionNote: "Customer kept it as credit" });
    expect(after.actions).toHaveLength(1);
  });

  it("lets a finance user resolve and reopen a case, recorded with their name", async () => {
    const order = await paycoolsPaid(db, [{ amount: 2500 }, { amount: 2500 }]);
    const { id: caseId } = await caseFor(db, "paycools", order);
    expect(await resolveDuplicateCase(db, finance, { caseId, resolution: "refunded", note: "Refund REF-77" })).toEqual({ ok: true });
    expect(await caseFor(db, "paycools", order)).toMatchObject({ state: "resolved", resolution: "refunded", resolvedBy: { email: finance.email } });
    expect(await reopenDuplicateCase(db, finance, { caseId, note: "Refund bounced" })).toEqual({ ok: true });
    const reopened = await caseFor(db, "paycools", order);
    expect(reopened.state).toBe("open");
    expect(reopened.actions.map((action) => [action.action, action.user?.email])).toEqual(
      expect.arrayContaining([
        ["resolved", finance.email],
        ["reopened", finance.email],
      ]),
    );
    expect(reopened.actions).toHaveLength(2);
  });

  it("lets exactly one of two admins resolving at once win", async () => {
    const order = await paycoolsPaid(db, [{ amount: 3000 }, { amount: 3000 }]);
    const { id: caseId } = await caseFor(db, "paycools", order);
    const results = await Promise.all([
      resolveDuplicateCase(db, admin, { caseId, resolution: "refunded" }),
      resolveDuplicateCase(db, otherAdmin, { caseId, resolution: "not_duplicate" }),
    ]);
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(results.filter((result) => !result.ok)).toHaveLength(1);
    expect((await caseFor(db, "paycools", order)).actions).toHaveLength(1);
  });

  it("reopens a resolved case when another duplicate payment arrives, as Payhook's own action", async () => {
    const declared = await payermaxDeclared(db, "5.00", [{ amount: "5.00" }]);
    const { id: caseId } = await caseFor(db, "payermax", declared.orderId);
    expect(await resolveDuplicateCase(db, admin, { caseId, resolution: "refunded" })).toEqual({ ok: true });

    await deliver(db, "payermax", payermaxBody({ orderId: declared.orderId, amount: "5.00", currency: "USD", duplicateOf: declared }));
    const reopened = await caseFor(db, "payermax", declared.orderId);
    expect(reopened).toMatchObject({ state: "open", resolution: null, resolvedAt: null, resolvedBy: null });
    expect(reopened.overpaid).toEqual([{ currency: "USD", amount: "10" }]);
    expect(reopened.actions.map((a) => [a.action, a.user])).toEqual([
      ["resolved", expect.objectContaining({ email: admin.email })],
      ["reopened", null],
    ]);
    expect(reopened.actions[1]!.note).toMatch(/another payment/i);

    const detectedOrder = await paycoolsPaid(db, [{ amount: 700 }, { amount: 700 }]);
    const detected = await caseFor(db, "paycools", detectedOrder);
    expect(await resolveDuplicateCase(db, admin, { caseId: detected.id, resolution: "not_duplicate" })).toEqual({ ok: true });
    await deliver(db, "paycools", paycoolsParam({ orderId: detectedOrder, amount: 700, referenceNumber: null }));
    const again = await caseFor(db, "paycools", detectedOrder);
    expect(again.state).toBe("open");
    expect(again.actions.at(-1)).toMatchObject({ action: "reopened", user: null });
    expect(again.overpaid).toEqual([{ currency: "IDR", amount: "14" }]);
  });

  it("reopens a case resolved before its order's first payment arrived, which then joins it as the original", async () => {
    // PayerMax declares the second payment before the first one's notification arrives.
    const orderId = newMerchantOrderId("PM");
    const tradeOrderNo = newPayermaxTradeOrderNo();
    await deliver(db, "payermax", payermaxBody({ orderId, amount: "8.00", currency: "USD", duplicateOf: { orderId, tradeOrderNo } }));
    const early = await caseFor(db, "payermax", orderId);
    expect(early).toMatchObject({ declared: true, detected: false, paymentCount: 1 });
    expect(await resolveDuplicateCase(db, admin, { caseId: early.id, resolution: "refunded", paymentsSeen: "1" })).toEqual({ ok: true });

    await deliver(db, "payermax", payermaxBody({ orderId, transactionId: tradeOrderNo, amount: "8.00", currency: "USD" }));
    const after = await caseFor(db, "payermax", orderId);
    expect(after).toMatchObject({ id: early.id, state: "open", resolution: null, declared: true, detected: false, paymentCount: 2 });
    expect(after.payments.map((p) => [p.providerTransactionId, p.role])).toEqual([
      [early.payments[0]!.providerTransactionId, "declared"],
      [tradeOrderNo, "original"],
    ]);
    expect(after.actions.map((a) => [a.action, a.user === null])).toEqual([
      ["resolved", false],
      ["reopened", true],
    ]);
  });

  it.skipIf(backend !== "postgres")("keeps the reopening in the history when a payment arrives while a resolution is being recorded", async () => {
    const orderId = await paycoolsPaid(db, [{ amount: 1500 }, { amount: 1500 }]);
    const open = await caseFor(db, "paycools", orderId);
    const resolver = new pg.Client({ connectionString: database.url });
    await resolver.connect();
    try {
      // A resolution as resolveOpenCase records it, not yet committed when the next payment arrives.
      await resolver.query("BEGIN");
      await resolver.query(
        `UPDATE duplicate_cases SET resolution = 'refunded', resolved_at = now(), resolved_by_id = $2 WHERE id = $1 AND resolved_at IS NULL`,
        [open.id, admin.id],
      );
      await resolver.query(
        `INSERT INTO duplicate_case_actions (id, case_id, action, resolution, user_id) VALUES (gen_random_uuid(), $1, 'resolved', 'refunded', $2)`,
        [open.id, admin.id],
      );
      const third = deliver(db, "paycools", paycoolsParam({ orderId, amount: 1500, referenceNumber: null }));
      // The ingest waits for the case's row…
      for (let waited = 0; ; waited += 20) {
        const { rows } = await resolver.query<{ waiting: number }>(
          `SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        );
        if (rows[0]!.waiting > 0) break;
        if (waited > 3_000) throw new Error("the ingest never waited for the case's row");
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      // …and goes on once the resolution is committed.
      await resolver.query("COMMIT");
      await third;
    } finally {
      await resolver.end();
    }
    const after = await caseFor(db, "paycools", orderId);
    expect(after).toMatchObject({ state: "open", resolution: null, resolvedAt: null, paymentCount: 3 });
    expect(after.actions.map((a) => [a.action, a.user === null])).toEqual([
      ["resolved", false],
      ["reopened", true],
    ]);
  });

  it("refuses a resolution made on fewer payments than the case has now, changing nothing", async () => {
    const orderId = await paycoolsPaid(db, [{ amount: 1200 }, { amount: 1200 }]);
    const seen = await caseFor(db, "paycools", orderId);
    expect(seen.payments).toHaveLength(2);
    // A third payment arrives while the admin reads the page.
    await deliver(db, "paycools", paycoolsParam({ orderId, amount: 1200, referenceNumber: null }));

    const stale = await resolveDuplicateCase(db, admin, { caseId: seen.id, resolution: "refunded", paymentsSeen: String(seen.payments.length) });
    expect(stale).toEqual({ ok: false, message: expect.stringMatching(/the case now has 3, not 2\. Reload the page/) });
    const after = await caseFor(db, "paycools", orderId);
    expect(after).toMatchObject({ state: "open", resolution: null, resolvedAt: null });
    expect(after.actions).toEqual([]);

    expect(await resolveDuplicateCase(db, admin, { caseId: seen.id, resolution: "refunded", paymentsSeen: "3" })).toEqual({ ok: true });
    // Without the count (a script, say), the resolution stands on the case as it is.
    const other = await caseFor(db, "paycools", await paycoolsPaid(db, [{ amount: 1300 }, { amount: 1300 }]));
    expect(await resolveDuplicateCase(db, admin, { caseId: other.id, resolution: "not_duplicate", paymentsSeen: null })).toEqual({ ok: true });
  });

  it("leaves a case alone when a payment already in it reports its success again in another event", async () => {
    const orderId = await paycoolsPaid(db, [{ amount: 900 }, { amount: 900 }]);
    const before = await caseFor(db, "paycools", orderId);
    expect(before.payments.map((p) => p.role)).toEqual(["original", "detected"]);
    expect(await resolveDuplicateCase(db, admin, { caseId: before.id, resolution: "refunded" })).toEqual({ ok: true });

    // PayCools names an event by transactionStatus too: SUCCESS after COMPLETED is a new event for the same payment.
    for (const payment of before.payments) {
      await deliver(db, "paycools", {
        ...paycoolsParam({ orderId, transactionId: payment.providerTransactionId, amount: 900, referenceNumber: null }),
        transactionStatus: "SUCCESS",
      });
    }
    const events = await db.event.findMany({ where: { transaction: { merchantOrderId: orderId } }, select: { applied: true } });
    expect(events).toHaveLength(4);
    const after = await caseFor(db, "paycools", orderId);
    expect(after.payments.map((p) => [p.providerTransactionId, p.role])).toEqual(before.payments.map((p) => [p.providerTransactionId, p.role]));
    expect(after).toMatchObject({ state: "resolved", resolution: "refunded" });
    expect(after.actions.map((a) => a.action)).toEqual(["resolved"]);
    expect(after.overpaid).toEqual(before.overpaid);
  });

  it("filters by state and provider and pages by keyset without repeating or skipping a case", async () => {
    for (let i = 0; i < 5; i++) await paycoolsPaid(db, [{ amount: 100 + i }, { amount: 100 + i }]);

    const open = await db.duplicateCase.findMany({ where: { provider: "paycools", resolvedAt: null }, select: { id: true } });
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await findDuplicateCases(db, { status: "open", provider: "paycools", limit: 2, cursor });
      expect(page.cases.length).toBeLessThanOrEqual(2);
      for (const found of page.cases) expect(found).toMatchObject({ provider: "paycools", state: "open" });
      seen.push(...page.cases.map((found) => found.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 50);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.sort()).toEqual(open.map((row) => row.id).sort());

    const firstPage = await findDuplicateCases(db, { status: "open", provider: "paycools", limit: 2 });
    expect(firstPage.prevCursor).toBeNull();
    const second = await findDuplicateCases(db, { status: "open", provider: "paycools", limit: 2, cursor: firstPage.nextCursor });
    const back = await findDuplicateCases(db, { status: "open", provider: "paycools", limit: 2, cursor: second.prevCursor });
    expect(back.cases.map((found) => found.id)).toEqual(firstPage.cases.map((found) => found.id));
    expect(back.prevCursor).toBeNull();

    // A forged cursor naming a time this server never wrote (year 0, which PostgreSQL refuses; 30 February) is the
    // first page, not a failed query.
    for (const time of ["0000-01-01T00:00:00.000Z", "2024-02-30T00:00:00.000Z"]) {
      const forged = Buffer.from(JSON.stringify(["next", time, "0190f000-0000-7000-8000-000000000000"])).toString("base64url");
      const page = await findDuplicateCases(db, { status: "open", provider: "paycools", limit: 2, cursor: forged });
      expect(page.cases.map((found) => found.id), time).toEqual(firstPage.cases.map((found) => found.id));
    }

    const resolved = await findDuplicateCases(db, { status: "resolved" });
    expect(resolved.cases.length).toBeGreaterThan(0);
    for (const found of resolved.cases) expect(found.state).toBe("resolved");
    const payermaxOnly = await findDuplicateCases(db, { status: "all", provider: "payermax" });
    expect(payermaxOnly.cases.length).toBeGreaterThan(0);
    for (const found of payermaxOnly.cases) expect(found.provider).toBe("payermax");
    expect((await findDuplicateCases(db, { status: "all", limit: 500 })).cases).toHaveLength(Math.min(25, await db.duplicateCase.count()));

    expect(await countOpenDuplicateCases(db)).toBe(await db.duplicateCase.count({ where: { resolvedAt: null } }));
  });

  it("exports every case of a filter as CSV, a line per overpaid currency, with how it was resolved", async () => {
    const mixed = await payermaxDeclared(db, "10.10", [{ amount: "10.10" }, { amount: "2.5", currency: "EUR" }]);
    const { id: caseId } = await caseFor(db, "payermax", mixed.orderId);
    expect(await resolveDuplicateCase(db, finance, { caseId, resolution: "other", note: "=SUM(A1), split refund" })).toEqual({ ok: true });
    // More cases than one page of the list holds, so the file is read a page at a time.
    while ((await db.duplicateCase.count()) <= MAX_CASES_PER_PAGE) await paycoolsPaid(db, [{ amount: 700 }, { amount: 700 }]);

    const read = async (filter: DuplicateCasesFilter) => csvRecords(await new Response(streamDuplicateCasesCsv(db, filter, "Asia/Jakarta")).text());
    const all = await read({ status: "all" });
    expect(all.header).toEqual([...DUPLICATE_CSV_COLUMNS]);
    const everyCase = await db.duplicateCase.findMany({ select: { merchantOrderId: true } });
    expect(new Set(all.records.map((r) => r.merchant_order_id))).toEqual(new Set(everyCase.map((c) => c.merchantOrderId)));
    // Each case once: no case and currency twice (a page's last case repeated at the top of the next would be).
    const keys = all.records.map((r) => `${r.provider} ${r.merchant_order_id} ${r.overpaid_currency}`);
    expect(new Set(keys).size).toBe(keys.length);

    const lines = all.records.filter((r) => r.merchant_order_id === mixed.orderId);
    const resolved = await caseFor(db, "payermax", mixed.orderId);
    const time = wallClockFormat("Asia/Jakarta");
    expect(lines).toEqual(
      [
        ["2.50", "EUR"],
        ["10.10", "USD"],
      ].map(([amount, currency]) => ({
        opened_at: time.format(resolved.openedAt),
        time_zone: "Asia/Jakarta",
        provider: "payermax",
        merchant_order_id: mixed.orderId,
        flagged_by: "provider",
        state: "resolved",
        payments: "3",
        overpaid_amount: amount,
        overpaid_currency: currency,
        resolution: "Other",
        // A spreadsheet would run a cell starting with "=": the export neutralises it.
        resolution_note: "'=SUM(A1), split refund",
        resolved_at: time.format(resolved.resolvedAt!),
        resolved_by: finance.email,
      })),
    );
    // A detected case whose payments all count: one line, Payhook's flag.
    const detected = all.records.find((r) => r.provider === "paycools" && r.state === "open");
    expect(detected).toMatchObject({ flagged_by: "Payhook", resolution: "", resolved_at: "", resolved_by: "" });

    const open = await read({ status: "open", provider: "paycools" });
    expect(open.records.length).toBeGreaterThan(0);
    for (const record of open.records) expect(record).toMatchObject({ provider: "paycools", state: "open" });
    const openCases = await db.duplicateCase.count({ where: { provider: "paycools", resolvedAt: null } });
    expect(new Set(open.records.map((r) => r.merchant_order_id)).size).toBe(openCases);
  });

  it("ends an export the client cancels quietly, without calling it a failure", async () => {
    const failures: unknown[] = [];
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    // Each read of the cases held back a moment, so the client can give up while the first page is being read.
    const slow = db.$extends({
      query: {
        $allModels: {
          async $allOperations({ args, query }) {
            await sleep(200);
            return query(args);
          },
        },
      },
    }) as unknown as Db;
    const reader = streamDuplicateCasesCsv(slow, { status: "all" }, "UTC", { onError: (error) => failures.push(error) }).getReader();
    await reader.read();
    const pending = reader.read();
    await sleep(50);
    await reader.cancel();
    expect(await pending).toEqual({ done: true, value: undefined });
    // The page's read ends after the cancel, and finds no one to write to.
    await sleep(600);
    expect(failures).toEqual([]);
  });
});
