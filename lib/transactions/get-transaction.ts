import { z } from "zod";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";

// One transaction with everything the detail page and GET /api/transactions/:id
// show: its deliveries (retries included, bodies left out), its distinct events,
// its duplicate case and the transactions related to it. Amounts are strings,
// times are Dates (JSON turns them into ISO UTC), so the result serialises as is.

/** Ids are UUIDs; anything else is refused before it reaches a uuid column. */
export const transactionIdSchema = z.guid();

const RELATED_LIMIT = 50;

const relatedSelect = {
  id: true,
  provider: true,
  kind: true,
  providerTransactionId: true,
  merchantOrderId: true,
  status: true,
  amount: true,
  currency: true,
  duplicateSource: true,
  firstSeenAt: true,
} satisfies Prisma.TransactionSelect;

type RelatedRow = Prisma.TransactionGetPayload<{ select: typeof relatedSelect }>;
export type RelatedTransaction = Omit<RelatedRow, "amount"> & { amount: string };

export type DeliverySummary = {
  id: string;
  receivedAt: Date;
  method: string;
  outcome: "accepted" | "duplicate" | "rejected";
  httpStatus: number;
  keyFingerprint: string | null;
  signatureValid: boolean | null;
  sourceIp: string | null;
  headers: Record<string, string>;
  bodySize: number;
  bodyTruncated: boolean;
  eventId: string | null;
};

export type EventSummary = {
  id: string;
  eventKey: string;
  eventName: string | null;
  status: string;
  providerStatus: string;
  receivedAt: Date;
  applied: boolean;
  /** Why an event did not move the transaction: a late non-final one, or a second, different final state. */
  notApplied: "stale" | "conflicting" | null;
  payload: unknown;
};

export type CaseSummary = {
  id: string;
  state: "open" | "resolved";
  declared: boolean;
  detected: boolean;
  openedAt: Date;
  resolution: string | null;
  resolvedAt: Date | null;
  resolvedBy: { email: string; name: string | null } | null;
};

/** Finance's decision about conflicting final states, oldest first. */
export type StatusDecisionSummary = {
  id: string;
  decision: string;
  fromProviderStatus: string;
  laterProviderStatus: string;
  note: string | null;
  at: Date;
  user: { email: string } | null;
};

export type TransactionDetail = {
  id: string;
  provider: string;
  kind: string;
  providerTransactionId: string;
  merchantOrderId: string;
  status: string;
  providerStatus: string;
  statusConflict: boolean;
  conflictingStatus: string | null;
  amount: string;
  rawAmount: string;
  currency: string;
  channel: string | null;
  paymentMethod: string | null;
  referenceNumber: string | null;
  reusableOrder: boolean;
  payAmount: string | null;
  payCurrency: string | null;
  exchangeRate: string | null;
  providerCreatedAt: Date | null;
  providerCompletedAt: Date | null;
  firstSeenAt: Date;
  updatedAt: Date;
  orderType: string | null;
  duplicateSource: "declared" | "detected" | null;
  originalMerchantOrderId: string | null;
  originalProviderTransactionId: string | null;
  payload: unknown;
  deliveries: DeliverySummary[];
  events: EventSummary[];
  duplicateCase: CaseSummary | null;
  statusDecisions: StatusDecisionSummary[];
  related: { original: RelatedTransaction | null; duplicates: RelatedTransaction[]; sameOrder: RelatedTransaction[] };
};

const toRelated = (row: RelatedRow): RelatedTransaction => ({ ...row, amount: row.amount.toString() });
const byFirstSeen = (a: RelatedRow, b: RelatedRow) => a.firstSeenAt.getTime() - b.firstSeenAt.getTime() || a.id.localeCompare(b.id);

export async function getTransaction(db: Db, id: string): Promise<TransactionDetail | null> {
  if (!transactionIdSchema.safeParse(id).success) return null;
  const row = await db.transaction.findUnique({
    where: { id },
    include: {
      deliveries: {
        // Time order, then uuid v7 order for deliveries stamped in the same millisecond.
        orderBy: [{ receivedAt: "asc" }, { id: "asc" }],
        omit: { body: true, transactionId: true, provider: true, errorCode: true, reason: true, reprocessedAt: true },
      },
      events: { orderBy: [{ receivedAt: "asc" }, { id: "asc" }], omit: { transactionId: true, provider: true } },
      statusDecisions: {
        orderBy: [{ at: "asc" }, { id: "asc" }],
        select: { id: true, decision: true, fromProviderStatus: true, laterProviderStatus: true, note: true, at: true, user: { select: { email: true } } },
      },
      duplicateCase: {
        select: {
          id: true,
          declared: true,
          detected: true,
          openedAt: true,
          resolution: true,
          resolvedAt: true,
          resolvedBy: { select: { email: true, name: true } },
        },
      },
    },
  });
  if (!row) return null;

  const { deliveries, events, duplicateCase, ...t } = row;
  return {
    ...t,
    amount: t.amount.toString(),
    payAmount: t.payAmount?.toString() ?? null,
    exchangeRate: t.exchangeRate?.toString() ?? null,
    payload: t.payload,
    deliveries: deliveries.map((d) => ({ ...d, headers: asHeaders(d.headers) })),
    events: events.map((e) => ({
      ...e,
      notApplied: e.applied ? null : e.status === "pending" ? "stale" : "conflicting",
    })),
    duplicateCase: duplicateCase ? { ...duplicateCase, state: duplicateCase.resolvedAt ? "resolved" : "open" } : null,
    related: await findRelated(db, t),
  };
}

