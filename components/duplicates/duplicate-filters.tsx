import Link from "next/link";
import { FilterSelect, PROVIDER_OPTIONS } from "@/components/ui/filter-select";
import { duplicatesHref, type DuplicatesQuery } from "@/lib/duplicates/duplicates-query";
import { CASE_STATES } from "@/lib/duplicates/find-duplicate-cases";

const STATE_LABELS = { open: "Open", resolved: "Resolved", all: "All" } as const;

/** State as links (one click, no script needed), provider as a plain GET form: both end up in the URL. */
export function DuplicateFilters({ query }: { query: DuplicatesQuery }) {
  return (
    <div className="mb-4 flex flex-wrap items-end justify-between gap-3">
      <nav aria-label="Case state" className="inline-flex rounded-md border border-slate-300 bg-white p-0.5">
        {CASE_STATES.map((state) => {
          const current = !query.case && query.status === state;
          return (
            <Link
              key={state}
              href={duplicatesHref({ status: state, provider: query.provider })}
              aria-current={current ? "page" : undefined}
              className={`rounded px-3 py-1 text-sm font-medium focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-400 ${
                current ? "bg-indigo-700 text-white" : "text-slate-700 hover:bg-slate-100"
              }`}
            >
              {STATE_LABELS[state]}
            </Link>
          );
        })}
      </nav>
      <form method="get" action="/duplicates" className="flex flex-wrap items-end gap-2">
        {query.status !== "open" ? <input type="hidden" name="status" value={query.status} /> : null}
        <FilterSelect className="w-44" label="Provider" name="provider" value={query.provider} anyLabel="All providers" options={PROVIDER_OPTIONS} />
        <button
          type="submit"
          className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-400"
        >
          Apply
        </button>
      </form>
    </div>
  );
}
