import type { Db } from "@/lib/db/client";
import { isUuid } from "@/lib/db/is-uuid";

// One delivery with everything its detail page shows: the stored (redacted)
// headers, the body decoded for display, the transaction it belongs to and the
// reprocessing that links a rejected delivery to the accepted one it became.

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const lenientUtf8 = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });

export type DecodedBody = {
  /** The stored bytes as UTF-8, with U+FFFD for bytes that are not valid UTF-8. */
  text: string;
  validUtf8: boolean;
  startsWithBom: boolean;
  storedBytes: number;
};

export function decodeBodyForDisplay(bytes: Uint8Array): DecodedBody {
  let validUtf8 = true;
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    validUtf8 = false;
    text = lenientUtf8.decode(bytes);
  }
  const startsWithBom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  return { text, validUtf8, startsWithBom, storedBytes: bytes.byteLength };
}

export type LinkedDelivery = { id: string; outcome: "accepted" | "duplicate" | "rejected"; receivedAt: Date; reprocessedAt: Date | null };

export type DeliveryDetail = {
  id: string;
  receivedAt: Date;
  provider: string;
  method: string;
  outcome: "accepted" | "duplicate" | "rejected";
  httpStatus: number;
  errorCode: string | null;
  reason: string | null;
  signatureValid: boolean | null;
  keyFingerprint: string | null;
  headers: [name: string, value: string][];
  sourceIp: string | null;
  bodySize: number;
  bodyTruncated: boolean;
  body: DecodedBody;
  reprocessedAt: Date | null;
  /** Who reprocessed it, when an admin did from the page. */
  reprocessedBy: { email: string } | null;
  event: { id: string; eventKey: string; eventName: string | null } | null;
  transaction: {
    id: string;
    kind: string;
    merchantOrderId: string;
    providerTransactionId: string;
    status: string;
    amount: string;
    currency: string;
  } | null;
  /** For a reprocessed rejected delivery: the delivery it became. */
  reprocessedInto: LinkedDelivery | null;
  /** For a delivery made by reprocessing: the rejected delivery it came from. */
  reprocessedFrom: LinkedDelivery | null;
};

function headerPairs(value: unknown): [string, string][] {
  if (!value || typeof value !== "object" || Array.isArray(value)) return [];
  return Object.entries(value as Record<string, unknown>)
    .map(([name, text]): [string, string] => [name, typeof text === "string" ? text : JSON.stringify(text)])
    .sort(([a], [b]) => a.localeCompare(b));
}

const linkedSelect = { id: true, outcome: true, receivedAt: true, reprocessedAt: true } as const;

export async function getDelivery(db: Db, id: string): Promise<DeliveryDetail | null> {
  if (!isUuid(id)) return null;
  const row = await db.delivery.findUnique({
    where: { id },
    include: {
      event: { select: { id: true, eventKey: true, eventName: true } },
      reprocessedBy: { select: { email: true } },
      transaction: {
        select: { id: true, kind: true, merchantOrderId: true, providerTransactionId: true, status: true, amount: true, currency: true },
      },
    },
  });
  if (!row) return null;

  // Reprocessing stores the same bytes again under the same receipt time and
  // transaction; that triple identifies the pair without a column of its own.
  let reprocessedInto: LinkedDelivery | null = null;
  let reprocessedFrom: LinkedDelivery | null = null;
  if (row.transactionId) {
    const same = { transactionId: row.transactionId, receivedAt: row.receivedAt, body: { equals: row.body }, id: { not: row.id } };
    if (row.outcome === "rejected" && row.reprocessedAt) {
      reprocessedInto = await db.delivery.findFirst({
        where: { ...same, outcome: { in: ["accepted", "duplicate"] } },
        orderBy: { id: "asc" },
        select: linkedSelect,
      });
    } else if (row.outcome !== "rejected") {
      reprocessedFrom = await db.delivery.findFirst({
        where: { ...same, outcome: "rejected", reprocessedAt: { not: null } },
        select: linkedSelect,
      });
    }
  }

  return {
    id: row.id,
    receivedAt: row.receivedAt,
    provider: row.provider,
    method: row.method,
    outcome: row.outcome,
    httpStatus: row.httpStatus,
    errorCode: row.errorCode,
    reason: row.reason,
    signatureValid: row.signatureValid,
    keyFingerprint: row.keyFingerprint,
    headers: headerPairs(row.headers),
    sourceIp: row.sourceIp,
    bodySize: row.bodySize,
    bodyTruncated: row.bodyTruncated,
    body: decodeBodyForDisplay(row.body),
    reprocessedAt: row.reprocessedAt,
    reprocessedBy: row.reprocessedBy,
    event: row.event,
    transaction: row.transaction ? { ...row.transaction, amount: row.transaction.amount.toString() } : null,
    reprocessedInto,
    reprocessedFrom,
  };
}
