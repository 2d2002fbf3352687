import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/lib/db/client";
import { handlePruneRequest, type PruneRequestDeps } from "@/lib/deliveries/handle-prune-request";
import { recordRejectedDelivery } from "@/lib/deliveries/record-rejected-delivery";
import { findProvider } from "@/lib/providers/registry";
import { paycoolsParam, payermaxBody } from "@/lib/simulator/samples";
import { signFor, type SignedRequest } from "@/lib/simulator/sign";
import { handleWebhook } from "@/lib/webhooks/handle-webhook";
import { backends, useTestDatabase } from "../helpers/test-database";
import { installProviderKeys, makeKeyPair, type ProviderName } from "../helpers/test-keys";

// The retention job for refused deliveries: every delivery made by the real
// webhook handler, the job run through its own Request handler, what is left
// read back from the database.

const keys = installProviderKeys();
const stranger = makeKeyPair();
const SECRET = "c".repeat(40);
const DAY = 24 * 60 * 60 * 1000;
const now = new Date(Date.UTC(2026, 5, 30, 12, 0));
const daysAgo = (days: number, minute = 0) => new Date(now.getTime() - days * DAY + minute * 60_000);

function webhookRequest(provider: string, signed: SignedRequest | null, method = "POST"): Request {
  return new Request(`http://localhost/api/webhooks/${provider}`, {
    method,
    headers: signed ? signed.headers : { "content-type": "application/json" },
    body: method === "POST" ? (signed ? new Uint8Array(signed.body) : '{"param":"unsigned"}') : undefined,
  });
}

async function send(db: Db, provider: ProviderName, req: Request, at: Date): Promise<number> {
  return (await handleWebhook(req, provider, { db: async () => db, findProvider, now: () => at })).status;
}

const sign = (provider: ProviderName, payload: Record<string, unknown>) => signFor(provider, payload, keys[provider].privateKey);

function pruneRequest(authorization?: string): Request {
  return new Request("http://localhost/api/cron/prune-deliveries", { headers: authorization ? { authorization } : {} });
}

