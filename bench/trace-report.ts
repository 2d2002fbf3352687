import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { config } from "./lib/config";
import { percentile } from "./lib/stats";

// Where a load run's slow requests came from: its requests' latencies (written by the load tool
// when BENCH_TRACE_DIR is set) set against the server's garbage collections and event-loop stalls
// (bench/lib/event-loop-trace.cjs preloaded into it). For example:
//
//   BENCH_TRACE_DIR=bench/.tmp/trace BENCH_APP_NODE_ARGS="--require ./bench/lib/event-loop-trace.cjs" \
//     BENCH_REUSE_BUILD=1 BENCH_NEXT_FLOOR=0 npx tsx bench/ingest-only.ts
//   npx tsx bench/trace-report.ts bench/.tmp/trace app-fixed [slow ms, default 50]
//
// It prints each burst of slow requests (slow ones less than 200 ms apart) with the stalls and
// the collections of 3 ms or more, and the old-generation ones, from half a second before it.

const [dir, run, slowArg] = process.argv.slice(2);
if (!dir || !run) {
  console.error("usage: npx tsx bench/trace-report.ts <BENCH_TRACE_DIR> <target-phase, e.g. app-fixed> [slow ms]");
  process.exit(2);
}
const slowMs = Number(slowArg ?? 50);
const target = run.split("-")[0] ?? "";
const serverMatch: Record<string, (argv: string) => boolean> = {
  app: (argv) => argv.includes(`--port ${config.appPort}`),
  next: (argv) => argv.includes(`--port ${config.nextFloorPort}`),
  baseline: (argv) => argv.includes("baseline-server"),
};

const requests = readFileSync(path.join(dir, `${run}.log`), "utf8")
  .split("\n")
  .filter(Boolean)
  .map((line) => line.split(" ").map(Number) as [number, number])
  .sort((a, b) => a[0] - b[0]);
if (requests.length === 0) throw new Error(`no requests in ${run}.log`);

type Event = { at: number; kind: "gc" | "stall"; ms: number; detail: string };
const events: Event[] = [];
for (const file of readdirSync(dir).filter((name) => name.startsWith("events-"))) {
  const lines = readFileSync(path.join(dir, file), "utf8").split("\n");
  if (!serverMatch[target]?.(lines[0] ?? "")) continue;
  for (const line of lines) {
    const [kind, at, ms, detail = ""] = line.split(" ");
    if (kind === "gc" || kind === "stall") events.push({ at: Number(at), kind, ms: Number(ms), detail });
  }
}
events.sort((a, b) => a.at - b.at);

const t0 = requests[0]![0];
const seconds = (at: number) => `+${((at - t0) / 1000).toFixed(3)} s`;
const latencies = requests.map(([, latency]) => latency);
const slow = requests.filter(([, latency]) => latency > slowMs);
console.log(
  `${run}: ${requests.length} requests, p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms, ` +
    `${slow.length} slower than ${slowMs} ms; ${events.length} server events${events.length ? "" : " (was bench/lib/event-loop-trace.cjs preloaded?)"}`,
);

const bursts: { from: number; to: number; count: number; worst: number }[] = [];
for (const [at, latency] of slow) {
  const last = bursts.at(-1);
  if (last && at - last.to < 200) {
    last.to = at;
    last.count++;
    last.worst = Math.max(last.worst, latency);
  } else bursts.push({ from: at, to: at, count: 1, worst: latency });
}
for (const burst of bursts) {
  console.log(`burst ${seconds(burst.from)} … ${seconds(burst.to)}: ${burst.count} slow, worst ${burst.worst} ms`);
  for (const event of events) {
    if (event.at < burst.from - 500 || event.at > burst.to + 100) continue;
    if (event.kind === "gc" && event.ms < 3 && event.detail !== "major") continue;
    console.log(`    ${event.kind === "gc" ? `gc ${event.detail}` : "event loop late"} at ${seconds(event.at)}: ${event.ms} ms`);
  }
}
