import { cache } from "react";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { getDb } from "@/lib/db/client";
import { isDatabaseUnavailable } from "@/lib/db/errors";
import { hasRole, onlyWho, type Role } from "@/lib/users/user-rules";
import { findSessionAccount } from "./find-session-account";
import { readSessionToken } from "./session-cookie";

// The second line of defence behind proxy.ts: every page, API route and action
// that reads or changes data asks for the user here, from the database, so a
// disabled or demoted user, or a signed-out session, loses access at once and a
// missed matcher leaks nothing.

export type SessionUser = { id: string; email: string; name: string | null; role: Role };

/**
 * The signed-in user, or null. Asked once per page render: a page and its layout both ask, and share the answer
 * (React's cache; in a route handler or a Server Action, outside a render, each call reads again).
 */
export const currentUser = cache(async (): Promise<SessionUser | null> => {
  // Read as proxy.ts reads it. Not getServerSession: its jwt callback would read the sign-outs in a round trip of
  // its own, before the account's.
  const token = await readSessionToken(await cookies());
  const { sub, sid, signedInAt } = token ?? {};
  // A token without a session id is from before sign-out could end sessions: it names nobody (lib/auth/options.ts).
  if (typeof sub !== "string" || typeof sid !== "string") return null;
  const user = await findSessionAccount(await getDb(), sub, sid);
  if (!user || user.revoked || user.disabledAt) return null;
  // A session from before an admin set a new password (or disabled the account) is over.
  if (user.sessionsValidFrom && (typeof signedInAt === "number" ? signedInAt : 0) < user.sessionsValidFrom.getTime()) return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role };
});

/** For pages: the signed-in user, or a redirect to sign-in that comes back to `returnTo`. */
export async function requireUser(returnTo: string): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect(`/sign-in?callbackUrl=${encodeURIComponent(returnTo)}`);
  return user;
}

export class AccessDenied extends Error {
  constructor(readonly status: 401 | 403, message: string) {
    super(message);
  }
}

/** For actions and API routes: the user, or AccessDenied (401 signed out, 403 when their role is below `role`). */
export async function authorize(role: Role = "viewer"): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) throw new AccessDenied(401, "Sign in to continue.");
  if (role !== "viewer" && !hasRole(user.role, role)) throw new AccessDenied(403, `${onlyWho(role)} can do this.`);
  return user;
}

/** For API routes: runs `handler` for an authorised user, answering 401/403 JSON otherwise. */
export async function withApiUser(role: Role, handler: (user: SessionUser) => Promise<Response>): Promise<Response> {
  let user: SessionUser;
  try {
    user = await authorize(role);
  } catch (error) {
    if (error instanceof AccessDenied) {
      return Response.json({ error: { code: error.status === 401 ? "unauthenticated" : "forbidden", message: error.message } }, { status: error.status });
    }
    // Checking the session reads the user from the database; with the database away that is a 503, not a 500.
    if (isDatabaseUnavailable(error)) {
      return Response.json(
        { error: { code: "database_unavailable", message: "the ledger's database is unreachable: try again in a moment" } },
        { status: 503, headers: { "Retry-After": "30" } },
      );
    }
    throw error;
  }
  return handler(user);
}
