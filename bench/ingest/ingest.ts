import { config } from "../lib/config";
import { withClient } from "../lib/postgres";
import { cpuMs, processTree } from "../lib/processes";
import { runLoad, type LoadResult } from "./load";
import type { PreparedRequest } from "./requests";

// The same notifications, in the same order, to the app and to the baseline,
// each on its own fresh database: a warm-up, the fixed rate, then saturation,
// alternating targets so a change in the machine's load hits both alike.

/** A load run and the CPU it cost: the server's process tree, and the PostgreSQL backends serving its database. */
export type RunFigures = LoadResult & { serverCpuMs: number; postgresCpuMs: number };
/** What the requests a target was sent should leave behind: one event per distinct notification, a duplicate delivery per repeat. */
export type Expected = { events: number; duplicates: number };
export type TargetFigures = { warmup: RunFigures; fixed: RunFigures; saturation: RunFigures; stored: Stored; expected: Expected };
export type Stored = { transactions: number; events: number; accepted: number; duplicate: number; rejected: number; cases: number };
export type IngestResult = {
  app: TargetFigures;
  baseline: TargetFigures;
  mix: { requests: number; retries: number; byProvider: Record<string, number> };
};

type Target = { name: "app" | "baseline"; base: string; databaseUrl: string; pid: number };

/** CPU used so far by the server and by the database's backends (by backend pid). */
async function cpuNow(target: Target): Promise<{ server: number; postgres: Map<number, number> }> {
  const pids = await withClient(target.databaseUrl, async (client) => {
    const { rows } = await client.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
    return rows.map((row) => row.pid);
  });
  return { server: cpuMs(processTree(target.pid)), postgres: new Map(pids.map((pid) => [pid, cpuMs([pid])])) };
}

function postgresDelta(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, ms] of after) total += ms - (before.get(pid) ?? 0);
  return total;
}

async function stored(url: string): Promise<Stored> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<Record<keyof Stored, string>>(`
      SELECT (SELECT count(*) FROM transactions) AS transactions, (SELECT count(*) FROM events) AS events,
             (SELECT count(*) FROM deliveries WHERE outcome = 'accepted') AS accepted,
             (SELECT count(*) FROM deliveries WHERE outcome = 'duplicate') AS duplicate,
             (SELECT count(*) FROM deliveries WHERE outcome = 'rejected') AS rejected,
             (SELECT count(*) FROM duplicate_cases) AS cases`);
    const row = rows[0]!;
    return Object.fromEntries(Object.entries(row).map(([key, value]) => [key, Number(value)])) as Stored;
  });
}

export function segments(requests: readonly PreparedRequest[]) {
  const { warmupRequests, fixedRate, fixedSeconds } = config.ingest;
  const fixedEnd = warmupRequests + fixedRate * fixedSeconds;
  return {
    warmup: requests.slice(0, warmupRequests),
    fixed: requests.slice(warmupRequests, fixedEnd),
    saturation: requests.slice(fixedEnd),
  };
}

export function requestsNeeded(): number {
  const { warmupRequests, fixedRate, fixedSeconds, saturationRequests } = config.ingest;
  return warmupRequests + fixedRate * fixedSeconds + saturationRequests;
}

function describe(result: LoadResult): string {
  const codes = Object.entries(result.statusCodes).map(([code, count]) => `${code}×${count}`).join(" ");
  return `${Math.round(result.throughput)}/s, p50 ${result.p50} ms, p99 ${result.p99} ms, max ${result.max} ms [${codes}${result.errors ? ` errors×${result.errors}` : ""}${result.timeouts ? ` timeouts×${result.timeouts}` : ""}]`;
}

export async function benchIngest(app: Target, baseline: Target, requests: PreparedRequest[], log: (line: string) => void): Promise<IngestResult> {
  const parts = segments(requests);
  const { fixedRate, fixedConnections, saturationConnections, maxRunSeconds } = config.ingest;
  const results: Record<Target["name"], Partial<TargetFigures>> = { app: {}, baseline: {} };
  const settle = () => new Promise((resolve) => setTimeout(resolve, 2_000));

  for (const phase of ["warmup", "fixed", "saturation"] as const) {
    for (const target of [app, baseline]) {
      const before = await cpuNow(target);
      const load = await runLoad({
        url: target.base,
        requests: parts[phase],
        connections: phase === "fixed" ? fixedConnections : saturationConnections,
        rate: phase === "fixed" ? fixedRate : undefined,
        maxSeconds: maxRunSeconds,
      });
      const after = await cpuNow(target);
      const result = { ...load, serverCpuMs: after.server - before.server, postgresCpuMs: postgresDelta(before.postgres, after.postgres) };
      results[target.name][phase] = result;
      const perRequest = (total: number) => (total / Math.max(1, load.ok)).toFixed(2);
      log(
        `  ${target.name.padEnd(8)} ${phase.padEnd(10)} ${describe(load)}${load.lateSends ? `, ${load.lateSends} sends late` : ""}; ` +
          `CPU per notification: server ${perRequest(result.serverCpuMs)} ms, postgres ${perRequest(result.postgresCpuMs)} ms`,
      );
      await settle();
    }
  }
  for (const target of [app, baseline]) {
    const figures = results[target.name];
    figures.stored = await stored(target.databaseUrl);
    // Each run sends its part of the list from the start, so what a target got is a prefix of each part.
    const sent = (["warmup", "fixed", "saturation"] as const).flatMap((phase) => parts[phase].slice(0, figures[phase]!.sent));
    const events = new Set(sent.map((request) => request.event)).size;
    figures.expected = { events, duplicates: sent.length - events };
  }

  const byProvider: Record<string, number> = {};
  for (const request of requests) byProvider[request.path.split("/").pop()!] = (byProvider[request.path.split("/").pop()!] ?? 0) + 1;
  return {
    app: results.app as TargetFigures,
    baseline: results.baseline as TargetFigures,
    mix: { requests: requests.length, retries: requests.filter((request) => request.retry).length, byProvider },
  };
}
