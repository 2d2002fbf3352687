import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { samplePayload } from "@/lib/simulator/samples";
import { signFor, signPaycools, signPayermax } from "@/lib/simulator/sign";
import { KEY_VARIABLES, restoreEnv, setEnv, type ProviderName } from "./support/env";
import { paycoolsGlobalExample, payermaxExample, payermaxExampleBytes } from "./support/fixtures";
import { generateNodeKey, type NodeKey } from "./support/node-keys";
import { createWorkspace, opensslVerify, type Workspace } from "./support/openssl";
import { accepted, deliver } from "./support/pipeline";

// What the simulator signs must pass the real verification path, and an
// independent verifier (openssl) must agree that it is SHA256withRSA.

const PROVIDERS = Object.keys(KEY_VARIABLES) as ProviderName[];

let key: NodeKey;
let workspace: Workspace;
let publicKeyPemPath: string;

beforeAll(async () => {
  [key, workspace] = await Promise.all([generateNodeKey(2048), createWorkspace()]);
  publicKeyPemPath = join(workspace.dir, "simulator.pub.pem");
  await writeFile(publicKeyPemPath, key.publicKeyPem);
});

afterAll(async () => {
  await workspace?.remove();
});

afterEach(restoreEnv);

function configureAll(): void {
  setEnv(Object.fromEntries(PROVIDERS.map((provider) => [KEY_VARIABLES[provider], key.publicKeyBase64])));
}

describe("simulator signatures", () => {
  it.each(PROVIDERS)("a %s sample signed by the simulator is accepted with the key's fingerprint", async (provider) => {
    configureAll();
    const payload = samplePayload(provider, { orderId: "ORD-1", transactionId: "TX-1" });
    const request = signFor(provider, payload, key.privateKey);

    const result = accepted(await deliver(provider, request.body, request.headers));

    expect(result.fingerprint).toBe(key.fingerprint);
    expect(result).toMatchObject({ provider, merchantOrderId: "ORD-1", providerTransactionId: "TX-1", status: "succeeded" });
    expect(result.payload).toEqual(payload);
  });

  it.each(PROVIDERS)("a %s sample signed with another key is refused", async (provider) => {
    configureAll();
    const other = await generateNodeKey(2048);
    const request = signFor(provider, samplePayload(provider), other.privateKey);

    const result = await deliver(provider, request.body, request.headers);

    expect(result).toMatchObject({ ok: false, stage: "verify", code: "signature_invalid" });
  });

  it("openssl verifies the simulator's PayCools signature over the param text", async () => {
    const request = signPaycools(paycoolsGlobalExample().param, key.privateKey);
    const envelope = JSON.parse(request.body.toString("utf8")) as { sign: string; param: string };

    expect(envelope.param).toBe(paycoolsGlobalExample().param);
    expect(await opensslVerify(workspace.dir, publicKeyPemPath, Buffer.from(envelope.param, "utf8"), envelope.sign)).toBe(true);
    expect(await opensslVerify(workspace.dir, publicKeyPemPath, Buffer.from(`${envelope.param} `, "utf8"), envelope.sign)).toBe(false);
  });

  it("openssl verifies the simulator's PayerMax signature over the raw body", async () => {
    const request = signPayermax(payermaxExample(), key.privateKey);
    const signature = request.headers.sign;
    expect(signature).toBeDefined();

    expect(await opensslVerify(workspace.dir, publicKeyPemPath, request.body, signature!)).toBe(true);
  });

  it("signs a PayCools param given as text exactly as given", async () => {
    configureAll();
    const param = paycoolsGlobalExample().param;

    const result = accepted(await deliver("paycools", signPaycools(param, key.privateKey).body));

    expect(result.eventKey).toBe("C1032653961085706055:order.payment.success:COMPLETED");
  });

  it("signs a PayerMax body given as bytes exactly as given, BOM included", async () => {
    configureAll();
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), payermaxExampleBytes()]);
    const request = signPayermax(withBom, key.privateKey);

    expect(request.body.equals(withBom)).toBe(true);
    const result = accepted(await deliver("payermax", request.body, request.headers));
    expect(result.eventKey).toBe("TOKEN202304111948856115:1");
  });

  it("sends JSON with the signature where each provider puts it", () => {
    const paycools = signFor("paycools", samplePayload("paycools"), key.privateKey);
    const payermax = signFor("payermax", samplePayload("payermax"), key.privateKey);

    expect(paycools.headers).toEqual({ "content-type": "application/json" });
    expect(Object.keys(JSON.parse(paycools.body.toString("utf8")) as object).sort()).toEqual(["param", "sign"]);
    expect(payermax.headers["content-type"]).toBe("application/json");
    expect(payermax.headers.sign).toMatch(/^[A-Za-z0-9+/]{342}==$/);
  });
});

describe("simulator samples through the adapters", () => {
  it.each([
    ["paycools", { failed: true }, "payment", "failed"],
    ["paycools", { pending: true }, "payment", "pending"],
    ["paycools", { kind: "payout" }, "payout", "succeeded"],
    ["paycools", { kind: "refund", failed: true }, "refund", "failed"],
    ["paycools-id", { failed: true }, "payment", "failed"],
    ["payermax", { failed: true }, "payment", "failed"],
  ] as const)("a %s sample with %j reads as a %s that is %s", async (provider, options, kind, status) => {
    configureAll();
    const request = signFor(provider, samplePayload(provider, options), key.privateKey);

    const result = accepted(await deliver(provider, request.body, request.headers));

    expect(result).toMatchObject({ kind, status });
  });

  it("a PayerMax duplicate sample reads as a declared duplicate of its original", async () => {
    configureAll();
    const payload = samplePayload("payermax", { duplicateOf: { orderId: "ORD-9", tradeOrderNo: "TOKEN9" } });
    const request = signFor("payermax", payload, key.privateKey);

    const result = accepted(await deliver("payermax", request.body, request.headers));

    expect(result).toMatchObject({ declaredDuplicate: true, originalMerchantOrderId: "ORD-9", originalProviderTransactionId: "TOKEN9" });
  });

  it("a PayCools Indonesia sample is a reusable static VA payment", async () => {
    configureAll();
    const request = signFor("paycools-id", samplePayload("paycools-id", { referenceNumber: "8558000000000001" }), key.privateKey);

    const result = accepted(await deliver("paycools-id", request.body, request.headers));

    expect(result).toMatchObject({ referenceNumber: "8558000000000001", reusableOrder: true, currency: "IDR" });
  });
});
