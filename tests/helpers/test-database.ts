import { randomBytes } from "node:crypto";
import { afterAll, beforeAll } from "vitest";
import { createPostgresClient, prismaForPglite, type Db } from "@/lib/db/client";
import { migrateDatabase } from "@/lib/db/migrate";
import { closePglite, openPglite } from "@/lib/db/pglite";
import { withPgClient } from "@/lib/db/with-pg-client";

// Every integration suite runs against an embedded PGlite, and also against a
// real PostgreSQL server when TEST_DATABASE_URL names one. On the server, each
// run creates its own database and drops it afterwards.

export type TestDatabase = {
  name: string;
  db: Db;
  /** The server database's URL, for a second client of its own (PostgreSQL only). */
  url?: string;
  close(): Promise<void>;
};

export const backends: readonly ("pglite" | "postgres")[] = process.env.TEST_DATABASE_URL
  ? ["pglite", "postgres"]
  : ["pglite"];

export async function createTestDatabase(backend: "pglite" | "postgres"): Promise<TestDatabase> {
  if (backend === "pglite") {
    const pglite = await openPglite("memory://");
    await migrateDatabase({ pglite });
    const db = prismaForPglite(pglite);
    return {
      name: "pglite",
      db,
      async close() {
        await db.$disconnect();
        await closePglite(pglite);
      },
    };
  }
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) throw new Error("TEST_DATABASE_URL is not set");
  const name = `payhook_test_${randomBytes(6).toString("hex")}`;
  await withPgClient(serverUrl, (admin) => admin.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  await migrateDatabase({ url: url.toString() });
  const db = createPostgresClient(url.toString(), 25);
  return {
    name: "postgres",
    db,
    url: url.toString(),
    async close() {
      await db.$disconnect();
      await withPgClient(serverUrl, (cleanup) => cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

/**
 * Runs `work` on a new, empty database (no migrations) on the TEST_DATABASE_URL
 * server, given its URL, and drops the database afterwards however `work` ends.
 */
export async function withEmptyDatabase<T>(prefix: string, work: (url: string) => Promise<T>): Promise<T> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) throw new Error("TEST_DATABASE_URL is not set");
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  await withPgClient(serverUrl, (admin) => admin.query(`CREATE DATABASE ${name}`));
  try {
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return await work(url.toString());
  } finally {
    await withPgClient(serverUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  }
}

/**
 * A fresh database for the enclosing `describe` block: created before its
 * tests (before any `beforeAll` registered after this call), dropped after
 * them. Its fields are there once the block's tests run.
 */
export function useTestDatabase(backend: "pglite" | "postgres"): TestDatabase {
  const database = {} as TestDatabase;
  beforeAll(async () => {
    Object.assign(database, await createTestDatabase(backend));
  });
  afterAll(async () => {
    await database.close?.();
  });
  return database;
}
