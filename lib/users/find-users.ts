import type { Db } from "@/lib/db/client";
import type { Role } from "./user-rules";

export type UserListItem = {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  createdAt: Date;
  disabledAt: Date | null;
  /** Duplicate cases this user resolved or reopened: why an account is disabled rather than deleted. */
  caseActions: number;
};

/** Every account, admins first, then by email. A merchant's team is dozens of people, not thousands. */
export async function findUsers(db: Db): Promise<UserListItem[]> {
  const users = await db.user.findMany({
    orderBy: [{ role: "asc" }, { email: "asc" }],
    select: { id: true, email: true, name: true, role: true, createdAt: true, disabledAt: true, _count: { select: { caseActions: true } } },
  });
  return users.map(({ _count, ...user }) => ({ ...user, caseActions: _count.caseActions }));
}

/** The active admins' addresses: whom a viewer asks for access. */
export async function findAdminEmails(db: Db): Promise<string[]> {
  const admins = await db.user.findMany({ where: { role: "admin", disabledAt: null }, orderBy: { email: "asc" }, select: { email: true } });
  return admins.map((admin) => admin.email);
}
