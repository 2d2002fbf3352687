import type { Db } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { queryRows, type Statement } from "@/lib/db/query-rows";
import type { Notification } from "@/lib/providers/types";
import type { DeliveryInput } from "./delivery-input";
import { orderLockKey } from "./lock-order";
import { uuid7 } from "./uuid7";

export type IngestResult = {
  outcome: "accepted" | "duplicate";
  deliveryId: string;
  transactionId: string;
  eventId: string;
  /** False when the event was stale or conflicting and left the transaction's status as it was. */
  applied: boolean;
};

type Verified = DeliveryInput & { keyFingerprint: string };

type Row = { outcome: IngestResult["outcome"]; transaction_id: string; event_id: string; applied: boolean };

const ATTEMPTS = 3;

type Input = { n: Notification; delivery: Verified; deliveryId: string };

const time = (value: Date | null) => (value ? value.toISOString() : null);

// ingest_notification's arguments in order: the cast each placeholder gets and
// where its value comes from. The statement's text is built once from this
// list, so a webhook only fills in the values (and PostgreSQL, which has the
// statement prepared, only binds them).
const ARGUMENTS: readonly (readonly [cast: string, value: (input: Input) => unknown])[] = [
  ["", ({ n }) => orderLockKey(n.provider, n.originalMerchantOrderId ?? n.merchantOrderId)],
  ["", ({ n }) => n.provider],
  ["", ({ n }) => n.eventKey],
  ["", ({ n }) => n.eventName],
  ["", ({ n }) => n.kind],
  ["", ({ n }) => n.providerTransactionId],
  ["", ({ n }) => n.merchantOrderId],
  ["", ({ n }) => n.status],
  ["", ({ n }) => n.providerStatus],
  ["::numeric", ({ n }) => n.amount],
  ["", ({ n }) => n.currency],
  ["", ({ n }) => n.rawAmount],
  ["", ({ n }) => n.channel],
  ["", ({ n }) => n.paymentMethod],
  ["", ({ n }) => n.referenceNumber],
  ["::boolean", ({ n }) => n.reusableOrder],
  ["::numeric", ({ n }) => n.payAmount],
  ["", ({ n }) => n.payCurrency],
  ["::numeric", ({ n }) => n.exchangeRate],
  ["::timestamptz", ({ n }) => time(n.providerCreatedAt)],
  ["::timestamptz", ({ n }) => time(n.providerCompletedAt)],
  ["", ({ n }) => n.orderType],
  ["::boolean", ({ n }) => n.declaredDuplicate],
  ["", ({ n }) => n.originalMerchantOrderId],
  ["", ({ n }) => n.originalProviderTransactionId],
  ["::jsonb", ({ n }) => JSON.stringify(n.payload)],
  ["::timestamptz", ({ delivery }) => time(delivery.receivedAt)],
  ["", ({ delivery }) => delivery.method],
  ["", ({ delivery }) => delivery.keyFingerprint],
  ["::jsonb", ({ delivery }) => JSON.stringify(delivery.headers)],
  ["", ({ delivery }) => delivery.sourceIp],
  ["::bytea", ({ delivery }) => new Uint8Array(delivery.body)],
  ["::integer", ({ delivery }) => delivery.bodySize],
  ["::boolean", ({ delivery }) => delivery.bodyTruncated],
  // The ids of the delivery, and of the event, duplicate case and its first action should this notification make them.
  ["::uuid", ({ deliveryId }) => deliveryId],
  ["::uuid", () => uuid7()],
  ["::uuid", () => uuid7()],
  ["::uuid", () => uuid7()],
  ["::uuid", () => uuid7()],
  ["::timestamptz", () => time(new Date())],
];

const TEXT =
  "SELECT r_outcome AS outcome, r_transaction_id::text AS transaction_id, r_event_id::text AS event_id, r_applied AS applied " +
  `FROM ingest_notification(${ARGUMENTS.map(([cast], i) => `$${i + 1}${cast}`).join(", ")})`;

/**
 * Stores a verified notification: its delivery, its event (once per event
 * identity), its transaction's new state and any duplicate-payment flag. When
 * this returns, the notification is durable and may be acknowledged.
 *
 * This is the hot path of every webhook, so the whole of it is one statement:
 * the database function ingest_notification (its migration holds the SQL and
 * the rules: the order lock, the status transitions, duplicate detection). Sent
 * on its own, the statement is its own transaction: one round trip, and no
 * transaction stays open while this process does other work. The status rules
 * are those of a final state never turned back by a late pending one, and a
 * second, different final state kept as a conflict; duplicates are those
 * PayerMax declares and second successful payments of a one-time order.
 */
export async function ingestNotification(db: Db, n: Notification, delivery: Verified): Promise<IngestResult> {
  const deliveryId = uuid7();
  const input: Input = { n, delivery, deliveryId };
  const statement: Statement = { text: TEXT, values: ARGUMENTS.map(([, value]) => value(input)) };
  for (let attempt = 1; ; attempt++) {
    try {
      const [row] = await queryRows<Row>(db, statement);
      if (!row) throw new Error("ingest_notification returned no row");
      return { outcome: row.outcome, deliveryId, transactionId: row.transaction_id, eventId: row.event_id, applied: row.applied };
    } catch (error) {
      // A unique key lost to a concurrent writer: run again and find its row.
      if (attempt < ATTEMPTS && isUniqueViolation(error)) continue;
      throw error;
    }
  }
}
