import { createHash, createPublicKey, randomBytes, verify, type KeyObject } from "node:crypto";
import pg from "pg";

// The baseline's work on one notification, whatever carries the request: read
// the exact bytes' SHA256withRSA signature with node:crypto, read the JSON, and
// send the statement the app's ingest sends on PostgreSQL (the database
// function ingest_notification, its own transaction), prepared once per
// connection and named by a digest of its text, as the app does
// (lib/db/query-rows.ts). Two servers carry it: bench/baseline-server.ts
// (node:http, nothing else) and bench/next-floor (one Next.js route handler),
// so their difference is the cost of Next alone.
//
// DATABASE_URL, POOL_SIZE and the three *_PUBLIC_KEY variables (base64 SPKI).

export const MAX_BODY = 1024 * 1024;
// Made on first use: `next build` loads the floor's route module without these variables.
let pool: pg.Pool | undefined;
function getPool(): pg.Pool {
  if (!pool) {
    pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.POOL_SIZE ?? 10) });
    pool.on("error", () => {});
  }
  return pool;
}

const statementNames = new Map<string, string>();
/** A parameterised statement, prepared once per connection. */
function send(text: string, values: unknown[]) {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `payhook_${createHash("sha256").update(text).digest("base64url").slice(0, 32)}`;
    statementNames.set(text, name);
  }
  return getPool().query({ name, text, values });
}

const keyOf = (variable: string): KeyObject =>
  createPublicKey({ key: Buffer.from(process.env[variable] ?? "", "base64"), format: "der", type: "spki" });
let keys: Record<string, KeyObject> | undefined;
const KEYS = (): Record<string, KeyObject> =>
  (keys ??= {
    paycools: keyOf("PAYCOOLS_PUBLIC_KEY"),
    "paycools-id": keyOf("PAYCOOLS_ID_PUBLIC_KEY"),
    payermax: keyOf("PAYERMAX_PUBLIC_KEY"),
  });
const ACKS: Record<string, string> = {
  paycools: '{"code":10000,"message":"Success"}',
  "paycools-id": '{"code":10000,"message":"Success"}',
  payermax: '{"bizCode":"0000","message":"success"}',
};
// The markets' zones have no daylight saving: a fixed offset reads their local times.
const MARKETS: Record<string, { currency: string; offset: string }> = {
  ID: { currency: "IDR", offset: "+07:00" },
  PH: { currency: "PHP", offset: "+08:00" },
  MY: { currency: "MYR", offset: "+08:00" },
  TH: { currency: "THB", offset: "+07:00" },
  RU: { currency: "RUB", offset: "+03:00" },
};
const PAYCOOLS_STATUS: Record<string, string> = { COMPLETED: "succeeded", SUCCESS: "succeeded", FAILED: "failed", PENDING: "pending" };

type Notification = {
  provider: string;
  eventKey: string;
  eventName: string | null;
  kind: string;
  transactionId: string;
  orderId: string;
  status: string;
  providerStatus: string;
  amount: string;
  rawAmount: string;
  currency: string;
  channel: string | null;
  method: string | null;
  reference: string | null;
  reusable: boolean;
  createdAt: string | null;
  completedAt: string | null;
  orderType: string | null;
  declared: boolean;
  originalOrderId: string | null;
  originalTransactionId: string | null;
  payload: string;
};

