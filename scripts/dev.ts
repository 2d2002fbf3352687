// `npm run dev`: from a fresh clone to a running app in one command. Creates the
// dev secrets, migrates the database, then hands over to `next dev`.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { constants } from "node:os";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import { describePostgresUrl, migrateDatabase } from "@/lib/db/migrate";
import { closePglite, openPglite } from "@/lib/db/pglite";
import { getEnv } from "@/lib/env";
import { DEFAULT_PORT, DEV_KEYS_DIR, devPort, ensureDevEnv, ENV_FILE } from "./lib/dev-env";
import { loadEnvFiles } from "./lib/load-env-files";
import { prepareDevData as createDemoData } from "./lib/prepare-dev-data";
import { requireProjectNode } from "./lib/require-project-node";

requireProjectNode();

type DevDatabase = { kind: "postgres"; url: string } | { kind: "pglite"; dir: string; pglite: PGlite };

const root = process.cwd();

/**
 * Steps run after the migrations, while the database is still open here (the
 * embedded one must be closed again before Next opens it). Demo data and the
 * demo admin user are created from this list.
 */
const devDataSteps: ((database: DevDatabase) => Promise<void>)[] = [createDemoData];

async function prepareDevData(database: DevDatabase): Promise<void> {
  for (const step of devDataSteps) await step(database);
}

function describeDatabase(database: DevDatabase): string {
  if (database.kind === "pglite") return `embedded PGlite in ${path.relative(root, database.dir) || database.dir}`;
  return `PostgreSQL ${describePostgresUrl(database.url)}`;
}

async function migrate(): Promise<{ description: string; applied: string[] }> {
  const env = getEnv();
  if (env.DATABASE_URL) {
    const database: DevDatabase = { kind: "postgres", url: env.DATABASE_URL };
    const { applied } = await migrateDatabase({ url: env.DATABASE_URL });
    await prepareDevData(database);
    return { description: describeDatabase(database), applied };
  }
  const dir = path.resolve(root, env.PGLITE_DIR);
  const pglite = await openPglite(dir);
  try {
    const database: DevDatabase = { kind: "pglite", dir, pglite };
    const { applied } = await migrateDatabase({ pglite });
    await prepareDevData(database);
    return { description: describeDatabase(database), applied };
  } finally {
    // The Next process opens the folder itself, and only one process may own it.
    await closePglite(pglite);
  }
}

/** next-auth redirects to NEXTAUTH_URL: one generated for another local port would send sign-ins elsewhere. */
function alignNextAuthUrl(port: number): string | undefined {
  const configured = getEnv().NEXTAUTH_URL;
  if (!configured) return undefined;
  let url: URL;
  try {
    url = new URL(configured);
  } catch {
    return undefined;
  }
  if (url.hostname !== "localhost" || Number(url.port || 80) === port) return undefined;
  url.port = String(port);
  const aligned = url.toString().replace(/\/$/, "");
  process.env.NEXTAUTH_URL = aligned;
  return `NEXTAUTH_URL in your env files says ${configured}; this server uses ${aligned}`;
}

function startNext(port: number): void {
  const require = createRequire(import.meta.url);
  const nextBin = path.join(path.dirname(require.resolve("next/package.json")), "dist", "bin", "next");
  const child = spawn(process.execPath, [nextBin, "dev", "--port", String(port)], {
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      child.kill(signal);
    });
  }
  child.on("error", (error) => {
    console.error(`could not start next dev: ${error.message}`);
    process.exit(1);
  });
  child.on("exit", (code, signal) => {
    process.exit(code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : 1));
  });
}

async function main(): Promise<void> {
  const setup = ensureDevEnv({ root, port: devPort() });
  loadEnvFiles(root);
  const port = devPort();

  if (setup.created) console.log(`Created ${ENV_FILE} with dev secrets and provider dev keys.`);
  else if (setup.added.length > 0) console.log(`Added to ${ENV_FILE}: ${setup.added.join(", ")}.`);
  if (setup.generatedKeys.length > 0) {
    console.log(`Generated dev private keys for ${setup.generatedKeys.join(", ")} in ${DEV_KEYS_DIR}/.`);
  }

  const { description, applied } = await migrate();
  const nextAuthNote = alignNextAuthUrl(port);

  const migrations = applied.length === 0 ? "schema up to date" : `applied ${applied.length} migration(s): ${applied.join(", ")}`;
  console.log(
    [
      "",
      "Payhook (development)",
      `  URL       http://localhost:${port}`,
      `  Database  ${description} (${migrations})`,
      `  Dev keys  private in ${DEV_KEYS_DIR}/, public in ${ENV_FILE}`,
      `  Try       npm run simulate -- payermax${port === DEFAULT_PORT ? "" : ` --url http://localhost:${port}`}`,
      ...(nextAuthNote ? [`  Note      ${nextAuthNote}`] : []),
      "",
    ].join("\n"),
  );

  startNext(port);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
