import type { Prisma } from "@/lib/generated/prisma/client";
import type { Notification } from "@/lib/providers/types";

// Duplicate payments, decided under the order lock taken by the ingest:
// - declared: PayerMax says so (orderType DUPLICATE_PAYMENT), linked to the original;
// - detected: a second successful payment for a one-time merchant order.
// Payments into a reusable static VA / payment code are normal and never flagged.

type Flagged = { id: string; reusableOrder: boolean };

// SQL's `<>` drops NULLs, and most transactions have no orderType at all.
const notDeclared = { OR: [{ orderType: null }, { orderType: { not: "DUPLICATE_PAYMENT" } }] };

async function openCase(
  tx: Prisma.TransactionClient,
  provider: string,
  merchantOrderId: string,
  source: "declared" | "detected",
): Promise<string> {
  const flag = source === "declared" ? { declared: true } : { detected: true };
  const found = await tx.duplicateCase.upsert({
    where: { provider_merchantOrderId: { provider, merchantOrderId } },
    create: { provider, merchantOrderId, ...flag },
    update: flag,
    select: { id: true, resolvedAt: true },
  });
  if (found.resolvedAt) {
    // Another payment arrived after finance resolved the order: it needs their eyes again.
    await tx.duplicateCase.update({
      where: { id: found.id },
      data: { resolution: null, resolutionNote: null, resolvedAt: null, resolvedById: null },
    });
    await tx.duplicateCaseAction.create({
      data: { caseId: found.id, action: "reopened", note: "Another payment arrived for this order." },
    });
  }
  return found.id;
}

export async function flagDuplicates(
  tx: Prisma.TransactionClient,
  transaction: Flagged,
  notification: Notification,
): Promise<void> {
  const { provider } = notification;
  if (notification.kind !== "payment" || notification.status !== "succeeded") return;

  if (notification.declaredDuplicate) {
    const orderId = notification.originalMerchantOrderId ?? notification.merchantOrderId;
    const caseId = await openCase(tx, provider, orderId, "declared");
    await tx.transaction.update({
      where: { id: transaction.id },
      data: { duplicateCaseId: caseId, duplicateSource: "declared" },
    });
    // The original may already be here; if it arrives later, the branch below links it.
    await tx.transaction.updateMany({
      where: {
        provider,
        kind: "payment",
        duplicateCaseId: null,
        OR: [
          ...(notification.originalProviderTransactionId
            ? [{ providerTransactionId: notification.originalProviderTransactionId }]
            : []),
          { merchantOrderId: orderId, ...notDeclared },
        ],
      },
      data: { duplicateCaseId: caseId },
    });
    return;
  }

  if (transaction.reusableOrder) return;

  const others = await tx.transaction.findMany({
    where: {
      provider,
      kind: "payment",
      merchantOrderId: notification.merchantOrderId,
      status: "succeeded",
      reusableOrder: false,
      id: { not: transaction.id },
      ...notDeclared,
    },
    select: { id: true },
  });
  if (others.length === 0) {
    const existing = await tx.duplicateCase.findUnique({
      where: { provider_merchantOrderId: { provider, merchantOrderId: notification.merchantOrderId } },
      select: { id: true },
    });
    if (existing) {
      await tx.transaction.update({ where: { id: transaction.id }, data: { duplicateCaseId: existing.id } });
    }
    return;
  }
  const caseId = await openCase(tx, provider, notification.merchantOrderId, "detected");
  await tx.transaction.update({
    where: { id: transaction.id },
    data: { duplicateCaseId: caseId, duplicateSource: "detected" },
  });
  await tx.transaction.updateMany({
    where: { id: { in: others.map((other) => other.id) }, duplicateCaseId: null },
    data: { duplicateCaseId: caseId },
  });
}
