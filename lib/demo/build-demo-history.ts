import { paycoolsIdParam, paycoolsParam, payermaxBody } from "@/lib/simulator/samples";
import { signFor, signPaycools } from "@/lib/simulator/sign";
import { localTime, sampleInstant } from "./demo-time";
import { DEMO_PROVIDERS, HistoryWriter, type DemoDelivery, type DemoKeys, type DemoProvider } from "./history-writer";
import {
  openStaticVas,
  paycoolsDetectedDuplicate,
  paycoolsIdVaPayment,
  paycoolsPayment,
  paycoolsPayout,
  paycoolsRefund,
  paycoolsStaticCode,
  paycoolsStillPending,
  paycoolsTransactionId,
  type StaticVa,
} from "./paycools-stories";
import { payermaxDeclaredDuplicate, payermaxPayment } from "./payermax-stories";
import { SeededRandom } from "./random";

// The demo ledger's history, as the requests the providers sent over the last
// 90 days: the same seed and count always give the same notifications (their
// times are relative to `now`). Nothing here touches the database: the seed
// sends these through the real webhook handler.

export type DemoHistoryOptions = {
  /** About how many provider transactions to create. */
  count: number;
  seed: number;
  now: Date;
  /** Each provider's private key: the app must hold the matching public keys. */
  keys: DemoKeys;
};

export type DemoHistory = {
  deliveries: DemoDelivery[];
  /** Provider transactions the deliveries create. */
  transactions: number;
};

export const DEFAULT_SEED = 20_240_601;
export const DEFAULT_COUNT = 3_000;

type Story = (w: HistoryWriter, vas: readonly StaticVa[]) => number;

// Relative frequency of each everyday story; together about 43 % PayCools,
// 22 % PayCools Indonesia and 35 % PayerMax transactions.
const EVERYDAY: readonly (readonly [Story, number])[] = [
  [(w) => paycoolsPayment(w), 34],
  [(w) => paycoolsPayout(w), 8],
  [(w) => paycoolsRefund(w), 2.5],
  [(w) => paycoolsStaticCode(w), 1],
  [(w, vas) => paycoolsIdVaPayment(w, vas), 22],
  [(w) => payermaxPayment(w), 32],
];

export function buildDemoHistory(options: DemoHistoryOptions): DemoHistory {
  const w = new HistoryWriter(new SeededRandom(options.seed), options.now, options.keys);
  const { count } = options;
  const atLeastOne = (share: number) => Math.max(1, Math.round(count * share));
  // Enough VAs that the busy ones are paid into many times, even in a small history.
  const vas = openStaticVas(w, Math.max(2, Math.round((count * 0.22) / 6)));

  // What every demo must show, however small: each with a provider retry the first time.
  let transactions = 0;
  for (let i = 0; i < atLeastOne(0.006); i++) transactions += payermaxDeclaredDuplicate(w, { retry: i === 0 });
  for (let i = 0; i < atLeastOne(0.005); i++) transactions += paycoolsDetectedDuplicate(w, { retry: i === 0 });
  transactions += paycoolsPayout(w, { retry: true });
  transactions += paycoolsRefund(w, { retry: true });
  transactions += paycoolsStaticCode(w);
  transactions += paycoolsIdVaPayment(w, vas, { retry: true });
  transactions += payermaxPayment(w, { retry: true });
  for (let i = 0; i < atLeastOne(0.002); i++) transactions += paycoolsStillPending(w);

  while (transactions < count) transactions += w.random.weighted(EVERYDAY)(w, vas);

  const refusals = atLeastOne(0.0025);
  for (let i = 0; i < refusals; i++) {
    forged(w, options.keys);
    unsigned(w);
    unknownStatus(w, options.keys);
    notJson(w);
  }
  return { deliveries: w.deliveries, transactions };
}

const strangerAddress = (w: HistoryWriter) => `192.0.2.${w.random.int(2, 254)}`;

/** The PayerMax sample with its random references replaced by seeded ones. */
function payermaxSample(w: HistoryWriter, options: Parameters<typeof payermaxBody>[0]): Record<string, unknown> {
  return { ...payermaxBody(options), reference: `GM${w.random.digits(15)}#${w.random.digits(26)}`, channelNo: `DMCP${w.random.digits(15)}` };
}

/** Someone posting a made-up notification, signed with a key the app does not trust. */
function forged(w: HistoryWriter, keys: DemoKeys): void {
  const provider = w.random.pick(DEMO_PROVIDERS);
  const impostor: DemoProvider = DEMO_PROVIDERS[(DEMO_PROVIDERS.indexOf(provider) + 1) % DEMO_PROVIDERS.length] ?? "payermax";
  const at = sampleInstant(w.random, w.now, 0);
  const ids = { orderId: `ORD${w.random.digits(12)}`, transactionId: paycoolsTransactionId(w), createTime: localTime(at, 7), returnTime: localTime(at, 7) };
  const payload =
    provider === "payermax"
      ? payermaxSample(w, { ...ids, transactionId: `TOKEN${w.random.digits(18)}`, amount: "4999.00", currency: "USD", referenceNumber: w.random.digits(10) })
      : provider === "paycools-id"
        ? paycoolsIdParam({ ...ids, amount: 500_000_000, referenceNumber: `8558${w.random.digits(12)}` })
        : paycoolsParam({ ...ids, amount: 250_000_000, channelCode: "PH_GCASH" });
  const signed = signFor(provider, { ...payload, remark: "test" }, keys[impostor]);
  w.refuse(provider, at, signed.body, signed.headers, 401, strangerAddress(w));
}

/** A PayerMax notification whose `sign` header a proxy dropped on the way. */
function unsigned(w: HistoryWriter): void {
  const at = sampleInstant(w.random, w.now, 0);
  const body = payermaxSample(w, {
    orderId: `PM${w.random.digits(14)}`,
    transactionId: `TOKEN${w.random.digits(18)}`,
    amount: "150000",
    referenceNumber: w.random.digits(12),
  });
  w.refuse("payermax", at, Buffer.from(JSON.stringify(body), "utf8"), { "content-type": "application/json" }, 401);
}

/** A genuine PayCools notification with a status Payhook does not know: kept, refused with 422. */
function unknownStatus(w: HistoryWriter, keys: DemoKeys): void {
  const at = sampleInstant(w.random, w.now, 8);
  const param = paycoolsParam({
    orderId: `ORD${w.random.digits(14)}`,
    transactionId: paycoolsTransactionId(w),
    amount: 129_900,
    channelCode: "PH_GCASH",
    createTime: localTime(at, 8),
    returnTime: localTime(at, 8),
  });
  const signed = signPaycools({ ...param, eventName: "order.payment.reversed", transactionStatus: "REVERSED" }, keys.paycools);
  w.refuse("paycools", at, signed.body, signed.headers, 422);
}

/** A form-encoded post where JSON belongs, as a misconfigured relay sends it. */
function notJson(w: HistoryWriter): void {
  const at = sampleInstant(w.random, w.now, 7);
  const body = Buffer.from(`sign=${w.random.code(40)}&param=%7B%22amount%22%3A10000%7D`, "utf8");
  w.refuse("paycools-id", at, body, { "content-type": "application/x-www-form-urlencoded" }, 400, strangerAddress(w));
}
