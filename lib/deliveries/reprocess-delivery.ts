import type { SessionUser } from "@/lib/auth/session";
import type { Db } from "@/lib/db/client";
import { ingestNotification } from "@/lib/ingest/ingest-notification";
import { findProvider } from "@/lib/providers/registry";
import { verifySha256WithRsa } from "@/lib/providers/verify-signature";
import { isUuid } from "@/lib/db/is-uuid";
import { hasRole, onlyWho } from "@/lib/users/user-rules";

// Processes a stored rejected delivery again, for a genuine notification that
// Payhook itself turned away: it failed validation and a later version of
// Payhook handles it, an error in Payhook kept it from being stored, or the
// provider's configuration was missing or wrong at the time. Once the provider
// stops retrying, the stored bytes are all that is left of such a payment.
// Only signed bytes are ever trusted: the stored signature is checked again
// against the keys configured now before anything is parsed, and success goes
// through the ordinary ingest, which records a new delivery of its own.

export type ReprocessFailureCode =
  | "forbidden"
  | "not_found"
  | "not_eligible"
  | "already_reprocessed"
  | "provider_unavailable"
  | "signature_failed"
  | "still_rejected";

export type ReprocessResult =
  | { ok: true; outcome: "accepted" | "duplicate"; deliveryId: string; transactionId: string; message: string }
  | { ok: false; code: ReprocessFailureCode; message: string; errorCode?: string };

type Candidate = {
  outcome: string;
  errorCode: string | null;
  signatureValid: boolean | null;
  reprocessedAt: Date | null;
  bodyTruncated: boolean;
};

/** Refusals that came after the signature verified: the notification was genuine. */
export const REFUSED_AFTER_VERIFYING = ["payload_invalid", "internal_error", "provider_misconfigured", "merchant_mismatch"];
/** Refused before any check could run, for want of the provider's key: reprocessing is the first check. */
export const REFUSED_BEFORE_VERIFYING = ["provider_not_configured"];

/** Why a delivery cannot be reprocessed, or null when it can. */
export function reprocessRefusal(delivery: Candidate): { code: "not_eligible" | "already_reprocessed"; message: string } | null {
  if (delivery.outcome !== "rejected") {
    return { code: "not_eligible", message: `This delivery was ${delivery.outcome}, not rejected: there is nothing to reprocess.` };
  }
  if (delivery.reprocessedAt) {
    return { code: "already_reprocessed", message: `This delivery was already reprocessed on ${delivery.reprocessedAt.toISOString()}.` };
  }
  const code = delivery.errorCode ?? "";
  const eligible = (REFUSED_AFTER_VERIFYING.includes(code) && delivery.signatureValid === true) || REFUSED_BEFORE_VERIFYING.includes(code);
  if (eligible && delivery.bodyTruncated) {
    return {
      code: "not_eligible",
      message:
        "Only the first 64 KiB of this delivery's body was kept, as of any body no signature vouched for, so it cannot be reprocessed. " +
        "Real notifications are far smaller; a genuine one is retried by its provider.",
    };
  }
  if (!eligible) {
    return {
      code: "not_eligible",
      message:
        `Only a delivery Payhook turned away itself can be reprocessed: a genuine one (its signature verified) rejected as ` +
        `${REFUSED_AFTER_VERIFYING.join(", ")}, or one refused as ${REFUSED_BEFORE_VERIFYING.join(", ")}; this one was rejected as ` +
        `${delivery.errorCode ?? "unknown"}${delivery.signatureValid === true ? "" : " without a verified signature"}.`,
    };
  }
  return null;
}

/** The stored header map, as the webhook handler wrote it. */
function storedHeaders(stored: unknown): Record<string, string> {
  if (!stored || typeof stored !== "object" || Array.isArray(stored)) return {};
  return Object.fromEntries(Object.entries(stored).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
}

/** The stored headers as a Headers object for the adapter; a value Headers refuses is left out. */
function toHeaders(stored: Record<string, string>): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(stored)) {
    try {
      headers.set(name, value);
    } catch {
      // Not a header any provider adapter reads.
    }
  }
  return headers;
}

export async function reprocessDelivery(
  db: Db,
  /** The admin; their id is kept on the delivery (a script may act without one). */
  user: Pick<SessionUser, "role"> & { id?: string },
  deliveryId: string,
  options: { now?: () => Date } = {},
): Promise<ReprocessResult> {
  if (!hasRole(user.role, "admin")) return { ok: false, code: "forbidden", message: `${onlyWho("admin")} can reprocess a delivery.` };

  const delivery = isUuid(deliveryId) ? await db.delivery.findUnique({ where: { id: deliveryId } }) : null;
  if (!delivery) return { ok: false, code: "not_found", message: "There is no delivery with this id." };

  const refusal = reprocessRefusal(delivery);
  if (refusal) return { ok: false, ...refusal };

  const provider = findProvider(delivery.provider);
  if (!provider) {
    return { ok: false, code: "provider_unavailable", message: `Provider "${delivery.provider}" is no longer configured in Payhook.` };
  }
  const keyring = provider.keyring();
  if (!keyring.ok) return { ok: false, code: "provider_unavailable", message: keyring.message };

  const body = Buffer.from(delivery.body);
  const headers = storedHeaders(delivery.headers);
  const signed = provider.extractSigned(body, toHeaders(headers));
  if (!signed.ok) {
    return { ok: false, code: "still_rejected", errorCode: signed.failure.code, message: `Still rejected (${signed.failure.code}): ${signed.failure.message}` };
  }
  const check = verifySha256WithRsa(signed.value.signedBytes, signed.value.signature, keyring.keys, signed.value.signatureLocation);
  if (!check.ok) {
    return {
      ok: false,
      code: "signature_failed",
      errorCode: check.code,
      message: `The stored signature does not verify with the keys configured now, so the bytes cannot be trusted: ${check.message}`,
    };
  }
  const parsed = provider.parse(signed.value);
  if (!parsed.ok) {
    return { ok: false, code: "still_rejected", errorCode: parsed.failure.code, message: `Still rejected (${parsed.failure.code}): ${parsed.failure.message}` };
  }

  // The same request, now understood: it keeps its receipt time, so the
  // transaction counts on the day the provider sent it.
  const ingested = await ingestNotification(db, parsed.value, {
    provider: delivery.provider,
    method: delivery.method,
    receivedAt: delivery.receivedAt,
    headers,
    sourceIp: delivery.sourceIp,
    body,
    bodySize: delivery.bodySize,
    bodyTruncated: delivery.bodyTruncated,
    keyFingerprint: check.fingerprint,
  });

  // Conditional, so two admins pressing at once leave one reprocessing on record;
  // the slower one's ingest was a retry of the same event and changed nothing.
  await db.delivery.updateMany({
    where: { id: delivery.id, reprocessedAt: null },
    data: { reprocessedAt: (options.now ?? (() => new Date()))(), reprocessedById: user.id ?? null, transactionId: ingested.transactionId },
  });

  return {
    ok: true,
    outcome: ingested.outcome,
    deliveryId: ingested.deliveryId,
    transactionId: ingested.transactionId,
    message:
      ingested.outcome === "accepted"
        ? "Reprocessed: the notification was accepted and recorded on its transaction."
        : "Reprocessed: this event was already recorded (a retry had been accepted), so nothing changed.",
  };
}
