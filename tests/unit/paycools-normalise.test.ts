import { afterEach, describe, expect, it } from "vitest";
import { paycools } from "@/lib/providers/paycools";
import { paycoolsId } from "@/lib/providers/paycools-id";
import type { Notification, ProviderAdapter, ProviderFailure } from "@/lib/providers/types";
import { restoreEnv, setEnv } from "./support/env";
import { fixtureBytes, paycoolsGlobalExample } from "./support/fixtures";

// PayCools notifications (global API and Indonesia) reduced to the ledger's
// shape by the adapters' own extractSigned and parse.

afterEach(restoreEnv);

type Parsed = { ok: true; value: Notification } | { ok: false; failure: ProviderFailure };

function parseBody(adapter: ProviderAdapter, body: Buffer): Parsed {
  const signed = adapter.extractSigned(body, new Headers());
  if (!signed.ok) return signed;
  return adapter.parse(signed.value);
}

function parseParam(adapter: ProviderAdapter, param: string | Record<string, unknown>): Parsed {
  const text = typeof param === "string" ? param : JSON.stringify(param);
  return parseBody(adapter, Buffer.from(JSON.stringify({ sign: "c2lnbg==", param: text }), "utf8"));
}

function notification(result: Parsed): Notification {
  if (!result.ok) throw new Error(`expected a notification, got ${result.failure.status} ${result.failure.code}: ${result.failure.message}`);
  return result.value;
}

function failure(result: Parsed): ProviderFailure {
  if (result.ok) throw new Error("expected the notification to be refused");
  return result.failure;
}

const globalParam = (): Record<string, unknown> => JSON.parse(paycoolsGlobalExample().param) as Record<string, unknown>;

describe("the PayCools global example notification", () => {
  it("normalises field by field", () => {
    const result = notification(parseBody(paycools, fixtureBytes("paycools-global-payment-notification.json")));

    expect(result).toStrictEqual({
      provider: "paycools",
      eventKey: "C1032653961085706055:order.payment.success:COMPLETED",
      eventName: "order.payment.success",
      kind: "payment",
      providerTransactionId: "C1032653961085706055",
      merchantOrderId: "Platform653350151938813",
      status: "succeeded",
      providerStatus: "COMPLETED",
      amount: "500.00",
      rawAmount: "50000",
      currency: "IDR",
      channel: "ID_BCA_VA",
      paymentMethod: null,
      referenceNumber: null,
      reusableOrder: false,
      payAmount: null,
      payCurrency: null,
      exchangeRate: null,
      providerCreatedAt: new Date("2023-01-01T02:38:06.000Z"),
      providerCompletedAt: new Date("2023-01-01T02:40:06.000Z"),
      orderType: null,
      declaredDuplicate: false,
      originalMerchantOrderId: null,
      originalProviderTransactionId: null,
      payload: {
        eventName: "order.payment.success",
        amount: 50000,
        channelCode: "ID_BCA_VA",
        mchOrderId: "Platform653350151938813",
        createTime: "2023-01-01 09:38:06",
        remark: "test payment",
        sign: "xxxxxxxxxxxxx",
        returnTime: "2023-01-01 09:40:06",
        transactionId: "C1032653961085706055",
        transactionStatus: "COMPLETED",
      },
    });
  });

  it("reads the signed part as the param string exactly as sent", () => {
    const example = paycoolsGlobalExample();

    const signed = paycools.extractSigned(fixtureBytes("paycools-global-payment-notification.json"), new Headers());

    expect(signed).toMatchObject({ ok: true, value: { signature: example.sign, signatureLocation: "the `sign` field of the body" } });
    if (signed.ok) expect(signed.value.signedBytes.equals(Buffer.from(example.param, "utf8"))).toBe(true);
  });

  it("uses PAYCOOLS_AMOUNT_EXPONENTS to read the integer amount", () => {
    setEnv({ PAYCOOLS_AMOUNT_EXPONENTS: "IDR:0" });

    const result = notification(parseBody(paycools, fixtureBytes("paycools-global-payment-notification.json")));

    expect(result.amount).toBe("50000");
    expect(result.rawAmount).toBe("50000");
  });
});

