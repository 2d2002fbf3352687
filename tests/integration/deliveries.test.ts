import { createPublicKey } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/lib/db/client";
import { recordRejectedDelivery } from "@/lib/deliveries/record-rejected-delivery";
import { deliveriesQuerySchema, findDeliveries, type DeliveriesQuery } from "@/lib/deliveries/find-deliveries";
import { getDelivery } from "@/lib/deliveries/get-delivery";
import { reprocessDelivery } from "@/lib/deliveries/reprocess-delivery";
import { findProvider } from "@/lib/providers/registry";
import { resetEnvCache } from "@/lib/env";
import { fingerprintOf } from "@/lib/providers/keyring";
import { paycoolsParam, payermaxBody } from "@/lib/simulator/samples";
import { signFor, type SignedRequest } from "@/lib/simulator/sign";
import { handleWebhook } from "@/lib/webhooks/handle-webhook";
import { redactHeaders } from "@/lib/webhooks/redact-headers";
import { backends, useTestDatabase } from "../helpers/test-database";
import { installProviderKeys, makeKeyPair, type ProviderName } from "../helpers/test-keys";

// The deliveries list, a delivery's detail and reprocessing, with every
// delivery made by the real webhook handler (or, for "a version of Payhook that
// rejected what today's accepts", stored the way that handler stores refusals).

const keys = installProviderKeys();
const stranger = makeKeyPair();
const admin = { role: "admin" as const };
const viewer = { role: "viewer" as const };
const finance = { role: "finance" as const };

function request(provider: string, signed: SignedRequest, extraHeaders: Record<string, string> = {}, method = "POST"): Request {
  return new Request(`http://localhost/api/webhooks/${provider}`, {
    method,
    headers: { ...signed.headers, "x-forwarded-for": "203.0.113.9", ...extraHeaders },
    body: method === "POST" ? new Uint8Array(signed.body) : undefined,
  });
}

async function send(db: Db, provider: ProviderName, req: Request, at = new Date()): Promise<Response> {
  return handleWebhook(req, provider, { db: async () => db, findProvider, now: () => at });
}

const sign = (provider: ProviderName, payload: Record<string, unknown>) => signFor(provider, payload, keys[provider].privateKey);

/** Stores, as a refusal from an older Payhook would have been, a signed notification today's code accepts. */
async function storeAsOnceRejected(
  db: Db,
  provider: ProviderName,
  signed: SignedRequest,
  receivedAt: Date,
  privateKey = keys[provider].privateKey,
  rejection: { httpStatus: number; errorCode: string; reason: string } = {
    httpStatus: 422,
    errorCode: "payload_invalid",
    reason: "param.transactionStatus: not a status this version knew",
  },
) {
  const headers = redactHeaders(new Headers(signed.headers));
  return recordRejectedDelivery(
    db,
    { provider, method: "POST", receivedAt, headers, sourceIp: "198.51.100.4", body: signed.body, bodySize: signed.body.length, bodyTruncated: false },
    { ...rejection, signatureValid: true, keyFingerprint: fingerprintOf(createPublicKey(privateKey)) },
  );
}

const parse = (params: Record<string, string>): DeliveriesQuery => deliveriesQuerySchema.parse(params);

