import type { Db } from "@/lib/db/client";
import { getEnv } from "@/lib/env";

// Failed sign-ins are counted per account and per address in the database, so
// the limit holds across every instance. A success clears the account's count.

export function throttleSubjects(email: string, ip: string | null): string[] {
  return [`email:${email.trim().toLowerCase()}`, ...(ip ? [`ip:${ip}`] : [])];
}

/** Minutes to wait before another try, or 0 when a try is allowed. */
export async function signInWaitMinutes(db: Db, subjects: string[], now = new Date()): Promise<number> {
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

export async function recordFailedSignIn(db: Db, subjects: string[]): Promise<void> {
  await db.signInAttempt.createMany({ data: subjects.map((subject) => ({ subject })) });
}

export async function clearFailedSignIns(db: Db, email: string): Promise<void> {
  await db.signInAttempt.deleteMany({ where: { subject: throttleSubjects(email, null)[0] } });
}
