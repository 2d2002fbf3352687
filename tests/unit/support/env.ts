import { vi } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { type ProviderName, PUBLIC_KEY_VARIABLES } from "@/lib/providers/public-key-variables";

// The providers' key variables, as the adapters read them (tests/unit/registry.test.ts pins their names).
export const KEY_VARIABLES = PUBLIC_KEY_VARIABLES;
export type { ProviderName };

/** Sets environment variables for one test; `restoreEnv` in afterEach undoes them. */
export function setEnv(values: Record<string, string | undefined>): void {
  for (const [name, value] of Object.entries(values)) vi.stubEnv(name, value);
  resetEnvCache();
}

export function restoreEnv(): void {
  vi.unstubAllEnvs();
  resetEnvCache();
}
