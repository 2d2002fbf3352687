import { getEnv } from "@/lib/env";
import { createPaycoolsAdapter } from "../paycools-family/create-paycools-adapter";
import { PUBLIC_KEY_VARIABLES } from "../public-key-variables";

// PayCools Indonesia: same envelope and signature as the global API, its own
// key, and one market (channel codes like BNI_VA carry no country prefix).
const INDONESIA = { currency: "IDR", timeZone: "Asia/Jakarta" };

export const paycoolsId = createPaycoolsAdapter({
  name: "paycools-id",
  label: "PayCools Indonesia",
  keyVariable: PUBLIC_KEY_VARIABLES["paycools-id"],
  exponentVariable: "PAYCOOLS_ID_AMOUNT_EXPONENTS",
  orderIdPrefixVariable: "PAYCOOLS_ID_ORDER_ID_PREFIXES",
  readKey: () => getEnv().PAYCOOLS_ID_PUBLIC_KEY,
  readExponents: () => getEnv().PAYCOOLS_ID_AMOUNT_EXPONENTS,
  readOrderIdPrefixes: () => getEnv().PAYCOOLS_ID_ORDER_ID_PREFIXES,
  marketFor: () => INDONESIA,
});
