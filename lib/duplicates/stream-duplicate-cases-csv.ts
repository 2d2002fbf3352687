import type { Db } from "@/lib/db/client";
import { wallClockFormat } from "@/lib/time";
import { csvStream } from "@/lib/csv-stream";
import { csvLine } from "@/lib/transactions/csv-field";
import { amountText } from "@/lib/transactions/currency-digits";
import { findDuplicateCases, MAX_CASES_PER_PAGE, type CaseState, type DuplicateCaseSummary } from "./find-duplicate-cases";
import { personName, resolutionLabel } from "./resolutions";

// The duplicate-payments list as CSV, for the month's reconciliation: what
// was overpaid on which order, and how finance settled it. Read a page of the
// list at a time, by the list's own keyset (findDuplicateCases, newest first),
// through csvStream, so the file holds what the page shows and a long history
// never sits in memory.

/** Times are local in the zone `time_zone` names. One line per overpaid currency (a case without an overpayment has one line). */
export const DUPLICATE_CSV_COLUMNS = [
  "opened_at",
  "time_zone",
  "provider",
  "merchant_order_id",
  "flagged_by",
  "state",
  "payments",
  "overpaid_amount",
  "overpaid_currency",
  "resolution",
  "resolution_note",
  "resolved_at",
  "resolved_by",
] as const;

export type DuplicateCasesFilter = { status: CaseState; provider?: string };

/** Whether `a` comes after `b` in the list's order: opened earlier, or at the same instant with a smaller id. */
function isOlder(a: DuplicateCaseSummary, b: DuplicateCaseSummary): boolean {
  const at = a.openedAt.getTime() - b.openedAt.getTime();
  return at < 0 || (at === 0 && a.id < b.id);
}

function flaggedBy(c: DuplicateCaseSummary): string {
  if (c.declared && c.detected) return "provider and Payhook";
  return c.declared ? "provider" : "Payhook";
}

/** The case's lines: one per overpaid currency, amounts written as the page writes them. */
function duplicateCaseLines(c: DuplicateCaseSummary, time: Intl.DateTimeFormat, timeZone: string): string {
  const overpaid = c.overpaid.length > 0 ? c.overpaid : [null];
  return overpaid
    .map((o) =>
      csvLine([
        time.format(c.openedAt),
        timeZone,
        c.provider,
        c.merchantOrderId,
        flaggedBy(c),
        c.state,
        String(c.paymentCount),
        o ? amountText(o.amount, o.currency) : "",
        o?.currency ?? "",
        resolutionLabel(c.resolution),
        c.resolutionNote,
        c.resolvedAt ? time.format(c.resolvedAt) : "",
        c.resolvedBy ? personName(c.resolvedBy) : "",
      ]),
    )
    .join("");
}

/** Every case the filter selects, newest first, as CSV bytes. `onError` hears of a failure after the header left. */
export function streamDuplicateCasesCsv(
  db: Db,
  filter: DuplicateCasesFilter,
  timeZone: string,
  { onError }: { onError?: (error: unknown) => void } = {},
): ReadableStream<Uint8Array> {
  const time = wallClockFormat(timeZone);
  let cursor: string | null = null;
  let last: DuplicateCaseSummary | undefined;
  return csvStream(
    DUPLICATE_CSV_COLUMNS,
    async () => ({
      async next() {
        const page = await findDuplicateCases(db, { ...filter, cursor, limit: MAX_CASES_PER_PAGE, details: false });
        const first = page.cases[0];
        // Newest first, each page older than the last: a cursor that failed to move on would write the list again, forever.
        if (last && first && !isOlder(first, last)) throw new Error("the duplicate cases' cursor did not move past the previous page");
        last = page.cases.at(-1) ?? last;
        cursor = page.nextCursor;
        return { lines: page.cases.map((c) => duplicateCaseLines(c, time, timeZone)).join(""), done: !cursor };
      },
    }),
    onError,
  );
}
