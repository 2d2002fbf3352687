import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { findUserChanges } from "@/lib/users/find-user-changes";
import { verifyPassword } from "@/lib/users/password";
import { useTestDatabase } from "../helpers/test-database";

// `npm run user:create`, run as a process against a PostgreSQL database: what it
// does to an account is in the account's history, as a script's change.

const run = promisify(execFile);

describe.skipIf(!process.env.TEST_DATABASE_URL)("npm run user:create", () => {
  const database = useTestDatabase("postgres");
  const userCreate = (...args: string[]) =>
    run(process.execPath, ["--import", "tsx", path.join("scripts", "user-create.ts"), ...args], {
      env: { ...process.env, DATABASE_URL: database.url },
      timeout: 60_000,
    });

  it("adds an account and resets it, each change recorded as a script's", async () => {
    const added = await userCreate("--email", "Ops.Lead@Example.com", "--role", "viewer", "--password", "first cli password");
    expect(added.stdout).toContain("Created viewer ops.lead@example.com.");
    const reset = await userCreate("--email", "ops.lead@example.com", "--role", "admin", "--password", "second cli password", "--reset-password");
    expect(reset.stdout).toContain("Reset the password of ops.lead@example.com; role admin.");

    const user = await database.db.user.findUniqueOrThrow({ where: { email: "ops.lead@example.com" } });
    expect(user.role).toBe("admin");
    expect(await verifyPassword("second cli password", user.passwordHash)).toBe(true);
    const history = (await findUserChanges(database.db)).reverse().map((item) => [item.email, item.change, item.role, item.actorEmail]);
    expect(history).toEqual([
      ["ops.lead@example.com", "added", "viewer", null],
      ["ops.lead@example.com", "password_set", null, null],
      ["ops.lead@example.com", "role_changed", "admin", null],
    ]);
  });

  it("will not demote the only active admin", async () => {
    // The first test left ops.lead@example.com the only admin of this database.
    expect(await database.db.user.count({ where: { role: "admin", disabledAt: null } })).toBe(1);
    const refused = await userCreate("--email", "ops.lead@example.com", "--role", "finance", "--password", "third cli password", "--reset-password").catch(
      (error: { stderr: string; code: number }) => error,
    );
    expect(refused).toMatchObject({ code: 1, stderr: expect.stringContaining("ops.lead@example.com is the only active admin") });
    const user = await database.db.user.findUniqueOrThrow({ where: { email: "ops.lead@example.com" } });
    expect(user.role).toBe("admin");
    expect(await verifyPassword("second cli password", user.passwordHash)).toBe(true);
  });

  it("takes the finance role, and refuses one it does not know, naming the three", async () => {
    const added = await userCreate("--email", "accounts@example.com", "--role", "finance", "--password", "finance cli password");
    expect(added.stdout).toContain("Created finance accounts@example.com.");
    expect((await database.db.user.findUniqueOrThrow({ where: { email: "accounts@example.com" } })).role).toBe("finance");
    const refused = await userCreate("--email", "boss@example.com", "--role", "owner", "--password", "owner cli password").catch((error: { stderr: string; code: number }) => error);
    expect(refused).toMatchObject({ code: 1, stderr: expect.stringContaining('--role must be admin, finance or viewer, not "owner"') });
  });
});
