-- Joining a duplicate case, and reopening it, under the case's row lock.
--
-- open_duplicate_case read whether the case was resolved from its statement's snapshot, taken
-- before it waited for the case's row: a resolution committed while it waited was then undone
-- (the row is updated as it is after the wait) without the reopening being kept in the case's
-- history. It now locks the row first, in a statement of its own, so what it reads after the
-- wait is the resolution just committed.
--
-- The first payment of an order arriving after PayerMax declared its duplicate joins the
-- order's case. Before, it joined without writing the case's row: a resolution recorded at the
-- same moment could count the case's payments without it, and a case already resolved stayed
-- resolved though the payment it never saw had arrived. It now joins through open_duplicate_case,
-- like every other payment linked to a case (with a source that sets neither flag), which
-- reopens a resolved case and keeps the reopening in its history. ingest_notification is
-- otherwise as 20261121192800_duplicate_detection_on_success_only wrote it.

CREATE OR REPLACE FUNCTION open_duplicate_case(p_provider text, p_merchant_order_id text, p_source text, p_case_id uuid, p_action_id uuid)
RETURNS uuid LANGUAGE plpgsql AS $$
DECLARE
  v_case_id uuid;
BEGIN
  -- Waits for a resolution being recorded; the statement below then sees it committed.
  PERFORM 1 FROM duplicate_cases WHERE provider = p_provider AND merchant_order_id = p_merchant_order_id FOR UPDATE;
  WITH earlier AS (
         SELECT c.id, c.resolved_at FROM duplicate_cases c WHERE c.provider = p_provider AND c.merchant_order_id = p_merchant_order_id
       ),
       opened AS (
         INSERT INTO duplicate_cases AS c (id, provider, merchant_order_id, declared, detected)
         VALUES (p_case_id, p_provider, p_merchant_order_id, p_source = 'declared', p_source = 'detected')
         ON CONFLICT (provider, merchant_order_id) DO UPDATE
           SET declared = c.declared OR p_source = 'declared',
               detected = c.detected OR p_source = 'detected',
               resolution = CASE WHEN c.resolved_at IS NULL THEN c.resolution END,
               resolution_note = CASE WHEN c.resolved_at IS NULL THEN c.resolution_note END,
               resolved_by_id = CASE WHEN c.resolved_at IS NULL THEN c.resolved_by_id END,
               resolved_at = NULL
         RETURNING c.id
       ),
       reopened AS (
         INSERT INTO duplicate_case_actions (id, case_id, action, note)
         SELECT p_action_id, earlier.id, 'reopened', 'Another payment arrived for this order.'
         FROM earlier WHERE earlier.resolved_at IS NOT NULL
       )
  SELECT opened.id INTO v_case_id FROM opened;
  RETURN v_case_id;
END
$$;

CREATE OR REPLACE FUNCTION ingest_notification(
  p_lock_key text,
  -- the notification (lib/providers/types.ts)
  p_provider text, p_event_key text, p_event_name text, p_kind text, p_provider_transaction_id text,
  p_merchant_order_id text, p_status text, p_provider_status text, p_amount numeric, p_currency text,
  p_raw_amount text, p_channel text, p_payment_method text, p_reference_number text, p_reusable_order boolean,
  p_pay_amount numeric, p_pay_currency text, p_exchange_rate numeric,
  p_provider_created_at timestamptz, p_provider_completed_at timestamptz, p_order_type text,
  p_declared_duplicate boolean, p_original_merchant_order_id text, p_original_provider_transaction_id text,
  p_payload jsonb,
  -- the request (lib/ingest/delivery-input.ts)
  p_received_at timestamptz, p_method text, p_key_fingerprint text, p_headers jsonb, p_source_ip text,
  p_body bytea, p_body_size integer, p_body_truncated boolean,
  -- ids for the rows it may create, and the time it writes as updated_at
  p_delivery_id uuid, p_event_id uuid, p_transaction_id uuid, p_case_id uuid, p_action_id uuid, p_now timestamptz
)
RETURNS TABLE (r_outcome text, r_transaction_id uuid, r_event_id uuid, r_applied boolean)
LANGUAGE plpgsql AS $$
DECLARE
  v_event_id uuid;
  v_event_transaction_id uuid;
  v_transaction_id uuid;
  v_status text;
  v_reusable boolean;
  v_decision text;
  v_applied boolean := true;
  v_order_id text;
  v_case_id uuid;
  v_others integer;
