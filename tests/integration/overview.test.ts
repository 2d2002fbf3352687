import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/lib/db/client";
import { countOpenDuplicateCases, findDuplicateCases } from "@/lib/duplicates/find-duplicate-cases";
import { getDailyVolume, type DailySeries } from "@/lib/overview/get-daily-volume";
import { getDeliveryAttention } from "@/lib/overview/get-delivery-attention";
import { getOverviewTotals, type TotalsRow } from "@/lib/overview/get-overview-totals";
import { hasAnyDelivery } from "@/lib/overview/has-any-delivery";
import { resetEnvCache } from "@/lib/env";
import { findProvider } from "@/lib/providers/registry";
import { newMerchantOrderId, paycoolsParam, payermaxBody } from "@/lib/simulator/samples";
import { signFor } from "@/lib/simulator/sign";
import { handleWebhook } from "@/lib/webhooks/handle-webhook";
import { backends, useTestDatabase } from "../helpers/test-database";
import { installProviderKeys, makeKeyPair, type ProviderName } from "../helpers/test-keys";

// The overview's figures, from notifications sent through the real webhook
// handler at chosen instants, read back in Asia/Jakarta (UTC+7) and in UTC.

const keys = installProviderKeys();
const stranger = makeKeyPair();

// 10:00 UTC on 15 March 2026 is 17:00 in Jakarta: "today" there began at 14 March 17:00 UTC.
const NOW = new Date("2026-03-15T10:00:00Z");
const JAKARTA = "Asia/Jakarta";

async function post(
  db: Db,
  provider: ProviderName,
  payload: Record<string, unknown>,
  at: Date,
  options: { method?: string; wrongKey?: boolean } = {},
): Promise<number> {
  const signed = signFor(provider, payload, options.wrongKey ? stranger.privateKey : keys[provider].privateKey);
  const method = options.method ?? "POST";
  const request = new Request(`http://localhost/api/webhooks/${provider}`, {
    method,
    headers: signed.headers,
    body: method === "POST" ? new Uint8Array(signed.body) : undefined,
  });
  const response = await handleWebhook(request, provider, { db: async () => db, findProvider, now: () => at });
  return response.status;
}

const figures = (succeeded: [number, string], failed: [number, string]) => ({
  succeeded: { count: succeeded[0], amount: succeeded[1] },
  failed: { count: failed[0], amount: failed[1] },
});

function row(rows: TotalsRow[], provider: string | null, currency: string, kind = "payment"): TotalsRow | undefined {
  return rows.find((r) => r.provider === provider && r.currency === currency && r.kind === kind);
}

function series(all: DailySeries[], currency: string, kind = "payment"): Map<string, DailySeries["points"][number]> {
  const found = all.find((s) => s.currency === currency && s.kind === kind);
  if (!found) throw new Error(`no ${currency} ${kind} series`);
  return new Map(found.points.map((point) => [point.day, point]));
}