describe.each(backends)("deliveries (%s)", (backend) => {
  const database = useTestDatabase(backend);
  let db: Db;

  beforeAll(async () => {
    db = database.db;
  });

  it("lists every delivery newest first and filters by provider, outcome and error code", async () => {
    const t = (minute: number) => new Date(Date.UTC(2026, 2, 10, 8, minute));
    const payment = payermaxBody();
    expect((await send(db, "payermax", request("payermax", sign("payermax", payment)), t(1))).status).toBe(200);
    expect((await send(db, "payermax", request("payermax", sign("payermax", payment)), t(2))).status).toBe(200);
    expect((await send(db, "paycools", request("paycools", signFor("paycools", paycoolsParam(), stranger.privateKey)), t(3))).status).toBe(401);
    expect((await send(db, "paycools", request("paycools", sign("paycools", { ...paycoolsParam(), transactionStatus: "SETTLED" })), t(4))).status).toBe(422);
    expect((await send(db, "paycools-id", request("paycools-id", sign("paycools-id", paycoolsParam())), t(5))).status).toBe(200);
    expect((await send(db, "payermax", request("payermax", sign("payermax", payment), {}, "GET"), t(6))).status).toBe(405);

    const all = await findDeliveries(db, parse({}));
    expect(all.rows.map((r) => [r.provider, r.outcome, r.httpStatus, r.errorCode])).toEqual([
      ["payermax", "rejected", 405, "method_not_allowed"],
      ["paycools-id", "accepted", 200, null],
      ["paycools", "rejected", 422, "payload_invalid"],
      ["paycools", "rejected", 401, "signature_invalid"],
      ["payermax", "duplicate", 200, null],
      ["payermax", "accepted", 200, null],
    ]);
    expect(all.newer).toBeNull();
    expect(all.older).toBeNull();
    const [, accepted, payloadInvalid, forged] = all.rows;
    expect(accepted!.transactionId).not.toBeNull();
    expect(accepted!.sourceIp).toBe("203.0.113.9");
    expect(accepted!.signatureValid).toBe(true);
    expect(accepted!.keyFingerprint).toMatch(/^SHA256:/);
    expect(payloadInvalid!.signatureValid).toBe(true);
    expect(payloadInvalid!.reason).toMatch(/SETTLED/);
    expect(forged!.signatureValid).toBe(false);
    expect(forged!.transactionId).toBeNull();

    const pick = async (params: Record<string, string>) => (await findDeliveries(db, parse(params))).rows.map((r) => r.httpStatus);
    expect(await pick({ provider: "payermax" })).toEqual([405, 200, 200]);
    expect(await pick({ outcome: "rejected" })).toEqual([405, 422, 401]);
    expect(await pick({ outcome: "duplicate" })).toEqual([200]);
    expect(await pick({ provider: "paycools", outcome: "rejected", errorCode: "signature_invalid" })).toEqual([401]);
    expect(await pick({ errorCode: "payload_invalid" })).toEqual([422]);
    // Values the list cannot use are ignored rather than failing the page.
    expect(parse({ provider: "stripe", outcome: "lost", errorCode: "<script>", after: "nonsense" })).toEqual({});
  });

  it("pages by keyset through deliveries that share a receipt time", async () => {
    const same = new Date(Date.UTC(2026, 2, 11, 0, 0));
    for (let i = 0; i < 7; i++) {
      expect((await send(db, "paycools", request("paycools", signFor("paycools", paycoolsParam(), stranger.privateKey)), same)).status).toBe(401);
    }
    const everything = (await findDeliveries(db, parse({}), 1000)).rows.map((r) => r.id);
    expect(everything).toHaveLength(13);

    const seen: string[] = [];
    const pages: { newer: string | null; ids: string[] }[] = [];
    let page = await findDeliveries(db, parse({}), 3);
    for (;;) {
      pages.push({ newer: page.newer, ids: page.rows.map((r) => r.id) });
      seen.push(...page.rows.map((r) => r.id));
      if (!page.older) break;
      page = await findDeliveries(db, parse({ after: page.older }), 3);
    }
    expect(seen).toEqual(everything);
    expect(pages).toHaveLength(5);

    // Going back from the last page gives the pages seen on the way out.
    const fourth = await findDeliveries(db, parse({ before: pages[4]!.newer! }), 3);
    expect(fourth.rows.map((r) => r.id)).toEqual(pages[3]!.ids);
    const first = await findDeliveries(db, parse({ before: pages[1]!.newer! }), 3);
    expect(first.rows.map((r) => r.id)).toEqual(pages[0]!.ids);
    expect(first.newer).toBeNull();
  });

  it("lists the refusals from one sender address, newest first, paged by keyset, within the other filters", async () => {
    const t = (second: number) => new Date(Date.UTC(2026, 2, 12, 9, 0, second));
    const from = (address: string) => ({ "x-forwarded-for": address });
    const forged = (provider: ProviderName) => signFor(provider, provider === "payermax" ? payermaxBody() : paycoolsParam(), stranger.privateKey);
    const sender = "198.51.100.50";
    // Five refusals from the sender (two providers), one of its notifications accepted, and a refusal from elsewhere.
    for (const [i, provider] of (["paycools", "payermax", "paycools", "paycools", "payermax"] as const).entries()) {
      expect((await send(db, provider, request(provider, forged(provider), from(sender)), t(i))).status).toBe(401);
    }
    expect((await send(db, "paycools", request("paycools", sign("paycools", paycoolsParam()), from(sender)), t(10))).status).toBe(200);
    expect((await send(db, "paycools", request("paycools", forged("paycools"), from("198.51.100.51")), t(11))).status).toBe(401);

    const times = async (params: Record<string, string>, pageSize?: number) =>
      (await findDeliveries(db, parse(params), pageSize)).rows.map((r) => `${r.receivedAt.getUTCSeconds()}s ${r.provider} ${r.outcome}`);
    expect(await times({ sender })).toEqual(["4s payermax rejected", "3s paycools rejected", "2s paycools rejected", "1s payermax rejected", "0s paycools rejected"]);
    expect(await times({ sender, provider: "payermax" })).toEqual(["4s payermax rejected", "1s payermax rejected"]);
    expect(await times({ sender, outcome: "rejected", errorCode: "signature_invalid", provider: "paycools" })).toEqual([
      "3s paycools rejected",
      "2s paycools rejected",
      "0s paycools rejected",
    ]);
    // Its accepted notification is not among its refusals; asked for, the list is empty rather than slow.
    expect(await times({ sender, outcome: "accepted" })).toEqual([]);
    expect(await times({ sender: "192.0.2.1" })).toEqual([]);

    // Two at a time, out and back again.
    const pages: { ids: string[]; newer: string | null; older: string | null }[] = [];
    let page = await findDeliveries(db, parse({ sender }), 2);
    for (;;) {
      pages.push({ ids: page.rows.map((r) => r.id), newer: page.newer, older: page.older });
      if (!page.older) break;
      page = await findDeliveries(db, parse({ sender, after: page.older }), 2);
    }
    expect(pages.map((p) => p.ids.length)).toEqual([2, 2, 1]);
    const back = await findDeliveries(db, parse({ sender, before: pages[2]!.newer! }), 2);
    expect(back.rows.map((r) => r.id)).toEqual(pages[1]!.ids);
    const first = await findDeliveries(db, parse({ sender, before: pages[1]!.newer! }), 2);
    expect(first.rows.map((r) => r.id)).toEqual(pages[0]!.ids);
    expect(first.newer).toBeNull();
    // A control character is no address: ignored, as any value the list cannot use.
    expect(parse({ sender: "198.51.100.50\u0000" })).toEqual({});

    // The other filters narrow the sender's refusals before a page is cut, not after: two paycools refusals a page
    // reach the third, behind the payermax ones between them.
    const paycoolsPages: number[] = [];
    let narrowed = await findDeliveries(db, parse({ sender, provider: "paycools" }), 2);
    for (;;) {
      paycoolsPages.push(narrowed.rows.length);
      if (!narrowed.older) break;
      narrowed = await findDeliveries(db, parse({ sender, provider: "paycools", after: narrowed.older }), 2);
    }
    expect(paycoolsPages).toEqual([2, 1]);

    // A page past the last is empty and keeps its way back.
    const beyond = await findDeliveries(db, parse({ sender, after: Buffer.from(`${t(0).toISOString()}|00000000-0000-7000-8000-000000000000`).toString("base64url") }), 2);
    expect(beyond.rows).toEqual([]);
    expect(beyond.newer).not.toBeNull();
  });

  it("searches within a sender's refusals however many are newer than the match", async () => {
    const sender = "198.51.100.60";
    const base = Date.UTC(2026, 2, 13, 9, 0);
    const marker = `MARK${Date.now()}`;
    // 60 refusals from the sender, the oldest naming the order: more than a page (and its one extra) are newer.
    for (let i = 0; i < 60; i++) {
      const body = Buffer.from(JSON.stringify({ param: i === 0 ? marker : `other ${i}` }));
      await recordRejectedDelivery(
        db,
        { provider: "paycools", method: "POST", receivedAt: new Date(base + i * 1000), headers: {}, sourceIp: sender, body, bodySize: body.length, bodyTruncated: false },
        { httpStatus: 401, errorCode: "signature_missing", reason: "no signature" },
      );
    }
    const found = await findDeliveries(db, parse({ sender, q: marker }));
    expect(found.rows.map((r) => r.receivedAt.getTime())).toEqual([base]);
    expect((await findDeliveries(db, parse({ sender: "198.51.100.61", q: marker }))).rows).toEqual([]);
  });

  it("ignores a page cursor naming a time this server never wrote", () => {
    const id = "0190f000-0000-7000-8000-000000000000";
    const cursor = (time: string) => Buffer.from(`${time}|${id}`).toString("base64url");
    expect(parse({ after: cursor("2026-03-10T08:00:00.000Z") }).after).toEqual({ receivedAt: new Date("2026-03-10T08:00:00.000Z"), id });
    for (const time of ["0000-06-01T00:00:00.000Z", "2024-02-30T00:00:00.000Z", "2026-03-10 08:00", "-000001-01-01T00:00:00.000Z"]) {
      expect(parse({ after: cursor(time), before: cursor(time) }), time).toEqual({});
    }
  });

  it("finds by order id the deliveries of its transaction and the refusals whose body holds it", async () => {
    const t = (minute: number) => new Date(Date.UTC(2026, 2, 20, 9, minute));
    const orderId = "SEARCH-ORDER-77";
    const param = paycoolsParam({ orderId, referenceNumber: "8558000077000001" });
    // A forgery naming the order, refused; then the genuine notification and its retry.
    expect((await send(db, "paycools", request("paycools", signFor("paycools", param, stranger.privateKey)), t(1))).status).toBe(401);
    expect((await send(db, "paycools", request("paycools", sign("paycools", param)), t(2))).status).toBe(200);
    expect((await send(db, "paycools", request("paycools", sign("paycools", param)), t(3))).status).toBe(200);
    // Another order entirely.
    expect((await send(db, "paycools", request("paycools", sign("paycools", paycoolsParam({ orderId: "SEARCH-OTHER-1" }))), t(4))).status).toBe(200);

    const found = async (params: Record<string, string>) =>
      (await findDeliveries(db, parse(params))).rows.map((r) => `${r.outcome}${r.errorCode ? ` ${r.errorCode}` : ""}`);
    expect(await found({ q: orderId })).toEqual(["duplicate", "accepted", "rejected signature_invalid"]);
    expect(await found({ q: ` ${orderId} ` })).toEqual(["duplicate", "accepted", "rejected signature_invalid"]);
    // The VA number and the provider's transaction id name the same transaction.
    expect(await found({ q: "8558000077000001" })).toEqual(["duplicate", "accepted", "rejected signature_invalid"]);
    expect(await found({ q: String(param.transactionId) })).toEqual(["duplicate", "accepted", "rejected signature_invalid"]);
    // Combined with the other filters.
    expect(await found({ q: orderId, outcome: "rejected" })).toEqual(["rejected signature_invalid"]);
    expect(await found({ q: "SEARCH-NOTHING-9" })).toEqual([]);
    // Too short to search: ignored, as an unusable filter is.
    expect(parse({ q: "SE" })).toEqual({});
  });

  it("shows a delivery's redacted headers and its body as stored, flagging bytes that are not UTF-8", async () => {
    const signed = sign("payermax", payermaxBody());
    await send(db, "payermax", request("payermax", signed, { authorization: "Bearer hunter2", "x-session-id": "abc" }));
    const [stored] = (await findDeliveries(db, parse({ provider: "payermax" }), 1)).rows;
    const detail = await getDelivery(db, stored!.id);
    const headers = new Map(detail!.headers);
    expect(headers.get("authorization")).toBe("[redacted]");
    expect(headers.get("x-session-id")).toBe("[redacted]");
    expect(headers.get("sign")).toBe(signed.headers.sign);
    expect(detail!.body).toEqual({ text: signed.body.toString("utf8"), validUtf8: true, startsWithBom: false, storedBytes: signed.body.length });
    expect(detail!.transaction?.amount).toBe("33.5");

    const bytes = Buffer.concat([Buffer.from('{"param":"'), Buffer.from([0xff, 0xfe]), Buffer.from('<b>x</b>"}')]);
    const response = await send(db, "paycools", new Request("http://localhost/api/webhooks/paycools", { method: "POST", body: bytes }));
    expect(response.status).toBe(400);
    const [bad] = (await findDeliveries(db, parse({ errorCode: "body_not_utf8" }), 1)).rows;
    const badDetail = await getDelivery(db, bad!.id);
    expect(badDetail!.body.validUtf8).toBe(false);
    expect(badDetail!.body.text).toBe('{"param":"\uFFFD\uFFFD<b>x</b>"}');
    expect(badDetail!.body.storedBytes).toBe(bytes.length);

    expect(await getDelivery(db, "not-a-uuid")).toBeNull();
    expect(await getDelivery(db, "00000000-0000-7000-8000-000000000000")).toBeNull();
  });

  it("refuses to reprocess for a viewer, for a delivery that was not rejected as a genuine invalid payload, and when it still fails", async () => {
    const [settled] = (await findDeliveries(db, parse({ errorCode: "payload_invalid" }), 1)).rows;
    const [accepted] = (await findDeliveries(db, parse({ outcome: "accepted" }), 1)).rows;
    const [forged] = (await findDeliveries(db, parse({ errorCode: "signature_invalid" }), 1)).rows;
    const before = await db.delivery.count();

    expect(await reprocessDelivery(db, viewer, settled!.id)).toMatchObject({ ok: false, code: "forbidden" });
    // Reprocessing is an engineer's fix, not a resolution: finance may not either.
    expect(await reprocessDelivery(db, finance, settled!.id)).toMatchObject({ ok: false, code: "forbidden", message: "Only an admin can reprocess a delivery." });
    expect(await reprocessDelivery(db, admin, accepted!.id)).toMatchObject({ ok: false, code: "not_eligible", message: expect.stringMatching(/accepted, not rejected/) });
    expect(await reprocessDelivery(db, admin, forged!.id)).toMatchObject({ ok: false, code: "not_eligible", message: expect.stringMatching(/signature_invalid/) });
    expect(await reprocessDelivery(db, admin, "00000000-0000-7000-8000-000000000000")).toMatchObject({ ok: false, code: "not_found" });

    const still = await reprocessDelivery(db, admin, settled!.id);
    expect(still).toMatchObject({ ok: false, code: "still_rejected", errorCode: "payload_invalid" });
    expect(!still.ok && still.message).toMatch(/param\.transactionStatus: "SETTLED" is not a status Payhook knows/);

    expect(await db.delivery.count()).toBe(before);
    expect((await db.delivery.findUniqueOrThrow({ where: { id: settled!.id } })).reprocessedAt).toBeNull();
  });

  it("reprocesses a genuine delivery today's code accepts, once, and links both deliveries to its transaction", async () => {
    const receivedAt = new Date(Date.UTC(2026, 2, 12, 3, 0));
    const signed = sign("paycools", paycoolsParam({ amount: 123456 }));
    const originalId = await storeAsOnceRejected(db, "paycools", signed, receivedAt);

    const result = await reprocessDelivery(db, admin, originalId);
    if (!result.ok) throw new Error(result.message);
    expect(result.outcome).toBe("accepted");

    const original = await db.delivery.findUniqueOrThrow({ where: { id: originalId } });
    expect(original.outcome).toBe("rejected");
    expect(original.reprocessedAt).not.toBeNull();
    expect(original.transactionId).toBe(result.transactionId);

    const created = await db.delivery.findUniqueOrThrow({ where: { id: result.deliveryId } });
    expect(created).toMatchObject({ outcome: "accepted", httpStatus: 200, transactionId: result.transactionId, receivedAt, sourceIp: "198.51.100.4" });
    expect(Buffer.from(created.body).equals(signed.body)).toBe(true);
    const transaction = await db.transaction.findUniqueOrThrow({ where: { id: result.transactionId } });
    expect(transaction.amount.toString()).toBe("1234.56");
    expect(transaction.firstSeenAt).toEqual(receivedAt);

    expect((await getDelivery(db, originalId))!.reprocessedInto?.id).toBe(result.deliveryId);
    expect((await getDelivery(db, result.deliveryId))!.reprocessedFrom?.id).toBe(originalId);

    const count = await db.delivery.count();
    expect(await reprocessDelivery(db, admin, originalId)).toMatchObject({ ok: false, code: "already_reprocessed" });
    expect(await db.delivery.count()).toBe(count);
  });

  it("reprocesses a genuine delivery Payhook failed to store, and one refused while the provider had no key", async () => {
    const failed = sign("paycools", paycoolsParam({ amount: 4321 }));
    const failedId = await storeAsOnceRejected(db, "paycools", failed, new Date(Date.UTC(2026, 2, 12, 5, 0)), undefined, {
      httpStatus: 500,
      errorCode: "internal_error",
      reason: "the notification could not be stored because of an error in Payhook",
    });
    // Done from the page, the admin is kept on the delivery.
    const finance = await db.user.create({
      data: { email: `reprocessing-admin-${backend}@example.com`, role: "admin", passwordHash: "not-a-real-hash" },
      select: { id: true, email: true },
    });
    expect(await reprocessDelivery(db, { role: "admin", id: finance.id }, failedId)).toMatchObject({ ok: true, outcome: "accepted" });
    expect(await getDelivery(db, failedId)).toMatchObject({ reprocessedAt: expect.any(Date), reprocessedBy: { email: finance.email } });

    // The key variable is missing: the real route refuses with 503 before checking anything, and keeps the request.
    const variable = "PAYCOOLS_PUBLIC_KEY";
    const configured = process.env[variable];
    delete process.env[variable];
    resetEnvCache();
    const early = sign("paycools", paycoolsParam({ amount: 8765 }));
    const forgedEarly = signFor("paycools", paycoolsParam({ amount: 9999 }), stranger.privateKey);
    try {
      expect((await send(db, "paycools", request("paycools", early))).status).toBe(503);
      expect((await send(db, "paycools", request("paycools", forgedEarly))).status).toBe(503);
    } finally {
      process.env[variable] = configured;
      resetEnvCache();
    }
    const refused = (await findDeliveries(db, parse({ errorCode: "provider_not_configured" }), 10)).rows;
    const stored = await Promise.all(refused.map((row) => db.delivery.findUniqueOrThrow({ where: { id: row.id } })));
    const genuine = stored.find((row) => Buffer.from(row.body).equals(early.body))!;
    const forged = stored.find((row) => Buffer.from(row.body).equals(forgedEarly.body))!;
    expect(genuine.signatureValid).toBeNull();

    const result = await reprocessDelivery(db, admin, genuine.id);
    expect(result).toMatchObject({ ok: true, outcome: "accepted" });
    const transaction = await db.transaction.findUniqueOrThrow({ where: { id: result.ok ? result.transactionId : "" } });
    expect(transaction.amount.toString()).toBe("87.65");
    // Refused before any check, so reprocessing is its first: bytes no configured key signed stay out.
    expect(await reprocessDelivery(db, admin, forged.id)).toMatchObject({ ok: false, code: "signature_failed" });
    expect((await db.delivery.findUniqueOrThrow({ where: { id: forged.id } })).reprocessedAt).toBeNull();
  });

  it("refuses a genuine PayerMax notification for another merchant id, and reprocesses it once the id is added", async () => {
    const saved = process.env.PAYERMAX_MERCHANT_IDS;
    const configure = (ids: string | undefined) => {
      if (ids === undefined) delete process.env.PAYERMAX_MERCHANT_IDS;
      else process.env.PAYERMAX_MERCHANT_IDS = ids;
      resetEnvCache();
    };
    try {
      configure("SP00000001, SP35661109");
      expect((await send(db, "payermax", request("payermax", sign("payermax", payermaxBody({ amount: "1.11" }))))).status).toBe(200);

      // Signed with PayerMax's own key, as every PayerMax merchant's notifications are, but for someone else.
      const foreign = sign("payermax", { ...payermaxBody({ amount: "2.22" }), merchantId: "SP99999999" });
      const response = await send(db, "payermax", request("payermax", foreign));
      expect(response.status).toBe(422);
      expect(await response.json()).toMatchObject({ error: { code: "merchant_mismatch", message: expect.stringMatching(/"SP99999999".*PAYERMAX_MERCHANT_IDS/) } });
      expect(await db.transaction.count({ where: { provider: "payermax", amount: "2.22" } })).toBe(0);
      const [refused] = (await findDeliveries(db, parse({ errorCode: "merchant_mismatch" }), 1)).rows;
      expect((await db.delivery.findUniqueOrThrow({ where: { id: refused!.id } })).signatureValid).toBe(true);

      expect(await reprocessDelivery(db, admin, refused!.id)).toMatchObject({ ok: false, code: "still_rejected", errorCode: "merchant_mismatch" });
      configure("SP00000001,SP35661109,SP99999999");
      expect(await reprocessDelivery(db, admin, refused!.id)).toMatchObject({ ok: true, outcome: "accepted" });
      expect(await db.transaction.count({ where: { provider: "payermax", amount: "2.22" } })).toBe(1);
    } finally {
      configure(saved);
    }
  });

  it.each([
    ["paycools", "PAYCOOLS_ORDER_ID_PREFIXES"],
    ["paycools-id", "PAYCOOLS_ID_ORDER_ID_PREFIXES"],
  ] as const)("refuses a genuine %s notification whose order id starts with none of the merchant's prefixes, and reprocesses it once its prefix is added", async (provider, variable) => {
    const saved = process.env[variable];
    const configure = (prefixes: string | undefined) => {
      if (prefixes === undefined) delete process.env[variable];
      else process.env[variable] = prefixes;
      resetEnvCache();
    };
    try {
      configure(" SHOP-, APP-");
      expect((await send(db, provider, request(provider, sign(provider, paycoolsParam({ orderId: `APP-${provider}-1`, amount: 11100 }))))).status).toBe(200);

      // Signed with PayCools' own key, as every PayCools merchant's notifications are, but another merchant's order.
      const foreign = sign(provider, paycoolsParam({ orderId: `THEIRS-${provider}-1`, amount: 22200 }));
      const response = await send(db, provider, request(provider, foreign));
      expect(response.status).toBe(422);
      expect(await response.json()).toMatchObject({
        error: { code: "merchant_mismatch", message: expect.stringContaining(`"THEIRS-${provider}-1" starts with none of this merchant's prefixes (${variable})`) },
      });
      // Which prefixes get through is not told to the sender.
      expect(JSON.stringify(await send(db, provider, request(provider, foreign)).then((r) => r.json()))).not.toMatch(/SHOP-|APP-/);
      expect(await db.transaction.count({ where: { merchantOrderId: `THEIRS-${provider}-1` } })).toBe(0);
      const [refused] = (await findDeliveries(db, parse({ provider, errorCode: "merchant_mismatch" }), 1)).rows;
      expect((await db.delivery.findUniqueOrThrow({ where: { id: refused!.id } })).signatureValid).toBe(true);

      expect(await reprocessDelivery(db, admin, refused!.id)).toMatchObject({ ok: false, code: "still_rejected", errorCode: "merchant_mismatch" });
      configure("SHOP-,APP-,THEIRS-");
      expect(await reprocessDelivery(db, admin, refused!.id)).toMatchObject({ ok: true, outcome: "accepted" });
      expect(await db.transaction.count({ where: { merchantOrderId: `THEIRS-${provider}-1` } })).toBe(1);
      // Unset, any order id is taken, as before.
      configure(undefined);
      expect((await send(db, provider, request(provider, sign(provider, paycoolsParam({ orderId: `ANY-${provider}-1` }))))).status).toBe(200);
    } finally {
      configure(saved);
    }
  });

  it("reads PayerMax's signature from the stored headers, and records a retry that was accepted meanwhile as a duplicate", async () => {
    const signed = sign("payermax", payermaxBody({ amount: "10.01" }));
    const originalId = await storeAsOnceRejected(db, "payermax", signed, new Date(Date.UTC(2026, 2, 12, 4, 0)));
    // The provider retried after the fix and the retry went through first.
    expect((await send(db, "payermax", request("payermax", signed))).status).toBe(200);

    const result = await reprocessDelivery(db, admin, originalId);
    expect(result).toMatchObject({ ok: true, outcome: "duplicate" });
    const transactions = await db.transaction.count({ where: { provider: "payermax", amount: "10.01" } });
    expect(transactions).toBe(1);
  });

  it("refuses bytes whose stored signature does not verify with the keys configured now", async () => {
    // Signed with a key that is not (or no longer) configured for PayCools.
    const signed = signFor("paycools", paycoolsParam(), stranger.privateKey);
    const originalId = await storeAsOnceRejected(db, "paycools", signed, new Date(), stranger.privateKey);
    const result = await reprocessDelivery(db, admin, originalId);
    expect(result).toMatchObject({ ok: false, code: "signature_failed", errorCode: "signature_invalid" });
    expect((await db.delivery.findUniqueOrThrow({ where: { id: originalId } })).reprocessedAt).toBeNull();
  });
});
