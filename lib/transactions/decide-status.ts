import type { TransactionStatus } from "@/lib/providers/types";

// Notifications arrive at least once and in any order. A final state is never
// turned back by a late pending one, and a second, different final state is
// kept visible as a conflict instead of silently replacing the first.

export type StatusDecision = "apply" | "same" | "stale" | "conflict";

export function isFinal(status: TransactionStatus): boolean {
  return status !== "pending";
}

export function decideStatus(current: TransactionStatus, incoming: TransactionStatus): StatusDecision {
  if (!isFinal(current)) return "apply";
  if (!isFinal(incoming)) return "stale";
  return current === incoming ? "same" : "conflict";
}
