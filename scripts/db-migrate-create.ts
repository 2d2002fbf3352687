// `npm run db:migrate:create -- <name>`: writes the next migration, the SQL that
// takes a database from the existing migrations to prisma/schema.prisma.
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import {
  diffMigrationsToSchema,
  MIGRATION_LOCK_CONTENT,
  MIGRATION_LOCK_FILE,
  MigrationError,
  MIGRATIONS_DIR,
} from "@/lib/db/migrate";

const USAGE = "Usage: npm run db:migrate:create -- <name>   (e.g. add_refund_reason)";

function migrationName(args: string[]): string {
  const words = args.filter((arg) => arg !== "--");
  const raw = words.join(" ").trim();
  if (!raw || raw.startsWith("-")) throw new MigrationError(`A migration name is required.\n${USAGE}`);
  const name = raw
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  if (!name) throw new MigrationError(`"${raw}" has no letters or digits to name a migration with.\n${USAGE}`);
  return name;
}

/** UTC yyyymmddHHMMSS, the prefix the Prisma CLI gives migration folders. */
function timestamp(now: Date): string {
  return now.toISOString().replace(/[-:T]/g, "").slice(0, 14);
}

async function main(): Promise<void> {
  const name = migrationName(process.argv.slice(2));
  const sql = await diffMigrationsToSchema();
  if (!sql.trim()) {
    console.log("schema and migrations are in sync; nothing to create");
    return;
  }

  const baseDir = path.resolve(MIGRATIONS_DIR);
  const folder = `${timestamp(new Date())}_${name}`;
  const dir = path.join(baseDir, folder);
  if (existsSync(dir)) throw new MigrationError(`${path.relative(process.cwd(), dir)} already exists.`);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, "migration.sql"), sql, "utf8");

  const lockPath = path.join(baseDir, MIGRATION_LOCK_FILE);
  if (!existsSync(lockPath)) await writeFile(lockPath, MIGRATION_LOCK_CONTENT, "utf8");

  console.log(`Created ${path.relative(process.cwd(), path.join(dir, "migration.sql"))}`);
  console.log("Review it, then apply it with `npm run db:migrate`.");
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    const message = error instanceof MigrationError ? error.message : error instanceof Error ? error.stack : String(error);
    console.error(`db:migrate:create failed: ${message}`);
    process.exit(1);
  },
);