async function prune(db: Db, options: Partial<PruneRequestDeps> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await handlePruneRequest(pruneRequest(`Bearer ${SECRET}`), {
    db: async () => db,
    now: () => now,
    secret: () => SECRET,
    retentionDays: () => 30,
    ...options,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

type Left = { outcome: string; error_code: string | null; days: number };

async function deliveriesLeft(db: Db): Promise<string[]> {
  const rows = await db.$queryRaw<Left[]>`
    SELECT outcome::text, error_code, round(extract(epoch FROM (${now}::timestamptz - received_at)) / 86400)::int AS days
    FROM deliveries ORDER BY received_at, id`;
  return rows.map((row) => `${row.days}d ${row.outcome}${row.error_code ? ` ${row.error_code}` : ""}`);
}

describe.each(backends)("the retention job for refused deliveries (%s)", (backend) => {
  const database = useTestDatabase(backend);
  let db: Db;

  beforeAll(async () => {
    db = database.db;
  });

  it("deletes only the old refusals no signature vouched for, in batches, and keeps everything the ledger needs", async () => {
    const payment = payermaxBody();
    expect(await send(db, "payermax", webhookRequest("payermax", sign("payermax", payment)), daysAgo(40, 1))).toBe(200);
    expect(await send(db, "payermax", webhookRequest("payermax", sign("payermax", payment)), daysAgo(40, 2))).toBe(200);
    expect(await send(db, "paycools", webhookRequest("paycools", signFor("paycools", paycoolsParam(), stranger.privateKey)), daysAgo(40, 3))).toBe(401);
    expect(await send(db, "paycools", webhookRequest("paycools", null), daysAgo(40, 4))).toBe(401);
    expect(await send(db, "payermax", webhookRequest("payermax", null, "GET"), daysAgo(40, 5))).toBe(405);
    expect(await send(db, "paycools", webhookRequest("paycools", sign("paycools", { ...paycoolsParam(), transactionStatus: "SETTLED" })), daysAgo(40, 6))).toBe(422);
    // Refused before any check for want of the key: reprocessable within the retention period, then gone like the rest
    // (a provider this merchant does not use has no key, and would otherwise keep every junk request for good).
    const notConfigured = sign("paycools-id", paycoolsParam());
    await recordRejectedDelivery(
      db,
      { provider: "paycools-id", method: "POST", receivedAt: daysAgo(40, 7), headers: {}, sourceIp: null, body: notConfigured.body, bodySize: notConfigured.body.length, bodyTruncated: false },
      { httpStatus: 503, errorCode: "provider_not_configured", reason: "PAYCOOLS_ID_PUBLIC_KEY is not set" },
    );
    // A day inside the retention period.
    expect(await send(db, "paycools", webhookRequest("paycools", signFor("paycools", paycoolsParam(), stranger.privateKey)), daysAgo(29))).toBe(401);

    // An hour ago: its count of refusals per sender and minute is younger than the two days those are kept.
    expect(await send(db, "paycools", webhookRequest("paycools", null), daysAgo(0, -60))).toBe(401);

    const before = await deliveriesLeft(db);
    expect(before).toHaveLength(9);

    // One row per batch, so the loop runs five times (four deleted, then an empty batch), each starting where the last
    // ended: the kept refusal between them (payload_invalid, signed) is passed over, not deleted.
    const first = await prune(db, { batchSize: 1 });
    expect(first).toEqual({
      status: 200,
      // The counts of refusals per sender and minute older than two days go too, in batches of their own: the
      // minutes of the three unverified refusals sent through the handler 40 days ago and of the one 29 days ago.
      body: { deleted: 4, complete: true, refusalWindowsDeleted: 4, cutoff: daysAgo(30).toISOString(), retentionDays: 30 },
    });
    const windowsLeft = await db.$queryRaw<{ starts_at: Date }[]>`SELECT starts_at FROM refusal_windows`;
    expect(windowsLeft.map((row) => row.starts_at.toISOString())).toEqual([daysAgo(0, -60).toISOString()]);
    expect(await deliveriesLeft(db)).toEqual(["40d accepted", "40d duplicate", "40d rejected payload_invalid", "29d rejected signature_invalid", "0d rejected signature_missing"]);
    // The payment and its event are untouched.
    const [ledger] = await db.$queryRaw<{ transactions: number; events: number }[]>`
      SELECT (SELECT count(*)::int FROM transactions) AS transactions, (SELECT count(*)::int FROM events) AS events`;
    expect(ledger).toEqual({ transactions: 1, events: 1 });

    // Nothing more to do: a second run deletes nothing.
    expect((await prune(db)).body).toMatchObject({ deleted: 0, complete: true });
    // A shorter retention period reaches the younger refusal.
    expect((await prune(db, { retentionDays: () => 28 })).body).toMatchObject({ deleted: 1, complete: true, refusalWindowsDeleted: 0, retentionDays: 28 });
  });

  it("stops when its time budget runs out and says more remain; the next run goes on", async () => {
    for (let i = 0; i < 3; i++) {
      expect(await send(db, "paycools", webhookRequest("paycools", null), daysAgo(60, i))).toBe(401);
    }
    // The counts of those refusals (a minute each) go first, in one batch of their own.
    expect((await prune(db, { batchSize: 1, timeBudgetMs: 0 })).body).toMatchObject({ deleted: 1, complete: false, refusalWindowsDeleted: 3 });
    expect((await prune(db, { batchSize: 1 })).body).toMatchObject({ deleted: 2, complete: true, refusalWindowsDeleted: 0 });
  });

  it("deletes the counts of refusals first, and a run out of time with them leaves the refusals to the next", async () => {
    for (let i = 0; i < 3; i++) {
      await db.$executeRaw`INSERT INTO refusal_windows (source_ip, starts_at, refused, recorded, recorded_bytes, last_recorded)
                           VALUES (${`192.0.2.${i}`}, ${daysAgo(10, i)}::timestamptz, 5, 5, 500, true)`;
    }
    expect(await send(db, "paycools", webhookRequest("paycools", null), daysAgo(50))).toBe(401);
    // Counts older than the two days they are kept (the first test left a younger one).
    const windowsLeft = async () =>
      (await db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM refusal_windows WHERE starts_at < ${daysAgo(2)}::timestamptz`)[0]!.n;
    // Four (three above and the refusal's own minute): one batch of one, then out of time before the refusals.
    expect(await windowsLeft()).toBe(4);
    expect((await prune(db, { windowBatchSize: 1, timeBudgetMs: 0 })).body).toMatchObject({ deleted: 0, complete: false, refusalWindowsDeleted: 1 });
    expect(await windowsLeft()).toBe(3);
    expect((await prune(db, { windowBatchSize: 1 })).body).toMatchObject({ deleted: 1, complete: true, refusalWindowsDeleted: 3 });
    expect(await windowsLeft()).toBe(0);
  });
});

describe("the retention job's guard", () => {
  const untouchable: PruneRequestDeps = {
    db: () => Promise.reject(new Error("the database must not be reached before the token is checked")),
    now: () => now,
    secret: () => SECRET,
    retentionDays: () => 30,
  };

  async function answer(request: Request, deps: Partial<PruneRequestDeps> = {}) {
    const response = await handlePruneRequest(request, { ...untouchable, ...deps });
    const body = (await response.json()) as { error?: { code: string; message: string } };
    return { status: response.status, code: body.error?.code, message: body.error?.message ?? "", authenticate: response.headers.get("www-authenticate") };
  }

  it("refuses to run without a CRON_SECRET of at least 16 characters, and says how to set one", async () => {
    for (const secret of [undefined, "short-secret"]) {
      const result = await answer(pruneRequest(`Bearer ${secret ?? ""}`), { secret: () => secret });
      expect(result).toMatchObject({ status: 503, code: "cron_not_configured" });
      expect(result.message).toMatch(/CRON_SECRET .*at least 16 characters/);
    }
  });

  it("answers 401 to a request without this deployment's bearer token, before touching the database", async () => {
    for (const authorization of [undefined, `Bearer ${SECRET}x`, `Bearer ${SECRET.slice(1)}`, `Basic ${SECRET}`, SECRET, "Bearer "]) {
      const result = await answer(pruneRequest(authorization));
      expect(result, String(authorization)).toMatchObject({ status: 401, code: "cron_unauthorized", authenticate: 'Bearer realm="payhook-cron"' });
    }
    expect((await answer(pruneRequest())).message).toMatch(/Authorization: Bearer <CRON_SECRET>/);
  });

  it("answers 503 when the database is away, so the scheduler's next run tries again", async () => {
    const away = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    const result = await answer(pruneRequest(`Bearer ${SECRET}`), { db: () => Promise.reject(away) });
    expect(result).toMatchObject({ status: 503, code: "database_unavailable" });
  });
});