function uuid7(): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(Date.now(), 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function minorToMajor(raw: string): string {
  const digits = raw.padStart(3, "0");
  return `${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

const localTime = (value: unknown, offset: string) => (typeof value === "string" && value ? `${value.replace(" ", "T")}${offset}` : null);

/** The notification, or null when the signature does not verify. */
function read(provider: string, body: Buffer, signHeader: string | undefined): Notification | null {
  if (provider === "payermax") {
    if (!signHeader || !verify("sha256", body, KEYS().payermax!, Buffer.from(signHeader, "base64"))) return null;
    const b = JSON.parse(body.toString("utf8"));
    const declared = b.orderType === "DUPLICATE_PAYMENT";
    return {
      provider, eventKey: `${b.tradeOrderNo}:${b.status}`, eventName: null, kind: "payment", transactionId: b.tradeOrderNo,
      orderId: b.orderId, status: b.status === 1 ? "succeeded" : "failed", providerStatus: String(b.status), amount: b.totalAmount,
      rawAmount: b.totalAmount, currency: b.currency, channel: b.targetOrg || null, method: b.paymentMethodType || null,
      reference: b.paymentCode || null, reusable: false, createdAt: null, completedAt: null, orderType: b.orderType || "PAYMENT",
      declared, originalOrderId: declared ? b.originalOrderId || null : null, originalTransactionId: declared ? b.originalTradeOrderNo || null : null,
      payload: body.toString("utf8"),
    };
  }
  const envelope = JSON.parse(body.toString("utf8"));
  if (typeof envelope.sign !== "string" || !verify("sha256", Buffer.from(envelope.param, "utf8"), KEYS()[provider]!, Buffer.from(envelope.sign, "base64"))) return null;
  const p = JSON.parse(envelope.param);
  const market = provider === "paycools-id" ? MARKETS.ID! : MARKETS[String(p.channelCode).slice(0, 2)]!;
  const reference = p.referenceNumber || null;
  return {
    provider, eventKey: `${p.transactionId}:${p.eventName}:${p.transactionStatus}`, eventName: p.eventName, kind: "payment",
    transactionId: p.transactionId, orderId: p.mchOrderId, status: PAYCOOLS_STATUS[p.transactionStatus] ?? "pending",
    providerStatus: p.transactionStatus, amount: minorToMajor(String(p.amount)), rawAmount: String(p.amount), currency: market.currency,
    channel: p.channelCode, method: null, reference, reusable: reference !== null, createdAt: localTime(p.createTime, market.offset),
    completedAt: localTime(p.returnTime, market.offset), orderType: null, declared: false, originalOrderId: null, originalTransactionId: null,
    payload: envelope.param,
  };
}

/** The statement lib/ingest/ingest-notification.ts sends: the whole ingest in the database function ingest_notification. */
const INGEST = `SELECT r_outcome AS outcome, r_transaction_id::text AS transaction_id, r_event_id::text AS event_id, r_applied AS applied
  FROM ingest_notification(${Array.from({ length: 40 }, (_, i) => `$${i + 1}`).join(", ")})`;

async function ingest(n: Notification, body: Buffer, headers: string, receivedAt: Date): Promise<void> {
  await send(INGEST, [
    `${n.provider}:${n.originalOrderId ?? n.orderId}`,
    n.provider, n.eventKey, n.eventName, n.kind, n.transactionId, n.orderId, n.status, n.providerStatus, n.amount, n.currency,
    n.rawAmount, n.channel, n.method, n.reference, n.reusable, null, null, null, n.createdAt, n.completedAt, n.orderType,
    n.declared, n.originalOrderId, n.originalTransactionId, n.payload,
    receivedAt, "POST", "SHA256:baseline", headers, null, body, body.length, false,
    uuid7(), uuid7(), uuid7(), uuid7(), uuid7(), new Date(),
  ]);
}

/** What the server answers: the provider's acknowledgement once the notification is stored, else an error. */
export type Answer = { status: number; body: string };

/**
 * One notification: `body` the exact bytes received, `signHeader` the request's `sign` header,
 * `headers` the request headers as JSON (stored with the delivery, as the app stores them).
 */
export async function handleNotification(provider: string | undefined, method: string, body: Buffer, signHeader: string | null, headers: string, receivedAt: Date): Promise<Answer> {
  if (method !== "POST" || !provider || !Object.hasOwn(KEYS(), provider)) return { status: 404, body: '{"error":"not found"}' };
  if (body.length > MAX_BODY) return { status: 413, body: '{"error":"body_too_large"}' };
  let notification: Notification | null;
  try {
    notification = read(provider, body, signHeader ?? undefined);
  } catch {
    return { status: 400, body: '{"error":"body_not_json"}' };
  }
  if (!notification) return { status: 401, body: '{"error":"signature_invalid"}' };
  await ingest(notification, body, headers, receivedAt);
  return { status: 200, body: ACKS[provider]! };
}

export const endPool = async (): Promise<void> => {
  await pool?.end();
};
