import type { Db } from "@/lib/db/client";
import { wallClockFormat } from "@/lib/time";
import { csvStream } from "@/lib/csv-stream";
import { csvField } from "./csv-field";
import { openTransactionReader, type TransactionExportRow } from "./find-transactions";
import type { TransactionQuery } from "./transaction-filters";

// The filtered list as CSV, every page of it, in constant memory: the stream
// is pull-based, so the next batch is read from the database only when the
// client has taken the previous one (a slow download slows the reads down
// instead of filling the server's memory). How the batches are read, never by
// OFFSET, is openTransactionReader's.

export const CSV_BATCH_SIZE = 1_000;

/** Header names. `first_seen` is local time in the zone the `time_zone` column names, so the file stays self-describing. */
export const CSV_COLUMNS = [
  "first_seen",
  "time_zone",
  "provider",
  "kind",
  "merchant_order_id",
  "provider_transaction_id",
  "status",
  "provider_status",
  "amount",
  "currency",
  "raw_amount",
  "channel",
  "payment_method",
  "reference_number",
  "duplicate",
  "conflicting_status",
] as const;

/** The line of one row: PostgreSQL wrote all of it but the time (see TransactionExportRow). */
function csvRow(row: TransactionExportRow, time: Intl.DateTimeFormat, zoneField: string): string {
  return `${csvField(time.format(row.at))},${zoneField},${row.line}`;
}

export type CsvStreamOptions = {
  batchSize?: number;
  onError?: (error: unknown) => void;
  /** How long a cursor may wait for the client to read on (see openTransactionReader). */
  idleTimeoutMs?: number;
};

/** Every row the query's filters and sort select (its page and page size are ignored), as CSV bytes. */
export function streamTransactionsCsv(db: Db, query: TransactionQuery, timeZone: string, options: CsvStreamOptions = {}): ReadableStream<Uint8Array> {
  const time = wallClockFormat(timeZone);
  const zoneField = csvField(timeZone);
  const batchSize = options.batchSize ?? CSV_BATCH_SIZE;
  return csvStream(
    CSV_COLUMNS,
    async () => {
      const reader = await openTransactionReader(db, query, timeZone, { idleTimeoutMs: options.idleTimeoutMs });
      return {
        async next() {
          const rows = await reader.read(batchSize);
          // A batch shorter than asked is the last.
          return { lines: rows.map((row) => csvRow(row, time, zoneField)).join(""), done: rows.length < batchSize };
        },
        close: (failure) => reader.close(failure),
      };
    },
    options.onError,
  );
}
