import Link from "next/link";
import { createColumnHelper, metaHelper, rowPaginationFeature, rowSortingFeature, tableFeatures } from "@tanstack/react-table";
import { StatusBadge } from "@/components/ui/status-badge";
import type { TransactionTableRow } from "./transaction-table-row";

// Columns of the transactions table. Sorting and paging happen in the
// database (manualSorting / manualPagination): the table only holds their state.

export type TransactionColumnMeta = { align?: "end"; nowrap?: boolean };
export type TransactionTableMeta = { timeZone: string };

export const transactionTableFeatures = tableFeatures({
  rowSortingFeature,
  rowPaginationFeature,
  columnMeta: metaHelper<TransactionColumnMeta>(),
  tableMeta: metaHelper<TransactionTableMeta>(),
});

const column = createColumnHelper<typeof transactionTableFeatures, TransactionTableRow>();

const muted = <span className="text-slate-400">—</span>;

const DUPLICATE_TITLES = {
  declared: "Duplicate payment: the provider declared it a duplicate of an earlier payment",
  detected: "Duplicate payment: Payhook found an earlier successful payment for this one-time order",
  original: "The first payment of an order that was paid more than once",
} as const;

function ConflictMarker({ conflictingStatus }: { conflictingStatus: string | null }) {
  const detail = `The provider also reported ${conflictingStatus ?? "another final status"}; the first final status is kept.`;
  return (
    <span title={detail} className="ml-1 inline-flex items-center rounded px-1 text-xs font-semibold text-red-700 ring-1 ring-inset ring-red-600/30">
      <span aria-hidden="true">!</span>
      <span className="sr-only">{detail}</span>
      <span aria-hidden="true" className="ml-0.5">conflict</span>
    </span>
  );
}

/** Column ids double as the URL's sort keys for the sortable ones. */
export const transactionColumns = column.columns([
  column.accessor("firstSeen", {
    id: "time",
    header: ({ table }) => `First seen (${table.options.meta?.timeZone ?? "UTC"})`,
    sortDescFirst: true,
    meta: { nowrap: true },
    cell: (info) => (
      <time dateTime={info.row.original.firstSeenIso} className="tabular">
        {info.getValue()}
      </time>
    ),
  }),
  column.accessor("providerLabel", { id: "provider", header: "Provider" }),
  column.accessor("kind", { header: "Kind", enableSorting: false }),
  column.accessor("merchantOrderId", {
    id: "merchantOrderId",
    header: "Merchant order",
    cell: (info) => (
      <Link
        href={`/transactions/${info.row.original.id}`}
        className="font-mono text-xs text-indigo-700 underline-offset-2 hover:underline focus:outline-none focus:ring-2 focus:ring-indigo-300"
      >
        {info.getValue()}
      </Link>
    ),
  }),
  column.accessor("providerTransactionId", {
    header: "Provider transaction",
    enableSorting: false,
    cell: (info) => <span className="font-mono text-xs">{info.getValue()}</span>,
  }),
  column.accessor("status", {
    id: "status",
    header: "Status",
    meta: { nowrap: true },
    cell: (info) => (
      <span className="inline-flex items-center" title={`Provider status: ${info.row.original.providerStatus}`}>
        <StatusBadge status={info.getValue()} />
        {info.row.original.statusConflict ? <ConflictMarker conflictingStatus={info.row.original.conflictingStatus} /> : null}
      </span>
    ),
  }),
  column.accessor("amountDisplay", {
    id: "amount",
    header: "Amount",
    sortDescFirst: true,
    meta: { align: "end", nowrap: true },
    cell: (info) => (
      <span className="tabular" title={`Raw amount from the provider: ${info.row.original.rawAmount}`}>
        {info.getValue()}
      </span>
    ),
  }),
  column.accessor("currency", {
    header: () => (
      <>
        <span aria-hidden="true" title="Currency">
          Ccy
        </span>
        <span className="sr-only">Currency</span>
      </>
    ),
    enableSorting: false,
  }),
  column.display({
    id: "channel",
    header: "Channel / method",
    cell: ({ row }) => {
      const parts = [row.original.channel, row.original.paymentMethod].filter(Boolean);
      return parts.length > 0 ? parts.join(" · ") : muted;
    },
  }),
  column.accessor("referenceNumber", {
    header: "Reference / VA",
    enableSorting: false,
    cell: (info) => (info.getValue() ? <span className="font-mono text-xs">{info.getValue()}</span> : muted),
  }),
  column.accessor("duplicate", {
    header: "Duplicate",
    meta: { nowrap: true },
    enableSorting: false,
    cell: (info) => {
      const value = info.getValue();
      if (!value) return <span className="sr-only">no</span>;
      return (
        <span title={DUPLICATE_TITLES[value]}>
          <StatusBadge status={value} />
          <span className="sr-only"> — {DUPLICATE_TITLES[value]}</span>
        </span>
      );
    },
  }),
]);
