import { vi } from "vitest";
import { resetEnvCache } from "@/lib/env";

export const KEY_VARIABLES = {
  paycools: "PAYCOOLS_PUBLIC_KEY",
  "paycools-id": "PAYCOOLS_ID_PUBLIC_KEY",
  payermax: "PAYERMAX_PUBLIC_KEY",
} as const;

export type ProviderName = keyof typeof KEY_VARIABLES;

/** Sets environment variables for one test; `restoreEnv` in afterEach undoes them. */
export function setEnv(values: Record<string, string | undefined>): void {
  for (const [name, value] of Object.entries(values)) vi.stubEnv(name, value);
  resetEnvCache();
}

export function restoreEnv(): void {
  vi.unstubAllEnvs();
  resetEnvCache();
}
