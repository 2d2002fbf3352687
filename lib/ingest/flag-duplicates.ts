import type { SqlRunner } from "@/lib/db/transaction";
import { Prisma } from "@/lib/generated/prisma/client";
import type { Notification } from "@/lib/providers/types";
import { uuid7 } from "./uuid7";

// Duplicate payments, decided under the order lock taken by the ingest:
// - declared: PayerMax says so (orderType DUPLICATE_PAYMENT), linked to the original;
// - detected: a second successful payment for a one-time merchant order.
// Payments into a reusable static VA / payment code are normal and never flagged.
//
// Plain SQL inside the ingest's transaction (see ingest-notification.ts for why).

type Flagged = { id: string; reusableOrder: boolean };

// SQL's `<>` drops NULLs, and most transactions have no orderType at all.
const NOT_DECLARED = Prisma.sql`(order_type IS NULL OR order_type <> 'DUPLICATE_PAYMENT')`;

const now = () => Prisma.sql`${new Date().toISOString()}::timestamptz`;

/**
 * The order's case, opened if it has none, with this source's flag set. A case
 * finance had resolved is reopened — another payment arrived after they looked,
 * so it needs their eyes again — and the reopening is kept in its history. One
 * statement: every part of it reads the case as it was before the statement.
 */
async function openCase(run: SqlRunner, provider: string, merchantOrderId: string, source: "declared" | "detected"): Promise<string> {
  const flag = Prisma.raw(source);
  const [found] = await run.query<{ id: string }>(Prisma.sql`
    WITH earlier AS (
           SELECT id, resolved_at FROM duplicate_cases WHERE provider = ${provider} AND merchant_order_id = ${merchantOrderId}
         ),
         opened AS (
           INSERT INTO duplicate_cases (id, provider, merchant_order_id, ${flag})
           VALUES (${uuid7()}::uuid, ${provider}, ${merchantOrderId}, true)
           ON CONFLICT (provider, merchant_order_id) DO UPDATE
             SET ${flag} = true,
                 resolution = CASE WHEN duplicate_cases.resolved_at IS NULL THEN duplicate_cases.resolution END,
                 resolution_note = CASE WHEN duplicate_cases.resolved_at IS NULL THEN duplicate_cases.resolution_note END,
                 resolved_by_id = CASE WHEN duplicate_cases.resolved_at IS NULL THEN duplicate_cases.resolved_by_id END,
                 resolved_at = NULL
           RETURNING id
         ),
         reopened AS (
           INSERT INTO duplicate_case_actions (id, case_id, action, note)
           SELECT ${uuid7()}::uuid, earlier.id, 'reopened', 'Another payment arrived for this order.'
           FROM earlier WHERE earlier.resolved_at IS NOT NULL
         )
    SELECT id::text AS id FROM opened`);
  return found!.id;
}

/** Other successful payments of a one-time order, and the order's case if it has one. */
export type DuplicateCheck = { others: number; case_id: string | null };

/** Whether flagDuplicates will look for other payments of the order: a successful, undeclared payment of a one-time order. */
export function needsDuplicateCheck(notification: Notification, reusableOrder: boolean): boolean {
  return notification.kind === "payment" && notification.status === "succeeded" && !notification.declaredDuplicate && !reusableOrder;
}

/**
 * That look-up as a SELECT list, so the ingest can ask it in the statement that
 * writes the transaction (every successful payment runs it). That statement's
 * snapshot is taken after the order lock, and the look-up leaves the
 * transaction being written out, so it finds what a query of its own would.
 */
export function duplicateCheckColumns(provider: string, merchantOrderId: string, transactionId: string): Prisma.Sql {
  return Prisma.sql`
    (SELECT count(*)::int FROM transactions
     WHERE provider = ${provider} AND kind = 'payment' AND merchant_order_id = ${merchantOrderId}
       AND status = 'succeeded' AND reusable_order = false AND id <> ${transactionId}::uuid AND ${NOT_DECLARED}
    ) AS others,
    (SELECT id::text FROM duplicate_cases WHERE provider = ${provider} AND merchant_order_id = ${merchantOrderId}) AS case_id`;
}

/** `checked`: the look-up's answer when the caller already has it (see duplicateCheckColumns). */
export async function flagDuplicates(run: SqlRunner, transaction: Flagged, notification: Notification, checked?: DuplicateCheck): Promise<void> {
  const { provider } = notification;
  if (notification.kind !== "payment" || notification.status !== "succeeded") return;

  if (notification.declaredDuplicate) {
    const orderId = notification.originalMerchantOrderId ?? notification.merchantOrderId;
    const caseId = await openCase(run, provider, orderId, "declared");
    await run.execute(Prisma.sql`
      UPDATE transactions SET duplicate_case_id = ${caseId}::uuid, duplicate_source = 'declared', updated_at = ${now()}
      WHERE id = ${transaction.id}::uuid`);
    // The original may already be here; if it arrives later, the branch below links it.
    const original = notification.originalProviderTransactionId
      ? Prisma.sql`provider_transaction_id = ${notification.originalProviderTransactionId} OR `
      : Prisma.empty;
    await run.execute(Prisma.sql`
      UPDATE transactions SET duplicate_case_id = ${caseId}::uuid, updated_at = ${now()}
      WHERE provider = ${provider} AND kind = 'payment' AND duplicate_case_id IS NULL
        AND (${original}(merchant_order_id = ${orderId} AND ${NOT_DECLARED}))`);
    return;
  }

  if (transaction.reusableOrder) return;

  const found =
    checked ?? (await run.query<DuplicateCheck>(Prisma.sql`SELECT ${duplicateCheckColumns(provider, notification.merchantOrderId, transaction.id)}`))[0];
  if (!found?.others) {
    if (found?.case_id) {
      await run.execute(Prisma.sql`
        UPDATE transactions SET duplicate_case_id = ${found.case_id}::uuid, updated_at = ${now()} WHERE id = ${transaction.id}::uuid`);
    }
    return;
  }
  const caseId = await openCase(run, provider, notification.merchantOrderId, "detected");
  await run.execute(Prisma.sql`
    UPDATE transactions SET duplicate_case_id = ${caseId}::uuid, duplicate_source = 'detected', updated_at = ${now()}
    WHERE id = ${transaction.id}::uuid`);
  // The same payments the count found: the order lock keeps the set as it was.
  await run.execute(Prisma.sql`
    UPDATE transactions SET duplicate_case_id = ${caseId}::uuid, updated_at = ${now()}
    WHERE provider = ${provider} AND kind = 'payment' AND merchant_order_id = ${notification.merchantOrderId}
      AND status = 'succeeded' AND reusable_order = false AND id <> ${transaction.id}::uuid AND ${NOT_DECLARED}
      AND duplicate_case_id IS NULL`);
}
