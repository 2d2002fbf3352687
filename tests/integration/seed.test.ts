import { createPublicKey } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { buildDemoHistory } from "@/lib/demo/build-demo-history";
import { LedgerNotEmptyError, seedDemoLedger, type SeedSummary } from "@/lib/demo/seed-demo-ledger";
import { fingerprintOf } from "@/lib/providers/keyring";
import { backends, useTestDatabase } from "../helpers/test-database";
import { installProviderKeys, PROVIDERS } from "../helpers/test-keys";

const keys = installProviderKeys();
const demoKeys = { paycools: keys.paycools.privateKey, "paycools-id": keys["paycools-id"].privateKey, payermax: keys.payermax.privateKey };
const COUNT = 150;
const DAY = 86_400_000;

describe("the demo history", () => {
  it("is the same notifications for the same seed, and others for another seed", () => {
    const now = new Date("2026-06-01T12:00:00Z");
    const first = buildDemoHistory({ count: COUNT, seed: 7, now, keys: demoKeys });
    const again = buildDemoHistory({ count: COUNT, seed: 7, now, keys: demoKeys });
    const other = buildDemoHistory({ count: COUNT, seed: 8, now, keys: demoKeys });
    const shape = (history: typeof first) => history.deliveries.map((d) => `${d.at.toISOString()} ${d.provider} ${d.body.toString("base64")}`);
    expect(shape(again)).toEqual(shape(first));
    expect(shape(other)).not.toEqual(shape(first));
  });
});

describe.each(backends)("db:seed on %s", (backend) => {
  const database = useTestDatabase(backend);
  let summary: SeedSummary;
  const now = new Date();

  beforeAll(async () => {
    summary = await seedDemoLedger(database.db, { keys: demoKeys, count: COUNT, seed: 42, now });
  });

  it("sends everything through the webhook handler and gets the expected answers", () => {
    expect(summary.unexpected).toEqual([]);
    expect(summary.transactions).toBeGreaterThanOrEqual(COUNT);
    expect(summary.transactions).toBeLessThan(COUNT + 10);
  });

  it("makes payments, payouts and refunds of all three providers", async () => {
    const rows = await database.db.transaction.groupBy({ by: ["provider", "kind"], _count: { _all: true } });
    expect(new Set(rows.map((row) => row.provider))).toEqual(new Set(PROVIDERS));
    expect(new Set(rows.map((row) => row.kind))).toEqual(new Set(["payment", "payout", "refund"]));
    const currencies = await database.db.transaction.groupBy({ by: ["currency"], where: { provider: { not: "paycools-id" } } });
    expect(currencies.length).toBeGreaterThanOrEqual(4);
  });

  it("has payments that were pending before they completed", async () => {
    const completedAfterPending = await database.db.transaction.count({
      where: { status: { in: ["succeeded", "failed"] }, events: { some: { status: "pending" } } },
    });
    expect(completedAfterPending).toBeGreaterThan(0);
  });

  it("has a declared and a detected duplicate case, each with its original", async () => {
    const cases = await database.db.duplicateCase.findMany({ include: { transactions: true } });
    const declared = cases.find((c) => c.declared);
    const detected = cases.find((c) => c.detected);
    expect(declared, "a declared case").toBeDefined();
    expect(detected, "a detected case").toBeDefined();
    for (const found of [declared, detected]) {
      const sources = found!.transactions.map((t) => t.duplicateSource);
      expect(sources).toContain(null);
      expect(sources.some((source) => source !== null)).toBe(true);
    }
    const duplicate = declared!.transactions.find((t) => t.duplicateSource === "declared")!;
    const original = declared!.transactions.find((t) => t.duplicateSource === null)!;
    expect(duplicate.orderType).toBe("DUPLICATE_PAYMENT");
    expect(duplicate.originalProviderTransactionId).toBe(original.providerTransactionId);
    // The case opened when the second payment arrived, not when the seed ran.
    expect(detected!.openedAt.getTime()).toBeLessThan(now.getTime() - 30 * 60_000);
  });

  it("keeps repeated payments into one static VA unflagged", async () => {
    const repeated = await database.db.transaction.groupBy({
      by: ["merchantOrderId"],
      where: { provider: "paycools-id", status: "succeeded" },
      _count: { _all: true },
      having: { merchantOrderId: { _count: { gt: 1 } } },
    });
    expect(repeated.length).toBeGreaterThan(0);
    const flagged = await database.db.transaction.count({ where: { reusableOrder: true, duplicateCaseId: { not: null } } });
    expect(flagged).toBe(0);
  });

  it("keeps rejected deliveries with their reasons", async () => {
    const rejected = await database.db.delivery.findMany({ where: { outcome: "rejected" } });
    expect(new Set(rejected.map((d) => d.httpStatus))).toEqual(new Set([400, 401, 422]));
    for (const delivery of rejected) {
      expect(delivery.errorCode).toBeTruthy();
      expect(delivery.reason).toBeTruthy();
      expect(delivery.transactionId).toBeNull();
    }
  });

  it("records provider retries, the same bytes again, as duplicate deliveries", async () => {
    const retries = await database.db.delivery.findMany({ where: { outcome: "duplicate" }, include: { event: { include: { deliveries: true } } } });
    expect(retries.length).toBeGreaterThan(0);
    for (const retry of retries) {
      const first = retry.event!.deliveries.find((d) => d.outcome === "accepted")!;
      expect(Buffer.from(retry.body).equals(Buffer.from(first.body))).toBe(true);
      expect(retry.receivedAt.getTime()).toBeGreaterThan(first.receivedAt.getTime());
    }
  });

  it("spreads the history over the last 90 days", async () => {
    const span = await database.db.delivery.aggregate({ _min: { receivedAt: true }, _max: { receivedAt: true } });
    const oldest = span._min.receivedAt!.getTime();
    const newest = span._max.receivedAt!.getTime();
    expect(oldest).toBeGreaterThanOrEqual(now.getTime() - 90 * DAY);
    expect(newest).toBeLessThanOrEqual(now.getTime());
    expect(newest - oldest).toBeGreaterThan(60 * DAY);
    const firstSeen = await database.db.transaction.aggregate({ _min: { firstSeenAt: true } });
    expect(firstSeen._min.firstSeenAt!.getTime()).toBeLessThan(now.getTime() - 45 * DAY);
  });

  it("verified every transaction: each has an accepted delivery signed by its provider's key", async () => {
    const fingerprints = Object.fromEntries(PROVIDERS.map((p) => [p, fingerprintOf(createPublicKey(keys[p].privateKey))]));
    const transactions = await database.db.transaction.findMany({
      select: { provider: true, deliveries: { where: { outcome: "accepted" }, select: { keyFingerprint: true, signatureValid: true } } },
    });
    for (const transaction of transactions) {
      expect(transaction.deliveries.length).toBeGreaterThan(0);
      for (const delivery of transaction.deliveries) {
        expect(delivery).toEqual({ keyFingerprint: fingerprints[transaction.provider], signatureValid: true });
      }
    }
  });

  it("refuses to seed a ledger that holds data, unless forced", async () => {
    const before = await database.db.transaction.count();
    await expect(seedDemoLedger(database.db, { keys: demoKeys, count: 5, seed: 42, now })).rejects.toBeInstanceOf(LedgerNotEmptyError);
    expect(await database.db.transaction.count()).toBe(before);
    // Another seed's history, added on top when forced.
    await seedDemoLedger(database.db, { keys: demoKeys, count: 5, seed: 43, now, force: true });
    expect(await database.db.transaction.count()).toBeGreaterThan(before);
  });
});
