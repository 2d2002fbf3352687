import type { Db } from "./client";

/** The client a transaction's work runs on. */
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/**
 * How long PostgreSQL lets one of Payhook's transactions sit idle before it
 * ends the session and rolls the transaction back. Behind a network partition
 * Payhook gives up on a transaction at the query timeout and drops its side of
 * the connection, but the server learns of that only when it reaches it, and
 * until then the transaction keeps its row locks (the active admins', a
 * duplicate case's). Prisma ends an interactive transaction after 5 s anyway,
 * so nothing legitimate waits this long.
 */
export const IDLE_IN_TRANSACTION_MS = 15_000;

/**
 * An interactive transaction that the server ends by itself when Payhook goes
 * quiet in the middle of it. `SET LOCAL` lasts for the transaction only, so it
 * holds behind a transaction-mode pooler as well.
 */
export function runTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>, { idleMs = IDLE_IN_TRANSACTION_MS } = {}): Promise<T> {
  if (!Number.isInteger(idleMs) || idleMs <= 0) throw new Error(`idleMs must be a positive whole number of milliseconds, got ${idleMs}`);
  return db.$transaction(async (tx) => {
    await tx.$executeRawUnsafe(`SET LOCAL idle_in_transaction_session_timeout = ${idleMs}`);
    return work(tx);
  });
}
