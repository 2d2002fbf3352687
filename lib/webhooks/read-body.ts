// Reads a request body as exact bytes, stopping at a limit so an oversized or
// endless body costs at most `limit` bytes of memory. `Request.text()` would
// strip a BOM and replace invalid UTF-8, changing the bytes that were signed.
//
// A body that is refused before it was read whole (too large, or a method that
// takes none) is read on and thrown away for a little while before the answer
// goes out: a server that answers and closes while the client is still sending
// resets the connection, and the client sees a broken pipe instead of the 413
// or 405 that says what to fix (what web servers call a lingering close).
// Bounded in bytes and time, so an endless body cannot hold the function.

export type BodyRead = { bytes: Buffer; size: number; truncated: boolean };

/** How much of a refused body is read and discarded before answering. */
export type DrainLimits = { bytes: number; ms: number };
export const DRAIN_LIMITS: DrainLimits = { bytes: 8 * 1024 * 1024, ms: 2_000 };

type Reader = ReadableStreamDefaultReader<Uint8Array>;

/** Reads and discards the rest of `reader` within `limits`; cancels the stream if the body goes on past them. */
async function drain(reader: Reader, limits: DrainLimits): Promise<number> {
  let discarded = 0;
  const deadline = Date.now() + limits.ms;
  let timer: NodeJS.Timeout | undefined;
  try {
    while (discarded <= limits.bytes) {
      const left = deadline - Date.now();
      if (left <= 0) break;
      const next = await Promise.race([
        reader.read(),
        new Promise<"late">((resolve) => {
          timer = setTimeout(() => resolve("late"), left);
        }),
      ]);
      clearTimeout(timer);
      if (next === "late") break;
      if (next.done) return discarded;
      discarded += next.value.byteLength;
    }
  } catch {
    // The client went away: nothing left to drain.
    return discarded;
  }
  await reader.cancel("body refused").catch(() => undefined);
  return discarded;
}

export async function readBodyWithLimit(request: Request, limit: number, drainLimits: DrainLimits = DRAIN_LIMITS): Promise<BodyRead> {
  const declared = Number(request.headers.get("content-length"));
  if (!request.body) return { bytes: Buffer.alloc(0), size: 0, truncated: false };

  const reader = request.body.getReader();
  const chunks: Buffer[] = [];
  let kept = 0;
  let seen = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      seen += value.byteLength;
      const room = limit - kept;
      if (room > 0) {
        const part = Buffer.from(value.buffer, value.byteOffset, Math.min(room, value.byteLength));
        chunks.push(part);
        kept += part.byteLength;
      }
      if (seen > limit) {
        seen += await drain(reader, drainLimits);
        break;
      }
    }
  } finally {
    reader.releaseLock();
  }
  const size = Number.isFinite(declared) && declared > seen ? declared : seen;
  return { bytes: Buffer.concat(chunks, kept), size, truncated: seen > limit };
}

/** For a request refused without reading its body: reads it on and throws it away, within `drainLimits`. */
export async function discardBody(request: Request, drainLimits: DrainLimits = DRAIN_LIMITS): Promise<void> {
  if (!request.body || request.bodyUsed) return;
  const reader = request.body.getReader();
  try {
    await drain(reader, drainLimits);
  } finally {
    reader.releaseLock();
  }
}
