import path from "node:path";
import { config } from "../lib/config";
import { withPgClient } from "@/lib/db/with-pg-client";
import { cpuMs, processTree } from "../lib/processes";
import { runLoad, type LoadResult } from "./load";
import type { PreparedRequest } from "./requests";

// The same notifications, in the same order, to the app, the Next floor and the
// baseline, each on its own fresh database. Each target in turn takes a warm-up,
// the fixed rate and saturation back to back, so that every target is measured
// warm: a server left idle while the others run is not (see `afterIdle`), and
// the time each sat idle used to differ from target to target. Then it idles
// for `idleSeconds` and takes the fixed rate again for a few seconds: how a
// server answers the first requests of a burst after a quiet spell, which a
// webhook endpoint sees daily, reported on its own.

/** A load run and the CPU it cost: the server's process tree, and the PostgreSQL backends serving its database. */
export type RunFigures = LoadResult & { serverCpuMs: number; postgresCpuMs: number };
/**
 * The exactly-once check. Every acknowledged notification's event is stored (`ackedEventsStored` of
 * `ackedEvents`), no more events exist than distinct notifications were sent, each event has exactly one
 * accepted delivery, and every acknowledged request has its delivery row.
 */
export type Expected = {
  sent: number;
  acknowledged: number;
  ackedEvents: number;
  ackedEventsStored: number;
  sentEvents: number;
  exact: boolean;
};
/** `afterIdle`: the fixed rate again after idling (absent in results from before it existed). */
export type TargetFigures = { warmup: RunFigures; fixed: RunFigures; saturation: RunFigures; afterIdle?: RunFigures; stored: Stored; expected: Expected };
/** The load runs each target takes, in the order the report lists them. */
export const PHASES = ["warmup", "fixed", "saturation", "afterIdle"] as const;
type Phase = (typeof PHASES)[number];
export type Stored = { transactions: number; events: number; accepted: number; duplicate: number; rejected: number; cases: number };
export type IngestResult = {
  app: TargetFigures;
  baseline: TargetFigures;
  /** The Next floor (bench/next-floor): the baseline's work in one Next route handler (absent in results from before it existed). */
  next?: TargetFigures;
  mix: { requests: number; retries: number; byProvider: Record<string, number> };
};

export type Target = { name: "app" | "next" | "baseline"; base: string; databaseUrl: string; pid: number };

