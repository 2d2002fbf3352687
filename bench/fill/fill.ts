import pg from "pg";
import { insertDeliveries, insertDuplicateCases, insertEvents, insertTransactions } from "./fill-sql";

// Fills a freshly migrated, empty database in bulk (INSERT … SELECT over
// generate_series, server side, on two connections): secondary indexes are
// dropped first and built again at the end, foreign keys are not re-checked
// row by row (the rows are consistent by construction), then VACUUM ANALYZE
// leaves the planner's statistics and the visibility map as a long-lived
// database has them.
//
// Standalone: tsx bench/fill/fill.ts postgresql://…/db [transactions]

export type FillOptions = { transactions: number; batch: number; years: number };
export type FillSummary = {
  seconds: number;
  steps: { step: string; seconds: number }[];
  counts: Record<string, number>;
  sizes: Record<string, string>;
};

const TABLES = ["transactions", "events", "deliveries", "duplicate_cases"] as const;
const WORKERS = 2;

async function session(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query("SET synchronous_commit = off");
  await client.query("SET maintenance_work_mem = '256MB'");
  await client.query("SET statement_timeout = '15min'");
  // Each batch is large and runs once: compiling it is time lost.
  await client.query("SET jit = off");
  // Foreign-key triggers off for this session only: the rows reference each other by construction.
  await client.query("SET session_replication_role = replica");
  return client;
}

export async function fillDatabase(url: string, options: FillOptions, log: (line: string) => void = console.log): Promise<FillSummary> {
  const clients = await Promise.all(Array.from({ length: WORKERS }, () => session(url)));
  const [main] = clients as [pg.Client];
  const steps: FillSummary["steps"] = [];
  const started = performance.now();

  /** Runs the statements on all the connections, each taking the next one; one step in the summary. */
  const step = async (name: string, statements: string[]) => {
    const at = performance.now();
    let next = 0;
    let rows = 0;
    await Promise.all(
      clients.map(async (client) => {
        while (next < statements.length) {
          const result = await client.query(statements[next++]!);
          rows += result.rowCount ?? 0;
        }
      }),
    );
    const seconds = (performance.now() - at) / 1000;
    steps.push({ step: name, seconds });
    log(`  fill: ${name} — ${rows.toLocaleString("en-US")} rows, ${seconds.toFixed(1)} s`);
  };

  try {
    const existing = await main.query<{ n: string }>("SELECT count(*) AS n FROM transactions");
    if (Number(existing.rows[0]!.n) > 0) throw new Error("the fill expects an empty, freshly migrated database");
    const indexes = await main.query<{ name: string; definition: string }>(
      `SELECT i.indexname AS name, i.indexdef AS definition FROM pg_indexes i
       WHERE i.schemaname = 'public' AND i.tablename = ANY($1)
         AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
      [TABLES],
    );
    for (const index of indexes.rows) await main.query(`DROP INDEX "${index.name}"`);

    const batches: string[] = [];
    for (let from = 1; from <= options.transactions; from += options.batch) {
      batches.push(insertTransactions(from, Math.min(options.transactions, from + options.batch - 1), options.transactions, options.years));
    }
    await step(`${options.transactions.toLocaleString("en-US")} transactions`, batches);
    await step("duplicate cases", [insertDuplicateCases]);
    const parts = Array.from({ length: WORKERS }, (_, part) => part);
    await step("events", parts.map((part) => insertEvents(part, WORKERS)));
    await step("deliveries", parts.map((part) => insertDeliveries(part, WORKERS)));
    await step(`${indexes.rows.length} indexes`, indexes.rows.map((index) => index.definition));
    for (const client of clients) await client.query("SET session_replication_role = origin");
    await step("vacuum analyze", TABLES.map((table) => `VACUUM (ANALYZE) ${table}`));

    const counts: Record<string, number> = {};
    const sizes: Record<string, string> = {};
    for (const table of TABLES) {
      const { rows } = await main.query<{ n: string; size: string }>(
        `SELECT count(*) AS n, pg_size_pretty(pg_total_relation_size('${table}')) AS size FROM ${table}`,
      );
      counts[table] = Number(rows[0]!.n);
      sizes[table] = rows[0]!.size;
    }
    return { seconds: (performance.now() - started) / 1000, steps, counts, sizes };
  } finally {
    await Promise.all(clients.map((client) => client.end()));
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [url, rows] = process.argv.slice(2);
  if (!url) {
    console.error("usage: tsx bench/fill/fill.ts postgresql://…/database [transactions]");
    process.exit(2);
  }
  const summary = await fillDatabase(url, { transactions: Number(rows ?? 1_000_000), batch: 100_000, years: 3 });
  console.log(JSON.stringify({ seconds: summary.seconds, counts: summary.counts, sizes: summary.sizes }, null, 2));
}
