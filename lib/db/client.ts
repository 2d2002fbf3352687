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
};
const pools = ((globalThis as typeof globalThis & { __payhookPgPools?: WeakMap<Db, PostgresPool> }).__payhookPgPools ??= new WeakMap());

/** The pg pool a PostgreSQL client runs on; undefined for PGlite. */
export function postgresPoolOf(db: Db): PostgresPool | undefined {
  return pools.get(db);
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
    // pool drops the connection instead of lending it out again. Without it, a
    // dashboard page would wait for the operating system to give up on the socket.
    ...(queryTimeoutMs ? { query_timeout: queryTimeoutMs } : {}),
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
  pools.set(client, { pool, preparedStatements });
  return client;
}

export function prismaForPglite(pglite: PGlite): Db {
  return new PrismaClient({ adapter: new PrismaPGlite(pglite) });
}

export async function createPgliteClient(dir: string): Promise<Db> {
  return prismaForPglite(await openPglite(dir));
}

// One client per process. Kept on globalThis because Next may evaluate this
// module more than once (per route bundle, and again on every dev reload), and
// an embedded database folder may be opened by one owner only.
const holder = globalThis as typeof globalThis & { __payhookDb?: Promise<Db> };

export function getDb(): Promise<Db> {
  if (!holder.__payhookDb) {
    const env = getEnv();
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
