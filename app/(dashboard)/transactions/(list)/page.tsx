import type { Metadata } from "next";
import Link from "next/link";
import { TransactionFiltersForm } from "@/components/transactions/transaction-filters-form";
import { toTableRow } from "@/components/transactions/transaction-table-row";
import { TransactionsTable } from "@/components/transactions/transactions-table";
import { DownloadLink } from "@/components/ui/download-link";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { preferredTimeZone } from "@/lib/preferences/time-zone";
import { countTransactions, findTransactions, type TransactionTotal } from "@/lib/transactions/find-transactions";
import { hasFilters, parseTransactionQuery, toSearchParams, type TransactionQuery } from "@/lib/transactions/transaction-filters";
import { datesTimeZone, withoutCursor } from "@/lib/transactions/transaction-query-params";

export const metadata: Metadata = { title: "Transactions" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

function totalLabel(total: TransactionTotal, filtered: boolean): string {
  const noun = filtered ? "matching transactions" : "transactions";
  if (total.estimated) return `About ${total.value.toLocaleString("en-US")} ${noun}`;
  if (total.capped) return `${total.value.toLocaleString("en-US")}+ ${noun}`;
  return `${total.value.toLocaleString("en-US")} ${total.value === 1 ? noun.replace(/s$/, "") : noun}`;
}

function href(query: Partial<TransactionQuery>, path = "/transactions"): string {
  const search = toSearchParams(query).toString();
  return search ? `${path}?${search}` : path;
}

export default async function TransactionsPage({ searchParams }: Props) {
  // Lenient: a hand-edited or outdated bookmark opens with its unreadable parts at their defaults.
  const query = parseTransactionQuery(await searchParams);
  await requireUser(href(query));
  const timeZone = await preferredTimeZone();
  const db = await getDb();
  const [page, total] = await Promise.all([findTransactions(db, query, timeZone), countTransactions(db, query, timeZone)]);

  const filtered = hasFilters(query);
  const clearHref = href({ sort: query.sort, dir: query.dir, pageSize: query.pageSize });
  const datesZone = datesTimeZone(query, timeZone);
  // The file names the zone its dates are days in, so it holds the same rows whoever opens the link.
  const exportHref = href({ ...withoutCursor(query), tz: query.from || query.to ? datesZone : undefined, page: undefined, pageSize: undefined }, "/api/transactions/export");
  const rows = page.rows.map((row) => toTableRow(row, timeZone));
  const before = (page.page - 1) * query.pageSize;
  const rowCount = page.hasNextPage ? Math.max(total.value, before + query.pageSize + 1) : before + rows.length;
  const filterKey = toSearchParams({ ...withoutCursor(query), sort: undefined, dir: undefined, page: undefined, pageSize: undefined }).toString();

  let body;
  if (rows.length > 0) {
    body = (
      <TransactionsTable
        rows={rows}
        query={query}
        rowCount={rowCount}
        page={page.page}
        hasNextPage={page.hasNextPage}
        hasPreviousPage={page.hasPreviousPage}
        nextCursor={page.nextCursor}
        previousCursor={page.previousCursor}
        totalLabel={totalLabel(total, filtered)}
        timeZone={timeZone}
      />
    );
  } else if (page.hasPreviousPage) {
    body = (
      <EmptyState title="No transactions on this page">
        The list is shorter than that now.{" "}
        <Link href={href({ ...withoutCursor(query), page: 1 })} className="text-indigo-700 underline">
          Go to the first page
        </Link>
      </EmptyState>
    );
  } else if (filtered) {
    body = (
      <EmptyState title="No transactions match these filters">
        Dates are whole days in {datesZone}; searches match an id or number exactly.{" "}
        <Link href={clearHref} className="text-indigo-700 underline">Clear filters</Link>
      </EmptyState>
    );
  } else {
    body = (
      <EmptyState title="No transactions yet">
        Transactions appear here as soon as a provider&apos;s payment notification has been verified and stored.
      </EmptyState>
    );
  }

  return (
    <>
      <PageHeader
        title="Transactions"
        description={`Every payment, payout and refund the providers notified. Times in ${timeZone}.`}
        actions={<DownloadLink href={exportHref}>Download CSV</DownloadLink>}
      />
      <TransactionFiltersForm key={filterKey} query={query} timeZone={timeZone} clearHref={clearHref} />
      {body}
    </>
  );
}
