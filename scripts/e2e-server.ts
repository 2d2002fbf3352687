// The browser suite's server (Playwright starts it, see tests/e2e/playwright.config.ts):
// a production build of Payhook on its own port, build folder and database, with
// provider keys, a session secret and users made for this run alone. It stops on
// SIGTERM/SIGINT and then deletes what it made: the database and the run folder.
//
// E2E_PORT (default 3210) picks the port; TEST_DATABASE_URL a PostgreSQL server to
// create the run's database on (else embedded PGlite); E2E_REUSE_BUILD=1 skips
// `next build` when .next-e2e holds one (for iterating on tests; CI never sets it).
import { spawn, type ChildProcess } from "node:child_process";
import { generateKeyPairSync, randomBytes, type KeyPairKeyObjectResult } from "node:crypto";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { PUBLIC_KEY_VARIABLES } from "@/lib/providers/public-key-variables";
import { RUN_DIR_VARIABLE, RUN_INFO_FILE, type E2eProvider, type RunInfo } from "@/tests/e2e/support/run-info";
import { restoreBuildRewrites, saveBuildRewrites, type SavedFiles } from "./lib/build-rewrites";
import { createE2eDatabase, type E2eDatabase, type E2eUser } from "./lib/e2e-database";

const root = process.cwd();
const BUILD_DIR = ".next-e2e";
const port = Number(process.env.E2E_PORT || 3210);
const baseURL = `http://localhost:${port}`;
const runDir = process.env[RUN_DIR_VARIABLE] || path.join(tmpdir(), `payhook-e2e-${randomBytes(4).toString("hex")}`);
const SIGN_IN = { maxFailures: 5, windowMinutes: 15 };
/** The production default (lib/env.ts), set so the limit is the one the test relies on. */
const REFUSALS_PER_MINUTE = 30;

const startedAt = Date.now();
const log = (message: string) => console.log(`[e2e-server +${((Date.now() - startedAt) / 1000).toFixed(1)}s] ${message}`);

const children = new Map<ChildProcess, Promise<number>>();
let databaseReady: Promise<E2eDatabase> | undefined;
/** The files `next build` rewrites, as they were before it ran; restored however the build ends. */
let filesBeforeBuild: SavedFiles | undefined;
let stopping = false;

function run(args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; exited: Promise<number> } {
  const nextBin = path.join(path.dirname(createRequire(import.meta.url).resolve("next/package.json")), "dist", "bin", "next");
  const child = spawn(process.execPath, [nextBin, ...args], { cwd: root, env, stdio: "inherit" });
  const exited = new Promise<number>((resolve) => {
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    child.on("error", (error) => {
      console.error(`[e2e-server] could not run next ${args[0]}: ${error.message}`);
      resolve(1);
    });
  });
  children.set(child, exited);
  void exited.then(() => children.delete(child));
  return { child, exited };
}

async function build(env: NodeJS.ProcessEnv): Promise<void> {
  if (process.env.E2E_REUSE_BUILD === "1" && existsSync(path.join(BUILD_DIR, "BUILD_ID"))) {
    log(`reusing the build in ${BUILD_DIR} (E2E_REUSE_BUILD=1)`);
    return;
  }
  log(`next build into ${BUILD_DIR}`);
  filesBeforeBuild = saveBuildRewrites();
  try {
    const code = await run(["build"], env).exited;
    if (code !== 0) throw new Error(`next build failed (exit code ${code})`);
  } finally {
    restoreBuildRewrites(filesBeforeBuild);
    filesBeforeBuild = undefined;
  }
  log("build done");
}

function user(role: E2eUser["role"], name: string): E2eUser {
  return { email: `${name}@e2e.payhook.test`, password: randomBytes(18).toString("base64url"), role };
}

async function shutdown(code: number): Promise<never> {
  if (stopping) return new Promise<never>(() => {});
  stopping = true;
  for (const child of children.keys()) child.kill("SIGTERM");
  await Promise.all(children.values());
  restoreBuildRewrites(filesBeforeBuild);
  const database = await databaseReady?.catch(() => undefined);
  try {
    await database?.drop();
  } catch (error) {
    console.error(`[e2e-server] could not drop the run's database: ${(error as Error).message}`);
    code = code || 1;
  }
  rmSync(runDir, { recursive: true, force: true });
  log(`stopped; removed the run's database and ${runDir}`);
  process.exit(code);
}

