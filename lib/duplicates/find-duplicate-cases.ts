import type { Db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { instantFromCursor } from "@/lib/time";

// Orders paid more than once, one DuplicateCase each, newest first, paged by
// keyset on (openedAt, id) so a long history never needs a count or an offset.

export const CASE_STATES = ["open", "resolved", "all"] as const;
export type CaseState = (typeof CASE_STATES)[number];

export const MAX_CASES_PER_PAGE = 25;
/** A case is a handful of payments; this bounds a pathological one. */
const MAX_PAYMENTS_PER_CASE = 100;

export type FindDuplicateCasesInput = {
  status?: CaseState;
  provider?: string;
  limit?: number;
  /** An opaque cursor from a previous page's nextCursor / prevCursor. */
  cursor?: string | null;
  /** Only this case (a link from a transaction's page). */
  caseId?: string;
  /** False: leave out each case's payments and history (`payments` and `actions` empty), for the export, which needs neither. */
  details?: boolean;
};

/**
 * original: the first successful payment Payhook did not flag; declared / detected: a flagged extra payment;
 * extra: a further successful payment in the case; attempt: a payment that did not succeed.
 */
export type PaymentRole = "original" | "declared" | "detected" | "extra" | "attempt";

export type CasePayment = {
  id: string;
  providerTransactionId: string;
  merchantOrderId: string;
  amount: string;
  currency: string;
  status: string;
  firstSeenAt: Date;
  providerCompletedAt: Date | null;
  role: PaymentRole;
  /** True for the successful payments beyond the original: the overpayment. */
  overpaid: boolean;
};

export type CaseAction = {
  id: string;
  action: string;
  resolution: string | null;
  note: string | null;
  at: Date;
  /** Null when Payhook itself acted. */
  user: { email: string; name: string | null } | null;
};

export type DuplicateCaseSummary = {
  id: string;
  provider: string;
  merchantOrderId: string;
  declared: boolean;
  detected: boolean;
  openedAt: Date;
  state: "open" | "resolved";
  resolution: string | null;
  resolutionNote: string | null;
  resolvedAt: Date | null;
  resolvedBy: { email: string; name: string | null } | null;
  /** The first MAX_PAYMENTS_PER_CASE of the case's payments, oldest first. */
  payments: CasePayment[];
  /** How many payments the case holds, all of them: what a resolution covers. */
  paymentCount: number;
  /** Per currency, the sum of the successful payments beyond the original, exact. */
  overpaid: { currency: string; amount: string }[];
  actions: CaseAction[];
};

export type DuplicateCasePage = { cases: DuplicateCaseSummary[]; nextCursor: string | null; prevCursor: string | null };

type Cursor = { openedAt: Date; id: string; direction: "next" | "prev" };

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.direction, cursor.openedAt.toISOString(), cursor.id])).toString("base64url");
}

/** A cursor that does not decode (edited by hand, from an old version) means the first page. */
export function decodeCursor(value: string | null | undefined): Cursor | null {
  if (!value) return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
    if (!Array.isArray(parsed) || parsed.length !== 3) return null;
    const [direction, openedAt, id] = parsed as unknown[];
    if ((direction !== "next" && direction !== "prev") || typeof openedAt !== "string" || typeof id !== "string") return null;
    const date = instantFromCursor(openedAt);
    if (!date || !/^[0-9a-f-]{36}$/i.test(id)) return null;
    return { direction, openedAt: date, id };
  } catch {
    return null;
  }
}

function stateFilter(status: CaseState): Prisma.DuplicateCaseWhereInput {
  if (status === "open") return { resolvedAt: null };
  if (status === "resolved") return { resolvedAt: { not: null } };
  return {};
}

