import { Money } from "@/components/ui/money";
import { PROVIDER_LABELS } from "@/lib/format";
import type { Figures, PeriodFigures, TotalsRow } from "@/lib/overview/get-overview-totals";
import { countOf, KIND_LABELS } from "./labels";

// One period's succeeded and failed totals per provider, kind and currency.
// Every amount was summed by the database; this only formats it.

function FiguresCell({ figures, currency, kind, tone }: { figures: Figures; currency: string; kind: string; tone: "good" | "bad" }) {
  if (figures.count === 0) return <span className="text-slate-400">—</span>;
  return (
    <div className="text-right">
      <div className={tone === "bad" ? "text-red-800" : "text-slate-900"}>
        <Money amount={figures.amount} currency={currency} />
      </div>
      <div className="text-xs text-slate-500">{countOf(figures.count, kind)}</div>
    </div>
  );
}

export function TotalsCard({
  title,
  subtitle,
  rows,
  pick,
  emptyText,
}: {
  title: string;
  subtitle: string;
  rows: TotalsRow[];
  pick: "today" | "month";
  emptyText: string;
}) {
  const shown = rows.filter((row) => {
    const period: PeriodFigures = row[pick];
    return period.succeeded.count + period.failed.count > 0;
  });
  const headingId = `totals-${pick}`;
  return (
    <section aria-labelledby={headingId} className="rounded-lg border border-slate-200 bg-white">
      <div className="border-b border-slate-100 px-4 py-3">
        <h2 id={headingId} className="font-semibold">
          {title}
        </h2>
        <p className="text-xs text-slate-500">{subtitle}</p>
      </div>
      {shown.length === 0 ? (
        <p className="px-4 py-6 text-sm text-slate-600">{emptyText}</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-sm">
            <caption className="sr-only">
              {title}: succeeded and failed transactions per provider, kind and currency
            </caption>
            <thead className="bg-slate-50 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
              <tr>
                <th scope="col" className="px-4 py-2">Provider</th>
                <th scope="col" className="px-2 py-2">Kind</th>
                <th scope="col" className="px-2 py-2">Currency</th>
                <th scope="col" className="px-2 py-2 text-right">Succeeded</th>
                <th scope="col" className="px-4 py-2 text-right">Failed</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {shown.map((row) => {
                const period = row[pick];
                const total = row.provider === null;
                return (
                  <tr key={`${row.provider ?? "all"}:${row.currency}:${row.kind}`} className={total ? "bg-slate-50 font-medium" : undefined}>
                    <th scope="row" className="px-4 py-2 text-left font-medium">
                      {total ? "All providers" : (PROVIDER_LABELS[row.provider!] ?? row.provider)}
                    </th>
                    <td className="px-2 py-2">{KIND_LABELS[row.kind] ?? row.kind}</td>
                    <td className="px-2 py-2 font-mono text-xs">{row.currency}</td>
                    <td className="px-2 py-2">
                      <FiguresCell figures={period.succeeded} currency={row.currency} kind={row.kind} tone="good" />
                    </td>
                    <td className="px-4 py-2">
                      <FiguresCell figures={period.failed} currency={row.currency} kind={row.kind} tone="bad" />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
