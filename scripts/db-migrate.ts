// `npm run db:migrate`: applies prisma/migrations to the configured database,
// the PostgreSQL server in DATABASE_URL or else the embedded PGlite folder.
import path from "node:path";
import { DatabaseNotConfiguredError } from "@/lib/db/client";
import { describePostgresUrl, MigrationError, migrateDatabase } from "@/lib/db/migrate";
import { closePglite, openPglite, PgliteLockedError } from "@/lib/db/pglite";
import { getEnv } from "@/lib/env";
import { loadEnvFiles } from "./lib/load-env-files";

async function main(): Promise<void> {
  loadEnvFiles();
  const env = getEnv();

  let where: string;
  let applied: string[];
  if (env.DATABASE_URL) {
    where = `PostgreSQL ${describePostgresUrl(env.DATABASE_URL)}`;
    ({ applied } = await migrateDatabase({ url: env.DATABASE_URL }));
  } else if (env.VERCEL) {
    // A Vercel build: migrating a throw-away embedded database would let a deployment with no database go live.
    throw new DatabaseNotConfiguredError();
  } else {
    where = `embedded PGlite in ${path.relative(process.cwd(), path.resolve(env.PGLITE_DIR)) || "."}`;
    const pglite = await openPglite(env.PGLITE_DIR);
    try {
      ({ applied } = await migrateDatabase({ pglite }));
    } finally {
      await closePglite(pglite);
    }
  }

  if (applied.length === 0) {
    console.log(`${where}: already up to date.`);
  } else {
    console.log(`${where}: applied ${applied.length} migration${applied.length === 1 ? "" : "s"}:`);
    for (const name of applied) console.log(`  ${name}`);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    const expected =
      error instanceof MigrationError ||
      error instanceof PgliteLockedError ||
      error instanceof DatabaseNotConfiguredError ||
      (error instanceof Error && error.message.startsWith("Invalid environment"));
    console.error(`db:migrate failed: ${expected ? (error as Error).message : error instanceof Error ? error.stack : String(error)}`);
    process.exit(1);
  },
);
