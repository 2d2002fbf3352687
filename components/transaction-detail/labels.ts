// Words the detail and duplicate pages share for stored enum values.

export const KIND_LABELS: Record<string, string> = { payment: "Payment", payout: "Payout", refund: "Refund" };

export const PAYMENT_ROLE_LABELS: Record<string, string> = {
  original: "original",
  declared: "declared duplicate",
  detected: "detected duplicate",
  extra: "extra payment",
  attempt: "not paid",
};
