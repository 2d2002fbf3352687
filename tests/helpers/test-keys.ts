import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { resetEnvCache } from "@/lib/env";
import { PROVIDER_NAMES, type ProviderName, PUBLIC_KEY_VARIABLES } from "@/lib/providers/public-key-variables";

export type ProviderKeys = { privateKey: KeyObject; publicKeyBase64: string };

export type { ProviderName };
export const PROVIDERS = PROVIDER_NAMES;

export function makeKeyPair(bits = 2048): ProviderKeys {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: bits });
  return {
    privateKey,
    publicKeyBase64: publicKey.export({ format: "der", type: "spki" }).toString("base64"),
  };
}

/** Fresh key pairs for the three providers, with their public halves configured as the app reads them. */
export function installProviderKeys(): Record<ProviderName, ProviderKeys> {
  const keys = Object.fromEntries(PROVIDERS.map((provider) => [provider, makeKeyPair()])) as Record<ProviderName, ProviderKeys>;
  for (const provider of PROVIDERS) process.env[PUBLIC_KEY_VARIABLES[provider]] = keys[provider].publicKeyBase64;
  resetEnvCache();
  return keys;
}
