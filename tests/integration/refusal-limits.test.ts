import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/lib/db/client";
import { findUnrecordedRefusals, REFUSAL_COUNT_LOCK_TIMEOUT_MS, refusalSender, type RefusalLimits } from "@/lib/deliveries/refusal-budget";
import { resetEnvCache } from "@/lib/env";
import { findProvider } from "@/lib/providers/registry";
import { paycoolsParam } from "@/lib/simulator/samples";
import { signFor } from "@/lib/simulator/sign";
import { handleWebhook, NOT_RECORDED_HEADER, UNVERIFIED_BODY_BYTES } from "@/lib/webhooks/handle-webhook";
import { backends, useTestDatabase } from "../helpers/test-database";
import { installProviderKeys, makeKeyPair } from "../helpers/test-keys";

// Refusals no signature vouched for are recorded up to a limit per sender and
// minute; past it they are answered as before but not kept. Every request goes
// through the real webhook handler on a real database.

const keys = installProviderKeys();
const stranger = makeKeyPair();
const minute = (n: number, second = 0, ms = 0) => new Date(Date.UTC(2026, 10, 22, 8, n, second, ms));
const LOOSE = 1024 * 1024;

type Sent = { status: number; message: string; code: string; notRecorded: boolean; headers: Headers };

function forged(address: string | null, extra: { body?: Uint8Array<ArrayBuffer>; headers?: Record<string, string> } = {}): Request {
  const signed = signFor("paycools", paycoolsParam(), stranger.privateKey);
  return new Request("http://localhost/api/webhooks/paycools", {
    method: "POST",
    headers: { ...signed.headers, ...(address ? { "x-forwarded-for": `${address}, 10.0.0.1` } : {}), ...extra.headers },
    body: extra.body ?? new Uint8Array(signed.body),
  });
}

function genuine(address: string, payload = paycoolsParam()): Request {
  const signed = signFor("paycools", payload, keys.paycools.privateKey);
  return new Request("http://localhost/api/webhooks/paycools", {
    method: "POST",
    headers: { ...signed.headers, "x-forwarded-for": address },
    body: new Uint8Array(signed.body),
  });
}