export async function findDuplicateCases(db: Db, input: FindDuplicateCasesInput = {}): Promise<DuplicateCasePage> {
  const limit = Math.min(Math.max(Math.trunc(input.limit ?? MAX_CASES_PER_PAGE), 1), MAX_CASES_PER_PAGE);
  const cursor = decodeCursor(input.cursor);
  const backwards = cursor?.direction === "prev";
  const keyset: Prisma.DuplicateCaseWhereInput = cursor
    ? backwards
      ? { OR: [{ openedAt: { gt: cursor.openedAt } }, { openedAt: cursor.openedAt, id: { gt: cursor.id } }] }
      : { OR: [{ openedAt: { lt: cursor.openedAt } }, { openedAt: cursor.openedAt, id: { lt: cursor.id } }] }
    : {};
  const order = backwards ? "asc" : "desc";
  const details = input.details !== false;

  const rows = await db.duplicateCase.findMany({
    where: {
      ...stateFilter(input.caseId ? "all" : (input.status ?? "open")),
      ...(input.provider ? { provider: input.provider } : {}),
      ...(input.caseId ? { id: input.caseId } : {}),
      ...keyset,
    },
    orderBy: [{ openedAt: order }, { id: order }],
    take: limit + 1,
    include: {
      resolvedBy: { select: { email: true, name: true } },
      transactions: {
        orderBy: [{ firstSeenAt: "asc" }, { id: "asc" }],
        take: details ? MAX_PAYMENTS_PER_CASE : 0,
        select: {
          id: true,
          kind: true,
          providerTransactionId: true,
          merchantOrderId: true,
          amount: true,
          currency: true,
          status: true,
          firstSeenAt: true,
          providerCompletedAt: true,
          duplicateSource: true,
        },
      },
      actions: { take: details ? undefined : 0, orderBy: [{ at: "asc" }, { id: "asc" }], include: { user: { select: { email: true, name: true } } } },
    },
  });

  const more = rows.length > limit;
  const page = rows.slice(0, limit);
  if (backwards) page.reverse();
  const first = page[0];
  const last = page[page.length - 1];
  const nextCursor = last && (backwards ? cursor !== null : more) ? encodeCursor({ ...last, direction: "next" }) : null;
  const prevCursor = first && (backwards ? more : cursor !== null) ? encodeCursor({ ...first, direction: "prev" }) : null;

  const caseIds = page.map((row) => row.id);
  const [overpaid, paymentCounts] = await Promise.all([sumOverpaid(db, caseIds), countCasePayments(db, caseIds)]);
  const cases = page.map((row): DuplicateCaseSummary => {
    const original = row.transactions.find((t) => t.kind === "payment" && t.status === "succeeded" && !t.duplicateSource);
    return {
      id: row.id,
      provider: row.provider,
      merchantOrderId: row.merchantOrderId,
      declared: row.declared,
      detected: row.detected,
      openedAt: row.openedAt,
      state: row.resolvedAt ? "resolved" : "open",
      resolution: row.resolution,
      resolutionNote: row.resolutionNote,
      resolvedAt: row.resolvedAt,
      resolvedBy: row.resolvedBy,
      payments: row.transactions.map(({ kind: _kind, duplicateSource, ...t }) => {
        const role: PaymentRole =
          t.id === original?.id ? "original" : (duplicateSource ?? (t.status === "succeeded" ? "extra" : "attempt"));
        return { ...t, amount: t.amount.toString(), role, overpaid: t.status === "succeeded" && role !== "original" };
      }),
      paymentCount: paymentCounts.get(row.id) ?? row.transactions.length,
      overpaid: overpaid.get(row.id) ?? [],
      actions: row.actions.map(({ caseId: _case, userId: _user, ...action }) => action),
    };
  });
  return { cases, nextCursor, prevCursor };
}

/**
 * How many payments each case holds, through the index on duplicate_case_id.
 * Not Prisma's relation `_count`, which groups the whole transactions table
 * and joins the result (a count over a million rows on every page load).
 */
async function countCasePayments(db: Db, caseIds: string[]): Promise<Map<string, number>> {
  if (caseIds.length === 0) return new Map();
  const rows = await db.$queryRaw<{ case_id: string; payments: number }[]>`
    SELECT duplicate_case_id::text AS case_id, count(*)::int AS payments
    FROM transactions
    WHERE duplicate_case_id IN (${Prisma.join(caseIds.map((id) => Prisma.sql`${id}::uuid`))})
    GROUP BY duplicate_case_id`;
  return new Map(rows.map((row) => [row.case_id, Number(row.payments)]));
}

/**
 * The overpayment per case and currency, summed by PostgreSQL in NUMERIC: every
 * successful payment except the original, which is the case's first successful
 * payment that no one flagged (same rule as the roles above).
 */
async function sumOverpaid(db: Db, caseIds: string[]): Promise<Map<string, { currency: string; amount: string }[]>> {
  const totals = new Map<string, { currency: string; amount: string }[]>();
  if (caseIds.length === 0) return totals;
  const rows = await db.$queryRaw<{ case_id: string; currency: string; amount: string }[]>`
    SELECT case_id::text AS case_id, currency, SUM(amount)::text AS amount
    FROM (
      SELECT duplicate_case_id AS case_id, currency, amount, duplicate_source,
             ROW_NUMBER() OVER (
               PARTITION BY duplicate_case_id, (duplicate_source IS NULL)
               ORDER BY first_seen_at, id
             ) AS position
      FROM transactions
      WHERE duplicate_case_id IN (${Prisma.join(caseIds.map((id) => Prisma.sql`${id}::uuid`))})
        AND kind = 'payment' AND status = 'succeeded'
    ) AS paid
    WHERE NOT (duplicate_source IS NULL AND position = 1)
    GROUP BY case_id, currency
    ORDER BY case_id, currency`;
  for (const row of rows) {
    const list = totals.get(row.case_id) ?? [];
    list.push({ currency: row.currency, amount: trimZeros(row.amount) });
    totals.set(row.case_id, list);
  }
  return totals;
}

/** "67.00000000" → "67", "33.50000000" → "33.5": the form Prisma's Decimal prints. */
function trimZeros(amount: string): string {
  return amount.includes(".") ? amount.replace(/\.?0+$/, "") : amount;
}

export async function countOpenDuplicateCases(db: Db): Promise<number> {
  return db.duplicateCase.count({ where: { resolvedAt: null } });
}