describe("the PayCools Indonesia static VA example notification", () => {
  it("normalises field by field", () => {
    const result = notification(parseBody(paycoolsId, fixtureBytes("paycools-indonesia-static-va-notification.json")));

    expect(result).toStrictEqual({
      provider: "paycools-id",
      eventKey: "C1633669279100571648:payment.success:COMPLETED",
      eventName: "payment.success",
      kind: "payment",
      providerTransactionId: "C1633669279100571648",
      merchantOrderId: "TestMchOrderIdP0057",
      status: "succeeded",
      providerStatus: "COMPLETED",
      amount: "100.00",
      rawAmount: "10000",
      currency: "IDR",
      channel: "BNI_VA",
      paymentMethod: null,
      referenceNumber: "8558010100012839",
      reusableOrder: true,
      payAmount: null,
      payCurrency: null,
      exchangeRate: null,
      providerCreatedAt: new Date("2023-03-09T03:21:23.000Z"),
      providerCompletedAt: new Date("2023-03-09T03:33:54.000Z"),
      orderType: null,
      declaredDuplicate: false,
      originalMerchantOrderId: null,
      originalProviderTransactionId: null,
      payload: {
        amount: 10000,
        channelCode: "BNI_VA",
        createTime: "2023-03-09 10:21:23",
        eventName: "payment.success",
        mchOrderId: "TestMchOrderIdP0057",
        referenceNumber: "8558010100012839",
        remark: "test payment code",
        returnTime: "2023-03-09 10:33:54",
        transactionId: "C1633669279100571648",
        transactionStatus: "COMPLETED",
      },
    });
  });

  it("reads 10000 as 10000 rupiah when PAYCOOLS_ID_AMOUNT_EXPONENTS is IDR:0", () => {
    setEnv({ PAYCOOLS_ID_AMOUNT_EXPONENTS: "IDR:0" });

    const result = notification(parseBody(paycoolsId, fixtureBytes("paycools-indonesia-static-va-notification.json")));

    expect(result.amount).toBe("10000");
    expect(result.rawAmount).toBe("10000");
  });

  it("keeps each provider's exponent table to itself", () => {
    setEnv({ PAYCOOLS_ID_AMOUNT_EXPONENTS: "IDR:0" });

    const global = notification(parseBody(paycools, fixtureBytes("paycools-global-payment-notification.json")));

    expect(global.amount).toBe("500.00");
  });
});

describe("PayCools markets", () => {
  it.each([
    ["ID_BCA_VA", "IDR", "2023-01-01T02:38:06.000Z"],
    ["PH_GCASH", "PHP", "2023-01-01T01:38:06.000Z"],
    ["MY_FPX", "MYR", "2023-01-01T01:38:06.000Z"],
    ["TH_PROMPTPAY", "THB", "2023-01-01T02:38:06.000Z"],
    ["RU_SBP", "RUB", "2023-01-01T06:38:06.000Z"],
  ])("reads %s as %s with local times in its market's zone", (channelCode, currency, createdAt) => {
    const result = notification(parseParam(paycools, { ...globalParam(), channelCode, amount: 50010 }));

    expect(result.currency).toBe(currency);
    expect(result.amount).toBe("500.10");
    expect(result.channel).toBe(channelCode);
    expect(result.providerCreatedAt?.toISOString()).toBe(createdAt);
  });

  it.each(["SG_PAYNOW", "BCA_VA", "id_bca_va", "IDBCA"])("refuses channel code %s, whose market is unknown, with 422", (channelCode) => {
    const result = failure(parseParam(paycools, { ...globalParam(), channelCode }));

    expect(result).toMatchObject({ status: 422, code: "payload_invalid" });
    expect(result.message).toContain("param.channelCode");
  });

  it("treats every PayCools Indonesia channel as IDR in Asia/Jakarta", () => {
    const result = notification(parseParam(paycoolsId, { ...globalParam(), channelCode: "MANDIRI_VA" }));

    expect(result.currency).toBe("IDR");
    expect(result.providerCreatedAt?.toISOString()).toBe("2023-01-01T02:38:06.000Z");
  });
});

