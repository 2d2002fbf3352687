import { createServer, type Socket } from "node:net";
import { beforeAll, describe, expect, it } from "vitest";
import { createPostgresClient, postgresPoolOf } from "@/lib/db/client";
import { reprocessDelivery } from "@/lib/deliveries/reprocess-delivery";
import { resetEnvCache } from "@/lib/env";
import { findProvider } from "@/lib/providers/registry";
import { paycoolsIdParam, paycoolsParam, payermaxBody } from "@/lib/simulator/samples";
import { signPaycools, signPayermax, type SignedRequest } from "@/lib/simulator/sign";
import { DATABASE_DEADLINE_MS, handleWebhook, MAX_BODY_BYTES, UNVERIFIED_BODY_BYTES, type WebhookDeps } from "@/lib/webhooks/handle-webhook";
import { backends, useTestDatabase } from "../helpers/test-database";
import { installProviderKeys, makeKeyPair, type ProviderName } from "../helpers/test-keys";

const keys = installProviderKeys();

const PAYCOOLS_ACK = { code: 10000, message: "Success" };
const PAYERMAX_ACK = { bizCode: "0000", message: "success" };

function requestFor(provider: string, signed: SignedRequest, init: { method?: string; headers?: Record<string, string> } = {}): Request {
  return new Request(`http://localhost/api/webhooks/${provider}`, {
    method: init.method ?? "POST",
    headers: { ...signed.headers, ...init.headers },
    body: init.method && init.method !== "POST" ? undefined : new Uint8Array(signed.body),
  });
}

function signed(provider: ProviderName, payload: Record<string, unknown>): SignedRequest {
  const { privateKey } = keys[provider];
  return provider === "payermax" ? signPayermax(payload, privateKey) : signPaycools(payload, privateKey);
}

