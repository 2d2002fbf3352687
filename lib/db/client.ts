import { PrismaPg } from "@prisma/adapter-pg";
import type { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { getEnv } from "@/lib/env";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { openPglite } from "./pglite";

export type Db = PrismaClient;

// The pg pool behind each PostgreSQL client, for the ingest, which sends its
// one statement on it directly as a prepared statement (lib/db/query-rows.ts):
// Prisma's per-query work costs more CPU than the database's own work on that
// path. Prisma and the ingest share the one pool, so DATABASE_POOL_SIZE
// still bounds the connections. Kept on globalThis for the reason getDb's
// client is: Next may evaluate this module more than once.
export type PostgresPool = {
  pool: pg.Pool;
  /** Whether the ingest's statements are prepared once per connection (DATABASE_PREPARED_STATEMENTS). */
  preparedStatements: boolean;
  /** Export cursors holding one of the pool's connections now (lib/transactions/find-transactions.ts). */
  exportCursors: { open: number };
};
const pools = ((globalThis as typeof globalThis & { __payhookPgPools?: WeakMap<Db, PostgresPool> }).__payhookPgPools ??= new WeakMap());

/** The pg pool a PostgreSQL client runs on; undefined for PGlite. */
export function postgresPoolOf(db: Db): PostgresPool | undefined {
  return pools.get(db);
}

// pg's error when a query is not answered within query_timeout.
const QUERY_READ_TIMEOUT = "Query read timeout";

/**
 * A pg client that hangs up when one of its queries times out. pg then only
 * stops waiting: the query stays on the connection, and whatever is sent there
 * next would queue behind it. The pool drops such a connection when it was
 * used through pool.query (released with the error), but a Prisma transaction
 * releases its connection without one after its ROLLBACK, which would itself
 * wait out the timeout. Ending the client (pg destroys the socket of a client
 * with a query in flight) makes that ROLLBACK fail at once, and the pool drops
 * an ended client on release. The server rolls back an open transaction once
 * it learns the connection is gone, which behind a partition may be late:
 * runTransaction (./run-transaction.ts) has the server end an idle one itself.
 */
class HangUpOnTimeoutClient extends pg.Client {
  // Every form of pg's query() passes through unchanged; only the promise form
  // (Prisma's) is watched, as the callback form is pool.query's.
  override query(...args: unknown[]): any {
    const result: unknown = (super.query as (...forms: unknown[]) => unknown).apply(this, args);
    if (result instanceof Promise) {
      result.catch((error: unknown) => {
        if (error instanceof Error && error.message === QUERY_READ_TIMEOUT) this.end().catch(() => undefined);
      });
    }
    return result;
  }
}

export type PostgresClientOptions = {
  /** Prepare the ingest's statements once per connection (DATABASE_PREPARED_STATEMENTS). */
  preparedStatements?: boolean;
  /**
   * How long a query may go unanswered before it fails and its connection is
   * dropped (DATABASE_QUERY_TIMEOUT_MS); none when left out (scripts, bulk work).
   */
  queryTimeoutMs?: number;
};

export function createPostgresClient(url: string, poolSize = 10, { preparedStatements = true, queryTimeoutMs }: PostgresClientOptions = {}): Db {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    // Fail fast when the server is away, so a webhook answers 503 in seconds, not minutes.
    connectionTimeoutMillis: 5_000,
    // Behind a network partition a connection takes a query and never answers; the
    // query fails after this long (isDatabaseUnavailable knows its error), and the
    // connection is dropped instead of lent out again. Without it, a dashboard page
    // would wait for the operating system to give up on the socket. It is a client-side
    // timer: a query the server is merely slow to run fails the same way (and may
    // still complete there), so it is set well above the dashboard's slowest query.
    ...(queryTimeoutMs ? { query_timeout: queryTimeoutMs, Client: HangUpOnTimeoutClient } : {}),
    idleTimeoutMillis: 30_000,
  });
  // An idle connection the server dropped is discarded by the pool; the next query reports the outage.
  pool.on("error", () => undefined);
  const client = new PrismaClient({ adapter: new PrismaPg(pool) });
  const disconnect = client.$disconnect.bind(client);
  // Prisma leaves a pool it was given open; ending the client ends its pool too.
  client.$disconnect = async () => {
    await disconnect();
    if (!pool.ending) await pool.end();
  };
  pools.set(client, { pool, preparedStatements, exportCursors: { open: 0 } });
  return client;
}

export function prismaForPglite(pglite: PGlite): Db {
  return new PrismaClient({ adapter: new PrismaPGlite(pglite) });
}

export async function createPgliteClient(dir: string): Promise<Db> {
  return prismaForPglite(await openPglite(dir));
}

/**
 * No DATABASE_URL on Vercel. The embedded database would live on one function
 * instance's temporary disk: what it acknowledged would be gone when the
 * instance is, and each instance would see a ledger of its own. A build's
 * migrations and every request refuse it instead (webhooks answer 503, so the
 * providers retry until the variable is set).
 */
export class DatabaseNotConfiguredError extends Error {
  override name = "DatabaseNotConfiguredError";
  constructor() {
    super(
      "DATABASE_URL is not set: on Vercel the embedded database would keep notifications on a function's temporary disk and lose them. " +
        "Set DATABASE_URL to your PostgreSQL database's connection string (its pooled one) in the project's environment variables.",
    );
  }
}

// One client per process. Kept on globalThis because Next may evaluate this
// module more than once (per route bundle, and again on every dev reload), and
// an embedded database folder may be opened by one owner only.
const holder = globalThis as typeof globalThis & { __payhookDb?: Promise<Db> };

export function getDb(): Promise<Db> {
  if (!holder.__payhookDb) {
    const env = getEnv();
    if (!env.DATABASE_URL && env.VERCEL) return Promise.reject(new DatabaseNotConfiguredError());
    holder.__payhookDb = env.DATABASE_URL
      ? Promise.resolve(
          createPostgresClient(env.DATABASE_URL, env.DATABASE_POOL_SIZE, {
            preparedStatements: env.DATABASE_PREPARED_STATEMENTS,
            queryTimeoutMs: env.DATABASE_QUERY_TIMEOUT_MS,
          }),
        )
      : createPgliteClient(env.PGLITE_DIR);
    holder.__payhookDb.catch(() => {
      holder.__payhookDb = undefined;
    });
  }
  return holder.__payhookDb;
}
