import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/lib/db/client";
import { fingerprintOf, parseKeyring } from "@/lib/providers/keyring";
import { findProvider } from "@/lib/providers/registry";
import { newMerchantOrderId, newPaycoolsTransactionId, newPayermaxTradeOrderNo, paycoolsParam, payermaxBody } from "@/lib/simulator/samples";
import { signFor, type SignedRequest } from "@/lib/simulator/sign";
import { decodeBody, getTransaction, getTransactionDeliveryBody } from "@/lib/transactions/get-transaction";
import { handleWebhook } from "@/lib/webhooks/handle-webhook";
import { backends, useTestDatabase } from "../helpers/test-database";
import { installProviderKeys, type ProviderName } from "../helpers/test-keys";

// The transaction detail page's query, fed through the real webhook handler and
// ingest: deliveries (retries too) in time order, events with their applied
// flag, and the transactions related to it in both directions.

const keys = installProviderKeys();

const at = (seconds: number) => new Date(Date.UTC(2026, 0, 15, 9, 0, seconds));

async function deliver(db: Db, provider: ProviderName, signed: SignedRequest, receivedAt: Date): Promise<void> {
  const request = new Request(`http://localhost/api/webhooks/${provider}`, {
    method: "POST",
    headers: { ...signed.headers, "x-forwarded-for": "203.0.113.7", cookie: "session=secret" },
    body: new Uint8Array(signed.body),
  });
  const response = await handleWebhook(request, provider, { db: async () => db, findProvider, now: () => receivedAt });
  expect(response.status, await response.clone().text()).toBe(200);
}

const sign = (provider: ProviderName, payload: Record<string, unknown>) => signFor(provider, payload, keys[provider].privateKey);

async function idOf(db: Db, provider: string, providerTransactionId: string): Promise<string> {
  const row = await db.transaction.findFirstOrThrow({ where: { provider, providerTransactionId }, select: { id: true } });
  return row.id;
}

