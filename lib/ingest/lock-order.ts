/**
 * The advisory-lock key that serialises every ingest touching one merchant
 * order, across processes and instances, until its transaction ends (taken by
 * lib/db/transaction.ts before the ingest's first read). Status transitions and
 * duplicate detection read-then-write; this lock is what makes that safe.
 */
export function orderLockKey(provider: string, merchantOrderId: string): string {
  return `${provider}:${merchantOrderId}`;
}
