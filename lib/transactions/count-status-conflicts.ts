import type { Db } from "@/lib/db/client";

/**
 * Transactions a provider reported two different final states for (EXPIRED,
 * then PAID): Payhook keeps the first, and finance checks each one against the
 * provider's portal. Counted on the index that leads with status_conflict,
 * so it reads the few such rows, never the table.
 */
export async function countStatusConflicts(db: Db): Promise<number> {
  return db.transaction.count({ where: { statusConflict: true } });
}
