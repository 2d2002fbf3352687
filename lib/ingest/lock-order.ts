import type { Prisma } from "@/lib/generated/prisma/client";

/**
 * Serialises every ingest that touches one merchant order, across processes and
 * instances, until the surrounding transaction ends. Status transitions and
 * duplicate detection read-then-write; this lock is what makes that safe.
 */
export async function lockOrder(tx: Prisma.TransactionClient, provider: string, merchantOrderId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`${provider}:${merchantOrderId}`}, 0))`;
}