describe.each(backends)("overview (%s)", (backend) => {
  const database = useTestDatabase(backend);
  let db: Db;

  beforeAll(async () => {
    db = database.db;
  });

  it("is empty on a fresh install", async () => {
    expect(await hasAnyDelivery(db)).toBe(false);
    const totals = await getOverviewTotals(db, { timeZone: JAKARTA, now: NOW });
    expect(totals.rows).toEqual([]);
    expect(await getDeliveryAttention(db, { now: NOW })).toEqual([]);
    const volume = await getDailyVolume(db, { timeZone: JAKARTA, now: NOW });
    expect(volume.days).toHaveLength(30);
    expect(volume.days[29]).toBe("2026-03-15");
    expect(volume.days[0]).toBe("2026-02-14");
    expect(volume.series).toEqual([]);
  });

  it("puts notifications on the days and months of the chosen zone and sums them exactly", async () => {
    const at = (iso: string) => new Date(iso);
    const sent = [
      // Today in Jakarta.
      await post(db, "paycools", paycoolsParam({ amount: 50010 }), at("2026-03-15T09:00:00Z")),
      // 00:30 on 15 March in Jakarta, still 14 March in UTC.
      await post(db, "paycools", paycoolsParam({ amount: 1999 }), at("2026-03-14T17:30:00Z")),
      // 23:59 on 14 March in Jakarta: this month, not today.
      await post(db, "paycools", paycoolsParam({ amount: 700 }), at("2026-03-14T16:59:00Z")),
      await post(db, "paycools", paycoolsParam({ amount: 10000, failed: true }), at("2026-03-15T08:00:00Z")),
      await post(db, "paycools", paycoolsParam({ amount: 4242, pending: true }), at("2026-03-15T08:00:00Z")),
      // 0.10 + 0.20 is 0.30000000000000004 in floats.
      await post(db, "payermax", payermaxBody({ amount: "33.50" }), at("2026-03-15T01:00:00Z")),
      await post(db, "payermax", payermaxBody({ amount: "0.10" }), at("2026-03-15T02:00:00Z")),
      await post(db, "payermax", payermaxBody({ amount: "0.20" }), at("2026-03-15T03:00:00Z")),
      await post(db, "payermax", payermaxBody({ amount: "1000.01", currency: "PHP" }), at("2026-03-01T00:00:00Z")),
      await post(db, "paycools", paycoolsParam({ amount: 12345, kind: "payout", channelCode: "PH_GCASH" }), at("2026-03-15T04:00:00Z")),
      // 1 March 00:00 in Jakarta opens the month; one second earlier is February.
      await post(db, "paycools", paycoolsParam({ amount: 1 }), at("2026-02-28T17:00:00Z")),
      await post(db, "paycools", paycoolsParam({ amount: 99 }), at("2026-02-28T16:59:59Z")),
    ];
    expect(sent.every((status) => status === 200)).toBe(true);
    expect(await hasAnyDelivery(db)).toBe(true);

    const totals = await getOverviewTotals(db, { timeZone: JAKARTA, now: NOW });
    expect(totals.today.from).toEqual(at("2026-03-14T17:00:00Z"));
    expect(totals.month.from).toEqual(at("2026-02-28T17:00:00Z"));
    expect(totals.month.to).toEqual(at("2026-03-31T17:00:00Z"));

    expect(row(totals.rows, "paycools", "IDR")?.today).toEqual(figures([2, "520.09"], [1, "100"]));
    expect(row(totals.rows, "paycools", "IDR")?.month).toEqual(figures([4, "527.1"], [1, "100"]));
    expect(row(totals.rows, "payermax", "IDR")?.today).toEqual(figures([3, "33.8"], [0, "0"]));
    expect(row(totals.rows, null, "IDR")?.today).toEqual(figures([5, "553.89"], [1, "100"]));
    expect(row(totals.rows, null, "IDR")?.month).toEqual(figures([7, "560.9"], [1, "100"]));
    expect(row(totals.rows, "payermax", "PHP")?.today).toEqual(figures([0, "0"], [0, "0"]));
    expect(row(totals.rows, "payermax", "PHP")?.month).toEqual(figures([1, "1000.01"], [0, "0"]));
    expect(row(totals.rows, "paycools", "PHP", "payout")?.today).toEqual(figures([1, "123.45"], [0, "0"]));
    // One provider per currency and kind needs no all-providers line.
    expect(row(totals.rows, null, "PHP")).toBeUndefined();

    const utc = await getOverviewTotals(db, { timeZone: "UTC", now: NOW });
    expect(row(utc.rows, "paycools", "IDR")?.today).toEqual(figures([1, "500.1"], [1, "100"]));
    expect(row(utc.rows, "paycools", "IDR")?.month).toEqual(figures([3, "527.09"], [1, "100"]));
  });

  it("buckets the daily volume by the zone's calendar days", async () => {
    const jakarta = await getDailyVolume(db, { timeZone: JAKARTA, now: NOW });
    const idr = series(jakarta.series, "IDR");
    expect(idr.size).toBe(30);
    expect(idr.get("2026-03-15")).toEqual({ day: "2026-03-15", succeededCount: 5, succeededAmount: "553.89", failedCount: 1, failedAmount: "100" });
    expect(idr.get("2026-03-14")).toMatchObject({ succeededCount: 1, succeededAmount: "7" });
    expect(idr.get("2026-03-01")).toMatchObject({ succeededCount: 1, succeededAmount: "0.01" });
    expect(idr.get("2026-02-28")).toMatchObject({ succeededCount: 1, succeededAmount: "0.99" });
    expect(idr.get("2026-03-10")).toMatchObject({ succeededCount: 0, succeededAmount: "0", failedCount: 0 });
    expect(series(jakarta.series, "PHP").get("2026-03-01")).toMatchObject({ succeededAmount: "1000.01" });
    expect(series(jakarta.series, "PHP", "payout").get("2026-03-15")).toMatchObject({ succeededAmount: "123.45" });

    const utc = series((await getDailyVolume(db, { timeZone: "UTC", now: NOW })).series, "IDR");
    expect(utc.get("2026-03-15")).toMatchObject({ succeededCount: 4, succeededAmount: "533.9" });
    expect(utc.get("2026-03-14")).toMatchObject({ succeededCount: 2, succeededAmount: "26.99" });
    expect(utc.get("2026-02-28")).toMatchObject({ succeededCount: 2, succeededAmount: "1" });
  });

  it("lists the last week's rejected deliveries by provider and error code", async () => {
    const recent = new Date(NOW.getTime() - 2 * 24 * 3600 * 1000);
    const old = new Date(NOW.getTime() - 8 * 24 * 3600 * 1000);
    expect(await post(db, "paycools", paycoolsParam(), recent, { wrongKey: true })).toBe(401);
    expect(await post(db, "paycools", paycoolsParam(), NOW, { wrongKey: true })).toBe(401);
    expect(await post(db, "paycools", paycoolsParam(), old, { wrongKey: true })).toBe(401);
    expect(await post(db, "paycools", { ...paycoolsParam(), transactionStatus: "SETTLED" }, recent)).toBe(422);
    expect(await post(db, "payermax", payermaxBody(), NOW, { method: "GET" })).toBe(405);
    // Refused for want of a key, its signature unchecked: reprocessing will check it, so it counts.
    const configured = process.env.PAYERMAX_PUBLIC_KEY;
    delete process.env.PAYERMAX_PUBLIC_KEY;
    resetEnvCache();
    try {
      expect(await post(db, "payermax", payermaxBody(), recent)).toBe(503);
    } finally {
      process.env.PAYERMAX_PUBLIC_KEY = configured;
      resetEnvCache();
    }

    const groups = await getDeliveryAttention(db, { now: NOW });
    expect(groups.map((g) => [g.provider, g.errorCode, g.count, g.reprocessable])).toEqual([
      ["paycools", "signature_invalid", 2, 0],
      ["paycools", "payload_invalid", 1, 1],
      ["payermax", "method_not_allowed", 1, 0],
      ["payermax", "provider_not_configured", 1, 1],
    ]);
    const signature = groups[0]!;
    expect(signature.latestAt).toEqual(NOW);
    expect(signature.latestReason).toMatch(/does not verify with any configured public key/);
    expect(groups[1]!.latestReason).toMatch(/param\.transactionStatus: "SETTLED"/);
  });

  it("counts open duplicate payments and lists the most recent", async () => {
    // January: outside the month and the 30 days, so the figures above stay as they were.
    const january = new Date("2026-01-10T05:00:00Z");
    const orderId = newMerchantOrderId("DUP");
    expect(await post(db, "paycools", paycoolsParam({ orderId, amount: 5000 }), january)).toBe(200);
    expect(await post(db, "paycools", paycoolsParam({ orderId, amount: 5000 }), january)).toBe(200);

    expect(await countOpenDuplicateCases(db)).toBe(1);
    const recent = await findDuplicateCases(db, { status: "open", limit: 5 });
    expect(recent.cases.map((c) => [c.provider, c.merchantOrderId, c.payments.length])).toEqual([["paycools", orderId, 2]]);
    expect(recent.cases[0]!.overpaid).toEqual([{ currency: "IDR", amount: "50" }]);

    const totals = await getOverviewTotals(db, { timeZone: JAKARTA, now: NOW });
    expect(row(totals.rows, null, "IDR")?.month).toEqual(figures([7, "560.9"], [1, "100"]));
  });
});
