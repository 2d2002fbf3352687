import { describe, expect, it } from "vitest";
import { findSessionAccount } from "@/lib/auth/find-session-account";
import { revokeSession } from "@/lib/auth/revoked-sessions";
import { createUser } from "@/lib/users/create-user";
import { backends, useTestDatabase } from "../helpers/test-database";

// The one read behind every signed-in request (lib/auth/session.ts): the
// account a session token names, and whether that session was signed out.

describe.each(backends)("the session's account on %s", (backend) => {
  const database = useTestDatabase(backend);
  const inAnHour = () => new Date(Date.now() + 60 * 60 * 1000);

  it("reads the account a session names, with its role and no sign-out", async () => {
    const created = await createUser(database.db, { email: "reader@example.com", password: "reader password 1", role: "viewer", name: "Reader" });
    expect(await findSessionAccount(database.db, created.id, "session-a")).toEqual({
      id: created.id,
      email: "reader@example.com",
      name: "Reader",
      role: "viewer",
      disabledAt: null,
      sessionsValidFrom: null,
      revoked: false,
    });
  });

  it("says which session was signed out, and only that one", async () => {
    const created = await createUser(database.db, { email: "leaver@example.com", password: "leaver password 1", role: "admin" });
    await revokeSession(database.db, "session-signed-out", inAnHour());
    expect(await findSessionAccount(database.db, created.id, "session-signed-out")).toMatchObject({ id: created.id, role: "admin", revoked: true });
    expect(await findSessionAccount(database.db, created.id, "session-still-open")).toMatchObject({ id: created.id, revoked: false });
  });

  it("gives a disabled account's times as dates, which the session check compares", async () => {
    const created = await createUser(database.db, { email: "gone@example.com", password: "gone password 1", role: "viewer" });
    const at = new Date("2026-11-21T08:00:00.123Z");
    await database.db.user.update({ where: { id: created.id }, data: { disabledAt: at, sessionsValidFrom: at } });
    const account = await findSessionAccount(database.db, created.id, "session-b");
    expect(account?.disabledAt).toBeInstanceOf(Date);
    expect(account?.disabledAt?.getTime()).toBe(at.getTime());
    expect(account?.sessionsValidFrom?.getTime()).toBe(at.getTime());
  });

  it("finds nobody for an id with no account, or one that is not a uuid, without an error", async () => {
    expect(await findSessionAccount(database.db, "0190f5c2-0000-7000-8000-000000000000", "session-c")).toBeNull();
    expect(await findSessionAccount(database.db, "not-a-uuid", "session-c")).toBeNull();
  });
});
