import { z } from "zod";
import { decimalScale, isDecimalString } from "@/lib/money";
import { isKnownCurrency } from "../decode-json";

// PayerMax's "Asynchronous Notification for Payment" body. Amounts are decimal
// strings in major units and stay strings all the way to NUMERIC columns.

const MAX_INTEGER_DIGITS = 20;
const MAX_SCALE = 8;

const decimal = z
  .string()
  .refine(isDecimalString, "must be a non-negative decimal string such as \"33.50\"")
  .refine(
    (value) => value.split(".")[0]!.length <= MAX_INTEGER_DIGITS && decimalScale(value) <= MAX_SCALE,
    `must have at most ${MAX_INTEGER_DIGITS} digits before the point and ${MAX_SCALE} after it`,
  );

const currency = z.string().refine(isKnownCurrency, "must be an ISO 4217 currency code such as IDR");

/** "" (PayerMax's "not applicable") and null both mean absent. */
const blankToNull = <T extends z.ZodTypeAny>(schema: T) =>
  z.preprocess((value) => (value === "" || value === undefined ? null : value), schema.nullable());

const text = (max: number) => blankToNull(z.string().max(max));

export const payermaxBodySchema = z.looseObject({
  merchantId: z.string().min(1).max(64),
  tradeOrderNo: z.string().min(1).max(128),
  orderId: z.string().min(1).max(128),
  status: z.union([z.literal(1), z.literal(2)], { error: "must be 1 (success) or 2 (failure)" }),
  totalAmount: decimal,
  currency,
  payAmount: blankToNull(decimal),
  payCurrency: blankToNull(currency),
  exchangeRate: blankToNull(
    z.string().refine((value) => isDecimalString(value) && decimalScale(value) <= 12 && value.split(".")[0]!.length <= 18, "must be a decimal string"),
  ),
  errorCode: text(128),
  errorMsg: text(1000),
  reference: text(256),
  countryCode: text(8),
  paymentMethodType: text(64),
  targetOrg: text(64),
  channelNo: text(128),
  thirdChannelNo: text(128),
  paymentCode: text(128),
  cardInfo: z
    .looseObject({
      cardOrg: text(64),
      cardIdentifierNo: text(256),
      cardIdentifierName: text(256),
    })
    .nullish(),
  orderType: blankToNull(z.enum(["PAYMENT", "DUPLICATE_PAYMENT"])),
  originalOrderId: text(128),
  originalTradeOrderNo: text(128),
});

export type PayermaxBody = z.infer<typeof payermaxBodySchema>;
