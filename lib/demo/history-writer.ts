import type { KeyLike } from "node:crypto";
import { signFor } from "@/lib/simulator/sign";
import { after, MINUTE, SECOND } from "./demo-time";
import type { SeededRandom } from "./random";

// Collects the demo history as the HTTP requests the providers would have sent:
// signed with the provider's key, at a point in time, with the provider's
// retries repeating the very same bytes.

export const DEMO_PROVIDERS = ["paycools", "paycools-id", "payermax"] as const;
export type DemoProvider = (typeof DEMO_PROVIDERS)[number];
export type DemoKeys = Record<DemoProvider, KeyLike>;

export type DemoDelivery = {
  provider: DemoProvider;
  /** When the provider sent it: the delivery's receivedAt. */
  at: Date;
  /** Deliveries about one merchant order share a chain and are sent one after another, in time order. */
  chain: string;
  body: Buffer;
  headers: Record<string, string>;
  /** What Payhook must answer; anything else means the seed found a bug. */
  expectedStatus: number;
};

// Documentation address ranges (RFC 5737): the demo never names a real host.
const SOURCE_ADDRESSES: Record<DemoProvider, readonly string[]> = {
  paycools: ["203.0.113.10", "203.0.113.11", "203.0.113.12"],
  "paycools-id": ["203.0.113.40", "203.0.113.41"],
  payermax: ["198.51.100.21", "198.51.100.22", "198.51.100.23", "198.51.100.24"],
};
const USER_AGENTS: Record<DemoProvider, string> = {
  paycools: "Apache-HttpClient/4.5.14 (Java/17.0.9)",
  "paycools-id": "Apache-HttpClient/4.5.14 (Java/17.0.9)",
  payermax: "okhttp/4.12.0",
};

// PayerMax publishes its schedule (30 s, 5 min, 10 min, 1 h, 12 h after the
// first try); PayCools does not, so it gets a plausible one.
const RETRY_SCHEDULES: Record<DemoProvider, readonly number[]> = {
  paycools: [MINUTE, 5 * MINUTE, 15 * MINUTE],
  "paycools-id": [MINUTE, 5 * MINUTE, 15 * MINUTE],
  payermax: [30 * SECOND, 5 * MINUTE, 10 * MINUTE, 60 * MINUTE, 720 * MINUTE],
};
const RETRY_SHARE: Record<DemoProvider, number> = { paycools: 0.03, "paycools-id": 0.02, payermax: 0.05 };

export type NotifyOptions = {
  /** Repeat it at least once, whatever the dice say. */
  retry?: boolean;
};

export class HistoryWriter {
  readonly deliveries: DemoDelivery[] = [];
  private readonly usedIds = new Set<string>();

  constructor(
    readonly random: SeededRandom,
    readonly now: Date,
    private readonly keys: DemoKeys,
  ) {}

  /** True when `at` has already happened: later events are left out (a pending payment stays pending). */
  happened(at: Date): boolean {
    return at.getTime() <= this.now.getTime();
  }

  /** A fresh id from `make`, never handed out before in this history. */
  uniqueId(make: () => string): string {
    for (;;) {
      const id = make();
      if (!this.usedIds.has(id)) {
        this.usedIds.add(id);
        return id;
      }
    }
  }

  /** A genuine notification, signed with the provider's key, and the provider's retries of it. */
  notify(provider: DemoProvider, chain: string, at: Date, payload: Record<string, unknown>, options: NotifyOptions = {}): void {
    if (!this.happened(at)) return;
    const signed = signFor(provider, payload, this.keys[provider]);
    const headers = this.headersFor(provider, signed.headers);
    this.push({ provider, at, chain: `${provider}:${chain}`, body: signed.body, headers, expectedStatus: 200 });

    const schedule = RETRY_SCHEDULES[provider];
    if (!options.retry && !this.random.chance(RETRY_SHARE[provider])) return;
    const retries = this.random.int(1, Math.min(3, schedule.length));
    for (const delay of schedule.slice(0, retries)) {
      const retryAt = after(at, delay + this.random.int(0, 2_000));
      this.push({ provider, at: retryAt, chain: `${provider}:${chain}`, body: signed.body, headers, expectedStatus: 200 });
    }
  }

  /** A request Payhook must refuse with `expectedStatus`; each stands alone. */
  refuse(provider: DemoProvider, at: Date, body: Buffer, headers: Record<string, string>, expectedStatus: number, from?: string): void {
    const chain = `refused:${this.deliveries.length}`;
    this.push({ provider, at, chain, body, headers: this.headersFor(provider, headers, from), expectedStatus });
  }

  private headersFor(provider: DemoProvider, own: Record<string, string>, from?: string): Record<string, string> {
    return {
      ...own,
      "user-agent": USER_AGENTS[provider],
      "x-forwarded-for": from ?? this.random.pick(SOURCE_ADDRESSES[provider]),
    };
  }

  private push(delivery: DemoDelivery): void {
    if (this.happened(delivery.at)) this.deliveries.push(delivery);
  }
}