describe("PayCools amounts", () => {
  it.each([
    [0, "0.00"],
    [5, "0.05"],
    [50010, "500.10"],
    ["50000", "500.00"],
    ["123456789012345678", "1234567890123456.78"],
    [Number.MAX_SAFE_INTEGER, "90071992547409.91"],
  ])("reads %j minor units as %s exactly", (amount, expected) => {
    const result = notification(parseParam(paycools, { ...globalParam(), amount }));

    expect(result.amount).toBe(expected);
    expect(result.rawAmount).toBe(String(amount));
  });

  it.each([
    ["negative", "-1"],
    ["fractional", "500.5"],
    ["an unsafe integer", "9007199254740993"],
    ["in exponent notation", "1e21"],
    ["a negative string", '"-100"'],
    ["a decimal string", '"500.10"'],
    ["an empty string", '""'],
    ["null", "null"],
  ])("refuses an amount that is %s with 422 naming param.amount", (_case, amountJson) => {
    const param = paycoolsGlobalExample().param.replace('"amount":50000', `"amount":${amountJson}`);
    expect(param).toContain(`"amount":${amountJson}`);

    const result = failure(parseParam(paycools, param));

    expect(result).toMatchObject({ status: 422, code: "payload_invalid" });
    expect(result.message).toContain("param.amount");
  });

  it("answers 503 provider_misconfigured naming the variable when the exponent table is malformed", () => {
    setEnv({ PAYCOOLS_AMOUNT_EXPONENTS: "IDR:two" });

    const result = failure(parseParam(paycools, globalParam()));

    expect(result).toMatchObject({ status: 503, code: "provider_misconfigured" });
    expect(result.message).toContain("PAYCOOLS_AMOUNT_EXPONENTS");
  });

  it("answers 503 provider_misconfigured, not an exception, for an exponent the converter cannot use", () => {
    setEnv({ PAYCOOLS_AMOUNT_EXPONENTS: "IDR:9" });

    const result = failure(parseParam(paycools, globalParam()));

    expect(result).toMatchObject({ status: 503, code: "provider_misconfigured" });
    expect(result.message).toContain("PAYCOOLS_AMOUNT_EXPONENTS");
  });
});

