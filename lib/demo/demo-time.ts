import type { SeededRandom } from "./random";

// When things happen in the demo history: over the last DAYS days, more in the
// recent weeks than at the start (the merchant is growing), more at weekends,
// and mostly in the payers' waking hours, in their own time zone.

export const DAYS = 90;
export const SECOND = 1_000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

// Relative volume per local hour (0–23): quiet nights, a lunch bump, a busy evening.
const HOUR_WEIGHTS = [3, 2, 1, 1, 1, 2, 4, 6, 8, 9, 10, 12, 13, 11, 10, 10, 11, 12, 14, 16, 17, 15, 10, 6];
const HOURS = HOUR_WEIGHTS.map((weight, hour) => [hour, weight] as const);
// Growth: today is about twice as busy as the first day of the window.
const AGES = Array.from({ length: DAYS }, (_, age) => [age, 2 - age / (DAYS - 1)] as const);
const WEEKDAY_SHARE = 0.85;

/**
 * An instant in the history window, in the local business rhythm of a market
 * `utcOffset` hours from UTC, and at least `keepClear` before `now`.
 */
export function sampleInstant(random: SeededRandom, now: Date, utcOffset: number, keepClear = 5 * MINUTE): Date {
  const offset = utcOffset * HOUR;
  const localToday = Math.floor((now.getTime() + offset) / DAY) * DAY;
  const earliest = now.getTime() - DAYS * DAY;
  const latest = now.getTime() - keepClear;
  for (let attempt = 0; ; attempt++) {
    const dayStart = localToday - random.weighted(AGES) * DAY;
    const weekday = new Date(dayStart).getUTCDay();
    if (weekday !== 0 && weekday !== 6 && !random.chance(WEEKDAY_SHARE)) continue;
    const local = dayStart + random.weighted(HOURS) * HOUR + random.int(0, HOUR / SECOND - 1) * SECOND + random.int(0, 999);
    const instant = local - offset;
    // Today's later hours and the window's first hours fall outside: draw again.
    if ((instant >= earliest && instant <= latest) || attempt > 50) {
      return new Date(Math.min(latest, Math.max(earliest, instant)));
    }
  }
}

/** "YYYY-MM-DD HH:mm:ss" wall-clock time `utcOffset` hours from UTC, as PayCools writes its times. */
export function localTime(instant: Date, utcOffset: number): string {
  return new Date(Math.floor(instant.getTime() / SECOND) * SECOND + utcOffset * HOUR)
    .toISOString()
    .slice(0, 19)
    .replace("T", " ");
}

/** `instant` moved by `ms`. */
export function after(instant: Date, ms: number): Date {
  return new Date(instant.getTime() + ms);
}

/** "YYYYMMDD" of an instant in a market's local time, as merchants date their order numbers. */
export function localDateStamp(instant: Date, utcOffset: number): string {
  return localTime(instant, utcOffset).slice(0, 10).replaceAll("-", "");
}
