import type { TransactionKind, TransactionStatus } from "@/lib/generated/prisma/enums";

// The transactions list's state as the browser handles it: the allowed values,
// the state's type and its query string. No zod and no server code here — the
// table's client components import this module, so whatever it imports ships
// to the browser. Parsing and validating a URL is server work and lives in
// ./transaction-filters.ts, whose schema is checked against these types.

export const PAGE_SIZES = [25, 50, 100] as const;
export const DEFAULT_PAGE_SIZE = 50;
export const SORT_KEYS = ["time", "amount", "status", "provider", "merchantOrderId"] as const;
export const KINDS = ["payment", "payout", "refund"] as const satisfies readonly TransactionKind[];
/** In the database enum's order, which is also the order ORDER BY status gives. */
export const STATUSES = ["pending", "succeeded", "failed", "cancelled"] as const satisfies readonly TransactionStatus[];

export type SortKey = (typeof SORT_KEYS)[number];

/** One state of the list; absent filters mean "not filtered". */
export type TransactionQuery = {
  provider?: string;
  kind?: (typeof KINDS)[number];
  status?: (typeof STATUSES)[number];
  currency?: string;
  channel?: string;
  from?: string;
  to?: string;
  /**
   * The zone `from` and `to` are whole days in. Links and exports carry it, so
   * one link selects the same rows for everyone; absent, the viewer's zone.
   */
  tz?: string;
  duplicates: boolean;
  /** Only transactions a provider reported two different final states for. */
  conflicts: boolean;
  q?: string;
  sort: SortKey;
  dir: "asc" | "desc";
  /** The page's number, as shown; without a cursor, which rows it holds (by offset, for links written that way). */
  page: number;
  pageSize: number;
  /** The rows after this cursor's row, in the list's order (the next page); an opaque token the server wrote. */
  after?: string;
  /** The rows before this cursor's row (the previous page). */
  before?: string;
};

/** The parameters that say where the list is, not which rows it selects. */
type Position = "sort" | "dir" | "page" | "pageSize" | "after" | "before";

export type TransactionFilters = Omit<TransactionQuery, Position>;

/** The query with no page cursor: where a change of filters, sort or page size starts again, or a link that ignores paging begins. */
export function withoutCursor<Q extends Partial<TransactionQuery>>(query: Q): Q {
  return { ...query, after: undefined, before: undefined };
}

/** Every URL parameter, in the order query strings are written. */
export const QUERY_PARAMETERS = [
  "provider",
  "kind",
  "status",
  "currency",
  "channel",
  "from",
  "to",
  "tz",
  "duplicates",
  "conflicts",
  "q",
  "sort",
  "dir",
  "page",
  "pageSize",
  "after",
  "before",
] as const satisfies readonly (keyof TransactionQuery)[];

/** The state of a URL with no parameters (the server's parser gives the same; a test holds them together). */
export const DEFAULT_QUERY: TransactionQuery = {
  provider: undefined,
  kind: undefined,
  status: undefined,
  currency: undefined,
  channel: undefined,
  from: undefined,
  to: undefined,
  tz: undefined,
  duplicates: false,
  conflicts: false,
  q: undefined,
  sort: "time",
  dir: "desc",
  page: 1,
  pageSize: DEFAULT_PAGE_SIZE,
  after: undefined,
  before: undefined,
};

/** The zone the query's dates are whole days in: the one its link names, else the viewer's. */
export function datesTimeZone(filters: Pick<TransactionFilters, "tz">, viewerTimeZone: string): string {
  return filters.tz ?? viewerTimeZone;
}

export function hasFilters(query: TransactionFilters): boolean {
  return Boolean(
    query.provider || query.kind || query.status || query.currency || query.channel || query.from || query.to || query.duplicates || query.conflicts || query.q,
  );
}

/** The query string for a state, leaving out defaults so URLs stay short and stable. */
export function toSearchParams(query: Partial<TransactionQuery>): URLSearchParams {
  const params = new URLSearchParams();
  for (const name of QUERY_PARAMETERS) {
    const value = query[name];
    if (value === undefined || value === null || value === "" || value === DEFAULT_QUERY[name]) continue;
    params.set(name, typeof value === "boolean" ? "1" : String(value));
  }
  return params;
}
