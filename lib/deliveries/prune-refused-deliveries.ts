import type { Db } from "@/lib/db/client";

// Deletes old refusals that no signature vouched for: forged, unsigned or
// unreadable requests, signatures checked against the wrong key, and requests
// refused for want of the provider's key. A sender without a key can post them
// at will (to a provider this merchant does not use, every one is refused for
// want of a key), so they are kept for a retention period, long enough to see
// an attack or a misconfiguration and, for a missing key, to configure it and
// reprocess what it turned away, and no longer. Nothing refers to them: no
// event, transaction or case is made from an unverified request. Kept for good:
// every accepted or duplicate delivery, and every refusal whose signature
// verified (a genuine notification, the only record of a payment once the
// provider stops retrying).

export type PruneOptions = {
  /** Refusals received before this instant go. */
  cutoff: Date;
  /** Counts of refusals per sender and minute (lib/deliveries/refusal-budget.ts) that began before this instant go. */
  windowsCutoff: Date;
  /** Rows per DELETE: each is one short transaction, so webhooks never wait long on it. */
  batchSize?: number;
  /** Counts per DELETE: small rows, so more of them at once. */
  windowBatchSize?: number;
  /** Stops after the batch that ends past this many milliseconds; the next run goes on. */
  timeBudgetMs?: number;
};

export type PruneResult = {
  deleted: number;
  /** False when the time budget ran out after a full batch: refusals or counts older than their cutoff may be left. */
  complete: boolean;
  /** Counts of refusals per sender and minute deleted. */
  refusalWindowsDeleted: number;
};

export const PRUNE_BATCH_SIZE = 1_000;
export const PRUNE_WINDOW_BATCH_SIZE = 10_000;
/** No new batch starts after this, well inside the route's maxDuration; the next run goes on. */
export const PRUNE_TIME_BUDGET_MS = 40_000;
const DAY_MS = 24 * 60 * 60 * 1000;
/**
 * How long the counts of refusals per sender and minute are kept: the limit
 * reads the current minute and the Deliveries page the last 24 hours. Under a
 * flood from many addresses they are a row per request, so they go sooner
 * than the refusals.
 */
export const REFUSAL_WINDOW_RETENTION_MS = 2 * DAY_MS;

/** Refusals received before this instant are past a retention period of `days` at `now`. */
export function retentionCutoff(now: Date, days: number): Date {
  return new Date(now.getTime() - days * DAY_MS);
}

/** The instant from which a prunable delivery received at `receivedAt` is past a retention period of `days`. */
export function retentionEnds(receivedAt: Date, days: number): Date {
  return new Date(receivedAt.getTime() + days * DAY_MS);
}

/** Whether the job deletes this delivery once it is past the retention period: the rule its SQL applies. */
export function isPrunable(delivery: { outcome: string; signatureValid: boolean | null }): boolean {
  return delivery.outcome === "rejected" && delivery.signatureValid !== true;
}

export async function pruneRefusedDeliveries(db: Db, options: PruneOptions): Promise<PruneResult> {
  const batchSize = options.batchSize ?? PRUNE_BATCH_SIZE;
  const deadline = performance.now() + (options.timeBudgetMs ?? PRUNE_TIME_BUDGET_MS);
  // The counts first: under a flood from many addresses they grow fastest, and their rows are small and quick to
  // delete, so a backlog of refusals that takes every run's whole budget cannot leave them growing.
  const windows = await pruneRefusalWindows(db, options.windowsCutoff, options.windowBatchSize ?? PRUNE_WINDOW_BATCH_SIZE, deadline);
  const refusals = windows.complete ? await pruneRefusals(db, options.cutoff, batchSize, deadline) : { deleted: 0, complete: false };
  return { deleted: refusals.deleted, complete: windows.complete && refusals.complete, refusalWindowsDeleted: windows.deleted };
}

type Pruned = { deleted: number; complete: boolean };

async function pruneRefusalWindows(db: Db, cutoff: Date, batchSize: number, deadline: number): Promise<Pruned> {
  let deleted = 0;
  for (;;) {
    const count = await db.$executeRaw`
      DELETE FROM refusal_windows WHERE (source_ip, starts_at) IN (
        SELECT source_ip, starts_at FROM refusal_windows WHERE starts_at < ${cutoff}::timestamptz
        ORDER BY starts_at LIMIT ${batchSize} FOR UPDATE SKIP LOCKED)`;
    deleted += count;
    if (count < batchSize) return { deleted, complete: true };
    if (performance.now() >= deadline) return { deleted, complete: false };
  }
}

async function pruneRefusals(db: Db, cutoff: Date, batchSize: number, deadline: number): Promise<Pruned> {
  let deleted = 0;
  // Where the next batch starts: older refusals are gone or kept, so no batch reads the kept ones again.
  let from = new Date(0);
  for (;;) {
    // Oldest first through the (outcome, received_at) index. SKIP LOCKED lets two runs share the work: a batch
    // cut short by rows another run holds ends this run, and that run deletes them.
    const [row] = await db.$queryRaw<{ deleted: number; last: Date | null }[]>`
      WITH doomed AS (
        SELECT id FROM deliveries
        WHERE outcome = 'rejected'
          AND received_at >= ${from}::timestamptz
          AND received_at < ${cutoff}::timestamptz
          AND signature_valid IS NOT TRUE
        ORDER BY received_at
        LIMIT ${batchSize}
        FOR UPDATE SKIP LOCKED
      ), gone AS (
        DELETE FROM deliveries d USING doomed WHERE d.id = doomed.id RETURNING d.received_at
      )
      SELECT count(*)::int AS deleted, max(received_at) AS last FROM gone`;
    const count = row?.deleted ?? 0;
    deleted += count;
    if (count < batchSize || !row?.last) return { deleted, complete: true };
    from = row.last;
    if (performance.now() >= deadline) return { deleted, complete: false };
  }
}
