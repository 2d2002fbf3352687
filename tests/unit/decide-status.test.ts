import { describe, expect, it } from "vitest";
import type { TransactionStatus } from "@/lib/providers/types";
import { decideStatus, isFinal, type StatusDecision } from "@/lib/transactions/decide-status";

// What a transaction in `current` does with a notification saying `incoming`:
// a pending one follows anything, a final one ignores a late pending and keeps
// a different final state as a conflict.

const TABLE: [TransactionStatus, TransactionStatus, StatusDecision][] = [
  ["pending", "pending", "apply"],
  ["pending", "succeeded", "apply"],
  ["pending", "failed", "apply"],
  ["pending", "cancelled", "apply"],
  ["succeeded", "pending", "stale"],
  ["succeeded", "succeeded", "same"],
  ["succeeded", "failed", "conflict"],
  ["succeeded", "cancelled", "conflict"],
  ["failed", "pending", "stale"],
  ["failed", "succeeded", "conflict"],
  ["failed", "failed", "same"],
  ["failed", "cancelled", "conflict"],
  ["cancelled", "pending", "stale"],
  ["cancelled", "succeeded", "conflict"],
  ["cancelled", "failed", "conflict"],
  ["cancelled", "cancelled", "same"],
];

describe("decideStatus", () => {
  it.each(TABLE)("a %s transaction receiving %s decides %s", (current, incoming, expected) => {
    expect(decideStatus(current, incoming)).toBe(expected);
  });

  it("covers every pair of statuses", () => {
    expect(new Set(TABLE.map(([current, incoming]) => `${current}>${incoming}`)).size).toBe(16);
  });
});

describe("isFinal", () => {
  it.each([
    ["pending", false],
    ["succeeded", true],
    ["failed", true],
    ["cancelled", true],
  ] as const)("says %s is final: %s", (status, final) => {
    expect(isFinal(status)).toBe(final);
  });
});
