import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";
import {
  checkDrift,
  diffMigrationsToSchema,
  MIGRATION_LOCK_CONTENT,
  MigrationError,
  MIGRATIONS_DIR,
  migrateDatabase,
  SCHEMA_PATH,
} from "@/lib/db/migrate";
import { closePglite, openPglite } from "@/lib/db/pglite";
import { withEmptyDatabase } from "../helpers/test-database";

// Every diff and every in-memory database boots PGlite, which takes seconds on a busy machine.
const SLOW = 180_000;

const committedMigrations = readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

describe("schema drift", () => {
  it("finds none between prisma/schema.prisma and the committed migrations", async () => {
    const result = await checkDrift();
    expect(result).toEqual({ drift: false, sql: "" });
  }, SLOW);

  it("reports a changed schema as drift, with the SQL the migrations lack", async () => {
    const original = readFileSync(SCHEMA_PATH, "utf8");
    const changed = `${original}\nmodel DriftProbe {\n  id Int @id\n\n  @@map("drift_probe")\n}\n`;

    const result = await checkDrift({ schemaText: changed });

    expect(result.drift).toBe(true);
    expect(result.sql).toContain('CREATE TABLE "drift_probe"');
    expect(readFileSync(SCHEMA_PATH, "utf8")).toBe(original);
  }, SLOW);

  it("gives the whole schema as SQL when there are no migrations yet", async () => {
    const empty = mkdtempSync(path.join(tmpdir(), "payhook-migrations-"));
    try {
      const sql = await diffMigrationsToSchema({ migrationsDir: empty });
      expect(sql).toContain('CREATE TABLE "deliveries"');
      expect(sql).toContain('CREATE TYPE "DeliveryOutcome"');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  }, SLOW);
});

describe("migrating embedded PGlite", () => {
  it("creates the tables, records the history, and applies nothing the second time", async () => {
    const pglite = await openPglite("memory://");
    try {
      const first = await migrateDatabase({ pglite });
      expect(first.applied).toEqual(committedMigrations);

      for (const table of ["deliveries", "transactions", "_prisma_migrations"]) {
        const { rows } = await pglite.query<{ count: number }>(`SELECT count(*)::int AS count FROM "${table}"`);
        expect(rows[0]?.count).toBe(table === "_prisma_migrations" ? committedMigrations.length : 0);
      }

      const second = await migrateDatabase({ pglite });
      expect(second.applied).toEqual([]);
      // The caller's instance stays open.
      expect(pglite.closed).toBe(false);
    } finally {
      await closePglite(pglite);
    }
  }, SLOW);

  it("runs each migration whole and atomically, and records a failed one as failed", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "payhook-migrations-"));
    const write = (name: string, sql: string) => {
      mkdirSync(path.join(dir, name));
      writeFileSync(path.join(dir, name, "migration.sql"), sql);
    };
    writeFileSync(path.join(dir, "migration_lock.toml"), MIGRATION_LOCK_CONTENT);
    // Semicolons inside literals and function bodies must not split the script.
    write(
      "20240101000000_literals",
      "CREATE TABLE a (note text DEFAULT 'x;y');\n" +
        "CREATE FUNCTION one() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END; $$;\n",
    );
    // Its first statement succeeds, its second fails: neither may stay.
    write("20240101000001_broken", "CREATE TABLE b (id int);\nCREATE TABLE a (id int);\n");

    const pglite = await openPglite("memory://");
    try {
      await expect(migrateDatabase({ pglite }, { migrationsDir: dir })).rejects.toThrow(
        /20240101000001_broken failed: .*relation "a" already exists/,
      );
      const tables = await pglite.query<{ name: string }>(
        "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
      );
      expect(tables.rows.map((row) => row.name)).toEqual(["_prisma_migrations", "a"]);
      const history = await pglite.query<{ name: string; finished: boolean }>(
        "SELECT migration_name AS name, finished_at IS NOT NULL AS finished FROM _prisma_migrations ORDER BY 1",
      );
      expect(history.rows).toEqual([
        { name: "20240101000000_literals", finished: true },
        { name: "20240101000001_broken", finished: false },
      ]);
      await expect(migrateDatabase({ pglite }, { migrationsDir: dir })).rejects.toBeInstanceOf(MigrationError);
    } finally {
      await closePglite(pglite);
      rmSync(dir, { recursive: true, force: true });
    }
  }, SLOW);
});

describe.skipIf(!process.env.TEST_DATABASE_URL)("migrating PostgreSQL", () => {
  it("migrates a fresh database, with the history native Prisma expects, once", async () => {
    await withEmptyDatabase("payhook_mig_test", async (url) => {
      const first = await migrateDatabase({ url });
      expect(first.applied).toEqual(committedMigrations);

      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const { rows } = await client.query<{ checksum: string; finished: boolean; steps: number }>(
          `SELECT checksum, finished_at IS NOT NULL AS finished, applied_steps_count AS steps
             FROM _prisma_migrations WHERE migration_name = $1`,
          [committedMigrations[0]],
        );
        const sql = readFileSync(path.join(MIGRATIONS_DIR, committedMigrations[0] as string, "migration.sql"));
        expect(rows).toEqual([{ checksum: createHash("sha256").update(sql).digest("hex"), finished: true, steps: 1 }]);
        const tables = await client.query("SELECT 1 FROM deliveries UNION ALL SELECT 1 FROM transactions");
        expect(tables.rowCount).toBe(0);
      } finally {
        await client.end();
      }

      const second = await migrateDatabase({ url });
      expect(second.applied).toEqual([]);
    });
  }, SLOW);

  it("waits for another migration's lock, says so when it is not released in time, and leaves none behind", async () => {
    await withEmptyDatabase("payhook_mig_lock", async (url) => {
      const other = new pg.Client({ connectionString: url });
      await other.connect();
      try {
        // What a native `prisma migrate deploy` holds while it runs.
        await other.query("SELECT pg_advisory_lock(72707369)");
        await expect(migrateDatabase({ url }, { lockTimeoutMs: 300 })).rejects.toThrow(
          /^Another migration of this database held the migration lock for 300 ms \(PostgreSQL advisory lock 72707369\)\. Wait for it to finish/,
        );
        const waiting = migrateDatabase({ url }, { lockTimeoutMs: 30_000 });
        await new Promise((resolve) => setTimeout(resolve, 300));
        await other.query("SELECT pg_advisory_unlock(72707369)");
        expect((await waiting).applied).toEqual(committedMigrations);
        const held = await other.query(
          "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND objid = 72707369 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
        );
        expect(held.rowCount).toBe(0);
      } finally {
        await other.end();
      }
    });
  }, SLOW);

  it("says which server it cannot reach", async () => {
    await expect(migrateDatabase({ url: "postgresql://postgres:secret@127.0.0.1:1/nowhere" })).rejects.toThrow(
      /^Cannot reach PostgreSQL at 127\.0\.0\.1:1 \(ECONNREFUSED\)\. Start PostgreSQL or fix DATABASE_URL\.$/,
    );
  }, SLOW);
});
