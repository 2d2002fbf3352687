import { payermaxBody } from "@/lib/simulator/samples";
import { convertMinor, minorToText, sampleMinor } from "./amounts";
import { PAYERMAX_COUNTRIES, PAYERMAX_FAILURES, PAYERMAX_MERCHANT_ID, type PayermaxCountry, type PayermaxMethod } from "./catalogue";
import { after, HOUR, localDateStamp, MINUTE, sampleInstant } from "./demo-time";
import type { HistoryWriter, NotifyOptions } from "./history-writer";

// Stories told through PayerMax: card, wallet, bank and cash payments in several
// countries and currencies, some priced in USD and paid in the local currency.
// Each returns how many provider transactions it created.

const USD_PRICES = { min: 1, max: 200, step: 1 };
/** Currencies without minor units in practice: PayerMax amounts in them are whole. */
const WHOLE_CURRENCIES = new Set(["IDR"]);

type Order = {
  country: PayermaxCountry;
  orderId: string;
  currency: string;
  /** Hundredths of `currency`. */
  amount: number;
  /** Set when the order is priced in USD and paid in the local currency. */
  usdRate?: string;
};

const decimalsOf = (currency: string): 0 | 2 => (WHOLE_CURRENCIES.has(currency) ? 0 : 2);

function pickCountry(w: HistoryWriter): PayermaxCountry {
  return w.random.weighted(PAYERMAX_COUNTRIES.map((country) => [country, country.weight] as const));
}

function newOrder(w: HistoryWriter, country: PayermaxCountry, at: Date): Order {
  const orderId = w.uniqueId(() => `PM${localDateStamp(at, country.utcOffset)}${w.random.digits(8)}`);
  if (country.usdRate && w.random.chance(0.15)) {
    // Priced in USD: whole dollars less a cent, as price lists do.
    return { country, orderId, currency: "USD", amount: sampleMinor(w.random, USD_PRICES) - 1, usdRate: country.usdRate };
  }
  return { country, orderId, currency: country.currency, amount: sampleMinor(w.random, country.amount) };
}

function cardInfo(w: HistoryWriter, method: PayermaxMethod): Record<string, string> {
  const cardOrg = w.random.pick(method.cardOrgs ?? ["VISA"]);
  const bin = cardOrg === "MASTERCARD" ? "520000" : cardOrg === "MADA" ? "588845" : cardOrg === "JCB" ? "353011" : "411111";
  const name = `${w.random.pick(["A", "D", "F", "M", "N", "R", "S", "Y"])}*`;
  return { cardOrg, cardIdentifierNo: `${bin}******${w.random.digits(4)}`, cardIdentifierName: name };
}

type Attempt = { tradeOrderNo: string; method: PayermaxMethod; failed: boolean; duplicateOf?: { orderId: string; tradeOrderNo: string } };

function body(w: HistoryWriter, order: Order, attempt: Attempt): Record<string, unknown> {
  const { method, failed } = attempt;
  const local = order.country.currency;
  const payMinor = order.usdRate ? convertMinor(order.amount, order.usdRate, decimalsOf(local)) : order.amount;
  const sample = payermaxBody({
    orderId: order.orderId,
    transactionId: attempt.tradeOrderNo,
    amount: minorToText(order.amount, decimalsOf(order.currency)),
    currency: order.currency,
    failed,
    duplicateOf: attempt.duplicateOf,
  });
  // The sample always carries a card; only card payments should.
  delete sample.cardInfo;
  const [errorCode, errorMsg] = failed ? w.random.pick(PAYERMAX_FAILURES) : ["", ""];
  return {
    ...sample,
    errorCode,
    errorMsg,
    reference: `${order.orderId}#${w.random.digits(10)}`,
    payAmount: minorToText(payMinor, decimalsOf(local)),
    merchantId: PAYERMAX_MERCHANT_ID,
    exchangeRate: order.usdRate ?? "1",
    countryCode: order.country.countryCode,
    payCurrency: local,
    channelNo: `DMCP${w.random.digits(15)}`,
    thirdChannelNo: w.random.code(22),
    paymentCode: method.paymentCode ? w.random.digits(method.paymentMethodType === "BOLETO" ? 20 : 12) : "",
    paymentMethodType: method.paymentMethodType,
    ...(method.cardOrgs ? { cardInfo: cardInfo(w, method) } : {}),
    targetOrg: method.targetOrg,
  };
}

function tradeOrderNo(w: HistoryWriter): string {
  return w.uniqueId(() => `TOKEN${w.random.digits(18)}`);
}

/** A checkout: mostly paid; some fail, and some of those payers try again and pay. */
export function payermaxPayment(w: HistoryWriter, options: NotifyOptions = {}): number {
  const country = pickCountry(w);
  const at = sampleInstant(w.random, w.now, country.utcOffset);
  const order = newOrder(w, country, at);
  const method = w.random.pick(order.country.methods);
  const failed = w.random.chance(0.11);
  w.notify("payermax", order.orderId, at, body(w, order, { tradeOrderNo: tradeOrderNo(w), method, failed }), options);
  const again = after(at, w.random.int(1, 25) * MINUTE);
  if (!failed || !w.random.chance(0.35) || !w.happened(again)) return 1;
  const second = { tradeOrderNo: tradeOrderNo(w), method: w.random.pick(order.country.methods), failed: false };
  w.notify("payermax", order.orderId, again, body(w, order, second));
  return 2;
}

/** An order paid, then paid again: PayerMax itself reports the second as DUPLICATE_PAYMENT. */
export function payermaxDeclaredDuplicate(w: HistoryWriter, options: NotifyOptions = {}): number {
  const country = pickCountry(w);
  const at = sampleInstant(w.random, w.now, country.utcOffset, 2 * HOUR);
  const order = newOrder(w, country, at);
  const method = w.random.pick(order.country.methods);
  const original = { tradeOrderNo: tradeOrderNo(w), method, failed: false };
  w.notify("payermax", order.orderId, at, body(w, order, original));
  // Mostly within the hour; some payers pay again the next day. Never after now.
  const delay = w.random.chance(0.8) ? w.random.int(5, 90) * MINUTE : w.random.int(20, 48) * HOUR;
  const again = after(at, Math.min(delay, (w.now.getTime() - at.getTime()) / 2));
  const duplicate = {
    tradeOrderNo: tradeOrderNo(w),
    method: w.random.chance(0.7) ? method : w.random.pick(order.country.methods),
    failed: false,
    duplicateOf: { orderId: order.orderId, tradeOrderNo: original.tradeOrderNo },
  };
  w.notify("payermax", order.orderId, again, body(w, order, duplicate), options);
  return 2;
}
