// Display formatting shared by pages, tables and exports. Amounts are decimal
// strings end to end; Intl formats a string exactly, without a float.

import { wallClockFormat } from "@/lib/time";

const moneyFormats = new Map<string, Intl.NumberFormat>();

function moneyFormat(currency: string, minimumFractionDigits: number | undefined): Intl.NumberFormat {
  const key = `${currency}:${minimumFractionDigits ?? ""}`;
  let format = moneyFormats.get(key);
  if (!format) {
    try {
      format = new Intl.NumberFormat("en-US", { style: "currency", currency, currencyDisplay: "code", minimumFractionDigits, maximumFractionDigits: 8 });
    } catch {
      format = new Intl.NumberFormat("en-US", { minimumFractionDigits, maximumFractionDigits: 8 });
    }
    moneyFormats.set(key, format);
  }
  return format;
}

/**
 * Formats an exact decimal string for a currency. Whole amounts use the
 * currency's usual digits (IDR 50,000); an amount with a fraction shows at
 * least two decimals (IDR 33.50), so no cents are ever hidden.
 */
export function formatMoney(amount: string, currency: string): string {
  const hasFraction = /\.\d*[1-9]/.test(amount);
  const base = moneyFormat(currency, undefined);
  const minimum = hasFraction ? Math.max(2, base.resolvedOptions().minimumFractionDigits ?? 0) : undefined;
  // A string argument is formatted as an exact decimal (Intl.NumberFormat v3).
  return moneyFormat(currency, minimum).format(amount as unknown as number);
}

/** "2026-11-21 09:38:06" in `timeZone`, the form finance copies into spreadsheets. */
export function formatDateTime(value: Date | string | null | undefined, timeZone: string): string {
  if (!value) return "";
  return wallClockFormat(timeZone).format(typeof value === "string" ? new Date(value) : value);
}

export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const PROVIDER_LABELS: Record<string, string> = {
  paycools: "PayCools",
  "paycools-id": "PayCools Indonesia",
  payermax: "PayerMax",
};
