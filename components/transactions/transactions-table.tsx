"use client";

import { functionalUpdate, useTable, type PaginationState, type SortingState, type Updater } from "@tanstack/react-table";
import { useMemo } from "react";
import { SORT_KEYS, type SortKey, type TransactionQuery } from "@/lib/transactions/transaction-query-params";
import { transactionColumns, transactionTableFeatures } from "./transaction-columns";
import type { TransactionTableRow } from "./transaction-table-row";
import { TransactionsPagination } from "./transactions-pagination";
import { useTransactionsNavigation } from "./use-transactions-navigation";

type Props = {
  rows: TransactionTableRow[];
  query: TransactionQuery;
  /** What the table may assume about the row count: exact up to this page, at least one more when there is a next page. */
  rowCount: number;
  /** The page's number as shown (the server's: a previous page can turn out to be the first). */
  page: number;
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  /** Where the pages either side begin: opaque tokens the server wrote, carried in the URL. */
  nextCursor: string | null;
  previousCursor: string | null;
  totalLabel: string;
  timeZone: string;
};

const isSortKey = (id: string): id is SortKey => (SORT_KEYS as readonly string[]).includes(id);
const rowId = (row: TransactionTableRow) => row.id;

/** The page's rows; the URL owns sorting and paging, so every change is a navigation the back button can undo. */
export function TransactionsTable({ rows, query, rowCount, page, hasNextPage, hasPreviousPage, nextCursor, previousCursor, totalLabel, timeZone }: Props) {
  const { navigate, pending } = useTransactionsNavigation(query);
  const sorting = useMemo<SortingState>(() => [{ id: query.sort, desc: query.dir === "desc" }], [query.sort, query.dir]);
  const pagination = useMemo<PaginationState>(() => ({ pageIndex: page - 1, pageSize: query.pageSize }), [page, query.pageSize]);
  const meta = useMemo(() => ({ timeZone }), [timeZone]);

  const table = useTable({
    features: transactionTableFeatures,
    columns: transactionColumns,
    data: rows,
    getRowId: rowId,
    meta,
    state: { sorting, pagination },
    manualSorting: true,
    manualPagination: true,
    rowCount,
    enableMultiSort: false,
    enableSortingRemoval: false,
    onSortingChange: (updater: Updater<SortingState>) => {
      const next = functionalUpdate(updater, sorting)[0];
      if (next && isSortKey(next.id)) navigate({ sort: next.id, dir: next.desc ? "desc" : "asc", page: 1 });
    },
    onPaginationChange: (updater: Updater<PaginationState>) => {
      const next = functionalUpdate(updater, pagination);
      // A new page size starts again at the first page: the old page number means other rows now.
      if (next.pageSize !== pagination.pageSize) navigate({ page: 1, pageSize: next.pageSize });
      // Next: the rows after this page's last. Previous: the rows before its first, but page 1 is the list's
      // top as it is now, newest notifications included.
      else if (next.pageIndex > pagination.pageIndex && nextCursor) navigate({ page: page + 1, after: nextCursor });
      else if (next.pageIndex < pagination.pageIndex) navigate(page <= 2 || !previousCursor ? { page: 1 } : { page: page - 1, before: previousCursor });
    },
  });

  return (
    <div className={`space-y-3 transition-opacity ${pending ? "opacity-60" : ""}`} aria-busy={pending}>
      {/* Focusable so keyboard users can scroll the columns that do not fit on a narrow screen. */}
      <div tabIndex={0} role="region" aria-label="Transactions table" className="overflow-x-auto rounded-lg border border-slate-200 bg-white focus:outline-none focus:ring-2 focus:ring-indigo-300">
        <table className="min-w-full divide-y divide-slate-200 text-[13px]">
          <caption className="sr-only">
            Transactions, {totalLabel}, sorted by {query.sort} {query.dir === "desc" ? "descending" : "ascending"}, page {page}
          </caption>
          <thead className="bg-slate-50">
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => {
                  const sorted = header.column.getIsSorted();
                  const align = header.column.columnDef.meta?.align === "end" ? "text-right" : "text-left";
                  return (
                    <th
                      key={header.id}
                      scope="col"
                      aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : undefined}
                      className={`px-2 py-2 align-bottom font-medium text-slate-700 first:pl-3 ${align}`}
                    >
                      {header.isPlaceholder ? null : header.column.getCanSort() ? (
                        <button
                          type="button"
                          onClick={header.column.getToggleSortingHandler()}
                          className="inline-flex items-center gap-1 rounded text-left hover:text-slate-950 focus:outline-none focus:ring-2 focus:ring-indigo-300"
                        >
                          <table.FlexRender header={header} />
                          <span aria-hidden="true" className={sorted ? "text-indigo-600" : "text-slate-300"}>
                            {sorted === "asc" ? "▲" : sorted === "desc" ? "▼" : "↕"}
                          </span>
                        </button>
                      ) : (
                        <table.FlexRender header={header} />
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody className="divide-y divide-slate-100">
            {table.getRowModel().rows.map((row) => (
              <tr key={row.id} className="hover:bg-slate-50">
                {row.getAllCells().map((cell) => {
                  const meta = cell.column.columnDef.meta;
                  return (
                    <td
                      key={cell.id}
                      className={`px-2 py-2 align-top first:pl-3 ${meta?.align === "end" ? "text-right" : ""} ${meta?.nowrap ? "whitespace-nowrap" : ""}`}
                    >
                      <table.FlexRender cell={cell} />
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <TransactionsPagination
        page={page}
        pageSize={query.pageSize}
        canPrevious={hasPreviousPage && table.getCanPreviousPage()}
        canNext={hasNextPage && table.getCanNextPage()}
        totalLabel={totalLabel}
        onPrevious={() => table.previousPage()}
        onNext={() => table.nextPage()}
        onPageSize={(size) => table.setPageSize(size)}
      />
    </div>
  );
}
