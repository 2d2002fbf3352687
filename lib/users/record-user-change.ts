import type { Tx } from "@/lib/db/run-transaction";
import type { Role } from "./user-rules";

/** What happened to an account. */
export const USER_CHANGE_KINDS = ["added", "role_changed", "disabled", "enabled", "password_set"] as const;
export type UserChangeKind = (typeof USER_CHANGE_KINDS)[number];

export type UserChangeInput = {
  userId: string;
  /** The admin who made the change; null for a script (npm run user:create). */
  actorId: string | null;
  change: UserChangeKind;
  /** The account's role after an addition or a role change. */
  role?: Role;
};

/** Records a change to an account, in the transaction that makes it: the change and its record stand or fall together. */
export async function recordUserChange(tx: Tx, input: UserChangeInput): Promise<void> {
  await tx.userChange.create({ data: { userId: input.userId, actorId: input.actorId, change: input.change, role: input.role ?? null } });
}
