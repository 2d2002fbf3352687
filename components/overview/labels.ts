export const KIND_LABELS: Record<string, string> = { payment: "Payments", payout: "Payouts", refund: "Refunds" };

/** "1 payment", "3 payments": counts of transactions of one kind. */
export function countOf(count: number, kind: string): string {
  const noun = kind === "payout" ? "payout" : kind === "refund" ? "refund" : "payment";
  return `${count.toLocaleString("en-US")} ${noun}${count === 1 ? "" : "s"}`;
}
