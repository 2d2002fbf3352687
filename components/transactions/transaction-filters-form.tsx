"use client";

import Link from "next/link";
import { useRef, type FormEvent } from "react";
import { PROVIDER_LABELS } from "@/lib/format";
import { hasFilters, KINDS, STATUSES, type TransactionQuery } from "@/lib/transactions/transaction-query-params";
import { useTransactionsNavigation } from "./use-transactions-navigation";

// Selects and the checkbox apply at once; typed fields (search, currency,
// channel, dates) apply on Enter or "Apply", never per keystroke.

const CURRENCIES = ["IDR", "PHP", "MYR", "THB", "RUB", "USD", "SGD", "VND", "BRL", "EUR"];

const control =
  "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm focus:border-indigo-400 focus:outline-none focus:ring-2 focus:ring-indigo-300";
const labelText = "block text-xs font-medium text-slate-600";

function text(form: FormData, name: string): string | undefined {
  const value = form.get(name);
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

export function TransactionFiltersForm({ query, clearHref }: { query: TransactionQuery; clearHref: string }) {
  const { navigate, pending } = useTransactionsNavigation(query);
  const formRef = useRef<HTMLFormElement>(null);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
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
      duplicates: form.get("duplicates") === "1",
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
          <span className={labelText}>Search by merchant order id, provider transaction id or VA / reference number</span>
          <input
            type="search"
            name="q"
            defaultValue={query.q ?? ""}
            maxLength={128}
            placeholder="Exact id or number, then Enter"
            className={control}
          />
        </label>
        <button
          type="submit"
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
        <label>
          <span className={labelText}>Provider</span>
          <select name="provider" defaultValue={query.provider ?? ""} onChange={submitNow} className={control}>
            <option value="">All</option>
            {Object.entries(PROVIDER_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span className={labelText}>Kind</span>
          <select name="kind" defaultValue={query.kind ?? ""} onChange={submitNow} className={control}>
            <option value="">All</option>
            {KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {kind}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span className={labelText}>Status</span>
          <select name="status" defaultValue={query.status ?? ""} onChange={submitNow} className={control}>
            <option value="">All</option>
            {STATUSES.map((status) => (
              <option key={status} value={status}>
                {status}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span className={labelText}>Currency</span>
          <input
            name="currency"
            defaultValue={query.currency ?? ""}
            list="transaction-currencies"
            maxLength={3}
            pattern="[A-Za-z]{3}"
            title="A three-letter currency code such as IDR"
            autoComplete="off"
            className={`${control} uppercase`}
          />
          <datalist id="transaction-currencies">
            {CURRENCIES.map((currency) => (
              <option key={currency} value={currency} />
            ))}
          </datalist>
        </label>
        <label>
          <span className={labelText}>Channel / method</span>
          <input name="channel" defaultValue={query.channel ?? ""} maxLength={64} placeholder="e.g. ID_BCA_VA" className={control} />
        </label>
        <label>
          <span className={labelText}>First seen from</span>
          <input type="date" name="from" defaultValue={query.from ?? ""} className={control} />
        </label>
        <label>
          <span className={labelText}>First seen to</span>
          <input type="date" name="to" defaultValue={query.to ?? ""} className={control} />
        </label>
        <label className="flex items-center gap-2 self-end pb-2 text-sm text-slate-700">
          <input
            type="checkbox"
            name="duplicates"
            value="1"
            defaultChecked={query.duplicates}
            onChange={submitNow}
            className="h-4 w-4 rounded border-slate-300 text-indigo-600 focus:ring-2 focus:ring-indigo-300"
          />
          Duplicates only
        </label>
      </div>
    </form>
  );
}
