import { readFileSync } from "node:fs";
import path from "node:path";
import type { ProviderName } from "@/lib/providers/public-key-variables";
import type { Role } from "@/lib/users/user-rules";

// What the suite's server (scripts/e2e-server.ts) tells the tests about the run:
// where the app is, who may sign in, and the providers' private keys. Written to
// the run folder, which only this run uses and which is deleted at its end.

export type E2eRole = Role;
export type E2eProvider = ProviderName;
export type Credentials = { email: string; password: string };

export type RunInfo = {
  baseURL: string;
  database: "postgres" | "pglite";
  /** PostgreSQL only: the run's database, for fixtures that clean up after themselves. */
  databaseUrl: string | null;
  users: Record<E2eRole, Credentials> & {
    /** Only the sign-in throttling test uses it: it ends up locked out. */
    throttled: Credentials;
    /** Only the access matrix uses it: the user whose role, state and password the admin actions change. */
    managed: Credentials & { id: string };
  };
  signIn: { maxFailures: number; windowMinutes: number };
  /** Refusals no signature vouched for that the server records per sender address and minute. */
  refusalsPerMinute: number;
  /** The server's CRON_SECRET, the bearer token of its scheduled jobs. */
  cronSecret: string;
  /** PKCS#8 PEM private keys whose public halves the server verifies with. */
  privateKeys: Record<E2eProvider, string>;
};

export const RUN_DIR_VARIABLE = "PAYHOOK_E2E_RUN_DIR";
export const RUN_INFO_FILE = "run.json";

export function runDir(): string {
  const dir = process.env[RUN_DIR_VARIABLE];
  if (!dir) throw new Error(`${RUN_DIR_VARIABLE} is not set: run the suite with \`npm run test:e2e\``);
  return dir;
}

export function storageStatePath(role: E2eRole): string {
  return path.join(runDir(), `${role}.storage-state.json`);
}

let cached: RunInfo | undefined;

export function readRunInfo(): RunInfo {
  cached ??= JSON.parse(readFileSync(path.join(runDir(), RUN_INFO_FILE), "utf8")) as RunInfo;
  return cached;
}
