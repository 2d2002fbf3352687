// The SQL that fills a migrated Payhook database with a finance team's years of
// history, row values derived from the row number by hashing (deterministic,
// no client round trip per row). Distributions: 40% PayCools, 30% PayCools
// Indonesia (static VAs, reused), 30% PayerMax; 80% succeeded, 12% failed,
// 6% pending, 2% cancelled; volume growing over `years` up to now; one order
// in 200 paid twice (PayCools: detected, PayerMax: declared), as a duplicate case.
// Rows are written in time order, as a ledger's are, so the table's physical
// order follows first_seen_at like a real one's (index range scans stay local).

/** A uniform number in [0, 1) from a row number and a salt. */
const u = (expr: string, salt: number) => `((hashint8extended(${expr}, ${salt}) & 2147483647)::float8 / 2147483648)`;

/** A uuid v7 (time-ordered, as Prisma's uuid(7) makes them) for an instant, its random part from `seed`. */
const uuid7 = (instant: string, seed: string) =>
  `overlay(overlay(lpad(to_hex((extract(epoch FROM ${instant}) * 1000)::bigint), 12, '0') || substr(md5(${seed}), 1, 20) placing '7' from 13) placing '8' from 17)::uuid`;

/** Rows `from`..`to` (inclusive) of the `total` rows of the transactions table. */
export function insertTransactions(from: number, to: number, total: number, years: number): string {
  return `
INSERT INTO transactions (id, provider, kind, provider_transaction_id, merchant_order_id, status, provider_status, amount, currency,
  raw_amount, channel, payment_method, reference_number, reusable_order, provider_created_at, provider_completed_at, order_type,
  duplicate_source, original_merchant_order_id, original_provider_transaction_id, duplicate_case_id, payload, first_seen_at, updated_at)
SELECT ${uuid7("seen", "'t' || g")}, provider, kind::"TransactionKind", ptid, order_id, status::"TransactionStatus",
  CASE WHEN provider = 'payermax' THEN CASE status WHEN 'succeeded' THEN '1' ELSE '2' END
       ELSE CASE status WHEN 'succeeded' THEN 'COMPLETED' WHEN 'failed' THEN 'FAILED' WHEN 'pending' THEN 'PENDING' ELSE 'CANCELLED' END END,
  amount, currency,
  CASE WHEN provider = 'payermax' THEN amount::text ELSE (amount * 100)::bigint::text END,
  channel, CASE WHEN provider = 'payermax' THEN (ARRAY['CARD', 'WALLET', 'VA'])[1 + (g % 3)] END,
  reference, provider <> 'payermax' AND reference IS NOT NULL AND kind = 'payment',
  seen - interval '2 minutes', CASE WHEN status <> 'pending' THEN seen END,
  CASE WHEN provider = 'payermax' THEN CASE WHEN dup = 1 THEN 'DUPLICATE_PAYMENT' ELSE 'PAYMENT' END END,
  CASE WHEN dup = 1 THEN CASE WHEN provider = 'payermax' THEN 'declared' ELSE 'detected' END END::"DuplicateSource",
  CASE WHEN dup = 1 AND provider = 'payermax' THEN order_id END,
  CASE WHEN dup = 1 AND provider = 'payermax' THEN 'TOKEN' || lpad(base::text, 18, '0') END,
  CASE WHEN dup >= 0 THEN md5('case' || base)::uuid END,
  CASE WHEN provider = 'payermax' THEN jsonb_build_object(
      'orderId', order_id, 'tradeOrderNo', ptid, 'status', CASE status WHEN 'succeeded' THEN 1 ELSE 2 END, 'totalAmount', amount::text,
      'currency', currency, 'payAmount', amount::text, 'payCurrency', currency, 'exchangeRate', '1', 'merchantId', 'SP35661109',
      'countryCode', 'ID', 'paymentMethodType', 'CARD', 'reference', 'GM' || g, 'channelNo', 'DMCP' || g, 'paymentCode', reference,
      'cardInfo', jsonb_build_object('cardOrg', 'MASTERCARD', 'cardIdentifierNo', '520000******0007'),
      'orderType', CASE WHEN dup = 1 THEN 'DUPLICATE_PAYMENT' ELSE 'PAYMENT' END)
    ELSE jsonb_build_object(
      'eventName', 'order.' || kind || '.' || CASE status WHEN 'succeeded' THEN 'success' ELSE status END, 'amount', (amount * 100)::bigint,
      'channelCode', channel, 'mchOrderId', order_id, 'transactionId', ptid, 'transactionStatus', upper(status),
      'createTime', left((seen AT TIME ZONE 'UTC' + interval '7 hours')::text, 19), 'remark', 'payment', 'referenceNumber', reference) END,
  seen, seen
FROM (
  SELECT g, base, dup, seen, provider, kind,
    CASE WHEN provider = 'payermax' THEN 'TOKEN' ELSE 'C' END || lpad(g::text, CASE WHEN provider = 'payermax' THEN 18 ELSE 19 END, '0') AS ptid,
    'ORD' || lpad(base::text, 12, '0') AS order_id,
    CASE WHEN dup >= 0 THEN 'succeeded' WHEN s < 0.80 THEN 'succeeded' WHEN s < 0.92 THEN 'failed' WHEN s < 0.98 THEN 'pending' ELSE 'cancelled' END AS status,
    round((10 ^ (3 + 4 * a))::numeric, CASE WHEN provider = 'payermax' THEN 2 ELSE 0 END) AS amount,
    CASE WHEN provider = 'paycools' THEN (ARRAY['IDR', 'IDR', 'IDR', 'PHP', 'PHP', 'MYR', 'THB'])[1 + (g % 7)]
         WHEN provider = 'paycools-id' THEN 'IDR' ELSE (ARRAY['IDR', 'IDR', 'PHP', 'THB'])[1 + (g % 4)] END AS currency,
    CASE WHEN provider = 'paycools' THEN (ARRAY['ID_BCA_VA', 'ID_BNI_VA', 'ID_OVO', 'PH_GCASH', 'PH_MAYA', 'MY_FPX', 'TH_PROMPTPAY'])[1 + (g % 7)]
         WHEN provider = 'paycools-id' THEN (ARRAY['BNI_VA', 'BCA_VA', 'BRI_VA'])[1 + (g % 3)] END AS channel,
    CASE WHEN dup >= 0 THEN NULL
         WHEN provider = 'paycools-id' THEN '8558' || lpad((g % 200000)::text, 12, '0')
         WHEN provider = 'paycools' AND g % 10 = 0 THEN '7788' || lpad((g % 50000)::text, 12, '0')
         WHEN provider = 'payermax' THEN lpad(g::text, 10, '0') END AS reference
  FROM (
    SELECT g, base, dup, s, a,
      now() - interval '20 minutes' - interval '${years} years' * (1 - sqrt((base - 0.5) / ${total})) + CASE WHEN dup = 1 THEN interval '17 minutes' ELSE interval '0' END AS seen,
      CASE WHEN dup >= 0 THEN CASE WHEN (base / 200) % 2 = 0 THEN 'paycools' ELSE 'payermax' END
           WHEN p < 0.4 THEN 'paycools' WHEN p < 0.7 THEN 'paycools-id' ELSE 'payermax' END AS provider,
      CASE WHEN dup >= 0 OR p >= 0.7 THEN 'payment' WHEN k < 0.9 THEN 'payment' WHEN k < 0.97 THEN 'payout' ELSE 'refund' END AS kind
    FROM (
      SELECT g, g - (g % 200 = 1 AND g > 1)::int AS base,
        CASE WHEN g % 200 = 0 AND g < ${total} THEN 0 WHEN g % 200 = 1 AND g > 1 THEN 1 ELSE -1 END AS dup,
        ${u("g", 1)} AS p, ${u("g", 2)} AS s, ${u("g", 3)} AS a, ${u("g", 5)} AS k
      FROM generate_series(${from}, ${to}) AS g
    ) AS numbers
  ) AS shaped
) AS rows`;
}

