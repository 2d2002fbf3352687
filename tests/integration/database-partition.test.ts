import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPostgresClient, postgresPoolOf, type Db } from "@/lib/db/client";
import { isDatabaseUnavailable } from "@/lib/db/errors";
import { runTransaction } from "@/lib/db/run-transaction";
import { withPgClient } from "@/lib/db/with-pg-client";
import { findTransactions } from "@/lib/transactions/find-transactions";
import { DEFAULT_QUERY } from "@/lib/transactions/transaction-query-params";
import { freePort, TcpProxy } from "../reliability/lib/tcp-proxy";
import { backends, createTestDatabase, type TestDatabase } from "../helpers/test-database";

// A network partition between the app and PostgreSQL: connections that were
// working take queries and never answer. The dashboard's queries must fail
// after DATABASE_QUERY_TIMEOUT_MS with an error read as "database away" (a 503
// for the APIs, the error page for pages), and the pool must drop the stuck
// connection rather than lend it out again. PostgreSQL only: the embedded
// database has no network to lose.

// Long enough that a second timeout (a ROLLBACK queued behind the stuck query) lands past the bound below.
const QUERY_TIMEOUT_MS = 1_500;

/** Settles with the outcome of `work`, or "pending" if it has not settled after `ms`. */
async function within<T>(work: Promise<T>, ms: number): Promise<{ value?: T; error?: unknown } | "pending"> {
  let timer: NodeJS.Timeout | undefined;
  const pending = new Promise<"pending">((resolve) => (timer = setTimeout(() => resolve("pending"), ms)));
  const outcome = work.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  try {
    return await Promise.race([outcome, pending]);
  } finally {
    clearTimeout(timer);
  }
}

describe.runIf(backends.includes("postgres"))("a dashboard query behind a network partition", () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  const clients: Db[] = [];

  /** A client of the test database through the proxy, warmed up: its pool holds one working connection. */
  async function proxiedClient(queryTimeoutMs?: number): Promise<Db> {
    const url = new URL(database.url!);
    url.host = `127.0.0.1:${proxy.port}`;
    const db = createPostgresClient(url.toString(), 2, { queryTimeoutMs });
    clients.push(db);
    await findTransactions(db, DEFAULT_QUERY, "UTC");
    expect(postgresPoolOf(db)!.pool.totalCount).toBe(1);
    return db;
  }

  beforeAll(async () => {
    database = await createTestDatabase("postgres");
    const upstream = new URL(database.url!);
    proxy = new TcpProxy(await freePort(), { host: upstream.hostname, port: Number(upstream.port || 5432) });
    await proxy.start();
  });

  afterAll(async () => {
    await proxy.close();
    for (const db of clients) await db.$disconnect().catch(() => undefined);
    await database.close();
  });

  /** Runs `work` behind the partition; it must fail at the query timeout as "database away", leaving the pool empty. */
  async function expectCutOff(db: Db, what: string, work: () => Promise<unknown>): Promise<void> {
    const started = Date.now();
    const outcome = await within(work(), QUERY_TIMEOUT_MS + 6_000);
    const elapsed = Date.now() - started;
    expect(outcome, `${what} was still waiting`).not.toBe("pending");
    expect(outcome !== "pending" && "error" in outcome, `${what} succeeded behind a partition`).toBe(true);
    const error = outcome !== "pending" ? outcome.error : undefined;
    expect(isDatabaseUnavailable(error), `${what}: ${String(error)}`).toBe(true);
    // At the query timeout itself: not a second timeout (a ROLLBACK queued behind the stuck query),
    // nor the pool's 5 s connection timeout.
    expect(elapsed, what).toBeGreaterThanOrEqual(QUERY_TIMEOUT_MS - 50);
    expect(elapsed, what).toBeLessThan(QUERY_TIMEOUT_MS + 1_000);
    expect(postgresPoolOf(db)!.pool.totalCount, `${what}: the pool still holds the connection that stopped answering`).toBe(0);
  }

  it.each([
    ["the transactions page's query (Prisma)", (db: Db) => findTransactions(db, DEFAULT_QUERY, "UTC")],
    ["a raw query", (db: Db) => db.$queryRaw`SELECT 1`],
  ])("%s fails at the query timeout, as the database being away, and its connection is dropped", async (what, query) => {
    const db = await proxiedClient(QUERY_TIMEOUT_MS);
    await proxy.stall();
    try {
      await expectCutOff(db, what, () => query(db));
    } finally {
      await proxy.restore();
    }
    // Healed: the same client works again.
    expect((await findTransactions(db, DEFAULT_QUERY, "UTC")).rows).toEqual([]);
  }, 20_000);

  it("a transaction cut off half-way fails at the query timeout too, and its connection is dropped", async () => {
    const db = await proxiedClient(QUERY_TIMEOUT_MS);
    try {
      await expectCutOff(db, "an interactive transaction", () =>
        db.$transaction(async (tx) => {
          await tx.$queryRaw`SELECT 1`;
          await proxy.stall();
          return tx.$queryRaw`SELECT 2`;
        }),
      );
    } finally {
      await proxy.restore();
    }
    expect((await findTransactions(db, DEFAULT_QUERY, "UTC")).rows).toEqual([]);
  }, 20_000);

  /** Whether the advisory lock `key` can be taken (and is then let go) from a connection of its own, within `ms`. */
  function lockFreedWithin(key: number, ms: number): Promise<boolean> {
    return withPgClient(database.url!, async (direct) => {
      for (const deadline = Date.now() + ms; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 100))) {
        const { rows } = await direct.query<{ taken: boolean }>("SELECT pg_try_advisory_lock($1) AS taken", [key]);
        if (rows[0]!.taken) {
          await direct.query("SELECT pg_advisory_unlock($1)", [key]);
          return true;
        }
      }
      return false;
    });
  }

  /** Takes an advisory lock in a transaction, then the partition cuts it off; whether the server lets the lock go. */
  async function cutOffTransaction(how: "runTransaction" | "a bare $transaction", ends: boolean): Promise<void> {
    const db = await proxiedClient(QUERY_TIMEOUT_MS);
    const key = 4_000 + Math.floor(Math.random() * 1_000);
    const work = async (tx: Pick<Db, "$executeRawUnsafe" | "$queryRawUnsafe">) => {
      await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${key})`);
      await proxy.stall();
      return tx.$queryRawUnsafe("SELECT 1");
    };
    try {
      await expect(how === "runTransaction" ? runTransaction(db, work, { idleMs: 500 }) : db.$transaction(work)).rejects.toThrow(/Query read timeout/);
      // Payhook has hung up, but the partition keeps that from the server: only its own timeout ends the transaction.
      expect(await lockFreedWithin(key, 3_000), `${how}: the transaction's lock is ${ends ? "still held" : "gone"}`).toBe(ends);
    } finally {
      await proxy.restore();
    }
  }

  it("with runTransaction, the server ends a transaction cut off by a partition and lets its locks go", () => cutOffTransaction("runTransaction", true), 20_000);

  it("with a bare $transaction (the control), the server keeps such a transaction and its locks", () => cutOffTransaction("a bare $transaction", false), 20_000);

  it("without a query timeout, the same query is still waiting (what the timeout is for)", async () => {
    const db = await proxiedClient();
    await proxy.stall();
    try {
      expect(await within(findTransactions(db, DEFAULT_QUERY, "UTC"), QUERY_TIMEOUT_MS + 1_000)).toBe("pending");
    } finally {
      await proxy.restore();
    }
  }, 20_000);
});
