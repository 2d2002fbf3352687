import { readFile } from "node:fs/promises";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { fingerprintOf, parseKeyring, type Keyring, type PublicKeyEntry } from "@/lib/providers/keyring";
import { KEY_VARIABLES, restoreEnv, setEnv, type ProviderName } from "./support/env";
import { paycoolsGlobalExample } from "./support/fixtures";
import { generateNodeKey, nodeSign } from "./support/node-keys";
import { createWorkspace, generateKey, generateRsaKey, type OpensslKey, type Workspace } from "./support/openssl";
import { accepted, deliver } from "./support/pipeline";

// Public keys come from an environment variable: base64 DER SPKI as providers
// hand them out, or PEM, comma-separated for rotation. Bad keys are refused
// with a message that names the variable.

const VARIABLE = "PAYCOOLS_PUBLIC_KEY";

let workspace: Workspace;
let rsa: OpensslKey;
let rsaOther: OpensslKey;
let ec: OpensslKey;
let rsa1024: OpensslKey;
let wrappedBase64: string;

beforeAll(async () => {
  workspace = await createWorkspace();
  [rsa, rsaOther, ec, rsa1024] = await Promise.all([
    generateRsaKey(workspace.dir, "rsa", 2048),
    generateRsaKey(workspace.dir, "other", 2048),
    generateKey(workspace.dir, "ec", "EC", "ec_paramgen_curve:P-256"),
    generateRsaKey(workspace.dir, "small", 1024),
  ]);
  const pem = await readFile(rsa.publicKeyPemPath, "utf8");
  wrappedBase64 = pem.replace(/-----[A-Z ]+-----/g, "").trim();
}, 60_000);

afterAll(async () => {
  await workspace?.remove();
});

afterEach(restoreEnv);

function keysOf(keyring: Keyring): PublicKeyEntry[] {
  if (!keyring.ok) throw new Error(`expected a keyring, got: ${keyring.message}`);
  return keyring.keys;
}

