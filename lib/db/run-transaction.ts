import { postgresPoolOf, type Db } from "./client";

/** The client a transaction's work runs on. */
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/**
 * How long PostgreSQL lets one of these transactions sit idle before it ends
 * the session and rolls the transaction back. Behind a network partition
 * Payhook gives up on a transaction at the query timeout and drops its side of
 * the connection, but the server does not hear of it until the operating
 * system gives up on the socket, and until then the transaction keeps its row
 * locks (the active admins', a duplicate case's). Prisma ends an interactive
 * transaction after 5 s anyway, so nothing legitimate waits this long.
 */
export const IDLE_IN_TRANSACTION_MS = 15_000;

/** PostgreSQL's largest value for a timeout in milliseconds. */
const MAX_TIMEOUT_MS = 2_147_483_647;

/**
 * An interactive transaction that the server ends by itself when Payhook goes
 * quiet in the middle of it. The setting is the transaction's own (`set_config`
 * with is_local, as `SET LOCAL`), so it holds behind a transaction-mode pooler
 * as well and never outlives the transaction. The embedded database has no
 * network to lose, and a server-side end there would take down its only
 * session: it is left alone.
 */
export function runTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>, { idleMs = IDLE_IN_TRANSACTION_MS } = {}): Promise<T> {
  if (!Number.isInteger(idleMs) || idleMs <= 0 || idleMs > MAX_TIMEOUT_MS) {
    throw new Error(`idleMs must be a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS}, got ${idleMs}`);
  }
  const overServer = postgresPoolOf(db) !== undefined;
  return db.$transaction(async (tx) => {
    if (overServer) await tx.$executeRaw`SELECT set_config('idle_in_transaction_session_timeout', ${String(idleMs)}, true)`;
    return work(tx);
  });
}
