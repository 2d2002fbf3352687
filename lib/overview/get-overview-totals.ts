import type { Db } from "@/lib/db/client";
import { todayAndThisMonth, type Period } from "./zoned-calendar";

// Today's and this month's succeeded and failed totals per provider, currency
// and kind, plus an all-providers line per currency and kind. One pass over the
// month's range of the first_seen_at index; amounts are summed as NUMERIC in SQL
// and leave the database as exact decimal text.

export type Figures = { count: number; amount: string };
export type PeriodFigures = { succeeded: Figures; failed: Figures };

export type TotalsRow = {
  /** Null on the line that adds up every provider for this currency and kind. */
  provider: string | null;
  currency: string;
  kind: "payment" | "payout" | "refund";
  today: PeriodFigures;
  month: PeriodFigures;
};

export type OverviewTotals = { timeZone: string; today: Period; month: Period; rows: TotalsRow[] };

type Raw = {
  provider: string | null;
  currency: string;
  kind: TotalsRow["kind"];
  today_succeeded_count: number;
  today_succeeded_amount: string;
  today_failed_count: number;
  today_failed_amount: string;
  month_succeeded_count: number;
  month_succeeded_amount: string;
  month_failed_count: number;
  month_failed_amount: string;
};

export async function getOverviewTotals(db: Db, options: { timeZone: string; now?: Date }): Promise<OverviewTotals> {
  const { today, month } = todayAndThisMonth(options.now ?? new Date(), options.timeZone);
  const raw = await db.$queryRaw<Raw[]>`
    WITH month AS (
      SELECT provider, currency, kind, status, amount,
             (first_seen_at >= ${today.from}::timestamptz AND first_seen_at < ${today.to}::timestamptz) AS is_today
      FROM transactions
      WHERE first_seen_at >= ${month.from}::timestamptz
        AND first_seen_at < ${month.to}::timestamptz
        AND status IN ('succeeded', 'failed')
    )
    SELECT CASE WHEN GROUPING(provider) = 1 THEN NULL ELSE provider END AS provider,
           currency::text AS currency,
           kind::text AS kind,
           (COUNT(*) FILTER (WHERE is_today AND status = 'succeeded'))::int AS today_succeeded_count,
           COALESCE(trim_scale(SUM(amount) FILTER (WHERE is_today AND status = 'succeeded')), 0)::text AS today_succeeded_amount,
           (COUNT(*) FILTER (WHERE is_today AND status = 'failed'))::int AS today_failed_count,
           COALESCE(trim_scale(SUM(amount) FILTER (WHERE is_today AND status = 'failed')), 0)::text AS today_failed_amount,
           (COUNT(*) FILTER (WHERE status = 'succeeded'))::int AS month_succeeded_count,
           COALESCE(trim_scale(SUM(amount) FILTER (WHERE status = 'succeeded')), 0)::text AS month_succeeded_amount,
           (COUNT(*) FILTER (WHERE status = 'failed'))::int AS month_failed_count,
           COALESCE(trim_scale(SUM(amount) FILTER (WHERE status = 'failed')), 0)::text AS month_failed_amount
    FROM month
    GROUP BY GROUPING SETS ((currency, kind, provider), (currency, kind))
    ORDER BY currency, kind, GROUPING(provider), provider`;

  const rows = raw.map(
    (row): TotalsRow => ({
      provider: row.provider,
      currency: row.currency,
      kind: row.kind,
      today: {
        succeeded: { count: row.today_succeeded_count, amount: row.today_succeeded_amount },
        failed: { count: row.today_failed_count, amount: row.today_failed_amount },
      },
      month: {
        succeeded: { count: row.month_succeeded_count, amount: row.month_succeeded_amount },
        failed: { count: row.month_failed_count, amount: row.month_failed_amount },
      },
    }),
  );
  // An all-providers line only says something when more than one provider shares the currency.
  const providersPer = new Map<string, number>();
  for (const row of rows) {
    if (row.provider) providersPer.set(`${row.currency}:${row.kind}`, (providersPer.get(`${row.currency}:${row.kind}`) ?? 0) + 1);
  }
  return {
    timeZone: options.timeZone,
    today,
    month,
    rows: rows.filter((row) => row.provider !== null || (providersPer.get(`${row.currency}:${row.kind}`) ?? 0) > 1),
  };
}
