import { paycools } from "./paycools";
import { paycoolsId } from "./paycools-id";
import { payermax } from "./payermax";
import type { ProviderAdapter } from "./types";

// Adding a provider: a folder under lib/providers, one line here, and its key
// variable in ./public-key-variables.ts and in the environment schema (lib/env.ts).
export const providers: readonly ProviderAdapter[] = [paycools, paycoolsId, payermax];

const byName = new Map(providers.map((provider) => [provider.name, provider]));

export function findProvider(name: string): ProviderAdapter | undefined {
  return byName.get(name);
}
