import Link from "next/link";
import { deliveriesHref, type DeliveryFilterValues } from "./deliveries-href";

const button =
  "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-300";
const disabled = "rounded-md border border-slate-200 px-3 py-1.5 text-sm text-slate-400";

/** Newer / older by keyset cursor; there are no page numbers because nothing counts the whole table. */
export function DeliveriesPagination({ filters, newer, older }: { filters: DeliveryFilterValues; newer: string | null; older: string | null }) {
  if (!newer && !older) return null;
  return (
    <nav aria-label="Pagination" className="mt-4 flex flex-wrap items-center justify-end gap-2">
      {newer ? (
        <Link href={deliveriesHref(filters)} className={button}>
          Newest
        </Link>
      ) : null}
      {newer ? (
        <Link href={deliveriesHref(filters, { before: newer })} className={button} rel="prev">
          ← Newer
        </Link>
      ) : (
        <span className={disabled} aria-disabled="true">
          ← Newer
        </span>
      )}
      {older ? (
        <Link href={deliveriesHref(filters, { after: older })} className={button} rel="next">
          Older →
        </Link>
      ) : (
        <span className={disabled} aria-disabled="true">
          Older →
        </span>
      )}
    </nav>
  );
}
