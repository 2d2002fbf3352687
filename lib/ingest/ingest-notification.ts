import type { Db } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { inTransaction, type SqlRunner } from "@/lib/db/transaction";
import { Prisma } from "@/lib/generated/prisma/client";
import type { Notification } from "@/lib/providers/types";
import { decideStatus } from "@/lib/transactions/decide-status";
import type { DeliveryInput } from "./delivery-input";
import { duplicateCheckColumns, flagDuplicates, needsDuplicateCheck, type DuplicateCheck } from "./flag-duplicates";
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

const ATTEMPTS = 3;

/**
 * Stores a verified notification: its delivery, its event (once per event
 * identity), its transaction's new state and any duplicate-payment flag, all in
 * one database transaction. When this returns, the notification is durable and
 * may be acknowledged.
 *
 * This is the hot path of every webhook, so it is written as a few SQL
 * statements rather than one ORM call per row: after the order lock (sent with
 * BEGIN), one read (is the event known? what state is the transaction in?) and
 * one write (the transaction, the event and the delivery in a single statement,
 * which for a successful payment also looks for other payments of its order),
 * then COMMIT. Further statements only when a duplicate is found. Each round
 * trip and each ORM call costs the server more CPU than the database's work,
 * which is also why, on PostgreSQL, the transaction runs on the pg pool
 * directly rather than through Prisma (lib/db/transaction.ts).
 */
export async function ingestNotification(db: Db, notification: Notification, delivery: Verified): Promise<IngestResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await inTransaction(db, (run) => ingestWithin(run, notification, delivery), {
        maxWaitMs: 10_000,
        timeoutMs: 20_000,
        advisoryLock: orderLockKey(notification.provider, notification.originalMerchantOrderId ?? notification.merchantOrderId),
      });
    } catch (error) {
      // A unique key lost to a concurrent writer: run again and find its row.
      if (attempt < ATTEMPTS && isUniqueViolation(error)) continue;
      throw error;
    }
  }
}

type State = {
  event_id: string | null;
  event_transaction_id: string | null;
  transaction_id: string | null;
  status: Notification["status"] | null;
  reusable_order: boolean | null;
};

const json = (value: unknown) => Prisma.sql`${JSON.stringify(value)}::jsonb`;
const time = (value: Date | null) => Prisma.sql`${value ? value.toISOString() : null}::timestamptz`;
const decimal = (value: string | null) => Prisma.sql`${value}::numeric`;

function insertDelivery(delivery: Verified, outcome: "accepted" | "duplicate", ids: { delivery: string; event: string; transaction: string }): Prisma.Sql {
  return Prisma.sql`
    INSERT INTO deliveries (id, received_at, provider, method, outcome, http_status, key_fingerprint, signature_valid, headers,
                            source_ip, body, body_size, body_truncated, event_id, transaction_id)
    VALUES (${ids.delivery}::uuid, ${time(delivery.receivedAt)}, ${delivery.provider}, ${delivery.method},
            CAST(${outcome}::text AS "DeliveryOutcome"), 200, ${delivery.keyFingerprint}, true, ${json(delivery.headers)},
            ${delivery.sourceIp}, ${new Uint8Array(delivery.body)}, ${delivery.bodySize}, ${delivery.bodyTruncated},
            ${ids.event}::uuid, ${ids.transaction}::uuid)`;
}

/** The columns a notification sets on its transaction, in one order for INSERT and UPDATE alike. */
function transactionColumns(n: Notification, payload: Prisma.Sql): [string, Prisma.Sql][] {
  return [
    ["merchant_order_id", Prisma.sql`${n.merchantOrderId}`],
    ["status", Prisma.sql`CAST(${n.status}::text AS "TransactionStatus")`],
    ["provider_status", Prisma.sql`${n.providerStatus}`],
    ["amount", decimal(n.amount)],
    ["currency", Prisma.sql`${n.currency}`],
    ["raw_amount", Prisma.sql`${n.rawAmount}`],
    ["channel", Prisma.sql`${n.channel}`],
    ["payment_method", Prisma.sql`${n.paymentMethod}`],
    ["reference_number", Prisma.sql`${n.referenceNumber}`],
    ["reusable_order", Prisma.sql`${n.reusableOrder}`],
    ["pay_amount", decimal(n.payAmount)],
    ["pay_currency", Prisma.sql`${n.payCurrency}`],
    ["exchange_rate", decimal(n.exchangeRate)],
    ["provider_created_at", time(n.providerCreatedAt)],
    ["provider_completed_at", time(n.providerCompletedAt)],
    ["order_type", Prisma.sql`${n.orderType}`],
    ["original_merchant_order_id", Prisma.sql`${n.originalMerchantOrderId}`],
    ["original_provider_transaction_id", Prisma.sql`${n.originalProviderTransactionId}`],
    ["payload", payload],
    ["updated_at", time(new Date())],
  ];
}

