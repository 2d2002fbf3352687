import { StatusBadge } from "@/components/ui/status-badge";
import type { EventSummary } from "@/lib/transactions/get-transaction";
import { ZonedTime } from "./zoned-time";

const th = "px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-600";
const td = "px-3 py-2 align-top";

const NOT_APPLIED = {
  stale: { label: "not applied: stale", help: "a non-final state that arrived after a final one" },
  conflicting: { label: "not applied: conflicting", help: "a second, different final state" },
} as const;

export function EventsTable({ events, deliveryCounts, timeZone }: { events: EventSummary[]; deliveryCounts: Map<string, number>; timeZone: string }) {
  return (
    <div className="overflow-x-auto">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <caption className="sr-only">Distinct events for this transaction, oldest first</caption>
        <thead className="bg-slate-50">
          <tr>
            <th scope="col" className={th}>
              First received ({timeZone})
            </th>
            <th scope="col" className={th}>Event</th>
            <th scope="col" className={th}>Provider status</th>
            <th scope="col" className={th}>Status</th>
            <th scope="col" className={th}>Effect</th>
            <th scope="col" className={th}>Deliveries</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {events.map((e) => (
            <tr key={e.id} className={e.notApplied ? "bg-amber-50/60" : undefined}>
              <td className={td}>
                <ZonedTime value={e.receivedAt} timeZone={timeZone} />
              </td>
              <td className={`${td} break-all font-mono text-xs`}>{e.eventName ?? e.eventKey}</td>
              <td className={`${td} font-mono text-xs`}>{e.providerStatus}</td>
              <td className={td}>
                <StatusBadge status={e.status} />
              </td>
              <td className={td}>
                {e.notApplied ? (
                  <>
                    <StatusBadge status={e.notApplied === "conflicting" ? "failed" : "pending"} label={NOT_APPLIED[e.notApplied].label} />
                    <span className="block text-xs text-slate-600">{NOT_APPLIED[e.notApplied].help}</span>
                  </>
                ) : (
                  <StatusBadge status="succeeded" label="applied" />
                )}
              </td>
              <td className={`${td} tabular`}>{deliveryCounts.get(e.id) ?? 0}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
