import { randomBytes, type KeyObject } from "node:crypto";
import { paycoolsIdParam, paycoolsParam, payermaxBody, type PayermaxSampleOptions } from "@/lib/simulator/samples";
import { signFor, type SignedRequest } from "@/lib/simulator/sign";
import type { HttpClient, HttpResponse } from "./http";
import { PROBE_HEADER } from "./hostile-rules";
import type { Provider } from "./keys";

// Notifications the load phases send, each remembering what it should become
// in the ledger, and every attempt to deliver it (probe id, answer, timing).

export type Notification = {
  provider: Provider;
  /** The ledger's identity of the event: retries share it. */
  eventKey: string;
  providerTransactionId: string;
  merchantOrderId: string;
  kind: "payment" | "payout" | "refund";
  status: "succeeded" | "failed" | "pending";
  /** The amount the ledger must hold, as the exact decimal string it compares with. */
  amount: string;
  currency: string;
  signed: SignedRequest;
  attempts: Attempt[];
};

export type Attempt = { probe: string; startedAt: number; endedAt: number; status: number; error?: string };

let probeCounter = 0;
const runTag = randomBytes(3).toString("hex");

export function nextProbe(label: string): string {
  return `${label}-${runTag}-${++probeCounter}`;
}

export function uniqueId(prefix: string): string {
  return `${prefix}${Date.now().toString(36)}${randomBytes(5).toString("hex")}`.toUpperCase();
}

const PAYCOOLS_EVENT: Record<string, string> = { COMPLETED: "succeeded", FAILED: "failed", PENDING: "pending" };

/** A signed sample notification with fresh ids unless given. PayCools amounts are minor units, 2 decimals. */
export function makeNotification(
  provider: Provider,
  key: KeyObject,
  options: PayermaxSampleOptions & { minor?: number; major?: string } = {},
): Notification {
  if (provider === "payermax") {
    const major = options.major ?? `${1 + Math.floor(Math.random() * 99_999)}.${String(Math.floor(Math.random() * 100)).padStart(2, "0")}`;
    const body = payermaxBody({ ...options, orderId: options.orderId ?? uniqueId("RO"), transactionId: options.transactionId ?? uniqueId("RT"), amount: major });
    return {
      provider,
      eventKey: `${body.tradeOrderNo}:${body.status}`,
      providerTransactionId: String(body.tradeOrderNo),
      merchantOrderId: String(body.orderId),
      kind: "payment",
      status: body.status === 1 ? "succeeded" : "failed",
      amount: major,
      currency: String(body.currency),
      signed: signFor(provider, body, key),
      attempts: [],
    };
  }
  const minor = options.minor ?? 100 + Math.floor(Math.random() * 9_999_900);
  const sample = provider === "paycools" ? paycoolsParam : paycoolsIdParam;
  const param = sample({ ...options, orderId: options.orderId ?? uniqueId("RO"), transactionId: options.transactionId ?? uniqueId("C"), amount: minor });
  const status = String(param.transactionStatus);
  return {
    provider,
    eventKey: `${param.transactionId}:${param.eventName}:${status}`,
    providerTransactionId: String(param.transactionId),
    merchantOrderId: String(param.mchOrderId),
    kind: options.kind ?? "payment",
    status: PAYCOOLS_EVENT[status] as Notification["status"],
    amount: (minor / 100).toFixed(2),
    currency: provider === "paycools-id" ? "IDR" : "IDR",
    signed: signFor(provider, param, key),
    attempts: [],
  };
}

/** POSTs a notification's exact bytes once, tagged with a fresh probe id, and records the attempt. */
export async function deliver(client: HttpClient, notification: Notification, label: string, timeoutMs = 30_000): Promise<HttpResponse> {
  const probe = nextProbe(label);
  const startedAt = Date.now();
  const response = await client.request({
    method: "POST",
    path: `/api/webhooks/${notification.provider}`,
    headers: { ...notification.signed.headers, [PROBE_HEADER]: probe },
    body: notification.signed.body,
    timeoutMs,
  });
  // Timed from when the request left the client, so waiting for one of the client's own connections does not count.
  notification.attempts.push({ probe, startedAt: startedAt + Math.round(response.queuedMs), endedAt: Date.now(), status: response.status, error: response.error });
  return response;
}

export const acknowledged = (notification: Notification) => notification.attempts.some((attempt) => attempt.status === 200);

/** Runs `tasks` with at most `concurrency` in flight. */
export async function pool<T>(items: T[], concurrency: number, task: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      await task(items[index]!, index);
    }
  });
  await Promise.all(workers);
}

