import type { Notification } from "../types";
import type { PayermaxBody } from "./body";

export function normalisePayermax(body: PayermaxBody, payload: Record<string, unknown>): Notification {
  const orderType = body.orderType ?? "PAYMENT";
  const declaredDuplicate = orderType === "DUPLICATE_PAYMENT";
  return {
    provider: "payermax",
    eventKey: `${body.tradeOrderNo}:${body.status}`,
    eventName: null,
    kind: "payment",
    providerTransactionId: body.tradeOrderNo,
    merchantOrderId: body.orderId,
    status: body.status === 1 ? "succeeded" : "failed",
    providerStatus: String(body.status),
    amount: body.totalAmount,
    rawAmount: body.totalAmount,
    currency: body.currency,
    channel: body.targetOrg ?? null,
    paymentMethod: body.paymentMethodType ?? null,
    referenceNumber: body.paymentCode ?? null,
    reusableOrder: false,
    payAmount: body.payAmount ?? null,
    payCurrency: body.payCurrency ?? null,
    exchangeRate: body.exchangeRate ?? null,
    // PayerMax's payment notification carries no times: the delivery's own time stands for them.
    providerCreatedAt: null,
    providerCompletedAt: null,
    orderType,
    declaredDuplicate,
    originalMerchantOrderId: declaredDuplicate ? (body.originalOrderId ?? null) : null,
    originalProviderTransactionId: declaredDuplicate ? (body.originalTradeOrderNo ?? null) : null,
    payload,
  };
}
