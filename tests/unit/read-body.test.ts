import { describe, expect, it } from "vitest";
import { discardBody, readBodyWithLimit } from "@/lib/webhooks/read-body";

const URL_ = "https://payhook.test/api/webhooks/payermax";

function post(body: BodyInit, headers: Record<string, string> = {}): Request {
  return new Request(URL_, { method: "POST", body, headers, duplex: "half" } as RequestInit);
}

/** A body that hands out `chunkSize` bytes per pull, up to `total`, and counts what was pulled. */
function countingBody(chunkSize: number, total = Number.POSITIVE_INFINITY) {
  const state = { pulled: 0, pulls: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (state.pulled >= total) {
          controller.close();
          return;
        }
        const size = Math.min(chunkSize, total - state.pulled);
        state.pulled += size;
        state.pulls += 1;
        controller.enqueue(new Uint8Array(size).fill(0x7b));
      },
      cancel() {
        state.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, state };
}

/** A body delivered in the given chunks, as a network would split it. */
function chunkedBody(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  let index = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[index++];
      if (chunk) controller.enqueue(chunk);
      else controller.close();
    },
  });
}

const BOM = [0xef, 0xbb, 0xbf];

describe("readBodyWithLimit", () => {
  it("returns the exact bytes, keeping a BOM and invalid UTF-8 that text() would change", async () => {
    const bytes = Buffer.from([...BOM, ...Buffer.from('{"a":"'), 0xff, 0xc3, 0x28, ...Buffer.from('"}')]);
    const viaText = Buffer.from(await post(new Uint8Array(bytes)).text(), "utf8");
    expect(viaText.equals(bytes)).toBe(false);

    const read = await readBodyWithLimit(post(new Uint8Array(bytes)), 1024);

    expect(read.bytes.equals(bytes)).toBe(true);
    expect(read).toMatchObject({ size: bytes.length, truncated: false });
  });

  it("joins a body split across chunks, even inside a BOM or a multi-byte character", async () => {
    const euro = Buffer.from("€", "utf8");
    const chunks = [new Uint8Array([BOM[0]!]), new Uint8Array([BOM[1]!, BOM[2]!, 0x22, euro[0]!]), new Uint8Array([euro[1]!, euro[2]!, 0x22])];
    const expected = Buffer.concat(chunks);

    const read = await readBodyWithLimit(post(chunkedBody(chunks)), 1024);

    expect(read.bytes.equals(expected)).toBe(true);
    expect(read.bytes.toString("utf8")).toBe('\uFEFF"€"');
  });

  it("accepts a body of exactly the limit", async () => {
    const read = await readBodyWithLimit(post(new Uint8Array(1000).fill(0x20)), 1000);

    expect(read).toMatchObject({ size: 1000, truncated: false });
    expect(read.bytes).toHaveLength(1000);
  });

  it("marks a body one byte past the limit as truncated and keeps only the limit", async () => {
    const bytes = Buffer.alloc(1001, 0x20);
    bytes[1000] = 0x21;

    const read = await readBodyWithLimit(post(new Uint8Array(bytes)), 1000);

    expect(read.truncated).toBe(true);
    expect(read.bytes.equals(bytes.subarray(0, 1000))).toBe(true);
    expect(read.size).toBe(1001);
  });

  it("keeps only the limit of an endless body, discards a bounded amount more, then cancels it", async () => {
    const limit = 64 * 1024;
    const chunk = 1000;
    const drain = { bytes: 20_000, ms: 5_000 };
    const { stream, state } = countingBody(chunk);

    const read = await readBodyWithLimit(post(stream), limit, drain);

    expect(read.truncated).toBe(true);
    expect(read.bytes).toHaveLength(limit);
    expect(state.pulled).toBeGreaterThan(limit + drain.bytes);
    expect(state.pulled).toBeLessThanOrEqual(limit + drain.bytes + 2 * chunk);
    expect(state.cancelled).toBe(true);
  });

  it("reads the rest of a body a little over the limit, so the sender finishes and reads the 413", async () => {
    const { stream, state } = countingBody(1000, 70_000);

    const read = await readBodyWithLimit(post(stream), 64 * 1024);

    expect(read).toMatchObject({ size: 70_000, truncated: true });
    expect(read.bytes).toHaveLength(64 * 1024);
    expect(state.pulled).toBe(70_000);
    expect(state.cancelled).toBe(false);
  });

  it("stops waiting for a body that stalls past the limit, and cancels it", async () => {
    let cancelled = false;
    let sent = false;
    const stalled = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (!sent) controller.enqueue(new Uint8Array(2000));
        sent = true;
        // Then nothing more, ever: a sender that stopped mid-body.
        return new Promise(() => {});
      },
      cancel() {
        cancelled = true;
      },
    });
    const started = Date.now();

    const read = await readBodyWithLimit(post(stalled), 1000, { bytes: 1_000_000, ms: 100 });

    expect(read.truncated).toBe(true);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(cancelled).toBe(true);
  });

  it("reads a streamed body that fits without cancelling it", async () => {
    const { stream, state } = countingBody(1000, 5500);

    const read = await readBodyWithLimit(post(stream), 10_000);

    expect(read).toMatchObject({ size: 5500, truncated: false });
    expect(read.bytes).toHaveLength(5500);
    expect(state.cancelled).toBe(false);
  });

  it("reports the declared length of a truncated body when it is larger than what was read", async () => {
    const { stream } = countingBody(1000);

    const read = await readBodyWithLimit(post(stream, { "content-length": "5000000" }), 4096, { bytes: 10_000, ms: 1_000 });

    expect(read).toMatchObject({ size: 5_000_000, truncated: true });
    expect(read.bytes).toHaveLength(4096);
  });

  it("reads a request without a body as empty", async () => {
    const read = await readBodyWithLimit(new Request(URL_, { method: "POST" }), 1024);

    expect(read).toEqual({ bytes: Buffer.alloc(0), size: 0, truncated: false });
  });
});

describe("discardBody", () => {
  it("reads a body nobody wants to its end, without cancelling it", async () => {
    const { stream, state } = countingBody(1000, 30_000);

    await discardBody(new Request(URL_, { method: "DELETE", body: stream, duplex: "half" } as RequestInit));

    expect(state.pulled).toBe(30_000);
    expect(state.cancelled).toBe(false);
  });

  it("gives up on an endless body after the byte bound and cancels it", async () => {
    const { stream, state } = countingBody(1000);

    await discardBody(new Request(URL_, { method: "PUT", body: stream, duplex: "half" } as RequestInit), { bytes: 50_000, ms: 5_000 });

    expect(state.pulled).toBeLessThanOrEqual(52_000);
    expect(state.cancelled).toBe(true);
  });

  it("does nothing for a request without a body", async () => {
    await expect(discardBody(new Request(URL_, { method: "GET" }))).resolves.toBeUndefined();
  });
});