describe("who a refusal is counted against", () => {
  it("counts IPv4 as it is, IPv6 by its /64, IPv4 written as IPv6 as IPv4, and no address as one sender", () => {
    expect(refusalSender("203.0.113.7")).toBe("203.0.113.7");
    expect(refusalSender("2001:db8:1:2:3:4:5:6")).toBe("2001:db8:1:2::/64");
    expect(refusalSender("2001:DB8:1:2::ff")).toBe("2001:db8:1:2::/64");
    expect(refusalSender("[2001:db8::1]")).toBe("2001:db8:0:0::/64");
    expect(refusalSender("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
    expect(refusalSender("::ffff:198.51.100.4")).toBe("198.51.100.4");
    expect(refusalSender("::")).toBe("0:0:0:0::/64");
    // A port some platforms add is left out.
    expect(refusalSender("203.0.113.7:5678")).toBe("203.0.113.7");
    expect(refusalSender("[2001:db8:1:2::9]:443")).toBe("2001:db8:1:2::/64");
    expect(refusalSender(null)).toBe("");
    // What is not an address is counted as it was reported.
    expect(refusalSender("' OR 1=1 --")).toBe("' OR 1=1 --");
  });
});

describe.each(backends)("limits on recording refusals (%s)", (backend) => {
  const database = useTestDatabase(backend);
  let db: Db;

  beforeAll(() => {
    db = database.db;
  });

  async function send(request: Request, at: Date, limits: RefusalLimits, reach: () => Promise<Db> = async () => db): Promise<Sent> {
    const response = await handleWebhook(request, "paycools", { db: reach, findProvider, now: () => at, refusalLimits: () => limits });
    const { error } = (await response.json()) as { error?: { code: string; message: string } };
    return { status: response.status, code: error?.code ?? "", message: error?.message ?? "", notRecorded: response.headers.has(NOT_RECORDED_HEADER), headers: response.headers };
  }

  const recordedFrom = (address: string) => db.delivery.count({ where: { sourceIp: address } });

  it("records a sender's first refusals of a minute, answers the rest the same without recording them, and records again the next minute", async () => {
    const limits = { perMinute: 3, bytesPerMinute: LOOSE };
    const address = "203.0.113.10";
    const recorded = [];
    for (let i = 0; i < 3; i++) recorded.push(await send(forged(address), minute(1, i), limits));
    for (const sent of recorded) expect(sent).toMatchObject({ status: 401, code: "signature_invalid", notRecorded: false });
    expect(await recordedFrom(address)).toBe(3);

    // Half a second into the 45th second: recorded again from the next minute.
    const over = await send(forged(address), minute(1, 45, 500), limits);
    expect(over).toMatchObject({ status: 401, code: "signature_invalid", notRecorded: true });
    // The refusal's own reason first, as the recorded ones had it.
    expect(over.message.startsWith(recorded[0]!.message)).toBe(true);
    expect(over.message).toContain(`203.0.113.10 reached the 3 refusals a minute Payhook records from one sender; refusals from it are recorded again from ${minute(2).toISOString()}`);
    expect(await recordedFrom(address)).toBe(3);

    // Another sender has its own count; a genuine notification from the limited one is acknowledged and stored.
    expect(await send(forged("203.0.113.11"), minute(1, 46), limits)).toMatchObject({ status: 401, notRecorded: false });
    expect(await recordedFrom("203.0.113.11")).toBe(1);
    expect((await send(genuine(address), minute(1, 47), limits)).status).toBe(200);
    expect(await db.delivery.count({ where: { sourceIp: address, outcome: "accepted" } })).toBe(1);

    // The next minute counts afresh, from its first millisecond.
    expect(await send(forged(address), minute(2, 0, 0), limits)).toMatchObject({ status: 401, notRecorded: false });
    expect(await db.delivery.count({ where: { sourceIp: address, outcome: "rejected" } })).toBe(4);
  });

  it("stops recording a sender's minute once its refusals reach the bytes limit, counting the body as kept", async () => {
    const limits = { perMinute: 100, bytesPerMinute: 100 * 1024 };
    const address = "203.0.113.20";
    // Bodies over the limit a notification may be: 413, and the first 64 KiB kept. The first two are recorded
    // (the minute at 0 bytes, then at 64 KiB and headers, both under 100 KiB), the third is not.
    const big = () => forged(address, { body: new Uint8Array(2 * 1024 * 1024).fill(0x41) });
    const sent = [];
    for (let i = 0; i < 3; i++) sent.push(await send(big(), minute(5, i), limits));
    expect(sent.map(({ status, notRecorded }) => [status, notRecorded])).toEqual([
      [413, false],
      [413, false],
      [413, true],
    ]);
    expect(sent[2]!.message).toContain("reached the 100 KiB of refusals a minute");
    expect(await recordedFrom(address)).toBe(2);
    const [window] = await db.$queryRaw<{ refused: number; recorded: number; recorded_bytes: number }[]>`
      SELECT refused, recorded, recorded_bytes FROM refusal_windows WHERE source_ip = ${address}`;
    expect(window).toMatchObject({ refused: 3, recorded: 2 });
    // Two bodies as kept (64 KiB each, not the 2 MiB sent) and their headers.
    expect(window!.recorded_bytes).toBeGreaterThan(2 * UNVERIFIED_BODY_BYTES);
    expect(window!.recorded_bytes).toBeLessThan(2 * UNVERIFIED_BODY_BYTES + 4096);
  });

  it("always records a refusal whose signature verified: the provider's own notification", async () => {
    const limits = { perMinute: 1, bytesPerMinute: LOOSE };
    const address = "203.0.113.30";
    expect(await send(forged(address), minute(10), limits)).toMatchObject({ status: 401, notRecorded: false });
    expect(await send(forged(address), minute(10, 1), limits)).toMatchObject({ status: 401, notRecorded: true });
    // Signed by PayCools' key, refused for a status Payhook does not know: the only record of what the provider sent.
    const refused = await send(genuine(address, { ...paycoolsParam(), transactionStatus: "SETTLED" }), minute(10, 2), limits);
    expect(refused).toMatchObject({ status: 422, notRecorded: false });
    const kept = await db.delivery.findMany({ where: { sourceIp: address }, select: { httpStatus: true, signatureValid: true }, orderBy: { receivedAt: "asc" } });
    expect(kept).toEqual([
      { httpStatus: 401, signatureValid: false },
      { httpStatus: 422, signatureValid: true },
    ]);
  });

  it("answers a refusal for want of the provider's key past the limit as before: 503 with Retry-After, so the provider retries on its own schedule", async () => {
    const limits = { perMinute: 1, bytesPerMinute: LOOSE };
    const address = "203.0.113.35";
    const saved = process.env.PAYCOOLS_PUBLIC_KEY;
    process.env.PAYCOOLS_PUBLIC_KEY = "";
    resetEnvCache();
    try {
      const first = await send(genuine(address), minute(12), limits);
      const second = await send(genuine(address), minute(12, 1), limits);
      for (const [sent, notRecorded] of [
        [first, false],
        [second, true],
      ] as const) {
        expect(sent).toMatchObject({ status: 503, code: "provider_not_configured", notRecorded });
        expect(sent.headers.get("retry-after")).toBe("30");
      }
      expect(await db.delivery.count({ where: { sourceIp: address, errorCode: "provider_not_configured" } })).toBe(1);
    } finally {
      process.env.PAYCOOLS_PUBLIC_KEY = saved;
      resetEnvCache();
    }
  });

  it("records exactly the limit when a sender's refusals arrive at once", async () => {
    const limits = { perMinute: 5, bytesPerMinute: LOOSE };
    const address = "203.0.113.40";
    const results = await Promise.all(Array.from({ length: 40 }, () => send(forged(address), minute(20), limits)));
    expect(results.filter((sent) => !sent.notRecorded)).toHaveLength(5);
    expect(results.every((sent) => sent.status === 401)).toBe(true);
    expect(await recordedFrom(address)).toBe(5);
  });

  it("counts and records only so many unverified refusals at once, answering the rest at once, and gives a place back however the work ends", async () => {
    const limits = { perMinute: 100, bytesPerMinute: LOOSE, atOnce: 1 };
    // The first refusal takes the only place and waits for the database until the test lets it go on.
    let goOn!: () => void;
    let entered!: () => void;
    const held = new Promise<void>((resolve) => (goOn = resolve));
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const first = send(forged("203.0.113.47"), minute(22), limits, async () => {
      entered();
      await held;
      return db;
    });
    await inside;
    const started = Date.now();
    const busy = await send(forged("203.0.113.48"), minute(22, 1), limits);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(busy).toMatchObject({ status: 401, code: "signature_invalid", notRecorded: true });
    expect(busy.message).toContain("(not recorded: refusals are arriving faster than Payhook counts them, so this one was neither counted nor kept)");
    // A refusal a signature verified does not need a place: it is recorded meanwhile.
    const verified = await send(genuine("203.0.113.48", { ...paycoolsParam(), transactionStatus: "SETTLED" }), minute(22, 2), limits);
    expect(verified).toMatchObject({ status: 422, notRecorded: false });
    goOn();
    expect(await first).toMatchObject({ status: 401, notRecorded: false });
    expect(await recordedFrom("203.0.113.47")).toBe(1);
    expect(await db.delivery.count({ where: { sourceIp: "203.0.113.48", outcome: "rejected" } })).toBe(1);
    expect(await db.delivery.count({ where: { sourceIp: "203.0.113.48", errorCode: "signature_invalid" } })).toBe(0);

    // A failed attempt gives its place back too, whether reaching the database rejected or threw: the next
    // refusal is recorded.
    const failed = await send(forged("203.0.113.49"), minute(22, 3), limits, () => Promise.reject(new Error("connection refused")));
    expect(failed).toMatchObject({ status: 401, notRecorded: false });
    const threw = await send(forged("203.0.113.49"), minute(22, 4), limits, () => {
      throw new Error("DATABASE_URL must be a postgresql:// URL");
    });
    expect(threw).toMatchObject({ status: 401, notRecorded: false });
    expect(await send(forged("203.0.113.49"), minute(22, 5), limits)).toMatchObject({ status: 401, notRecorded: false });
    expect(await recordedFrom("203.0.113.49")).toBe(1);
  });

  // Holding the row takes a second session: the embedded database has one.
  it.skipIf(backend !== "postgres")("on PostgreSQL, answers a refusal whose sender's count is held too long without counting or keeping it", async () => {
    const limits = { perMinute: 5, bytesPerMinute: LOOSE };
    const address = "203.0.113.45";
    expect(await send(forged(address), minute(21), limits)).toMatchObject({ status: 401, notRecorded: false });
    // Another session holds the sender's minute, as a flood from many instances would keep it busy.
    const holder = new pg.Client({ connectionString: database.url! });
    await holder.connect();
    try {
      await holder.query("BEGIN");
      await holder.query("UPDATE refusal_windows SET refused = refused WHERE source_ip = $1", [address]);
      const started = Date.now();
      const busy = await send(forged(address), minute(21, 30), limits);
      const waited = Date.now() - started;
      expect(busy).toMatchObject({ status: 401, code: "signature_invalid", notRecorded: true });
      expect(busy.message).toContain("(not recorded: refusals are arriving faster than Payhook counts them, so this one was neither counted nor kept)");
      expect(waited).toBeGreaterThanOrEqual(REFUSAL_COUNT_LOCK_TIMEOUT_MS - 50);
      expect(waited).toBeLessThan(REFUSAL_COUNT_LOCK_TIMEOUT_MS + 2_000);
      // Another sender's refusal is counted and kept meanwhile.
      expect(await send(forged("203.0.113.46"), minute(21, 31), limits)).toMatchObject({ status: 401, notRecorded: false });
    } finally {
      await holder.query("ROLLBACK");
      await holder.end();
    }
    expect(await recordedFrom(address)).toBe(1);
    const [window] = await db.$queryRaw<{ refused: number; recorded: number }[]>`
      SELECT refused, recorded FROM refusal_windows WHERE source_ip = ${address} AND starts_at = ${minute(21)}::timestamptz`;
    expect(window).toEqual({ refused: 1, recorded: 1 });
    // Once the row is free, the sender's next refusal is counted and kept.
    expect(await send(forged(address), minute(21, 40), limits)).toMatchObject({ status: 401, notRecorded: false });
    expect(await recordedFrom(address)).toBe(2);
  });

  it("counts the addresses of one IPv6 /64 together, and refusals without an address together", async () => {
    const limits = { perMinute: 2, bytesPerMinute: LOOSE };
    const rotating = ["2001:db8:7:7::1", "2001:db8:7:7::2", "2001:db8:7:7:ffff::3"];
    const fromBlock = [];
    for (const [i, address] of rotating.entries()) fromBlock.push((await send(forged(address), minute(30, i), limits)).notRecorded);
    expect(fromBlock).toEqual([false, false, true]);
    expect(await send(forged("2001:db8:7:8::1"), minute(30, 5), limits)).toMatchObject({ notRecorded: false });

    const anonymous = [];
    for (let i = 0; i < 3; i++) anonymous.push(await send(forged(null), minute(31, i), limits));
    expect(anonymous.map((sent) => sent.notRecorded)).toEqual([false, false, true]);
    expect(anonymous[2]!.message).toContain("senders without a reported address reached the 2 refusals a minute Payhook records from one sender; refusals from them");
    expect(await db.delivery.count({ where: { sourceIp: null, receivedAt: { gte: minute(31), lt: minute(32) } } })).toBe(2);
  });

  it("reports the refusals not recorded by sender, the most first, with how many senders there were", async () => {
    const limits = { perMinute: 1, bytesPerMinute: LOOSE };
    // Minute 40: three senders, over the limit by 3, 1 and 2; minute 41: the second again, by 3 more.
    const plan: [string, number, number][] = [
      ["198.51.100.1", 40, 4],
      ["198.51.100.2", 40, 2],
      ["198.51.100.3", 40, 3],
      ["198.51.100.2", 41, 4],
    ];
    for (const [address, at, count] of plan) {
      for (let i = 0; i < count; i++) await send(forged(address), minute(at, i), limits);
    }
    const report = await findUnrecordedRefusals(db, minute(40), 2);
    expect(report).toEqual({
      total: 9,
      senders: 3,
      top: [
        { sender: "198.51.100.2", unrecorded: 4, lastMinute: minute(41) },
        { sender: "198.51.100.1", unrecorded: 3, lastMinute: minute(40) },
      ],
    });
    // Counted from the minute `since` falls in: from minute 41, only the second sender's three.
    expect(await findUnrecordedRefusals(db, minute(41, 30))).toEqual({ total: 3, senders: 1, top: [{ sender: "198.51.100.2", unrecorded: 3, lastMinute: minute(41) }] });
  });
});
