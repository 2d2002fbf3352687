import type { Role } from "@/lib/users/user-rules";
import type { AppServer } from "./app-server";
import type { RunDatabase } from "./database";
import type { RunKeys } from "./keys";
import type { TcpProxy } from "./tcp-proxy";

// What every phase of the full suite is given, and what it hands back.

export type RunUser = { email: string; password: string; role: Role };

export type RunContext = {
  root: string;
  buildDir: string;
  server: AppServer;
  proxy: TcpProxy;
  database: RunDatabase;
  keys: RunKeys;
  secret: string;
  /** The server's CRON_SECRET, the bearer token of its scheduled jobs. */
  cronSecret: string;
  users: { admin: RunUser; finance: RunUser; viewer: RunUser; throttled: RunUser };
  maxBodyBytes: number;
  seed: number;
  /** Scales the load phases: 1 is the default run. */
  scale: number;
  artifactsDir: string;
  log(message: string): void;
};

/** One row of the final table: what a phase sent and what became of it. */
export type LoadFigures = {
  phase: string;
  /** Requests or inputs sent, retries included. */
  requests: number;
  /** Distinct notifications (or inputs) behind those requests. */
  notifications: number;
  acknowledged: number;
  stored: number;
  lost: number;
  duplicatesCreated: number;
  serverErrors: number;
  violations: number;
};

export type PhaseResult = {
  name: string;
  seconds: number;
  figures: LoadFigures[];
  /** Extra lines for the report (routes per role, leak sources, timings). */
  notes: string[];
  /** Each broken rule, in words; the run fails when any phase has one. */
  failures: string[];
};

export function emptyFigures(phase: string): LoadFigures {
  return { phase, requests: 0, notifications: 0, acknowledged: 0, stored: 0, lost: 0, duplicatesCreated: 0, serverErrors: 0, violations: 0 };
}
