import Link from "next/link";
import { StatusBadge } from "@/components/ui/status-badge";
import { formatMoney } from "@/lib/format";
import type { RelatedTransaction, TransactionDetail } from "@/lib/transactions/get-transaction";
import { KIND_LABELS } from "./labels";
import { ZonedTime } from "./zoned-time";

const th = "px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-600";
const td = "px-3 py-2 align-top";

type Row = { relation: string; t: RelatedTransaction };

export function RelatedTransactions({ related, timeZone }: { related: TransactionDetail["related"]; timeZone: string }) {
  const rows: Row[] = [
    ...(related.original ? [{ relation: "Original payment", t: related.original }] : []),
    ...related.duplicates.map((t) => ({ relation: t.duplicateSource === "declared" ? "Declared duplicate" : "Detected duplicate", t })),
    ...related.sameOrder.map((t) => ({ relation: "Same merchant order", t })),
  ];
  if (rows.length === 0) return <p className="text-sm text-slate-600">No other transaction shares this order, and none is a duplicate of it.</p>;
  return (
    <div className="overflow-x-auto">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <caption className="sr-only">Related transactions</caption>
        <thead className="bg-slate-50">
          <tr>
            <th scope="col" className={th}>Relation</th>
            <th scope="col" className={th}>Provider transaction ID</th>
            <th scope="col" className={th}>Order</th>
            <th scope="col" className={th}>Status</th>
            <th scope="col" className={`${th} text-right`}>Amount</th>
            <th scope="col" className={th}>
              First seen ({timeZone})
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map(({ relation, t }) => (
            <tr key={t.id}>
              <td className={td}>
                {relation}
                {t.kind !== "payment" ? <span className="block text-xs text-slate-500">{KIND_LABELS[t.kind] ?? t.kind}</span> : null}
              </td>
              <td className={td}>
                <Link
                  href={`/transactions/${t.id}`}
                  className="break-all font-mono text-xs text-indigo-700 underline-offset-2 hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-400"
                >
                  {t.providerTransactionId}
                </Link>
              </td>
              <td className={`${td} break-all font-mono text-xs`}>{t.merchantOrderId}</td>
              <td className={td}>
                <StatusBadge status={t.status} />
              </td>
              <td className={`${td} tabular text-right`}>{formatMoney(t.amount, t.currency)}</td>
              <td className={td}>
                <ZonedTime value={t.firstSeenAt} timeZone={timeZone} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