function asHeaders(value: Prisma.JsonValue): Record<string, string> {
  if (!value || typeof value !== "object" || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).map(([name, v]) => [name, typeof v === "string" ? v : JSON.stringify(v)]));
}

type Self = {
  id: string;
  provider: string;
  merchantOrderId: string;
  providerTransactionId: string;
  duplicateSource: "declared" | "detected" | null;
  duplicateCaseId: string | null;
  originalMerchantOrderId: string | null;
  originalProviderTransactionId: string | null;
};

async function findRelated(db: Db, t: Self): Promise<TransactionDetail["related"]> {
  const orders = [t.merchantOrderId, ...(t.originalMerchantOrderId ? [t.originalMerchantOrderId] : [])];
  const rows = await db.transaction.findMany({
    where: {
      provider: t.provider,
      id: { not: t.id },
      OR: [
        ...(t.duplicateCaseId ? [{ duplicateCaseId: t.duplicateCaseId }] : []),
        ...(t.originalProviderTransactionId ? [{ providerTransactionId: t.originalProviderTransactionId }] : []),
        { originalProviderTransactionId: t.providerTransactionId },
        { merchantOrderId: { in: orders } },
      ],
    },
    select: { ...relatedSelect, duplicateCaseId: true, originalProviderTransactionId: true },
    orderBy: [{ firstSeenAt: "asc" }, { id: "asc" }],
    take: RELATED_LIMIT * 3,
  });

  let original: (typeof rows)[number] | null = null;
  if (t.duplicateSource) {
    // The provider named the original; failing that, the case's first unflagged successful payment.
    original =
      rows.find((r) => t.originalProviderTransactionId && r.providerTransactionId === t.originalProviderTransactionId) ??
      rows.filter((r) => t.duplicateCaseId && r.duplicateCaseId === t.duplicateCaseId && !r.duplicateSource && r.status === "succeeded").sort(byFirstSeen)[0] ??
      null;
  }
  const duplicates = t.duplicateSource
    ? []
    : rows.filter(
        (r) =>
          r.duplicateSource &&
          ((t.duplicateCaseId && r.duplicateCaseId === t.duplicateCaseId) || r.originalProviderTransactionId === t.providerTransactionId),
      );
  const shown = new Set([original?.id, ...duplicates.map((r) => r.id)]);
  const sameOrder = rows.filter((r) => !shown.has(r.id) && (orders.includes(r.merchantOrderId) || (t.duplicateCaseId !== null && r.duplicateCaseId === t.duplicateCaseId)));

  const strip = ({ duplicateCaseId: _case, originalProviderTransactionId: _original, ...r }: (typeof rows)[number]) => toRelated(r);
  return {
    original: original ? strip(original) : null,
    duplicates: duplicates.slice(0, RELATED_LIMIT).map(strip),
    sameOrder: sameOrder.slice(0, RELATED_LIMIT).map(strip),
  };
}

export type DeliveryBody = {
  deliveryId: string;
  /** The bytes decoded as UTF-8, invalid sequences replaced by U+FFFD. */
  text: string;
  validUtf8: boolean;
  /** The exact bytes, for copying. */
  base64: string;
  size: number;
  truncated: boolean;
};

/** The raw body of one delivery of a transaction; null when the delivery is not this transaction's. */
export async function getTransactionDeliveryBody(db: Db, transactionId: string, deliveryId: string): Promise<DeliveryBody | null> {
  if (!transactionIdSchema.safeParse(transactionId).success || !transactionIdSchema.safeParse(deliveryId).success) return null;
  const row = await db.delivery.findFirst({
    where: { id: deliveryId, transactionId },
    select: { id: true, body: true, bodySize: true, bodyTruncated: true },
  });
  if (!row) return null;
  const bytes = Buffer.from(row.body);
  return {
    deliveryId: row.id,
    ...decodeBody(bytes),
    base64: bytes.toString("base64"),
    size: row.bodySize,
    truncated: row.bodyTruncated,
  };
}

export function decodeBody(bytes: Uint8Array): { text: string; validUtf8: boolean } {
  // ignoreBOM keeps a leading byte-order mark in the text: the body is shown as it arrived.
  try {
    return { text: new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes), validUtf8: true };
  } catch {
    return { text: new TextDecoder("utf-8", { fatal: false, ignoreBOM: true }).decode(bytes), validUtf8: false };
  }
}
