import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { KEY_VARIABLES, restoreEnv, setEnv, type ProviderName } from "./support/env";
import { paycoolsGlobalExample, paycoolsIndonesiaExample, payermaxExample, payermaxExampleBytes, payermaxExampleSignature } from "./support/fixtures";
import { generateNodeKey, loadNodeKey, nodeSign } from "./support/node-keys";
import { createWorkspace, generateRsaKey, opensslSign, type Workspace } from "./support/openssl";
import { accepted, deliver } from "./support/pipeline";

// Signatures made by two independent signers — node:crypto in-process and the
// openssl command-line tool — checked through the adapters' real verification path.

type PublicKey = { publicKeyBase64: string; publicKeyPem: string; fingerprint: string };
type KeyName = "old" | "new" | "big";
type Signer = { keys: Record<KeyName, PublicKey>; sign(key: KeyName, bytes: Buffer): Promise<string> };

const signers: Partial<Record<"node:crypto" | "openssl", Signer>> = {};
let workspace: Workspace;

beforeAll(async () => {
  workspace = await createWorkspace();
  const dir = workspace.dir;
  // One 4096-bit key, made by openssl and loaded into node:crypto too: such keys are slow to generate.
  const [nodeOld, nodeNew, sslOld, sslNew, sslBig] = await Promise.all([
    generateNodeKey(2048),
    generateNodeKey(2048),
    generateRsaKey(dir, "old", 2048),
    generateRsaKey(dir, "new", 2048),
    generateRsaKey(dir, "big", 4096),
  ]);
  const nodeBig = await loadNodeKey(sslBig.privateKeyPath);
  const nodeKeys = { old: nodeOld, new: nodeNew, big: nodeBig };
  signers["node:crypto"] = { keys: nodeKeys, sign: async (key, bytes) => nodeSign(nodeKeys[key], bytes) };
  const sslKeys = { old: sslOld, new: sslNew, big: sslBig };
  signers.openssl = { keys: sslKeys, sign: (key, bytes) => opensslSign(dir, sslKeys[key].privateKeyPath, bytes) };
}, 120_000);

afterAll(async () => {
  await workspace?.remove();
});

afterEach(restoreEnv);

function signerNamed(name: "node:crypto" | "openssl"): Signer {
  const signer = signers[name];
  if (!signer) throw new Error(`signer ${name} was not set up`);
  return signer;
}

function configure(provider: ProviderName, value: string): void {
  setEnv({ [KEY_VARIABLES[provider]]: value });
}

function envelope(param: string, sign?: unknown): Buffer {
  return Buffer.from(JSON.stringify(sign === undefined ? { param } : { sign, param }), "utf8");
}

function flipByte(bytes: Buffer, index: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[index] = copy[index]! ^ 0x01;
  return copy;
}

const globalParam = () => paycoolsGlobalExample().param;
const indonesiaParam = () => paycoolsIndonesiaExample().param;

