import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { createPostgresClient } from "@/lib/db/client";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { config } from "../lib/config";
import { percentile } from "../lib/stats";
import { pickValues, scenarios, type Picks, type Scenario } from "./scenarios";

// Times each dashboard scenario in-process with the app's own client and
// query functions (server side: no HTTP, no rendering), then replays the SQL
// they sent under EXPLAIN (ANALYZE, BUFFERS) so every figure comes with its plans.

export type CapturedQuery = { sql: string; params: unknown[]; plan: string };

export type DashboardFigure = {
  key: string;
  label: string;
  kind: Scenario["kind"];
  runs: number[];
  p50: number;
  p95: number;
  queries: CapturedQuery[];
  /** Scans of `transactions` under a count(*) that read at least half the table: a whole-table count in disguise. */
  fullCounts: string[];
};

export type DashboardResult = { picks: Picks; tableRows: number; figures: DashboardFigure[] };

async function capture(url: string, scenario: Scenario): Promise<{ sql: string; params: unknown[] }[]> {
  const db = new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: 4 }), log: [{ emit: "event", level: "query" }] });
  const seen: { sql: string; params: unknown[] }[] = [];
  db.$on("query", (event) => {
    let params: unknown[] = [];
    try {
      params = JSON.parse(event.params) as unknown[];
    } catch {
      params = [];
    }
    if (!/^\s*(BEGIN|COMMIT|ROLLBACK|DEALLOCATE)/i.test(event.query)) seen.push({ sql: event.query, params });
  });
  try {
    await scenario.run(db);
  } finally {
    await db.$disconnect();
  }
  return seen;
}

async function explain(client: pg.Client, sql: string, params: unknown[]): Promise<string> {
  try {
    const { rows } = await client.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
    return rows.map((row) => row["QUERY PLAN"]).join("\n");
  } catch (error) {
    return `(could not explain: ${(error as Error).message})`;
  }
}

const SCAN = /(Seq Scan|Index Only Scan|Index Scan|Bitmap Heap Scan)(?: using \S+)? on (\w+).*actual time=[\d.]+\.\.[\d.]+ rows=(\d+) loops=(\d+)/;

function wholeTableCounts(queries: CapturedQuery[], tableRows: number): string[] {
  const found: string[] = [];
  for (const query of queries) {
    if (!/count\s*\(/i.test(query.sql)) continue;
    for (const line of query.plan.split("\n")) {
      const match = SCAN.exec(line);
      if (match && match[2] === "transactions" && Number(match[3]) * Number(match[4]) >= tableRows / 2) found.push(line.trim());
    }
  }
  return found;
}

export async function benchDashboard(url: string, log: (line: string) => void): Promise<DashboardResult> {
  const picks = await pickValues(url, config.timeZone);
  const tableRows = await withPg(url, async (client) => {
    const { rows } = await client.query<{ n: string }>("SELECT count(*) AS n FROM transactions");
    return Number(rows[0]!.n);
  });
  const db = createPostgresClient(url, config.poolSize);
  const figures: DashboardFigure[] = [];
  try {
    for (const scenario of scenarios(picks, config.timeZone)) {
      for (let i = 0; i < config.dashboard.warmups; i++) await scenario.run(db);
      const runs: number[] = [];
      for (let i = 0; i < config.dashboard.runs; i++) {
        const started = performance.now();
        await scenario.run(db);
        runs.push(performance.now() - started);
      }
      const captured = await capture(url, scenario);
      const queries = await withPg(url, async (client) => {
        const out: CapturedQuery[] = [];
        for (const query of captured) out.push({ ...query, plan: await explain(client, query.sql, query.params) });
        return out;
      });
      const figure: DashboardFigure = {
        key: scenario.key,
        label: scenario.label,
        kind: scenario.kind,
        runs,
        p50: percentile(runs, 50),
        p95: percentile(runs, 95),
        queries,
        fullCounts: wholeTableCounts(queries, tableRows),
      };
      figures.push(figure);
      log(`  ${scenario.key}: p50 ${figure.p50.toFixed(1)} ms, p95 ${figure.p95.toFixed(1)} ms (${queries.length} queries)`);
    }
  } finally {
    await db.$disconnect();
  }
  return { picks, tableRows, figures };
}

async function withPg<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("SET statement_timeout = '60s'");
    return await use(client);
  } finally {
    await client.end();
  }
}
