import { getEnv } from "@/lib/env";
import { decodeJsonObject, describeSchemaError } from "../decode-json";
import { cachedKeyring } from "../keyring";
import { PUBLIC_KEY_VARIABLES } from "../public-key-variables";
import { fail, type ProviderAdapter } from "../types";
import { payermaxBodySchema } from "./body";
import { normalisePayermax } from "./normalise";

// PayerMax signs the raw request body; the signature travels in the `sign` header.

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
    return { ok: true, value: normalisePayermax(body.data, decoded.value) };
  },
};