async function main(): Promise<void> {
  mkdirSync(runDir, { recursive: true, mode: 0o700 });
  const keys = Object.fromEntries(
    (Object.keys(PUBLIC_KEY_VARIABLES) as E2eProvider[]).map((provider) => [provider, generateKeyPairSync("rsa", { modulusLength: 2048 })]),
  ) as Record<E2eProvider, KeyPairKeyObjectResult>;
  const users = {
    admin: user("admin", "admin"),
    finance: user("finance", "finance"),
    viewer: user("viewer", "viewer"),
    throttled: user("viewer", "throttled"),
    managed: user("viewer", "managed"),
  };

  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", NEXT_DIST_DIR: BUILD_DIR };

  // The build needs no database: prepare both at once.
  databaseReady = createE2eDatabase({ serverUrl: process.env.TEST_DATABASE_URL?.trim() || undefined, runDir, users: Object.values(users) });
  const [database] = await Promise.all([databaseReady, build(env)]);
  log(`database ready: ${database.description}, with users ${Object.values(users).map((u) => u.email).join(", ")}`);

  const info: RunInfo = {
    baseURL,
    database: database.kind,
    databaseUrl: database.sharedUrl,
    users: {
      admin: { email: users.admin.email, password: users.admin.password },
      finance: { email: users.finance.email, password: users.finance.password },
      viewer: { email: users.viewer.email, password: users.viewer.password },
      throttled: { email: users.throttled.email, password: users.throttled.password },
      managed: { email: users.managed.email, password: users.managed.password, id: database.userIds[users.managed.email]! },
    },
    signIn: SIGN_IN,
    refusalsPerMinute: REFUSALS_PER_MINUTE,
    cronSecret: randomBytes(32).toString("hex"),
    privateKeys: Object.fromEntries(
      Object.entries(keys).map(([provider, pair]) => [provider, pair.privateKey.export({ format: "pem", type: "pkcs8" }).toString()]),
    ) as Record<E2eProvider, string>,
  };
  writeFileSync(path.join(runDir, RUN_INFO_FILE), JSON.stringify(info, null, 2), { mode: 0o600 });

  // Every variable the app reads is set, so a developer's .env.local cannot leak into the run.
  const appEnv: NodeJS.ProcessEnv = {
    ...env,
    PORT: String(port),
    ...database.env,
    DATABASE_POOL_SIZE: "10",
    ...Object.fromEntries(
      Object.entries(PUBLIC_KEY_VARIABLES).map(([provider, variable]) => [
        variable,
        keys[provider as E2eProvider].publicKey.export({ format: "der", type: "spki" }).toString("base64"),
      ]),
    ),
    PAYCOOLS_AMOUNT_EXPONENTS: "",
    PAYCOOLS_ID_AMOUNT_EXPONENTS: "",
    NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
    NEXTAUTH_URL: baseURL,
    CRON_SECRET: info.cronSecret,
    REFUSED_DELIVERY_RETENTION_DAYS: "30",
    SIGN_IN_MAX_FAILURES: String(SIGN_IN.maxFailures),
    SIGN_IN_WINDOW_MINUTES: String(SIGN_IN.windowMinutes),
    WEBHOOK_REFUSALS_PER_MINUTE: String(REFUSALS_PER_MINUTE),
    WEBHOOK_REFUSAL_BYTES_PER_MINUTE: "262144",
    // Twice the workers' refusals in flight (each sends one at a time): the default, a quarter of the pool, would
    // leave no room for one still being recorded after its answer went at the deadline.
    WEBHOOK_REFUSALS_AT_ONCE: "4",
  };
  log(`next start on ${baseURL}`);
  const { exited } = run(["start", "--port", String(port)], appEnv);
  const code = await exited;
  if (!stopping) {
    console.error(`[e2e-server] next start exited unexpectedly (exit code ${code})`);
    await shutdown(1);
  }
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => void shutdown(0));

main().catch(async (error: unknown) => {
  console.error(`[e2e-server] ${error instanceof Error ? error.message : String(error)}`);
  await shutdown(1);
});
