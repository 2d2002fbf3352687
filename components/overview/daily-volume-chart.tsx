"use client";

import { useId, useMemo, useState } from "react";
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis, type TooltipContentProps } from "recharts";
import { formatMoney } from "@/lib/format";
import type { DailyPoint, DailySeries } from "@/lib/overview/get-daily-volume";
import { DailyVolumeTable } from "./daily-volume-table";
import { countOf, KIND_LABELS } from "./labels";

// Succeeded volume per day for one currency at a time (amounts in different
// currencies cannot share an axis). Amounts become numbers only to size the
// bars; the tooltip and the table beside the chart show the exact sums.

const KIND_COLOURS: Record<string, string> = { payment: "#4f46e5", payout: "#0891b2", refund: "#d97706" };

type Row = { day: string } & Record<string, number | string | DailyPoint>;

const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });

function shortDay(day: string): string {
  const [, month, date] = day.split("-");
  return `${date}/${month}`;
}

function ExactTooltip({ active, payload, label, currency, kinds }: TooltipContentProps & { currency: string; kinds: string[] }) {
  if (!active || !payload?.length) return null;
  const row = payload[0]!.payload as Row;
  return (
    <div className="rounded-md border border-slate-200 bg-white px-3 py-2 text-xs shadow-md">
      <p className="mb-1 font-medium text-slate-900">{String(label)}</p>
      {kinds.map((kind) => {
        const point = row[`exact_${kind}`] as DailyPoint;
        return (
          <p key={kind} className="tabular text-slate-700">
            {KIND_LABELS[kind]}: {formatMoney(point.succeededAmount, currency)} ({countOf(point.succeededCount, kind)})
            {point.failedCount > 0 ? `, ${point.failedCount} failed` : ""}
          </p>
        );
      })}
    </div>
  );
}

export function DailyVolumeChart({ series, days, timeZone }: { series: DailySeries[]; days: string[]; timeZone: string }) {
  const currencies = useMemo(() => {
    // Busiest currency first, so the chart opens on what matters most.
    const counts = new Map<string, number>();
    for (const s of series) counts.set(s.currency, (counts.get(s.currency) ?? 0) + s.points.reduce((n, p) => n + p.succeededCount, 0));
    return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([currency]) => currency);
  }, [series]);
  const [chosen, setCurrency] = useState(currencies[0] ?? "");
  // After a refresh (another zone, new data) the chosen currency may be gone.
  const currency = currencies.includes(chosen) ? chosen : (currencies[0] ?? "");
  const selectId = useId();
  const headingId = useId();

  const shown = series.filter((s) => s.currency === currency);
  const kinds = shown.map((s) => s.kind);
  const data: Row[] = days.map((day, index) => {
    const row: Row = { day };
    for (const s of shown) {
      const point = s.points[index]!;
      row[s.kind] = Number(point.succeededAmount);
      row[`exact_${s.kind}`] = point;
    }
    return row;
  });

  return (
    <section aria-labelledby={headingId} className="rounded-lg border border-slate-200 bg-white">
      <div className="flex flex-wrap items-end justify-between gap-3 border-b border-slate-100 px-4 py-3">
        <div>
          <h2 id={headingId} className="font-semibold">
            Succeeded volume per day, last {days.length} days
          </h2>
          <p className="text-xs text-slate-500">Days in {timeZone}, by when Payhook first received each transaction.</p>
        </div>
        {currencies.length > 0 ? (
          <div className="flex items-center gap-2 text-sm">
            <label htmlFor={selectId} className="text-slate-600">
              Currency
            </label>
            <select
              id={selectId}
              value={currency}
              onChange={(event) => setCurrency(event.target.value)}
              className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm focus:outline-none focus:ring-2 focus:ring-indigo-300"
            >
              {currencies.map((code) => (
                <option key={code} value={code}>
                  {code}
                </option>
              ))}
            </select>
          </div>
        ) : null}
      </div>
      {currencies.length === 0 ? (
        <p className="px-4 py-6 text-sm text-slate-600">No succeeded or failed transactions in the last {days.length} days.</p>
      ) : (
        <div className="px-2 pt-4">
          <BarChart
            responsive
            style={{ width: "100%", height: 280 }}
            data={data}
            margin={{ top: 4, right: 12, bottom: 4, left: 4 }}
            title={`Succeeded ${currency} volume per day`}
          >
            <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e2e8f0" />
            <XAxis dataKey="day" tickFormatter={shortDay} tick={{ fontSize: 11 }} interval="preserveStartEnd" minTickGap={12} />
            <YAxis tickFormatter={(value: number) => compact.format(value)} tick={{ fontSize: 11 }} width={56} />
            <Tooltip content={(props) => <ExactTooltip {...props} currency={currency} kinds={kinds} />} cursor={{ fill: "#eef2ff" }} />
            {kinds.length > 1 ? <Legend formatter={(value: string) => KIND_LABELS[value] ?? value} wrapperStyle={{ fontSize: 12 }} /> : null}
            {kinds.map((kind) => (
              <Bar key={kind} dataKey={kind} name={kind} fill={KIND_COLOURS[kind] ?? "#64748b"} radius={[3, 3, 0, 0]} isAnimationActive={false} />
            ))}
          </BarChart>
        </div>
      )}
      {currencies.length > 0 ? (
        <details className="border-t border-slate-100 px-4 py-3 text-sm">
          <summary className="cursor-pointer text-indigo-700 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-300">
            Exact figures per day ({currency})
          </summary>
          <DailyVolumeTable series={shown} days={days} currency={currency} />
        </details>
      ) : null}
    </section>
  );
}
