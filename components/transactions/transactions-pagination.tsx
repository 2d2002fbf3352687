"use client";

import { PAGE_SIZES } from "@/lib/transactions/transaction-query-params";

type Props = {
  page: number;
  pageSize: number;
  canPrevious: boolean;
  canNext: boolean;
  totalLabel: string;
  onPrevious: () => void;
  onNext: () => void;
  onPageSize: (size: number) => void;
};

const button =
  "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50 focus:outline-none focus:ring-2 focus:ring-indigo-300 disabled:cursor-not-allowed disabled:opacity-50";

export function TransactionsPagination({ page, pageSize, canPrevious, canNext, totalLabel, onPrevious, onNext, onPageSize }: Props) {
  return (
    <nav aria-label="Pagination" className="flex flex-wrap items-center justify-between gap-3 text-sm text-slate-600">
      <p data-testid="transactions-total">{totalLabel}</p>
      <div className="flex flex-wrap items-center gap-3">
        <label className="flex items-center gap-2">
          Rows per page
          <select
            value={pageSize}
            onChange={(event) => onPageSize(Number(event.target.value))}
            className="rounded-md border border-slate-300 bg-white px-2 py-1 focus:outline-none focus:ring-2 focus:ring-indigo-300"
          >
            {PAGE_SIZES.map((size) => (
              <option key={size} value={size}>
                {size}
              </option>
            ))}
          </select>
        </label>
        <span aria-live="polite">Page {page.toLocaleString("en-US")}</span>
        <button type="button" className={button} onClick={onPrevious} disabled={!canPrevious} aria-label="Previous page">
          Previous
        </button>
        <button type="button" className={button} onClick={onNext} disabled={!canNext} aria-label="Next page">
          Next
        </button>
      </div>
    </nav>
  );
}
