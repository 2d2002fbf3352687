import type { z } from "zod";
import { fail, type Step } from "./types";

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

class UnstorableText extends Error {
  constructor(readonly problem: string) {
    super(problem);
  }
}

// In unicode mode a class of surrogates matches only unpaired ones: a pair is one code point.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

function unstorable(text: string): string | null {
  if (text.includes("\u0000")) return "a NUL character (\\u0000), which no text field may contain";
  if (LONE_SURROGATE.test(text)) return "an unpaired UTF-16 surrogate (a \\ud800–\\udfff escape without its partner), which is not a character";
  return null;
}

// PostgreSQL text and jsonb cannot hold U+0000, and jsonb refuses an unpaired
// surrogate escape; refusing both here keeps a hostile payload a 422 instead of
// a failed insert (a 500 the provider would retry for ever).
function refuseUnstorable(key: string, value: unknown): unknown {
  const problem = unstorable(key) ?? (typeof value === "string" ? unstorable(value) : null);
  if (problem) throw new UnstorableText(problem);
  return value;
}

/** Text with control characters and unpaired surrogates written as \uXXXX escapes. */
function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]|[\uD800-\uDFFF]/gu, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Provider payloads are three levels deep; far deeper JSON is an attack on every recursive step after the parse. */
export const MAX_JSON_DEPTH = 64;

/** Whether the JSON text opens more than `limit` arrays/objects inside each other, counted without recursion. */
function nestedDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return false;
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
  // Past a few thousand levels the parse, the schema check or the database write overflows the stack:
  // a signed payload would then fail with a 500 on every retry.
  if (nestedDeeperThan(text, MAX_JSON_DEPTH)) {
    return fail(422, "payload_invalid", `${what} nests arrays or objects more than ${MAX_JSON_DEPTH} levels deep`);
  }
  // A NUL or an unpaired surrogate reaches a parsed value only through a \u escape, or as a raw
  // surrogate in text that was not decoded here (strict UTF-8 cannot carry one; a raw NUL is not
  // valid JSON). Without either, the reviver, which costs more than the parse, has nothing to find.
  const mayHoldUnstorable = text.includes("\\u") || (typeof bytes === "string" && LONE_SURROGATE.test(text));
  let value: unknown;
  try {
    value = mayHoldUnstorable ? JSON.parse(text, refuseUnstorable) : JSON.parse(text);
  } catch (error) {
    if (error instanceof UnstorableText) return fail(422, "payload_invalid", `${what} holds ${error.problem}`);
    // V8 quotes the start of the text in its message: keep it readable and storable (no NUL, no control bytes).
    const detail = error instanceof SyntaxError ? ` (${printable(error.message).slice(0, 200)})` : "";
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
