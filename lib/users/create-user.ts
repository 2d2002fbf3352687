import type { Db } from "@/lib/db/client";
import { runTransaction } from "@/lib/db/run-transaction";
import { hashPassword } from "./password";
import { recordUserChange } from "./record-user-change";
import { MAX_PASSWORD_BYTES, MIN_PASSWORD_LENGTH, type Role } from "./user-rules";

export type { Role } from "./user-rules";

export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+$/;

/** Why `password` cannot be one, or null when it can. Shared by the CLI, the users page and createUser. */
export function passwordProblem(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `the password must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (Buffer.byteLength(password, "utf8") > MAX_PASSWORD_BYTES) return `the password must be at most ${MAX_PASSWORD_BYTES} bytes (bcrypt ignores the rest)`;
  return null;
}

/** Adds an account and records its addition; `actorId` is the admin who added it, null for a script. */
export async function createUser(db: Db, input: { email: string; password: string; role: Role; name?: string }, actorId: string | null = null) {
  const email = input.email.trim().toLowerCase();
  if (!EMAIL_PATTERN.test(email)) throw new Error(`"${input.email}" is not an email address`);
  const problem = passwordProblem(input.password);
  if (problem) throw new Error(problem);
  // Hashed before the transaction opens: bcrypt takes a while, and a transaction should not wait on it.
  const passwordHash = await hashPassword(input.password);
  return runTransaction(db, async (tx) => {
    const user = await tx.user.create({
      data: { email, name: input.name ?? null, role: input.role, passwordHash },
      select: { id: true, email: true, role: true },
    });
    await recordUserChange(tx, { userId: user.id, actorId, change: "added", role: user.role });
    return user;
  });
}
