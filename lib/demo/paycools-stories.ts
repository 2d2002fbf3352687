import { paycoolsIdParam, paycoolsParam } from "@/lib/simulator/samples";
import { partOf, sampleMinor } from "./amounts";
import {
  PAYCOOLS_ID_PAYMENT,
  PAYCOOLS_ID_VA_CHANNELS,
  PAYCOOLS_ID_ZONE,
  PAYCOOLS_MARKETS,
  PAYMENT_REMARKS,
  PAYOUT_REMARKS,
  REFUND_REMARKS,
  type PaycoolsMarket,
} from "./catalogue";
import { after, DAY, HOUR, localDateStamp, localTime, MINUTE, sampleInstant, SECOND } from "./demo-time";
import type { HistoryWriter, NotifyOptions } from "./history-writer";

// Stories told through PayCools' two APIs. Each returns how many provider
// transactions it created.

type Kind = "payment" | "payout" | "refund";
type Path = "succeeded" | "failed" | "pending-succeeded" | "pending-failed";

type Order = {
  market: PaycoolsMarket;
  kind: Kind;
  orderId: string;
  amount: number;
  channel: string;
  created: Date;
  remark: string;
  referenceNumber?: string;
};

function pickMarket(w: HistoryWriter): PaycoolsMarket {
  return w.random.weighted(PAYCOOLS_MARKETS.map((market) => [market, market.weight] as const));
}

function orderId(w: HistoryWriter, prefix: string, at: Date, utcOffset: number): string {
  return w.uniqueId(() => `${prefix}${localDateStamp(at, utcOffset)}${w.random.digits(6)}`);
}

export function paycoolsTransactionId(w: HistoryWriter): string {
  return w.uniqueId(() => `C${w.random.digits(19)}`);
}

function event(order: Order, id: string, at: Date, outcome: "succeeded" | "failed" | "pending"): Record<string, unknown> {
  const offset = order.market.utcOffset;
  const param = paycoolsParam({
    kind: order.kind,
    orderId: order.orderId,
    transactionId: id,
    amount: order.amount,
    channelCode: order.channel,
    createTime: localTime(order.created, offset),
    returnTime: localTime(at, offset),
    referenceNumber: order.referenceNumber ?? null,
    failed: outcome === "failed",
    pending: outcome === "pending",
  });
  return { ...param, remark: order.remark };
}

/**
 * One provider transaction from first notice to final state. A pending notice
 * is sometimes delivered late, after the final one, as at-least-once delivery allows.
 * Returns when the transaction was settled (or last heard of).
 */
function tell(w: HistoryWriter, order: Order, path: Path, at: Date, settleAfter: number, options: NotifyOptions = {}): Date {
  const id = paycoolsTransactionId(w);
  const chain = order.orderId;
  if (path === "succeeded" || path === "failed") {
    w.notify("paycools", chain, at, event(order, id, at, path), options);
    return at;
  }
  const settled = after(at, settleAfter);
  const pending = event(order, id, at, "pending");
  const late = w.happened(settled) && w.random.chance(0.12);
  if (!late) w.notify("paycools", chain, at, pending);
  w.notify("paycools", chain, settled, event(order, id, settled, path === "pending-succeeded" ? "succeeded" : "failed"), options);
  if (late) w.notify("paycools", chain, after(settled, w.random.int(1, 40) * SECOND), pending);
  return settled;
}

function newOrder(w: HistoryWriter, kind: Kind, at: Date, market = pickMarket(w)): Order {
  const created = after(at, -w.random.int(20, 900) * SECOND);
  return {
    market,
    kind,
    orderId: orderId(w, kind === "payout" ? "PO" : "ORD", created, market.utcOffset),
    amount: sampleMinor(w.random, kind === "payout" ? market.payout : market.payment),
    channel: w.random.pick(kind === "payout" ? market.payoutChannels : market.paymentChannels),
    created,
    remark: w.random.pick(kind === "payout" ? PAYOUT_REMARKS : PAYMENT_REMARKS),
  };
}

/** A payment for a one-time order: mostly paid at once, some fail, some wait a while first. */
export function paycoolsPayment(w: HistoryWriter): number {
  const market = pickMarket(w);
  const at = sampleInstant(w.random, w.now, market.utcOffset);
  const path = w.random.weighted<Path>([["succeeded", 80], ["failed", 9], ["pending-succeeded", 8], ["pending-failed", 3]]);
  tell(w, newOrder(w, "payment", at, market), path, at, w.random.int(2, 180) * MINUTE);
  return 1;
}

/** Money sent out to a seller, driver or customer: usually processing for a while, then done. */
export function paycoolsPayout(w: HistoryWriter, options: NotifyOptions = {}): number {
  const market = pickMarket(w);
  const at = sampleInstant(w.random, w.now, market.utcOffset);
  const path = w.random.weighted<Path>([["succeeded", 55], ["pending-succeeded", 33], ["failed", 6], ["pending-failed", 6]]);
  tell(w, newOrder(w, "payout", at, market), path, at, w.random.int(1, 45) * MINUTE, options);
  return 1;
}

