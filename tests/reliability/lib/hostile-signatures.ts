import { sign, type KeyObject } from "node:crypto";
import fc from "fast-check";
import { hostileValue, toJsonText, type HostileValue } from "./hostile-values";
import { PROVIDERS, type Provider } from "./keys";

// What is done to a signature: made with another key (a stranger's, or another
// provider's configured one), cut, padded, re-encoded, bit-flipped, stale, of
// the wrong JSON type, or missing. Signing is deterministic (RSA PKCS#1 v1.5),
// so a seed replays exactly.

export type SigningKeys = {
  providers: Record<Provider, KeyObject>;
  strangers: KeyObject[];
};

export const signB64 = (bytes: Buffer, key: KeyObject) => sign("sha256", bytes, key).toString("base64");

export type SignatureMode =
  | { kind: "valid" | "stranger2048" | "stranger4096" | "otherProvider" | "stale" | "missing" | "empty" }
  | { kind: "cut"; keep: number }
  | { kind: "padded"; before: string; after: string }
  | { kind: "reencoded"; how: "base64url" | "hex" | "double" | "urlencoded" | "spaced" | "nopad" }
  | { kind: "flipped"; at: number; bit: number }
  | { kind: "nonString"; value: HostileValue };

export const signatureMode: fc.Arbitrary<SignatureMode> = fc.oneof(
  fc.constantFrom<SignatureMode>(
    { kind: "stranger2048" }, { kind: "stranger4096" }, { kind: "otherProvider" }, { kind: "stale" }, { kind: "missing" }, { kind: "empty" },
  ),
  fc.nat({ max: 400 }).map((keep): SignatureMode => ({ kind: "cut", keep })),
  fc
    .tuple(fc.constantFrom("", " ", "=", "==", "A", "\t", "AAAA"), fc.constantFrom("", " ", "=", "==", "A", "\t", "AAAA", "===="))
    .filter(([before, after]) => before + after !== "")
    .map(([before, after]): SignatureMode => ({ kind: "padded", before, after })),
  fc.constantFrom("base64url", "hex", "double", "urlencoded", "spaced", "nopad").map((how): SignatureMode => ({ kind: "reencoded", how } as SignatureMode)),
  fc.tuple(fc.nat({ max: 600 }), fc.nat({ max: 7 })).map(([at, bit]): SignatureMode => ({ kind: "flipped", at, bit })),
  hostileValue.map((value): SignatureMode => ({ kind: "nonString", value })),
);

export function describeMode(mode: SignatureMode): string {
  switch (mode.kind) {
    case "cut": return `signature cut to ${mode.keep} chars`;
    case "padded": return `signature padded ${JSON.stringify(mode.before)}…${JSON.stringify(mode.after)}`;
    case "reencoded": return `signature re-encoded (${mode.how})`;
    case "flipped": return `signature bit ${mode.bit} of byte ${mode.at} flipped`;
    case "nonString": return `sign as ${toJsonText(mode.value).slice(0, 40)}`;
    default: return `signature ${mode.kind}`;
  }
}

/** The signature (or whatever stands in its place) that `mode` makes for the signed bytes; undefined: none at all. */
export function applyMode(mode: SignatureMode, signed: Buffer, provider: Provider, keys: SigningKeys): string | HostileValue | undefined {
  const valid = () => signB64(signed, keys.providers[provider]);
  switch (mode.kind) {
    case "valid": return valid();
    case "stranger2048": return signB64(signed, keys.strangers[0]!);
    case "stranger4096": return signB64(signed, keys.strangers[1] ?? keys.strangers[0]!);
    case "otherProvider": return signB64(signed, keys.providers[PROVIDERS[(PROVIDERS.indexOf(provider) + 1) % PROVIDERS.length]!]);
    // Valid for other bytes: an old signature replayed on a changed body.
    case "stale": return signB64(Buffer.concat([signed, Buffer.from(" ")]), keys.providers[provider]);
    case "missing": return undefined;
    case "empty": return "";
    case "cut": return valid().slice(0, mode.keep);
    case "padded": return `${mode.before}${valid()}${mode.after}`;
    case "flipped": {
      const bytes = Buffer.from(valid(), "base64");
      const at = mode.at % bytes.length;
      bytes[at] = bytes[at]! ^ (1 << mode.bit);
      return bytes.toString("base64");
    }
    case "reencoded": {
      const b64 = valid();
      if (mode.how === "base64url") return b64.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
      if (mode.how === "hex") return Buffer.from(b64, "base64").toString("hex");
      if (mode.how === "double") return Buffer.from(b64).toString("base64");
      if (mode.how === "urlencoded") return encodeURIComponent(b64);
      if (mode.how === "nopad") return b64.replace(/=+$/, "");
      return b64.replace(/(.{64})/g, "$1 ");
    }
    case "nonString": return mode.value;
  }
}

/** Header values must be visible ASCII for HTTP to carry them at all. */
export const headerSafe = (value: string) => value.replace(/[^\x20-\x7e\t]/g, "?");
