import type { Db } from "@/lib/db/client";

/** False on a fresh install: no provider has reached a webhook route yet. */
export async function hasAnyDelivery(db: Db): Promise<boolean> {
  return (await db.delivery.findFirst({ select: { id: true } })) !== null;
}
