import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { mulberry32 } from "@/lib/demo/random";
import { PROVIDER_NAMES, type ProviderName, PUBLIC_KEY_VARIABLES } from "@/lib/providers/public-key-variables";
import { paycoolsIdParam, paycoolsParam, payermaxBody } from "@/lib/simulator/samples";
import { signFor } from "@/lib/simulator/sign";

// The notifications the load runs send, signed before any run starts so the
// load generator only sends bytes. All three providers; about one request in
// ten is an exact repeat of an earlier one (a provider retry); some pending
// payments are followed by their success, and a few orders are paid twice
// (PayerMax declares it, PayCools' second payment is detected).

export const PROVIDERS = PROVIDER_NAMES;
type Provider = ProviderName;

export type ProviderKeys = Record<Provider, { privateKey: KeyObject; publicBase64: string }>;

/** Fresh 2048-bit pairs for this run: the servers get the public halves, only the bench signs. */
export function generateProviderKeys(): ProviderKeys {
  const pair = () => {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    return { privateKey, publicBase64: publicKey.export({ format: "der", type: "spki" }).toString("base64") };
  };
  return { paycools: pair(), "paycools-id": pair(), payermax: pair() };
}

export function publicKeyEnv(keys: ProviderKeys): Record<string, string> {
  return Object.fromEntries(PROVIDERS.map((provider) => [PUBLIC_KEY_VARIABLES[provider], keys[provider].publicBase64]));
}

/** `event` is the identity the ledger gives the notification's event (provider + event key): retries share it. */
export type PreparedRequest = { path: string; headers: Record<string, string>; body: Buffer; retry: boolean; event: string };

const PAYCOOLS_CHANNELS = ["ID_BCA_VA", "ID_BNI_VA", "PH_GCASH", "PH_MAYA", "MY_FPX", "TH_PROMPTPAY"];

type Paid = { provider: Provider; orderId: string; transactionId: string };

/**
 * `count` requests under a run tag that keeps ids unique across runs of one
 * database. Returns them in sending order.
 */
export function prepareRequests(count: number, keys: ProviderKeys, tag: string, retryShare: number, seed = 1): PreparedRequest[] {
  // Deterministic, so two runs send the same mix.
  const random = mulberry32(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const out: PreparedRequest[] = [];
  const followUps = new Map<number, () => PreparedRequest>();
  const paid: Paid[] = [];
  let serial = 0;

  const send = (provider: Provider, payload: Record<string, unknown>): PreparedRequest => {
    const signed = signFor(provider, payload, keys[provider].privateKey);
    const key =
      provider === "payermax"
        ? `${String(payload.tradeOrderNo)}:${String(payload.status)}`
        : `${String(payload.transactionId)}:${String(payload.eventName)}:${String(payload.transactionStatus)}`;
    return { path: `/api/webhooks/${provider}`, headers: signed.headers, body: signed.body, retry: false, event: `${provider}/${key}` };
  };

  const fresh = (): PreparedRequest => {
    serial++;
    const id = `${tag}${String(serial).padStart(9, "0")}`;
    const roll = random();
    const provider: Provider = roll < 0.4 ? "paycools" : roll < 0.7 ? "paycools-id" : "payermax";
    const outcome = random();
    const failed = outcome < 0.1;
    const pending = !failed && outcome < 0.2 && provider !== "payermax";
    const twice = random() < 0.01 ? paid.filter((p) => p.provider === provider && provider !== "paycools-id").at(-1 - Math.floor(random() * 20)) : undefined;
    const orderId = twice?.orderId ?? `BENCH-ORD-${id}`;
    const transactionId = provider === "payermax" ? `TOKEN${id}` : `C${id}`;
    const amount = provider === "payermax" ? (random() * 2_000_000).toFixed(2) : Math.floor(random() * 100_000_000);
    let payload: Record<string, unknown>;
    if (provider === "paycools") {
      payload = paycoolsParam({ orderId, transactionId, amount, channelCode: pick(PAYCOOLS_CHANNELS), failed, pending });
    } else if (provider === "paycools-id") {
      payload = paycoolsIdParam({ orderId, transactionId, amount, failed, pending, referenceNumber: `8558${id.slice(-12).padStart(12, "0")}` });
    } else {
      const duplicateOf = twice ? { orderId: twice.orderId, tradeOrderNo: twice.transactionId } : undefined;
      payload = payermaxBody({ orderId: duplicateOf ? `${orderId}-DUP` : orderId, transactionId, amount, failed, duplicateOf });
    }
    if (pending) {
      // Its success arrives a little later, as a second event of the same transaction.
      let later = out.length + 20 + Math.floor(random() * 200);
      while (followUps.has(later)) later++;
      const success =
        provider === "paycools"
          ? paycoolsParam({ orderId, transactionId, amount, channelCode: String(payload.channelCode) })
          : paycoolsIdParam({ orderId, transactionId, amount, referenceNumber: String(payload.referenceNumber) });
      followUps.set(later, () => send(provider, success));
    } else if (!failed && !twice) {
      paid.push({ provider, orderId, transactionId });
      if (paid.length > 500) paid.shift();
    }
    return send(provider, payload);
  };

  while (out.length < count) {
    const due = followUps.get(out.length);
    if (due) {
      followUps.delete(out.length);
      out.push(due());
    } else if (out.length > 50 && random() < retryShare) {
      // The exact bytes of a recent request: a retry after a timeout or a lost acknowledgement.
      const earlier = out[out.length - 1 - Math.floor(random() * Math.min(300, out.length - 1))]!;
      out.push({ ...earlier, retry: true });
    } else {
      out.push(fresh());
    }
  }
  return out;
}
