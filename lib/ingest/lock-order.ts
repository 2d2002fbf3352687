/**
 * The advisory-lock key that serialises every ingest touching one merchant
 * order, across processes and instances, until its transaction ends (taken by
 * the database function ingest_notification before it reads anything). Status transitions and
 * duplicate detection read-then-write; this lock is what makes that safe.
 */
export function orderLockKey(provider: string, merchantOrderId: string): string {
  return `${provider}:${merchantOrderId}`;
}
