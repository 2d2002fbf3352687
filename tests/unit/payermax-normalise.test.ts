import { describe, expect, it } from "vitest";
import { payermax } from "@/lib/providers/payermax";
import type { Notification, ProviderFailure } from "@/lib/providers/types";
import { payermaxExample, payermaxExampleBytes } from "./support/fixtures";

// PayerMax bodies reduced to the ledger's shape by the adapter's own
// extractSigned and parse.

type Parsed = { ok: true; value: Notification } | { ok: false; failure: ProviderFailure };

function parseBytes(body: Buffer, headers: Record<string, string> = {}): Parsed {
  const signed = payermax.extractSigned(body, new Headers(headers));
  if (!signed.ok) return signed;
  return payermax.parse(signed.value);
}

const parseBody = (body: Record<string, unknown>): Parsed => parseBytes(Buffer.from(JSON.stringify(body), "utf8"));

function notification(result: Parsed): Notification {
  if (!result.ok) throw new Error(`expected a notification, got ${result.failure.status} ${result.failure.code}: ${result.failure.message}`);
  return result.value;
}

function failure(result: Parsed): ProviderFailure {
  if (result.ok) throw new Error("expected the notification to be refused");
  return result.failure;
}

describe("the PayerMax example notification", () => {
  it("normalises field by field", () => {
    const result = notification(parseBytes(payermaxExampleBytes()));

    expect(result).toStrictEqual({
      provider: "payermax",
      eventKey: "TOKEN202304111948856115:1",
      eventName: null,
      kind: "payment",
      providerTransactionId: "TOKEN202304111948856115",
      merchantOrderId: "21230412340979178110000805",
      status: "succeeded",
      providerStatus: "1",
      amount: "33.50",
      rawAmount: "33.50",
      currency: "IDR",
      channel: null,
      paymentMethod: "CARD",
      referenceNumber: "2312121212",
      reusableOrder: false,
      payAmount: "33.50",
      payCurrency: "IDR",
      exchangeRate: "1",
      providerCreatedAt: null,
      providerCompletedAt: null,
      orderType: "PAYMENT",
      declaredDuplicate: false,
      originalMerchantOrderId: null,
      originalProviderTransactionId: null,
      payload: payermaxExample(),
    });
  });

  it("keeps the card details and unknown keys in the payload as received", () => {
    const result = notification(parseBytes(payermaxExampleBytes()));

    expect(result.payload.cardInfo).toEqual({
      cardOrg: "MASTERCARD",
      cardIdentifierNo: "520000******0007",
      cardIdentifierName: "*D",
    });
    expect(result.payload.paymentType).toBe("A34");
    expect(result.payload.targetOrg).toBe("");
  });

  it("signs the raw body and takes the signature from the sign header", () => {
    const body = payermaxExampleBytes();

    const signed = payermax.extractSigned(body, new Headers({ sign: "c2lnbg==" }));

    expect(signed).toMatchObject({ ok: true, value: { signature: "c2lnbg==", signatureLocation: "the `sign` header" } });
    if (signed.ok) expect(signed.value.signedBytes.equals(body)).toBe(true);
  });
});

describe("PayerMax statuses and order types", () => {
  it("reads status 2 as a failure with its own event key", () => {
    const result = notification(parseBody({ ...payermaxExample(), status: 2, errorCode: "PAYMENT_FAILED", errorMsg: "declined" }));

    expect(result).toMatchObject({ status: "failed", providerStatus: "2", eventKey: "TOKEN202304111948856115:2" });
  });

  it.each([3, 0, "1", null])("refuses status %j with 422 naming status", (status) => {
    const result = failure(parseBody({ ...payermaxExample(), status }));

    expect(result).toMatchObject({ status: 422, code: "payload_invalid" });
    expect(result.message).toContain("status");
  });

  it("reads DUPLICATE_PAYMENT as a declared duplicate linked to the original order", () => {
    const result = notification(
      parseBody({
        ...payermaxExample(),
        tradeOrderNo: "TOKEN202304111948856999",
        orderType: "DUPLICATE_PAYMENT",
        originalOrderId: "21230412340979178110000805",
        originalTradeOrderNo: "TOKEN202304111948856115",
      }),
    );

    expect(result).toMatchObject({
      orderType: "DUPLICATE_PAYMENT",
      declaredDuplicate: true,
      providerTransactionId: "TOKEN202304111948856999",
      originalMerchantOrderId: "21230412340979178110000805",
      originalProviderTransactionId: "TOKEN202304111948856115",
      eventKey: "TOKEN202304111948856999:1",
    });
  });

  it("ignores original ids on an ordinary payment", () => {
    const result = notification(parseBody({ ...payermaxExample(), originalOrderId: "X", originalTradeOrderNo: "Y" }));

    expect(result).toMatchObject({ declaredDuplicate: false, originalMerchantOrderId: null, originalProviderTransactionId: null });
  });

  it.each([
    ["absent", undefined],
    ["empty", ""],
  ])("reads an %s orderType as PAYMENT", (_case, orderType) => {
    const result = notification(parseBody({ ...payermaxExample(), orderType }));

    expect(result.orderType).toBe("PAYMENT");
  });

  it("refuses an unknown orderType with 422 naming it", () => {
    const result = failure(parseBody({ ...payermaxExample(), orderType: "REFUND" }));

    expect(result).toMatchObject({ status: 422, code: "payload_invalid" });
    expect(result.message).toContain("orderType");
  });
});

