import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { findProvider } from "@/lib/providers/registry";
import { isUuid } from "@/lib/db/is-uuid";
import { instantFromCursor } from "@/lib/time";
import { SEARCH_MAX_LENGTH, SEARCH_MIN_LENGTH } from "./search-limits";

// The deliveries list: newest first, filtered by provider, outcome and error
// code, or to the refusals from one sender address, paged by keyset on
// (received_at, id) — the order of the deliveries' main index, and of the
// refusals' by sender — so page 1,000 costs what page 1 does and no COUNT is needed.
// A search by order id finds the deliveries of the transactions it names, and
// the recent refusals whose stored body holds it (those made no transaction to link).

export const DELIVERY_OUTCOMES = ["accepted", "duplicate", "rejected"] as const;
export type DeliveryOutcome = (typeof DELIVERY_OUTCOMES)[number];

export const DELIVERIES_PAGE_SIZE = 50;
/** A search lists deliveries among its transactions' newest this many: a static VA can take years of payments. */
export const SEARCH_MATCH_LIMIT = 1_000;
/** A search reads the bodies of the newest this many refusals, whatever is kept: a bound on the work, not on matches. */
export const SEARCH_REFUSALS_READ = 5_000;

export type Cursor = { receivedAt: Date; id: string };

export function encodeCursor(row: Cursor): string {
  return Buffer.from(`${row.receivedAt.toISOString()}|${row.id}`, "utf8").toString("base64url");
}

function decodeCursor(value: string): Cursor | undefined {
  const [time, id] = Buffer.from(value, "base64url").toString("utf8").split("|");
  const receivedAt = instantFromCursor(time ?? "");
  if (!id || !isUuid(id) || !receivedAt) return undefined;
  return { receivedAt, id };
}

const SENDER_PATTERN = /^[^\u0000-\u001f\u007f]+$/;

/** Whether a stored source address can be the list's sender filter as it is (a link to its refusals). */
export function isSenderFilter(sourceIp: string): boolean {
  return sourceIp.length <= 64 && sourceIp.trim() === sourceIp && SENDER_PATTERN.test(sourceIp);
}

/** A blank or unusable parameter means "no filter", so an edited URL still shows a page. */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (Array.isArray(value) ? value[0] : value === "" ? undefined : value), schema.optional().catch(undefined));

const cursor = z
  .string()
  .max(200)
  .transform((value, ctx) => {
    const decoded = decodeCursor(value);
    if (!decoded) {
      ctx.addIssue({ code: "custom", message: "not a page cursor" });
      return z.NEVER;
    }
    return decoded;
  });

/** The list's state as it lives in the URL: /deliveries?provider=…&outcome=…&errorCode=…&after=… */
export const deliveriesQuerySchema = z.object({
  provider: optional(z.string().refine((name) => findProvider(name) !== undefined)),
  outcome: optional(z.enum(DELIVERY_OUTCOMES)),
  errorCode: optional(z.string().regex(/^[a-z0-9_]{1,64}$/)),
  /** An order id, the provider's transaction id or a VA number. */
  q: optional(z.string().trim().min(SEARCH_MIN_LENGTH).max(SEARCH_MAX_LENGTH)),
  /** The refusals from this source address (as stored: the platform's first X-Forwarded-For address). */
  sender: optional(z.string().trim().min(1).max(64).regex(SENDER_PATTERN)),
  /** Older than this row (the next page). */
  after: optional(cursor),
  /** Newer than this row (the previous page). */
  before: optional(cursor),
});

export type DeliveriesQuery = z.infer<typeof deliveriesQuerySchema>;

export type DeliveryListRow = {
  id: string;
  receivedAt: Date;
  provider: string;
  method: string;
  outcome: DeliveryOutcome;
  httpStatus: number;
  errorCode: string | null;
  reason: string | null;
  signatureValid: boolean | null;
  keyFingerprint: string | null;
  bodySize: number;
  bodyTruncated: boolean;
  sourceIp: string | null;
  transactionId: string | null;
  reprocessedAt: Date | null;
};

export type DeliveriesPage = {
  rows: DeliveryListRow[];
  /** Cursor for the page of newer rows, null on the first page. */
  newer: string | null;
  /** Cursor for the page of older rows, null on the last page. */
  older: string | null;
  /** The search named more transaction deliveries than it lists (SEARCH_MATCH_LIMIT). */
  searchCapped?: boolean;
};

const listSelect = {
  id: true,
  receivedAt: true,
  provider: true,
  method: true,
  outcome: true,
  httpStatus: true,
  errorCode: true,
  reason: true,
  signatureValid: true,
  keyFingerprint: true,
  bodySize: true,
  bodyTruncated: true,
  sourceIp: true,
  transactionId: true,
  reprocessedAt: true,
} satisfies Prisma.DeliverySelect;

/**
 * The deliveries a search names: the newest SEARCH_MATCH_LIMIT of the
 * transactions whose merchant order id, provider transaction id or VA number it
 * is (through the transactions' indexes), and those of the newest
 * SEARCH_REFUSALS_READ refusals whose body holds it. Accepted deliveries are
 * found through their transaction, never by reading bodies; refusals made no
 * transaction to link, so their bodies are read, a bounded number of them.
 */
