import { parseExponentTable } from "@/lib/money";
import { decodeJsonObject, describeSchemaError } from "../decode-json";
import { cachedKeyring } from "../keyring";
import { fail, type ProviderAdapter } from "../types";
import { extractPaycoolsSigned } from "./envelope";
import { normalisePaycools, type PaycoolsMarket } from "./normalise";
import { paycoolsParamSchema } from "./param";

// ISO 4217 gives every PayCools market currency two decimals, and PayCools'
// docs say the integer is in cents ("PHP 500.10 → 50010"). Unconfirmed for IDR,
// so each provider can override it per currency.
const ISO_EXPONENTS: Record<string, number> = { IDR: 2, PHP: 2, MYR: 2, THB: 2, RUB: 2 };

export type PaycoolsAdapterOptions = {
  name: string;
  label: string;
  keyVariable: string;
  exponentVariable: string;
  orderIdPrefixVariable: string;
  readKey(): string | undefined;
  readExponents(): string | undefined;
  readOrderIdPrefixes(): string | undefined;
  marketFor(channelCode: string): PaycoolsMarket | null;
};

/**
 * PayCools signs every merchant's notifications with its one key and names no
 * merchant in them, so a signature proves a notification is PayCools', not
 * that it is this merchant's. The merchant's own order ids are what only its
 * notifications carry: with prefixes configured, a genuine notification of an
 * order id that starts with none of them (another PayCools merchant posting
 * their own notifications here) is refused.
 */
function isForeignOrderId(orderId: string, configured: string | undefined): boolean {
  const prefixes = configured?.split(",").map((prefix) => prefix.trim()).filter(Boolean) ?? [];
  return prefixes.length > 0 && !prefixes.some((prefix) => orderId.startsWith(prefix));
}

export function createPaycoolsAdapter(options: PaycoolsAdapterOptions): ProviderAdapter {
  return {
    name: options.name,
    label: options.label,
    keyVariable: options.keyVariable,
    acknowledgement: { code: 10000, message: "Success" },
    keyring: cachedKeyring(options.keyVariable, options.readKey),
    extractSigned: (body) => extractPaycoolsSigned(body),
    parse(signed) {
      const decoded = decodeJsonObject(signed.signedBytes, "param");
      if (!decoded.ok) {
        // The envelope was JSON; a `param` that is not is a payload problem, not a transport one.
        return fail(422, "payload_invalid", decoded.failure.message);
      }
      const param = paycoolsParamSchema.safeParse(decoded.value);
      if (!param.success) {
        return fail(422, "payload_invalid", describeSchemaError(param.error, "param"));
      }
      if (isForeignOrderId(param.data.mchOrderId, options.readOrderIdPrefixes())) {
        return fail(
          422,
          "merchant_mismatch",
          // The prefixes themselves stay out of the answer: they would tell another merchant which order ids get through.
          `mchOrderId "${param.data.mchOrderId}" starts with none of this merchant's prefixes (${options.orderIdPrefixVariable}): ` +
            "the notification is genuine but not for this ledger; if it is yours, add its prefix and reprocess it",
        );
      }
      let exponents: Map<string, number>;
      try {
        exponents = parseExponentTable(options.readExponents(), options.exponentVariable);
      } catch (error) {
        return fail(503, "provider_misconfigured", (error as Error).message);
      }
      return normalisePaycools(param.data, {
        provider: options.name,
        marketFor: options.marketFor,
        exponentFor: (currency) => exponents.get(currency) ?? ISO_EXPONENTS[currency] ?? 2,
      });
    },
  };
}
