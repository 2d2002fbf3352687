import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { PROVIDER_NAMES, type ProviderName, PUBLIC_KEY_VARIABLES } from "@/lib/providers/public-key-variables";

// Fresh RSA key pairs for the run: the app is given the public halves, the
// tests sign with the private ones. "Strangers" are valid keys nobody configured.

export type Provider = ProviderName;
export const PROVIDERS = PROVIDER_NAMES;

export type KeyPair = { privateKey: KeyObject; publicKey: KeyObject; publicKeyBase64: string; privateKeyPem: string };

export type RunKeys = {
  providers: Record<Provider, KeyPair>;
  /** Valid RSA keys that are configured nowhere: a signature with one is a forgery. */
  strangers: { rsa2048: KeyPair; rsa4096: KeyPair };
};

export function makeKeyPair(bits = 2048): KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: bits });
  return {
    privateKey,
    publicKey,
    publicKeyBase64: publicKey.export({ format: "der", type: "spki" }).toString("base64"),
    privateKeyPem: privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
  };
}

export function makeRunKeys(): RunKeys {
  return {
    providers: Object.fromEntries(PROVIDERS.map((provider) => [provider, makeKeyPair()])) as Record<Provider, KeyPair>,
    strangers: { rsa2048: makeKeyPair(2048), rsa4096: makeKeyPair(4096) },
  };
}

/** The environment variables that configure the providers' public keys. */
export function publicKeyEnv(keys: RunKeys): Record<string, string> {
  return Object.fromEntries(PROVIDERS.map((provider) => [PUBLIC_KEY_VARIABLES[provider], keys.providers[provider].publicKeyBase64]));
}
