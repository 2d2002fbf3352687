import { getDb, type Db } from "@/lib/db/client";
import { describeError } from "@/lib/describe-error";
import { isDatabaseUnavailable } from "@/lib/db/errors";
import { recordRejectedDelivery, type Rejection } from "@/lib/deliveries/record-rejected-delivery";
import { claimRefusalRecord, NOT_COUNTED_NOTE, notRecordedNote, recordedBytes, refusalLimits, takeRefusalPlace, type RefusalLimits } from "@/lib/deliveries/refusal-budget";
import type { DeliveryInput } from "@/lib/ingest/delivery-input";
import { ingestNotification } from "@/lib/ingest/ingest-notification";
import { findProvider, providers } from "@/lib/providers/registry";
import type { ProviderAdapter } from "@/lib/providers/types";
import { verifySha256WithRsa } from "@/lib/providers/verify-signature";
import { errorResponse } from "./json-response";
import { discardBody, readBodyWithLimit } from "./read-body";
import { redactHeaders, sourceIpOf } from "./redact-headers";
import { DeadlineExceeded, withDeadline } from "./with-deadline";

// The whole life of a webhook request, framework-free: Request in, Response out.
// read exact bytes → verify → parse → ingest → acknowledge. Nothing is
// acknowledged before the ingest's database transaction has committed.

export const MAX_BODY_BYTES = 1024 * 1024;
/**
 * What is kept of the body of a refusal no signature vouches for (a forged or
 * unsigned request, a body that is not JSON, one over the limit). Every real
 * notification fits, so an integration engineer still sees exactly what came;
 * a sender without a key fills the database at a sixteenth of the pace. That
 * includes a request refused because the provider's key was not configured
 * yet: a real one fits, so reprocessing still has it whole. A body a signature
 * verified is kept whole.
 */
export const UNVERIFIED_BODY_BYTES = 64 * 1024;
const RETRY_AFTER_SECONDS = "30";
/** Set on a refusal that went past the limits on recording refusals and was not recorded. */
export const NOT_RECORDED_HEADER = "Payhook-Refusal-Not-Recorded";
/** Past this, a database that stopped answering is treated as away: 503, and the provider retries. */
export const DATABASE_DEADLINE_MS = 4_000;

export type WebhookDeps = {
  db: () => Promise<Db>;
  findProvider: (name: string) => ProviderAdapter | undefined;
  now: () => Date;
  /** The limits on recording unverified refusals: per sender and minute, in bytes, and at once (the environment's by default). */
  refusalLimits?: () => RefusalLimits;
};

const defaultDeps: WebhookDeps = { db: getDb, findProvider, now: () => new Date() };

function unavailable(timedOut = false): Response {
  return errorResponse(
    503,
    "database_unavailable",
    timedOut
      ? // The write may still commit after this answer: the retry is then recognised and acknowledged as a duplicate.
        "the ledger's database did not answer in time, so the notification was not acknowledged (it may yet be stored; a retry is recognised): retry later"
      : "the ledger's database is unreachable, so the notification was not stored: retry later",
    { "Retry-After": RETRY_AFTER_SECONDS },
  );
}

