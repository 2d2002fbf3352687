// What an account is and what an admin may set on it. Free of database and
// hashing code so the client-side forms can import it.

/** From least to most: each role may do all that the ones before it may. */
export const ROLES = ["viewer", "finance", "admin"] as const;
export type Role = (typeof ROLES)[number];
/** The roles that may change something: what a Server Action asks for. */
export type ActingRole = Exclude<Role, "viewer">;
/** Who acts, as the lib functions that change the ledger or its accounts need to know them. */
export type Actor = { id: string; role: Role };

export function isRole(value: unknown): value is Role {
  return (ROLES as readonly unknown[]).includes(value);
}

export const ROLE_LABELS: Record<Role, string> = { viewer: "Viewer", finance: "Finance", admin: "Admin" };
export const ROLE_HELP: Record<Role, string> = {
  viewer: "reads every page, exports CSV",
  finance: "also records how duplicate payments and conflicting final states were resolved",
  admin: "also reprocesses deliveries and manages users",
};

/** Whether `role` may do what `needed` may (an admin what finance may, finance what a viewer may). */
export function hasRole(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

/** The role with its article, as a sentence names it: "a viewer", "a finance user", "an admin". */
export function roleNoun(role: Role): string {
  return { viewer: "a viewer", finance: "a finance user", admin: "an admin" }[role];
}

/** Who may do what `needed` allows, as a refusal says it: "Only an admin", "Only finance users and admins". */
export function onlyWho(needed: ActingRole): string {
  return needed === "admin" ? "Only an admin" : "Only finance users and admins";
}

export const MIN_PASSWORD_LENGTH = 10;
/** bcrypt reads 72 bytes at most: a longer password would be cut without anyone knowing. */
export const MAX_PASSWORD_BYTES = 72;

export type UserActionResult = { ok: true; message: string } | { ok: false; message: string };
