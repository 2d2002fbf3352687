import { isIPv4, isIPv6 } from "node:net";
import type { Db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { isRowContention } from "@/lib/db/errors";
import { getEnv } from "@/lib/env";

// A sender without a key can post refusals at will, and each one kept is a row
// of up to 64 KiB of body. So refusals that no signature vouched for (the ones
// the retention job deletes) are counted per sender and minute, in the
// database, so the count holds across every instance: past the limits the
// refusal is still answered as before (its own status, code and headers) but
// not recorded. A refusal a signature verified comes from the provider and is
// always recorded (it may be the only record of a payment). Nothing
// acknowledged is affected.

export type RefusalLimits = {
  /** Refusals recorded per sender and minute. */
  perMinute: number;
  /** Bytes (body and headers) recorded per sender and minute: a refusal is recorded while the minute is under it. */
  bytesPerMinute: number;
  /**
   * Unverified refusals this process counts and records at once, from every
   * sender: past it a refusal is answered at once, not counted or kept, so
   * refusals never hold more of the pool's connections than this. None when
   * left out.
   */
  atOnce?: number;
  /** How long a refusal waits for its sender's count (REFUSAL_COUNT_LOCK_TIMEOUT_MS when left out). */
  countWaitMs?: number;
};

const WINDOW_MS = 60_000;
/** The sender a refusal is counted under when the platform reported no address: no address is empty. */
export const NO_ADDRESS = "";
/** How those senders are named to people. */
export const NO_ADDRESS_LABEL = "senders without a reported address";

export function refusalLimits(): RefusalLimits {
  const env = getEnv();
  return {
    perMinute: env.WEBHOOK_REFUSALS_PER_MINUTE,
    bytesPerMinute: env.WEBHOOK_REFUSAL_BYTES_PER_MINUTE,
    // A quarter of the pool by default: genuine notifications always have the rest.
    atOnce: env.WEBHOOK_REFUSALS_AT_ONCE ?? Math.max(1, Math.floor(env.DATABASE_POOL_SIZE / 4)),
    // Within the client's own query timeout, so a wait ends as "busy", not as a dropped connection.
    countWaitMs: Math.min(REFUSAL_COUNT_LOCK_TIMEOUT_MS, Math.floor(env.DATABASE_QUERY_TIMEOUT_MS / 2)),
  };
}

let inFlight = 0;

/**
 * Takes one of the process's places for counting and recording an unverified
 * refusal, or says there is none (undefined): the caller answers the refusal
 * without touching the database. The returned function gives the place back;
 * call it when the database work ends, not when the answer goes (an answer at
 * the deadline leaves the work running).
 */
export function takeRefusalPlace(limits: RefusalLimits): (() => void) | undefined {
  if (limits.atOnce !== undefined && inFlight >= limits.atOnce) return undefined;
  inFlight++;
  let given = false;
  return () => {
    if (given) return;
    given = true;
    inFlight--;
  };
}

/** The minute `now` falls in, in UTC. */
export function windowStart(now: Date): Date {
  return new Date(Math.floor(now.getTime() / WINDOW_MS) * WINDOW_MS);
}

/** The eight groups of an IPv6 address, or undefined (`::` expanded, a trailing IPv4 part as two groups). */
function ipv6Groups(address: string): number[] | undefined {
  let text = address;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1]!.split(".").map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = "", tail, extra] = text.split("::");
  if (extra !== undefined) return undefined;
  const part = (side: string) => (side === "" ? [] : side.split(":").map((group) => parseInt(group, 16)));
  const front = part(head);
  const back = tail === undefined ? [] : part(tail);
  const missing = 8 - front.length - back.length;
  if (missing < 0 || (tail === undefined && missing !== 0)) return undefined;
  return [...front, ...Array<number>(missing).fill(0), ...back];
}

/**
 * Who a refusal is counted against (a port the platform added left out): an IPv4 address as it is; an IPv6 address
 * by its /64, the block one subscriber or server is given (counting each of
 * its 2^64 addresses apart would let one sender rotate past any limit); an
 * IPv4 address written as IPv6 (::ffff:a.b.c.d) as IPv4; anything else the
 * platform reported, as it is.
 */
