import type { Db } from "@/lib/db/client";
import { findProvider } from "@/lib/providers/registry";
import { handleWebhook, type WebhookDeps } from "@/lib/webhooks/handle-webhook";
import type { DemoDelivery } from "./history-writer";

// Plays the demo history into the ledger through the real webhook handler:
// every notification is verified, validated and ingested exactly as a live one
// would be, with the handler's clock set to the moment the provider sent it.

export type UnexpectedReply = { delivery: DemoDelivery; status: number; body: string };

export type SendOptions = {
  /** Requests in flight at once. */
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
};

export type SendResult = { sent: number; unexpected: UnexpectedReply[] };

// Past this many wrong answers something is broken; the rest would only repeat it.
const GIVE_UP_AFTER = 20;

/**
 * Deliveries about one merchant order go one after another in time order, so
 * each order's story (pending, then paid; paid, then paid again) unfolds the
 * same way on every run; different orders go in parallel.
 */
function chainsOf(deliveries: readonly DemoDelivery[]): DemoDelivery[][] {
  const chains = new Map<string, DemoDelivery[]>();
  for (const delivery of deliveries) {
    const chain = chains.get(delivery.chain);
    if (chain) chain.push(delivery);
    else chains.set(delivery.chain, [delivery]);
  }
  const byTime = (a: DemoDelivery, b: DemoDelivery) => a.at.getTime() - b.at.getTime();
  const ordered = [...chains.values()].map((chain) => chain.sort(byTime));
  return ordered.sort((a, b) => byTime(a[0]!, b[0]!));
}

function requestFor(delivery: DemoDelivery): Request {
  return new Request(`http://localhost/api/webhooks/${delivery.provider}`, {
    method: "POST",
    headers: delivery.headers,
    body: new Uint8Array(delivery.body),
  });
}

export async function sendDemoHistory(db: Db, deliveries: readonly DemoDelivery[], options: SendOptions = {}): Promise<SendResult> {
  const chains = chainsOf(deliveries);
  const unexpected: UnexpectedReply[] = [];
  let next = 0;
  let sent = 0;

  const send = async (delivery: DemoDelivery) => {
    const deps: WebhookDeps = { db: async () => db, findProvider, now: () => delivery.at };
    const response = await handleWebhook(requestFor(delivery), delivery.provider, deps);
    const body = await response.text();
    sent += 1;
    if (response.status !== delivery.expectedStatus) {
      unexpected.push({ delivery, status: response.status, body: body.slice(0, 300) });
    }
    options.onProgress?.(sent, deliveries.length);
  };

  const worker = async () => {
    while (unexpected.length < GIVE_UP_AFTER) {
      const chain = chains[next++];
      if (!chain) return;
      for (const delivery of chain) await send(delivery);
    }
  };
  const concurrency = Math.max(1, options.concurrency ?? 8);
  await Promise.all(Array.from({ length: Math.min(concurrency, chains.length) }, worker));
  return { sent, unexpected };
}
