import type { Db } from "@/lib/db/client";
import type { DeliveryInput } from "@/lib/ingest/delivery-input";

export type Rejection = {
  httpStatus: number;
  errorCode: string;
  reason: string;
  /** Set once a signature was checked: a forged payload and a malformed signed one differ. */
  signatureValid?: boolean;
  keyFingerprint?: string;
};

/** Keeps a refused request, so a misconfigured key or an attack can be seen. */
export async function recordRejectedDelivery(db: Db, delivery: DeliveryInput, rejection: Rejection): Promise<string> {
  const row = await db.delivery.create({
    data: {
      provider: delivery.provider,
      method: delivery.method.slice(0, 16),
      receivedAt: delivery.receivedAt,
      outcome: "rejected",
      httpStatus: rejection.httpStatus,
      errorCode: rejection.errorCode,
      // PostgreSQL text cannot hold U+0000, and a reason may quote what the sender sent.
      reason: rejection.reason.replace(/\u0000/g, "\\u0000"),
      signatureValid: rejection.signatureValid ?? null,
      keyFingerprint: rejection.keyFingerprint ?? null,
      headers: delivery.headers,
      sourceIp: delivery.sourceIp,
      body: new Uint8Array(delivery.body),
      bodySize: delivery.bodySize,
      bodyTruncated: delivery.bodyTruncated,
    },
    select: { id: true },
  });
  return row.id;
}
