import { spawnSync } from "node:child_process";
import { PerformanceObserver, constants } from "node:perf_hooks";
import { fileURLToPath } from "node:url";

// What a web Request's AbortSignal costs the garbage collector, without Next
// or the app: Next hands a route handler a Request made with one (it aborts
// when the client goes away), and in Node's Request a signal ties each
// request to a WeakRef and a FinalizationRegistry entry, which V8's young-
// generation collector keeps alive, so a request's objects outlive it. This
// makes the same requests with and without a signal, each variant in a fresh
// process, and prints what the collector did. In the app's server the signal
// turned out not to be what slows its collections: made without it there
// (bench/lib/request-without-signal.cjs), the p99 at 500/s did not improve
// and the scavenges promoted under a tenth less (bench/RESULTS.md).
//
//   npx tsx bench/request-signal-gc.ts

const REQUESTS = 100_000;
const PER_TURN = 500;

async function makeRequests(withSignal: boolean): Promise<void> {
  const pauses = { minor: [] as number[], major: [] as number[] };
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MINOR) pauses.minor.push(entry.duration);
      else if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) pauses.major.push(entry.duration);
    }
  });
  observer.observe({ entryTypes: ["gc"] });
  const body = new Uint8Array(1_500);
  let peakHeapUsed = 0;
  const started = performance.now();
  for (let made = 0; made < REQUESTS; made += PER_TURN) {
    for (let i = 0; i < PER_TURN; i++) {
      const controller = new AbortController();
      const request = new Request("http://127.0.0.1/api/webhooks/payermax", {
        method: "POST",
        body,
        headers: { "content-type": "application/json" },
        ...(withSignal ? { signal: controller.signal } : {}),
      });
      if (!request.headers.has("content-type")) throw new Error("unreachable");
    }
    // One turn of the event loop per batch, as a server's requests would get.
    await new Promise((resolve) => setImmediate(resolve));
    peakHeapUsed = Math.max(peakHeapUsed, process.memoryUsage().heapUsed);
  }
  const seconds = (performance.now() - started) / 1000;
  await new Promise((resolve) => setTimeout(resolve, 50));
  observer.disconnect();
  const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0);
  const max = (values: number[]) => (values.length ? Math.max(...values) : 0);
  console.log(
    `${withSignal ? "with a signal   " : "without a signal"}  ${REQUESTS.toLocaleString("en-US")} requests in ${seconds.toFixed(2)} s; ` +
      `scavenges ${pauses.minor.length} (mean ${mean(pauses.minor).toFixed(2)} ms, max ${max(pauses.minor).toFixed(1)} ms), ` +
      `full collections ${pauses.major.length} (max ${max(pauses.major).toFixed(1)} ms); heap in use up to ${(peakHeapUsed / 1e6).toFixed(0)} MB`,
  );
}

const variant = process.argv[2];
if (variant === "with" || variant === "without") {
  await makeRequests(variant === "with");
} else {
  console.log(`Node ${process.version}`);
  for (const which of ["without", "with"]) {
    const run = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), which], { stdio: "inherit" });
    if (run.status !== 0) process.exit(run.status ?? 1);
  }
}
