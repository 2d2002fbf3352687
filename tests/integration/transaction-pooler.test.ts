import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { findSessionAccount } from "@/lib/auth/find-session-account";
import { createPostgresClient, type Db } from "@/lib/db/client";
import { migrateDatabase } from "@/lib/db/migrate";
import { withPgClient } from "@/lib/db/with-pg-client";
import { findDuplicateCases } from "@/lib/duplicates/find-duplicate-cases";
import { resolveDuplicateCase } from "@/lib/duplicates/resolve-duplicate-case";
import { getOverviewTotals } from "@/lib/overview/get-overview-totals";
import { findProvider } from "@/lib/providers/registry";
import { newMerchantOrderId, newPayermaxTradeOrderNo, paycoolsIdParam, paycoolsParam, payermaxBody } from "@/lib/simulator/samples";
import { signFor } from "@/lib/simulator/sign";
import { findTransactions } from "@/lib/transactions/find-transactions";
import { getTransaction } from "@/lib/transactions/get-transaction";
import { DEFAULT_QUERY } from "@/lib/transactions/transaction-query-params";
import { handleWebhook } from "@/lib/webhooks/handle-webhook";
import { findPgbouncer, startPgbouncer, type Pgbouncer } from "../helpers/pgbouncer";
import { backends, createTestDatabase, type TestDatabase, withEmptyDatabase } from "../helpers/test-database";
import { installProviderKeys, type ProviderName } from "../helpers/test-keys";

// Behind a pooler in transaction mode (PgBouncer before 1.21, or one set up
// without prepared-statement support) each transaction, and each statement
// outside one, may run on another server connection. What the README tells a
// Vercel operator is tested here through a real PgBouncer with fewer server
// connections than the app's pool has clients: with
// DATABASE_PREPARED_STATEMENTS=false the migrations, the webhook ingest, the
// dashboard's reads, the session check and an admin's resolution all work,
// and the migrations leave no lock behind on the pooler's server connections;
// with prepared statements on, deliveries whose statement lands on another
// server connection fail with PostgreSQL's prepared-statement error, and none
// of those is acknowledged. PostgreSQL only, and only where pgbouncer is
// installed (CI installs it).

const pgbouncer = findPgbouncer();
// CI installs it: there, a missing binary is a broken set-up, not a reason to skip these tests.
if (process.env.CI && backends.includes("postgres") && !pgbouncer) throw new Error("CI is set but pgbouncer is not installed: install Debian's pgbouncer package");
const keys = installProviderKeys();
const SERVER_CONNECTIONS = 2;
// The migration lock (Prisma's key) as held in the database a client is connected to.
const HELD_MIGRATION_LOCKS =
  "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objid = 72707369 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())";
const CLIENT_POOL = 6;

type Sent = { provider: ProviderName; payload: Record<string, unknown> };

async function deliver(db: Db, { provider, payload }: Sent): Promise<Response> {
  const signed = signFor(provider, payload, keys[provider].privateKey);
  const request = new Request(`http://localhost/api/webhooks/${provider}`, { method: "POST", headers: signed.headers, body: new Uint8Array(signed.body) });
  return handleWebhook(request, provider, { db: async () => db, findProvider, now: () => new Date() });
}

/** Notifications from all three providers, a detected and a declared duplicate among them. */
function notifications(count: number): Sent[] {
  const sent: Sent[] = [];
  for (let i = 0; i < count; i++) {
    sent.push({ provider: "paycools", payload: paycoolsParam() });
    sent.push({ provider: "paycools-id", payload: paycoolsIdParam() });
    sent.push({ provider: "payermax", payload: payermaxBody() });
  }
  const paidTwice = newMerchantOrderId("PC");
  sent.push({ provider: "paycools", payload: paycoolsParam({ orderId: paidTwice, referenceNumber: null }) });
  sent.push({ provider: "paycools", payload: paycoolsParam({ orderId: paidTwice, referenceNumber: null }) });
  const declaredOrder = newMerchantOrderId("PM");
  const tradeOrderNo = newPayermaxTradeOrderNo();
  sent.push({ provider: "payermax", payload: payermaxBody({ orderId: declaredOrder, transactionId: tradeOrderNo, amount: "10.00", currency: "USD" }) });
  sent.push({ provider: "payermax", payload: payermaxBody({ orderId: declaredOrder, amount: "10.00", currency: "USD", duplicateOf: { orderId: declaredOrder, tradeOrderNo } }) });
  return sent;
}

