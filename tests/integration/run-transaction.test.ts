import { describe, expect, it } from "vitest";
import { createPostgresClient, type Db } from "@/lib/db/client";
import { IDLE_IN_TRANSACTION_MS, runTransaction } from "@/lib/db/run-transaction";
import { backends, useTestDatabase } from "../helpers/test-database";

// Payhook's admin transactions ask PostgreSQL to end them if they sit idle (the
// partition test shows the server doing so). The setting is the transaction's
// own: the connection goes back to the pool without it, after a commit or a
// rollback. The embedded database is left as it is.

const idleTimeout = async (db: Pick<Db, "$queryRawUnsafe">) =>
  (await db.$queryRawUnsafe<{ idle_in_transaction_session_timeout: string }[]>("SHOW idle_in_transaction_session_timeout"))[0]!
    .idle_in_transaction_session_timeout;

describe.each(backends)("runTransaction on %s", (backend) => {
  const database = useTestDatabase(backend);

  it(
    backend === "postgres"
      ? "sets idle_in_transaction_session_timeout for the transaction only, after a commit and after a rollback"
      : "leaves idle_in_transaction_session_timeout alone on the embedded database",
    async () => {
      // One connection, so the check after each transaction reads the connection that ran it.
      const db = backend === "postgres" ? createPostgresClient(database.url!, 1) : database.db;
      try {
        const before = await idleTimeout(db);
        expect(await runTransaction(db, (tx) => idleTimeout(tx))).toBe(backend === "postgres" ? `${IDLE_IN_TRANSACTION_MS / 1000}s` : before);
        expect(await idleTimeout(db)).toBe(before);
        await expect(
          runTransaction(db, async (tx) => {
            await idleTimeout(tx);
            throw new Error("changed my mind");
          }),
        ).rejects.toThrow("changed my mind");
        expect(await idleTimeout(db)).toBe(before);
      } finally {
        if (db !== database.db) await db.$disconnect();
      }
    },
  );

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

  it("refuses a timeout that is not a whole number of milliseconds PostgreSQL takes", () => {
    for (const idleMs of [0, 1.5, -1, 2 ** 31]) {
      expect(() => runTransaction(database.db, async () => 1, { idleMs }), String(idleMs)).toThrow(/whole number of milliseconds/);
    }
  });
});