describe("parseKeyring", () => {
  it("accepts a base64 DER SPKI key and fingerprints it as openssl does", () => {
    const [key, ...rest] = keysOf(parseKeyring(rsa.publicKeyBase64, VARIABLE));

    expect(rest).toHaveLength(0);
    expect(key?.bits).toBe(2048);
    expect(key?.fingerprint).toBe(rsa.fingerprint);
    expect(key?.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });

  it("accepts the same key as PEM with the same fingerprint", () => {
    const [key] = keysOf(parseKeyring(rsa.publicKeyPem, VARIABLE));

    expect(key?.fingerprint).toBe(rsa.fingerprint);
    expect(fingerprintOf(key!.key)).toBe(rsa.fingerprint);
  });

  it("accepts PEM whose line breaks are literal \\n sequences", () => {
    const flattened = rsa.publicKeyPem.trim().replace(/\n/g, "\\n");

    const [key] = keysOf(parseKeyring(flattened, VARIABLE));

    expect(key?.fingerprint).toBe(rsa.fingerprint);
  });

  it("accepts base64 wrapped over several lines", () => {
    expect(wrappedBase64).toContain("\n");

    const [key] = keysOf(parseKeyring(wrappedBase64, VARIABLE));

    expect(key?.fingerprint).toBe(rsa.fingerprint);
  });

  it("keeps comma-separated keys in order, ignoring whitespace around them", () => {
    const keys = keysOf(parseKeyring(` ${rsa.publicKeyBase64} ,\n ${rsaOther.publicKeyBase64} `, VARIABLE));

    expect(keys.map((key) => key.fingerprint)).toEqual([rsa.fingerprint, rsaOther.fingerprint]);
  });

  it("reads several PEM blocks, including ones with literal \\n sequences", () => {
    const flattened = rsaOther.publicKeyPem.trim().replace(/\n/g, "\\n");

    const keys = keysOf(parseKeyring(`${rsa.publicKeyPem},${flattened}`, VARIABLE));

    expect(keys.map((key) => key.fingerprint)).toEqual([rsa.fingerprint, rsaOther.fingerprint]);
  });

  it("reads a PEM key and a base64 key given together, dropping neither", () => {
    const keys = keysOf(parseKeyring(`${rsa.publicKeyPem},${rsaOther.publicKeyBase64}`, VARIABLE));

    expect(keys.map((key) => key.fingerprint)).toEqual([rsa.fingerprint, rsaOther.fingerprint]);
  });

  it("refuses text beside a PEM block rather than ignoring it", () => {
    const keyring = parseKeyring(`${rsa.publicKeyPem},garbage`, VARIABLE);

    expect(keyring).toMatchObject({ ok: false, reason: "invalid" });
    if (!keyring.ok) expect(keyring.message).toContain(VARIABLE);
  });

  it.each([
    ["unset", undefined],
    ["empty", ""],
  ])("reports a missing key naming the variable when it is %s", (_case, value) => {
    const keyring = parseKeyring(value, VARIABLE);

    expect(keyring).toMatchObject({ ok: false, reason: "missing" });
    if (!keyring.ok) expect(keyring.message).toContain(VARIABLE);
  });

  it("reports a variable holding only separators as missing", () => {
    const keyring = parseKeyring(" , ,", VARIABLE);

    expect(keyring).toMatchObject({ ok: false, reason: "missing" });
    if (!keyring.ok) expect(keyring.message).toContain(VARIABLE);
  });

  it.each([
    ["garbage text", () => "this is not a key"],
    ["base64 that is not a key", () => Buffer.from("hello world").toString("base64")],
    ["a truncated key", () => rsa.publicKeyBase64.slice(0, 200)],
    ["a PEM block with a broken body", () => "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"],
  ])("refuses %s with a message naming the variable", (_case, value) => {
    const keyring = parseKeyring(value(), VARIABLE);

    expect(keyring).toMatchObject({ ok: false, reason: "invalid" });
    if (!keyring.ok) {
      expect(keyring.message).toContain(VARIABLE);
      expect(keyring.message).toContain("key 1 of 1");
      expect(keyring.message).toContain("X.509/SPKI or PEM");
    }
  });

  it.each([
    ["an EC key in base64", () => ec.publicKeyBase64],
    ["an EC key in PEM", () => ec.publicKeyPem],
    ["a 1024-bit RSA key", () => rsa1024.publicKeyBase64],
  ])("refuses %s as not an RSA key of at least 2048 bits", (_case, value) => {
    const keyring = parseKeyring(value(), VARIABLE);

    expect(keyring).toMatchObject({ ok: false, reason: "invalid" });
    if (!keyring.ok) {
      expect(keyring.message).toContain(VARIABLE);
      expect(keyring.message).toContain("must be an RSA key of at least 2048 bits");
    }
  });

  it("refuses a private key pasted by mistake, naming the variable", async () => {
    const privatePem = await readFile(rsa.privateKeyPath, "utf8");
    expect(privatePem).toContain("PRIVATE KEY");

    const keyring = parseKeyring(privatePem, VARIABLE);

    expect(keyring).toMatchObject({ ok: false, reason: "invalid" });
    if (!keyring.ok) expect(keyring.message).toContain(VARIABLE);
  });

  it("names which key of several is wrong", () => {
    const keyring = parseKeyring(`${rsa.publicKeyBase64},garbage`, VARIABLE);

    expect(keyring).toMatchObject({ ok: false, reason: "invalid" });
    if (!keyring.ok) expect(keyring.message).toContain("key 2 of 2");
  });
});

describe("keys read by the adapters", () => {
  it.each(Object.entries(KEY_VARIABLES) as [ProviderName, string][])(
    "answers 503 provider_not_configured naming %s's variable when its key is unusable",
    async (provider, variable) => {
      setEnv({ [variable]: ec.publicKeyBase64 });

      const result = await deliver(provider, Buffer.from("{}"));

      expect(result).toMatchObject({ ok: false, stage: "keyring", status: 503, code: "provider_not_configured" });
      if (!result.ok) expect(result.message).toContain(variable);
    },
  );

  it.each(Object.entries(KEY_VARIABLES) as [ProviderName, string][])(
    "answers 503 provider_not_configured naming %s's variable when its key is not set",
    async (provider, variable) => {
      setEnv({ [variable]: undefined });

      const result = await deliver(provider, Buffer.from("{}"));

      expect(result).toMatchObject({ ok: false, stage: "keyring", status: 503 });
      if (!result.ok) expect(result.message).toContain(`${variable} is not set`);
    },
  );

  it("picks up a new key once the variable changes", async () => {
    const first = await generateNodeKey(2048);
    const second = await generateNodeKey(2048);
    const param = paycoolsGlobalExample().param;
    const body = (key: typeof first) => Buffer.from(JSON.stringify({ sign: nodeSign(key, Buffer.from(param)), param }));

    setEnv({ PAYCOOLS_PUBLIC_KEY: first.publicKeyBase64 });
    expect(accepted(await deliver("paycools", body(first))).fingerprint).toBe(first.fingerprint);

    setEnv({ PAYCOOLS_PUBLIC_KEY: second.publicKeyBase64 });
    expect(await deliver("paycools", body(first))).toMatchObject({ ok: false, code: "signature_invalid" });
    expect(accepted(await deliver("paycools", body(second))).fingerprint).toBe(second.fingerprint);
  });
});
