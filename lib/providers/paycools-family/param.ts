import { z } from "zod";

// The decoded `param` of a PayCools notification (payment, payout, refund).
// Unknown keys are kept: the whole object is stored as the payload.

const optionalText = (max: number) => z.string().max(max).nullish();

export const paycoolsParamSchema = z.looseObject({
  eventName: z.string().min(1).max(100),
  amount: z.union(
    [
      z.number().int("must be an integer in minor units").nonnegative().max(Number.MAX_SAFE_INTEGER),
      z.string().regex(/^\d{1,18}$/, "must be a non-negative integer in minor units"),
    ],
    { error: "must be a non-negative integer in minor units" },
  ),
  channelCode: z.string().min(1).max(64),
  mchOrderId: z.string().min(1).max(128),
  transactionId: z.string().min(1).max(128),
  transactionStatus: z.string().min(1).max(64),
  createTime: optionalText(32),
  returnTime: optionalText(32),
  remark: optionalText(2000),
  referenceNumber: optionalText(128),
});

export type PaycoolsParam = z.infer<typeof paycoolsParamSchema>;
