import { createPublicKey, randomInt, type KeyObject } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import { createPostgresClient, prismaForPglite, type Db } from "@/lib/db/client";
import { DEFAULT_COUNT } from "@/lib/demo/build-demo-history";
import type { DemoKeys } from "@/lib/demo/history-writer";
import { seedDemoLedger, type SeedSummary } from "@/lib/demo/seed-demo-ledger";
import { getEnv } from "@/lib/env";
import { fingerprintOf, parseKeyring } from "@/lib/providers/keyring";
import { createUser, type Role } from "@/lib/users/create-user";
import { DEV_PROVIDERS, PUBLIC_KEY_VARIABLES, readDevPrivateKey } from "./dev-env";

// `npm run dev`, after the migrations: a fresh database gets a demo admin and
// viewer (credentials printed and kept in a git-ignored file) and an empty
// ledger gets the demo history. A database that has them is left alone.

export type DevDatabase = { kind: "postgres"; url: string } | { kind: "pglite"; dir: string; pglite: PGlite };

export const CREDENTIALS_FILE = path.join(".data", "demo-credentials.txt");
const DEMO_ACCOUNTS: readonly { role: Role; email: string; name: string }[] = [
  { role: "admin", email: "admin@payhook.local", name: "Demo admin" },
  { role: "finance", email: "finance@payhook.local", name: "Demo finance" },
  { role: "viewer", email: "viewer@payhook.local", name: "Demo viewer" },
];

/** 16 characters from an alphabet without look-alikes (0/o, 1/l/i), in groups of four: about 79 bits. */
export function generatePassword(): string {
  const alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
  const groups = Array.from({ length: 4 }, () => Array.from({ length: 4 }, () => alphabet[randomInt(alphabet.length)]).join(""));
  return groups.join("-");
}

export class DemoKeysError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DemoKeysError";
  }
}

/**
 * The dev private keys the demo history is signed with, checked against the
 * public keys the app will use: a mismatch would have every notification refused.
 */
export function readDemoKeys(root = process.cwd()): DemoKeys {
  const env = getEnv();
  const keys = {} as DemoKeys;
  for (const provider of DEV_PROVIDERS) {
    let privateKey: KeyObject;
    try {
      privateKey = readDevPrivateKey(provider, root);
    } catch (error) {
      throw new DemoKeysError((error as Error).message);
    }
    const variable = PUBLIC_KEY_VARIABLES[provider];
    const keyring = parseKeyring(env[variable], variable);
    if (!keyring.ok) throw new DemoKeysError(keyring.message);
    const fingerprint = fingerprintOf(createPublicKey(privateKey));
    if (!keyring.keys.some((entry) => entry.fingerprint === fingerprint)) {
      throw new DemoKeysError(
        `${variable} does not hold the public half of the dev key for ${provider}, so the app would refuse the demo ` +
          `notifications: remove ${variable} from .env.local and run \`npm run dev\` to pair them again`,
      );
    }
    keys[provider] = privateKey;
  }
  return keys;
}

export function describeSeedSummary(summary: SeedSummary): string[] {
  const n = (value: number) => value.toLocaleString("en-US");
  const providers = Object.entries(summary.transactionsByProvider)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([provider, count]) => `${provider} ${n(count)}`)
    .join(", ");
  const { deliveries, duplicateCases } = summary;
  const day = (date: Date) => date.toISOString().slice(0, 10);
  return [
    `${n(summary.transactions)} transactions (${providers}) from ${day(summary.from)} to ${day(summary.to)}`,
    `${n(deliveries.total)} deliveries: ${n(deliveries.accepted)} accepted, ${n(deliveries.duplicate)} provider retries, ${n(deliveries.rejected)} rejected`,
    `${n(duplicateCases.total)} duplicate-payment cases (${n(duplicateCases.declared)} declared by PayerMax, ${n(duplicateCases.detected)} detected)`,
    `took ${(summary.milliseconds / 1000).toFixed(1)} s`,
  ];
}

