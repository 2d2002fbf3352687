import Link from "next/link";
import { formatDateTime, PROVIDER_LABELS } from "@/lib/format";
import type { AttentionGroup } from "@/lib/overview/get-delivery-attention";

function deliveriesLink(group: AttentionGroup): string {
  const params = new URLSearchParams({ provider: group.provider, outcome: "rejected" });
  if (group.errorCode) params.set("errorCode", group.errorCode);
  return `/deliveries?${params.toString()}`;
}

export function AttentionCard({ groups, days, timeZone }: { groups: AttentionGroup[]; days: number; timeZone: string }) {
  const total = groups.reduce((sum, group) => sum + group.count, 0);
  return (
    <section aria-labelledby="attention" className="rounded-lg border border-slate-200 bg-white">
      <div className="flex items-start justify-between gap-3 border-b border-slate-100 px-4 py-3">
        <div>
          <h2 id="attention" className="font-semibold">
            Deliveries that need attention
          </h2>
          <p className="text-xs text-slate-500">Requests refused in the last {days} days and not since reprocessed.</p>
        </div>
        <p className={`text-2xl font-semibold tabular ${total > 0 ? "text-red-700" : "text-slate-400"}`} aria-label={`${total} rejected`}>
          {total.toLocaleString("en-US")}
        </p>
      </div>
      {groups.length === 0 ? (
        <p className="px-4 py-6 text-sm text-slate-600">Nothing was rejected in the last {days} days.</p>
      ) : (
        <ul className="divide-y divide-slate-100">
          {groups.map((group) => (
            <li key={`${group.provider}:${group.errorCode}`} className="px-4 py-2 text-sm">
              <div className="flex flex-wrap items-baseline justify-between gap-2">
                <Link
                  href={deliveriesLink(group)}
                  className="text-indigo-700 hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-300"
                >
                  {PROVIDER_LABELS[group.provider] ?? group.provider}: <span className="font-mono">{group.errorCode ?? "unknown"}</span>
                </Link>
                <span className="tabular text-slate-700">
                  {group.count.toLocaleString("en-US")} {group.count === 1 ? "delivery" : "deliveries"}
                </span>
              </div>
              {group.latestReason ? <p className="line-clamp-2 break-words text-xs text-slate-600">{group.latestReason}</p> : null}
              <p className="text-xs text-slate-500">
                Latest {formatDateTime(group.latestAt, timeZone)}
                {group.reprocessable > 0 ? ` · ${group.reprocessable} can be reprocessed by an admin` : ""}
              </p>
            </li>
          ))}
        </ul>
      )}
      <div className="border-t border-slate-100 px-4 py-2 text-sm">
        <Link
          href="/deliveries?outcome=rejected"
          className="text-indigo-700 hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-300"
        >
          All rejected deliveries →
        </Link>
      </div>
    </section>
  );
}
