import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { runTransaction, type Tx } from "@/lib/db/run-transaction";
import { clearFailedSignIns } from "@/lib/auth/throttle-sign-in";
import { createUser, EMAIL_PATTERN, passwordProblem } from "./create-user";
import { hashPassword } from "./password";
import { recordUserChange } from "./record-user-change";
import { hasRole, onlyWho, ROLES, roleNoun, type Actor, type Role, type UserActionResult } from "./user-rules";

// What an admin does on the users page. The Server Actions and the tests call
// these same functions, so the admin check, the "keep one admin" rule and the
// self-protection hold however the request arrives.

/** Who acts: the signed-in user as `authorize()` returns it. */
export type UserActor = Actor;

const NOT_ADMIN: UserActionResult = { ok: false, message: `${onlyWho("admin")} can manage users.` };
const NO_SUCH_USER: UserActionResult = { ok: false, message: "There is no such user: reload the page to see the current list." };

const userId = z.guid({ error: "This user id is not valid: reload the page and try again." });
const password = z.string({ error: "Enter a password." }).superRefine((value, ctx) => {
  const problem = passwordProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: `${problem[0]!.toUpperCase()}${problem.slice(1)}.` });
});
const role = z.enum(ROLES, { error: `Choose a role: ${ROLES.join(", ")}.` });

const addUserSchema = z.object({
  email: z
    .string({ error: "Enter an email address." })
    .trim()
    .toLowerCase()
    .max(320, "An email address is at most 320 characters.")
    .regex(EMAIL_PATTERN, "Enter an email address, like name@example.com."),
  name: z
    .string()
    .trim()
    .max(200, "Keep the name under 200 characters.")
    .nullish()
    .transform((name) => name || undefined),
  role,
  password,
});

const changeRoleSchema = z.object({ userId, role });
const setDisabledSchema = z.object({
  userId,
  disabled: z.enum(["true", "false"], { error: "Say whether to disable or enable the account." }).transform((value) => value === "true"),
});
const setPasswordSchema = z.object({ userId, password });

function firstIssue(error: z.ZodError): UserActionResult {
  return { ok: false, message: error.issues[0]?.message ?? "The request is not valid." };
}

/**
 * Locks the active admins' rows and counts them. Two admins demoting or disabling each other at
 * once queue here, and the second sees the first's change, so the last admin cannot be removed.
 */