export async function handleWebhook(request: Request, providerName: string, deps: WebhookDeps = defaultDeps): Promise<Response> {
  const provider = deps.findProvider(providerName);
  if (!provider) {
    const known = providers.map((p) => p.name).join(", ");
    return errorResponse(404, "provider_unknown", `no webhook route for provider "${providerName.slice(0, 64)}": use one of ${known}`);
  }

  const delivery: DeliveryInput = {
    provider: provider.name,
    method: request.method,
    receivedAt: deps.now(),
    headers: redactHeaders(request.headers),
    sourceIp: sourceIpOf(request.headers),
    body: Buffer.alloc(0),
    bodySize: 0,
    bodyTruncated: false,
  };

  const limits = deps.refusalLimits ?? refusalLimits;
  const reject = async (rejection: Rejection, headers?: HeadersInit): Promise<Response> => {
    // Only a verified signature vouches for a body. One refused for want of a key is capped too (every real
    // notification fits, so reprocessing still has it whole): an unused provider's route is no way around the cap.
    const kept =
      rejection.signatureValid === true || delivery.body.length <= UNVERIFIED_BODY_BYTES
        ? delivery
        : { ...delivery, body: delivery.body.subarray(0, UNVERIFIED_BODY_BYTES), bodyTruncated: true };
    try {
      // A refusal no signature vouched for takes one of the process's places for them, and counts against its
      // sender's minute (lib/deliveries/refusal-budget.ts).
      const current = rejection.signatureValid === true ? undefined : limits();
      const release = current ? takeRefusalPlace(current) : undefined;
      const notRecorded =
        current && !release
          ? NOT_COUNTED_NOTE
          : await withDeadline(
              // Called inside the chain, so a deps.db() that throws rather than rejects still gives the place back.
              Promise.resolve()
                .then(() => deps.db())
                .then(async (db) => {
                  if (current) {
                    const claim = await claimRefusalRecord(db, kept.sourceIp, recordedBytes(kept.body, kept.headers), kept.receivedAt, current);
                    if (!claim.record) return notRecordedNote(claim, current);
                  }
                  await recordRejectedDelivery(db, kept, rejection);
                  return undefined;
                })
                // The place is given back when the work ends, which may be after the answer went at the deadline.
                .finally(() => release?.()),
              DATABASE_DEADLINE_MS,
            );
      // Answered as any refusal, so a provider retries on its own schedule; the sender is told it was not kept.
      if (notRecorded) {
        const marked = new Headers(headers);
        marked.set(NOT_RECORDED_HEADER, "true");
        return errorResponse(rejection.httpStatus, rejection.errorCode, rejection.reason + notRecorded, marked);
      }
    } catch (error) {
      // The refusal stands either way; only its record is missing.
      console.error(`[webhook:${provider.name}] could not record a rejected delivery`, describeError(error));
    }
    return errorResponse(rejection.httpStatus, rejection.errorCode, rejection.reason, headers);
  };

  if (request.method !== "POST") {
    await discardBody(request);
    return reject(
      { httpStatus: 405, errorCode: "method_not_allowed", reason: `${request.method} is not accepted here: providers POST their notifications` },
      { Allow: "POST" },
    );
  }

  const body = await readBodyWithLimit(request, MAX_BODY_BYTES);
  Object.assign(delivery, { body: body.bytes, bodySize: body.size, bodyTruncated: body.truncated });
  if (body.truncated) {
    return reject({
      httpStatus: 413,
      errorCode: "body_too_large",
      reason: `the body is larger than ${MAX_BODY_BYTES} bytes, the most a notification may be`,
    });
  }

  const keyring = provider.keyring();
  if (!keyring.ok) {
    return reject({ httpStatus: 503, errorCode: "provider_not_configured", reason: keyring.message }, { "Retry-After": RETRY_AFTER_SECONDS });
  }

  const signed = provider.extractSigned(body.bytes, request.headers);
  if (!signed.ok) {
    const { status, code, message } = signed.failure;
    return reject({ httpStatus: status, errorCode: code, reason: message });
  }
  const check = verifySha256WithRsa(signed.value.signedBytes, signed.value.signature, keyring.keys, signed.value.signatureLocation);
  if (!check.ok) {
    return reject({ httpStatus: 401, errorCode: check.code, reason: check.message, signatureValid: check.code === "signature_invalid" ? false : undefined });
  }

  const parsed = provider.parse(signed.value);
  if (!parsed.ok) {
    const { status, code, message } = parsed.failure;
    return reject({ httpStatus: status, errorCode: code, reason: message, signatureValid: true, keyFingerprint: check.fingerprint });
  }

  try {
    await withDeadline(
      deps.db().then((db) => ingestNotification(db, parsed.value, { ...delivery, keyFingerprint: check.fingerprint })),
      DATABASE_DEADLINE_MS,
    );
  } catch (error) {
    if (error instanceof DeadlineExceeded || isDatabaseUnavailable(error)) return unavailable(error instanceof DeadlineExceeded);
    console.error(`[webhook:${provider.name}] ingest failed`, describeError(error));
    // The ingest rolled back; the request is still kept, so the failure shows on the Deliveries page.
    return reject({
      httpStatus: 500,
      errorCode: "internal_error",
      reason: "the notification could not be stored because of an error in Payhook; it was not acknowledged, so the provider will retry",
      signatureValid: true,
      keyFingerprint: check.fingerprint,
    });
  }
  return Response.json(provider.acknowledgement, { status: 200 });
}