/** One case per order paid twice; old ones mostly resolved, recent ones open. */
export const insertDuplicateCases = `
INSERT INTO duplicate_cases (id, provider, merchant_order_id, declared, detected, opened_at, resolution, resolution_note, resolved_at)
SELECT duplicate_case_id, provider, COALESCE(original_merchant_order_id, merchant_order_id), duplicate_source = 'declared', duplicate_source = 'detected',
  first_seen_at,
  CASE WHEN first_seen_at < now() - interval '60 days' AND hashtext(merchant_order_id) % 10 <> 0 THEN 'refunded'::"DuplicateResolution" END,
  CASE WHEN first_seen_at < now() - interval '60 days' AND hashtext(merchant_order_id) % 10 <> 0 THEN 'Refunded to the customer.' END,
  CASE WHEN first_seen_at < now() - interval '60 days' AND hashtext(merchant_order_id) % 10 <> 0 THEN first_seen_at + interval '1 day' END
FROM transactions WHERE duplicate_source IS NOT NULL`;

const eventKey = `CASE WHEN t.provider = 'payermax' THEN t.provider_transaction_id || ':' || t.provider_status
  ELSE t.provider_transaction_id || ':' || (t.payload->>'eventName') || ':' || t.provider_status END`;

/** The final event of every transaction (of part `part` of `parts`); one in ten PayCools ones was pending first. */
export const insertEvents = (part: number, parts: number) => `
INSERT INTO events (id, provider, event_key, event_name, status, provider_status, received_at, payload, applied, transaction_id)
SELECT ${uuid7("t.first_seen_at + interval '2 minutes'", "'e' || t.id")}, t.provider, ${eventKey}, t.payload->>'eventName', t.status, t.provider_status,
  t.first_seen_at + CASE WHEN first THEN interval '0' ELSE interval '2 minutes' END, t.payload, true, t.id
FROM (SELECT *, NOT (provider <> 'payermax' AND status <> 'pending' AND hashtext(id::text) % 10 = 0) AS first FROM transactions
      WHERE abs(hashtext(id::text) % ${parts}) = ${part}) AS t
UNION ALL
SELECT ${uuid7("t.first_seen_at", "'p' || t.id")}, t.provider, t.provider_transaction_id || ':order.payment.pending:PENDING', 'order.payment.pending',
  'pending', 'PENDING', t.first_seen_at, t.payload, true, t.id
FROM transactions AS t WHERE t.provider <> 'payermax' AND t.status <> 'pending' AND hashtext(t.id::text) % 10 = 0
  AND abs(hashtext(t.id::text) % ${parts}) = ${part}`;

