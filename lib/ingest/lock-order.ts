import type { SqlRunner } from "@/lib/db/transaction";
import { Prisma } from "@/lib/generated/prisma/client";

/**
 * Serialises every ingest that touches one merchant order, across processes and
 * instances, until the surrounding transaction ends. Status transitions and
 * duplicate detection read-then-write; this lock is what makes that safe. It is
 * a statement of its own: under READ COMMITTED each later statement takes a
 * fresh snapshot, so the reads after it see what the previous holder committed.
 */
export async function lockOrder(run: SqlRunner, provider: string, merchantOrderId: string): Promise<void> {
  await run.execute(Prisma.sql`SELECT pg_advisory_xact_lock(hashtextextended(${`${provider}:${merchantOrderId}`}, 0))`);
}
