import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ingestNotification } from "@/lib/ingest/ingest-notification";
import type { Notification, TransactionStatus } from "@/lib/providers/types";
import { backends, useTestDatabase } from "../helpers/test-database";

// Notifications arrive at least once and in any order. What a transaction in
// `current` does with a notification saying `incoming`, as the ingest's
// database function decides it: a pending one follows anything, a final one
// ignores a late pending ("stale") and keeps a different final state as a
// conflict, without changing its status.

type Decision = "apply" | "same" | "stale" | "conflict";

const TABLE: [TransactionStatus, TransactionStatus, Decision][] = [
  ["pending", "pending", "apply"],
  ["pending", "succeeded", "apply"],
  ["pending", "failed", "apply"],
  ["pending", "cancelled", "apply"],
  ["succeeded", "pending", "stale"],
  ["succeeded", "succeeded", "same"],
  ["succeeded", "failed", "conflict"],
  ["succeeded", "cancelled", "conflict"],
  ["failed", "pending", "stale"],
  ["failed", "succeeded", "conflict"],
  ["failed", "failed", "same"],
  ["failed", "cancelled", "conflict"],
  ["cancelled", "pending", "stale"],
  ["cancelled", "succeeded", "conflict"],
  ["cancelled", "failed", "conflict"],
  ["cancelled", "cancelled", "same"],
];

const PROVIDER_STATUS: Record<TransactionStatus, string> = { pending: "PENDING", succeeded: "COMPLETED", failed: "FAILED", cancelled: "CANCELLED" };

function notification(transactionId: string, status: TransactionStatus, eventName: string, amount: string): Notification {
  return {
    provider: "paycools",
    eventKey: `${transactionId}:${eventName}:${PROVIDER_STATUS[status]}`,
    eventName,
    kind: "payment",
    providerTransactionId: transactionId,
    merchantOrderId: `ORD-${transactionId}`,
    status,
    providerStatus: PROVIDER_STATUS[status],
    amount,
    rawAmount: amount.replace(".", ""),
    currency: "PHP",
    channel: "PH_GCASH",
    paymentMethod: null,
    referenceNumber: null,
    reusableOrder: false,
    payAmount: null,
    payCurrency: null,
    exchangeRate: null,
    providerCreatedAt: new Date("2026-11-01T01:00:00Z"),
    providerCompletedAt: status === "pending" ? null : new Date("2026-11-01T01:01:00Z"),
    orderType: null,
    declaredDuplicate: false,
    originalMerchantOrderId: null,
    originalProviderTransactionId: null,
    payload: { transactionId, transactionStatus: PROVIDER_STATUS[status], amount },
  };
}

const delivery = () => {
  const body = Buffer.from("{}");
  return {
    provider: "paycools",
    method: "POST",
    receivedAt: new Date(),
    headers: {},
    sourceIp: null,
    body,
    bodySize: body.length,
    bodyTruncated: false,
    keyFingerprint: "SHA256:test",
  };
};

describe.each(backends)("status rules of the ingest on %s", (backend) => {
  const database = useTestDatabase(backend);

  it("covers every pair of statuses", () => {
    expect(new Set(TABLE.map(([current, incoming]) => `${current}>${incoming}`)).size).toBe(16);
  });

  it.each(TABLE)("a %s transaction receiving %s: %s", async (current, incoming, decision) => {
    const transactionId = `ST${randomBytes(6).toString("hex")}`;
    const first = await ingestNotification(database.db, notification(transactionId, current, "first", "100.00"), delivery());
    // The second event differs in its name and amount, so an applied one shows in both.
    const second = await ingestNotification(database.db, notification(transactionId, incoming, "second", "250.50"), delivery());

    expect(first).toMatchObject({ outcome: "accepted", applied: true });
    expect(second).toMatchObject({ outcome: "accepted", transactionId: first.transactionId, applied: decision === "apply" || decision === "same" });
    const row = await database.db.transaction.findUniqueOrThrow({ where: { id: first.transactionId }, include: { events: true } });
    expect(row.status).toBe(decision === "apply" ? incoming : current);
    expect(row.amount.toFixed(2)).toBe(decision === "apply" ? "250.50" : "100.00");
    expect(row.statusConflict).toBe(decision === "conflict");
    expect(row.conflictingStatus).toBe(decision === "conflict" ? PROVIDER_STATUS[incoming] : null);
    const events = new Map(row.events.map((event) => [event.id, event]));
    expect(events.get(second.eventId)).toMatchObject({ status: incoming, applied: second.applied });
    // The same notification again is a retry: acknowledged, stored as a duplicate delivery, nothing changed.
    const retry = await ingestNotification(database.db, notification(transactionId, incoming, "second", "250.50"), delivery());
    expect(retry).toMatchObject({ outcome: "duplicate", transactionId: first.transactionId, eventId: second.eventId, applied: false });
    expect(await database.db.event.count({ where: { transactionId: first.transactionId } })).toBe(2);
  });
});
