import { createHash } from "node:crypto";
import { postgresPoolOf, type Db } from "./client";

// One hand-written statement, on either backend: on PostgreSQL straight on the
// pg pool as a prepared statement, on PGlite through Prisma's raw query. Both
// run the same text with the same parameters. A statement sent on its own is
// its own transaction: when its rows arrive, it has committed (and, with
// synchronous_commit, is on disk).

// Prepared statements: a statement's text is parsed and planned by PostgreSQL
// once per connection and then only bound and run. A statement's name is a
// digest of its text, not a counter: the pool is shared by every copy of this
// module Next evaluates, and pg refuses one name for two texts. Callers build
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

/**
 * SQL text with $1…$n placeholders, and their values. Build the text once: it
 * names the prepared statement. `prepare: false` for a text built from a
 * query's shape (which filters, which sort), of which there are many: it is
 * planned afresh for its values each time, and takes no name from the cache.
 */
export type Statement = { text: string; values: unknown[]; prepare?: boolean };

/** Runs one statement and returns its rows. */
export async function queryRows<Row>(db: Db, statement: Statement): Promise<Row[]> {
  const postgres = postgresPoolOf(db);
  if (!postgres) return db.$queryRawUnsafe<Row[]>(statement.text, ...statement.values);
  const { pool, preparedStatements } = postgres;
  const name = preparedStatements && statement.prepare !== false ? namedStatement(statement.text) : undefined;
  const result = await pool.query({ name, text: statement.text, values: statement.values });
  return result.rows as Row[];
}
