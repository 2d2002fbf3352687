import { zonedLocalTimeToUtc } from "@/lib/time";

// Calendar days and months as the user sees them, in their chosen zone, turned
// into UTC instants so queries can filter indexed timestamptz columns by range.

/** A calendar date, "YYYY-MM-DD". */
export type LocalDate = string;

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar date `instant` falls on in `timeZone`. */
export function localDateOf(instant: Date, timeZone: string): LocalDate {
  let format = dateFormats.get(timeZone);
  if (!format) {
    // sv-SE writes dates as YYYY-MM-DD.
    format = new Intl.DateTimeFormat("sv-SE", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    dateFormats.set(timeZone, format);
  }
  return format.format(instant);
}

/** Calendar arithmetic on a date alone; no zone is involved. */
export function addDays(date: LocalDate, days: number): LocalDate {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  const shifted = new Date(Date.UTC(2000, 0, 1));
  shifted.setUTCFullYear(year, month - 1, day + days);
  return shifted.toISOString().slice(0, 10);
}

function firstOfNextMonth(date: LocalDate): LocalDate {
  const [year, month] = date.split("-").map(Number) as [number, number];
  return month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, "0")}-01`;
}

/** The instant `date` begins in `timeZone`. */
export function startOfLocalDate(date: LocalDate, timeZone: string): Date {
  const instant = zonedLocalTimeToUtc(`${date} 00:00:00`, timeZone);
  if (!instant) throw new RangeError(`"${date}" is not a calendar date`);
  return instant;
}

export type Period = { label: string; from: Date; to: Date };

/** Today and this month in `timeZone`, as half-open ranges [from, to). */
export function todayAndThisMonth(now: Date, timeZone: string): { today: Period; month: Period } {
  const today = localDateOf(now, timeZone);
  const monthStart = `${today.slice(0, 7)}-01`;
  return {
    today: { label: today, from: startOfLocalDate(today, timeZone), to: startOfLocalDate(addDays(today, 1), timeZone) },
    month: {
      label: today.slice(0, 7),
      from: startOfLocalDate(monthStart, timeZone),
      to: startOfLocalDate(firstOfNextMonth(today), timeZone),
    },
  };
}

/** The last `count` calendar dates up to and including today, oldest first. */
export function lastDays(now: Date, timeZone: string, count: number): LocalDate[] {
  const today = localDateOf(now, timeZone);
  return Array.from({ length: count }, (_, index) => addDays(today, index - count + 1));
}
