// Exact money arithmetic on decimal strings. Amounts never pass through a float:
// they arrive as integers in minor units (PayCools) or decimal strings in major
// units (PayerMax) and are stored as NUMERIC.

const DECIMAL = /^(0|[1-9]\d*)(\.\d+)?$/;

/** True for a non-negative plain decimal ("33.50", "0", "12"), no exponent, no sign. */
export function isDecimalString(value: string): boolean {
  return DECIMAL.test(value);
}

/** The number of digits after the point. */
export function decimalScale(value: string): number {
  const point = value.indexOf(".");
  return point === -1 ? 0 : value.length - point - 1;
}

/** Converts an integer amount in minor units to a major-unit decimal string: (50010, 2) → "500.10". */
export function minorToMajor(minor: bigint, exponent: number): string {
  if (!Number.isInteger(exponent) || exponent < 0 || exponent > 8) {
    throw new RangeError(`currency exponent must be an integer from 0 to 8, got ${exponent}`);
  }
  return scaledToDecimal(minor, exponent);
}

function scaledToDecimal(minor: bigint, exponent: number): string {
  const negative = minor < 0n;
  const digits = (negative ? -minor : minor).toString();
  if (exponent === 0) return (negative ? "-" : "") + digits;
  const padded = digits.padStart(exponent + 1, "0");
  const whole = padded.slice(0, padded.length - exponent);
  const fraction = padded.slice(padded.length - exponent);
  return `${negative ? "-" : ""}${whole}.${fraction}`;
}

/** Sums decimal strings exactly, returning a string with the largest scale among them. */
export function sumDecimals(values: readonly string[]): string {
  const scale = values.reduce((max, value) => Math.max(max, decimalScale(value.replace(/^-/, ""))), 0);
  let total = 0n;
  for (const value of values) {
    if (!isDecimalString(value.replace(/^-/, ""))) throw new RangeError(`"${value}" is not a decimal string`);
    total += toScaledBigInt(value, scale);
  }
  return scaledToDecimal(total, scale);
}

function toScaledBigInt(value: string, scale: number): bigint {
  const negative = value.startsWith("-");
  const unsigned = negative ? value.slice(1) : value;
  const [whole = "0", fraction = ""] = unsigned.split(".");
  const scaled = BigInt(whole + fraction.padEnd(scale, "0"));
  return negative ? -scaled : scaled;
}

/**
 * Parses "IDR:2,PHP:2" into a map of currency → minor-unit exponent. Used for
 * the per-provider override of how many decimals PayCools' integer amounts carry.
 */
export function parseExponentTable(spec: string | undefined, variable: string): Map<string, number> {
  const table = new Map<string, number>();
  if (!spec) return table;
  for (const entry of spec.split(",")) {
    const match = /^\s*([A-Z]{3})\s*[:=]\s*([0-8])\s*$/.exec(entry);
    if (!match) {
      throw new Error(`${variable}: "${entry.trim()}" is not CURRENCY:EXPONENT with an exponent from 0 to 8 (for example IDR:2)`);
    }
    table.set(match[1]!, Number(match[2]));
  }
  return table;
}
