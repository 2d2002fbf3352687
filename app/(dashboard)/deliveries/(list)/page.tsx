import Link from "next/link";
import { DeliveriesFilters } from "@/components/deliveries/deliveries-filters";
import { deliveriesHref } from "@/components/deliveries/deliveries-href";
import { DeliveriesPagination } from "@/components/deliveries/deliveries-pagination";
import { DeliveriesTable } from "@/components/deliveries/deliveries-table";
import { UnrecordedRefusalsNote } from "@/components/deliveries/unrecorded-refusals-note";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { describeError } from "@/lib/describe-error";
import { deliveriesQuerySchema, findDeliveries, SEARCH_MATCH_LIMIT } from "@/lib/deliveries/find-deliveries";
import { findUnrecordedRefusals, refusalLimits } from "@/lib/deliveries/refusal-budget";
import { preferredTimeZone } from "@/lib/preferences/time-zone";
import { providers } from "@/lib/providers/registry";

export const dynamic = "force-dynamic";

const LINK = "font-medium text-indigo-700 underline focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-300";

/** How far back the page reports refusals that went past their sender's limits and were not recorded. */
const UNRECORDED_HOURS = 24;

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function DeliveriesPage({ searchParams }: { searchParams: SearchParams }) {
  const query = deliveriesQuerySchema.parse(await searchParams);
  const filters = { q: query.q, sender: query.sender, provider: query.provider, outcome: query.outcome, errorCode: query.errorCode };
  await requireUser(deliveriesHref(filters));

  const [db, timeZone] = await Promise.all([getDb(), preferredTimeZone()]);
  const [page, unrecorded] = await Promise.all([
    findDeliveries(db, query),
    // The list matters more than the note: a failure of the note's query leaves the page without it.
    findUnrecordedRefusals(db, new Date(Date.now() - UNRECORDED_HOURS * 60 * 60 * 1000)).catch((error: unknown) => {
      console.error("[deliveries] could not read the refusals not recorded", describeError(error));
      return null;
    }),
  ]);
  const filtered = Boolean(query.q || query.sender || query.provider || query.outcome || query.errorCode);
  const paged = Boolean(query.after || query.before);

  return (
    <>
      <PageHeader
        title="Deliveries"
        description="Every request the webhook routes received, rejected ones included, newest first. Open one to see its headers and body exactly as stored."
      />
      {unrecorded ? <UnrecordedRefusalsNote unrecorded={unrecorded} limits={refusalLimits()} hours={UNRECORDED_HOURS} timeZone={timeZone} /> : null}
      {query.sender ? (
        <p role="note" className="mb-4 text-sm text-slate-700">
          Refusals from <span className="font-mono">{query.sender}</span> only.{" "}
          <Link href={deliveriesHref({ ...filters, sender: undefined })} className={LINK}>
            Show every sender
          </Link>
        </p>
      ) : null}
      <DeliveriesFilters
        key={deliveriesHref(filters)}
        values={filters}
        providers={providers.map(({ name, label }) => ({ name, label }))}
      />
      {page.rows.length === 0 ? (
        <EmptyState title={filtered ? "No deliveries match these filters" : paged ? "No more deliveries" : "No deliveries yet"}>
          {filtered
            ? query.sender && query.outcome && query.outcome !== "rejected"
              ? "A sender's deliveries listed here are its refusals: choose the Rejected outcome, or show every sender."
              : query.sender
                ? "No refusal from this address matches these filters: try others, or show every sender."
                : query.q && !(query.provider || query.outcome || query.errorCode)
              ? `No transaction has the id "${query.q}", and no recent refusal's body holds it. Check the id, or clear the search.`
              : "Try another search, provider, outcome or error code, or clear the filters."
            : paged
              ? "You have reached the end of the list."
              : "Nothing has reached /api/webhooks/<provider> yet. Point a provider at it, or run `npm run simulate -- paycools`."}
        </EmptyState>
      ) : (
        <DeliveriesTable rows={page.rows} timeZone={timeZone} />
      )}
      {page.searchCapped ? (
        <p role="note" className="mt-2 text-sm text-amber-800">
          This id names more than {SEARCH_MATCH_LIMIT.toLocaleString("en")} deliveries: the list holds its transactions&apos; newest{" "}
          {SEARCH_MATCH_LIMIT.toLocaleString("en")}. Open a transaction to see all of its deliveries.
        </p>
      ) : null}
      <DeliveriesPagination filters={filters} newer={page.newer} older={page.older} />
    </>
  );
}
