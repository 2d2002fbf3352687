import { describe, expect, it } from "vitest";
import { IDLE_IN_TRANSACTION_MS, runTransaction } from "@/lib/db/run-transaction";
import { backends, useTestDatabase } from "../helpers/test-database";

// Payhook's interactive transactions ask the server to end them if they sit
// idle (the partition test shows the server doing so). The setting is the
// transaction's own: the connection goes back to the pool without it.

describe.each(backends)("runTransaction on %s", (backend) => {
  const database = useTestDatabase(backend);
  const idleTimeout = async (db: typeof database.db) =>
    (await db.$queryRawUnsafe<{ idle_in_transaction_session_timeout: string }[]>("SHOW idle_in_transaction_session_timeout"))[0]!
      .idle_in_transaction_session_timeout;

  it("sets idle_in_transaction_session_timeout for the transaction only", async () => {
    const before = await idleTimeout(database.db);
    const inside = await runTransaction(database.db, (tx) => idleTimeout(tx as typeof database.db));
    expect(inside).toBe(`${IDLE_IN_TRANSACTION_MS / 1000}s`);
    expect(await idleTimeout(database.db)).toBe(before);
    expect(before).not.toBe(inside);
  });

  it("returns the work's result and rolls back when the work throws", async () => {
    expect(await runTransaction(database.db, async () => 42)).toBe(42);
    const email = `rolled-back-${backend}@example.com`;
    await expect(
      runTransaction(database.db, async (tx) => {
        await tx.user.create({ data: { email, role: "viewer", passwordHash: "not-a-real-hash" } });
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    expect(await database.db.user.count({ where: { email } })).toBe(0);
  });

  it("refuses a timeout that is not a positive whole number of milliseconds", () => {
    expect(() => runTransaction(database.db, async () => 1, { idleMs: 0 })).toThrow(/positive whole number/);
    expect(() => runTransaction(database.db, async () => 1, { idleMs: 1.5 })).toThrow(/positive whole number/);
  });
});
