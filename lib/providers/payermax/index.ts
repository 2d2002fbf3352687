import { getEnv } from "@/lib/env";
import { decodeJsonObject, describeSchemaError } from "../decode-json";
import { cachedKeyring } from "../keyring";
import { PUBLIC_KEY_VARIABLES } from "../public-key-variables";
import { fail, type ProviderAdapter } from "../types";
import { payermaxBodySchema } from "./body";
import { normalisePayermax } from "./normalise";

// PayerMax signs the raw request body; the signature travels in the `sign` header.
// PayerMax signs every merchant's notifications with its own key, so a
// signature proves a notification came from PayerMax, not that it is this
// merchant's: with PAYERMAX_MERCHANT_IDS set, one for another merchant id
// (another PayerMax merchant replaying their own genuine notifications here)
// is refused.

function merchantIds(): string[] | null {
  const configured = getEnv().PAYERMAX_MERCHANT_IDS;
  return configured ? configured.split(",").map((id) => id.trim()).filter(Boolean) : null;
}

export const payermax: ProviderAdapter = {
  name: "payermax",
  label: "PayerMax",
  keyVariable: PUBLIC_KEY_VARIABLES.payermax,
  acknowledgement: { bizCode: "0000", message: "success" },
  keyring: cachedKeyring(PUBLIC_KEY_VARIABLES.payermax, () => getEnv().PAYERMAX_PUBLIC_KEY),
  extractSigned: (body, headers) => ({
    ok: true,
    value: { signedBytes: body, signature: headers.get("sign"), signatureLocation: "the `sign` header" },
  }),
  parse(signed) {
    const decoded = decodeJsonObject(signed.signedBytes, "request body");
    if (!decoded.ok) return decoded;
    const body = payermaxBodySchema.safeParse(decoded.value);
    if (!body.success) return fail(422, "payload_invalid", describeSchemaError(body.error, ""));
    const ours = merchantIds();
    if (ours && !ours.includes(body.data.merchantId)) {
      return fail(
        422,
        "merchant_mismatch",
        `merchantId "${body.data.merchantId}" is not one of this merchant's (PAYERMAX_MERCHANT_IDS): the notification is genuine but not for this ledger; if it is yours, add the id and reprocess it`,
      );
    }
    return { ok: true, value: normalisePayermax(body.data, decoded.value) };
  },
};
