import type pg from "pg";
import type { Notification } from "./notifications";

// Reads back what the ledger holds for notifications that were sent, straight
// from PostgreSQL: the event, the transaction's amount/currency/status, and the
// stored bytes of each acknowledged attempt.

export type StoredCheck = {
  /** provider:eventKey → how many events hold it (must be 1). */
  events: Map<string, number>;
  /** Each acknowledged notification that is missing, altered or stored twice, in words. */
  problems: string[];
  stored: number;
  lost: number;
  duplicates: number;
  /** Probe → outcome of each acknowledged attempt's stored delivery. */
  outcomes: Map<string, string>;
};

export async function verifyStored(db: pg.Pool, notifications: Notification[]): Promise<StoredCheck> {
  const probes = notifications.flatMap((n) => n.attempts.filter((a) => a.status === 200).map((a) => a.probe));
  const keys = notifications.map((n) => n.eventKey);
  const { rows: eventRows } = await db.query<{ provider: string; event_key: string; n: string }>(
    "SELECT provider, event_key, COUNT(*) AS n FROM events WHERE event_key = ANY($1::text[]) GROUP BY 1, 2",
    [keys],
  );
  const { rows: txRows } = await db.query<{ provider: string; kind: string; provider_transaction_id: string; n: string; amount: string; currency: string; status: string }>(
    `SELECT provider, kind::text, provider_transaction_id, COUNT(*) OVER (PARTITION BY provider, kind, provider_transaction_id) AS n,
            amount::text AS amount, currency, status::text
       FROM transactions WHERE provider_transaction_id = ANY($1::text[])`,
    [notifications.map((n) => n.providerTransactionId)],
  );
  const { rows: deliveryRows } = await db.query<{ probe: string; outcome: string; body: Buffer }>(
    "SELECT headers->>'x-reliability-probe' AS probe, outcome::text, body FROM deliveries WHERE headers->>'x-reliability-probe' = ANY($1::text[])",
    [probes],
  );
  const events = new Map(eventRows.map((row) => [`${row.provider}:${row.event_key}`, Number(row.n)]));
  const transactions = new Map(txRows.map((row) => [`${row.provider}:${row.kind}:${row.provider_transaction_id}`, row]));
  const deliveries = new Map(deliveryRows.map((row) => [row.probe, row]));
  const problems: string[] = [];
  let stored = 0;
  let lost = 0;
  let duplicates = 0;
  for (const n of notifications) {
    const eventCount = events.get(`${n.provider}:${n.eventKey}`) ?? 0;
    const acked = n.attempts.filter((a) => a.status === 200);
    if (eventCount > 0) stored++;
    if (eventCount > 1) {
      duplicates += eventCount - 1;
      problems.push(`${n.provider} event ${n.eventKey} is stored ${eventCount} times`);
    }
    if (acked.length === 0) continue;
    const tx = transactions.get(`${n.provider}:${n.kind}:${n.providerTransactionId}`);
    const where = `${n.provider} ${n.providerTransactionId}`;
    if (eventCount === 0 || !tx) {
      lost++;
      problems.push(`${where} was acknowledged but ${eventCount === 0 ? "its event" : "its transaction"} is not in the database`);
      continue;
    }
    if (Number(tx.n) > 1) {
      duplicates += Number(tx.n) - 1;
      problems.push(`${where} has ${tx.n} transactions`);
    }
    if (Number(tx.amount) !== Number(n.amount) || tx.currency !== n.currency) problems.push(`${where} stored ${tx.amount} ${tx.currency}, sent ${n.amount} ${n.currency}`);
    if (n.status !== "pending" && tx.status !== n.status) problems.push(`${where} has status ${tx.status}, sent ${n.status}`);
    for (const attempt of acked) {
      const delivery = deliveries.get(attempt.probe);
      if (!delivery) problems.push(`${where}: the acknowledged attempt ${attempt.probe} has no stored delivery`);
      else if (!Buffer.from(delivery.body).equals(n.signed.body)) problems.push(`${where}: the stored body of ${attempt.probe} differs from the bytes sent`);
      else if (delivery.outcome !== "accepted" && delivery.outcome !== "duplicate") problems.push(`${where}: the acknowledged attempt is stored as ${delivery.outcome}`);
    }
  }
  const outcomes = new Map(deliveryRows.map((row) => [row.probe, row.outcome]));
  return { events, problems, stored, lost, duplicates, outcomes };
}
