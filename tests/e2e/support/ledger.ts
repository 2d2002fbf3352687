import { createPrivateKey, randomBytes, type KeyObject } from "node:crypto";
import { expect, type APIRequestContext } from "@playwright/test";
import { samplePayload, type PayermaxSampleOptions } from "@/lib/simulator/samples";
import { signFor, type SignedRequest } from "@/lib/simulator/sign";
import type { E2eProvider, RunInfo } from "./run-info";

// Test data, put in the way a provider does: signed notifications POSTed to the
// webhook route of the running app. Every order id is new, so a test sees its
// own rows whatever else the run has stored.

export type Sent = {
  provider: E2eProvider;
  orderId: string;
  /** PayCools transactionId or PayerMax tradeOrderNo. */
  providerTransactionId: string;
  payload: Record<string, unknown>;
  /** The exact request, so a retry can repeat its bytes. */
  signed: SignedRequest;
};

export function uniqueOrderId(label = "ORD"): string {
  return `E2E${label}${Date.now().toString(36)}${randomBytes(4).toString("hex")}`.toUpperCase();
}

export class Ledger {
  private readonly keys = new Map<E2eProvider, KeyObject>();
  /** Orders this test created, by provider: what the fixture cleans up. */
  readonly orders = new Map<E2eProvider, Set<string>>();

  constructor(
    private readonly webhook: APIRequestContext,
    private readonly admin: APIRequestContext,
    private readonly run: RunInfo,
  ) {}

  private key(provider: E2eProvider): KeyObject {
    let key = this.keys.get(provider);
    if (!key) {
      key = createPrivateKey(this.run.privateKeys[provider]);
      this.keys.set(provider, key);
    }
    return key;
  }

  /** Signs and sends one sample notification (fresh order id unless given) and expects it acknowledged. */
  async send(provider: E2eProvider, options: PayermaxSampleOptions = {}, edit?: (payload: Record<string, unknown>) => void): Promise<Sent> {
    const payload = samplePayload(provider, { ...options, orderId: options.orderId ?? uniqueOrderId() });
    edit?.(payload);
    const signed = signFor(provider, payload, this.key(provider));
    const sent: Sent = {
      provider,
      orderId: String(payload.mchOrderId ?? payload.orderId),
      providerTransactionId: String(payload.transactionId ?? payload.tradeOrderNo),
      payload,
      signed,
    };
    const orders = this.orders.get(provider) ?? new Set<string>();
    orders.add(sent.orderId);
    this.orders.set(provider, orders);
    await this.post(sent);
    return sent;
  }

  /** Sends the very same bytes again, as a provider's retry does. */
  retry(sent: Sent): Promise<void> {
    return this.post(sent);
  }

  private async post(sent: Sent): Promise<void> {
    const response = await this.webhook.post(`/api/webhooks/${sent.provider}`, {
      data: sent.signed.body,
      headers: sent.signed.headers,
    });
    expect(response.status(), `the ${sent.provider} webhook should acknowledge: ${await response.text()}`).toBe(200);
  }

  /** The ledger's row for a sent notification's transaction, from the JSON API. */
  async transaction(sent: Sent): Promise<ListedTransaction> {
    const response = await this.admin.get("/api/transactions", {
      params: { q: sent.providerTransactionId, provider: sent.provider },
    });
    expect(response.status()).toBe(200);
    const { data } = (await response.json()) as { data: ListedTransaction[] };
    const row = data.find((candidate) => candidate.providerTransactionId === sent.providerTransactionId);
    if (!row) throw new Error(`transaction ${sent.providerTransactionId} is not listed by /api/transactions`);
    return row;
  }

  /** The ids of a transaction's deliveries, oldest first, from the JSON API. */
  async deliveryIds(transactionId: string): Promise<string[]> {
    const response = await this.admin.get(`/api/transactions/${transactionId}`);
    expect(response.status()).toBe(200);
    const { deliveries } = (await response.json()) as { deliveries: { id: string }[] };
    return deliveries.map((delivery) => delivery.id);
  }
}

export type ListedTransaction = {
  id: string;
  merchantOrderId: string;
  providerTransactionId: string;
  status: string;
  duplicateCaseId: string | null;
  duplicateSource: string | null;
  statusConflict: boolean;
  conflictingStatus: string | null;
  firstSeenAt: string;
};
