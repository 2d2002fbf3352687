import type { Db } from "@/lib/db/client";
import type { UserChangeKind } from "./record-user-change";
import type { Role } from "./user-rules";

export type UserChangeItem = {
  id: string;
  at: Date;
  change: UserChangeKind;
  role: Role | null;
  email: string;
  /** The admin who made it; null for a script. */
  actorEmail: string | null;
};

/** How many changes the users page lists. */
export const USER_CHANGES_SHOWN = 50;

/** The latest changes to accounts, newest first: who added, promoted, disabled or reset whom. */
export async function findUserChanges(db: Db, limit = USER_CHANGES_SHOWN): Promise<UserChangeItem[]> {
  const rows = await db.userChange.findMany({
    orderBy: { seq: "desc" },
    take: limit,
    select: { id: true, at: true, change: true, role: true, user: { select: { email: true } }, actor: { select: { email: true } } },
  });
  return rows.map((row) => ({
    id: row.id,
    at: row.at,
    change: row.change as UserChangeKind,
    role: row.role,
    email: row.user.email,
    actorEmail: row.actor?.email ?? null,
  }));
}
