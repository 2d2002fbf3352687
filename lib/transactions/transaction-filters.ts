import { z } from "zod";
import { isValidTimeZone, PROVIDER_LABELS } from "@/lib/format";
import { decodeListCursor } from "./list-cursor";
import {
  DEFAULT_PAGE_SIZE,
  KINDS,
  PAGE_SIZES,
  QUERY_PARAMETERS,
  SORT_KEYS,
  STATUSES,
  type TransactionQuery,
} from "./transaction-query-params";

// The state of the transactions list — filters, search, sort, page — as it
// travels in the URL. One schema serves the page (lenient: a bad value falls
// back to its default, so an edited bookmark still opens), the JSON API
// (strict: a bad value is a 400 naming the parameter) and the CSV export.
// Server-side only: the browser gets the constants, the state's type and its
// query string from ./transaction-query-params.ts, which keeps zod out of the
// page's JavaScript.

// Zod compiles its parsers with `new Function` when it can; nothing here is hot
// enough to need that, and a script-src without 'unsafe-eval' forbids it should
// this module ever be bundled for a page.
z.config({ jitless: true });

export {
  DEFAULT_PAGE_SIZE,
  DEFAULT_QUERY,
  hasFilters,
  KINDS,
  PAGE_SIZES,
  SORT_KEYS,
  STATUSES,
  toSearchParams,
  type SortKey,
  type TransactionFilters,
  type TransactionQuery,
} from "./transaction-query-params";

export const PROVIDERS = Object.keys(PROVIDER_LABELS) as [string, ...string[]];

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isCalendarDate(value: string): boolean {
  const match = DATE.exec(value);
  if (!match) return false;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(2000, m - 1, d));
  date.setUTCFullYear(y);
  return y >= 1970 && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

const calendarDate = z.string().refine(isCalendarDate, "must be a date written YYYY-MM-DD");

// PostgreSQL text cannot hold U+0000: as a query parameter it fails the whole query (a 500), never matches.
const noNul = (value: string) => !value.includes("\u0000");

const flag = z
  .enum(["1", "true", "0", "false"], { error: "must be 1 or 0" })
  .transform((value) => value === "1" || value === "true")
  .default(false);

/** Each URL parameter, as text in and typed value out. Absent means "not filtered". */
export const transactionQueryFields = {
  provider: z.enum(PROVIDERS, { error: `must be one of ${PROVIDERS.join(", ")}` }).optional(),
  kind: z.enum(KINDS, { error: `must be one of ${KINDS.join(", ")}` }).optional(),
  status: z.enum(STATUSES, { error: `must be one of ${STATUSES.join(", ")}` }).optional(),
  currency: z
    .string()
    .regex(/^[A-Za-z]{3}$/, "must be a three-letter currency code such as IDR")
    .transform((value) => value.toUpperCase())
    .optional(),
  channel: z.string().max(64, "must be at most 64 characters").refine(noNul, "must not contain a NUL character").optional(),
  from: calendarDate.optional(),
  to: calendarDate.optional(),
  tz: z.string().max(64).refine(isValidTimeZone, "must be an IANA time zone such as Asia/Jakarta").optional(),
  duplicates: flag,
  conflicts: flag,
  q: z.string().max(128, "must be at most 128 characters").refine(noNul, "must not contain a NUL character").optional(),
  sort: z.enum(SORT_KEYS, { error: `must be one of ${SORT_KEYS.join(", ")}` }).default("time"),
  dir: z.enum(["asc", "desc"], { error: "must be asc or desc" }).default("desc"),
  page: z.coerce
    .number({ error: "must be a whole number from 1" })
    .int("must be a whole number from 1")
    .min(1, "must be a whole number from 1")
    .max(100_000, "must be at most 100000")
    .default(1),
  pageSize: z.coerce
    .number({ error: `must be one of ${PAGE_SIZES.join(", ")}` })
    .refine((value) => (PAGE_SIZES as readonly number[]).includes(value), `must be one of ${PAGE_SIZES.join(", ")}`)
    .default(DEFAULT_PAGE_SIZE),
  after: z.string().optional(),
  before: z.string().optional(),
};

type FieldName = keyof typeof transactionQueryFields;
const FIELD_NAMES: readonly FieldName[] = QUERY_PARAMETERS;

const dateOrder = (query: { from?: string; to?: string }) => !query.from || !query.to || query.from <= query.to;

