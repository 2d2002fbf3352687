import { randomBytes } from "node:crypto";
import { migrateDatabase } from "@/lib/db/migrate";
import { withPgClient } from "@/lib/db/with-pg-client";
import { config } from "./config";

// Throw-away databases on the local PostgreSQL server: created and migrated
// with the app's own migrations, dropped when the run ends (even a failed one).

export type BenchDatabase = { name: string; url: string };

export function databaseUrl(name: string): string {
  const url = new URL(config.serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

const created = new Set<string>();

export async function createBenchDatabase(label: string): Promise<BenchDatabase> {
  const name = `payhook_bench_${label}_${randomBytes(4).toString("hex")}`;
  await withPgClient(config.serverUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  created.add(name);
  const url = databaseUrl(name);
  await migrateDatabase({ url });
  return { name, url };
}

export async function dropBenchDatabase(name: string): Promise<void> {
  await withPgClient(config.serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  created.delete(name);
}

export async function dropAllBenchDatabases(): Promise<void> {
  for (const name of [...created]) await dropBenchDatabase(name).catch((error) => console.error(`could not drop ${name}:`, error));
}

/** The server's settings that shape the figures, for the results file. */
export async function serverSettings(): Promise<Record<string, string>> {
  return withPgClient(config.serverUrl, async (client) => {
    const names = ["server_version", "shared_buffers", "work_mem", "effective_cache_size", "synchronous_commit", "max_connections"];
    const { rows } = await client.query<{ name: string; setting: string }>(
      `SELECT name, current_setting(name) AS setting FROM pg_settings WHERE name = ANY($1)`,
      [names],
    );
    return Object.fromEntries(rows.map((row) => [row.name, row.setting]));
  });
}
