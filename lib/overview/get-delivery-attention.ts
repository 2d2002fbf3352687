import type { Db } from "@/lib/db/client";
import { REFUSED_AFTER_VERIFYING, REFUSED_BEFORE_VERIFYING } from "@/lib/deliveries/reprocess-delivery";

// Deliveries that need someone's attention: requests refused in the last days
// and not since processed again, grouped by provider and error code. Served by
// the (outcome, received_at) index; the latest reason per group is one indexed
// look-up per group, never a pass over the rows in JS.

export const ATTENTION_DAYS = 7;

export type AttentionGroup = {
  provider: string;
  errorCode: string | null;
  count: number;
  latestAt: Date;
  latestReason: string | null;
  /** Deliveries an admin can reprocess (the rule is reprocessRefusal's). */
  reprocessable: number;
};

type Raw = {
  provider: string;
  error_code: string | null;
  count: number;
  latest_at: Date;
  latest_reason: string | null;
  reprocessable: number;
};

export async function getDeliveryAttention(db: Db, options: { now?: Date; days?: number } = {}): Promise<AttentionGroup[]> {
  const since = new Date((options.now ?? new Date()).getTime() - (options.days ?? ATTENTION_DAYS) * 24 * 60 * 60 * 1000);
  const raw = await db.$queryRaw<Raw[]>`
    WITH groups AS (
      SELECT provider, error_code,
             COUNT(*)::int AS count,
             MAX(received_at) AS latest_at,
             (COUNT(*) FILTER (WHERE NOT body_truncated AND ((error_code = ANY(${REFUSED_AFTER_VERIFYING}::text[]) AND signature_valid IS TRUE)
                                                          OR error_code = ANY(${REFUSED_BEFORE_VERIFYING}::text[]))))::int AS reprocessable
      FROM deliveries
      WHERE outcome = 'rejected' AND received_at >= ${since}::timestamptz AND reprocessed_at IS NULL
      GROUP BY provider, error_code
    )
    SELECT g.provider, g.error_code, g.count, g.latest_at, g.reprocessable, latest.reason AS latest_reason
    FROM groups g
    LEFT JOIN LATERAL (
      SELECT d.reason
      FROM deliveries d
      WHERE d.provider = g.provider
        AND d.received_at = g.latest_at
        AND d.outcome = 'rejected'
        AND d.error_code IS NOT DISTINCT FROM g.error_code
      LIMIT 1
    ) latest ON true
    ORDER BY g.count DESC, g.provider, g.error_code`;
  return raw.map((row) => ({
    provider: row.provider,
    errorCode: row.error_code,
    count: row.count,
    latestAt: new Date(row.latest_at),
    latestReason: row.latest_reason,
    reprocessable: row.reprocessable,
  }));
}
