import { verify, type KeyObject } from "node:crypto";
import { PROVIDERS, type Provider } from "./keys";
import type { HostileRequest } from "./hostile-requests";
import { UNVERIFIED_BODY_BYTES } from "@/lib/webhooks/handle-webhook";

// The rules every hostile request is held to, judged by an oracle that works
// out on its own — from the bytes sent and the configured public keys —
// whether the request was genuinely signed by the provider it was sent to.

export const PROBE_HEADER = "x-reliability-probe";

export const ACKNOWLEDGEMENTS: Record<Provider, unknown> = {
  paycools: { code: 10000, message: "Success" },
  "paycools-id": { code: 10000, message: "Success" },
  payermax: { bizCode: "0000", message: "success" },
};

export type Oracle = {
  /** Signed by the configured key of the provider whose route it was sent to. */
  genuine: boolean;
  /** provider:transactionId of a genuine request, the only transaction it may create. */
  identity: string | null;
};

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

function header(request: HostileRequest, name: string): string | null {
  const found = Object.entries(request.headers).filter(([key]) => key.toLowerCase() === name);
  if (found.length === 0) return null;
  return found.flatMap(([, value]) => (Array.isArray(value) ? value : [value])).join(", ");
}

function decodeJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(strictUtf8.decode(bytes).replace(/^\uFEFF/, ""));
  } catch {
    return undefined;
  }
}

function signatureHolds(bytes: Buffer, signature: unknown, key: KeyObject): boolean {
  if (typeof signature !== "string" || signature.trim() === "") return false;
  // Lenient decoding on purpose: the oracle may call more things genuine than the app, never fewer.
  return verify("sha256", bytes, key, Buffer.from(signature.trim(), "base64"));
}

export function judge(request: HostileRequest, publicKeys: Record<Provider, KeyObject>, maxBodyBytes: number): Oracle {
  const provider = request.provider as Provider;
  const none = { genuine: false, identity: null };
  if (!PROVIDERS.includes(provider) || request.method !== "POST" || request.body.length > maxBodyBytes) return none;
  if (provider === "payermax") {
    if (!signatureHolds(request.body, header(request, "sign"), publicKeys.payermax)) return none;
    const body = decodeJson(request.body) as { tradeOrderNo?: unknown } | undefined;
    return { genuine: true, identity: `payermax:${String(body?.tradeOrderNo)}` };
  }
  const envelope = decodeJson(request.body) as { param?: unknown; sign?: unknown } | undefined;
  if (!envelope || typeof envelope !== "object" || typeof envelope.param !== "string") return none;
  if (!signatureHolds(Buffer.from(envelope.param, "utf8"), envelope.sign, publicKeys[provider])) return none;
  const param = decodeJson(Buffer.from(envelope.param, "utf8")) as { transactionId?: unknown } | undefined;
  return { genuine: true, identity: `${provider}:${String(param?.transactionId)}` };
}

export type Answer = { status: number; body: Buffer; error?: string };

export type StoredDelivery = {
  outcome: string;
  httpStatus: number;
  errorCode: string | null;
  reason: string | null;
  signatureValid: boolean | null;
  body: Buffer;
  bodySize: number;
};

/** The rules one request broke; empty when it was handled as it must be. */
export function brokenRules(request: HostileRequest, oracle: Oracle, answer: Answer, stored: StoredDelivery[], maxBodyBytes: number): string[] {
  const broken: string[] = [];
  const known = PROVIDERS.includes(request.provider as Provider);
  if (answer.status === 0) broken.push(`no HTTP answer (${answer.error ?? "connection failed"})`);
  if (answer.status >= 500) broken.push(`answered ${answer.status}: ${answer.body.toString("utf8").slice(0, 300)}`);
  const acknowledged = answer.status >= 200 && answer.status < 300 && request.method === "POST";
  if (acknowledged && !oracle.genuine) broken.push(`acknowledged (${answer.status}) a request not signed by the configured ${request.provider} key`);
  if (acknowledged && known) {
    let ack: unknown;
    try {
      ack = JSON.parse(answer.body.toString("utf8"));
    } catch {
      ack = undefined;
    }
    if (JSON.stringify(ack) !== JSON.stringify(ACKNOWLEDGEMENTS[request.provider as Provider])) broken.push(`acknowledged with ${answer.body.toString("utf8").slice(0, 100)} instead of the provider's ack`);
  }
  // The route answers OPTIONS itself (204, Allow: POST): a question about the route, not a delivery, so nothing is kept.
  if (!known || request.method === "OPTIONS" || answer.status === 0) return broken;

  if (stored.length !== 1) {
    broken.push(`kept as ${stored.length} deliveries instead of exactly one`);
    return broken;
  }
  const delivery = stored[0]!;
  // The app may verify fewer signatures than the lenient oracle, never more: only then does its record decide the cap below.
  if (delivery.signatureValid === true && !oracle.genuine) broken.push("stored as signature-verified, but not signed by the configured key");
  // A body no signature vouches for is kept up to UNVERIFIED_BODY_BYTES; a verified one up to the limit.
  const vouched = delivery.signatureValid === true;
  const sentPrefix = request.body.subarray(0, vouched ? maxBodyBytes : Math.min(maxBodyBytes, UNVERIFIED_BODY_BYTES));
  // A wrong method is refused before the body is read: its delivery keeps the method and the reason, not the body.
  const bodiless = request.method !== "POST" && delivery.body.length === 0;
  if (!bodiless && !delivery.body.equals(sentPrefix)) broken.push(`stored body (${delivery.body.length} bytes) differs from the ${sentPrefix.length} bytes sent`);
  if (acknowledged) {
    if (delivery.outcome !== "accepted" && delivery.outcome !== "duplicate") broken.push(`acknowledged but stored as ${delivery.outcome}`);
    return broken;
  }
  if (delivery.outcome !== "rejected") broken.push(`refused with ${answer.status} but stored as ${delivery.outcome}`);
  if (delivery.httpStatus !== answer.status) broken.push(`stored status ${delivery.httpStatus} differs from the ${answer.status} answered`);
  if (!delivery.reason || !delivery.errorCode) broken.push("rejected delivery kept without its reason");
  if (request.method !== "HEAD") {
    let code: unknown;
    try {
      code = (JSON.parse(answer.body.toString("utf8")) as { error?: { code?: unknown } }).error?.code;
    } catch {
      code = undefined;
    }
    if (code !== delivery.errorCode) broken.push(`answered error code ${String(code)} but stored ${delivery.errorCode}`);
  }
  if (!oracle.genuine && delivery.signatureValid === true) broken.push("a forged request was stored as signatureValid");
  return broken;
}
