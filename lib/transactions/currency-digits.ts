// How many decimals an amount is written with, on the page and in the export:
// a currency's usual ones, as Intl (CLDR) has them. They follow the ICU the
// runtime ships: IDR, COP, HUF and PKR have none from CLDR 48 (ICU 78, in the
// Node this project pins), two before it. No database here: the export's SQL
// (find-transactions.ts) takes its table of unusual codes from this module.

const minorDigits = new Map<string, number>();

/** What Intl gives a currency code as its usual decimals; a value that is no code at all gets none. */
function intlDigitsOf(currency: string): number {
  try {
    return new Intl.NumberFormat("en-US", { style: "currency", currency }).resolvedOptions().minimumFractionDigits ?? 2;
  } catch {
    return 0;
  }
}

/** The currency's usual decimals, as the page's formatted amounts show them (PHP 2, IDR 0 in CLDR 48). */
function minorDigitsOf(currency: string): number {
  let digits = minorDigits.get(currency);
  if (digits === undefined) {
    digits = intlDigitsOf(currency);
    minorDigits.set(currency, digits);
  }
  return digits;
}

/**
 * Padded, never rounded, so it stays exact, and written with the digits the
 * page shows (formatMoney): the currency's usual decimals ("500.10" PHP,
 * "50000" IDR), and at least two once there is a fraction ("33.50" IDR).
 * `exact` is plain decimal text (no exponent), trailing zeros or not.
 */
export function amountText(exact: string, currency: string): string {
  const [whole = "0", fraction = ""] = exact.split(".");
  const significant = fraction.replace(/0+$/, "");
  const places = Math.max(minorDigitsOf(currency), significant.length > 0 ? 2 : 0, significant.length);
  return places === 0 ? whole : `${whole}.${significant.padEnd(places, "0")}`;
}

/** Currency codes whose usual decimals are not two, and theirs, in step. */
export type UnusualDigits = { codes: string[]; digits: number[] };

let unusualDigits: Promise<UnusualDigits> | undefined;

/**
 * Every three-letter code whose usual decimals in Intl are not two, with its
 * decimals: some fifty, found once per process by asking Intl about all
 * 17,576 codes, as Intl still knows withdrawn ones (ITL, BYR) that its list
 * of supported currencies leaves out. That takes about 0.2 s of CPU, so it
 * gives the event loop back after every 26 codes (a fraction of a
 * millisecond): webhooks arriving meanwhile hardly wait. Concurrent callers
 * share the one promise; should it fail, the next caller starts again.
 */
export function currenciesWithUnusualDigits(): Promise<UnusualDigits> {
  unusualDigits ??= findUnusualDigits().catch((error: unknown) => {
    unusualDigits = undefined;
    throw error;
  });
  return unusualDigits;
}

async function findUnusualDigits(): Promise<UnusualDigits> {
  const found: UnusualDigits = { codes: [], digits: [] };
  const letter = (n: number) => String.fromCharCode(65 + n);
  for (let a = 0; a < 26; a++) {
    for (let b = 0; b < 26; b++) {
      for (let c = 0; c < 26; c++) {
        const code = letter(a) + letter(b) + letter(c);
        const digits = intlDigitsOf(code);
        if (digits !== 2) found.codes.push(code), found.digits.push(digits);
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  return found;
}