/** CPU used so far by the server and by the database's backends (by backend pid). */
async function cpuNow(target: Target): Promise<{ server: number; postgres: Map<number, number> }> {
  const pids = await withPgClient(target.databaseUrl, async (client) => {
    const { rows } = await client.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'");
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
  return withPgClient(url, async (client) => {
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

export function segments(requests: readonly PreparedRequest[]): Record<Phase, readonly PreparedRequest[]> {
  const { warmupRequests, fixedRate, fixedSeconds, saturationRequests } = config.ingest;
  const fixedEnd = warmupRequests + fixedRate * fixedSeconds;
  const saturationEnd = fixedEnd + saturationRequests;
  return {
    warmup: requests.slice(0, warmupRequests),
    fixed: requests.slice(warmupRequests, fixedEnd),
    saturation: requests.slice(fixedEnd, saturationEnd),
    afterIdle: requests.slice(saturationEnd),
  };
}

export function requestsNeeded(): number {
  const { warmupRequests, fixedRate, fixedSeconds, saturationRequests, afterIdleSeconds } = config.ingest;
  return warmupRequests + fixedRate * fixedSeconds + saturationRequests + fixedRate * afterIdleSeconds;
}

function describe(result: LoadResult): string {
  const codes = Object.entries(result.statusCodes).map(([code, count]) => `${code}×${count}`).join(" ");
  return `${Math.round(result.throughput)}/s, p50 ${result.p50} ms, p99 ${result.p99} ms, max ${result.max} ms [${codes}${result.errors ? ` errors×${result.errors}` : ""}${result.timeouts ? ` timeouts×${result.timeouts}` : ""}]`;
}

/** `targets` must hold an app and a baseline; a Next floor is optional. */
export async function benchIngest(targets: Target[], requests: PreparedRequest[], log: (line: string) => void): Promise<IngestResult> {
  for (const name of ["app", "baseline"] as const) {
    if (!targets.some((target) => target.name === name)) throw new Error(`benchIngest needs a target named ${name}`);
  }
  const parts = segments(requests);
  const { fixedRate, fixedConnections, saturationConnections, maxRunSeconds, idleSeconds } = config.ingest;
  const results: Partial<Record<Target["name"], Partial<TargetFigures>>> = Object.fromEntries(targets.map((target) => [target.name, {}]));
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const settle = () => pause(2_000);

  const run = async (target: Target, phase: Phase) => {
    const paced = phase === "fixed" || phase === "afterIdle";
    const before = await cpuNow(target);
    const load = await runLoad({
      url: target.base,
      requests: parts[phase],
      connections: paced ? fixedConnections : saturationConnections,
      rate: paced ? fixedRate : undefined,
      maxSeconds: maxRunSeconds,
      // BENCH_TRACE_DIR: each request's latency, for bench/trace-report.ts (with bench/lib/event-loop-trace.cjs in the server).
      ...(config.traceDir ? { traceFile: path.join(config.traceDir, `${target.name}-${phase}.log`) } : {}),
    });
    const after = await cpuNow(target);
    const result = { ...load, serverCpuMs: after.server - before.server, postgresCpuMs: postgresDelta(before.postgres, after.postgres) };
    results[target.name]![phase] = result;
    const perRequest = (total: number) => (total / Math.max(1, load.ok)).toFixed(2);
    log(
      `  ${target.name.padEnd(8)} ${phase.padEnd(10)} ${describe(load)}${load.lateSends ? `, ${load.lateSends} sends late` : ""}; ` +
        `CPU per notification: server ${perRequest(result.serverCpuMs)} ms, postgres ${perRequest(result.postgresCpuMs)} ms`,
    );
  };

  for (const target of targets) {
    await run(target, "warmup");
    // A table in use has statistics: autovacuum analyzes a new table within a minute or so of its
    // first rows, at a moment of its own. The warm-up ends with ANALYZE so that every target runs
    // the measured phases on plans made with statistics, not on the planner's defaults for a table
    // it knows nothing about (which can pick an index that reads every payment of a provider).
    await withPgClient(target.databaseUrl, (client) => client.query("ANALYZE"));
    for (const phase of ["fixed", "saturation"] as const) {
      await settle();
      await run(target, phase);
    }
    if (parts.afterIdle.length > 0) {
      log(`  ${target.name.padEnd(8)} idle for ${idleSeconds} s…`);
      await pause(idleSeconds * 1000);
      await run(target, "afterIdle");
    }
    await settle();
  }
  for (const target of targets) {
    const figures = results[target.name]!;
    const s = (figures.stored = await stored(target.databaseUrl));
    const runs = PHASES.flatMap((phase) => (figures[phase] ? [{ part: parts[phase], result: figures[phase] }] : []));
    // Each run hands out its part of the list from the start: what a target was sent is a prefix of each part.
    const sentRequests = runs.flatMap(({ part, result }) => part.slice(0, Math.min(part.length, result.sent)));
    const ackedRequests = runs.flatMap(({ part, result }) => result.acknowledged.map((position) => part[position]!));
    const ackedEvents = [...new Set(ackedRequests.map((request) => request.event))];
    const ackedEventsStored = await withPgClient(target.databaseUrl, async (client) => {
      const { rows } = await client.query<{ n: string }>("SELECT count(*) AS n FROM events WHERE provider || '/' || event_key = ANY($1)", [ackedEvents]);
      return Number(rows[0]!.n);
    });
    const sentEvents = new Set(sentRequests.map((request) => request.event)).size;
    const deliveries = s.accepted + s.duplicate;
    figures.expected = {
      sent: sentRequests.length,
      acknowledged: ackedRequests.length,
      ackedEvents: ackedEvents.length,
      ackedEventsStored,
      sentEvents,
      exact:
        ackedEventsStored === ackedEvents.length &&
        s.events <= sentEvents &&
        s.accepted === s.events &&
        deliveries >= ackedRequests.length &&
        deliveries <= sentRequests.length &&
        s.rejected === 0,
    };
    log(`  ${target.name.padEnd(8)} ${ackedEventsStored}/${ackedEvents.length} acknowledged events stored, ${s.events} events for ${sentEvents} sent, ${deliveries} deliveries for ${ackedRequests.length} acknowledged / ${sentRequests.length} sent`);
  }
  const byProvider: Record<string, number> = {};
  for (const request of requests) byProvider[request.path.split("/").pop()!] = (byProvider[request.path.split("/").pop()!] ?? 0) + 1;
  return {
    app: results.app as TargetFigures,
    baseline: results.baseline as TargetFigures,
    ...(results.next ? { next: results.next as TargetFigures } : {}),
    mix: { requests: requests.length, retries: requests.filter((request) => request.retry).length, byProvider },
  };
}
