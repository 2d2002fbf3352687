import type { Db } from "@/lib/db/client";
import { isUuid } from "@/lib/db/is-uuid";
import { queryRows } from "@/lib/db/query-rows";
import type { Role } from "@/lib/users/user-rules";

// Every signed-in page, API and action asks who is there. One statement
// answers it: the account the session token names, and whether that session
// was signed out (lib/auth/revoked-sessions.ts). It was two reads in turn —
// next-auth's jwt callback checked the sign-out, then the account was read — so
// every request paid two round trips, and behind a network partition waited out
// the query timeout twice.

export type SessionAccount = {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  disabledAt: Date | null;
  sessionsValidFrom: Date | null;
  /** The session was signed out. */
  revoked: boolean;
};

const FIND_SESSION_ACCOUNT = `SELECT u.id::text AS id, u.email, u.name, u.role::text AS role, u.disabled_at AS "disabledAt",
    u.sessions_valid_from AS "sessionsValidFrom",
    EXISTS (SELECT 1 FROM revoked_sessions r WHERE r.session_id = $2) AS revoked
  FROM users u WHERE u.id = $1::uuid`;

/** The account `userId` names and whether session `sessionId` was signed out; null when there is no such account. */
export async function findSessionAccount(db: Db, userId: string, sessionId: string): Promise<SessionAccount | null> {
  if (!isUuid(userId)) return null;
  const [row] = await queryRows<SessionAccount>(db, { text: FIND_SESSION_ACCOUNT, values: [userId, sessionId] });
  return row ?? null;
}