describe.each(["node:crypto", "openssl"] as const)("signatures made by %s", (signerName) => {
  it("accepts a PayCools notification signed over its param and records the verifying key's fingerprint", async () => {
    const signer = signerNamed(signerName);
    configure("paycools", signer.keys.old.publicKeyBase64);
    const param = globalParam();
    const signature = await signer.sign("old", Buffer.from(param, "utf8"));
    expect(signature).toHaveLength(344);

    const result = accepted(await deliver("paycools", envelope(param, signature)));

    expect(result.fingerprint).toBe(signer.keys.old.fingerprint);
    expect(result.providerTransactionId).toBe("C1032653961085706055");
  });

  it("accepts a PayCools Indonesia notification signed over its param", async () => {
    const signer = signerNamed(signerName);
    configure("paycools-id", signer.keys.new.publicKeyBase64);
    const param = indonesiaParam();
    const signature = await signer.sign("new", Buffer.from(param, "utf8"));

    const result = accepted(await deliver("paycools-id", envelope(param, signature)));

    expect(result.fingerprint).toBe(signer.keys.new.fingerprint);
    expect(result.referenceNumber).toBe("8558010100012839");
  });

  it("accepts a PayerMax body signed over its raw bytes with the signature in the sign header", async () => {
    const signer = signerNamed(signerName);
    configure("payermax", signer.keys.old.publicKeyBase64);
    const body = payermaxExampleBytes();
    const signature = await signer.sign("old", body);

    const result = accepted(await deliver("payermax", body, { sign: signature }));

    expect(result.fingerprint).toBe(signer.keys.old.fingerprint);
    expect(result.payload).toEqual(payermaxExample());
  });

  it("refuses a PayCools param with one byte flipped after signing", async () => {
    const signer = signerNamed(signerName);
    configure("paycools", signer.keys.old.publicKeyBase64);
    const param = Buffer.from(globalParam(), "utf8");
    const signature = await signer.sign("old", param);
    const tampered = flipByte(param, param.indexOf("50000")).toString("utf8");
    expect(tampered).toContain('"amount":40000');

    const result = await deliver("paycools", envelope(tampered, signature));

    expect(result).toMatchObject({ ok: false, stage: "verify", status: 401, code: "signature_invalid" });
  });

  it("refuses a PayerMax body with one byte flipped after signing", async () => {
    const signer = signerNamed(signerName);
    configure("payermax", signer.keys.old.publicKeyBase64);
    const body = payermaxExampleBytes();
    const signature = await signer.sign("old", body);
    const tampered = flipByte(body, body.indexOf("33.50"));

    const result = await deliver("payermax", tampered, { sign: signature });

    expect(result).toMatchObject({ ok: false, stage: "verify", status: 401, code: "signature_invalid" });
  });

  it("refuses a signature with one bit flipped", async () => {
    const signer = signerNamed(signerName);
    configure("payermax", signer.keys.old.publicKeyBase64);
    const body = payermaxExampleBytes();
    const signature = Buffer.from(await signer.sign("old", body), "base64");
    const tampered = flipByte(signature, 100).toString("base64");

    const result = await deliver("payermax", body, { sign: tampered });

    expect(result).toMatchObject({ ok: false, stage: "verify", code: "signature_invalid" });
  });

  it("refuses a signature made with a key that is not configured", async () => {
    const signer = signerNamed(signerName);
    configure("paycools", signer.keys.old.publicKeyBase64);
    const param = globalParam();
    const signature = await signer.sign("new", Buffer.from(param, "utf8"));

    const result = await deliver("paycools", envelope(param, signature));

    expect(result).toMatchObject({ ok: false, stage: "verify", status: 401, code: "signature_invalid" });
    if (!result.ok) expect(result.message).toContain("any configured public key");
  });

  it.each([
    ["old,new", "old"],
    ["old,new", "new"],
    ["new, old", "old"],
    ["new, old", "new"],
  ] as const)("with rotated keys configured as %s, accepts a signature by the %s key and records its fingerprint", async (order, by) => {
    const signer = signerNamed(signerName);
    const value = order.replace(/old|new/g, (name) => signer.keys[name as KeyName].publicKeyBase64);
    configure("paycools", value);
    const param = globalParam();
    const signature = await signer.sign(by, Buffer.from(param, "utf8"));

    const result = accepted(await deliver("paycools", envelope(param, signature)));

    expect(result.fingerprint).toBe(signer.keys[by].fingerprint);
  });

  it("accepts rotated keys given as two PEM blocks, each signature recording its own key", async () => {
    const signer = signerNamed(signerName);
    configure("payermax", `${signer.keys.old.publicKeyPem},${signer.keys.new.publicKeyPem}`);
    const body = payermaxExampleBytes();

    for (const by of ["old", "new"] as const) {
      const result = accepted(await deliver("payermax", body, { sign: await signer.sign(by, body) }));
      expect(result.fingerprint).toBe(signer.keys[by].fingerprint);
    }
  });

  it("accepts a PEM key whose line breaks arrive as literal \\n sequences", async () => {
    const signer = signerNamed(signerName);
    const flattened = signer.keys.old.publicKeyPem.trim().replace(/\n/g, "\\n");
    expect(flattened).not.toContain("\n");
    configure("paycools-id", flattened);
    const param = indonesiaParam();

    const result = accepted(await deliver("paycools-id", envelope(param, await signer.sign("old", Buffer.from(param, "utf8")))));

    expect(result.fingerprint).toBe(signer.keys.old.fingerprint);
  });

  it("accepts 4096-bit keys, alone or rotated beside a 2048-bit key", async () => {
    const signer = signerNamed(signerName);
    const param = JSON.stringify({ ...JSON.parse(globalParam()), channelCode: "MY_FPX" });
    const signature = await signer.sign("big", Buffer.from(param, "utf8"));
    expect(signature).toHaveLength(684);

    configure("paycools", signer.keys.big.publicKeyBase64);
    const alone = accepted(await deliver("paycools", envelope(param, signature)));
    expect(alone.fingerprint).toBe(signer.keys.big.fingerprint);
    expect(alone.currency).toBe("MYR");

    configure("paycools", `${signer.keys.old.publicKeyBase64},${signer.keys.big.publicKeyBase64}`);
    const rotated = accepted(await deliver("paycools", envelope(param, signature)));
    expect(rotated.fingerprint).toBe(signer.keys.big.fingerprint);

    const small = await signer.sign("old", Buffer.from(param, "utf8"));
    expect(accepted(await deliver("paycools", envelope(param, small))).fingerprint).toBe(signer.keys.old.fingerprint);
  });

  it("verifies a PayerMax body with a leading UTF-8 BOM over the exact bytes, and still parses it", async () => {
    const signer = signerNamed(signerName);
    configure("payermax", signer.keys.old.publicKeyBase64);
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), payermaxExampleBytes()]);
    const signature = await signer.sign("old", withBom);

    const result = accepted(await deliver("payermax", withBom, { sign: signature }));
    expect(result.amount).toBe("33.50");
    expect(result.payload).toEqual(payermaxExample());

    const withoutBomSignature = await signer.sign("old", payermaxExampleBytes());
    const mismatch = await deliver("payermax", withBom, { sign: withoutBomSignature });
    expect(mismatch).toMatchObject({ ok: false, stage: "verify", code: "signature_invalid" });
  });

  it("verifies a PayerMax body with invalid UTF-8 as bytes, then refuses it with 400 as not UTF-8", async () => {
    const signer = signerNamed(signerName);
    configure("payermax", signer.keys.old.publicKeyBase64);
    const text = payermaxExampleBytes();
    const at = text.indexOf("GM666814221071401199");
    const invalid = Buffer.concat([text.subarray(0, at), Buffer.from([0xff, 0xfe]), text.subarray(at)]);
    const signature = await signer.sign("old", invalid);

    const result = await deliver("payermax", invalid, { sign: signature });

    expect(result).toMatchObject({
      ok: false,
      stage: "parse",
      status: 400,
      code: "body_not_utf8",
      fingerprint: signer.keys.old.fingerprint,
    });
  });
});

