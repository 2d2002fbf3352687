import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DatabaseNotConfiguredError, getDb } from "@/lib/db/client";
import { isDatabaseUnavailable } from "@/lib/db/errors";
import { resetEnvCache } from "@/lib/env";
import { findProvider } from "@/lib/providers/registry";
import { paycoolsParam } from "@/lib/simulator/samples";
import { signFor } from "@/lib/simulator/sign";
import { handleWebhook } from "@/lib/webhooks/handle-webhook";
import { installProviderKeys } from "../helpers/test-keys";

// A Vercel deployment whose DATABASE_URL was forgotten: without the rule, the
// build would migrate a throw-away embedded database and go live, and each
// function instance would acknowledge notifications into a folder on its
// temporary disk. The build's migrations and every request refuse instead.

const keys = installProviderKeys();
const env = process.env as Record<string, string | undefined>;
const saved = { VERCEL: env.VERCEL, DATABASE_URL: env.DATABASE_URL, PGLITE_DIR: env.PGLITE_DIR };
const holder = globalThis as typeof globalThis & { __payhookDb?: Promise<unknown> };

function onVercelWithoutDatabase(): void {
  env.VERCEL = "1";
  delete env.DATABASE_URL;
  // Were the rule missing, the embedded database would open here, not in the project's folder.
  env.PGLITE_DIR = path.join("tests", ".artifacts", "vercel-without-database");
  resetEnvCache();
}

beforeEach(() => {
  expect(holder.__payhookDb).toBeUndefined();
  onVercelWithoutDatabase();
});
afterEach(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  holder.__payhookDb = undefined;
  resetEnvCache();
});

describe("on Vercel without DATABASE_URL", () => {
  it("refuses the embedded database, as an unavailable database", async () => {
    const error = await getDb().then(
      () => null,
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(DatabaseNotConfiguredError);
    expect((error as Error).message).toMatch(/Set DATABASE_URL/);
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it("answers a genuine webhook 503, so the provider retries once the variable is set", async () => {
    const signed = signFor("paycools", paycoolsParam(), keys.paycools.privateKey);
    const request = new Request("http://localhost/api/webhooks/paycools", { method: "POST", headers: signed.headers, body: new Uint8Array(signed.body) });
    const response = await handleWebhook(request, "paycools", { db: getDb, findProvider, now: () => new Date() });
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).not.toBeNull();
  });

  it("fails the build's migrations with what to set", async () => {
    const run = promisify(execFile)(process.execPath, ["--import", "tsx", path.join("scripts", "db-migrate.ts")], {
      // Set but empty, so an .env file in the checkout cannot supply one.
      env: { ...process.env, DATABASE_URL: "" },
      timeout: 60_000,
    });
    const failure = await run.then(
      () => null,
      (error: { code?: number; stderr?: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain("DATABASE_URL is not set");
  });
});
