import Link from "next/link";
import { StatusBadge } from "@/components/ui/status-badge";
import type { DeliverySummary } from "@/lib/transactions/get-transaction";
import { ZonedTime } from "./zoned-time";

const th = "px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-600";
const td = "px-3 py-2 align-top";

function formatBytes(size: number): string {
  return size < 1024 ? `${size} B` : `${(size / 1024).toFixed(1)} KiB`;
}

function Headers({ headers }: { headers: Record<string, string> }) {
  const names = Object.keys(headers).sort();
  return (
    <details className="max-w-md">
      <summary className="cursor-pointer rounded text-indigo-700 hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-400">
        {names.length} header{names.length === 1 ? "" : "s"}
      </summary>
      <dl className="mt-2 space-y-1 text-xs">
        {names.map((name) => (
          <div key={name} className="break-all">
            <dt className="inline font-mono font-semibold text-slate-700">{name}: </dt>
            <dd className="inline font-mono text-slate-600">{headers[name]}</dd>
          </div>
        ))}
      </dl>
      <p className="mt-1 text-xs text-slate-500">Secrets (cookies, authorization, tokens) were redacted when stored.</p>
    </details>
  );
}

export function DeliveriesTable({
  deliveries,
  shownId,
  basePath,
  timeZone,
}: {
  deliveries: DeliverySummary[];
  shownId: string | null;
  basePath: string;
  timeZone: string;
}) {
  return (
    <div className="overflow-x-auto">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <caption className="sr-only">Deliveries of this transaction, oldest first</caption>
        <thead className="bg-slate-50">
          <tr>
            <th scope="col" className={th}>
              Received ({timeZone})
            </th>
            <th scope="col" className={th}>Outcome</th>
            <th scope="col" className={th}>HTTP</th>
            <th scope="col" className={th}>Signature</th>
            <th scope="col" className={th}>Source IP</th>
            <th scope="col" className={th}>Size</th>
            <th scope="col" className={th}>Headers</th>
            <th scope="col" className={th}>Body</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {deliveries.map((d, index) => (
            <tr key={d.id} className={d.id === shownId ? "bg-indigo-50/60" : undefined}>
              <td className={td}>
                <ZonedTime value={d.receivedAt} timeZone={timeZone} />
                {index > 0 && d.outcome === "duplicate" ? <span className="block text-xs text-slate-500">provider retry</span> : null}
              </td>
              <td className={td}>
                <StatusBadge status={d.outcome} />
              </td>
              <td className={`${td} tabular`}>{d.httpStatus}</td>
              <td className={td}>
                {d.signatureValid === true ? "valid" : d.signatureValid === false ? "invalid" : "not checked"}
                {d.keyFingerprint ? <span className="block max-w-[14rem] break-all font-mono text-xs text-slate-600">{d.keyFingerprint}</span> : null}
              </td>
              <td className={`${td} font-mono text-xs`}>{d.sourceIp ?? "—"}</td>
              <td className={`${td} tabular whitespace-nowrap`}>
                {formatBytes(d.bodySize)}
                {d.bodyTruncated ? <span className="block text-xs text-amber-700">truncated</span> : null}
              </td>
              <td className={td}>
                <Headers headers={d.headers} />
              </td>
              <td className={td}>
                {d.id === shownId ? (
                  <span className="text-xs font-medium text-indigo-800">shown below</span>
                ) : (
                  <Link
                    href={`${basePath}?delivery=${d.id}#raw-body`}
                    className="whitespace-nowrap text-indigo-700 underline-offset-2 hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-400"
                    aria-label={`Show the body of the delivery received ${d.receivedAt.toISOString()}`}
                  >
                    Show body
                  </Link>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
