import { randomBytes } from "node:crypto";
import path from "node:path";
import { createPostgresClient, prismaForPglite, type Db } from "@/lib/db/client";
import { describePostgresUrl, migrateDatabase } from "@/lib/db/migrate";
import { closePglite, openPglite } from "@/lib/db/pglite";
import { withPgClient } from "@/lib/db/with-pg-client";
import { createUser, type Role } from "@/lib/users/create-user";

// The browser suite's own database: a fresh PostgreSQL database on the server in
// TEST_DATABASE_URL (as in CI), or else an embedded PGlite folder inside the run
// folder. Either is migrated and given the suite's users before the app starts,
// and thrown away when the run ends.

export type E2eUser = { email: string; password: string; role: Role };

export type E2eDatabase = {
  kind: "postgres" | "pglite";
  /** Where the app finds it: DATABASE_URL or PGLITE_DIR. */
  env: { DATABASE_URL: string; PGLITE_DIR: string };
  /** Who it is, for logs; never a password. */
  description: string;
  /** Reachable from the tests while the app runs (PostgreSQL only: a PGlite folder has one owner). */
  sharedUrl: string | null;
  /** The users' ids, by email: the access matrix names a user to change. */
  userIds: Record<string, string>;
  drop(): Promise<void>;
};

async function addUsers(db: Db, users: E2eUser[]): Promise<Record<string, string>> {
  try {
    const ids: Record<string, string> = {};
    for (const user of users) ids[user.email] = (await createUser(db, user)).id;
    return ids;
  } finally {
    await db.$disconnect();
  }
}

async function createPostgresDatabase(serverUrl: string, users: E2eUser[]): Promise<E2eDatabase> {
  const name = `payhook_e2e_${randomBytes(6).toString("hex")}`;
  await withPgClient(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database: E2eDatabase = {
    kind: "postgres",
    env: { DATABASE_URL: url.toString(), PGLITE_DIR: "" },
    description: `PostgreSQL ${describePostgresUrl(url.toString())}`,
    sharedUrl: url.toString(),
    userIds: {},
    drop: () => withPgClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => {}),
  };
  try {
    await migrateDatabase({ url: url.toString() });
    database.userIds = await addUsers(createPostgresClient(url.toString(), 2), users);
  } catch (error) {
    await database.drop().catch(() => {});
    throw error;
  }
  return database;
}

async function createPgliteDatabase(runDir: string, users: E2eUser[]): Promise<E2eDatabase> {
  const dir = path.join(runDir, "pglite");
  const pglite = await openPglite(dir);
  let userIds: Record<string, string>;
  try {
    await migrateDatabase({ pglite });
    userIds = await addUsers(prismaForPglite(pglite), users);
  } finally {
    // The app opens the folder itself, and only one process may own it.
    await closePglite(pglite);
  }
  return {
    kind: "pglite",
    // An empty DATABASE_URL also keeps a developer's .env.local from pointing the app elsewhere.
    env: { DATABASE_URL: "", PGLITE_DIR: dir },
    description: `embedded PGlite in ${dir}`,
    sharedUrl: null,
    userIds,
    // The folder goes with the run folder.
    drop: async () => {},
  };
}

export function createE2eDatabase(options: { serverUrl?: string; runDir: string; users: E2eUser[] }): Promise<E2eDatabase> {
  return options.serverUrl
    ? createPostgresDatabase(options.serverUrl, options.users)
    : createPgliteDatabase(options.runDir, options.users);
}
