import type { Db } from "@/lib/db/client";

// Sign-out for stateless sessions. A session token is a signed, encrypted JWT
// that stays valid until it expires, so signing out only deleted the browser's
// copy. Each token now carries a session id (`sid`) fixed at sign-in; signing out
// records it here and every session check refuses a recorded one.
//
// Keyed by `sid` rather than the JWT's `jti`: next-auth mints a new `jti` every
// time it refreshes the cookie, so an older copy of the cookie would carry a
// `jti` nobody revoked.

export async function revokeSession(db: Db, sessionId: string, expiresAt: Date): Promise<void> {
  await db.revokedSession.upsert({
    where: { sessionId },
    create: { sessionId, expiresAt },
    update: {},
  });
  // Rows outlive their tokens by nothing: an expired token is refused anyway.
  await db.revokedSession.deleteMany({ where: { expiresAt: { lt: new Date() } } });
}

export async function isSessionRevoked(db: Db, sessionId: string): Promise<boolean> {
  return (await db.revokedSession.count({ where: { sessionId } })) > 0;
}
