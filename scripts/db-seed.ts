// `npm run db:seed`: fills the ledger with about 90 days of demo history, sent as
// signed provider notifications through the real webhook handler.
import path from "node:path";
import { parseArgs } from "node:util";
import type { PGlite } from "@electric-sql/pglite";
import { createPostgresClient, prismaForPglite, type Db } from "@/lib/db/client";
import { describePostgresUrl } from "@/lib/db/migrate";
import { closePglite, openPglite, PgliteLockedError } from "@/lib/db/pglite";
import { DEFAULT_COUNT, DEFAULT_SEED } from "@/lib/demo/build-demo-history";
import { assertLedgerEmpty, LedgerNotEmptyError, seedDemoLedger } from "@/lib/demo/seed-demo-ledger";
import { getEnv } from "@/lib/env";
import { loadEnvFiles } from "./lib/load-env-files";
import { DemoKeysError, describeSeedSummary, progressPrinter, readDemoKeys } from "./lib/prepare-dev-data";

const USAGE = `Usage: npm run db:seed -- [options]

Fills the ledger (DATABASE_URL, or the embedded database) with about 90 days of
demo history: PayCools, PayCools Indonesia and PayerMax notifications signed with
the dev keys and sent through the real webhook handler, so every row is what the
ingest made of a verified notification. The same seed gives the same history.

Options:
  --count <n>         about how many transactions (default ${DEFAULT_COUNT})
  --seed <n>          which history (default ${DEFAULT_SEED})
  --force             seed a ledger that already holds data; the same seed again only
                      repeats its notifications (stored as provider retries): pick another --seed
  --concurrency <n>   notifications in flight at once (default 8 on PostgreSQL, 2 embedded)
  -h, --help          show this text`;

class UsageError extends Error {}
class SeedError extends Error {}

function wholeNumber(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, not "${raw}"`);
  }
  return value;
}

// The embedded database runs every query on this one thread: more requests in
// flight only queue up in front of it (measured: 8 costs about 20 % more CPU than 2).
// A PostgreSQL server works on several at once.
const defaultConcurrency = () => (getEnv().DATABASE_URL ? 8 : 2);

function parseOptions(argv: string[]) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        count: { type: "string" },
        seed: { type: "string" },
        force: { type: "boolean", default: false },
        concurrency: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  return {
    help: values.help,
    count: wholeNumber("count", values.count, DEFAULT_COUNT, 1, 1_000_000),
    seed: wholeNumber("seed", values.seed, DEFAULT_SEED, 0, 2 ** 32 - 1),
    force: values.force,
    concurrency: wholeNumber("concurrency", values.concurrency, defaultConcurrency(), 1, 64),
  };
}

type Ledger = { db: Db; where: string; close(): Promise<void> };

// Opened here rather than through getDb(), so the embedded folder is closed
// cleanly (checkpointed) once the history is in.
async function openLedger(concurrency: number): Promise<Ledger> {
  const env = getEnv();
  if (env.DATABASE_URL) {
    const db = createPostgresClient(env.DATABASE_URL, concurrency + 2);
    return { db, where: `PostgreSQL ${describePostgresUrl(env.DATABASE_URL)}`, close: () => db.$disconnect() };
  }
  const pglite: PGlite = await openPglite(env.PGLITE_DIR);
  const db = prismaForPglite(pglite);
  const where = `embedded database in ${path.relative(process.cwd(), path.resolve(env.PGLITE_DIR)) || "."}`;
  return {
    db,
    where,
    async close() {
      await db.$disconnect();
      await closePglite(pglite);
    },
  };
}

function isMissingTable(error: unknown): boolean {
  return (error as { code?: unknown }).code === "P2021";
}

async function main(): Promise<number> {
  loadEnvFiles();
  const options = parseOptions(process.argv.slice(2));
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  const keys = readDemoKeys();
  const ledger = await openLedger(options.concurrency);
  try {
    if (!options.force) await assertLedgerEmpty(ledger.db);
    console.log(`Seeding the ${ledger.where}: about ${options.count.toLocaleString("en-US")} transactions, seed ${options.seed}`);
    const progress = progressPrinter("  sent");
    const summary = await seedDemoLedger(ledger.db, { ...options, keys, onProgress: progress.update });
    progress.finish();
    for (const line of describeSeedSummary(summary)) console.log(`  ${line}`);
    if (summary.unexpected.length === 0) return 0;
    console.error(`${summary.unexpected.length} notification(s) did not get the answer the seed expected:`);
    for (const { delivery, status, body } of summary.unexpected.slice(0, 5)) {
      console.error(`  ${delivery.provider} at ${delivery.at.toISOString()}: expected ${delivery.expectedStatus}, got ${status} ${body}`);
    }
    return 1;
  } catch (error) {
    if (isMissingTable(error)) throw new SeedError(`the ${ledger.where} has no ledger tables yet: run \`npm run db:migrate\` first`);
    throw error;
  } finally {
    await ledger.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const expected =
      error instanceof UsageError ||
      error instanceof SeedError ||
      error instanceof LedgerNotEmptyError ||
      error instanceof DemoKeysError ||
      error instanceof PgliteLockedError ||
      (error instanceof Error && error.message.startsWith("Invalid environment"));
    const message = error instanceof Error ? error.message : String(error);
    console.error(`db:seed failed: ${message}${error instanceof UsageError ? " (see --help)" : ""}`);
    if (!expected && error instanceof Error && error.stack) console.error(error.stack);
    process.exit(1);
  },
);
