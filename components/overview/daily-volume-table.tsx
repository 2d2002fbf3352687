import { formatMoney } from "@/lib/format";
import type { DailySeries } from "@/lib/overview/get-daily-volume";
import { KIND_LABELS } from "./labels";

/** The chart's figures exactly, newest day first, leaving out days with nothing. */
export function DailyVolumeTable({ series, days, currency }: { series: DailySeries[]; days: string[]; currency: string }) {
  const rows = days
    .map((day, index) => ({ day, index }))
    .reverse()
    .flatMap(({ day, index }) => series.map((s) => ({ day, kind: s.kind, point: s.points[index]! })))
    .filter(({ point }) => point.succeededCount > 0 || point.failedCount > 0);
  return (
    <div className="mt-2 max-h-80 overflow-auto">
      <table className="w-full text-sm">
        <caption className="sr-only">Succeeded and failed {currency} transactions per day</caption>
        <thead className="sticky top-0 bg-white text-left text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="py-1 pr-4">Day</th>
            <th scope="col" className="py-1 pr-4">Kind</th>
            <th scope="col" className="py-1 pr-4 text-right">Succeeded</th>
            <th scope="col" className="py-1 text-right">Failed</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map(({ day, kind, point }) => (
            <tr key={`${day}:${kind}`}>
              <th scope="row" className="tabular py-1 pr-4 text-left font-normal">
                {day}
              </th>
              <td className="py-1 pr-4">{KIND_LABELS[kind]}</td>
              <td className="tabular py-1 pr-4 text-right">
                {formatMoney(point.succeededAmount, currency)} <span className="text-xs text-slate-500">({point.succeededCount})</span>
              </td>
              <td className="tabular py-1 text-right">
                {point.failedCount > 0 ? (
                  <>
                    {formatMoney(point.failedAmount, currency)} <span className="text-xs text-slate-500">({point.failedCount})</span>
                  </>
                ) : (
                  "—"
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
