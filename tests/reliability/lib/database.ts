import { randomBytes } from "node:crypto";
import pg from "pg";
import { migrateDatabase } from "@/lib/db/migrate";
import { withPgClient } from "@/lib/db/with-pg-client";

// The run's own PostgreSQL database: created fresh, migrated with the project's
// migrations, read directly by the checks (never through the app under test),
// and dropped at the end.

export type RunDatabase = {
  name: string;
  url: string;
  /** Host and port of the server, for the proxy placed in front of it. */
  host: string;
  port: number;
  pool: pg.Pool;
  drop(): Promise<void>;
};

export async function createRunDatabase(serverUrl: string): Promise<RunDatabase> {
  const name = `payhook_rel_${randomBytes(6).toString("hex")}`;
  await withPgClient(serverUrl, (admin) => admin.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const drop = async () => {
    await pool.end().catch(() => undefined);
    await withPgClient(serverUrl, (cleanup) => cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  };
  const pool = new pg.Pool({ connectionString: url.toString(), max: 4 });
  pool.on("error", () => undefined);
  try {
    await migrateDatabase({ url: url.toString() });
  } catch (error) {
    await drop().catch(() => undefined);
    throw error;
  }
  return { name, url: url.toString(), host: url.hostname, port: Number(url.port || 5432), pool, drop };
}

/** The same database reached through another port (the run's TCP proxy). */
export function viaPort(url: string, port: number): string {
  const copy = new URL(url);
  copy.port = String(port);
  return copy.toString();
}

export async function count(pool: pg.Pool, sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(sql, params);
  return Number(rows[0]?.n ?? 0);
}