export function refusalSender(sourceIp: string | null): string {
  if (!sourceIp) return NO_ADDRESS;
  // Some platforms add the client's port: "[2001:db8::1]:443", "203.0.113.7:5678".
  const address = (/^\[([^\]]+)\](?::\d+)?$/.exec(sourceIp)?.[1] ?? /^(\d+\.\d+\.\d+\.\d+):\d+$/.exec(sourceIp)?.[1] ?? sourceIp).replace(/%.*$/, "");
  if (isIPv4(address)) return address;
  if (!isIPv6(address)) return sourceIp;
  const groups = ipv6Groups(address.toLowerCase());
  if (!groups) return sourceIp;
  if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff) {
    return [groups[6]! >> 8, groups[6]! & 255, groups[7]! >> 8, groups[7]! & 255].join(".");
  }
  return `${groups
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(":")}::/64`;
}

export type RefusalClaim =
  | { record: true }
  | {
      record: false;
      /**
       * Which limit the minute had reached, or "busy": refusals were arriving faster than they are counted (the
       * process was counting as many as it may at once, or the sender's count could not be had in time), so this
       * one was not counted.
       */
      reached: "count" | "bytes" | "busy";
      /** The sender the refusal was counted against (an IPv6 address's /64). */
      sender: string;
      /** When the sender's refusals are recorded again: the next minute (none when busy). */
      recordedAgainAt?: Date;
    };

/**
 * How long a refusal waits, at most, for its sender's count. The row is held
 * only for the statement (its commit does not wait for the disk), so a wait
 * this long means refusals from one sender are arriving faster than they can
 * be counted, from many instances at once: past it the refusal is answered but
 * neither counted nor recorded, rather than queueing on the row. (A lock on
 * the whole table, as a migration takes, is waited for before the statement's
 * settings apply: that wait ends at the query timeout or the deadline.)
 */
export const REFUSAL_COUNT_LOCK_TIMEOUT_MS = 1_000;

/**
 * Counts one unverified refusal against its sender's minute, and says whether
 * it may be recorded: while the minute has recorded fewer than `perMinute`
 * refusals and fewer than `bytesPerMinute` bytes. One statement, under the
 * row's lock, so refusals sent at once cannot all slip in under the limit. If
 * recording then fails, the count stays one higher: the limit errs towards
 * recording less, never more.
 *
 * The statement sets two things for its own transaction (set_config with
 * is_local, read before the row is locked and at the commit): its commit does
 * not wait for the disk, since a sender's refusals queue on its minute's row
 * and each would otherwise hold the row through a flush; and it waits at most
 * `countWaitMs` for the row. A crash can lose the last fraction
 * of a second of counts, which lets a few more refusals be recorded. One
 * autocommit statement, not a transaction block: nothing is left open, and
 * no lock held, if the connection is lost before the answer. Never call it
 * inside a transaction: the settings would hold for the rest of it.
 */
