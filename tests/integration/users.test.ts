import { createPublicKey } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  beginSignInAttempt,
  clearFailedSignIns,
  endSuccessfulSignIn,
  recordFailedSignIn,
  signInWaitMinutes,
  throttleSubjects,
} from "@/lib/auth/throttle-sign-in";
import { getAuthOptions } from "@/lib/auth/options";
import type { Db } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { resetEnvCache } from "@/lib/env";
import { createUser } from "@/lib/users/create-user";
import { verifyPassword } from "@/lib/users/password";
import { DEV_PROVIDERS, ensureDevEnv, PUBLIC_KEY_VARIABLES, readDevPrivateKey } from "@/scripts/lib/dev-env";
import { addDemoData, CREDENTIALS_FILE } from "@/scripts/lib/prepare-dev-data";
import { backends, useTestDatabase } from "../helpers/test-database";

const MAX_FAILURES = 3;
const WINDOW_MINUTES = 15;
const MINUTE = 60_000;
const SET_HERE = ["SIGN_IN_MAX_FAILURES", "SIGN_IN_WINDOW_MINUTES", ...Object.values(PUBLIC_KEY_VARIABLES)];

const devRoot = mkdtempSync(path.join(tmpdir(), "payhook-dev-data-"));
const saved = SET_HERE.map((name) => [name, process.env[name]] as const);

beforeAll(() => {
  // A fresh clone's dev keys, their public halves configured for the app (the demo history is signed with them).
  ensureDevEnv({ root: devRoot });
  for (const provider of DEV_PROVIDERS) {
    const publicKey = createPublicKey(readDevPrivateKey(provider, devRoot));
    process.env[PUBLIC_KEY_VARIABLES[provider]] = publicKey.export({ format: "der", type: "spki" }).toString("base64");
  }
  process.env.SIGN_IN_MAX_FAILURES = String(MAX_FAILURES);
  process.env.SIGN_IN_WINDOW_MINUTES = String(WINDOW_MINUTES);
  resetEnvCache();
});
afterAll(() => {
  rmSync(devRoot, { recursive: true, force: true });
  for (const [name, value] of saved) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  resetEnvCache();
});

