import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { benchIngest, requestsNeeded } from "./ingest/ingest";
import { generateProviderKeys, prepareRequests, publicKeyEnv } from "./ingest/requests";
import { buildApp, buildNextFloor, startApp, startBaseline, startNextFloor } from "./lib/app-server";
import { CALIBRATION_WORK, calibrate } from "./lib/calibrate";
import { config } from "./lib/config";
import { createBenchDatabase, dropAllBenchDatabases } from "./lib/postgres";
import { stop, stopAll } from "./lib/processes";

// The ingest part of `npm run bench` alone, printed and not written to
// RESULTS.md: for comparing the app's CPU per notification before and after a
// change. Shrink it with the BENCH_* variables (bench/lib/config.ts), e.g.
//
//   BENCH_REUSE_BUILD=1 BENCH_FIXED_SECONDS=5 BENCH_SATURATION_REQUESTS=6000 npx tsx bench/ingest-only.ts
//
// BENCH_APP_NODE_ARGS go to the app server's node, e.g. "--cpu-prof --cpu-prof-dir=bench/.tmp/prof".
// "--require ./bench/lib/request-without-signal.cjs" makes its Requests without their AbortSignal (a diagnostic).
// BENCH_APP_WORKERS=2 runs two `next start` processes on the app's port (node:cluster), one per core.
// BENCH_NEXT_FLOOR=0 leaves out the Next floor (bench/next-floor).
// BENCH_AFTER_IDLE_SECONDS=0 leaves out each server's idle spell and the fixed-rate run after it.
// BENCH_TRACE_DIR=<dir> writes each request's latency there; with "--require ./bench/lib/event-loop-trace.cjs"
// in BENCH_APP_NODE_ARGS the app writes its collections and event-loop stalls too (npx tsx bench/trace-report.ts).

const started = performance.now();
const log = (line: string) => console.log(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);

try {
  log(`machine speed: ${calibrate().toFixed(0)} ms for ${CALIBRATION_WORK} (lower is faster; compare runs by it)`);
  const keys = generateProviderKeys();
  const keyEnv = publicKeyEnv(keys);
  const reuse = config.reuseBuild && existsSync(path.join(config.distDir, "BUILD_ID"));
  log(reuse ? `reusing the build in ${config.distDir}` : `building the app into ${config.distDir}…`);
  if (!reuse) await buildApp();
  const withFloor = process.env.BENCH_NEXT_FLOOR !== "0";
  if (withFloor) await buildNextFloor();
  const requests = prepareRequests(requestsNeeded(), keys, `I${randomBytes(3).toString("hex").toUpperCase()}`, config.ingest.retryShare);
  const appDb = await createBenchDatabase("app");
  const floorDb = withFloor ? await createBenchDatabase("floor") : null;
  const baseDb = await createBenchDatabase("base");
  const nodeArgs = process.env.BENCH_APP_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
  const app = await startApp(appDb.url, keyEnv, nodeArgs);
  const floor = floorDb ? await startNextFloor(floorDb.url, keyEnv) : null;
  const baseline = await startBaseline(baseDb.url, keyEnv);
  try {
    const result = await benchIngest(
      [
        { name: "app", base: app.base, databaseUrl: appDb.url, pid: app.process.child.pid! },
        ...(floor && floorDb ? [{ name: "next" as const, base: floor.base, databaseUrl: floorDb.url, pid: floor.process.child.pid! }] : []),
        { name: "baseline", base: baseline.base, databaseUrl: baseDb.url, pid: baseline.process.child.pid! },
      ],
      requests,
      log,
    );
    const { app: a, baseline: b, next: n } = result;
    const perNotification = (ms: number, ok: number) => ms / Math.max(1, ok);
    const appCpu = perNotification(a.saturation.serverCpuMs, a.saturation.ok);
    const baseCpu = perNotification(b.saturation.serverCpuMs, b.saturation.ok);
    log(
      `saturation: app ${a.saturation.throughput.toFixed(0)}/s, baseline ${b.saturation.throughput.toFixed(0)}/s, ` +
        `ratio ${(a.saturation.throughput / b.saturation.throughput).toFixed(2)}; server CPU per notification app ${appCpu.toFixed(2)} ms, ` +
        `baseline ${baseCpu.toFixed(2)} ms; exactly once: ${a.expected.exact && b.expected.exact && (n?.expected.exact ?? true) ? "yes" : "NO"}`,
    );
    if (n) {
      // With BENCH_APP_WORKERS > 1 the app runs on more processes than the floor: no ratio between them.
      const versusApp = config.appWorkers > 1 ? "" : `app / Next floor ${(a.saturation.throughput / n.saturation.throughput).toFixed(2)}; `;
      log(
        `Next floor: ${n.saturation.throughput.toFixed(0)}/s, ${(n.saturation.throughput / b.saturation.throughput).toFixed(2)} of the baseline; ` +
          `${versusApp}server CPU per notification ${perNotification(n.saturation.serverCpuMs, n.saturation.ok).toFixed(2)} ms`,
      );
    }
  } finally {
    for (const server of [app, floor, baseline]) if (server) await stop(server.process);
  }
} finally {
  await stopAll();
  await dropAllBenchDatabases();
}