type CursorFields = Pick<TransactionQuery, "sort" | "dir" | "after" | "before">;

/** The first cursor problem of a query: a cursor must be one the server wrote for this sort and direction. */
function cursorProblem(query: CursorFields): { parameter: "after" | "before"; message: string } | null {
  if (query.after !== undefined && query.before !== undefined) {
    return { parameter: "before", message: "cannot be given with after: a page is either after one row or before one" };
  }
  for (const parameter of ["after", "before"] as const) {
    const text = query[parameter];
    if (text !== undefined && !decodeListCursor(text, query)) {
      return {
        parameter,
        message: "is not a page cursor of this order: pass nextCursor or previousCursor from a response with the same sort and dir, or leave it out for the first page",
      };
    }
  }
  return null;
}

/** The strict form, for the API: unknown parameters are refused too, so a typo is not silently ignored. */
export const transactionQuerySchema = z
  .strictObject(transactionQueryFields)
  .refine(dateOrder, { message: "must be on or after from", path: ["to"] })
  .superRefine((query, ctx) => {
    const problem = cursorProblem(query);
    if (problem) ctx.addIssue({ code: "custom", message: problem.message, path: [problem.parameter] });
  });

// The browser's hand-written TransactionQuery must be exactly what this schema gives, and name every field.
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const schemaMatchesClientType: Same<z.output<typeof transactionQuerySchema>, TransactionQuery> = true;
const everyFieldListed: Same<FieldName, (typeof QUERY_PARAMETERS)[number]> = true;
void schemaMatchesClientType;
void everyFieldListed;

export type RawSearchParams = Record<string, string | string[] | undefined> | URLSearchParams;

function entries(params: RawSearchParams): [string, string[]][] {
  if (params instanceof URLSearchParams) {
    const grouped = new Map<string, string[]>();
    for (const [key, value] of params) grouped.set(key, [...(grouped.get(key) ?? []), value]);
    return [...grouped];
  }
  return Object.entries(params)
    .filter((entry): entry is [string, string | string[]] => entry[1] !== undefined)
    .map(([key, value]) => [key, Array.isArray(value) ? value : [value]]);
}

/** Trimmed values; an empty one (`?status=`) counts as absent, as an empty form field would. */
function normalise(params: RawSearchParams): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [key, values] of entries(params)) {
    const kept = values.map((value) => value.trim()).filter((value) => value !== "");
    if (kept.length > 0) out.set(key, kept);
  }
  return out;
}

/** For the page and the export: every unreadable value falls back to its default. Never throws. */
export function parseTransactionQuery(params: RawSearchParams): TransactionQuery {
  const values = normalise(params);
  const query: Record<string, unknown> = {};
  for (const name of FIELD_NAMES) {
    const field = transactionQueryFields[name];
    const parsed = field.safeParse(values.get(name)?.[0]);
    query[name] = parsed.success ? parsed.data : field.parse(undefined);
  }
  if (!dateOrder(query as TransactionQuery)) query.to = undefined;
  // A cursor of another order is dropped; of two at once, before goes (and after too, if it is no cursor of this order).
  for (let problem = cursorProblem(query as CursorFields); problem; problem = cursorProblem(query as CursorFields)) {
    query[problem.parameter] = undefined;
  }
  return query as TransactionQuery;
}

export type QueryProblem = { parameter: string; message: string };

/** For the API: the query, or the first problem found, naming its parameter. */
export function parseTransactionQueryStrict(params: RawSearchParams): { ok: true; query: TransactionQuery } | { ok: false; problem: QueryProblem } {
  const values = normalise(params);
  for (const [key, list] of values) {
    if (list.length > 1) return { ok: false, problem: { parameter: key, message: "is given more than once" } };
  }
  const parsed = transactionQuerySchema.safeParse(Object.fromEntries([...values].map(([key, list]) => [key, list[0]])));
  if (parsed.success) return { ok: true, query: parsed.data };
  const issue = parsed.error.issues[0]!;
  if (issue.code === "unrecognized_keys") {
    return { ok: false, problem: { parameter: issue.keys[0]!, message: `is not a parameter this endpoint reads (it reads ${FIELD_NAMES.join(", ")})` } };
  }
  return { ok: false, problem: { parameter: String(issue.path[0] ?? ""), message: issue.message } };
}
