"use client";

import Link from "next/link";
import { useRef, type FormEvent, type ReactNode } from "react";
import { FILTER_CONTROL, FILTER_LABEL, FilterSelect, PROVIDER_OPTIONS, sameLabel } from "@/components/ui/filter-select";
import { rememberFocus, useRestoredFocus } from "@/components/ui/use-restored-focus";
import { datesTimeZone, hasFilters, KINDS, STATUSES, type TransactionQuery } from "@/lib/transactions/transaction-query-params";
import { useTransactionsNavigation } from "./use-transactions-navigation";

// Selects and the checkbox apply at once; typed fields (search, currency,
// channel, dates) apply on Enter or "Apply", never per keystroke. The control
// that applied them keeps the focus across the navigation.

const CURRENCIES = ["IDR", "PHP", "MYR", "THB", "RUB", "USD", "SGD", "VND", "BRL", "EUR"];


/** A yes/no filter that applies at once, sent as `name=1` when ticked. */
function FilterCheckbox({ name, checked, onChange, children }: { name: string; checked: boolean; onChange: () => void; children: ReactNode }) {
  return (
    <label className="flex items-center gap-2 text-sm text-slate-700">
      <input
        type="checkbox"
        name={name}
        value="1"
        defaultChecked={checked}
        onChange={onChange}
        className="h-4 w-4 rounded border-slate-300 text-indigo-600 focus:ring-2 focus:ring-indigo-300"
      />
      {children}
    </label>
  );
}

function text(form: FormData, name: string): string | undefined {
  const value = form.get(name);
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

export function TransactionFiltersForm({ query, timeZone, clearHref }: { query: TransactionQuery; timeZone: string; clearHref: string }) {
  // Dates are whole days in a zone, and the link says which: opened by someone in another zone, it selects the same rows.
  const datesZone = datesTimeZone(query, timeZone);
  const { navigate, pending } = useTransactionsNavigation(query);
  const formRef = useRef<HTMLFormElement>(null);
  useRestoredFocus(formRef);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    rememberFocus(event.currentTarget);
    const form = new FormData(event.currentTarget);
    // Values are checked again by the page's schema: anything unreadable there is dropped, never trusted.
    navigate({
      provider: text(form, "provider"),
      kind: text(form, "kind") as TransactionQuery["kind"],
      status: text(form, "status") as TransactionQuery["status"],
      currency: text(form, "currency")?.toUpperCase(),
      channel: text(form, "channel"),
      from: text(form, "from"),
      to: text(form, "to"),
      tz: text(form, "from") || text(form, "to") ? datesZone : undefined,
      duplicates: form.get("duplicates") === "1",
      conflicts: form.get("conflicts") === "1",
      q: text(form, "q"),
      page: 1,
    });
  }

  const submitNow = () => formRef.current?.requestSubmit();

  return (
    <form
      ref={formRef}
      role="search"
      aria-label="Filter transactions"
      onSubmit={onSubmit}
      className="mb-4 space-y-3 rounded-lg border border-slate-200 bg-white p-4"
    >
      <div className="flex flex-wrap items-end gap-2">
        <label className="min-w-64 flex-1">
          <span className={FILTER_LABEL}>Search by merchant order id, provider transaction id or VA / reference number</span>
          <input
            type="search"
            name="q"
            defaultValue={query.q ?? ""}
            maxLength={128}
            placeholder="Exact id or number, then Enter"
            className={FILTER_CONTROL}
          />
        </label>
        <button
          type="submit"
          data-focus-name="apply"
          className="rounded-md bg-indigo-600 px-4 py-1.5 text-sm font-medium text-white hover:bg-indigo-700 focus:outline-none focus:ring-2 focus:ring-indigo-300"
        >
          Apply
        </button>
        {hasFilters(query) ? (
          <Link href={clearHref} className="rounded-md px-3 py-1.5 text-sm text-slate-600 hover:bg-slate-100 focus:outline-none focus:ring-2 focus:ring-indigo-300">
            Clear filters
          </Link>
        ) : null}
        {pending ? (
          <span role="status" className="text-sm text-slate-500">
            Loading…
          </span>
        ) : null}
      </div>
      <div className="grid grid-cols-2 gap-3 md:grid-cols-4 xl:grid-cols-8">
        <FilterSelect label="Provider" name="provider" value={query.provider} anyLabel="All" options={PROVIDER_OPTIONS} onChange={submitNow} />
        <FilterSelect label="Kind" name="kind" value={query.kind} anyLabel="All" options={sameLabel(KINDS)} onChange={submitNow} />
        <FilterSelect label="Status" name="status" value={query.status} anyLabel="All" options={sameLabel(STATUSES)} onChange={submitNow} />
        <label>
          <span className={FILTER_LABEL}>Currency</span>
          <input
            name="currency"
            defaultValue={query.currency ?? ""}
            list="transaction-currencies"
            maxLength={3}
            pattern="[A-Za-z]{3}"
            title="A three-letter currency code such as IDR"
            autoComplete="off"
            className={`${FILTER_CONTROL} uppercase`}
          />
          <datalist id="transaction-currencies">
            {CURRENCIES.map((currency) => (
              <option key={currency} value={currency} />
            ))}
          </datalist>
        </label>
        <label>
          <span className={FILTER_LABEL}>Channel / method</span>
          <input name="channel" defaultValue={query.channel ?? ""} maxLength={64} placeholder="e.g. ID_BCA_VA" className={FILTER_CONTROL} />
        </label>
        <label>
          <span className={FILTER_LABEL}>First seen from</span>
          <input type="date" name="from" defaultValue={query.from ?? ""} className={FILTER_CONTROL} />
        </label>
        <label>
          <span className={FILTER_LABEL}>First seen to</span>
          <input type="date" name="to" defaultValue={query.to ?? ""} className={FILTER_CONTROL} />
        </label>
        <div className="flex flex-col justify-end gap-1 pb-1">
          <FilterCheckbox name="duplicates" checked={query.duplicates} onChange={submitNow}>
            Duplicates only
          </FilterCheckbox>
          <FilterCheckbox name="conflicts" checked={query.conflicts} onChange={submitNow}>
            Conflicting final states only
          </FilterCheckbox>
        </div>
      </div>
      {query.tz && query.tz !== timeZone && (query.from || query.to) ? (
        <p className="text-xs text-slate-600">The dates in this link are whole days in {query.tz}; times are shown in {timeZone}.</p>
      ) : null}
    </form>
  );
}