function insertTransaction(n: Notification, payload: Prisma.Sql, id: string, firstSeenAt: Date): Prisma.Sql {
  const columns = transactionColumns(n, payload);
  return Prisma.sql`
    INSERT INTO transactions (id, provider, kind, provider_transaction_id, first_seen_at, ${Prisma.raw(columns.map(([name]) => name).join(", "))})
    VALUES (${id}::uuid, ${n.provider}, CAST(${n.kind}::text AS "TransactionKind"), ${n.providerTransactionId}, ${time(firstSeenAt)},
            ${Prisma.join(columns.map(([, value]) => value))})`;
}

function updateTransaction(n: Notification, payload: Prisma.Sql, id: string, decision: "apply" | "conflict"): Prisma.Sql {
  const set =
    decision === "apply"
      ? Prisma.join(transactionColumns(n, payload).map(([name, value]) => Prisma.sql`${Prisma.raw(name)} = ${value}`))
      : Prisma.sql`status_conflict = true, conflicting_status = ${n.providerStatus}, updated_at = ${time(new Date())}`;
  return Prisma.sql`UPDATE transactions SET ${set} WHERE id = ${id}::uuid`;
}

/** Runs under the order's advisory lock, taken when the transaction began. */
async function ingestWithin(run: SqlRunner, n: Notification, delivery: Verified): Promise<IngestResult> {
  const [state] = await run.query<State>(Prisma.sql`
    SELECT e.id::text AS event_id, e.transaction_id::text AS event_transaction_id,
           t.id::text AS transaction_id, t.status::text AS status, t.reusable_order
    FROM (VALUES (1)) AS one (x)
    LEFT JOIN events e ON e.provider = ${n.provider} AND e.event_key = ${n.eventKey}
    LEFT JOIN transactions t
      ON t.provider = ${n.provider} AND t.kind = CAST(${n.kind}::text AS "TransactionKind") AND t.provider_transaction_id = ${n.providerTransactionId}`);

  const deliveryId = uuid7();
  if (state?.event_id && state.event_transaction_id) {
    const ids = { delivery: deliveryId, event: state.event_id, transaction: state.event_transaction_id };
    await run.execute(insertDelivery(delivery, "duplicate", ids));
    return { outcome: "duplicate", deliveryId, transactionId: ids.transaction, eventId: ids.event, applied: false };
  }

  const eventId = uuid7();
  // The payload goes into the event and the transaction: serialised once.
  const payload = json(n.payload);
  let transactionId: string;
  let reusableOrder: boolean;
  let applied = true;
  let writeTransaction: Prisma.Sql | null;
  if (!state?.transaction_id || !state.status) {
    transactionId = uuid7();
    reusableOrder = n.reusableOrder;
    writeTransaction = insertTransaction(n, payload, transactionId, delivery.receivedAt);
  } else {
    transactionId = state.transaction_id;
    const decision = decideStatus(state.status, n.status);
    applied = decision === "apply" || decision === "same";
    reusableOrder = decision === "apply" ? n.reusableOrder : Boolean(state.reusable_order);
    writeTransaction = decision === "apply" || decision === "conflict" ? updateTransaction(n, payload, transactionId, decision) : null;
  }

  const insertEvent = Prisma.sql`
    INSERT INTO events (id, provider, event_key, event_name, status, provider_status, received_at, payload, applied, transaction_id)
    VALUES (${eventId}::uuid, ${n.provider}, ${n.eventKey}, ${n.eventName}, CAST(${n.status}::text AS "TransactionStatus"),
            ${n.providerStatus}, ${time(delivery.receivedAt)}, ${payload}, ${applied}, ${transactionId}::uuid)`;
  const writeDelivery = insertDelivery(delivery, "accepted", { delivery: deliveryId, event: eventId, transaction: transactionId });
  // A successful one-time payment also asks, in the same statement, what duplicate detection needs to know.
  const check = applied && needsDuplicateCheck(n, reusableOrder) ? duplicateCheckColumns(n.provider, n.merchantOrderId, transactionId) : null;
  // One statement: foreign keys are checked at its end, when all three rows exist.
  const write = Prisma.sql`
    WITH ${writeTransaction ? Prisma.sql`written_transaction AS (${writeTransaction}),` : Prisma.empty}
         written_event AS (${insertEvent})
    ${check ? Prisma.sql`, written_delivery AS (${writeDelivery}) SELECT ${check}` : writeDelivery}`;
  let checked: DuplicateCheck | undefined;
  if (check) [checked] = await run.query<DuplicateCheck>(write);
  else await run.execute(write);
  if (applied) await flagDuplicates(run, { id: transactionId, reusableOrder }, n, checked);

  return { outcome: "accepted", deliveryId, transactionId, eventId, applied };
}