BEGIN
  -- Serialises every ingest touching this merchant order until COMMIT: status transitions and
  -- duplicate detection read, then write.
  PERFORM pg_advisory_xact_lock(hashtextextended(p_lock_key, 0));

  SELECT e.id, e.transaction_id INTO v_event_id, v_event_transaction_id
  FROM events e WHERE e.provider = p_provider AND e.event_key = p_event_key;

  -- A retry of an event already stored: its delivery is kept, nothing else changes.
  IF v_event_id IS NOT NULL AND v_event_transaction_id IS NOT NULL THEN
    INSERT INTO deliveries (id, received_at, provider, method, outcome, http_status, key_fingerprint, signature_valid, headers,
                            source_ip, body, body_size, body_truncated, event_id, transaction_id)
    VALUES (p_delivery_id, p_received_at, p_provider, p_method, 'duplicate', 200, p_key_fingerprint, true, p_headers,
            p_source_ip, p_body, p_body_size, p_body_truncated, v_event_id, v_event_transaction_id);
    RETURN QUERY SELECT 'duplicate'::text, v_event_transaction_id, v_event_id, false;
    RETURN;
  END IF;

  SELECT t.id, t.status::text, t.reusable_order INTO v_transaction_id, v_status, v_reusable
  FROM transactions t
  WHERE t.provider = p_provider AND t.kind = p_kind::"TransactionKind" AND t.provider_transaction_id = p_provider_transaction_id;

  IF v_transaction_id IS NULL THEN
    v_transaction_id := p_transaction_id;
    v_reusable := p_reusable_order;
    INSERT INTO transactions (id, provider, kind, provider_transaction_id, first_seen_at, merchant_order_id, status, provider_status,
                              amount, currency, raw_amount, channel, payment_method, reference_number, reusable_order, pay_amount,
                              pay_currency, exchange_rate, provider_created_at, provider_completed_at, order_type,
                              original_merchant_order_id, original_provider_transaction_id, payload, updated_at)
    VALUES (p_transaction_id, p_provider, p_kind::"TransactionKind", p_provider_transaction_id, p_received_at, p_merchant_order_id,
            p_status::"TransactionStatus", p_provider_status, p_amount, p_currency, p_raw_amount, p_channel, p_payment_method,
            p_reference_number, p_reusable_order, p_pay_amount, p_pay_currency, p_exchange_rate, p_provider_created_at,
            p_provider_completed_at, p_order_type, p_original_merchant_order_id, p_original_provider_transaction_id, p_payload, p_now);
  ELSE
    -- The status rules: a final state is never turned back by a late pending one,
    -- and a second, different final state is kept visible as a conflict.
    v_decision := CASE
      WHEN v_status = 'pending' THEN 'apply'
      WHEN p_status = 'pending' THEN 'stale'
      WHEN v_status = p_status THEN 'same'
      ELSE 'conflict'
    END;
    v_applied := v_decision IN ('apply', 'same');
    IF v_decision = 'apply' THEN
      v_reusable := p_reusable_order;
      UPDATE transactions SET
        merchant_order_id = p_merchant_order_id, status = p_status::"TransactionStatus", provider_status = p_provider_status,
        amount = p_amount, currency = p_currency, raw_amount = p_raw_amount, channel = p_channel, payment_method = p_payment_method,
        reference_number = p_reference_number, reusable_order = p_reusable_order, pay_amount = p_pay_amount,
        pay_currency = p_pay_currency, exchange_rate = p_exchange_rate, provider_created_at = p_provider_created_at,
        provider_completed_at = p_provider_completed_at, order_type = p_order_type,
        original_merchant_order_id = p_original_merchant_order_id,
        original_provider_transaction_id = p_original_provider_transaction_id, payload = p_payload, updated_at = p_now
      WHERE id = v_transaction_id;
    ELSIF v_decision = 'conflict' THEN
      UPDATE transactions SET status_conflict = true, conflicting_status = p_provider_status, updated_at = p_now
      WHERE id = v_transaction_id;
    END IF;
    v_reusable := coalesce(v_reusable, false);
  END IF;

  INSERT INTO events (id, provider, event_key, event_name, status, provider_status, received_at, payload, applied, transaction_id)
  VALUES (p_event_id, p_provider, p_event_key, p_event_name, p_status::"TransactionStatus", p_provider_status, p_received_at,
          p_payload, v_applied, v_transaction_id);
  INSERT INTO deliveries (id, received_at, provider, method, outcome, http_status, key_fingerprint, signature_valid, headers,
                          source_ip, body, body_size, body_truncated, event_id, transaction_id)
  VALUES (p_delivery_id, p_received_at, p_provider, p_method, 'accepted', 200, p_key_fingerprint, true, p_headers,
          p_source_ip, p_body, p_body_size, p_body_truncated, p_event_id, v_transaction_id);

  -- Duplicate payments, decided under the order lock:
  -- declared by PayerMax, or detected as a second successful payment of a one-time order.
  -- Payments into a reusable static VA or payment code are normal and never flagged.
  -- Only when this event is what makes the payment succeeded (it is new, or was pending): a
  -- further event of a payment that had already succeeded (PayCools' COMPLETED after SUCCESS)
  -- changes nothing about the order's payments, and deciding again would take the original
  -- for a duplicate and reopen a case finance had resolved.
  IF (v_decision IS NULL OR v_decision = 'apply') AND p_kind = 'payment' AND p_status = 'succeeded' THEN
    IF p_declared_duplicate THEN
      v_order_id := coalesce(p_original_merchant_order_id, p_merchant_order_id);
      v_case_id := open_duplicate_case(p_provider, v_order_id, 'declared', p_case_id, p_action_id);
      UPDATE transactions SET duplicate_case_id = v_case_id, duplicate_source = 'declared', updated_at = p_now
      WHERE id = v_transaction_id;
      -- The original may already be here; if it arrives later, the detection below links it.
      UPDATE transactions SET duplicate_case_id = v_case_id, updated_at = p_now
      WHERE provider = p_provider AND kind = 'payment' AND duplicate_case_id IS NULL
        AND (provider_transaction_id = p_original_provider_transaction_id
             OR (merchant_order_id = v_order_id AND (order_type IS NULL OR order_type <> 'DUPLICATE_PAYMENT')));
    ELSIF NOT v_reusable THEN
      SELECT count(*)::integer INTO v_others FROM transactions
      WHERE provider = p_provider AND kind = 'payment' AND merchant_order_id = p_merchant_order_id AND status = 'succeeded'
        AND reusable_order = false AND id <> v_transaction_id AND (order_type IS NULL OR order_type <> 'DUPLICATE_PAYMENT');
      IF v_others = 0 THEN
        -- Alone, but its order already has a case (a declared duplicate came first): it belongs to it.
        -- Joining writes the case's row (open_duplicate_case, its flags unchanged), as every ingest that
        -- links a payment does: a resolution being recorded meanwhile waits for this commit, or this
        -- for its, and a case resolved without this payment is reopened.
        IF EXISTS (SELECT 1 FROM duplicate_cases WHERE provider = p_provider AND merchant_order_id = p_merchant_order_id) THEN
          v_case_id := open_duplicate_case(p_provider, p_merchant_order_id, 'joined', p_case_id, p_action_id);
          UPDATE transactions SET duplicate_case_id = v_case_id, updated_at = p_now WHERE id = v_transaction_id;
        END IF;
      ELSE
        v_case_id := open_duplicate_case(p_provider, p_merchant_order_id, 'detected', p_case_id, p_action_id);
        UPDATE transactions SET duplicate_case_id = v_case_id, duplicate_source = 'detected', updated_at = p_now
        WHERE id = v_transaction_id;
        -- The same payments the count found: the order lock keeps the set as it was.
        UPDATE transactions SET duplicate_case_id = v_case_id, updated_at = p_now
        WHERE provider = p_provider AND kind = 'payment' AND merchant_order_id = p_merchant_order_id AND status = 'succeeded'
          AND reusable_order = false AND id <> v_transaction_id AND (order_type IS NULL OR order_type <> 'DUPLICATE_PAYMENT')
          AND duplicate_case_id IS NULL;
      END IF;
    END IF;
  END IF;

  RETURN QUERY SELECT 'accepted'::text, v_transaction_id, p_event_id, v_applied;
END
$$;