const REJECTED_REASON = `'signature in the \`sign\` field of the body does not verify with any configured public key: check that the provider''s current public key is configured'`;

/** One accepted delivery per event (of part `part` of `parts`), a retry of one in ten, and a few refused requests. */
export const insertDeliveries = (part: number, parts: number) => `
INSERT INTO deliveries (id, received_at, provider, method, outcome, http_status, error_code, reason, key_fingerprint, signature_valid,
  headers, source_ip, body, body_size, event_id, transaction_id)
SELECT ${uuid7("e.received_at + kinds.delay", "kinds.outcome || e.id")}, e.received_at + kinds.delay, e.provider, 'POST', kinds.outcome::"DeliveryOutcome",
  CASE WHEN kinds.outcome = 'rejected' THEN 401 ELSE 200 END,
  CASE WHEN kinds.outcome = 'rejected' THEN 'signature_invalid' END,
  CASE WHEN kinds.outcome = 'rejected' THEN ${REJECTED_REASON} END,
  CASE WHEN kinds.outcome <> 'rejected' THEN 'SHA256:' || md5(e.provider) END,
  kinds.outcome <> 'rejected',
  jsonb_build_object('content-type', 'application/json', 'user-agent', 'Apache-HttpClient/4.5.13 (Java/1.8.0)', 'accept-encoding', 'gzip,deflate',
    'x-forwarded-for', e.ip, 'host', 'payhook.example.com'),
  e.ip, e.bytes, octet_length(e.bytes),
  CASE WHEN kinds.outcome <> 'rejected' THEN e.id END, CASE WHEN kinds.outcome <> 'rejected' THEN e.transaction_id END
FROM (SELECT id, provider, received_at, transaction_id, convert_to(payload::text, 'UTF8') AS bytes, hashtext(id::text) AS h,
             '203.0.113.' || (hashtext(id::text) & 127) AS ip FROM events WHERE abs(hashtext(transaction_id::text) % ${parts}) = ${part}) AS e
CROSS JOIN LATERAL (VALUES ('accepted', interval '0'), ('duplicate', interval '30 seconds'), ('rejected', interval '5 seconds')) AS kinds(outcome, delay)
WHERE kinds.outcome = 'accepted' OR (kinds.outcome = 'duplicate' AND e.h % 10 = 1) OR (kinds.outcome = 'rejected' AND e.h % 200 = 7)`;
