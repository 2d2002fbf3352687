// Reads a request body as exact bytes, stopping at a limit so an oversized or
// endless body costs at most `limit` bytes of memory. `Request.text()` would
// strip a BOM and replace invalid UTF-8, changing the bytes that were signed.

export type BodyRead = { bytes: Buffer; size: number; truncated: boolean };

export async function readBodyWithLimit(request: Request, limit: number): Promise<BodyRead> {
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
        await reader.cancel("body too large").catch(() => undefined);
        break;
      }
    }
  } finally {
    reader.releaseLock();
  }
  const size = Number.isFinite(declared) && declared > seen ? declared : seen;
  return { bytes: Buffer.concat(chunks, kept), size, truncated: seen > limit };
}
