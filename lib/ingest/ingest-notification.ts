import type { Db } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { queryRows } from "@/lib/db/query-rows";
import { Prisma } from "@/lib/generated/prisma/client";
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

const json = (value: unknown) => Prisma.sql`${JSON.stringify(value)}::jsonb`;
const time = (value: Date | null) => Prisma.sql`${value ? value.toISOString() : null}::timestamptz`;
const decimal = (value: string | null) => Prisma.sql`${value}::numeric`;
const uuid = (value: string) => Prisma.sql`${value}::uuid`;

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
  const statement = Prisma.sql`
    SELECT r_outcome AS outcome, r_transaction_id::text AS transaction_id, r_event_id::text AS event_id, r_applied AS applied
    FROM ingest_notification(
      ${orderLockKey(n.provider, n.originalMerchantOrderId ?? n.merchantOrderId)},
      ${n.provider}, ${n.eventKey}, ${n.eventName}, ${n.kind}, ${n.providerTransactionId},
      ${n.merchantOrderId}, ${n.status}, ${n.providerStatus}, ${decimal(n.amount)}, ${n.currency},
      ${n.rawAmount}, ${n.channel}, ${n.paymentMethod}, ${n.referenceNumber}, ${n.reusableOrder}::boolean,
      ${decimal(n.payAmount)}, ${n.payCurrency}, ${decimal(n.exchangeRate)},
      ${time(n.providerCreatedAt)}, ${time(n.providerCompletedAt)}, ${n.orderType},
      ${n.declaredDuplicate}::boolean, ${n.originalMerchantOrderId}, ${n.originalProviderTransactionId},
      ${json(n.payload)},
      ${time(delivery.receivedAt)}, ${delivery.method}, ${delivery.keyFingerprint}, ${json(delivery.headers)}, ${delivery.sourceIp},
      ${new Uint8Array(delivery.body)}::bytea, ${delivery.bodySize}::integer, ${delivery.bodyTruncated}::boolean,
      ${uuid(deliveryId)}, ${uuid(uuid7())}, ${uuid(uuid7())}, ${uuid(uuid7())}, ${uuid(uuid7())}, ${time(new Date())}
    )`;
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