export async function claimRefusalRecord(
  db: Pick<Db, "$queryRaw">,
  sourceIp: string | null,
  bytes: number,
  now: Date,
  limits: RefusalLimits = refusalLimits(),
): Promise<RefusalClaim> {
  const startsAt = windowStart(now);
  const sender = refusalSender(sourceIp).slice(0, 64);
  const named = sender === NO_ADDRESS ? NO_ADDRESS_LABEL : sender;
  // Whether the minute, as it stood before this refusal (an ON CONFLICT update reads the old row), has room for it.
  const room = Prisma.sql`(w.recorded < ${limits.perMinute}::int AND w.recorded_bytes < ${limits.bytesPerMinute}::int)`;
  let row: { last_recorded: boolean; recorded: number } | undefined;
  try {
    [row] = await db.$queryRaw<{ last_recorded: boolean; recorded: number }[]>`
      INSERT INTO refusal_windows AS w (source_ip, starts_at, refused, recorded, recorded_bytes, last_recorded, over_limit)
      SELECT ${sender}, ${startsAt}::timestamptz, 1, 1, ${bytes}::int, true, false
      FROM (
        SELECT set_config('synchronous_commit', 'off', true), set_config('lock_timeout', ${`${limits.countWaitMs ?? REFUSAL_COUNT_LOCK_TIMEOUT_MS}ms`}, true)
      ) AS this_statement_only
      ON CONFLICT (source_ip, starts_at) DO UPDATE SET
        refused = w.refused + 1,
        recorded = w.recorded + (CASE WHEN ${room} THEN 1 ELSE 0 END),
        recorded_bytes = w.recorded_bytes + (CASE WHEN ${room} THEN ${bytes}::int ELSE 0 END),
        last_recorded = ${room},
        over_limit = w.over_limit OR NOT ${room}
      RETURNING last_recorded, recorded`;
  } catch (error) {
    if (isRowContention(error)) return { record: false, reached: "busy", sender: named };
    throw error;
  }
  if (row?.last_recorded === true) return { record: true };
  return {
    record: false,
    reached: (row?.recorded ?? 0) >= limits.perMinute ? "count" : "bytes",
    sender: named,
    recordedAgainAt: new Date(startsAt.getTime() + WINDOW_MS),
  };
}

/** The bytes a recorded refusal takes: its body as kept and its headers as stored. */
export function recordedBytes(body: Uint8Array, headers: Record<string, string>): number {
  return body.length + Buffer.byteLength(JSON.stringify(headers));
}

/** What a sender is told, after the refusal's own reason, when its refusal was answered without being counted. */
export const NOT_COUNTED_NOTE = " (not recorded: refusals are arriving faster than Payhook counts them, so this one was neither counted nor kept)";

/** What a sender whose refusals went past the limits is told, after the refusal's own reason. */
export function notRecordedNote(claim: Extract<RefusalClaim, { record: false }>, limits: RefusalLimits): string {
  if (claim.reached === "busy" || !claim.recordedAgainAt) return NOT_COUNTED_NOTE;
  const limit =
    claim.reached === "count"
      ? `${limits.perMinute.toLocaleString("en-US")} refusals a minute`
      : `${Math.round(limits.bytesPerMinute / 1024).toLocaleString("en-US")} KiB of refusals a minute`;
  const from = claim.sender === NO_ADDRESS_LABEL ? "them" : "it";
  return (
    ` (not recorded: ${claim.sender} reached the ${limit} Payhook records from one sender; ` +
    `refusals from ${from} are recorded again from ${claim.recordedAgainAt.toISOString()})`
  );
}

export type UnrecordedSource = { sender: string; unrecorded: number; lastMinute: Date };
export type UnrecordedRefusals = {
  /** Refusals not recorded since `since`, from every sender. */
  total: number;
  /** How many senders they came from. */
  senders: number;
  /** The senders with the most, most first. */
  top: UnrecordedSource[];
};

/** Refusals not recorded since `since`, by sender, the `limit` senders with the most first. Reads only minutes that went past the limits. */
export async function findUnrecordedRefusals(db: Pick<Db, "$queryRaw">, since: Date, limit = 5): Promise<UnrecordedRefusals> {
  // Sums as bigint: a day of a flood can pass what an int holds.
  const rows = await db.$queryRaw<{ source_ip: string; unrecorded: bigint; last_minute: Date; total: bigint; senders: bigint }[]>`
    SELECT source_ip, sum(refused - recorded)::bigint AS unrecorded, max(starts_at) AS last_minute,
           sum(sum(refused - recorded)) OVER ()::bigint AS total, count(*) OVER ()::bigint AS senders
    FROM refusal_windows
    WHERE starts_at >= ${windowStart(since)}::timestamptz AND over_limit
    GROUP BY source_ip
    ORDER BY unrecorded DESC, source_ip
    LIMIT ${limit}`;
  return {
    total: Number(rows[0]?.total ?? 0),
    senders: Number(rows[0]?.senders ?? 0),
    top: rows.map((row) => ({ sender: row.source_ip, unrecorded: Number(row.unrecorded), lastMinute: row.last_minute })),
  };
}
