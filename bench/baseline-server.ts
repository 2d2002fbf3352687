import { createHash, createPublicKey, randomBytes, verify, type KeyObject } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import pg from "pg";

// The ingest baseline: node:http and a pg Pool, nothing else. Per notification
// it does what the app does — read the exact bytes (1 MiB cap), check the
// SHA256withRSA signature with node:crypto, read the JSON — and sends the same
// SQL the app's ingest sends on PostgreSQL, in one transaction, acknowledging
// after COMMIT. Like the app (lib/db/transaction.ts), it prepares each
// statement once per connection, named by a digest of its text.
// The gap between this and the app is the cost of Next and of the app's own
// request handling (schema validation, header redaction, the Prisma.sql builder).
//
// DATABASE_URL, PORT, POOL_SIZE and the three *_PUBLIC_KEY variables (base64 SPKI).

const MAX_BODY = 1024 * 1024;
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.POOL_SIZE ?? 10) });
pool.on("error", () => {});

const statementNames = new Map<string, string>();
/** A parameterised statement, prepared once per connection. */
function send(client: pg.PoolClient, text: string, values: unknown[]) {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `payhook_${createHash("sha256").update(text).digest("base64url").slice(0, 32)}`;
    statementNames.set(text, name);
  }
  return client.query({ name, text, values });
}

const keyOf = (variable: string): KeyObject =>
  createPublicKey({ key: Buffer.from(process.env[variable] ?? "", "base64"), format: "der", type: "spki" });
const KEYS: Record<string, KeyObject> = {
  paycools: keyOf("PAYCOOLS_PUBLIC_KEY"),
  "paycools-id": keyOf("PAYCOOLS_ID_PUBLIC_KEY"),
  payermax: keyOf("PAYERMAX_PUBLIC_KEY"),
};
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
    if (!signHeader || !verify("sha256", body, KEYS.payermax!, Buffer.from(signHeader, "base64"))) return null;
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
  if (typeof envelope.sign !== "string" || !verify("sha256", Buffer.from(envelope.param, "utf8"), KEYS[provider]!, Buffer.from(envelope.sign, "base64"))) return null;
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

const NOT_DECLARED = "(order_type IS NULL OR order_type <> 'DUPLICATE_PAYMENT')";

