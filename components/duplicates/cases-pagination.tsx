import Link from "next/link";
import { duplicatesHref, type DuplicatesQuery } from "@/lib/duplicates/duplicates-query";

const linkStyle =
  "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-400";

/** Newer / older by keyset cursor: no page numbers, so no count of every case. */
export function CasesPagination({ query, prevCursor, nextCursor }: { query: DuplicatesQuery; prevCursor: string | null; nextCursor: string | null }) {
  if (!prevCursor && !nextCursor) return null;
  const base = { status: query.status, provider: query.provider };
  return (
    <nav aria-label="Pages of cases" className="mt-4 flex flex-wrap items-center justify-between gap-2">
      <div className="flex gap-2">
        {query.cursor ? (
          <Link href={duplicatesHref(base)} className={linkStyle}>
            Newest
          </Link>
        ) : null}
        {prevCursor ? (
          <Link href={duplicatesHref({ ...base, cursor: prevCursor })} className={linkStyle} rel="prev">
            ← Newer cases
          </Link>
        ) : null}
      </div>
      {nextCursor ? (
        <Link href={duplicatesHref({ ...base, cursor: nextCursor })} className={linkStyle} rel="next">
          Older cases →
        </Link>
      ) : null}
    </nav>
  );
}