describe.runIf(backends.includes("postgres") && pgbouncer)("behind a transaction-mode pooler (PgBouncer)", () => {
  let database: TestDatabase;
  let bouncer: Pgbouncer;
  const clients: Db[] = [];

  function pooledClient(preparedStatements: boolean): Db {
    const db = createPostgresClient(bouncer.url(database.url!), CLIENT_POOL, { preparedStatements });
    clients.push(db);
    return db;
  }

  beforeAll(async () => {
    database = await createTestDatabase("postgres");
    bouncer = await startPgbouncer(pgbouncer!, database.url!, SERVER_CONNECTIONS);
  });

  afterAll(async () => {
    await Promise.all(clients.map((db) => db.$disconnect()));
    await bouncer?.stop();
    await database?.close();
  });

  it("applies the migrations through the pooler and leaves no lock behind, so the next deployment's migrations run too", async () => {
    await withEmptyDatabase("payhook_pooled", async (direct) => {
      const pooled = bouncer.url(direct);
      expect((await migrateDatabase({ url: pooled })).applied.length).toBeGreaterThan(0);
      // The pooler keeps its server connections: a lock tied to one of them would outlive the run.
      const held = await withPgClient(direct, (client) => client.query(HELD_MIGRATION_LOCKS));
      expect(held.rows).toEqual([]);
      // The next deployments, through the pooler and directly: nothing left to apply, and nothing waits.
      expect(await migrateDatabase({ url: pooled }, { lockTimeoutMs: 5_000 })).toEqual({ applied: [] });
      expect(await migrateDatabase({ url: direct }, { lockTimeoutMs: 5_000 })).toEqual({ applied: [] });
    });
  });

  it("with DATABASE_PREPARED_STATEMENTS=false, stores every notification once, retries and duplicates included", async () => {
    const db = pooledClient(false);
    const first = notifications(8);
    // About one in three comes again: a provider's retry of a delivery it had no answer to.
    const sent = [...first, ...first.filter((_, i) => i % 3 === 0)];
    const responses = await Promise.all(sent.map((notification) => deliver(db, notification)));
    const answers = await Promise.all(responses.map(async (response) => ({ status: response.status, body: await response.text() })));
    sent.forEach(({ provider }, i) => {
      expect(answers[i], `${provider} #${i}: ${bouncer.log().slice(-2000)}`).toEqual({ status: 200, body: JSON.stringify(findProvider(provider)!.acknowledgement) });
    });

    // Read back on the server directly, not through the pooler under test.
    const stored = await database.db.transaction.count();
    expect(stored).toBe(first.length);
    // Every delivery is kept: the first of each as accepted, its repeats as acknowledged duplicates.
    expect(await database.db.delivery.count({ where: { outcome: "accepted" } })).toBe(first.length);
    expect(await database.db.delivery.count({ where: { outcome: "duplicate" } })).toBe(sent.length - first.length);
    expect(await database.db.duplicateCase.count()).toBe(2);
  });

  it("serves the dashboard's reads, the session check and an admin's resolution through the pooler", async () => {
    const db = pooledClient(false);
    const admin = await database.db.user.create({ data: { email: "pooled-admin@example.com", role: "admin", passwordHash: "not-a-real-hash" } });
    // Its own notifications, so that this test stands alone: every provider, a detected and a declared duplicate.
    for (const notification of notifications(1)) expect((await deliver(db, notification)).status).toBe(200);

    const page = await findTransactions(db, DEFAULT_QUERY, "UTC");
    expect(page.rows.length).toBeGreaterThanOrEqual(7);
    const detail = await getTransaction(db, page.rows[0]!.id);
    expect(detail?.id).toBe(page.rows[0]!.id);
    expect(detail?.deliveries.length).toBeGreaterThan(0);
    const totals = await getOverviewTotals(db, { timeZone: "Asia/Jakarta" });
    expect(totals.rows.some((row) => row.provider !== null && row.today.succeeded.count > 0)).toBe(true);

    // Several at once, so that the statement runs on more than one server connection.
    const accounts = await Promise.all(Array.from({ length: 8 }, (_, i) => findSessionAccount(db, admin.id, `session-${i}`)));
    for (const account of accounts) expect(account).toMatchObject({ id: admin.id, role: "admin", revoked: false });

    const open = (await findDuplicateCases(db)).cases.filter((openCase) => openCase.state === "open");
    expect(open.length).toBeGreaterThanOrEqual(2);
    for (const openCase of open) {
      expect(await resolveDuplicateCase(db, { id: admin.id, role: "admin" }, { caseId: openCase.id, resolution: "refunded" })).toEqual({ ok: true });
    }
    expect(await database.db.duplicateCase.count({ where: { resolution: null } })).toBe(0);
  });

  it("with prepared statements on, the same pooler fails deliveries with PostgreSQL's error, and acknowledges none of those", async () => {
    const db = pooledClient(true);
    const logged: string[] = [];
    const spy = vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(" ")));
    try {
      const statuses: number[] = [];
      // Waves of concurrent deliveries: the pool opens several clients, and each one's
      // first statement is prepared on whichever server connection the pooler lends it.
      for (let wave = 0; wave < 3; wave++) {
        const responses = await Promise.all(notifications(4).map((notification) => deliver(db, notification)));
        for (const response of responses) {
          statuses.push(response.status);
          if (response.status !== 200) expect(await response.json()).toMatchObject({ error: { code: "internal_error" } });
        }
      }
      expect(statuses.filter((status) => status !== 200).length, `statuses: ${statuses.join(",")}`).toBeGreaterThan(0);
      expect(logged.join("\n")).toMatch(/prepared statement "payhook_[\w-]+" (does not exist|already exists)/);
    } finally {
      spy.mockRestore();
    }
  });
});
