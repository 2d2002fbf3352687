import type { Db } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Notification } from "@/lib/providers/types";
import { decideStatus } from "@/lib/transactions/decide-status";
import type { DeliveryInput } from "./delivery-input";
import { flagDuplicates } from "./flag-duplicates";
import { lockOrder } from "./lock-order";

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
 */
export async function ingestNotification(db: Db, notification: Notification, delivery: Verified): Promise<IngestResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.$transaction((tx) => ingestWithin(tx, notification, delivery), {
        maxWait: 10_000,
        timeout: 20_000,
      });
    } catch (error) {
      // A unique key lost to a concurrent writer: run again and find its row.
      if (attempt < ATTEMPTS && isUniqueViolation(error)) continue;
      throw error;
    }
  }
}

function deliveryRow(delivery: Verified, outcome: "accepted" | "duplicate", eventId: string, transactionId: string) {
  return {
    provider: delivery.provider,
    method: delivery.method,
    receivedAt: delivery.receivedAt,
    outcome,
    httpStatus: 200,
    keyFingerprint: delivery.keyFingerprint,
    signatureValid: true,
    headers: delivery.headers,
    sourceIp: delivery.sourceIp,
    body: new Uint8Array(delivery.body),
    bodySize: delivery.bodySize,
    bodyTruncated: delivery.bodyTruncated,
    eventId,
    transactionId,
  };
}

function transactionFields(n: Notification) {
  return {
    merchantOrderId: n.merchantOrderId,
    providerStatus: n.providerStatus,
    amount: n.amount,
    currency: n.currency,
    rawAmount: n.rawAmount,
    channel: n.channel,
    paymentMethod: n.paymentMethod,
    referenceNumber: n.referenceNumber,
    reusableOrder: n.reusableOrder,
    payAmount: n.payAmount,
    payCurrency: n.payCurrency,
    exchangeRate: n.exchangeRate,
    providerCreatedAt: n.providerCreatedAt,
    providerCompletedAt: n.providerCompletedAt,
    orderType: n.orderType,
    originalMerchantOrderId: n.originalMerchantOrderId,
    originalProviderTransactionId: n.originalProviderTransactionId,
    payload: n.payload as Prisma.InputJsonObject,
  };
}

async function ingestWithin(tx: Prisma.TransactionClient, n: Notification, delivery: Verified): Promise<IngestResult> {
  await lockOrder(tx, n.provider, n.originalMerchantOrderId ?? n.merchantOrderId);

  const known = await tx.event.findUnique({
    where: { provider_eventKey: { provider: n.provider, eventKey: n.eventKey } },
    select: { id: true, transactionId: true },
  });
  if (known) {
    const retry = await tx.delivery.create({
      data: deliveryRow(delivery, "duplicate", known.id, known.transactionId),
      select: { id: true },
    });
    return { outcome: "duplicate", deliveryId: retry.id, transactionId: known.transactionId, eventId: known.id, applied: false };
  }

  const identity = { provider: n.provider, kind: n.kind, providerTransactionId: n.providerTransactionId };
  const current = await tx.transaction.findUnique({
    where: { provider_kind_providerTransactionId: identity },
    select: { id: true, status: true, statusConflict: true },
  });

  let transaction: { id: string; reusableOrder: boolean };
  let applied = true;
  if (!current) {
    transaction = await tx.transaction.create({
      data: { ...identity, ...transactionFields(n), status: n.status, firstSeenAt: delivery.receivedAt },
      select: { id: true, reusableOrder: true },
    });
  } else {
    const decision = decideStatus(current.status, n.status);
    applied = decision === "apply" || decision === "same";
    transaction = await tx.transaction.update({
      where: { id: current.id },
      data:
        decision === "apply"
          ? { ...transactionFields(n), status: n.status }
          : decision === "conflict"
            ? { statusConflict: true, conflictingStatus: n.providerStatus }
            : {},
      select: { id: true, reusableOrder: true },
    });
  }

  const event = await tx.event.create({
    data: {
      provider: n.provider,
      eventKey: n.eventKey,
      eventName: n.eventName,
      status: n.status,
      providerStatus: n.providerStatus,
      receivedAt: delivery.receivedAt,
      payload: n.payload as Prisma.InputJsonObject,
      applied,
      transactionId: transaction.id,
    },
    select: { id: true },
  });
  const accepted = await tx.delivery.create({
    data: deliveryRow(delivery, "accepted", event.id, transaction.id),
    select: { id: true },
  });
  if (applied) await flagDuplicates(tx, transaction, n);

  return { outcome: "accepted", deliveryId: accepted.id, transactionId: transaction.id, eventId: event.id, applied };
}
