import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable, isRowContention } from "@/lib/db/errors";

// How Prisma 7 reports a failed raw query through a driver adapter: a known
// request error (P2010) whose meta holds the adapter's error, whose cause holds
// what PostgreSQL said.
function rawQueryFailed(cause: Record<string, unknown>): Error {
  const adapterError = Object.assign(new Error("DriverAdapterError"), { name: "DriverAdapterError", cause });
  return Object.assign(new Error(`Raw query failed. Code: \`${String(cause.originalCode ?? cause.code)}\``), {
    name: "PrismaClientKnownRequestError",
    code: "P2010",
    meta: { driverAdapterError: adapterError },
  });
}

describe("isRowContention", () => {
  it("knows a lock timeout, a serialization failure and a deadlock, however Prisma carries them", () => {
    expect(isRowContention(rawQueryFailed({ kind: "postgres", code: "55P03", originalCode: "55P03", message: "canceling statement due to lock timeout" }))).toBe(true);
    expect(isRowContention(rawQueryFailed({ kind: "TransactionWriteConflict", originalCode: "40001" }))).toBe(true);
    expect(isRowContention(rawQueryFailed({ kind: "postgres", originalCode: "40P01", message: "deadlock detected" }))).toBe(true);
    expect(isRowContention(Object.assign(new Error("canceling statement due to lock timeout"), { code: "55P03" }))).toBe(true);
  });

  it("is not a unique violation, an outage or any other failure", () => {
    expect(isRowContention(rawQueryFailed({ kind: "UniqueConstraintViolation", originalCode: "23505" }))).toBe(false);
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    expect(isRowContention(refused)).toBe(false);
    expect(isDatabaseUnavailable(refused)).toBe(true);
    expect(isRowContention(new Error("syntax error at or near \"SELEC\""))).toBe(false);
    expect(isRowContention(undefined)).toBe(false);
  });
});
