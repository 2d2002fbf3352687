import type { Db } from "@/lib/db/client";
import { lastDays, startOfLocalDate, addDays, type LocalDate } from "./zoned-calendar";

// Succeeded and failed volume per calendar day (in the user's zone), currency
// and kind, for the last `days` days. The database groups and sums; this module
// only fills in the days that had nothing, so every series has every day.

export type DailyPoint = {
  day: LocalDate;
  succeededCount: number;
  /** Exact decimal text, summed as NUMERIC. */
  succeededAmount: string;
  failedCount: number;
  failedAmount: string;
};

export type DailySeries = { currency: string; kind: "payment" | "payout" | "refund"; points: DailyPoint[] };

export type DailyVolume = { timeZone: string; days: LocalDate[]; series: DailySeries[] };

type Raw = {
  day: string;
  currency: string;
  kind: DailySeries["kind"];
  succeeded_count: number;
  succeeded_amount: string;
  failed_count: number;
  failed_amount: string;
};

export async function getDailyVolume(db: Db, options: { timeZone: string; days?: number; now?: Date }): Promise<DailyVolume> {
  const { timeZone } = options;
  const days = lastDays(options.now ?? new Date(), timeZone, options.days ?? 30);
  const from = startOfLocalDate(days[0]!, timeZone);
  const to = startOfLocalDate(addDays(days[days.length - 1]!, 1), timeZone);

  // Grouped on the calendar date itself; it becomes text once per group, not once per row.
  const raw = await db.$queryRaw<Raw[]>`
    SELECT to_char(day, 'YYYY-MM-DD') AS day, currency::text AS currency, kind::text AS kind,
           succeeded_count, succeeded_amount, failed_count, failed_amount
    FROM (
      SELECT (first_seen_at AT TIME ZONE ${timeZone}::text)::date AS day,
             currency,
             kind,
             (COUNT(*) FILTER (WHERE status = 'succeeded'))::int AS succeeded_count,
             COALESCE(trim_scale(SUM(amount) FILTER (WHERE status = 'succeeded')), 0)::text AS succeeded_amount,
             (COUNT(*) FILTER (WHERE status = 'failed'))::int AS failed_count,
             COALESCE(trim_scale(SUM(amount) FILTER (WHERE status = 'failed')), 0)::text AS failed_amount
      FROM transactions
      WHERE first_seen_at >= ${from}::timestamptz
        AND first_seen_at < ${to}::timestamptz
        AND status IN ('succeeded', 'failed')
      GROUP BY 1, 2, 3
    ) AS daily
    ORDER BY currency, kind, daily.day`;

  const byKey = new Map<string, Map<string, Raw>>();
  for (const row of raw) {
    const key = `${row.currency}:${row.kind}`;
    if (!byKey.has(key)) byKey.set(key, new Map());
    byKey.get(key)!.set(row.day, row);
  }
  const series = [...byKey.entries()].map(([key, byDay]): DailySeries => {
    const [currency, kind] = key.split(":") as [string, DailySeries["kind"]];
    return {
      currency,
      kind,
      points: days.map((day) => {
        const row = byDay.get(day);
        return {
          day,
          succeededCount: row?.succeeded_count ?? 0,
          succeededAmount: row?.succeeded_amount ?? "0",
          failedCount: row?.failed_count ?? 0,
          failedAmount: row?.failed_amount ?? "0",
        };
      }),
    };
  });
  return { timeZone, days, series };
}
