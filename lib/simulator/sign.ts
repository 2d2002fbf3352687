import { sign, type KeyLike } from "node:crypto";

// Signs notifications the way each provider does, for the simulator, the demo
// seed and the tests. Never used by the webhook routes, which only verify.

export type SignedRequest = { body: Buffer; headers: Record<string, string> };

export function signBytes(bytes: Buffer, privateKey: KeyLike): string {
  return sign("sha256", bytes, privateKey).toString("base64");
}

/** PayCools (both APIs): the signature covers the `param` string and travels beside it. */
export function signPaycools(param: Record<string, unknown> | string, privateKey: KeyLike): SignedRequest {
  const paramText = typeof param === "string" ? param : JSON.stringify(param);
  const envelope = { sign: signBytes(Buffer.from(paramText, "utf8"), privateKey), param: paramText };
  return { body: Buffer.from(JSON.stringify(envelope), "utf8"), headers: { "content-type": "application/json" } };
}

/** PayerMax: the signature covers the raw body and travels in the `sign` header. */
export function signPayermax(body: Record<string, unknown> | Buffer, privateKey: KeyLike): SignedRequest {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body), "utf8");
  return { body: bytes, headers: { "content-type": "application/json", sign: signBytes(bytes, privateKey) } };
}

export function signFor(provider: string, payload: Record<string, unknown>, privateKey: KeyLike): SignedRequest {
  return provider === "payermax" ? signPayermax(payload, privateKey) : signPaycools(payload, privateKey);
}
