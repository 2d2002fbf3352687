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

  // Every successful payment runs this, so the two look-ups (other payments of the order, its case) are one query.
  const [found] = await tx.$queryRaw<{ others: string[] | null; case_id: string | null }[]>`
    SELECT ARRAY(
             SELECT id::text FROM transactions
             WHERE provider = ${provider} AND kind = 'payment' AND merchant_order_id = ${notification.merchantOrderId}
               AND status = 'succeeded' AND reusable_order = false AND id <> ${transaction.id}::uuid
               AND (order_type IS NULL OR order_type <> 'DUPLICATE_PAYMENT')
           ) AS others,
           (SELECT id::text FROM duplicate_cases WHERE provider = ${provider} AND merchant_order_id = ${notification.merchantOrderId}) AS case_id`;
  const others = (found?.others ?? []).map((id) => ({ id }));
  if (others.length === 0) {
    if (found?.case_id) {
      await tx.transaction.update({ where: { id: transaction.id }, data: { duplicateCaseId: found.case_id } });
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
