import type { Db } from "@/lib/db/client";
import { REFUSED_BEFORE_VERIFYING } from "./reprocess-delivery";

// Deletes old refusals that no signature vouched for: forged, unsigned or
// unreadable requests, and signatures checked against the wrong key. A sender
// without a key can post them at will, so they are kept for a retention period
// (long enough to see an attack or a misconfiguration) and no longer.
// Nothing refers to them: no event, transaction or case is made from an
// unverified request. Kept for good: every accepted or duplicate delivery, every
// refusal whose signature verified (a genuine notification, the only record of
// a payment once the provider stops retrying), and refusals made before any
// check could run for want of the provider's key, which reprocessing can still
// turn into transactions.

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
export function isPrunable(delivery: { outcome: string; signatureValid: boolean | null; errorCode: string | null }): boolean {
  return delivery.outcome === "rejected" && delivery.signatureValid !== true && !REFUSED_BEFORE_VERIFYING.includes(delivery.errorCode ?? "");
}

export async function pruneRefusedDeliveries(db: Db, options: PruneOptions): Promise<PruneResult> {
  const batchSize = options.batchSize ?? PRUNE_BATCH_SIZE;
  const budget = options.timeBudgetMs ?? PRUNE_TIME_BUDGET_MS;
  const started = performance.now();
  let deleted = 0;
  for (;;) {
    // Oldest first through the (outcome, received_at) index; SKIP LOCKED lets two runs share the work.
    const [row] = await db.$queryRaw<{ deleted: number }[]>`
      WITH doomed AS (
        SELECT id FROM deliveries
        WHERE outcome = 'rejected'
          AND received_at < ${options.cutoff}::timestamptz
          AND signature_valid IS NOT TRUE
          AND (error_code IS NULL OR error_code <> ALL (${REFUSED_BEFORE_VERIFYING}::text[]))
        ORDER BY received_at
        LIMIT ${batchSize}
        FOR UPDATE SKIP LOCKED
      ), gone AS (
        DELETE FROM deliveries d USING doomed WHERE d.id = doomed.id RETURNING 1
      )
      SELECT count(*)::int AS deleted FROM gone`;
    const count = row?.deleted ?? 0;
    deleted += count;
    if (count < batchSize) return { deleted, complete: true };
    if (performance.now() - started >= budget) return { deleted, complete: false };
  }
}
