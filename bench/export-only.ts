import { existsSync } from "node:fs";
import path from "node:path";
import { benchExport, exportFrom, measuredExport } from "./export/export";
import { fillDatabase } from "./fill/fill";
import { generateProviderKeys, publicKeyEnv } from "./ingest/requests";
import { buildApp, startApp } from "./lib/app-server";
import { CALIBRATION_WORK, calibrate } from "./lib/calibrate";
import { config } from "./lib/config";
import { createBenchDatabase, dropAllBenchDatabases } from "./lib/postgres";
import { processTree, stopAll } from "./lib/processes";
import { createBenchUser, signIn } from "./lib/session";
import { requireProjectNode } from "../scripts/lib/require-project-node";

// The export part of `npm run bench` alone, printed and not written to
// RESULTS.md: for comparing the export's time and memory before and after a
// change. Before the measured downloads it takes one that selects no row, so
// what loading the route costs shows apart from what the rows cost: its
// `first` therefore leaves out the route's loading (a few MB), which the
// full run's includes. E.g.
//
//   BENCH_REUSE_BUILD=1 BENCH_FILL_ROWS=400000 npx tsx bench/export-only.ts
//
// BENCH_APP_NODE_ARGS go to the app server's node, e.g. "--trace-gc".

requireProjectNode();
const started = performance.now();
const log = (line: string) => console.log(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;

try {
  log(`machine speed: ${calibrate().toFixed(0)} ms for ${CALIBRATION_WORK} (lower is faster; compare runs by it)`);
  const reuse = config.reuseBuild && existsSync(path.join(config.distDir, "BUILD_ID"));
  log(reuse ? `reusing the build in ${config.distDir}` : `building the app into ${config.distDir}…`);
  if (!reuse) await buildApp();
  const ledger = await createBenchDatabase("ledger");
  log(`filling ${config.fill.transactions.toLocaleString("en-US")} transactions…`);
  await fillDatabase(ledger.url, config.fill, log);
  await createBenchUser(ledger.url);
  const nodeArgs = process.env.BENCH_APP_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
  const app = await startApp(ledger.url, publicKeyEnv(generateProviderKeys()), nodeArgs);
  const session = await signIn(app.base);
  const pid = app.process.child.pid!;
  const empty = await measuredExport(app.base, "from=2999-01-01", processTree(pid), session, config.export.maxSeconds);
  log(`no rows (the route loaded): ${empty.rows} rows, RSS ${mb(empty.rssBeforeBytes)} → +${mb(empty.growthBytes)}`);
  const from = await exportFrom(ledger.url, config.export.rows, config.timeZone);
  const largerFrom = await exportFrom(ledger.url, config.export.rows * 3, config.timeZone);
  const result = await benchExport(app.base, pid, session, { from, largerFrom }, config.export.maxSeconds);
  log(`first: ${result.first.seconds.toFixed(2)} s, +${mb(result.first.growthBytes)}`);
  log(`warm: ${result.rows} rows, ${result.seconds.toFixed(2)} s, RSS ${mb(result.rssBeforeBytes)} → +${mb(result.growthBytes)}`);
  log(`3×: ${result.larger.rows} rows, ${result.larger.seconds.toFixed(2)} s, +${mb(result.larger.growthBytes)}`);
  log(`by amount: ${result.byAmount.rows} rows, ${result.byAmount.seconds.toFixed(2)} s, +${mb(result.byAmount.growthBytes)}`);
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await stopAll();
  await dropAllBenchDatabases();
}