/** Started in the last two hours and still waiting for the provider's final word. */
export function paycoolsStillPending(w: HistoryWriter): number {
  const at = after(w.now, -w.random.int(3, 120) * MINUTE);
  const kind = w.random.chance(0.6) ? "payout" : "payment";
  // Settles a day later, which has not come yet: only the pending notice is sent.
  tell(w, newOrder(w, kind, at), "pending-succeeded", at, DAY);
  return 1;
}

/** A paid order refunded in full or in part, hours or days later. */
export function paycoolsRefund(w: HistoryWriter, options: NotifyOptions = {}): number {
  const market = pickMarket(w);
  const at = sampleInstant(w.random, w.now, market.utcOffset, 2 * HOUR);
  const order = newOrder(w, "payment", at, market);
  const paid = tell(w, order, "succeeded", at, 0);
  const refundAt = after(paid, w.random.int(1, 6 * 24) * HOUR);
  if (!w.happened(refundAt)) return 1;
  const amount = w.random.chance(0.7) ? order.amount : partOf(w.random, order.amount);
  const refund: Order = { ...order, kind: "refund", amount, created: after(refundAt, -w.random.int(5, 120) * SECOND), remark: w.random.pick(REFUND_REMARKS) };
  tell(w, refund, w.random.chance(0.92) ? "succeeded" : "pending-failed", refundAt, w.random.int(1, 20) * MINUTE, options);
  return 2;
}

/** A payer who paid one order twice (two wallets, two taps): Payhook must detect it. Sometimes refunded already. */
export function paycoolsDetectedDuplicate(w: HistoryWriter, options: NotifyOptions = {}): number {
  const market = pickMarket(w);
  const at = sampleInstant(w.random, w.now, market.utcOffset, HOUR);
  const order = newOrder(w, "payment", at, market);
  tell(w, order, "succeeded", at, 0);
  const again = after(at, w.random.int(2, 45) * MINUTE);
  tell(w, { ...order, channel: w.random.pick(market.paymentChannels) }, "succeeded", again, 0, options);
  const refundAt = after(again, w.random.int(2, 72) * HOUR);
  if (!w.random.chance(0.4) || !w.happened(refundAt)) return 2;
  tell(w, { ...order, kind: "refund", created: refundAt, remark: "Duplicate payment refunded" }, "succeeded", refundAt, 0);
  return 3;
}

/** An over-the-counter payment code or static QR paid into several times: never a duplicate. */
export function paycoolsStaticCode(w: HistoryWriter): number {
  const market = pickMarket(w);
  const first = sampleInstant(w.random, w.now, market.utcOffset, 3 * DAY);
  const code: Order = {
    ...newOrder(w, "payment", first, market),
    orderId: orderId(w, "CODE", first, market.utcOffset),
    channel: w.random.pick(market.staticChannels),
    referenceNumber: w.uniqueId(() => w.random.digits(13)),
    remark: "Payment code",
  };
  const wanted = w.random.int(2, 6);
  let payments = 0;
  // Paid into every few days, until the code has been used enough or today is reached.
  for (let at = first; payments < wanted && w.happened(at); at = after(at, w.random.int(6, 20 * 24) * HOUR)) {
    const amount = sampleMinor(w.random, market.payment);
    tell(w, { ...code, amount, created: after(at, -w.random.int(5, 60) * SECOND) }, w.random.chance(0.93) ? "succeeded" : "failed", at, 0);
    payments += 1;
  }
  return payments;
}

export type StaticVa = { orderId: string; referenceNumber: string; channel: string; popularity: number };

/** The merchant's customers' static VAs at PayCools Indonesia: a few busy ones, many quiet ones. */
export function openStaticVas(w: HistoryWriter, count: number): StaticVa[] {
  return Array.from({ length: count }, () => {
    const [channel, prefix] = w.random.pick(PAYCOOLS_ID_VA_CHANNELS);
    return {
      orderId: w.uniqueId(() => `CUSTVA${w.random.digits(8)}`),
      referenceNumber: w.uniqueId(() => `${prefix}${w.random.digits(12)}`),
      channel,
      popularity: 1 + w.random.next() ** 3 * 12,
    };
  });
}

/** One transfer into a static VA. Repeats into the same VA are how VAs work. */
export function paycoolsIdVaPayment(w: HistoryWriter, vas: readonly StaticVa[], options: NotifyOptions = {}): number {
  const va = w.random.weighted(vas.map((entry) => [entry, entry.popularity] as const));
  const at = sampleInstant(w.random, w.now, PAYCOOLS_ID_ZONE.utcOffset);
  const param = paycoolsIdParam({
    orderId: va.orderId,
    referenceNumber: va.referenceNumber,
    channelCode: va.channel,
    transactionId: paycoolsTransactionId(w),
    amount: sampleMinor(w.random, PAYCOOLS_ID_PAYMENT),
    createTime: localTime(after(at, -w.random.int(3, 30) * SECOND), PAYCOOLS_ID_ZONE.utcOffset),
    returnTime: localTime(at, PAYCOOLS_ID_ZONE.utcOffset),
    failed: w.random.chance(0.04),
  });
  w.notify("paycools-id", va.orderId, at, { ...param, remark: "VA transfer" }, options);
  return 1;
}

