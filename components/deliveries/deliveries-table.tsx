import Link from "next/link";
import { StatusBadge } from "@/components/ui/status-badge";
import { isSenderFilter, type DeliveryListRow } from "@/lib/deliveries/find-deliveries";
import { formatDateTime, PROVIDER_LABELS } from "@/lib/format";
import { deliveriesHref } from "./deliveries-href";
import { formatBytes, SignatureSummary } from "./signature-summary";

const link = "text-indigo-700 hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-300";

export function DeliveriesTable({ rows, timeZone }: { rows: DeliveryListRow[]; timeZone: string }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="w-full min-w-[760px] text-sm">
        <caption className="sr-only">Webhook deliveries, newest first</caption>
        <thead className="bg-slate-50 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="px-3 py-2">Received ({timeZone}) and provider</th>
            <th scope="col" className="px-3 py-2">Outcome and transaction</th>
            <th scope="col" className="px-3 py-2">Error and reason</th>
            <th scope="col" className="px-3 py-2">Signature</th>
            <th scope="col" className="px-3 py-2">Request</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 align-top">
          {rows.map((row) => (
            <tr key={row.id} className="hover:bg-slate-50">
              <th scope="row" className="whitespace-nowrap px-3 py-2 text-left font-normal">
                <Link href={`/deliveries/${row.id}`} className={`${link} tabular`}>
                  <span className="sr-only">Delivery received </span>
                  {formatDateTime(row.receivedAt, timeZone)}
                </Link>
                <span className="block text-slate-700">{PROVIDER_LABELS[row.provider] ?? row.provider}</span>
              </th>
              <td className="whitespace-nowrap px-3 py-2">
                <StatusBadge status={row.outcome} />
                <span className="ml-2 font-mono text-xs text-slate-600" title="HTTP status answered">
                  {row.httpStatus}
                </span>
                {row.reprocessedAt ? <span className="mt-1 block text-xs text-slate-500">reprocessed</span> : null}
                {row.transactionId ? (
                  <Link href={`/transactions/${row.transactionId}`} className={`${link} mt-1 block text-xs`}>
                    View transaction
                  </Link>
                ) : null}
              </td>
              <td className="max-w-md px-3 py-2">
                {row.errorCode ? <span className="font-mono text-xs text-red-800">{row.errorCode}</span> : <span className="text-slate-400">—</span>}
                {row.reason ? (
                  <p className="line-clamp-2 break-words text-xs text-slate-600" title={row.reason}>
                    {row.reason}
                  </p>
                ) : null}
              </td>
              <td className="px-3 py-2">
                <SignatureSummary valid={row.signatureValid} fingerprint={row.keyFingerprint} />
              </td>
              <td className="whitespace-nowrap px-3 py-2 text-xs text-slate-600">
                <span className="font-mono">{row.method}</span> · {formatBytes(row.bodySize)}
                {row.bodyTruncated ? " (truncated)" : ""}
                {row.sourceIp && row.outcome === "rejected" && isSenderFilter(row.sourceIp) ? (
                  <Link href={deliveriesHref({ sender: row.sourceIp })} className={`${link} block font-mono`} aria-label={`Refusals from ${row.sourceIp}`}>
                    {row.sourceIp}
                  </Link>
                ) : (
                  <span className="block font-mono">{row.sourceIp ?? "no source IP"}</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
