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
  /** Rows per DELETE: each is one short transaction, so webhooks never wait long on it. */
  batchSize?: number;
  /** Stops after the batch that ends past this many milliseconds; the next run goes on. */
  timeBudgetMs?: number;
};

export type PruneResult = {
  deleted: number;
  /** False when the time budget ran out after a full batch: refusals older than the cutoff may be left. */
  complete: boolean;
};

export const PRUNE_BATCH_SIZE = 1_000;
/** No new batch starts after this, well inside the route's maxDuration; the next run goes on. */
export const PRUNE_TIME_BUDGET_MS = 40_000;
const DAY_MS = 24 * 60 * 60 * 1000;

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
  const budget = options.timeBudgetMs ?? PRUNE_TIME_BUDGET_MS;
  const started = performance.now();
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
          AND received_at < ${options.cutoff}::timestamptz
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
    if (performance.now() - started >= budget) return { deleted, complete: false };
  }
}