describe.each(backends)("webhook routes on %s", (backend) => {
  const database = useTestDatabase(backend);
  let deps: WebhookDeps;

  beforeAll(async () => {
    deps = { db: async () => database.db, findProvider, now: () => new Date() };
  });

  const post = (provider: string, request: SignedRequest, init?: Parameters<typeof requestFor>[2]) =>
    handleWebhook(requestFor(provider, request, init), provider, deps);

  async function lastDelivery(provider: string) {
    return database.db.delivery.findFirstOrThrow({ where: { provider }, orderBy: { receivedAt: "desc" } });
  }

  it("acknowledges a PayCools payment with PayCools' own reply and stores it exactly", async () => {
    const param = paycoolsParam({ amount: 50010, channelCode: "PH_GCASH", createTime: "2024-05-01 08:00:00", returnTime: "2024-05-01 08:01:30" });
    const response = await post("paycools", signed("paycools", param));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(PAYCOOLS_ACK);

    const transaction = await database.db.transaction.findFirstOrThrow({ where: { providerTransactionId: param.transactionId as string } });
    expect(transaction).toMatchObject({
      provider: "paycools",
      kind: "payment",
      merchantOrderId: param.mchOrderId,
      status: "succeeded",
      providerStatus: "COMPLETED",
      currency: "PHP",
      rawAmount: "50010",
      channel: "PH_GCASH",
    });
    expect(transaction.amount.toFixed(2)).toBe("500.10");
    expect(transaction.providerCreatedAt?.toISOString()).toBe("2024-05-01T00:00:00.000Z");
    expect(transaction.providerCompletedAt?.toISOString()).toBe("2024-05-01T00:01:30.000Z");
    expect(transaction.payload).toEqual(param);

    const delivery = await lastDelivery("paycools");
    expect(delivery).toMatchObject({ outcome: "accepted", httpStatus: 200, signatureValid: true, transactionId: transaction.id });
    expect(delivery.keyFingerprint).toMatch(/^SHA256:/);
    expect(Buffer.from(delivery.body).equals(signed("paycools", param).body)).toBe(true);
  });

  it("acknowledges PayCools Indonesia and PayerMax with their own replies", async () => {
    const id = await post("paycools-id", signed("paycools-id", paycoolsIdParam()));
    expect(id.status).toBe(200);
    expect(await id.json()).toEqual(PAYCOOLS_ACK);

    const body = payermaxBody({ amount: "12345.67", currency: "USD" });
    const max = await post("payermax", signed("payermax", body));
    expect(max.status).toBe(200);
    expect(await max.json()).toEqual(PAYERMAX_ACK);
    const transaction = await database.db.transaction.findFirstOrThrow({ where: { providerTransactionId: body.tradeOrderNo as string } });
    expect(transaction.amount.toString()).toBe("12345.67");
    expect(transaction.currency).toBe("USD");
  });

  it("answers 404 for an unknown provider", async () => {
    const response = await post("stripe", signed("payermax", payermaxBody()));
    expect(response.status).toBe(404);
    expect((await response.json()).error.message).toContain("paycools, paycools-id, payermax");
  });

  it("answers 405 with Allow for a method other than POST and keeps the request", async () => {
    const response = await post("payermax", signed("payermax", payermaxBody()), { method: "GET" });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
    expect(await lastDelivery("payermax")).toMatchObject({ outcome: "rejected", httpStatus: 405, method: "GET" });
  });

  it("answers 413 for a body over 1 MiB, keeping its first 64 KiB and its size read", async () => {
    const huge = Buffer.alloc(MAX_BODY_BYTES + 10, 0x20);
    const response = await post("paycools", { body: huge, headers: { "content-type": "application/json" } });
    expect(response.status).toBe(413);
    const delivery = await lastDelivery("paycools");
    expect(delivery).toMatchObject({ outcome: "rejected", errorCode: "body_too_large", bodyTruncated: true });
    expect(delivery.body.length).toBe(UNVERIFIED_BODY_BYTES);
    expect(delivery.bodySize).toBeGreaterThan(MAX_BODY_BYTES);
  });

  it("keeps an unsigned body up to 64 KiB, and a signed one whole even when refused", async () => {
    const unsigned = Buffer.from(JSON.stringify({ param: "x".repeat(100_000), sign: "AAAA" }));
    expect((await post("paycools", { body: unsigned, headers: { "content-type": "application/json" } })).status).toBe(401);
    const refused = await lastDelivery("paycools");
    expect(refused).toMatchObject({ errorCode: "signature_invalid", bodyTruncated: true, bodySize: unsigned.length });
    expect(Buffer.from(refused.body).equals(unsigned.subarray(0, UNVERIFIED_BODY_BYTES))).toBe(true);

    // Genuine, and refused by its schema: reprocessing needs every byte.
    const genuine = signed("payermax", { ...payermaxBody(), status: 3, padding: "p".repeat(100_000) });
    const response = await post("payermax", genuine);
    expect(response.status).toBe(422);
    const kept = await lastDelivery("payermax");
    expect(kept).toMatchObject({ errorCode: "payload_invalid", signatureValid: true, bodyTruncated: false });
    expect(Buffer.from(kept.body).equals(genuine.body)).toBe(true);
  });

  it("answers 401 for a missing signature, a forged one, and one made with an unconfigured key", async () => {
    const body = payermaxBody();
    const good = signed("payermax", body);
    const missing = await post("payermax", { body: good.body, headers: { "content-type": "application/json" } });
    expect(missing.status).toBe(401);
    expect((await missing.json()).error.code).toBe("signature_missing");

    const tampered = Buffer.from(good.body);
    const at = tampered.length - 2;
    tampered.writeUInt8(tampered.readUInt8(at) ^ 0x01, at);
    const forged = await post("payermax", { body: tampered, headers: good.headers });
    expect(forged.status).toBe(401);

    const stranger = signPayermax(body, makeKeyPair().privateKey);
    const wrongKey = await post("payermax", stranger);
    expect(wrongKey.status).toBe(401);
    expect(await lastDelivery("payermax")).toMatchObject({ outcome: "rejected", errorCode: "signature_invalid", signatureValid: false });

    const paycoolsForged = signPaycools(paycoolsParam(), makeKeyPair().privateKey);
    expect((await post("paycools", paycoolsForged)).status).toBe(401);

    expect(await database.db.transaction.count({ where: { providerTransactionId: body.tradeOrderNo as string } })).toBe(0);
  });

  it("answers 400 for a body that is not JSON and 422 for a payload that fails its schema", async () => {
    const notJson = await post("paycools", { body: Buffer.from("sign=abc&param=def"), headers: {} });
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).error.code).toBe("body_not_json");

    const unsigned = await post("payermax", signPayermax(Buffer.from("{not json"), keys.payermax.privateKey));
    expect(unsigned.status).toBe(400);

    const badAmount = await post("payermax", signed("payermax", payermaxBody({ amount: "-5" })));
    expect(badAmount.status).toBe(422);
    expect((await badAmount.json()).error.message).toContain("totalAmount");
    expect(await lastDelivery("payermax")).toMatchObject({ outcome: "rejected", httpStatus: 422, signatureValid: true });

    const badStatus = await post("paycools", signed("paycools", { ...paycoolsParam(), transactionStatus: "WEIRD" }));
    expect(badStatus.status).toBe(422);
    expect((await badStatus.json()).error.message).toContain("param.transactionStatus");
  });

  it("answers 503 naming the variable when a provider has no key configured", async () => {
    const saved = process.env.PAYCOOLS_ID_PUBLIC_KEY;
    delete process.env.PAYCOOLS_ID_PUBLIC_KEY;
    resetEnvCache();
    let whole: { id: string } | undefined;
    let capped: { id: string } | undefined;
    try {
      const response = await post("paycools-id", signed("paycools-id", paycoolsIdParam()));
      expect(response.status).toBe(503);
      const { error } = await response.json();
      expect(error.code).toBe("provider_not_configured");
      expect(error.message).toContain("PAYCOOLS_ID_PUBLIC_KEY");
      // Kept whole for reprocessing once the key is set.
      whole = await lastDelivery("paycools-id");
      expect(whole).toMatchObject({ errorCode: "provider_not_configured", bodyTruncated: false });

      // No signature was checked, so the route of a provider without a key is held to the unverified cap.
      const large = Buffer.from(JSON.stringify({ param: "x".repeat(100_000), sign: "AAAA" }));
      expect((await post("paycools-id", { body: large, headers: { "content-type": "application/json" } })).status).toBe(503);
      const kept = await lastDelivery("paycools-id");
      expect(kept).toMatchObject({ errorCode: "provider_not_configured", bodyTruncated: true, bodySize: large.length });
      expect(kept.body.length).toBe(UNVERIFIED_BODY_BYTES);
      capped = kept;
    } finally {
      process.env.PAYCOOLS_ID_PUBLIC_KEY = saved;
      resetEnvCache();
    }
    // With the key set, the whole one is reprocessed; of the capped one there is nothing whole to reprocess, and the refusal says so.
    const script = { role: "admin" as const };
    expect(await reprocessDelivery(database.db, script, whole!.id)).toMatchObject({ ok: true, outcome: "accepted" });
    expect(await reprocessDelivery(database.db, script, capped!.id)).toMatchObject({ ok: false, code: "not_eligible", message: expect.stringMatching(/first 64 KiB/) });
  });

  it("answers 503 quickly, acknowledging nothing, when the database is unreachable", async () => {
    const away = createPostgresClient("postgresql://postgres@127.0.0.1:1/payhook", 2);
    try {
      const started = Date.now();
      const response = await handleWebhook(requestFor("payermax", signed("payermax", payermaxBody())), "payermax", {
        ...deps,
        db: async () => away,
      });
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toBe("30");
      expect((await response.json()).error.code).toBe("database_unavailable");
      // A refused connection is known at once: well before the deadline a silent database gets.
      expect(Date.now() - started).toBeLessThan(DATABASE_DEADLINE_MS / 2);
    } finally {
      await away.$disconnect();
    }
  });

  // Needs no database of its own: once is enough.
  it.runIf(backend === backends[0])("answers 503 at the deadline when the database accepts connections and never answers", async () => {
    // A network partition: TCP connects, nothing ever comes back.
    const sockets: Socket[] = [];
    const silent = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as { port: number };
    const partitioned = createPostgresClient(`postgresql://postgres@127.0.0.1:${port}/payhook`, 2);
    try {
      const started = Date.now();
      const response = await handleWebhook(requestFor("payermax", signed("payermax", payermaxBody())), "payermax", {
        ...deps,
        db: async () => partitioned,
      });
      const elapsed = Date.now() - started;
      expect(response.status).toBe(503);
      expect((await response.json()).error).toMatchObject({ code: "database_unavailable", message: expect.stringMatching(/did not answer in time.*may yet be stored/) });
      expect(elapsed).toBeGreaterThanOrEqual(DATABASE_DEADLINE_MS - 50);
      expect(elapsed).toBeLessThan(DATABASE_DEADLINE_MS + 1_500);
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
      await partitioned.$disconnect();
    }
  });

  it("acknowledges the same notification posted 20 times at once, storing 20 deliveries and one transaction", async () => {
    const param = paycoolsParam();
    const request = signed("paycools", param);
    const responses = await Promise.all(Array.from({ length: 20 }, () => post("paycools", request)));
    expect(responses.map((response) => response.status)).toEqual(Array(20).fill(200));
    for (const response of responses) expect(await response.json()).toEqual(PAYCOOLS_ACK);

    const transactions = await database.db.transaction.findMany({ where: { providerTransactionId: param.transactionId as string } });
    expect(transactions).toHaveLength(1);
    const deliveries = await database.db.delivery.findMany({ where: { transactionId: transactions[0]!.id } });
    expect(deliveries).toHaveLength(20);
    expect(deliveries.filter((delivery) => delivery.outcome === "accepted")).toHaveLength(1);
    expect(deliveries.filter((delivery) => delivery.outcome === "duplicate")).toHaveLength(19);
    expect(await database.db.event.count({ where: { transactionId: transactions[0]!.id } })).toBe(1);
  });

  it("never turns a final state back, and keeps conflicting final states visible", async () => {
    const base = { transactionId: `C9${Date.now()}`, orderId: `OOO-${Date.now()}` };
    expect((await post("paycools", signed("paycools", paycoolsParam({ ...base })))).status).toBe(200);
    expect((await post("paycools", signed("paycools", paycoolsParam({ ...base, pending: true })))).status).toBe(200);
    let transaction = await database.db.transaction.findFirstOrThrow({ where: { providerTransactionId: base.transactionId } });
    expect(transaction.status).toBe("succeeded");
    expect(transaction.statusConflict).toBe(false);

    expect((await post("paycools", signed("paycools", paycoolsParam({ ...base, failed: true })))).status).toBe(200);
    transaction = await database.db.transaction.findFirstOrThrow({ where: { providerTransactionId: base.transactionId } });
    expect(transaction.status).toBe("succeeded");
    expect(transaction.statusConflict).toBe(true);
    expect(transaction.conflictingStatus).toBe("FAILED");
    const events = await database.db.event.findMany({ where: { transactionId: transaction.id }, orderBy: { receivedAt: "asc" } });
    expect(events.map((event) => [event.providerStatus, event.applied])).toEqual([
      ["COMPLETED", true],
      ["PENDING", false],
      ["FAILED", false],
    ]);
  });

  it("moves a pending transaction to its final state when the final notification comes later", async () => {
    const base = { transactionId: `C8${Date.now()}` };
    await post("paycools", signed("paycools", paycoolsParam({ ...base, pending: true })));
    await post("paycools", signed("paycools", paycoolsParam({ ...base })));
    const transaction = await database.db.transaction.findFirstOrThrow({ where: { providerTransactionId: base.transactionId } });
    expect(transaction.status).toBe("succeeded");
  });

  it("flags a PayerMax DUPLICATE_PAYMENT and links it to its original order and trade order", async () => {
    const original = payermaxBody();
    const duplicate = payermaxBody({
      duplicateOf: { orderId: original.orderId as string, tradeOrderNo: original.tradeOrderNo as string },
    });
    await post("payermax", signed("payermax", original));
    expect((await post("payermax", signed("payermax", duplicate))).status).toBe(200);

    const dup = await database.db.transaction.findFirstOrThrow({ where: { providerTransactionId: duplicate.tradeOrderNo as string } });
    const orig = await database.db.transaction.findFirstOrThrow({ where: { providerTransactionId: original.tradeOrderNo as string } });
    expect(dup.duplicateSource).toBe("declared");
    expect(dup.originalProviderTransactionId).toBe(original.tradeOrderNo);
    expect(dup.originalMerchantOrderId).toBe(original.orderId);
    expect(dup.duplicateCaseId).toBeTruthy();
    expect(orig.duplicateCaseId).toBe(dup.duplicateCaseId);
    expect(orig.duplicateSource).toBeNull();
    const duplicateCase = await database.db.duplicateCase.findUniqueOrThrow({ where: { id: dup.duplicateCaseId! } });
    expect(duplicateCase).toMatchObject({ declared: true, merchantOrderId: original.orderId, resolvedAt: null });
  });

  it("links a declared duplicate to its original even when the original arrives second", async () => {
    const original = payermaxBody();
    const duplicate = payermaxBody({
      duplicateOf: { orderId: original.orderId as string, tradeOrderNo: original.tradeOrderNo as string },
    });
    await post("payermax", signed("payermax", duplicate));
    await post("payermax", signed("payermax", original));
    const orig = await database.db.transaction.findFirstOrThrow({ where: { providerTransactionId: original.tradeOrderNo as string } });
    const dup = await database.db.transaction.findFirstOrThrow({ where: { providerTransactionId: duplicate.tradeOrderNo as string } });
    expect(orig.duplicateCaseId).toBe(dup.duplicateCaseId);
  });

  it("detects a second successful payment for a one-time order, on any provider", async () => {
    const orderId = `ONE-${Date.now()}`;
    await post("paycools", signed("paycools", paycoolsParam({ orderId })));
    let flagged = await database.db.transaction.count({ where: { merchantOrderId: orderId, duplicateCaseId: { not: null } } });
    expect(flagged).toBe(0);
    await post("paycools", signed("paycools", paycoolsParam({ orderId })));
    const rows = await database.db.transaction.findMany({ where: { merchantOrderId: orderId }, orderBy: { firstSeenAt: "asc" } });
    expect(rows).toHaveLength(2);
    expect(rows[0]!.duplicateCaseId).toBeTruthy();
    expect(rows[1]!.duplicateCaseId).toBe(rows[0]!.duplicateCaseId);
    expect(rows.map((row) => row.duplicateSource).sort()).toEqual(["detected", null].sort());
    const duplicateCase = await database.db.duplicateCase.findUniqueOrThrow({ where: { id: rows[0]!.duplicateCaseId! } });
    expect(duplicateCase).toMatchObject({ detected: true, declared: false });

    const payermaxOrder = `PMX-${Date.now()}`;
    await post("payermax", signed("payermax", payermaxBody({ orderId: payermaxOrder })));
    await post("payermax", signed("payermax", payermaxBody({ orderId: payermaxOrder })));
    flagged = await database.db.transaction.count({ where: { merchantOrderId: payermaxOrder, duplicateSource: "detected" } });
    expect(flagged).toBe(1);
  });

  it("does not flag repeated payments into a reusable static VA, nor a failed second attempt", async () => {
    const orderId = `VA-${Date.now()}`;
    const referenceNumber = "8558010100012839";
    for (let i = 0; i < 3; i++) {
      await post("paycools-id", signed("paycools-id", paycoolsIdParam({ orderId, referenceNumber })));
    }
    const vaRows = await database.db.transaction.findMany({ where: { merchantOrderId: orderId } });
    expect(vaRows).toHaveLength(3);
    expect(vaRows.every((row) => row.duplicateCaseId === null && row.reusableOrder)).toBe(true);

    const oneTime = `FAIL-${Date.now()}`;
    await post("paycools", signed("paycools", paycoolsParam({ orderId: oneTime })));
    await post("paycools", signed("paycools", paycoolsParam({ orderId: oneTime, failed: true })));
    expect(await database.db.transaction.count({ where: { merchantOrderId: oneTime, duplicateCaseId: { not: null } } })).toBe(0);
  });

  it("detects the duplicate when two payments for one order arrive at the same moment", async () => {
    const orderId = `RACE-${Date.now()}`;
    const responses = await Promise.all(
      Array.from({ length: 4 }, () => post("paycools", signed("paycools", paycoolsParam({ orderId })))),
    );
    expect(responses.every((response) => response.status === 200)).toBe(true);
    const rows = await database.db.transaction.findMany({ where: { merchantOrderId: orderId } });
    expect(rows).toHaveLength(4);
    expect(new Set(rows.map((row) => row.duplicateCaseId)).size).toBe(1);
    expect(rows[0]!.duplicateCaseId).not.toBeNull();
    expect(rows.filter((row) => row.duplicateSource === "detected")).toHaveLength(3);
  });

  // A prepared statement belongs to one connection: a client of one connection shows them all.
  it.runIf(backend === "postgres").each([
    { preparedStatements: true, what: "prepares the ingest's one statement once per connection and reuses it" },
    { preparedStatements: false, what: "prepares nothing when DATABASE_PREPARED_STATEMENTS is false (poolers that cannot keep them)" },
  ])("$what", async ({ preparedStatements }) => {
    const single = createPostgresClient(database.url!, 1, { preparedStatements });
    const prepared = async () =>
      (await postgresPoolOf(single)!.pool.query<{ name: string; statement: string }>("SELECT name, statement FROM pg_prepared_statements")).rows;
    const postOn = (request: SignedRequest) => handleWebhook(requestFor("paycools", request), "paycools", { ...deps, db: async () => single });
    try {
      const pending = paycoolsParam({ pending: true });
      const succeeded = signed("paycools", paycoolsParam({ transactionId: pending.transactionId as string, orderId: pending.mchOrderId as string }));
      // A new transaction, its update, a provider's retry: three paths through one statement.
      for (const request of [signed("paycools", pending), succeeded, succeeded]) expect((await postOn(request)).status).toBe(200);
      const statements = await prepared();
      if (preparedStatements) {
        expect(statements).toHaveLength(1);
        expect(statements[0]!.name).toMatch(/^payhook_/);
        expect(statements[0]!.statement).toContain("FROM ingest_notification(");
      } else {
        expect(statements).toEqual([]);
      }
      const transaction = await database.db.transaction.findFirstOrThrow({
        where: { providerTransactionId: pending.transactionId as string },
        include: { deliveries: true },
      });
      expect(transaction.status).toBe("succeeded");
      expect(transaction.deliveries.map((delivery) => delivery.outcome).sort()).toEqual(["accepted", "accepted", "duplicate"]);
    } finally {
      await single.$disconnect();
    }
  });
});
