import type { Db } from "@/lib/db/client";
import { wallClockFormat } from "@/lib/time";
import { csvField, csvLine } from "./csv-field";
import { openTransactionReader, type TransactionExportRow, type TransactionRowReader } from "./find-transactions";
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
  const encoder = new TextEncoder();
  const time = wallClockFormat(timeZone);
  const zoneField = csvField(timeZone);
  const batchSize = options.batchSize ?? CSV_BATCH_SIZE;
  let started = false;
  let reader: TransactionRowReader | null = null;
  let done = false;
  let cancelled = false;

  const finish = async (failure?: unknown) => {
    done = true;
    await reader?.close(failure);
  };

  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          if (!started) {
            started = true;
            controller.enqueue(encoder.encode(csvLine(CSV_COLUMNS)));
            return;
          }
          // Opened once the header has been taken (a stream nobody reads opens nothing).
          if (!reader) {
            reader = await openTransactionReader(db, query, timeZone, { idleTimeoutMs: options.idleTimeoutMs });
            if (done) return void (await reader.close());
          }
          const rows = await reader.read(batchSize);
          if (done) return;
          if (rows.length > 0) controller.enqueue(encoder.encode(rows.map((row) => csvRow(row, time, zoneField)).join("")));
          if (rows.length < batchSize) {
            await finish();
            if (!cancelled) controller.close();
          }
        } catch (error) {
          await finish(error);
          // A download the client gave up on has no one to tell.
          if (cancelled) return;
          // The 200 and the header are already sent: failing the stream makes the download fail visibly instead of ending short.
          options.onError?.(error);
          controller.error(error);
        }
      },
      async cancel() {
        cancelled = true;
        await finish();
      },
    },
    // One chunk of buffer: the next batch is read only when the client has taken the last one.
    { highWaterMark: 1 },
  );
}