describe("signatures that are absent or not base64", () => {
  let keyBase64: string;
  let signature: string;

  beforeAll(async () => {
    const key = await generateNodeKey(2048);
    keyBase64 = key.publicKeyBase64;
    signature = nodeSign(key, Buffer.from(globalParam(), "utf8"));
  });

  it.each([
    ["has no sign field", undefined],
    ["has a null sign", null],
    ["has an empty sign", ""],
    ["has a blank sign", "   "],
  ])("reports signature_missing when a PayCools envelope %s", async (_case, sign) => {
    configure("paycools", keyBase64);

    const result = await deliver("paycools", envelope(globalParam(), sign));

    expect(result).toMatchObject({ ok: false, stage: "verify", status: 401, code: "signature_missing" });
  });

  it.each([
    ["has no sign header", {}],
    ["has an empty sign header", { sign: "" }],
  ])("reports signature_missing when a PayerMax request %s", async (_case, headers: Record<string, string>) => {
    configure("payermax", keyBase64);

    const result = await deliver("payermax", payermaxExampleBytes(), headers);

    expect(result).toMatchObject({ ok: false, stage: "verify", status: 401, code: "signature_missing" });
    if (!result.ok) expect(result.message).toContain("`sign` header");
  });

  it.each([
    ["the Indonesia seed's placeholder", "sign by param"],
    ["a non-base64 character", "abc$defg"],
    ["base64url characters", "ab-_cdef"],
    ["a length that is not a multiple of four", "abcde"],
    ["padding in the middle", "ab==cdef"],
  ])("reports signature_malformed for a sign with %s", async (_case, sign) => {
    configure("paycools", keyBase64);

    const result = await deliver("paycools", envelope(globalParam(), sign));

    expect(result).toMatchObject({ ok: false, stage: "verify", status: 401, code: "signature_malformed" });
  });

  it("reports signature_malformed when a PayerMax sign header is not base64", async () => {
    configure("payermax", keyBase64);

    const result = await deliver("payermax", payermaxExampleBytes(), { sign: "not base64!" });

    expect(result).toMatchObject({ ok: false, stage: "verify", code: "signature_malformed" });
  });

  it("reports signature_malformed when a PayCools sign is not a string", async () => {
    configure("paycools", keyBase64);

    const result = await deliver("paycools", envelope(globalParam(), 12345));

    expect(result).toMatchObject({ ok: false, stage: "extract", status: 401, code: "signature_malformed" });
  });

  it("accepts a valid signature surrounded by whitespace", async () => {
    configure("paycools", keyBase64);

    const result = await deliver("paycools", envelope(globalParam(), ` ${signature}\n`));

    expect(result.ok).toBe(true);
  });

  it("accepts a valid signature wrapped in lines of 76, as a MIME base64 encoder writes it", async () => {
    configure("paycools", keyBase64);
    const wrapped = signature.match(/.{1,76}/g)!.join("\r\n");
    expect(wrapped).toContain("\r\n");

    const result = await deliver("paycools", envelope(globalParam(), wrapped));

    expect(result.ok).toBe(true);
  });

  it("treats the documented example signatures as well-formed 2048-bit signatures that fail only on the key", async () => {
    const paycoolsSign = paycoolsGlobalExample().sign;
    const payermaxSign = payermaxExampleSignature();
    expect(Buffer.from(paycoolsSign, "base64")).toHaveLength(256);
    expect(Buffer.from(payermaxSign, "base64")).toHaveLength(256);
    configure("paycools", keyBase64);
    configure("payermax", keyBase64);

    const paycools = await deliver("paycools", envelope(globalParam(), paycoolsSign));
    const payermax = await deliver("payermax", payermaxExampleBytes(), { sign: payermaxSign });

    expect(paycools).toMatchObject({ ok: false, stage: "verify", code: "signature_invalid" });
    expect(payermax).toMatchObject({ ok: false, stage: "verify", code: "signature_invalid" });
  });
});
