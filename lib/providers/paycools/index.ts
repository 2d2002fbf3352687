import { getEnv } from "@/lib/env";
import { createPaycoolsAdapter } from "../paycools-family/create-paycools-adapter";
import type { PaycoolsMarket } from "../paycools-family/normalise";
import { PUBLIC_KEY_VARIABLES } from "../public-key-variables";

// PayCools' global Open API: the market, and so the currency and the zone its
// times are written in, is the channel code's prefix (ID_BCA_VA, PH_GCASH, …).
const MARKETS: Record<string, PaycoolsMarket> = {
  ID: { currency: "IDR", timeZone: "Asia/Jakarta" },
  PH: { currency: "PHP", timeZone: "Asia/Manila" },
  MY: { currency: "MYR", timeZone: "Asia/Kuala_Lumpur" },
  TH: { currency: "THB", timeZone: "Asia/Bangkok" },
  RU: { currency: "RUB", timeZone: "Europe/Moscow" },
};

export const paycools = createPaycoolsAdapter({
  name: "paycools",
  label: "PayCools",
  keyVariable: PUBLIC_KEY_VARIABLES.paycools,
  exponentVariable: "PAYCOOLS_AMOUNT_EXPONENTS",
  orderIdPrefixVariable: "PAYCOOLS_ORDER_ID_PREFIXES",
  readKey: () => getEnv().PAYCOOLS_PUBLIC_KEY,
  readExponents: () => getEnv().PAYCOOLS_AMOUNT_EXPONENTS,
  readOrderIdPrefixes: () => getEnv().PAYCOOLS_ORDER_ID_PREFIXES,
  marketFor: (channelCode) => MARKETS[/^([A-Z]{2})_/.exec(channelCode)?.[1] ?? ""] ?? null,
});
