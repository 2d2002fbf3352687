import { readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { applyMode, describeMode, headerSafe, signatureMode, signB64, type SignatureMode, type SigningKeys } from "./hostile-signatures";
import { transportTwist } from "./hostile-transport";
import { deeplyNested, hostileValue, toJsonText, type HostileValue } from "./hostile-values";
import { PROVIDERS, type Provider } from "./keys";

// Generators of hostile requests for the webhook routes, shared by the fast
// property test (straight into handleWebhook) and the full suite (over HTTP).
// Each request says in words what was done to it, for the report of a failure.

export type HostileRequest = {
  label: string;
  /** The path segment after /api/webhooks/ (may name no provider). */
  provider: string;
  method: string;
  headers: Record<string, string | string[]>;
  body: Buffer;
  chunked: boolean;
};

export type { SigningKeys } from "./hostile-signatures";

export type GeneratorOptions = { maxBodyBytes: number; idPrefix: string };

const fixture = (name: string) => JSON.parse(readFileSync(path.join(import.meta.dirname, "../../fixtures", name), "utf8")) as Record<string, unknown>;

/** The providers' documented examples (tests/fixtures), decoded. */
export const SEEDS: Record<Provider, Record<string, unknown>> = {
  paycools: JSON.parse(fixture("paycools-global-payment-notification.json").param as string) as Record<string, unknown>,
  "paycools-id": JSON.parse(fixture("paycools-indonesia-static-va-notification.json").param as string) as Record<string, unknown>,
  payermax: fixture("payermax-payment-notification.json"),
};
/** The examples exactly as documented, with the providers' own signatures (made with keys this run does not configure). */
export const DOCUMENTED_BODIES: Record<Provider, { body: Buffer; sign?: string }> = {
  paycools: { body: readFileSync(path.join(import.meta.dirname, "../../fixtures/paycools-global-payment-notification.json")) },
  "paycools-id": { body: readFileSync(path.join(import.meta.dirname, "../../fixtures/paycools-indonesia-static-va-notification.json")) },
  payermax: {
    body: Buffer.from(JSON.stringify(SEEDS.payermax)),
    sign: readFileSync(path.join(import.meta.dirname, "../../fixtures/payermax-payment-notification.sign.txt"), "utf8").trim(),
  },
};

const idFields: Record<Provider, [string, string]> = {
  paycools: ["transactionId", "mchOrderId"],
  "paycools-id": ["transactionId", "mchOrderId"],
  payermax: ["tradeOrderNo", "orderId"],
};

/** A seed example with fresh identifiers, so what it creates is its own. */
function freshSeed(provider: Provider, id: string): Record<string, unknown> {
  const [txField, orderField] = idFields[provider];
  return { ...structuredClone(SEEDS[provider]), [txField]: `${id}T`, [orderField]: `${id}O` };
}

// ---- building a request ----------------------------------------------------

type Built = { label: string; provider: Provider; headers: Record<string, string | string[]>; body: Buffer };

/** Signs `payload` for `provider` the way that provider does, with the signature treated by `mode`. */
export function buildSigned(provider: Provider, payload: unknown, mode: SignatureMode, keys: SigningKeys, label: string): Built {
  const text = typeof payload === "string" ? payload : toJsonText(payload);
  const bytes = Buffer.from(text, "utf8");
  const signature = applyMode(mode, bytes, provider, keys);
  const described = `${label}; ${describeMode(mode)}`;
  if (provider === "payermax") {
    const headers: Record<string, string | string[]> = { "content-type": "application/json" };
    if (signature !== undefined) headers.sign = headerSafe(typeof signature === "string" ? signature : toJsonText(signature));
    return { label: described, provider, headers, body: bytes };
  }
  const envelope = signature === undefined ? { param: text } : { sign: signature, param: text };
  return { label: described, provider, headers: { "content-type": "application/json" }, body: Buffer.from(toJsonText(envelope), "utf8") };
}

const provider = fc.constantFrom(...PROVIDERS);
const idOf = (options: GeneratorOptions) => fc.nat({ max: 2 ** 31 - 1 }).map((n) => `${options.idPrefix}${n.toString(36)}`);
/** Mostly a valid signature, so the mutated payload itself is what gets tested. */
const mostlyValid: fc.Arbitrary<SignatureMode> = fc.oneof({ weight: 5, arbitrary: fc.constant<SignatureMode>({ kind: "valid" }) }, { weight: 1, arbitrary: signatureMode });

function fieldsOf(payload: Record<string, unknown>): string[] {
  return [...Object.keys(payload), "cardInfo.cardIdentifierNo", "extraField", "__proto__"].filter((name) => !name.startsWith("cardInfo.") || "cardInfo" in payload);
}

function setPath(payload: Record<string, unknown>, field: string, value: HostileValue | undefined): void {
  const [head, tail] = field.split(".") as [string, string | undefined];
  if (tail && payload[head] && typeof payload[head] === "object") {
    const inner = { ...(payload[head] as Record<string, unknown>) };
    if (value === undefined) delete inner[tail];
    else inner[tail] = value;
    payload[head] = inner;
  } else if (value === undefined) {
    delete payload[head];
  } else {
    Object.defineProperty(payload, head, { value, enumerable: true, writable: true, configurable: true });
  }
}

/** Every seed example, with one or two fields mutated or removed. */
export function mutatedSeed(keys: SigningKeys, options: GeneratorOptions): fc.Arbitrary<Built> {
  return fc
    .tuple(provider, idOf(options), fc.array(fc.tuple(fc.nat(), fc.option(hostileValue, { freq: 8 })), { minLength: 1, maxLength: 2 }), mostlyValid)
    .map(([name, id, changes, mode]) => {
      const payload = freshSeed(name, id);
      const fields = fieldsOf(payload);
      const done: string[] = [];
      for (const [pick, value] of changes) {
        const field = fields[pick % fields.length]!;
        setPath(payload, field, value ?? undefined);
        done.push(value === null ? `${field} removed` : `${field}=${toJsonText(value).slice(0, 60)}`);
      }
      return buildSigned(name, payload, mode, keys, `${name} seed with ${done.join(", ")}`);
    });
}

/** A well-formed notification whose signature is tampered with. */
export function signatureAttack(keys: SigningKeys, options: GeneratorOptions): fc.Arbitrary<Built> {
  return fc.tuple(provider, idOf(options), signatureMode).map(([name, id, mode]) => buildSigned(name, freshSeed(name, id), mode, keys, `${name} seed`));
}

/** The documented examples as published, signed by keys this run does not configure. */
export function documentedExample(): fc.Arbitrary<Built> {
  return provider.map((name) => {
    const { body, sign: signature } = DOCUMENTED_BODIES[name];
    return { label: `${name} documented example with the provider's own signature`, provider: name, headers: { "content-type": "application/json", ...(signature ? { sign: signature } : {}) }, body };
  });
}

/** Whole bodies that are not JSON, or JSON of the wrong shape, or absurdly nested. */
export function junkBody(keys: SigningKeys): fc.Arbitrary<Built> {
  const bytes = fc.uint8Array({ maxLength: 4096 }).map((array) => ({ text: Buffer.from(array), what: `${array.length} random bytes` }));
  const json = fc.jsonValue({ maxDepth: 6 }).map((value) => ({ text: Buffer.from(JSON.stringify(value) ?? "null"), what: "random JSON" }));
  const deep = fc
    .tuple(fc.integer({ min: 100, max: 150_000 }), fc.constantFrom("array", "object") as fc.Arbitrary<"array" | "object">)
    .map(([depth, kind]) => ({ text: Buffer.from(deeplyNested(depth, kind).text), what: `JSON nested ${depth} deep (${kind})` }));
  return fc.tuple(provider, fc.oneof(bytes, json, deep), fc.boolean()).map(([name, { text, what }, signIt]) => {
    if (name === "payermax" || !signIt) {
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (signIt) headers.sign = signB64(text, keys.providers[name]);
      return { label: `${name}: ${what}${signIt ? ", validly signed" : ""}`, provider: name, headers, body: text };
    }
    return buildSigned(name, text.toString("utf8"), { kind: "valid" }, keys, `${name}: ${what} as param`);
  });
}

/** A signed notification carrying an extra field nested very deep, or a huge one. */
export function deepSignedPayload(keys: SigningKeys, options: GeneratorOptions): fc.Arbitrary<Built> {
  return fc
    .tuple(
      provider,
      idOf(options),
      fc.oneof(fc.integer({ min: 1, max: 80 }), fc.integer({ min: 81, max: 100_000 })),
      fc.constantFrom("array", "object") as fc.Arbitrary<"array" | "object">,
    )
    .map(([name, id, depth, kind]) => {
      const payload: Record<string, unknown> = { ...freshSeed(name, id), extra: deeplyNested(depth, kind) };
      return buildSigned(name, payload, { kind: "valid" }, keys, `${name} seed with an extra field nested ${depth} deep (${kind})`);
    });
}

type ByteMutation = "bom" | "bomSigned" | "invalidUtf8" | "invalidUtf8Signed" | "truncate" | "flipByte" | "trailingSpace" | "duplicateKey" | "gzip" | "nulByte";

/** Byte-level damage to a signed body: a BOM, invalid UTF-8, truncation, a flipped byte, gzip. */
export function byteMutation(keys: SigningKeys, options: GeneratorOptions): fc.Arbitrary<Built> {
  const kinds: ByteMutation[] = ["bom", "bomSigned", "invalidUtf8", "invalidUtf8Signed", "truncate", "flipByte", "trailingSpace", "duplicateKey", "gzip", "nulByte"];
  const invalid = [[0xff], [0xc3, 0x28], [0x80], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82]];
  return fc
    .tuple(provider, idOf(options), fc.constantFrom(...kinds), fc.nat(), fc.constantFrom(...invalid))
    .map(([name, id, kind, at, bad]) => {
      const payload = freshSeed(name, id);
      const label = `${name} seed, ${kind}`;
      const insertInvalid = (text: string) => {
        const marker = text.indexOf("Platform") >= 0 ? text.indexOf("Platform") : Math.max(1, text.indexOf(id));
        const bytes = Buffer.from(text, "utf8");
        return Buffer.concat([bytes.subarray(0, marker), Buffer.from(bad), bytes.subarray(marker)]);
      };
      if (kind === "bomSigned" || kind === "invalidUtf8Signed" || kind === "nulByte") {
        // The damage is in the signed bytes themselves: the signature verifies, the content must still be refused or handled.
        const text = toJsonText(payload);
        const bytes = kind === "bomSigned" ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]) : kind === "nulByte" ? Buffer.from(text.replace(`${id}O`, `${id}\\u0000O`)) : insertInvalid(text);
        if (name === "payermax") return { label, provider: name, headers: { "content-type": "application/json", sign: signB64(bytes, keys.providers.payermax) }, body: bytes };
        const envelope = Buffer.from(`{"sign":"${signB64(bytes, keys.providers[name])}","param":`);
        const paramJson = Buffer.concat([Buffer.from('"'), Buffer.from(bytes.toString("latin1").replace(/["\\]/g, (c) => `\\${c}`), "latin1"), Buffer.from('"}')]);
        return { label, provider: name, headers: { "content-type": "application/json" }, body: Buffer.concat([envelope, paramJson]) };
      }
      const built = buildSigned(name, payload, { kind: "valid" }, keys, label);
      const body = built.body;
      const headers = { ...built.headers };
      let damaged: Buffer;
      if (kind === "bom") damaged = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]);
      else if (kind === "invalidUtf8") damaged = insertInvalid(body.toString("utf8"));
      else if (kind === "truncate") damaged = body.subarray(0, at % body.length);
      else if (kind === "flipByte") {
        damaged = Buffer.from(body);
        damaged[at % body.length] = damaged[at % body.length]! ^ 0x20;
      } else if (kind === "trailingSpace") damaged = Buffer.concat([body, Buffer.from(" \n")]);
      else if (kind === "duplicateKey") damaged = Buffer.from(body.toString("utf8").replace(/^\{/, name === "payermax" ? '{"totalAmount":"-1",' : '{"param":"{}",'));
      else {
        damaged = gzipSync(body);
        headers["content-encoding"] = "gzip";
      }
      return { label, provider: name, headers, body: damaged };
    });
}

/** Bodies at the size limit (a valid notification padded to exactly the limit) and past it. */
export function sizeEdge(keys: SigningKeys, options: GeneratorOptions): fc.Arbitrary<Built> {
  return fc.tuple(provider, idOf(options), fc.constantFrom(0, 1, 2, options.maxBodyBytes, 2 * options.maxBodyBytes)).map(([name, id, over]) => {
    const base = buildSigned(name, freshSeed(name, id), { kind: "valid" }, keys, "");
    const target = options.maxBodyBytes + over;
    if (name === "payermax") {
      // Whitespace after the JSON is part of the signed bytes: signed again at full size.
      const padded = Buffer.concat([base.body, Buffer.alloc(Math.max(0, target - base.body.length), 0x20)]);
      return { label: `payermax signed body of ${padded.length} bytes (limit ${options.maxBodyBytes})`, provider: name, headers: { "content-type": "application/json", sign: signB64(padded, keys.providers.payermax) }, body: padded };
    }
    // PayCools: whitespace outside `param` is not signed; the envelope grows, the signature stays valid.
    const padded = Buffer.concat([base.body, Buffer.alloc(Math.max(0, target - base.body.length), 0x20)]);
    return { label: `${name} signed envelope of ${padded.length} bytes (limit ${options.maxBodyBytes})`, provider: name, headers: base.headers, body: padded };
  });
}

/** Everything at once: which generator, then a twist of method, content type, path or transfer. */
export function hostileRequest(keys: SigningKeys, options: GeneratorOptions): fc.Arbitrary<HostileRequest> {
  const built = fc.oneof(
    { weight: 8, arbitrary: mutatedSeed(keys, options) },
    { weight: 4, arbitrary: signatureAttack(keys, options) },
    { weight: 1, arbitrary: documentedExample() },
    { weight: 2, arbitrary: junkBody(keys) },
    { weight: 1, arbitrary: deepSignedPayload(keys, options) },
    { weight: 3, arbitrary: byteMutation(keys, options) },
    { weight: 1, arbitrary: sizeEdge(keys, options) },
  );
  return fc.tuple(built, transportTwist).map(([request, twist]) => {
    const headers: Record<string, string | string[]> = { ...request.headers, ...twist.extraHeaders };
    const twists: string[] = [];
    if (twist.contentType !== null) {
      if (twist.contentType === undefined) delete headers["content-type"];
      else headers["content-type"] = twist.contentType;
      twists.push(`content-type ${JSON.stringify(twist.contentType ?? "(none)")}`);
    }
    if (twist.method) twists.push(twist.method);
    if (twist.oddProvider) twists.push(`to /api/webhooks/${twist.oddProvider.slice(0, 30)}`);
    if (twist.chunked) twists.push("chunked");
    if (Object.keys(twist.extraHeaders).length > 0) twists.push(`with ${JSON.stringify(twist.extraHeaders)}`);
    const hostile: HostileRequest = {
      label: twists.length > 0 ? `${request.label} [${twists.join(", ")}]` : request.label,
      provider: twist.oddProvider ?? request.provider,
      method: twist.method ?? "POST",
      headers,
      body: request.body,
      chunked: twist.chunked,
    };
    // A counterexample is reported by what was done to it, with the start of its body, not as a megabyte of numbers.
    Object.defineProperty(hostile, fc.toStringMethod, {
      value: () => `${hostile.method} /api/webhooks/${hostile.provider.slice(0, 40)} — ${hostile.label.slice(0, 400)} — ${hostile.body.length} bytes: ${JSON.stringify(hostile.body.subarray(0, 300).toString("latin1"))}`,
    });
    return hostile;
  });
}
