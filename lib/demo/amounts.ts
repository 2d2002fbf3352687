import type { AmountRange } from "./catalogue";
import type { SeededRandom } from "./random";

// Amounts as integers in minor units (hundredths), so nothing passes through a
// float on its way into a notification.

/** An amount in hundredths, most of them small, a few near the top of the range. */
export function sampleMinor(random: SeededRandom, range: AmountRange): number {
  const min = Math.round(range.min * 100);
  const max = Math.round(range.max * 100);
  const step = Math.max(1, Math.round(range.step * 100));
  const steps = Math.floor((max - min) / step);
  return min + Math.floor(steps * random.next() ** 2.2) * step;
}

/** Hundredths as a decimal string: (150050, 2) → "1500.50", (150000, 0) → "1500". */
export function minorToText(minor: number, decimals: 0 | 2): string {
  const whole = Math.floor(minor / 100);
  if (decimals === 0) return String(whole);
  return `${whole}.${String(minor % 100).padStart(2, "0")}`;
}

/** A part of `minor` for a partial refund, in whole steps of `step` hundredths. */
export function partOf(random: SeededRandom, minor: number, step = 100): number {
  const parts = Math.max(1, Math.floor((minor * random.int(20, 80)) / 100 / step));
  return Math.min(minor, parts * step);
}

/** `minor` converted at a decimal `rate` ("3.75"), rounded half up to whole hundredths (or whole units). */
export function convertMinor(minor: number, rate: string, decimals: 0 | 2): number {
  const [whole = "0", fraction = ""] = rate.split(".");
  const scale = 10n ** BigInt(fraction.length);
  const converted = (BigInt(minor) * BigInt(whole + fraction) * 2n + scale) / (2n * scale);
  if (decimals === 2) return Number(converted);
  return Number(((converted + 50n) / 100n) * 100n);
}
