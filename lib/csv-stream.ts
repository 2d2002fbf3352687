import { csvLine } from "@/lib/transactions/csv-field";

// The frame of every CSV export: the header, then the rows a chunk at a time,
// each chunk read only when the client has taken the one before (one chunk of
// buffer), so a slow download slows the reads down instead of filling the
// server's memory, and a download the client cancels stops the reads.

/** Where an export's lines come from, opened once the header has been taken (a stream nobody reads opens nothing). */
export type CsvSource = {
  /** The next chunk of CSV lines; `done` when it is the last. */
  next(): Promise<{ lines: string; done: boolean }>;
  /** Ends the reading, with the failure that stopped it if one did. Called once, however the stream ends. */
  close?(failure?: unknown): Promise<void>;
};

/**
 * A CSV file's bytes: `columns` as its header, then what `open`'s source reads.
 * A failure after the header has gone fails the stream, so the download fails
 * visibly instead of ending short, and is told to `onError` (the 200 has been
 * sent: a log line is all the server can add). A cancelled download is no
 * failure: there is no one to tell.
 */
export function csvStream(columns: readonly string[], open: () => Promise<CsvSource>, onError?: (error: unknown) => void): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let started = false;
  let source: CsvSource | null = null;
  let closing: Promise<void> | undefined;
  let cancelled = false;
  const finish = (failure?: unknown) => (closing ??= source?.close?.(failure) ?? Promise.resolve());

  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          if (!started) {
            started = true;
            controller.enqueue(encoder.encode(csvLine(columns)));
            return;
          }
          if (!source) {
            source = await open();
            // Cancelled while it opened: nothing had been opened for the cancel to close.
            if (cancelled) return void (await source.close?.());
          }
          const { lines, done } = await source.next();
          if (cancelled) return;
          if (lines) controller.enqueue(encoder.encode(lines));
          if (done) {
            await finish();
            if (!cancelled) controller.close();
          }
        } catch (error) {
          await finish(error);
          if (cancelled) return;
          onError?.(error);
          controller.error(error);
        }
      },
      async cancel() {
        cancelled = true;
        await finish();
      },
    },
    { highWaterMark: 1 },
  );
}
