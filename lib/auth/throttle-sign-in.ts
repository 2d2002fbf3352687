import type { Db } from "@/lib/db/client";
import { runTransaction } from "@/lib/db/run-transaction";
import { getEnv } from "@/lib/env";

// Failed sign-ins are counted per account and per address in the database, so
// the limit holds across every instance. A try is counted before its password
// is checked (beginSignInAttempt), so tries sent at once cannot all slip in
// under the limit while the first ones are still being checked; a success then
// takes its own count back and clears the account's.

export function throttleSubjects(email: string, ip: string | null): string[] {
  return [`email:${email.trim().toLowerCase()}`, ...(ip ? [`ip:${ip}`] : [])];
}

/** Minutes to wait before another try, or 0 when a try is allowed. */
export async function signInWaitMinutes(db: Pick<Db, "signInAttempt">, subjects: string[], now = new Date()): Promise<number> {
  const { SIGN_IN_MAX_FAILURES: max, SIGN_IN_WINDOW_MINUTES: window } = getEnv();
  const since = new Date(now.getTime() - window * 60_000);
  const counts = await db.signInAttempt.groupBy({
    by: ["subject"],
    where: { subject: { in: subjects }, at: { gte: since } },
    _count: { _all: true },
    _min: { at: true },
  });
  const blocked = counts.filter((row) => row._count._all >= max);
  if (blocked.length === 0) return 0;
  const oldest = Math.min(...blocked.map((row) => row._min.at?.getTime() ?? now.getTime()));
  return Math.max(1, Math.ceil((oldest + window * 60_000 - now.getTime()) / 60_000));
}

export type SignInAttempt = { wait: number; attemptIds: string[] };

/**
 * A try, counted before its password is checked: under a lock per subject
 * (held to COMMIT, so concurrent tries take turns), the subjects' recent tries
 * are counted and, when none is at the limit, this one is recorded as if it
 * failed. Returns the minutes to wait (nothing recorded), or 0 and the ids
 * recorded, which endSuccessfulSignIn removes.
 */
export async function beginSignInAttempt(db: Db, subjects: string[], now = new Date()): Promise<SignInAttempt> {
  return runTransaction(db, async (tx) => {
    for (const subject of [...subjects].sort()) {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`sign-in:${subject}`}, 0))`;
    }
    const wait = await signInWaitMinutes(tx, subjects, now);
    if (wait > 0) return { wait, attemptIds: [] };
    const recorded = await tx.signInAttempt.createManyAndReturn({ data: subjects.map((subject) => ({ subject, at: now })), select: { id: true } });
    return { wait: 0, attemptIds: recorded.map((row) => row.id) };
  });
}

/** The password was right: the try no longer counts against its address, and the account's failures are cleared. */
export async function endSuccessfulSignIn(db: Db, email: string, attempt: SignInAttempt): Promise<void> {
  await db.signInAttempt.deleteMany({ where: { OR: [{ id: { in: attempt.attemptIds } }, { subject: throttleSubjects(email, null)[0] }] } });
}

export async function recordFailedSignIn(db: Db, subjects: string[]): Promise<void> {
  await db.signInAttempt.createMany({ data: subjects.map((subject) => ({ subject })) });
}

export async function clearFailedSignIns(db: Db, email: string): Promise<void> {
  await db.signInAttempt.deleteMany({ where: { subject: throttleSubjects(email, null)[0] } });
}
