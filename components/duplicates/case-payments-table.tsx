import Link from "next/link";
import { PAYMENT_ROLE_LABELS } from "@/components/transaction-detail/labels";
import { ZonedTime } from "@/components/transaction-detail/zoned-time";
import { StatusBadge } from "@/components/ui/status-badge";
import type { CasePayment } from "@/lib/duplicates/find-duplicate-cases";
import { formatMoney } from "@/lib/format";

const th = "px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-600";
const td = "px-3 py-2 align-top";

const ROLE_STYLE: Record<string, string> = { original: "succeeded", declared: "declared", detected: "detected", extra: "detected", attempt: "cancelled" };

export function CasePaymentsTable({ payments, caption, timeZone }: { payments: CasePayment[]; caption: string; timeZone: string }) {
  return (
    <div className="overflow-x-auto">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-50">
          <tr>
            <th scope="col" className={th}>
              First seen ({timeZone})
            </th>
            <th scope="col" className={th}>Provider transaction ID</th>
            <th scope="col" className={`${th} text-right`}>Amount</th>
            <th scope="col" className={th}>Status</th>
            <th scope="col" className={th}>Role</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {payments.map((p) => (
            <tr key={p.id} className={p.overpaid ? "bg-orange-50/50" : undefined}>
              <td className={td}>
                <ZonedTime value={p.firstSeenAt} timeZone={timeZone} />
              </td>
              <td className={td}>
                <Link
                  href={`/transactions/${p.id}`}
                  className="break-all font-mono text-xs text-indigo-700 underline-offset-2 hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-400"
                >
                  {p.providerTransactionId}
                </Link>
              </td>
              <td className={`${td} tabular whitespace-nowrap text-right`}>{formatMoney(p.amount, p.currency)}</td>
              <td className={td}>
                <StatusBadge status={p.status} />
              </td>
              <td className={td}>
                <StatusBadge status={ROLE_STYLE[p.role] ?? "cancelled"} label={PAYMENT_ROLE_LABELS[p.role] ?? p.role} />
                {p.overpaid ? <span className="ml-2 text-xs text-orange-800">counted as overpaid</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
