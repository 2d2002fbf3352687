import { z } from "zod";
import { decodeJsonObject, describeSchemaError } from "../decode-json";
import { fail, type SignedPart, type Step } from "../types";

// Both PayCools APIs wrap the notification as {"sign": base64, "param": "<JSON text>"}:
// the signature covers the param string exactly as sent, so it is checked
// before that string is parsed.

const envelopeSchema = z.looseObject({
  param: z.string({ error: "must be the notification as a JSON string" }).min(1, "must not be empty"),
  sign: z.unknown().optional(),
});

export function extractPaycoolsSigned(body: Buffer): Step<SignedPart> {
  const decoded = decodeJsonObject(body, "request body");
  if (!decoded.ok) return decoded;
  const envelope = envelopeSchema.safeParse(decoded.value);
  if (!envelope.success) {
    return fail(422, "payload_invalid", `envelope: ${describeSchemaError(envelope.error, "")}`);
  }
  const { sign, param } = envelope.data;
  if (sign !== undefined && sign !== null && typeof sign !== "string") {
    return fail(401, "signature_malformed", "signature in the `sign` field must be a base64 string");
  }
  return {
    ok: true,
    value: {
      signedBytes: Buffer.from(param, "utf8"),
      signature: typeof sign === "string" ? sign : null,
      signatureLocation: "the `sign` field of the body",
    },
  };
}
