import type { z } from "zod";
import { fail, type Step } from "./types";

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

class NulCharacter extends Error {}

// PostgreSQL text and jsonb cannot hold U+0000; refusing it here keeps a
// hostile payload a 422 instead of a failed insert.
function refuseNul(key: string, value: unknown): unknown {
  if (key.includes("\u0000") || (typeof value === "string" && value.includes("\u0000"))) throw new NulCharacter();
  return value;
}

/**
 * Decodes bytes as strict UTF-8 JSON and requires an object. A leading BOM is
 * tolerated (TextDecoder drops it); invalid UTF-8 is refused rather than
 * silently replaced, so what is stored is what was signed.
 */
export function decodeJsonObject(bytes: Buffer | string, what: string): Step<Record<string, unknown>> {
  let text: string;
  if (typeof bytes === "string") {
    text = bytes.replace(/^\uFEFF/, "");
  } else {
    try {
      text = utf8.decode(bytes);
    } catch {
      return fail(400, "body_not_utf8", `${what} is not valid UTF-8 text: send JSON encoded as UTF-8`);
    }
  }
  let value: unknown;
  try {
    value = JSON.parse(text, refuseNul);
  } catch (error) {
    if (error instanceof NulCharacter) {
      return fail(422, "payload_invalid", `${what} holds a NUL character (\\u0000), which no text field may contain`);
    }
    const detail = error instanceof SyntaxError ? ` (${error.message})` : "";
    return fail(400, "body_not_json", `${what} is not valid JSON${detail}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return fail(422, "payload_invalid", `${what} must be a JSON object`);
  }
  return { ok: true, value: value as Record<string, unknown> };
}

/** One line per problem, each naming the field: "param.amount: expected an integer". */
export function describeSchemaError(error: z.ZodError, prefix: string): string {
  return error.issues
    .slice(0, 10)
    .map((issue) => {
      const path = [prefix, ...issue.path.map(String)].filter(Boolean).join(".");
      return `${path || "(root)"}: ${issue.message}`;
    })
    .join("; ");
}

const CURRENCIES = new Set(Intl.supportedValuesOf("currency"));

/** An ISO 4217 code that the runtime knows. */
export function isKnownCurrency(code: string): boolean {
  return CURRENCIES.has(code);
}