describe("PayerMax amounts and currencies", () => {
  it.each(["0", "12", "33.5", "1000000.12345678", "12345678901234567890.5"])("keeps the amount %s exactly as sent", (totalAmount) => {
    const result = notification(parseBody({ ...payermaxExample(), totalAmount }));

    expect(result.amount).toBe(totalAmount);
    expect(result.rawAmount).toBe(totalAmount);
  });

  it("keeps a different pay amount, pay currency and exchange rate", () => {
    const result = notification(
      parseBody({ ...payermaxExample(), currency: "USD", totalAmount: "10.00", payCurrency: "IDR", payAmount: "163250.00", exchangeRate: "16325.000000000001" }),
    );

    expect(result).toMatchObject({ currency: "USD", amount: "10.00", payCurrency: "IDR", payAmount: "163250.00", exchangeRate: "16325.000000000001" });
  });

  it.each([
    ["in exponent notation", "1e5"],
    ["negative", "-1"],
    ["with a comma", "33,50"],
    ["empty", ""],
    ["with a leading plus", "+33.50"],
    ["with a trailing point", "33."],
    ["with leading zeros", "0033.50"],
    ["with more than 8 decimals", "33.500000001"],
    ["a number rather than a string", 33.5],
  ])("refuses a totalAmount %s with 422 naming it", (_case, totalAmount) => {
    const result = failure(parseBody({ ...payermaxExample(), totalAmount }));

    expect(result).toMatchObject({ status: 422, code: "payload_invalid" });
    expect(result.message).toContain("totalAmount");
  });

  it("refuses a payAmount that is not a decimal with 422 naming it", () => {
    const result = failure(parseBody({ ...payermaxExample(), payAmount: "1e5" }));

    expect(result).toMatchObject({ status: 422 });
    expect(result.message).toContain("payAmount");
  });

  it.each(["XYZ", "idr", "RUPIAH", ""])("refuses currency %j with 422 naming it", (currency) => {
    const result = failure(parseBody({ ...payermaxExample(), currency }));

    expect(result).toMatchObject({ status: 422, code: "payload_invalid" });
    expect(result.message).toContain("currency");
  });

  it("refuses an unknown payCurrency with 422 naming it", () => {
    const result = failure(parseBody({ ...payermaxExample(), payCurrency: "XYZ" }));

    expect(result).toMatchObject({ status: 422 });
    expect(result.message).toContain("payCurrency");
  });
});

describe("PayerMax bodies that are not notifications", () => {
  it.each(["merchantId", "tradeOrderNo", "orderId", "status", "totalAmount", "currency"])("refuses a body without %s with 422 naming it", (field) => {
    const body = payermaxExample();
    delete body[field];

    const result = failure(parseBody(body));

    expect(result).toMatchObject({ status: 422, code: "payload_invalid" });
    expect(result.message).toContain(field);
  });

  it("refuses a body that is not JSON with 400", () => {
    expect(failure(parseBytes(Buffer.from("orderId=1&status=1")))).toMatchObject({ status: 400, code: "body_not_json" });
  });

  it("refuses a JSON array with 422", () => {
    expect(failure(parseBytes(Buffer.from("[]")))).toMatchObject({ status: 422, code: "payload_invalid" });
  });

  it("parses a body with a leading UTF-8 BOM", () => {
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), payermaxExampleBytes()]);

    expect(notification(parseBytes(withBom)).payload).toEqual(payermaxExample());
  });

  it("refuses a body with invalid UTF-8 with 400 rather than replacing the bytes", () => {
    const bytes = payermaxExampleBytes();
    const invalid = Buffer.concat([bytes.subarray(0, 20), Buffer.from([0xc3, 0x28]), bytes.subarray(20)]);

    expect(failure(parseBytes(invalid))).toMatchObject({ status: 400, code: "body_not_utf8" });
  });
});
