import { minorToMajor } from "@/lib/money";
import { zonedLocalTimeToUtc } from "@/lib/time";
import { fail, type Notification, type Step, type TransactionKind, type TransactionStatus } from "../types";
import type { PaycoolsParam } from "./param";

export type PaycoolsMarket = { currency: string; timeZone: string };

export type PaycoolsNormaliseOptions = {
  provider: string;
  /** The market (currency, zone) a notification belongs to, from its channel code. */
  marketFor(channelCode: string): PaycoolsMarket | null;
  /** How many decimals the integer amount carries for a currency. */
  exponentFor(currency: string): number;
};

const STATUS: Record<string, TransactionStatus> = {
  COMPLETED: "succeeded",
  SUCCESS: "succeeded",
  SUCCEEDED: "succeeded",
  PAID: "succeeded",
  FAILED: "failed",
  FAIL: "failed",
  FAILURE: "failed",
  REJECTED: "failed",
  PENDING: "pending",
  PROCESSING: "pending",
  CREATED: "pending",
  INIT: "pending",
  CANCELLED: "cancelled",
  CANCELED: "cancelled",
  CLOSED: "cancelled",
  EXPIRED: "cancelled",
};

function kindOf(eventName: string): TransactionKind | null {
  const name = eventName.toLowerCase();
  if (name.includes("refund")) return "refund";
  if (name.includes("payout") || name.includes("disburse")) return "payout";
  if (name.includes("payment") || name.includes("collection") || name.includes("order")) return "payment";
  return null;
}

function timeOrFail(value: string | null | undefined, field: string, timeZone: string): Step<Date | null> {
  if (value === null || value === undefined || value === "") return { ok: true, value: null };
  const instant = zonedLocalTimeToUtc(value, timeZone);
  if (!instant) return fail(422, "payload_invalid", `param.${field}: "${value}" is not a time of the form YYYY-MM-DD HH:mm:ss`);
  return { ok: true, value: instant };
}

export function normalisePaycools(param: PaycoolsParam, options: PaycoolsNormaliseOptions): Step<Notification> {
  const kind = kindOf(param.eventName);
  if (!kind) {
    return fail(422, "payload_invalid", `param.eventName: "${param.eventName}" is not a payment, payout or refund event`);
  }
  const status = STATUS[param.transactionStatus.toUpperCase()];
  if (!status) {
    return fail(
      422,
      "payload_invalid",
      `param.transactionStatus: "${param.transactionStatus}" is not a status Payhook knows (${Object.keys(STATUS).join(", ")})`,
    );
  }
  const market = options.marketFor(param.channelCode);
  if (!market) {
    return fail(422, "payload_invalid", `param.channelCode: "${param.channelCode}" names no market Payhook knows, so its currency is unknown`);
  }
  const created = timeOrFail(param.createTime, "createTime", market.timeZone);
  if (!created.ok) return created;
  const returned = timeOrFail(param.returnTime, "returnTime", market.timeZone);
  if (!returned.ok) return returned;

  const rawAmount = String(param.amount);
  const referenceNumber = param.referenceNumber ? param.referenceNumber : null;
  return {
    ok: true,
    value: {
      provider: options.provider,
      eventKey: `${param.transactionId}:${param.eventName}:${param.transactionStatus}`,
      eventName: param.eventName,
      kind,
      providerTransactionId: param.transactionId,
      merchantOrderId: param.mchOrderId,
      status,
      providerStatus: param.transactionStatus,
      amount: minorToMajor(BigInt(rawAmount), options.exponentFor(market.currency)),
      rawAmount,
      currency: market.currency,
      channel: param.channelCode,
      paymentMethod: null,
      referenceNumber,
      // Static VAs and payment codes carry their number and are paid into again and again.
      reusableOrder: kind === "payment" && referenceNumber !== null,
      payAmount: null,
      payCurrency: null,
      exchangeRate: null,
      providerCreatedAt: created.value,
      providerCompletedAt: returned.value,
      orderType: null,
      declaredDuplicate: false,
      originalMerchantOrderId: null,
      originalProviderTransactionId: null,
      payload: param,
    },
  };
}