export async function lockActiveAdmins(tx: Tx): Promise<number> {
  const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM users WHERE role = 'admin' AND disabled_at IS NULL FOR UPDATE`;
  return rows.length;
}

/**
 * The refusal when taking `user` out of the active admins (another role, or disabled) would leave
 * none, given `activeAdmins` counted by lockActiveAdmins in the same transaction; null otherwise.
 */
export function lastAdminRefusal(user: { email: string; role: Role; disabled: boolean }, activeAdmins: number): string | null {
  return user.role === "admin" && !user.disabled && activeAdmins <= 1 ? `${user.email} is the only active admin: make someone else an admin first.` : null;
}

export async function addUser(db: Db, actor: UserActor, input: unknown): Promise<UserActionResult> {
  if (!hasRole(actor.role, "admin")) return NOT_ADMIN;
  const parsed = addUserSchema.safeParse(input);
  if (!parsed.success) return firstIssue(parsed.error);
  const { email, name, role: newRole, password: newPassword } = parsed.data;
  try {
    await createUser(db, { email, name, role: newRole, password: newPassword }, actor.id);
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, message: `${email} has an account already: find it in the list below.` };
    throw error;
  }
  return { ok: true, message: `Added ${email} as ${roleNoun(newRole)}. Tell them their password by a channel other than email.` };
}

export async function changeUserRole(db: Db, actor: UserActor, input: unknown): Promise<UserActionResult> {
  if (!hasRole(actor.role, "admin")) return NOT_ADMIN;
  const parsed = changeRoleSchema.safeParse(input);
  if (!parsed.success) return firstIssue(parsed.error);
  const { userId: id, role: newRole } = parsed.data;
  if (id === actor.id) return { ok: false, message: "You cannot change your own role: ask another admin." };
  return runTransaction(db, async (tx) => {
    const admins = await lockActiveAdmins(tx);
    const user = await tx.user.findUnique({ where: { id }, select: { email: true, role: true, disabledAt: true } });
    if (!user) return NO_SUCH_USER;
    if (user.role === newRole) return { ok: true, message: `${user.email} is ${roleNoun(newRole)} already.` };
    const refusal = lastAdminRefusal({ ...user, disabled: user.disabledAt !== null }, admins);
    if (refusal) return { ok: false, message: refusal };
    await tx.user.update({ where: { id }, data: { role: newRole } });
    await recordUserChange(tx, { userId: id, actorId: actor.id, change: "role_changed", role: newRole });
    return { ok: true, message: `${user.email} is now ${roleNoun(newRole)}.` };
  });
}

export async function setUserDisabled(db: Db, actor: UserActor, input: unknown): Promise<UserActionResult> {
  if (!hasRole(actor.role, "admin")) return NOT_ADMIN;
  const parsed = setDisabledSchema.safeParse(input);
  if (!parsed.success) return firstIssue(parsed.error);
  const { userId: id, disabled } = parsed.data;
  if (id === actor.id) return { ok: false, message: "You cannot disable your own account: ask another admin." };
  return runTransaction(db, async (tx) => {
    const admins = await lockActiveAdmins(tx);
    const user = await tx.user.findUnique({ where: { id }, select: { email: true, role: true, disabledAt: true } });
    if (!user) return NO_SUCH_USER;
    if (disabled === (user.disabledAt !== null)) return { ok: true, message: `${user.email} is ${disabled ? "disabled" : "enabled"} already.` };
    const refusal = disabled ? lastAdminRefusal({ ...user, disabled: false }, admins) : null;
    if (refusal) return { ok: false, message: refusal };
    const at = new Date();
    // Disabling ends the account's sessions for good: enabling it later does not bring them back.
    await tx.user.update({ where: { id }, data: disabled ? { disabledAt: at, sessionsValidFrom: at } : { disabledAt: null } });
    await recordUserChange(tx, { userId: id, actorId: actor.id, change: disabled ? "disabled" : "enabled" });
    return {
      ok: true,
      message: disabled ? `Disabled ${user.email}: signed out everywhere, and cannot sign in.` : `Enabled ${user.email}: they can sign in again.`,
    };
  });
}

export async function setUserPassword(db: Db, actor: UserActor, input: unknown): Promise<UserActionResult> {
  if (!hasRole(actor.role, "admin")) return NOT_ADMIN;
  const parsed = setPasswordSchema.safeParse(input);
  if (!parsed.success) return firstIssue(parsed.error);
  const { userId: id, password: newPassword } = parsed.data;
  if (id === actor.id) return { ok: false, message: "Set your own password with `npm run user:create -- --reset-password`, or ask another admin." };
  const passwordHash = await hashPassword(newPassword);
  const user = await runTransaction(db, async (tx) => {
    const updated = await tx.user
      .update({ where: { id }, data: { passwordHash, sessionsValidFrom: new Date() }, select: { email: true } })
      .catch((error: unknown) => {
        if ((error as { code?: unknown }).code === "P2025") return null;
        throw error;
      });
    if (updated) await recordUserChange(tx, { userId: id, actorId: actor.id, change: "password_set" });
    return updated;
  });
  if (!user) return NO_SUCH_USER;
  // A new password is a fresh start: the wait after earlier failed attempts no longer applies.
  await clearFailedSignIns(db, user.email);
  return { ok: true, message: `Set a new password for ${user.email} and signed them out everywhere. Tell them the password by a channel other than email.` };
}
