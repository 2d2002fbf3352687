import { createPrivateKey, sign, verify } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseKeyring } from "@/lib/providers/keyring";
import { DEV_PROVIDERS, devKeyPath, ensureDevEnv, PUBLIC_KEY_VARIABLES, readDevPrivateKey } from "@/scripts/lib/dev-env";

const VARIABLES = ["NEXTAUTH_SECRET", "NEXTAUTH_URL", "PAYERMAX_MERCHANT_IDS", ...Object.values(PUBLIC_KEY_VARIABLES)];

function readEnvFile(root: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of readFileSync(path.join(root, ".env.local"), "utf8").split("\n")) {
    const match = /^([A-Z_]+)=(.*)$/.exec(line);
    if (match?.[1]) values.set(match[1], match[2] ?? "");
  }
  return values;
}

describe("ensureDevEnv", () => {
  let root: string;

  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), "payhook-dev-env-"));
  });

  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it("creates .env.local with the session secret, the URL and a public key per provider", () => {
    const result = ensureDevEnv({ root, port: 3100 });
    expect(result.created).toBe(true);
    expect(result.generatedKeys).toEqual([...DEV_PROVIDERS]);

    const env = readEnvFile(root);
    expect([...env.keys()].sort()).toEqual([...VARIABLES].sort());
    expect(Buffer.from(env.get("NEXTAUTH_SECRET") ?? "", "base64url")).toHaveLength(32);
    expect(env.get("NEXTAUTH_URL")).toBe("http://localhost:3100");
    expect(env.get("PAYERMAX_MERCHANT_IDS")).toBe("SP35661109");
    expect(readFileSync(path.join(root, ".env.local"), "utf8")).not.toContain("PRIVATE KEY");

    for (const provider of DEV_PROVIDERS) {
      const variable = PUBLIC_KEY_VARIABLES[provider];
      const keyring = parseKeyring(env.get(variable), variable);
      expect(keyring.ok, `${variable} parses`).toBe(true);
      if (keyring.ok) expect(keyring.keys[0]?.bits).toBe(2048);
    }
  });

  it("keeps the private keys in PKCS#8 PEM files readable by the owner only", () => {
    ensureDevEnv({ root });
    for (const provider of DEV_PROVIDERS) {
      const file = devKeyPath(provider, root);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readFileSync(file, "utf8")).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    }
  });

  it("gives each provider a public key that verifies what its private key signed", () => {
    ensureDevEnv({ root });
    const env = readEnvFile(root);
    const message = Buffer.from('{"eventName":"order.payment.success"}', "utf8");
    for (const provider of DEV_PROVIDERS) {
      const variable = PUBLIC_KEY_VARIABLES[provider];
      const keyring = parseKeyring(env.get(variable), variable);
      if (!keyring.ok) throw new Error(keyring.message);
      const publicKey = keyring.keys[0]?.key;
      if (!publicKey) throw new Error(`${variable} holds no key`);

      const signature = sign("sha256", message, readDevPrivateKey(provider, root));
      expect(verify("sha256", message, publicKey, signature)).toBe(true);

      const others = DEV_PROVIDERS.filter((other) => other !== provider);
      for (const other of others) {
        const foreign = sign("sha256", message, createPrivateKey(readFileSync(devKeyPath(other, root))));
        expect(verify("sha256", message, publicKey, foreign), `${provider} rejects ${other}'s key`).toBe(false);
      }
    }
  });

  it("leaves existing values alone on a second run and adds only what is missing", () => {
    writeFileSync(path.join(root, ".env.local"), "NEXTAUTH_SECRET=mine\nPAYERMAX_PUBLIC_KEY=\nDATABASE_URL=postgresql://localhost/x");
    const first = ensureDevEnv({ root });
    expect(first.created).toBe(false);
    expect(first.added.sort()).toEqual(VARIABLES.filter((name) => name !== "NEXTAUTH_SECRET").sort());

    const before = readFileSync(path.join(root, ".env.local"), "utf8");
    const env = readEnvFile(root);
    expect(env.get("NEXTAUTH_SECRET")).toBe("mine");
    expect(env.get("DATABASE_URL")).toBe("postgresql://localhost/x");
    expect(before.match(/^PAYERMAX_PUBLIC_KEY=/gm)).toHaveLength(1);
    expect(env.get("PAYERMAX_PUBLIC_KEY")).not.toBe("");

    const second = ensureDevEnv({ root });
    expect(second.added).toEqual([]);
    expect(second.generatedKeys).toEqual([]);
    expect(readFileSync(path.join(root, ".env.local"), "utf8")).toBe(before);
  });

  it("does not make a key pair for a provider whose public key is already set", () => {
    writeFileSync(path.join(root, ".env.local"), "PAYCOOLS_PUBLIC_KEY=the-real-one\n");
    const result = ensureDevEnv({ root });
    expect(result.generatedKeys).not.toContain("paycools");
    expect(readEnvFile(root).get("PAYCOOLS_PUBLIC_KEY")).toBe("the-real-one");
    expect(() => readDevPrivateKey("paycools", root)).toThrow(/run `npm run dev` once .* or pass --key <file>/);
  });
});
