// Preloaded into a server (`--require ./bench/lib/event-loop-trace.cjs`, e.g. through
// BENCH_APP_NODE_ARGS) with BENCH_TRACE_DIR set: writes <dir>/events-<pid>.log, one line per
// garbage collection ("gc <start ms> <duration ms> <kind>") and per moment the event loop ran
// late ("stall <start ms> <late by ms>": a 5 ms timer more than 15 ms late), times as Unix
// milliseconds so that bench/trace-report.ts can set them against each request's latency.
// A diagnostic: the timer costs the server a wake-up every 5 ms.
const fs = require("node:fs");
const path = require("node:path");
const { PerformanceObserver, constants } = require("node:perf_hooks");

const dir = process.env.BENCH_TRACE_DIR;
if (dir) {
  fs.mkdirSync(dir, { recursive: true });
  const out = fs.createWriteStream(path.join(dir, `events-${process.pid}.log`));
  out.write(`argv ${process.argv.slice(1).join(" ")}\n`);
  const kinds = {
    [constants.NODE_PERFORMANCE_GC_MAJOR]: "major",
    [constants.NODE_PERFORMANCE_GC_MINOR]: "minor",
    [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: "incremental",
    [constants.NODE_PERFORMANCE_GC_WEAKCB]: "weak-callbacks",
  };
  const origin = performance.timeOrigin;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      out.write(`gc ${(origin + entry.startTime).toFixed(1)} ${entry.duration.toFixed(1)} ${kinds[entry.detail?.kind] ?? entry.detail?.kind}\n`);
    }
  }).observe({ entryTypes: ["gc"] });
  const TICK_MS = 5;
  let last = performance.now();
  setInterval(() => {
    const now = performance.now();
    const late = now - last - TICK_MS;
    if (late > 15) out.write(`stall ${(origin + last).toFixed(1)} ${late.toFixed(1)}\n`);
    last = now;
  }, TICK_MS).unref();
}
