import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { resetEnvCache } from "@/lib/env";

export type ProviderKeys = { privateKey: KeyObject; publicKeyBase64: string };

export const KEY_VARIABLES = {
  paycools: "PAYCOOLS_PUBLIC_KEY",
  "paycools-id": "PAYCOOLS_ID_PUBLIC_KEY",
  payermax: "PAYERMAX_PUBLIC_KEY",
} as const;

export type ProviderName = keyof typeof KEY_VARIABLES;
export const PROVIDERS = Object.keys(KEY_VARIABLES) as ProviderName[];

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
  for (const provider of PROVIDERS) process.env[KEY_VARIABLES[provider]] = keys[provider].publicKeyBase64;
  resetEnvCache();
  return keys;
}
