"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useRef, useTransition, type FormEvent } from "react";
import { FILTER_CONTROL, FILTER_LABEL, FilterSelect, sameLabel } from "@/components/ui/filter-select";
import { SEARCH_MAX_LENGTH, SEARCH_MIN_LENGTH } from "@/lib/deliveries/search-limits";
import { rememberFocus, useRestoredFocus } from "@/components/ui/use-restored-focus";
import { deliveriesHref, type DeliveryFilterValues } from "./deliveries-href";

// A search by order id, then provider, outcome and error code, kept in the URL. A choice applies at once,
// and keeps the focus across the navigation; the page's schema reads the URL
// again and ignores anything it cannot use.

const OUTCOMES = [
  { value: "accepted", label: "Accepted" },
  { value: "duplicate", label: "Duplicate (retry)" },
  { value: "rejected", label: "Rejected" },
];

/** Every code the webhook routes store for a refusal. */
const ERROR_CODES = [
  "signature_invalid",
  "signature_missing",
  "signature_malformed",
  "payload_invalid",
  "body_not_json",
  "body_not_utf8",
  "body_too_large",
  "method_not_allowed",
  "provider_not_configured",
  "provider_misconfigured",
  "internal_error",
  "merchant_mismatch",
];


export function DeliveriesFilters({ values, providers }: { values: DeliveryFilterValues; providers: { name: string; label: string }[] }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const errorCodes = values.errorCode && !ERROR_CODES.includes(values.errorCode) ? [values.errorCode, ...ERROR_CODES] : ERROR_CODES;
  const filtered = Boolean(values.q || values.sender || values.provider || values.outcome || values.errorCode);

  const formRef = useRef<HTMLFormElement>(null);
  useRestoredFocus(formRef);

  function apply(form: HTMLFormElement) {
    rememberFocus(form);
    const data = new FormData(form);
    const read = (name: string) => {
      const value = data.get(name);
      return typeof value === "string" && value !== "" ? value : undefined;
    };
    const q = read("q")?.trim();
    // The sender comes from a link (the page says so and offers to drop it): the form keeps it.
    startTransition(() =>
      router.push(deliveriesHref({ q: q || undefined, sender: values.sender, provider: read("provider"), outcome: read("outcome"), errorCode: read("errorCode") })),
    );
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    apply(event.currentTarget);
  }

  const onChange = (event: { currentTarget: HTMLSelectElement }) => {
    if (event.currentTarget.form) apply(event.currentTarget.form);
  };

  return (
    <form
      ref={formRef}
      role="search"
      aria-label="Filter deliveries"
      onSubmit={onSubmit}
      className="mb-4 flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-4"
    >
      <label className="min-w-64 flex-1">
        <span className={FILTER_LABEL}>Search by order id, provider transaction id or VA number</span>
        <input
          type="search"
          name="q"
          defaultValue={values.q ?? ""}
          minLength={SEARCH_MIN_LENGTH}
          maxLength={SEARCH_MAX_LENGTH}
          placeholder="Also finds refusals whose body holds it, then Enter"
          className={FILTER_CONTROL}
        />
      </label>
      <FilterSelect
        className="w-48"
        label="Provider"
        name="provider"
        value={values.provider}
        anyLabel="All providers"
        options={providers.map((provider) => ({ value: provider.name, label: provider.label }))}
        onChange={onChange}
      />
      <FilterSelect className="w-48" label="Outcome" name="outcome" value={values.outcome} anyLabel="All outcomes" options={OUTCOMES} onChange={onChange} />
      <FilterSelect
        className="w-56"
        label="Error code"
        name="errorCode"
        value={values.errorCode}
        anyLabel="Any error code"
        options={sameLabel(errorCodes)}
        onChange={onChange}
      />
      <button
        type="submit"
        data-focus-name="apply"
        className="rounded-md bg-indigo-600 px-4 py-1.5 text-sm font-medium text-white hover:bg-indigo-700 focus:outline-none focus:ring-2 focus:ring-indigo-300"
      >
        Apply
      </button>
      {filtered ? (
        <Link href="/deliveries" className="rounded-md px-3 py-1.5 text-sm text-slate-600 hover:bg-slate-100 focus:outline-none focus:ring-2 focus:ring-indigo-300">
          Clear filters
        </Link>
      ) : null}
      <span role="status" aria-live="polite" className="text-sm text-slate-500">
        {pending ? "Loading…" : ""}
      </span>
    </form>
  );
}