/** A one-line progress display: rewritten in place on a terminal, a few milestones otherwise. */
export function progressPrinter(
  label: string,
  log: (line: string) => void = (line) => console.log(line),
): { update(done: number, total: number): void; finish(): void } {
  const tty = process.stdout.isTTY === true;
  let shown = 0;
  let lastStep = -1;
  return {
    update(done, total) {
      if (tty) {
        if (Date.now() - shown < 100 && done < total) return;
        shown = Date.now();
        process.stdout.write(`\r${label} ${done}/${total} notifications (${Math.floor((100 * done) / total)}%)`);
        return;
      }
      const step = Math.floor((4 * done) / total);
      if (step > lastStep && step > 0 && step < 4) log(`${label} ${done}/${total} notifications`);
      lastStep = step;
    },
    finish() {
      if (tty) process.stdout.write("\n");
    },
  };
}

async function createDemoAccounts(db: Db, root: string, where: string): Promise<string[]> {
  const lines: string[] = [];
  for (const account of DEMO_ACCOUNTS) {
    const password = generatePassword();
    await createUser(db, { ...account, password });
    lines.push(`${account.role.padEnd(8)}${account.email.padEnd(24)}${password}`);
  }
  const file = path.join(root, CREDENTIALS_FILE);
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const header = [
    `# Payhook demo accounts, created by \`npm run dev\` in a fresh development database (${where}).`,
    "# For local development only: never use these accounts or passwords anywhere else.",
    "# role  email                   password",
  ];
  writeFileSync(file, `${[...header, ...lines].join("\n")}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return lines;
}

/** Whether the credentials file still describes accounts of this database. */
async function credentialsFileMatches(db: Db, root: string): Promise<boolean> {
  const file = path.join(root, CREDENTIALS_FILE);
  if (!existsSync(file)) return false;
  const listed = DEMO_ACCOUNTS.filter((account) => readFileSync(file, "utf8").includes(account.email));
  const found = await db.user.count({ where: { email: { in: listed.map((account) => account.email) } } });
  return listed.length > 0 && found === listed.length;
}

export type PrepareOptions = {
  root?: string;
  log?: (line: string) => void;
  /** About how many transactions of demo history an empty ledger gets. */
  count?: number;
};

/** Demo accounts for a database without users, demo history for a ledger without transactions. */
export async function prepareDevData(database: DevDatabase, options: PrepareOptions = {}): Promise<void> {
  const root = options.root ?? process.cwd();
  // The embedded folder is already open in this process: reuse it, and leave closing it to the caller.
  const db = database.kind === "pglite" ? prismaForPglite(database.pglite) : createPostgresClient(database.url, 10);
  try {
    const where = database.kind === "pglite" ? `embedded database in ${path.relative(root, database.dir) || database.dir}` : "PostgreSQL";
    // The embedded database serves one query at a time: more in flight only adds queueing.
    await addDemoData(db, { ...options, root, where, concurrency: database.kind === "pglite" ? 2 : 8 });
  } finally {
    await db.$disconnect();
  }
}

/** The work of prepareDevData on an open client. */
export async function addDemoData(db: Db, options: PrepareOptions & { where: string; concurrency: number }): Promise<void> {
  const root = options.root ?? process.cwd();
  const log = options.log ?? ((line: string) => console.log(line));

  if ((await db.user.count()) === 0) {
    const accounts = await createDemoAccounts(db, root, options.where);
    log("");
    log(`Demo accounts to sign in with (new database; also kept in ${CREDENTIALS_FILE}):`);
    for (const line of accounts) log(`  ${line}`);
  } else if (await credentialsFileMatches(db, root)) {
    log(`Demo accounts: see ${CREDENTIALS_FILE}`);
  }

  if ((await db.transaction.count()) > 0) return;
  let keys: DemoKeys;
  try {
    keys = readDemoKeys(root);
  } catch (error) {
    if (!(error instanceof DemoKeysError)) throw error;
    log(`Demo history skipped: ${error.message}`);
    return;
  }
  const count = options.count ?? DEFAULT_COUNT;
  log(`Empty ledger: sending about ${count.toLocaleString("en-US")} transactions of demo history through the webhook handler…`);
  const progress = progressPrinter("  Demo history", log);
  // Forced: deliveries without transactions (refused requests, say) are no reason to keep the ledger empty.
  const summary = await seedDemoLedger(db, { keys, count, force: true, concurrency: options.concurrency, onProgress: progress.update });
  progress.finish();
  for (const line of describeSeedSummary(summary)) log(`  ${line}`);
  if (summary.unexpected.length > 0) {
    const [first] = summary.unexpected;
    log(`  ${summary.unexpected.length} notification(s) got an unexpected answer; the first: ${first?.status} ${first?.body}`);
  }
}