describe.each(backends)("getTransaction (%s)", (backend) => {
  const database = useTestDatabase(backend);
  let db: Db;

  beforeAll(async () => {
    db = database.db;
  });

  it("returns every delivery in time order, provider retries included, with headers redacted and no body", async () => {
    const signed = sign("payermax", payermaxBody({ amount: "12.34", currency: "USD" }));
    await deliver(db, "payermax", signed, at(10));
    await deliver(db, "payermax", signed, at(40));
    // A retry stored later but stamped earlier (clocks, queues) still sorts by its time.
    await deliver(db, "payermax", signed, at(25));

    const tradeOrderNo = String(JSON.parse(signed.body.toString("utf8")).tradeOrderNo);
    const detail = await getTransaction(db, await idOf(db, "payermax", tradeOrderNo));
    expect(detail).not.toBeNull();
    expect(detail!.amount).toBe("12.34");
    expect(detail!.deliveries.map((d) => [d.receivedAt.toISOString(), d.outcome, d.httpStatus])).toEqual([
      [at(10).toISOString(), "accepted", 200],
      [at(25).toISOString(), "duplicate", 200],
      [at(40).toISOString(), "duplicate", 200],
    ]);
    const keyring = parseKeyring(keys.payermax.publicKeyBase64, "PAYERMAX_PUBLIC_KEY");
    if (!keyring.ok) throw new Error(keyring.message);
    for (const d of detail!.deliveries) {
      expect(d).toMatchObject({ signatureValid: true, sourceIp: "203.0.113.7", bodySize: signed.body.length, eventId: detail!.events[0]!.id });
      expect(d.keyFingerprint).toBe(fingerprintOf(keyring.keys[0]!.key));
      expect(d.headers.cookie).toBe("[redacted]");
      expect(d).not.toHaveProperty("body");
    }
    expect(detail!.events).toHaveLength(1);

    const body = await getTransactionDeliveryBody(db, detail!.id, detail!.deliveries[1]!.id);
    expect(body).toMatchObject({ validUtf8: true, size: signed.body.length, truncated: false });
    expect(body!.base64).toBe(signed.body.toString("base64"));
    expect(body!.text).toBe(signed.body.toString("utf8"));
    expect(await getTransactionDeliveryBody(db, detail!.id, "01890000-0000-7000-8000-000000000000")).toBeNull();
  });

  it("marks events that did not move the transaction as stale or conflicting", async () => {
    const orderId = newMerchantOrderId();
    const transactionId = newPaycoolsTransactionId();
    await deliver(db, "paycools", sign("paycools", paycoolsParam({ orderId, transactionId })), at(1));
    await deliver(db, "paycools", sign("paycools", paycoolsParam({ orderId, transactionId, pending: true })), at(2));
    await deliver(db, "paycools", sign("paycools", paycoolsParam({ orderId, transactionId, failed: true })), at(3));

    const detail = await getTransaction(db, await idOf(db, "paycools", transactionId));
    expect(detail).toMatchObject({ status: "succeeded", providerStatus: "COMPLETED", statusConflict: true, conflictingStatus: "FAILED" });
    expect(detail!.events.map((e) => [e.providerStatus, e.applied, e.notApplied])).toEqual([
      ["COMPLETED", true, null],
      ["PENDING", false, "stale"],
      ["FAILED", false, "conflicting"],
    ]);
    expect(detail!.events[0]!.payload).toMatchObject({ transactionId, mchOrderId: orderId });
    expect(detail!.deliveries.map((d) => d.eventId)).toEqual(detail!.events.map((e) => e.id));
  });

  it("links a declared duplicate to its original and the original to its duplicates", async () => {
    const orderId = newMerchantOrderId("PM");
    const tradeOrderNo = newPayermaxTradeOrderNo();
    const duplicateNo = newPayermaxTradeOrderNo();
    const failedNo = newPayermaxTradeOrderNo();
    await deliver(db, "payermax", sign("payermax", payermaxBody({ orderId, transactionId: failedNo, failed: true })), at(1));
    await deliver(db, "payermax", sign("payermax", payermaxBody({ orderId, transactionId: tradeOrderNo })), at(2));
    await deliver(
      db,
      "payermax",
      sign("payermax", payermaxBody({ orderId, transactionId: duplicateNo, duplicateOf: { orderId, tradeOrderNo } })),
      at(3),
    );

    const originalId = await idOf(db, "payermax", tradeOrderNo);
    const duplicateId = await idOf(db, "payermax", duplicateNo);
    const failedId = await idOf(db, "payermax", failedNo);

    const duplicate = await getTransaction(db, duplicateId);
    expect(duplicate).toMatchObject({ duplicateSource: "declared", originalProviderTransactionId: tradeOrderNo });
    expect(duplicate!.related.original?.id).toBe(originalId);
    expect(duplicate!.related.duplicates).toEqual([]);
    expect(duplicate!.duplicateCase).toMatchObject({ state: "open", declared: true, detected: false, resolvedBy: null });

    const original = await getTransaction(db, originalId);
    expect(original!.duplicateSource).toBeNull();
    expect(original!.related.original).toBeNull();
    expect(original!.related.duplicates.map((t) => [t.id, t.duplicateSource])).toEqual([[duplicateId, "declared"]]);
    expect(original!.related.sameOrder.map((t) => t.id)).toEqual([failedId]);
    expect(original!.duplicateCase?.id).toBe(duplicate!.duplicateCase?.id);
  });

  it("links a detected duplicate to the first payment of the order, and both ways", async () => {
    const orderId = newMerchantOrderId();
    const first = newPaycoolsTransactionId();
    const second = newPaycoolsTransactionId();
    await deliver(db, "paycools", sign("paycools", paycoolsParam({ orderId, transactionId: first, referenceNumber: null })), at(1));
    await deliver(db, "paycools", sign("paycools", paycoolsParam({ orderId, transactionId: second, referenceNumber: null })), at(2));

    const firstDetail = await getTransaction(db, await idOf(db, "paycools", first));
    const secondDetail = await getTransaction(db, await idOf(db, "paycools", second));
    expect(secondDetail!.duplicateSource).toBe("detected");
    expect(secondDetail!.related.original?.id).toBe(firstDetail!.id);
    expect(firstDetail!.related.duplicates.map((t) => t.id)).toEqual([secondDetail!.id]);
    expect(firstDetail!.related.sameOrder).toEqual([]);
  });

  it("answers null for an unknown or malformed id without querying with it", async () => {
    expect(await getTransaction(db, "01890000-0000-7000-8000-000000000000")).toBeNull();
    expect(await getTransaction(db, "not-a-uuid")).toBeNull();
    expect(await getTransaction(db, "' OR 1=1 --")).toBeNull();
  });

  it("decodes a body that is not UTF-8 with replacement characters and says so", () => {
    expect(decodeBody(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xe9, 0x22, 0x7d]))).toEqual({ text: '{"a":"\uFFFD"}', validUtf8: false });
    expect(decodeBody(Buffer.from("\uFEFF{}", "utf8"))).toEqual({ text: "\uFEFF{}", validUtf8: true });
  });
});
