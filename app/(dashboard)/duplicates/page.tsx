import type { Metadata } from "next";
import Link from "next/link";
import { CasesPagination } from "@/components/duplicates/cases-pagination";
import { DuplicateCaseCard } from "@/components/duplicates/duplicate-case-card";
import { DuplicateFilters } from "@/components/duplicates/duplicate-filters";
import { DownloadLink } from "@/components/ui/download-link";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { duplicatesExportHref, duplicatesHref, duplicatesQuerySchema } from "@/lib/duplicates/duplicates-query";
import { findDuplicateCases, MAX_CASES_PER_PAGE } from "@/lib/duplicates/find-duplicate-cases";
import { PROVIDER_LABELS } from "@/lib/format";
import { preferredTimeZone } from "@/lib/preferences/time-zone";
import { hasRole } from "@/lib/users/user-rules";
import { reopenCaseAction, resolveCaseAction } from "./actions";

export const metadata: Metadata = { title: "Duplicate payments" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const EMPTY = {
  open: { title: "No open duplicate payments", body: "Every order paid more than once has a resolution." },
  resolved: { title: "No resolved duplicate payments", body: "Cases appear here once finance records a resolution." },
  all: { title: "No order has been paid more than once", body: "Duplicates appear here when a provider declares one or Payhook detects one." },
} as const;

export default async function DuplicatesPage({ searchParams }: Props) {
  const query = duplicatesQuerySchema.parse(await searchParams);
  const user = await requireUser(duplicatesHref(query));
  const timeZone = await preferredTimeZone();
  const page = await findDuplicateCases(await getDb(), {
    status: query.status,
    provider: query.provider,
    cursor: query.cursor,
    caseId: query.case,
    limit: MAX_CASES_PER_PAGE,
  });
  const actions = hasRole(user.role, "finance") ? { resolve: resolveCaseAction, reopen: reopenCaseAction } : null;
  const empty = EMPTY[query.status];

  return (
    <div>
      <PageHeader
        title="Duplicate payments"
        description={
          <>
            Orders paid more than once, one card per order, newest first. Overpaid is the sum of the successful payments beyond the
            original. Times are in {timeZone}.
          </>
        }
        actions={
          query.case ? null : (
            <DownloadLink href={duplicatesExportHref(query)}>Download CSV</DownloadLink>
          )
        }
      />
      {query.case ? (
        <p className="mb-4 text-sm text-slate-700">
          Showing one case.{" "}
          <Link href={duplicatesHref({})} className="font-medium text-indigo-700 underline-offset-2 hover:underline">
            Show all open cases
          </Link>
        </p>
      ) : (
        <DuplicateFilters query={query} />
      )}
      {page.cases.length === 0 ? (
        query.case ? (
          <EmptyState title="No such duplicate case" />
        ) : (
          <EmptyState title={empty.title}>
            {query.provider ? `For ${PROVIDER_LABELS[query.provider] ?? query.provider}. ` : ""}
            {empty.body}
          </EmptyState>
        )
      ) : (
        <div className="space-y-4">
          {page.cases.map((c) => (
            <DuplicateCaseCard key={c.id} c={c} timeZone={timeZone} actions={actions} />
          ))}
        </div>
      )}
      <CasesPagination query={query} prevCursor={page.prevCursor} nextCursor={page.nextCursor} />
    </div>
  );
}