describe.each(backends)("users and sign-in throttling on %s", (backend) => {
  const database = useTestDatabase(backend);

  it("stores a bcrypt hash, never the password, under the normalised email", async () => {
    const created = await createUser(database.db, { email: "  Finance.Lead@Example.COM ", password: "correct horse 1", role: "admin", name: "Finance lead" });
    expect(created).toMatchObject({ email: "finance.lead@example.com", role: "admin" });

    const stored = await database.db.user.findUniqueOrThrow({ where: { email: "finance.lead@example.com" } });
    expect(stored.passwordHash).toMatch(/^\$2[aby]\$12\$[./A-Za-z0-9]{53}$/);
    expect(stored.passwordHash).not.toContain("correct horse 1");
    expect(stored.name).toBe("Finance lead");
    expect(await verifyPassword("correct horse 1", stored.passwordHash)).toBe(true);
    expect(await verifyPassword("correct horse 2", stored.passwordHash)).toBe(false);
  });

  it("refuses a second user with the same email, whatever its case", async () => {
    await createUser(database.db, { email: "ops@example.com", password: "first password", role: "viewer" });
    const again = createUser(database.db, { email: "OPS@example.com", password: "second password", role: "admin" });
    await expect(again).rejects.toSatisfy(isUniqueViolation);
    expect(await database.db.user.count({ where: { email: "ops@example.com" } })).toBe(1);
  });

  it("refuses a short password and something that is not an email, storing nothing", async () => {
    await expect(createUser(database.db, { email: "short@example.com", password: "123456789", role: "viewer" })).rejects.toThrow(/at least 10 characters/);
    await expect(createUser(database.db, { email: "not-an-email", password: "long enough pass", role: "viewer" })).rejects.toThrow(/not an email address/);
    expect(await database.db.user.count({ where: { email: { in: ["short@example.com", "not-an-email"] } } })).toBe(0);
  });

  it("makes an account wait, in minutes, after too many failures, and counts from the first failure", async () => {
    const subjects = throttleSubjects("Locked@Example.com", null);
    expect(subjects).toEqual(["email:locked@example.com"]);
    for (let i = 0; i < MAX_FAILURES - 1; i++) await recordFailedSignIn(database.db, subjects);
    expect(await signInWaitMinutes(database.db, subjects)).toBe(0);

    await recordFailedSignIn(database.db, subjects);
    const wait = await signInWaitMinutes(database.db, subjects);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(WINDOW_MINUTES);

    // Five minutes on, the wait is what is left of the window, in whole minutes.
    expect(await signInWaitMinutes(database.db, subjects, new Date(Date.now() + 5 * MINUTE))).toBe(WINDOW_MINUTES - 5);
    // Once the window has passed, the failures no longer count.
    expect(await signInWaitMinutes(database.db, subjects, new Date(Date.now() + (WINDOW_MINUTES + 1) * MINUTE))).toBe(0);
  });

  it("counts tries sent at once before any password is checked, so only the limit's worth get one", async () => {
    const subjects = throttleSubjects("burst@example.com", "198.51.100.99");
    const tries = await Promise.all(Array.from({ length: MAX_FAILURES + 6 }, () => beginSignInAttempt(database.db, subjects)));
    expect(tries.filter((attempt) => attempt.wait === 0)).toHaveLength(MAX_FAILURES);
    expect(tries.filter((attempt) => attempt.wait > 0)).toHaveLength(6);
    expect(await database.db.signInAttempt.count({ where: { subject: { in: subjects } } })).toBe(MAX_FAILURES * 2);
  });

  it("lets only the limit's worth of wrong passwords sent at once through sign-in itself", async () => {
    await createUser(database.db, { email: "burst.signin@example.com", password: "the right password", role: "viewer" });
    // The sign-in provider reads the app's database client: this test's database stands in for it.
    const holder = globalThis as typeof globalThis & { __payhookDb?: Promise<Db> };
    const previous = holder.__payhookDb;
    holder.__payhookDb = Promise.resolve(database.db);
    try {
      const credentials = getAuthOptions().providers[0] as unknown as {
        options: { authorize(credentials: Record<string, string>, request: { headers: Record<string, string> }): Promise<unknown> };
      };
      const signIn = (password: string) =>
        credentials.options.authorize({ email: "burst.signin@example.com", password }, { headers: { "x-forwarded-for": "198.51.100.97" } });
      // Each password check takes a while (bcrypt): before, every one of these was checked, as none had failed yet.
      const outcomes = await Promise.allSettled(Array.from({ length: MAX_FAILURES + 4 }, () => signIn("a wrong password")));
      const messages = outcomes.map((outcome) => (outcome.status === "rejected" ? (outcome.reason as Error).message : "signed in"));
      expect(messages.filter((message) => message === "Wrong email or password.")).toHaveLength(MAX_FAILURES);
      expect(messages.filter((message) => message.startsWith("Too many failed sign-ins."))).toHaveLength(4);
      await expect(signIn("the right password")).rejects.toThrow(/^Too many failed sign-ins\./);
    } finally {
      holder.__payhookDb = previous;
    }
  });

  it("takes a successful try's count back, and clears the account's failures but not its address's", async () => {
    const subjects = throttleSubjects("Right@Example.com", "198.51.100.98");
    for (let i = 0; i < MAX_FAILURES - 2; i++) await recordFailedSignIn(database.db, subjects);
    const attempt = await beginSignInAttempt(database.db, subjects);
    expect(attempt).toMatchObject({ wait: 0, attemptIds: [expect.any(String), expect.any(String)] });
    await endSuccessfulSignIn(database.db, "right@example.com", attempt);
    expect(await database.db.signInAttempt.count({ where: { subject: subjects[0] } })).toBe(0);
    expect(await database.db.signInAttempt.count({ where: { subject: subjects[1] } })).toBe(MAX_FAILURES - 2);
  });

  it("makes an address wait after failures spread over several accounts", async () => {
    const address = "198.51.100.77";
    for (let i = 0; i < MAX_FAILURES; i++) await recordFailedSignIn(database.db, throttleSubjects(`guess${i}@example.com`, address));

    // A fresh account from the same address waits; the same fresh account from elsewhere does not.
    expect(await signInWaitMinutes(database.db, throttleSubjects("fresh@example.com", address))).toBeGreaterThan(0);
    expect(await signInWaitMinutes(database.db, throttleSubjects("fresh@example.com", "203.0.113.9"))).toBe(0);
  });

  it("clears an account's failures on success, but not its address's", async () => {
    const address = "198.51.100.88";
    const subjects = throttleSubjects("returning@example.com", address);
    for (let i = 0; i < MAX_FAILURES; i++) await recordFailedSignIn(database.db, subjects);
    expect(await signInWaitMinutes(database.db, subjects)).toBeGreaterThan(0);

    await clearFailedSignIns(database.db, "Returning@Example.com");
    expect(await signInWaitMinutes(database.db, throttleSubjects("returning@example.com", null))).toBe(0);
    expect(await signInWaitMinutes(database.db, throttleSubjects("someone.else@example.com", address))).toBeGreaterThan(0);
  });
  it("gives an empty database demo accounts (and history) once, then only says where their credentials are", async () => {
    // An empty database: the accounts' history goes first, as it keeps them from being deleted.
    await database.db.userChange.deleteMany();
    await database.db.user.deleteMany();
    const log: string[] = [];
    const options = { root: devRoot, count: 10, where: "test database", concurrency: 2, log: (line: string) => log.push(line) };
    await addDemoData(database.db, options);

    const file = path.join(devRoot, CREDENTIALS_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const accounts = readFileSync(file, "utf8").split("\n").filter((line) => line && !line.startsWith("#")).map((line) => line.split(/\s+/));
    expect(accounts.map(([role, email]) => `${role} ${email}`)).toEqual(["admin admin@payhook.local", "finance finance@payhook.local", "viewer viewer@payhook.local"]);
    for (const [role, email, password] of accounts) {
      const user = await database.db.user.findUniqueOrThrow({ where: { email } });
      expect(user.role).toBe(role);
      expect(await verifyPassword(password!, user.passwordHash)).toBe(true);
      expect(log.join("\n")).toContain(password);
    }
    expect(await database.db.transaction.count()).toBeGreaterThanOrEqual(10);

    log.length = 0;
    await addDemoData(database.db, options);
    expect(log).toEqual([`Demo accounts: see ${CREDENTIALS_FILE}`]);
    expect(await database.db.user.count()).toBe(3);
  });
});
