import { createHash } from "node:crypto";
import type pg from "pg";
import { Prisma } from "@/lib/generated/prisma/client";
import { postgresPoolOf, type Db, type PostgresPool } from "./client";

// One database transaction for hand-written SQL, on either backend: on
// PostgreSQL straight on the pg pool (BEGIN … COMMIT on one pooled
// connection), on PGlite through Prisma's interactive transaction. The SQL is
// built with Prisma.sql either way, so both run the same statements with the
// same parameters.

/** Runs statements inside the surrounding transaction. */
export type SqlRunner = {
  /** A statement whose rows are read. */
  query<Row = unknown>(statement: Prisma.Sql): Promise<Row[]>;
  /** A statement whose rows are not read (Prisma cannot read some, e.g. pg_advisory_xact_lock's void). */
  execute(statement: Prisma.Sql): Promise<void>;
};

export type TransactionOptions = {
  /** Longest wait for a connection (on PostgreSQL the pool's connectionTimeoutMillis applies). */
  maxWaitMs: number;
  /** Prisma's interactive-transaction timeout (PGlite). */
  timeoutMs: number;
  /**
   * Taken before the work runs: the transaction-scoped advisory lock on this key
   * (pg_advisory_xact_lock(hashtextextended(key, 0))), held until COMMIT or ROLLBACK.
   * On PostgreSQL it is sent with BEGIN, in one round trip. It is a statement of
   * its own either way: under READ COMMITTED every later statement takes a fresh
   * snapshot, so the work's reads see what the lock's previous holder committed.
   */
  advisoryLock?: string;
};

const lockStatement = (key: string) => Prisma.sql`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`;

export async function inTransaction<T>(db: Db, work: (run: SqlRunner) => Promise<T>, options: TransactionOptions): Promise<T> {
  const postgres = postgresPoolOf(db);
  if (postgres) return inPoolTransaction(postgres, work, options.advisoryLock);
  const runner = (tx: Prisma.TransactionClient): SqlRunner => ({
    query: <Row>(statement: Prisma.Sql) => tx.$queryRaw<Row[]>(statement),
    // $queryRaw cannot read some results (pg_advisory_xact_lock's void); $executeRaw reads none.
    execute: async (statement) => void (await tx.$executeRaw(statement)),
  });
  return db.$transaction(
    async (tx) => {
      const run = runner(tx);
      if (options.advisoryLock !== undefined) await run.execute(lockStatement(options.advisoryLock));
      return work(run);
    },
    { maxWait: options.maxWaitMs, timeout: options.timeoutMs },
  );
}

// Prepared statements: a statement's text is parsed and planned by PostgreSQL
// once per connection and then only bound and run, which takes about a third off
// the database's CPU per notification (bench/RESULTS.md). A statement's name is
// a digest of its text, not a counter: the pool is shared by every copy of this
// module Next evaluates, and pg refuses one name for two texts. The ingest builds
// a handful of texts (values are always parameters), but should one ever be
// built from data, the cache stops naming new texts rather than grow.
const MAX_NAMED_STATEMENTS = 200;
const statementNames = new Map<string, string>();

function namedStatement(text: string): string | undefined {
  let name = statementNames.get(text);
  if (name === undefined && statementNames.size < MAX_NAMED_STATEMENTS) {
    name = `payhook_${createHash("sha256").update(text).digest("base64url").slice(0, 32)}`;
    statementNames.set(text, name);
  }
  return name;
}

async function inPoolTransaction<T>(
  { pool, preparedStatements }: PostgresPool,
  work: (run: SqlRunner) => Promise<T>,
  advisoryLock: string | undefined,
): Promise<T> {
  const client = await pool.connect();
  // A connection that failed mid-transaction is closed rather than handed to the next caller.
  let broken: Error | undefined;
  // The pool listens for errors only on idle connections; one on a checked-out connection with no
  // listener (the server going away between two statements) would be thrown out of the process.
  const onError = (error: Error) => {
    broken = error;
  };
  client.on("error", onError);
  const send = (statement: Prisma.Sql) =>
    client.query({ name: preparedStatements ? namedStatement(statement.text) : undefined, text: statement.text, values: statement.values });
  const run: SqlRunner = {
    query: <Row>(statement: Prisma.Sql) => send(statement).then((result) => result.rows as Row[]),
    execute: (statement) => send(statement).then(() => undefined),
  };
  try {
    if (advisoryLock === undefined) {
      await client.query("BEGIN");
    } else if (advisoryLock.includes("\u0000")) {
      // A NUL cannot be written into SQL text; as a parameter it fails like any other bad value.
      await client.query("BEGIN");
      await run.execute(lockStatement(advisoryLock));
    } else {
      // Two statements in one simple-protocol message: one round trip instead of two.
      await client.query(`BEGIN; SELECT pg_advisory_xact_lock(hashtextextended(${client.escapeLiteral(advisoryLock)}, 0))`);
    }
    const result = await work(run);
    // Resolves only once PostgreSQL has flushed the commit (synchronous_commit): the work is durable.
    await client.query("COMMIT");
    return result;
  } catch (error) {
    try {
      await client.query("ROLLBACK");
    } catch (rollbackFailed) {
      broken = rollbackFailed instanceof Error ? rollbackFailed : new Error(String(rollbackFailed));
    }
    throw error;
  } finally {
    client.removeListener("error", onError);
    client.release(broken);
  }
}
