import { randomInt } from "node:crypto";

// Sample notifications shaped like the providers' documented examples. Shared by
// the simulator, the demo seed and the tests, so all three speak the same shapes.

export type SampleOptions = {
  /** Merchant order id; a fresh one when absent. */
  orderId?: string;
  /** Provider transaction id; a fresh one when absent. */
  transactionId?: string;
  failed?: boolean;
  pending?: boolean;
  /** Integer minor units (PayCools) or a decimal string in major units (PayerMax). */
  amount?: number | string;
  kind?: "payment" | "payout" | "refund";
  channelCode?: string;
  /** Local "YYYY-MM-DD HH:mm:ss" in the market's zone (PayCools). */
  createTime?: string;
  returnTime?: string;
  referenceNumber?: string | null;
  currency?: string;
};

function digits(length: number): string {
  let out = String(randomInt(1, 10));
  while (out.length < length) out += String(randomInt(0, 10));
  return out;
}

export const newPaycoolsTransactionId = () => `C${digits(19)}`;
export const newPayermaxTradeOrderNo = () => `TOKEN${digits(18)}`;
export const newMerchantOrderId = (prefix = "ORD") => `${prefix}${digits(15)}`;

const EVENT_NAMES = {
  payment: { succeeded: "order.payment.success", failed: "order.payment.failed", pending: "order.payment.pending" },
  payout: { succeeded: "order.payout.success", failed: "order.payout.failed", pending: "order.payout.pending" },
  refund: { succeeded: "order.refund.success", failed: "order.refund.failed", pending: "order.refund.pending" },
} as const;

function outcomeOf(options: SampleOptions): "succeeded" | "failed" | "pending" {
  return options.failed ? "failed" : options.pending ? "pending" : "succeeded";
}

const PAYCOOLS_STATUS = { succeeded: "COMPLETED", failed: "FAILED", pending: "PENDING" } as const;

/** PayCools global `param`, like the "3.2.3 Payment Notification" example. */
export function paycoolsParam(options: SampleOptions = {}): Record<string, unknown> {
  const outcome = outcomeOf(options);
  const param: Record<string, unknown> = {
    eventName: EVENT_NAMES[options.kind ?? "payment"][outcome],
    amount: options.amount ?? 50000,
    channelCode: options.channelCode ?? "ID_BCA_VA",
    mchOrderId: options.orderId ?? newMerchantOrderId("Platform"),
    createTime: options.createTime ?? "2023-01-01 09:38:06",
    remark: "test payment",
    sign: "xxxxxxxxxxxxx",
    returnTime: options.returnTime ?? "2023-01-01 09:40:06",
    transactionId: options.transactionId ?? newPaycoolsTransactionId(),
    transactionStatus: PAYCOOLS_STATUS[outcome],
  };
  if (options.referenceNumber) param.referenceNumber = options.referenceNumber;
  return param;
}

/** PayCools Indonesia static VA `param`, like the "Static VA Collection Notification" example. */
export function paycoolsIdParam(options: SampleOptions = {}): Record<string, unknown> {
  const outcome = outcomeOf(options);
  return {
    amount: options.amount ?? 10000,
    channelCode: options.channelCode ?? "BNI_VA",
    createTime: options.createTime ?? "2023-03-09 10:21:23",
    eventName: outcome === "failed" ? "payment.failed" : outcome === "pending" ? "payment.pending" : "payment.success",
    mchOrderId: options.orderId ?? newMerchantOrderId("TestMchOrderId"),
    referenceNumber: options.referenceNumber === undefined ? `8558${digits(12)}` : options.referenceNumber,
    remark: "test payment code",
    returnTime: options.returnTime ?? "2023-03-09 10:33:54",
    transactionId: options.transactionId ?? newPaycoolsTransactionId(),
    transactionStatus: PAYCOOLS_STATUS[outcome],
  };
}

export type PayermaxSampleOptions = SampleOptions & {
  duplicateOf?: { orderId: string; tradeOrderNo: string };
};

/** PayerMax body, like the "Asynchronous Notification for Payment" example. */
export function payermaxBody(options: PayermaxSampleOptions = {}): Record<string, unknown> {
  const failed = outcomeOf(options) === "failed";
  const amount = String(options.amount ?? "33.50");
  const currency = options.currency ?? "IDR";
  return {
    orderId: options.orderId ?? digits(26),
    tradeOrderNo: options.transactionId ?? newPayermaxTradeOrderNo(),
    errorCode: failed ? "PAYMENT_FAILED" : "",
    errorMsg: failed ? "Payment failed at the issuer" : "",
    paymentType: "A34",
    reference: `GM${digits(15)}#${digits(26)}`,
    totalAmount: amount,
    payAmount: amount,
    merchantId: "SP35661109",
    exchangeRate: "1",
    countryCode: "ID",
    payCurrency: currency,
    currency,
    channelNo: `DMCP${digits(15)}`,
    thirdChannelNo: "4ikqJ6ktEqyRawE1dvqb9c",
    paymentCode: options.referenceNumber ?? digits(10),
    status: failed ? 2 : 1,
    paymentMethodType: "CARD",
    cardInfo: { cardOrg: "MASTERCARD", cardIdentifierNo: "520000******0007", cardIdentifierName: "*D" },
    targetOrg: "",
    orderType: options.duplicateOf ? "DUPLICATE_PAYMENT" : "PAYMENT",
    originalOrderId: options.duplicateOf?.orderId ?? "",
    originalTradeOrderNo: options.duplicateOf?.tradeOrderNo ?? "",
  };
}

export function samplePayload(provider: string, options: PayermaxSampleOptions = {}): Record<string, unknown> {
  if (provider === "paycools") return paycoolsParam(options);
  if (provider === "paycools-id") return paycoolsIdParam(options);
  if (provider === "payermax") return payermaxBody(options);
  throw new Error(`unknown provider "${provider}"`);
}
