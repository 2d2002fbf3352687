import { beforeEach, describe, expect, it } from "vitest";
import { recordFailedSignIn, signInWaitMinutes, throttleSubjects } from "@/lib/auth/throttle-sign-in";
import { createUser } from "@/lib/users/create-user";
import { findUserChanges } from "@/lib/users/find-user-changes";
import { findAdminEmails, findUsers } from "@/lib/users/find-users";
import { addUser, changeUserRole, setUserDisabled, setUserPassword, type UserActor } from "@/lib/users/manage-users";
import { verifyPassword } from "@/lib/users/password";
import type { Role } from "@/lib/users/user-rules";
import { backends, useTestDatabase } from "../helpers/test-database";

// The users page's changes, through the functions its Server Actions call.

describe.each(backends)("managing users on %s", (backend) => {
  const database = useTestDatabase(backend);
  let admin: UserActor & { email: string };
  let run = 0;
  /** A fresh address per test: the database is shared by the file's tests. */
  const email = (who: string) => `${who}.${backend}.${run}@example.com`;
  const make = async (who: string, role: Role) => {
    const created = await createUser(database.db, { email: email(who), password: "first password 1", role });
    return { id: created.id, role, email: created.email };
  };
  const user = (id: string) => database.db.user.findUniqueOrThrow({ where: { id } });

  beforeEach(async () => {
    run++;
    // Each test starts with one active admin of its own and no other active admin.
    await database.db.user.updateMany({ where: { role: "admin" }, data: { disabledAt: new Date() } });
    admin = await make("admin", "admin");
  });

  it("adds a user with a normalised email and a bcrypt hash, and says so", async () => {
    const result = await addUser(database.db, admin, { email: `  New.${email("person")} `, name: " Nadia ", role: "viewer", password: "a good first password" });
    expect(result).toMatchObject({ ok: true, message: expect.stringMatching(/^Added new\..* as a viewer\./) });
    const stored = await database.db.user.findUniqueOrThrow({ where: { email: `new.${email("person")}` } });
    expect(stored).toMatchObject({ role: "viewer", name: "Nadia", disabledAt: null });
    expect(await verifyPassword("a good first password", stored.passwordHash)).toBe(true);
  });

  it("refuses a taken email, a bad email, a short or over-long password and an unknown role, storing nothing", async () => {
    const taken = await make("taken", "viewer");
    const before = await database.db.user.count();
    expect(await addUser(database.db, admin, { email: taken.email.toUpperCase(), role: "viewer", password: "long enough pass" })).toEqual({
      ok: false,
      message: `${taken.email} has an account already: find it in the list below.`,
    });
    expect(await addUser(database.db, admin, { email: "not an email", role: "viewer", password: "long enough pass" })).toMatchObject({ ok: false, message: expect.stringMatching(/Enter an email address/) });
    expect(await addUser(database.db, admin, { email: email("short"), role: "viewer", password: "123456789" })).toMatchObject({ ok: false, message: "The password must be at least 10 characters." });
    expect(await addUser(database.db, admin, { email: email("long"), role: "viewer", password: "é".repeat(37) })).toMatchObject({ ok: false, message: expect.stringMatching(/at most 72 bytes/) });
    expect(await addUser(database.db, admin, { email: email("owner"), role: "owner", password: "long enough pass" })).toMatchObject({ ok: false, message: "Choose a role: viewer, finance, admin." });
    expect(await database.db.user.count()).toBe(before);
  });

  it.each(["viewer", "finance"] as const)("refuses every change to a %s, whatever it asks", async (role) => {
    const viewer = await make(role, role);
    const target = await make("target", "viewer");
    const refused = { ok: false, message: "Only an admin can manage users." };
    expect(await addUser(database.db, viewer, { email: email("sneaky"), role: "admin", password: "long enough pass" })).toEqual(refused);
    expect(await changeUserRole(database.db, viewer, { userId: viewer.id, role: "admin" })).toEqual(refused);
    expect(await setUserDisabled(database.db, viewer, { userId: admin.id, disabled: "true" })).toEqual(refused);
    expect(await setUserPassword(database.db, viewer, { userId: target.id, password: "taken over password" })).toEqual(refused);
    expect(await user(viewer.id)).toMatchObject({ role });
    expect(await user(admin.id)).toMatchObject({ disabledAt: null });
    expect(await database.db.user.count({ where: { email: email("sneaky") } })).toBe(0);
  });

  it("changes a role both ways, but never the admin's own nor the last active admin's", async () => {
    const colleague = await make("colleague", "viewer");
    expect(await changeUserRole(database.db, admin, { userId: colleague.id, role: "finance" })).toEqual({ ok: true, message: `${colleague.email} is now a finance user.` });
    expect(await user(colleague.id)).toMatchObject({ role: "finance" });
    expect(await changeUserRole(database.db, admin, { userId: colleague.id, role: "admin" })).toEqual({ ok: true, message: `${colleague.email} is now an admin.` });
    expect(await user(colleague.id)).toMatchObject({ role: "admin" });
    expect(await changeUserRole(database.db, admin, { userId: colleague.id, role: "viewer" })).toMatchObject({ ok: true });
    expect(await user(colleague.id)).toMatchObject({ role: "viewer" });

    expect(await changeUserRole(database.db, admin, { userId: admin.id, role: "viewer" })).toEqual({ ok: false, message: "You cannot change your own role: ask another admin." });
    // Another admin may demote this one only while someone else stays admin.
    const other = { ...(await make("other", "admin")) };
    expect(await changeUserRole(database.db, other, { userId: admin.id, role: "viewer" })).toMatchObject({ ok: true });
    expect(await changeUserRole(database.db, admin, { userId: other.id, role: "viewer" })).toMatchObject({ ok: false });
    expect(await findAdminEmails(database.db)).toEqual([other.email]);
    await database.db.user.update({ where: { id: admin.id }, data: { role: "admin" } });
    expect(await changeUserRole(database.db, { id: colleague.id, role: "admin" }, { userId: other.id, role: "viewer" })).toMatchObject({ ok: true });
    expect(await changeUserRole(database.db, { id: colleague.id, role: "admin" }, { userId: admin.id, role: "viewer" })).toEqual({
      ok: false,
      message: `${admin.email} is the only active admin: make someone else an admin first.`,
    });
    expect(await user(admin.id)).toMatchObject({ role: "admin" });
  });

  it("disables an account (ending its sessions) and enables it again, never the admin's own nor the last admin", async () => {
    const viewer = await make("leaver", "viewer");
    const before = Date.now();
    expect(await setUserDisabled(database.db, admin, { userId: viewer.id, disabled: "true" })).toEqual({ ok: true, message: `Disabled ${viewer.email}: signed out everywhere, and cannot sign in.` });
    const disabled = await user(viewer.id);
    expect(disabled.disabledAt!.getTime()).toBeGreaterThanOrEqual(before - 5);
    expect(disabled.sessionsValidFrom).toEqual(disabled.disabledAt);
    expect(await setUserDisabled(database.db, admin, { userId: viewer.id, disabled: "false" })).toEqual({ ok: true, message: `Enabled ${viewer.email}: they can sign in again.` });
    // Enabled again, but the sessions from before stay over.
    expect(await user(viewer.id)).toMatchObject({ disabledAt: null, sessionsValidFrom: disabled.sessionsValidFrom });

    expect(await setUserDisabled(database.db, admin, { userId: admin.id, disabled: "true" })).toEqual({ ok: false, message: "You cannot disable your own account: ask another admin." });
    const other = await make("other", "admin");
    expect(await setUserDisabled(database.db, other, { userId: admin.id, disabled: "true" })).toMatchObject({ ok: true });
    expect(await setUserDisabled(database.db, admin, { userId: other.id, disabled: "true" })).toMatchObject({ ok: false });
    const colleague = { id: viewer.id, role: "admin" as const };
    expect(await setUserDisabled(database.db, colleague, { userId: other.id, disabled: "true" })).toEqual({
      ok: false,
      message: `${other.email} is the only active admin: make someone else an admin first.`,
    });
    expect(await setUserDisabled(database.db, admin, { userId: viewer.id, disabled: "maybe" })).toMatchObject({ ok: false, message: expect.stringMatching(/disable or enable/) });
    expect(await setUserDisabled(database.db, admin, { userId: "not-a-uuid", disabled: "true" })).toMatchObject({ ok: false, message: expect.stringMatching(/user id is not valid/) });
    expect(await setUserDisabled(database.db, admin, { userId: "0196d1c8-0000-7000-8000-000000000000", disabled: "true" })).toMatchObject({ ok: false, message: expect.stringMatching(/no such user/) });
  });

  it("sets a new password: the old one stops working, sessions end and the sign-in wait is lifted", async () => {
    const viewer = await make("forgetful", "viewer");
    const subjects = throttleSubjects(viewer.email, null);
    for (let i = 0; i < 20; i++) await recordFailedSignIn(database.db, subjects);
    expect(await signInWaitMinutes(database.db, subjects)).toBeGreaterThan(0);

    expect(await setUserPassword(database.db, admin, { userId: viewer.id, password: "short" })).toMatchObject({ ok: false, message: expect.stringMatching(/at least 10/) });
    const before = Date.now();
    expect(await setUserPassword(database.db, admin, { userId: viewer.id, password: "brand new password" })).toMatchObject({ ok: true, message: expect.stringMatching(/signed them out everywhere/) });
    const stored = await user(viewer.id);
    expect(await verifyPassword("brand new password", stored.passwordHash)).toBe(true);
    expect(await verifyPassword("first password 1", stored.passwordHash)).toBe(false);
    expect(stored.sessionsValidFrom!.getTime()).toBeGreaterThanOrEqual(before - 5);
    expect(await signInWaitMinutes(database.db, subjects)).toBe(0);
    expect(await setUserPassword(database.db, admin, { userId: admin.id, password: "my own new password" })).toMatchObject({ ok: false, message: expect.stringMatching(/own password/) });
  });

  it("keeps each change with who made it, in the change's own transaction; a refused change leaves no entry", async () => {
    const viewer = await make("bystander", "viewer");
    const newcomer = email("newcomer");
    const mine = async () =>
      (await findUserChanges(database.db, 1000))
        .filter((item) => item.email === newcomer || item.email === viewer.email)
        .reverse()
        .map((item) => `${item.email === newcomer ? "newcomer" : "bystander"} ${item.change}${item.role ? ` ${item.role}` : ""} by ${item.actorEmail === admin.email ? "admin" : (item.actorEmail ?? "a script")}`);

    expect((await addUser(database.db, admin, { email: newcomer, role: "viewer", password: "a good first password" })).ok).toBe(true);
    const id = (await database.db.user.findUniqueOrThrow({ where: { email: newcomer } })).id;
    expect((await changeUserRole(database.db, admin, { userId: id, role: "admin" })).ok).toBe(true);
    expect((await setUserDisabled(database.db, admin, { userId: id, disabled: "true" })).ok).toBe(true);
    expect((await setUserDisabled(database.db, admin, { userId: id, disabled: "false" })).ok).toBe(true);
    expect((await setUserPassword(database.db, admin, { userId: id, password: "a second good password" })).ok).toBe(true);
    // Refused, or no change at all: nothing recorded.
    expect((await changeUserRole(database.db, viewer, { userId: id, role: "viewer" })).ok).toBe(false);
    expect((await setUserPassword(database.db, viewer, { userId: id, password: "taken over password" })).ok).toBe(false);
    expect((await changeUserRole(database.db, admin, { userId: id, role: "admin" })).message).toMatch(/already/);
    expect((await addUser(database.db, admin, { email: newcomer, role: "viewer", password: "a good first password" })).ok).toBe(false);

    expect(await mine()).toEqual([
      "bystander added viewer by a script",
      "newcomer added viewer by admin",
      "newcomer role_changed admin by admin",
      "newcomer disabled by admin",
      "newcomer enabled by admin",
      "newcomer password_set by admin",
    ]);
    const [latest] = await findUserChanges(database.db, 1);
    expect(latest).toMatchObject({ email: newcomer, change: "password_set", actorEmail: admin.email });
    expect(Date.now() - latest!.at.getTime()).toBeLessThan(60_000);
  });

  it("undoes the change when its history entry cannot be written", async () => {
    const colleague = await make("atomic", "viewer");
    // The real database refuses the entry (a trigger of this test's own): the change itself must not stay.
    await database.db.$executeRawUnsafe(`CREATE FUNCTION refuse_user_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'history refused'; END $$`);
    await database.db.$executeRawUnsafe("CREATE TRIGGER refuse_user_change BEFORE INSERT ON user_changes FOR EACH ROW EXECUTE FUNCTION refuse_user_change()");
    try {
      await expect(changeUserRole(database.db, admin, { userId: colleague.id, role: "finance" })).rejects.toThrow(/history refused/);
      await expect(setUserDisabled(database.db, admin, { userId: colleague.id, disabled: "true" })).rejects.toThrow(/history refused/);
      await expect(addUser(database.db, admin, { email: email("unrecorded"), role: "viewer", password: "a good first password" })).rejects.toThrow(/history refused/);
    } finally {
      await database.db.$executeRawUnsafe("DROP TRIGGER refuse_user_change ON user_changes");
      await database.db.$executeRawUnsafe("DROP FUNCTION refuse_user_change()");
    }
    expect(await user(colleague.id)).toMatchObject({ role: "viewer", disabledAt: null });
    expect(await database.db.user.count({ where: { email: email("unrecorded") } })).toBe(0);
  });

  it("lists every account, admins first, then finance, then viewers, with their decisions on record", async () => {
    const viewer = await make("listed", "viewer");
    const accounts = await make("accounts", "finance");
    const users = await findUsers(database.db);
    const mine = users.filter((u) => u.email.endsWith(`.${backend}.${run}@example.com`));
    expect(mine.map((u) => [u.email, u.role])).toEqual([
      [admin.email, "admin"],
      [accounts.email, "finance"],
      [viewer.email, "viewer"],
    ]);
    expect(mine[0]).toMatchObject({ caseActions: 0, disabledAt: null });
    expect(users.findIndex((u) => u.role === "viewer")).toBeGreaterThan(users.findLastIndex((u) => u.role === "admin"));
  });

  it.runIf(backend === "postgres")("keeps one admin when two admins remove each other at the same moment", async () => {
    const other = await make("rival", "admin");
    const results = await Promise.all([
      setUserDisabled(database.db, admin, { userId: other.id, disabled: "true" }),
      changeUserRole(database.db, other, { userId: admin.id, role: "viewer" }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(await findAdminEmails(database.db)).toHaveLength(1);
  });
});
