import { findProvider } from "@/lib/providers/registry";
import type { Notification } from "@/lib/providers/types";
import { verifySha256WithRsa } from "@/lib/providers/verify-signature";
import { readBodyWithLimit } from "@/lib/webhooks/read-body";

// The webhook route's verification path without the database: exact bytes in,
// keyring, signed part, signature check, parse — in the route's order, through
// the real adapters.

const BODY_LIMIT = 1024 * 1024;

export type Stage = "keyring" | "extract" | "verify" | "parse";

export type Delivered =
  | { ok: true; notification: Notification; fingerprint: string }
  | { ok: false; stage: Stage; status: number; code: string; message: string; fingerprint: string | null };

export async function deliver(providerName: string, body: Buffer, headers: Record<string, string> = {}): Promise<Delivered> {
  const adapter = findProvider(providerName);
  if (!adapter) throw new Error(`no adapter named ${providerName}`);
  const request = new Request(`https://payhook.test/api/webhooks/${providerName}`, {
    method: "POST",
    body: new Uint8Array(body),
    headers: { "content-type": "application/json", ...headers },
  });
  const read = await readBodyWithLimit(request, BODY_LIMIT);

  const keyring = adapter.keyring();
  if (!keyring.ok) {
    return { ok: false, stage: "keyring", status: 503, code: "provider_not_configured", message: keyring.message, fingerprint: null };
  }
  const signed = adapter.extractSigned(read.bytes, request.headers);
  if (!signed.ok) return { ok: false, stage: "extract", ...signed.failure, fingerprint: null };

  const check = verifySha256WithRsa(signed.value.signedBytes, signed.value.signature, keyring.keys, signed.value.signatureLocation);
  if (!check.ok) return { ok: false, stage: "verify", status: 401, code: check.code, message: check.message, fingerprint: null };

  const parsed = adapter.parse(signed.value);
  if (!parsed.ok) return { ok: false, stage: "parse", ...parsed.failure, fingerprint: check.fingerprint };
  return { ok: true, notification: parsed.value, fingerprint: check.fingerprint };
}

/** Narrows a delivery to its notification, failing the test with the refusal otherwise. */
export function accepted(result: Delivered): Notification & { fingerprint: string } {
  if (!result.ok) throw new Error(`expected the notification to be accepted, got ${result.status} ${result.code}: ${result.message}`);
  return { ...result.notification, fingerprint: result.fingerprint };
}
