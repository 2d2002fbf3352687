import type { Keyring } from "./keyring";

export type TransactionKind = "payment" | "payout" | "refund";
export type TransactionStatus = "pending" | "succeeded" | "failed" | "cancelled";

/** A provider notification, verified and reduced to what the ledger keeps. */
export type Notification = {
  provider: string;
  /** The identity of this event: retries share it, so they are recognised. */
  eventKey: string;
  eventName: string | null;
  kind: TransactionKind;
  providerTransactionId: string;
  merchantOrderId: string;
  status: TransactionStatus;
  providerStatus: string;
  /** Major units, exact decimal string. */
  amount: string;
  rawAmount: string;
  currency: string;
  channel: string | null;
  paymentMethod: string | null;
  referenceNumber: string | null;
  reusableOrder: boolean;
  payAmount: string | null;
  payCurrency: string | null;
  exchangeRate: string | null;
  providerCreatedAt: Date | null;
  providerCompletedAt: Date | null;
  orderType: string | null;
  declaredDuplicate: boolean;
  originalMerchantOrderId: string | null;
  originalProviderTransactionId: string | null;
  /** The decoded payload: PayCools' `param`, PayerMax's body. */
  payload: Record<string, unknown>;
};

/** What a provider adapter says went wrong, with the status the route answers. */
export type ProviderFailure = {
  status: 400 | 401 | 422 | 503;
  code: string;
  message: string;
};

export type Step<T> = { ok: true; value: T } | { ok: false; failure: ProviderFailure };

/** The bytes a provider signed, the signature, and where it was found. */
export type SignedPart = {
  signedBytes: Buffer;
  signature: string | null;
  signatureLocation: string;
};

export type ProviderAdapter = {
  name: string;
  label: string;
  /** The environment variable holding its public key(s). */
  keyVariable: string;
  keyring(): Keyring;
  /** Finds the signed bytes and the signature in the request, reading nothing else. */
  extractSigned(body: Buffer, headers: Headers): Step<SignedPart>;
  /** Decodes and validates a verified notification. */
  parse(signed: SignedPart): Step<Notification>;
  /** The body that tells this provider to stop retrying. */
  acknowledgement: Record<string, unknown>;
};

export function fail(status: ProviderFailure["status"], code: string, message: string): { ok: false; failure: ProviderFailure } {
  return { ok: false, failure: { status, code, message } };
}
