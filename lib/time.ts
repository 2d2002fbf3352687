// Provider times come without a zone ("2023-01-01 09:38:06"), in the market's
// local time. They are interpreted in that zone and stored as UTC instants.

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/;

/** Date.toISOString() for the years PostgreSQL and the ledger know: how a page cursor writes a time. */
const WRITTEN_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * The instant a page cursor names, when it is one this server could have
 * written (Date.toISOString(), read back exactly): Date would take 30 February
 * for 1 March, and PostgreSQL refuses year 0, so a forged cursor would fail the
 * page's query instead of being ignored.
 */
export function instantFromCursor(text: string): Date | null {
  if (!WRITTEN_INSTANT.test(text)) return null;
  const instant = new Date(text);
  return !Number.isNaN(instant.getTime()) && instant.toISOString() === text && instant.getUTCFullYear() >= 1 ? instant : null;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * The one wall-clock format for `timeZone`, cached: "2026-11-21 09:38:06".
 * The dashboard shows times in it (formatDateTime) and zoneOffset reads it back.
 */
export function wallClockFormat(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("sv-SE", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Milliseconds since the epoch for a UTC wall-clock time; unlike Date.UTC, years 0–99 stay themselves. */
function utcMillis(y: number, mo: number, d: number, h: number, mi: number, s: number): number {
  const date = new Date(Date.UTC(2000, 0, 1, h, mi, s));
  date.setUTCFullYear(y, mo - 1, d);
  return date.getTime();
}

// What wallClockFormat's format() writes: "2026-11-21 08:13:09". Reading that string
// is a few times cheaper than formatToParts, which builds an object per part.
const FORMATTED = /^(\d+)-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

// The Gregorian calendar repeats every 400 years (146,097 days).
const CYCLE_MS = 146_097 * 86_400_000;
const YEAR_1000 = Date.UTC(1000, 0, 1);

/** Offset of `timeZone` from UTC at `instant`, in milliseconds. */
function zoneOffset(instant: number, timeZone: string): number {
  // The formatter writes years without an era (1 BC comes out as "1"), so an
  // instant before the year 1000 is read 400-year cycles later: every zone
  // still kept its local mean time then, one offset for centuries.
  if (instant < YEAR_1000) return zoneOffset(instant + Math.ceil((YEAR_1000 - instant) / CYCLE_MS) * CYCLE_MS, timeZone);
  const formatter = wallClockFormat(timeZone);
  const match = FORMATTED.exec(formatter.format(instant));
  let asUtc: number;
  if (match) {
    asUtc = utcMillis(Number(match[1]), Number(match[2]), Number(match[3]), Number(match[4]), Number(match[5]), Number(match[6]));
  } else {
    // Any other shape (another numbering system, say): read it part by part.
    const parts = Object.fromEntries(formatter.formatToParts(instant).map((part) => [part.type, part.value]));
    asUtc = utcMillis(Number(parts.year), Number(parts.month), Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  }
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * Converts a wall-clock time in `timeZone` to the UTC instant it names.
 * Returns null when the text is not "YYYY-MM-DD HH:mm:ss" or not a real date.
 */
export function zonedLocalTimeToUtc(text: string, timeZone: string): Date | null {
  const match = LOCAL_DATE_TIME.exec(text);
  if (!match) return null;
  const [, y, mo, d, h, mi, s] = match.map(Number) as [number, number, number, number, number, number, number];
  const wallClock = utcMillis(y, mo, d, h, mi, s);
  const check = new Date(wallClock);
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return null;
  // Two passes settle the offset even across a zone's offset change.
  let utc = wallClock - zoneOffset(wallClock, timeZone);
  utc = wallClock - zoneOffset(utc, timeZone);
  return new Date(utc);
}