async function findSearchedDeliveryIds(db: Db, text: string): Promise<{ ids: string[]; capped: boolean }> {
  const rows = await db.$queryRaw<{ id: string; linked: boolean }[]>`
    (SELECT d.id, true AS linked FROM deliveries d
     WHERE d.transaction_id IN (
       SELECT t.id FROM transactions t WHERE t.merchant_order_id = ${text} OR t.provider_transaction_id = ${text} OR t.reference_number = ${text}
     )
     ORDER BY d.received_at DESC
     LIMIT ${SEARCH_MATCH_LIMIT})
    UNION ALL
    (SELECT r.id, false AS linked
     FROM (SELECT id, body FROM deliveries WHERE outcome = 'rejected' ORDER BY received_at DESC LIMIT ${SEARCH_REFUSALS_READ}) r
     WHERE position(convert_to(${text}, 'UTF8') IN r.body) > 0)`;
  // A refusal reprocessed into the transaction is both: listed once.
  const ids = [...new Set(rows.map((row) => row.id))];
  return { ids, capped: rows.filter((row) => row.linked).length >= SEARCH_MATCH_LIMIT };
}

/**
 * The ids of the page of a sender's refusals the query asks for (one more than
 * a page, to tell whether another follows), through the index of refusals by
 * sender. Its predicate is matched only by `outcome = 'rejected'` written in
 * the statement: Prisma would send the outcome as a parameter, which the
 * planner cannot prove the predicate from, and would walk every refusal.
 */
async function findSenderRefusalIds(db: Db, sender: string, query: DeliveriesQuery, take: number): Promise<string[]> {
  const backwards = Boolean(query.before && !query.after);
  const cursor = query.after ?? query.before;
  const position = cursor
    ? backwards
      ? Prisma.sql`AND (received_at, id) > (${cursor.receivedAt}::timestamptz, ${cursor.id}::uuid)`
      : Prisma.sql`AND (received_at, id) < (${cursor.receivedAt}::timestamptz, ${cursor.id}::uuid)`
    : Prisma.empty;
  const rows = await db.$queryRaw<{ id: string }[]>`
    SELECT id FROM deliveries
    WHERE outcome = 'rejected' AND source_ip = ${sender}
      ${query.provider ? Prisma.sql`AND provider = ${query.provider}` : Prisma.empty}
      ${query.errorCode ? Prisma.sql`AND error_code = ${query.errorCode}` : Prisma.empty}
      ${position}
    ORDER BY ${backwards ? Prisma.sql`received_at, id` : Prisma.sql`received_at DESC, id DESC`}
    LIMIT ${take}`;
  return rows.map((row) => row.id);
}

export async function findDeliveries(db: Db, query: DeliveriesQuery, pageSize = DELIVERIES_PAGE_SIZE): Promise<DeliveriesPage> {
  // A sender's deliveries listed are its refusals (the index by sender holds only those): with another outcome, none.
  if (query.sender && query.outcome && query.outcome !== "rejected") return { rows: [], newer: null, older: null };
  const searched = query.q ? await findSearchedDeliveryIds(db, query.q) : null;
  if (searched?.ids.length === 0) return { rows: [], newer: null, older: null };
  // Without a search, the page's ids come through the index of refusals by sender; with one, the search's ids
  // (a bounded number) are narrowed to the sender's refusals like any filter.
  const fromSender = query.sender && !searched ? await findSenderRefusalIds(db, query.sender, query, pageSize + 1) : null;
  const filters: Prisma.DeliveryWhereInput = {
    ...(query.provider ? { provider: query.provider } : {}),
    ...(query.outcome ? { outcome: query.outcome } : {}),
    ...(query.errorCode ? { errorCode: query.errorCode } : {}),
    ...(query.sender ? { sourceIp: query.sender, outcome: "rejected" as const } : {}),
    // An empty list of ids is an empty page, which keeps its way back (the cursor it came from).
    AND: [...(searched ? [{ id: { in: searched.ids } }] : []), ...(fromSender ? [{ id: { in: fromSender } }] : [])],
  };
  const page = await findDeliveriesPage(db, query, filters, pageSize);
  return searched?.capped ? { ...page, searchCapped: true } : page;
}

async function findDeliveriesPage(db: Db, query: DeliveriesQuery, filters: Prisma.DeliveryWhereInput, pageSize: number): Promise<DeliveriesPage> {
  if (query.before && !query.after) {
    const { receivedAt, id } = query.before;
    // The inclusive bound on received_at alone is what lets the index start at the cursor.
    const found = await db.delivery.findMany({
      where: { ...filters, receivedAt: { gte: receivedAt }, OR: [{ receivedAt: { gt: receivedAt } }, { id: { gt: id } }] },
      orderBy: [{ receivedAt: "asc" }, { id: "asc" }],
      take: pageSize + 1,
      select: listSelect,
    });
    const rows = found.slice(0, pageSize).reverse();
    const first = rows[0];
    return {
      rows,
      newer: found.length > pageSize && first ? encodeCursor(first) : null,
      older: encodeCursor(rows[rows.length - 1] ?? query.before),
    };
  }

  const after = query.after;
  const found = await db.delivery.findMany({
    where: after
      ? { ...filters, receivedAt: { lte: after.receivedAt }, OR: [{ receivedAt: { lt: after.receivedAt } }, { id: { lt: after.id } }] }
      : filters,
    orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
    take: pageSize + 1,
    select: listSelect,
  });
  const rows = found.slice(0, pageSize);
  const last = rows[rows.length - 1];
  return {
    rows,
    newer: after ? encodeCursor(rows[0] ?? after) : null,
    older: found.length > pageSize && last ? encodeCursor(last) : null,
  };
}
