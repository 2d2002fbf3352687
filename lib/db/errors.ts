// Telling "the database is away" (answer 503, the provider retries) from a bug
// (answer 500) and from a lost race on a unique key (retry the transaction).

const UNAVAILABLE_PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024", "P2028"]);
const UNAVAILABLE_SYSTEM_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
]);
// Postgres SQLSTATEs: connection exceptions, shutdown, too many connections, cannot connect now.
const UNAVAILABLE_SQLSTATES = /^(08\d{3}|57P0[1-3]|53300|53000)$/;
const UNAVAILABLE_MESSAGES =
  /(can't reach database|connection terminated|connection refused|timeout exceeded when trying to connect|server closed the connection|the database system is (starting up|shutting down)|terminating connection|Connection ended unexpectedly|client has encountered a connection error|Unable to start a transaction in the given time|Transaction already closed|Transaction API error|Query read timeout)/i;

function* causes(error: unknown): Generator<Record<string, unknown>> {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current && typeof current === "object"; depth++) {
    const record = current as Record<string, unknown>;
    yield record;
    current = record.cause ?? (record.meta as Record<string, unknown> | undefined)?.driverAdapterError;
  }
}

export function isDatabaseUnavailable(error: unknown): boolean {
  for (const record of causes(error)) {
    const code = typeof record.code === "string" ? record.code : undefined;
    const kind = typeof record.kind === "string" ? record.kind : undefined;
    const originalCode = typeof record.originalCode === "string" ? record.originalCode : undefined;
    if (code && (UNAVAILABLE_PRISMA_CODES.has(code) || UNAVAILABLE_SYSTEM_CODES.has(code) || UNAVAILABLE_SQLSTATES.test(code))) return true;
    if (originalCode && (UNAVAILABLE_SYSTEM_CODES.has(originalCode) || UNAVAILABLE_SQLSTATES.test(originalCode))) return true;
    if (kind && /^(DatabaseNotReachable|SocketTimeout|ConnectionClosed|TooManyConnections|DatabaseDoesNotExist|AuthenticationFailed)$/.test(kind)) return true;
    if (record.name === "PrismaClientInitializationError" || record.name === "DatabaseNotConfiguredError") return true;
    if (typeof record.message === "string" && UNAVAILABLE_MESSAGES.test(record.message)) return true;
  }
  return false;
}

export function isUniqueViolation(error: unknown): boolean {
  for (const record of causes(error)) {
    if (record.code === "P2002" || record.code === "23505") return true;
    if (record.kind === "UniqueConstraintViolation") return true;
  }
  return false;
}

/**
 * Whether a statement lost to another on the same rows: it gave up waiting for
 * a lock (lock_timeout, 55P03), or, under a stricter isolation level set for
 * the database or role, failed to serialize (40001) or deadlocked (40P01).
 */
export function isRowContention(error: unknown): boolean {
  for (const record of causes(error)) {
    for (const code of [record.code, record.originalCode]) if (code === "55P03" || code === "40001" || code === "40P01") return true;
    if (record.kind === "TransactionWriteConflict") return true;
    if (typeof record.message === "string" && /canceling statement due to lock timeout/i.test(record.message)) return true;
  }
  return false;
}