describe("PayCools events and statuses", () => {
  it.each([
    ["order.payment.success", "COMPLETED", "payment", "succeeded"],
    ["order.payment.failed", "FAILED", "payment", "failed"],
    ["order.payment.pending", "PENDING", "payment", "pending"],
    ["order.payout.success", "COMPLETED", "payout", "succeeded"],
    ["order.payout.failed", "REJECTED", "payout", "failed"],
    ["disbursement.success", "SUCCESS", "payout", "succeeded"],
    ["order.refund.success", "COMPLETED", "refund", "succeeded"],
    ["order.refund.processing", "PROCESSING", "refund", "pending"],
    ["payment.success", "completed", "payment", "succeeded"],
    ["order.payment.expired", "EXPIRED", "payment", "cancelled"],
  ])("reads %s with %s as a %s whose status is %s", (eventName, transactionStatus, kind, status) => {
    const result = notification(parseParam(paycools, { ...globalParam(), eventName, transactionStatus }));

    expect(result.kind).toBe(kind);
    expect(result.status).toBe(status);
    expect(result.providerStatus).toBe(transactionStatus);
    expect(result.eventKey).toBe(`C1032653961085706055:${eventName}:${transactionStatus}`);
  });

  it("gives repeated deliveries of one event the same key and a later status a different one", () => {
    const first = notification(parseParam(paycools, globalParam()));
    const again = notification(parseParam(paycools, globalParam()));
    const failed = notification(parseParam(paycools, { ...globalParam(), eventName: "order.payment.failed", transactionStatus: "FAILED" }));

    expect(again.eventKey).toBe(first.eventKey);
    expect(failed.eventKey).not.toBe(first.eventKey);
  });

  it("refuses an unknown transactionStatus with 422 naming the field", () => {
    const result = failure(parseParam(paycools, { ...globalParam(), transactionStatus: "MYSTERY" }));

    expect(result).toMatchObject({ status: 422, code: "payload_invalid" });
    expect(result.message).toContain("param.transactionStatus");
    expect(result.message).toContain("MYSTERY");
  });

  it("refuses an event that is no payment, payout or refund with 422 naming eventName", () => {
    const result = failure(parseParam(paycools, { ...globalParam(), eventName: "account.balance.changed" }));

    expect(result).toMatchObject({ status: 422, code: "payload_invalid" });
    expect(result.message).toContain("param.eventName");
  });

  it("marks only payments with a reference number as reusable orders", () => {
    const staticCode = notification(parseParam(paycools, { ...globalParam(), referenceNumber: "PC123456" }));
    const payout = notification(parseParam(paycools, { ...globalParam(), eventName: "order.payout.success", referenceNumber: "PC123456" }));
    const blank = notification(parseParam(paycools, { ...globalParam(), referenceNumber: "" }));

    expect(staticCode).toMatchObject({ referenceNumber: "PC123456", reusableOrder: true });
    expect(payout).toMatchObject({ referenceNumber: "PC123456", reusableOrder: false });
    expect(blank).toMatchObject({ referenceNumber: null, reusableOrder: false });
  });

  it.each(["mchOrderId", "transactionId", "transactionStatus", "channelCode", "eventName", "amount"])(
    "refuses a param without %s with 422 naming it",
    (field) => {
      const param = globalParam();
      delete param[field];

      const result = failure(parseParam(paycools, param));

      expect(result).toMatchObject({ status: 422, code: "payload_invalid" });
      expect(result.message).toContain(`param.${field}`);
    },
  );
});

describe("PayCools times", () => {
  it("leaves absent times empty", () => {
    const param = globalParam();
    delete param.returnTime;

    const result = notification(parseParam(paycools, { ...param, createTime: "" }));

    expect(result.providerCreatedAt).toBeNull();
    expect(result.providerCompletedAt).toBeNull();
  });

  it.each([
    ["createTime", "2023-02-30 10:00:00"],
    ["createTime", "2023-01-01T09:38:06+07:00"],
    ["returnTime", "01/01/2023 09:40:06"],
    ["returnTime", "2023-01-01 24:00:00"],
  ])("refuses %s %j with 422 naming the field", (field, value) => {
    const result = failure(parseParam(paycools, { ...globalParam(), [field]: value }));

    expect(result).toMatchObject({ status: 422, code: "payload_invalid" });
    expect(result.message).toContain(`param.${field}`);
  });
});

describe("PayCools envelopes", () => {
  it("refuses a body that is not JSON with 400", () => {
    const result = failure(parseBody(paycools, Buffer.from("sign=abc&param=def")));

    expect(result).toMatchObject({ status: 400, code: "body_not_json" });
  });

  it("refuses an envelope without param with 422", () => {
    const result = failure(parseBody(paycools, Buffer.from(JSON.stringify({ sign: "c2lnbg==" }))));

    expect(result).toMatchObject({ status: 422, code: "payload_invalid" });
    expect(result.message).toContain("param");
  });

  it("refuses an envelope whose param is an object rather than a JSON string with 422", () => {
    const result = failure(parseBody(paycools, Buffer.from(JSON.stringify({ sign: "c2lnbg==", param: globalParam() }))));

    expect(result).toMatchObject({ status: 422, code: "payload_invalid" });
  });

  it("refuses a param that is not JSON with 422", () => {
    const result = failure(parseParam(paycools, "eventName=order.payment.success"));

    expect(result).toMatchObject({ status: 422, code: "payload_invalid" });
  });

  it("keeps unknown param keys in the payload", () => {
    const result = notification(parseParam(paycools, { ...globalParam(), fee: 1500, extra: { a: 1 } }));

    expect(result.payload).toMatchObject({ fee: 1500, extra: { a: 1 }, sign: "xxxxxxxxxxxxx" });
  });
});
