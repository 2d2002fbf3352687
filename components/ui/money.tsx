import { formatMoney } from "@/lib/format";

/** An amount right-aligned in tabular figures, with the provider's raw figure on hover when it differs. */
export function Money({ amount, currency, raw }: { amount: string; currency: string; raw?: string | null }) {
  const formatted = formatMoney(amount, currency);
  return (
    <span className="tabular whitespace-nowrap" title={raw && raw !== amount ? `raw amount from the provider: ${raw}` : undefined}>
      {formatted}
    </span>
  );
}
