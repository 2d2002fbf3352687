import type { Db } from "@/lib/db/client";
import { hashPassword, MIN_PASSWORD_LENGTH } from "./password";

export type Role = "admin" | "viewer";

export async function createUser(db: Db, input: { email: string; password: string; role: Role; name?: string }) {
  const email = input.email.trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+$/.test(email)) throw new Error(`"${input.email}" is not an email address`);
  if (input.password.length < MIN_PASSWORD_LENGTH) {
    throw new Error(`the password must be at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  return db.user.create({
    data: { email, name: input.name ?? null, role: input.role, passwordHash: await hashPassword(input.password) },
    select: { id: true, email: true, role: true },
  });
}
