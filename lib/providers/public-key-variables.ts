// The providers Payhook serves, by the name in their webhook route
// (/api/webhooks/:provider), each with the environment variable that holds its
// public key. The adapters take their variable from here, and so do the scripts
// and suites that make keys for a run (dev, the simulator, tests, the bench).
// A leaf module: importing it loads no adapter, schema or environment.

export const PUBLIC_KEY_VARIABLES = {
  paycools: "PAYCOOLS_PUBLIC_KEY",
  "paycools-id": "PAYCOOLS_ID_PUBLIC_KEY",
  payermax: "PAYERMAX_PUBLIC_KEY",
} as const;

export type ProviderName = keyof typeof PUBLIC_KEY_VARIABLES;

export const PROVIDER_NAMES = Object.keys(PUBLIC_KEY_VARIABLES) as ProviderName[];
