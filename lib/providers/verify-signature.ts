import { verify } from "node:crypto";
import type { PublicKeyEntry } from "./keyring";

// SHA256withRSA (PKCS#1 v1.5) over exact bytes, tried against every configured
// key so that a rotation can overlap old and new keys.

export type SignatureCheck =
  | { ok: true; fingerprint: string }
  | { ok: false; code: "signature_missing" | "signature_malformed" | "signature_invalid"; message: string };

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export function verifySha256WithRsa(
  signedBytes: Buffer,
  signature: string | null | undefined,
  keys: readonly PublicKeyEntry[],
  where: string,
): SignatureCheck {
  if (signature === null || signature === undefined || signature.trim() === "") {
    return { ok: false, code: "signature_missing", message: `missing signature: ${where} is absent or empty` };
  }
  // Whitespace anywhere is dropped: a MIME base64 encoder (Java's getMimeEncoder) wraps lines at 76 characters.
  // Harmless, as the bytes decoded must still verify.
  const text = signature.replace(/\s+/g, "");
  if (!BASE64.test(text) || text.length % 4 !== 0) {
    return {
      ok: false,
      code: "signature_malformed",
      message: `signature in ${where} is not standard base64`,
    };
  }
  const bytes = Buffer.from(text, "base64");
  for (const entry of keys) {
    // A signature's length equals the modulus length; skip keys it cannot belong to.
    if (bytes.length !== entry.bits / 8) continue;
    if (verify("sha256", signedBytes, entry.key, bytes)) {
      return { ok: true, fingerprint: entry.fingerprint };
    }
  }
  return {
    ok: false,
    code: "signature_invalid",
    message: `signature in ${where} does not verify with any configured public key: check that the provider's current public key is configured`,
  };
}