/** The statements lib/ingest/ingest-notification.ts and flag-duplicates.ts send, in the same order. */
async function ingest(n: Notification, body: Buffer, headers: string, receivedAt: Date): Promise<void> {
  const client = await pool.connect();
  try {
    // BEGIN and the order lock in one simple-protocol message, as lib/db/transaction.ts sends them.
    await client.query(`BEGIN; SELECT pg_advisory_xact_lock(hashtextextended(${client.escapeLiteral(`${n.provider}:${n.originalOrderId ?? n.orderId}`)}, 0))`);
    const { rows } = await send(client, `SELECT e.id::text AS event_id, e.transaction_id::text AS event_transaction_id, t.id::text AS transaction_id, t.status::text AS status, t.reusable_order
       FROM (VALUES (1)) AS one (x)
       LEFT JOIN events e ON e.provider = $1 AND e.event_key = $2
       LEFT JOIN transactions t ON t.provider = $1 AND t.kind = CAST($3::text AS "TransactionKind") AND t.provider_transaction_id = $4`,
      [n.provider, n.eventKey, n.kind, n.transactionId],
    );
    const state = rows[0];
    const deliveryColumns = "id, received_at, provider, method, outcome, http_status, key_fingerprint, signature_valid, headers, source_ip, body, body_size, body_truncated, event_id, transaction_id";
    if (state.event_id) {
      await send(client, `INSERT INTO deliveries (${deliveryColumns}) VALUES ($1, $2, $3, 'POST', 'duplicate', 200, 'SHA256:baseline', true, $4, NULL, $5, $6, false, $7, $8)`,
        [uuid7(), receivedAt, n.provider, headers, body, body.length, state.event_id, state.event_transaction_id],
      );
      await client.query("COMMIT");
      return;
    }
    const eventId = uuid7();
    let transactionId: string;
    let applied = true;
    let reusable = n.reusable;
    // $1–$15: the event and the delivery; $16 on: the transaction's write.
    const params: unknown[] = [eventId, n.provider, n.eventKey, n.eventName, n.status, n.providerStatus, receivedAt, n.payload, true, "", uuid7(), headers, body, body.length, "SHA256:baseline"];
    let write = "";
    if (!state.transaction_id) {
      transactionId = uuid7();
      write = `written_transaction AS (INSERT INTO transactions (id, provider, kind, provider_transaction_id, first_seen_at, merchant_order_id, status, provider_status, amount, currency, raw_amount, channel, payment_method, reference_number, reusable_order, provider_created_at, provider_completed_at, order_type, original_merchant_order_id, original_provider_transaction_id, payload, updated_at)
        VALUES ($10, $2, CAST($16::text AS "TransactionKind"), $17, $7, $18, CAST($5::text AS "TransactionStatus"), $6, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $8, now())),`;
      params.push(n.kind, n.transactionId, n.orderId, n.amount, n.currency, n.rawAmount, n.channel, n.method, n.reference, n.reusable, n.createdAt, n.completedAt, n.orderType, n.originalOrderId, n.originalTransactionId);
    } else {
      transactionId = state.transaction_id;
      const from = state.status as string;
      const decision = from === "pending" ? "apply" : n.status === "pending" ? "stale" : from === n.status ? "same" : "conflict";
      applied = decision === "apply" || decision === "same";
      reusable = decision === "apply" ? n.reusable : state.reusable_order;
      if (decision === "apply") {
        write = `written_transaction AS (UPDATE transactions SET status = CAST($5::text AS "TransactionStatus"), provider_status = $6, amount = $16, payload = $8, updated_at = now() WHERE id = $10),`;
        params.push(n.amount);
      } else if (decision === "conflict") {
        write = "written_transaction AS (UPDATE transactions SET status_conflict = true, conflicting_status = $6, updated_at = now() WHERE id = $10),";
      }
    }
    params[8] = applied;
    params[9] = transactionId;
    const insertDelivery = `INSERT INTO deliveries (${deliveryColumns}) VALUES ($11, $7, $2, 'POST', 'accepted', 200, $15, true, $12, NULL, $13, $14, false, $1, $10)`;
    // A successful one-time payment gets the duplicate look-up back from the write, as the app's ingest does.
    const check = applied && n.kind === "payment" && n.status === "succeeded" && !n.declared && !reusable;
    if (check) params.push(n.orderId);
    const { rows: written } = await send(client, `WITH ${write} written_event AS (
         INSERT INTO events (id, provider, event_key, event_name, status, provider_status, received_at, payload, applied, transaction_id)
         VALUES ($1, $2, $3, $4, CAST($5::text AS "TransactionStatus"), $6, $7, $8, $9, $10))
       ${check ? `, written_delivery AS (${insertDelivery}) SELECT ${duplicateLookUp("$2", `$${params.length}`, "$10")}` : insertDelivery}`,
      params,
    );
    if (applied && n.kind === "payment" && n.status === "succeeded") await flag(client, n, transactionId, reusable, written[0]);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/** Other successful payments of the order and its case (lib/ingest/flag-duplicates.ts's duplicateCheckColumns). */
const duplicateLookUp = (provider: string, orderId: string, transactionId: string) =>
  `(SELECT count(*)::int FROM transactions WHERE provider = ${provider} AND kind = 'payment' AND merchant_order_id = ${orderId} AND status = 'succeeded'
           AND reusable_order = false AND id <> ${transactionId} AND ${NOT_DECLARED}) AS others,
   (SELECT id::text FROM duplicate_cases WHERE provider = ${provider} AND merchant_order_id = ${orderId}) AS case_id`;

/** The same reads and writes as lib/ingest/flag-duplicates.ts. */
async function flag(client: pg.PoolClient, n: Notification, transactionId: string, reusable: boolean, checked?: { others: number; case_id: string | null }): Promise<void> {
  const openCase = async (orderId: string, column: "declared" | "detected") => {
    const found = await send(client, `INSERT INTO duplicate_cases (id, provider, merchant_order_id, ${column}) VALUES ($1, $2, $3, true)
       ON CONFLICT (provider, merchant_order_id) DO UPDATE SET ${column} = true RETURNING id`,
      [uuid7(), n.provider, orderId],
    );
    return found.rows[0].id as string;
  };
  if (n.declared) {
    const orderId = n.originalOrderId ?? n.orderId;
    const caseId = await openCase(orderId, "declared");
    await send(client, "UPDATE transactions SET duplicate_case_id = $2, duplicate_source = 'declared' WHERE id = $1", [transactionId, caseId]);
    await send(client, `UPDATE transactions SET duplicate_case_id = $1 WHERE provider = $2 AND kind = 'payment' AND duplicate_case_id IS NULL
       AND (provider_transaction_id = $3 OR (merchant_order_id = $4 AND ${NOT_DECLARED}))`,
      [caseId, n.provider, n.originalTransactionId ?? "", orderId],
    );
    return;
  }
  if (reusable) return;
  const found = checked ?? (await send(client, `SELECT ${duplicateLookUp("$1", "$2", "$3")}`, [n.provider, n.orderId, transactionId])).rows[0];
  if (!found.others) {
    if (found.case_id) await send(client, "UPDATE transactions SET duplicate_case_id = $2 WHERE id = $1", [transactionId, found.case_id]);
    return;
  }
  const caseId = await openCase(n.orderId, "detected");
  await send(client, "UPDATE transactions SET duplicate_case_id = $2, duplicate_source = 'detected' WHERE id = $1", [transactionId, caseId]);
  await send(client, `UPDATE transactions SET duplicate_case_id = $1 WHERE provider = $2 AND kind = 'payment' AND merchant_order_id = $3 AND status = 'succeeded'
     AND reusable_order = false AND id <> $4 AND ${NOT_DECLARED} AND duplicate_case_id IS NULL`,
    [caseId, n.provider, n.orderId, transactionId],
  );
}

function answer(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  response.end(body);
}

async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const provider = /^\/api\/webhooks\/([a-z-]+)$/.exec(request.url ?? "")?.[1];
  if (request.method !== "POST" || !provider || !KEYS[provider]) return answer(response, 404, '{"error":"not found"}');
  const receivedAt = new Date();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return answer(response, 413, '{"error":"body_too_large"}');
    chunks.push(chunk as Buffer);
  }
  const body = Buffer.concat(chunks);
  let notification: Notification | null;
  try {
    notification = read(provider, body, request.headers.sign as string | undefined);
  } catch {
    return answer(response, 400, '{"error":"body_not_json"}');
  }
  if (!notification) return answer(response, 401, '{"error":"signature_invalid"}');
  await ingest(notification, body, JSON.stringify(request.headers), receivedAt);
  answer(response, 200, ACKS[provider]!);
}

const server = createServer((request, response) => {
  handle(request, response).catch((error: Error) => {
    console.error("ingest failed:", error.message);
    if (!response.headersSent) answer(response, 500, '{"error":"internal_error"}');
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 3231), "127.0.0.1", () => console.log(`baseline listening on ${process.env.PORT ?? 3231}`));
const shutdown = () => server.close(() => void pool.end().then(() => process.exit(0)));
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
