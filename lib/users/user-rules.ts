// What an account is and what an admin may set on it. Free of database and
// hashing code so the client-side forms can import it.

export const ROLES = ["viewer", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = { viewer: "Viewer", admin: "Admin" };
export const ROLE_HELP: Record<Role, string> = {
  viewer: "reads every page, exports CSV",
  admin: "also resolves duplicates, reprocesses deliveries and manages users",
};

export const MIN_PASSWORD_LENGTH = 10;
/** bcrypt reads 72 bytes at most: a longer password would be cut without anyone knowing. */
export const MAX_PASSWORD_BYTES = 72;

export type UserActionResult = { ok: true; message: string } | { ok: false; message: string };
