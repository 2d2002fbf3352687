import Link from "next/link";
import { StatusBadge } from "@/components/ui/status-badge";
import type { DuplicateCaseSummary } from "@/lib/duplicates/find-duplicate-cases";
import { duplicatesHref } from "@/lib/duplicates/duplicates-query";
import { formatDateTime, formatMoney, PROVIDER_LABELS } from "@/lib/format";

export function OpenDuplicatesCard({ count, recent, timeZone }: { count: number; recent: DuplicateCaseSummary[]; timeZone: string }) {
  return (
    <section aria-labelledby="open-duplicates" className="rounded-lg border border-slate-200 bg-white">
      <div className="flex items-start justify-between gap-3 border-b border-slate-100 px-4 py-3">
        <div>
          <h2 id="open-duplicates" className="font-semibold">
            Open duplicate payments
          </h2>
          <p className="text-xs text-slate-500">Orders paid more than once that nobody has resolved yet.</p>
        </div>
        <p className={`text-2xl font-semibold tabular ${count > 0 ? "text-orange-700" : "text-slate-400"}`} aria-label={`${count} open`}>
          {count.toLocaleString("en-US")}
        </p>
      </div>
      {recent.length === 0 ? (
        <p className="px-4 py-6 text-sm text-slate-600">No open cases: every order paid twice has been dealt with.</p>
      ) : (
        <ul className="divide-y divide-slate-100">
          {recent.map((item) => (
            <li key={item.id} className="px-4 py-2 text-sm">
              <div className="flex flex-wrap items-center gap-2">
                <Link
                  href={duplicatesHref({ case: item.id })}
                  className="font-mono text-indigo-700 hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-300"
                >
                  {item.merchantOrderId}
                </Link>
                <span className="text-slate-600">{PROVIDER_LABELS[item.provider] ?? item.provider}</span>
                {item.declared ? <StatusBadge status="declared" /> : null}
                {item.detected ? <StatusBadge status="detected" /> : null}
              </div>
              <p className="text-xs text-slate-500">
                {item.payments.length} payments · opened {formatDateTime(item.openedAt, timeZone)}
                {item.overpaid.length > 0 ? ` · overpaid ${item.overpaid.map((o) => formatMoney(o.amount, o.currency)).join(" + ")}` : ""}
              </p>
            </li>
          ))}
        </ul>
      )}
      <div className="border-t border-slate-100 px-4 py-2 text-sm">
        <Link href="/duplicates" className="text-indigo-700 hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-300">
          All duplicate payments →
        </Link>
      </div>
    </section>
  );
}
