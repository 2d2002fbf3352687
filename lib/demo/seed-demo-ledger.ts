import type { Db } from "@/lib/db/client";
import { buildDemoHistory, DEFAULT_COUNT, DEFAULT_SEED } from "./build-demo-history";
import type { DemoKeys } from "./history-writer";
import { sendDemoHistory, type UnexpectedReply } from "./send-demo-history";

// Fills a ledger with the demo history, sent through the real ingest, and says
// what it made. Shared by `npm run db:seed`, `npm run dev` and the tests.

export type SeedOptions = {
  keys: DemoKeys;
  count?: number;
  seed?: number;
  /** The end of the history; the wall clock when absent. */
  now?: Date;
  /** Seed a ledger that already holds data. */
  force?: boolean;
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
};

export type SeedSummary = {
  transactions: number;
  transactionsByProvider: Record<string, number>;
  deliveries: { total: number; accepted: number; duplicate: number; rejected: number };
  duplicateCases: { total: number; declared: number; detected: number };
  from: Date;
  to: Date;
  milliseconds: number;
  /** Replies other than the expected ones: empty unless the ingest has a bug. */
  unexpected: UnexpectedReply[];
};

export class LedgerNotEmptyError extends Error {
  constructor(transactions: number, deliveries: number) {
    super(
      `the ledger already holds ${transactions} transaction(s) and ${deliveries} deliver${deliveries === 1 ? "y" : "ies"}: ` +
        "pass --force to add the demo history anyway",
    );
    this.name = "LedgerNotEmptyError";
  }
}

/** Throws LedgerNotEmptyError when the ledger holds any transaction or delivery. */
export async function assertLedgerEmpty(db: Db): Promise<void> {
  const [transactions, deliveries] = await Promise.all([db.transaction.count(), db.delivery.count()]);
  if (transactions > 0 || deliveries > 0) throw new LedgerNotEmptyError(transactions, deliveries);
}

async function tally(db: Db) {
  const [byProvider, byOutcome, cases, declared, detected] = await Promise.all([
    db.transaction.groupBy({ by: ["provider"], _count: { _all: true } }),
    db.delivery.groupBy({ by: ["outcome"], _count: { _all: true } }),
    db.duplicateCase.count(),
    db.duplicateCase.count({ where: { declared: true } }),
    db.duplicateCase.count({ where: { detected: true } }),
  ]);
  const providers = Object.fromEntries(byProvider.map((row) => [row.provider, row._count._all]));
  const outcomes = Object.fromEntries(byOutcome.map((row) => [row.outcome, row._count._all]));
  return { providers, outcomes, cases, declared, detected };
}

/**
 * The ingest stamps a few columns with the wall clock (a duplicate case's
 * opening, a transaction's last update). Live, that is the moment the
 * notification arrived; for a replayed history it is the replay, so they are
 * set to the time of the notifications that caused them.
 */
async function backdateWallClockStamps(db: Db, since: Date): Promise<void> {
  await db.$executeRaw`
    UPDATE duplicate_cases AS c SET opened_at = opened.at
    FROM (
      SELECT t.duplicate_case_id AS case_id, min(e.received_at) AS at
      FROM transactions t JOIN events e ON e.transaction_id = t.id AND e.applied AND e.status = 'succeeded'
      WHERE t.duplicate_source IS NOT NULL
      GROUP BY t.duplicate_case_id
    ) AS opened
    WHERE c.id = opened.case_id AND c.opened_at >= ${since}`;
  await db.$executeRaw`
    UPDATE transactions AS t SET updated_at = GREATEST(
      (SELECT max(e.received_at) FROM events e WHERE e.transaction_id = t.id),
      (SELECT c.opened_at FROM duplicate_cases c WHERE c.id = t.duplicate_case_id))
    WHERE t.updated_at >= ${since}`;
}

export async function seedDemoLedger(db: Db, options: SeedOptions): Promise<SeedSummary> {
  const started = new Date();
  if (!options.force) await assertLedgerEmpty(db);
  const before = await tally(db);

  const history = buildDemoHistory({
    count: options.count ?? DEFAULT_COUNT,
    seed: options.seed ?? DEFAULT_SEED,
    now: options.now ?? started,
    keys: options.keys,
  });
  const { unexpected } = await sendDemoHistory(db, history.deliveries, {
    concurrency: options.concurrency,
    onProgress: options.onProgress,
  });
  await backdateWallClockStamps(db, started);
  // Statistics for the planner now that the tables hold a history: the embedded database has no
  // autovacuum to gather them, and without them the ingest's look-ups and the pages' queries are
  // planned from defaults (README, Known limits).
  await db.$executeRawUnsafe("ANALYZE");

  const after = await tally(db);
  const grew = (now: Record<string, number>, then: Record<string, number>, key: string) => (now[key] ?? 0) - (then[key] ?? 0);
  const transactionsByProvider = Object.fromEntries(
    Object.keys(after.providers).map((provider) => [provider, grew(after.providers, before.providers, provider)]),
  );
  const deliveries = {
    accepted: grew(after.outcomes, before.outcomes, "accepted"),
    duplicate: grew(after.outcomes, before.outcomes, "duplicate"),
    rejected: grew(after.outcomes, before.outcomes, "rejected"),
  };
  const times = history.deliveries.map((delivery) => delivery.at.getTime());
  return {
    transactions: Object.values(transactionsByProvider).reduce((sum, n) => sum + n, 0),
    transactionsByProvider,
    deliveries: { ...deliveries, total: deliveries.accepted + deliveries.duplicate + deliveries.rejected },
    duplicateCases: {
      total: after.cases - before.cases,
      declared: after.declared - before.declared,
      detected: after.detected - before.detected,
    },
    from: new Date(Math.min(...times)),
    to: new Date(Math.max(...times)),
    milliseconds: Date.now() - started.getTime(),
    unexpected,
  };
}
