import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { benchBrowser } from "./browser/browser";
import { benchDashboard } from "./dashboard/dashboard";
import { benchExport, exportFrom } from "./export/export";
import { fillDatabase } from "./fill/fill";
import { benchIngest, requestsNeeded } from "./ingest/ingest";
import { generateProviderKeys, prepareRequests, publicKeyEnv } from "./ingest/requests";
import { buildApp, buildNextFloor, startApp, startBaseline, startNextFloor } from "./lib/app-server";
import { CALIBRATION_WORK, calibrate } from "./lib/calibrate";
import { config } from "./lib/config";
import { createBenchDatabase, dropAllBenchDatabases, dropBenchDatabase, serverSettings } from "./lib/postgres";
import { stop, stopAll } from "./lib/processes";
import { createBenchUser, signIn } from "./lib/session";
import { checks, type Results } from "./report/checks";
import { consoleTable, writeResults } from "./report/report";
import { requireProjectNode } from "../scripts/lib/require-project-node";

// npm run bench — ingest (app vs the Next floor vs baseline), dashboard queries at 1,000,000
// transactions, CSV export and the transactions page in Chromium; prints the
// table and writes bench/RESULTS.md. Loopback only; every step is bounded and
// the whole run stops after 20 minutes, cleaning up what it started.

requireProjectNode();
if (config.appWorkers !== 1) {
  throw new Error("BENCH_APP_WORKERS is for bench/ingest-only.ts: the benchmark measures the app as `npm start` runs it, one process");
}

const HARD_LIMIT_MS = 20 * 60 * 1000;
const RESULTS_FILE = path.join("bench", "RESULTS.md");
const started = performance.now();
const log = (line: string) => console.log(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);

const results: Results = {
  machine: {
    date: new Date().toISOString(),
    cores: os.cpus().length,
    cpu: os.cpus()[0]?.model.trim() ?? "unknown",
    memoryGb: os.totalmem() / 1024 ** 3,
    node: process.version,
    postgres: {},
    load: [],
  },
  seconds: 0,
  failures: [],
};
const noteLoad = (label: string) => results.machine.load.push({ label, avg: os.loadavg() as [number, number, number] });
const noteSpeed = (label: string) => {
  const ms = calibrate();
  (results.machine.calibration ??= []).push({ label, ms });
  log(`machine speed (${label}): ${ms.toFixed(0)} ms for ${CALIBRATION_WORK}`);
};

async function cleanUp(): Promise<void> {
  await stopAll();
  await dropAllBenchDatabases();
}

/** Runs one part; a failure is recorded and the run goes on with the next part. */
async function part(name: string, run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (error) {
    const message = `${name}: ${error instanceof Error ? error.message : String(error)}`;
    log(`FAILED ${message}`);
    results.failures.push(message);
  }
}

async function main(): Promise<void> {
  noteLoad("start");
  noteSpeed("start");
  results.machine.postgres = await serverSettings();
  const keys = generateProviderKeys();
  const keyEnv = publicKeyEnv(keys);

  const building = config.reuseBuild && existsSync(path.join(config.distDir, "BUILD_ID")) ? null : buildApp();
  log(building ? `building the app into ${config.distDir} (next build)…` : `reusing the build in ${config.distDir}`);
  // Signing runs while the build does: the load generator will only send bytes.
  const requests = prepareRequests(requestsNeeded(), keys, `B${randomBytes(3).toString("hex").toUpperCase()}`, config.ingest.retryShare);
  log(`${requests.length.toLocaleString("en-US")} notifications signed`);
  if (building) await building;
  log("build ready; building the Next floor (bench/next-floor)…");
  await buildNextFloor();
  log("Next floor ready");

  await part("ingest", async () => {
    const [appDb, floorDb, baseDb] = [await createBenchDatabase("app"), await createBenchDatabase("floor"), await createBenchDatabase("base")];
    const app = await startApp(appDb.url, keyEnv);
    const floor = await startNextFloor(floorDb.url, keyEnv);
    const baseline = await startBaseline(baseDb.url, keyEnv);
    try {
      noteLoad("ingest");
      log("ingest: app, Next floor and baseline, each in turn: warm-up, fixed rate, saturation, idle, fixed rate again");
      results.ingest = await benchIngest(
        [
          { name: "app", base: app.base, databaseUrl: appDb.url, pid: app.process.child.pid! },
          { name: "next", base: floor.base, databaseUrl: floorDb.url, pid: floor.process.child.pid! },
          { name: "baseline", base: baseline.base, databaseUrl: baseDb.url, pid: baseline.process.child.pid! },
        ],
        requests,
        log,
      );
    } finally {
      for (const server of [app, floor, baseline]) await stop(server.process);
      for (const db of [appDb, floorDb, baseDb]) await dropBenchDatabase(db.name);
    }
  });

  const ledger = await createBenchDatabase("ledger");
  log(`filling ${config.fill.transactions.toLocaleString("en-US")} transactions…`);
  noteLoad("fill");
  results.fill = await fillDatabase(ledger.url, config.fill, log);
  await createBenchUser(ledger.url);

  await part("dashboard", async () => {
    noteLoad("dashboard");
    log("dashboard queries");
    results.dashboard = await benchDashboard(ledger.url, log);
  });

  const app = await startApp(ledger.url, keyEnv);
  try {
    const session = await signIn(app.base);
    await part("export", async () => {
      noteLoad("export");
      const from = await exportFrom(ledger.url, config.export.rows, config.timeZone);
      const largerFrom = await exportFrom(ledger.url, config.export.rows * 3, config.timeZone);
      results.export = await benchExport(app.base, app.process.child.pid!, session, { from, largerFrom }, config.export.maxSeconds);
      log(`export: ${results.export.rows} rows in ${results.export.seconds.toFixed(2)} s, RSS +${(results.export.growthBytes / 2 ** 20).toFixed(1)} MB`);
    });
    await part("browser", async () => {
      noteLoad("browser");
      results.browser = await benchBrowser(app.base, session, config.browser.chromium, config.browser.runs);
      log(`browser: ${(results.browser.jsGzipBytes / 1024).toFixed(1)} KB JS gzip, first row ${results.browser.firstRowMedian.toFixed(0)} ms`);
    });
  } finally {
    await stop(app.process);
  }
}

const limit = setTimeout(() => {
  log("the run took more than 20 minutes: stopping");
  void cleanUp().finally(() => process.exit(1));
}, HARD_LIMIT_MS);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void cleanUp().finally(() => process.exit(130)));
}

try {
  await main();
} catch (error) {
  results.failures.push(error instanceof Error ? error.message : String(error));
  console.error(error);
} finally {
  await cleanUp();
  clearTimeout(limit);
  noteLoad("end");
  noteSpeed("end");
  results.seconds = (performance.now() - started) / 1000;
  writeResults(results, RESULTS_FILE);
  // The raw figures, so the results file can be written again (bench/report/rewrite.ts) without a new run.
  mkdirSync(path.join("bench", ".tmp"), { recursive: true });
  writeFileSync(path.join("bench", ".tmp", "results.json"), JSON.stringify(results));
  console.log(`\n${consoleTable(results)}\n`);
  const missed = checks(results).filter((row) => row.met === false).length;
  console.log(`${missed === 0 ? "every target met" : `${missed} target(s) missed`}; details and plans in ${RESULTS_FILE} (${(results.seconds / 60).toFixed(1)} min)`);
  process.exitCode = results.failures.length > 0 ? 1 : 0;
}
