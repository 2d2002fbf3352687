import type { Db } from "@/lib/db/client";
import { hashPassword } from "./password";
import { MAX_PASSWORD_BYTES, MIN_PASSWORD_LENGTH, type Role } from "./user-rules";

export type { Role } from "./user-rules";

export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+$/;

/** Why `password` cannot be one, or null when it can. Shared by the CLI, the users page and createUser. */
export function passwordProblem(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `the password must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (Buffer.byteLength(password, "utf8") > MAX_PASSWORD_BYTES) return `the password must be at most ${MAX_PASSWORD_BYTES} bytes (bcrypt ignores the rest)`;
  return null;
}

export async function createUser(db: Db, input: { email: string; password: string; role: Role; name?: string }) {
  const email = input.email.trim().toLowerCase();
  if (!EMAIL_PATTERN.test(email)) throw new Error(`"${input.email}" is not an email address`);
  const problem = passwordProblem(input.password);
  if (problem) throw new Error(problem);
  return db.user.create({
    data: { email, name: input.name ?? null, role: input.role, passwordHash: await hashPassword(input.password) },
    select: { id: true, email: true, role: true },
  });
}
