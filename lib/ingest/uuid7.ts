import { randomFillSync } from "node:crypto";

// UUID version 7 (RFC 9562), the ids Prisma's uuid(7) gives the other rows, for
// the rows the ingest writes with its own SQL. Monotonic within a process: in
// the same millisecond the 12-bit counter after the timestamp goes up, so
// deliveries stamped in one millisecond still sort in the order they were made.

let lastMs = 0;
let counter = 0;
const random = Buffer.alloc(8 * 1024);
let offset = random.length;

function randomBytes(count: number): Buffer {
  if (offset + count > random.length) {
    randomFillSync(random);
    offset = 0;
  }
  offset += count;
  return random.subarray(offset - count, offset);
}

export function uuid7(now = Date.now()): string {
  if (now > lastMs) {
    lastMs = now;
    counter = randomBytes(2).readUInt16BE(0) & 0x7ff;
  } else if (++counter > 0xfff) {
    // 4096 ids in one millisecond: borrow the next millisecond rather than break the order.
    lastMs++;
    counter = 0;
  }
  const bytes = Buffer.alloc(16);
  bytes.writeUIntBE(lastMs, 0, 6);
  bytes.writeUInt16BE(0x7000 | counter, 6);
  randomBytes(8).copy(bytes, 8);
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
