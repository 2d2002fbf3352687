-- Finance decides a transaction's conflicting final states (status_decisions).
--
-- Duplicate detection moves out of ingest_notification into detect_duplicate_payment, unchanged,
-- reading the transaction's own row (which the ingest has just written with the notification's
-- values), so that a decision applying a later "succeeded" runs exactly the same detection.
-- ingest_notification is otherwise as 20261121203342_duplicate_case_changes_under_its_lock wrote it.

-- CreateTable
CREATE TABLE "status_decisions" (
    "id" UUID NOT NULL,
    "transaction_id" UUID NOT NULL,
    "decision" VARCHAR(8) NOT NULL,
    "from_status" "TransactionStatus" NOT NULL,
    "from_provider_status" VARCHAR(64) NOT NULL,
    "later_status" "TransactionStatus" NOT NULL,
    "later_provider_status" VARCHAR(64) NOT NULL,
    "note" TEXT,
    "user_id" UUID,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "status_decisions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "status_decisions_transaction_id_at_idx" ON "status_decisions"("transaction_id", "at");

-- AddForeignKey
ALTER TABLE "status_decisions" ADD CONSTRAINT "status_decisions_transaction_id_fkey" FOREIGN KEY ("transaction_id") REFERENCES "transactions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "status_decisions" ADD CONSTRAINT "status_decisions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Duplicate payments of the succeeded payment p_transaction_id, under its order's lock (the caller
-- holds it): declared by PayerMax, or detected as a second successful payment of a one-time order.
-- Payments into a reusable static VA or payment code are normal and never flagged.
CREATE OR REPLACE FUNCTION detect_duplicate_payment(p_transaction_id uuid, p_declared boolean, p_case_id uuid, p_action_id uuid, p_now timestamptz)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  v_t transactions%ROWTYPE;
  v_order_id text;
  v_case_id uuid;
  v_others integer;
BEGIN
  SELECT * INTO v_t FROM transactions WHERE id = p_transaction_id;
  IF p_declared THEN
    v_order_id := coalesce(v_t.original_merchant_order_id, v_t.merchant_order_id);
    v_case_id := open_duplicate_case(v_t.provider, v_order_id, 'declared', p_case_id, p_action_id);
    UPDATE transactions SET duplicate_case_id = v_case_id, duplicate_source = 'declared', updated_at = p_now
    WHERE id = p_transaction_id;
    -- The original may already be here; if it arrives later, the detection below links it.
    UPDATE transactions SET duplicate_case_id = v_case_id, updated_at = p_now
    WHERE provider = v_t.provider AND kind = 'payment' AND duplicate_case_id IS NULL
      AND (provider_transaction_id = v_t.original_provider_transaction_id
           OR (merchant_order_id = v_order_id AND (order_type IS NULL OR order_type <> 'DUPLICATE_PAYMENT')));
  ELSIF NOT v_t.reusable_order THEN
    SELECT count(*)::integer INTO v_others FROM transactions
    WHERE provider = v_t.provider AND kind = 'payment' AND merchant_order_id = v_t.merchant_order_id AND status = 'succeeded'
      AND reusable_order = false AND id <> p_transaction_id AND (order_type IS NULL OR order_type <> 'DUPLICATE_PAYMENT');
    IF v_others = 0 THEN
      -- Alone, but its order already has a case (a declared duplicate came first): it belongs to it.
      -- Joining writes the case's row (open_duplicate_case, its flags unchanged), as every ingest that
      -- links a payment does: a resolution being recorded meanwhile waits for this commit, or this
      -- for its, and a case resolved without this payment is reopened.
      IF EXISTS (SELECT 1 FROM duplicate_cases WHERE provider = v_t.provider AND merchant_order_id = v_t.merchant_order_id) THEN
        v_case_id := open_duplicate_case(v_t.provider, v_t.merchant_order_id, 'joined', p_case_id, p_action_id);
        UPDATE transactions SET duplicate_case_id = v_case_id, updated_at = p_now WHERE id = p_transaction_id;
      END IF;
    ELSE
      v_case_id := open_duplicate_case(v_t.provider, v_t.merchant_order_id, 'detected', p_case_id, p_action_id);
      UPDATE transactions SET duplicate_case_id = v_case_id, duplicate_source = 'detected', updated_at = p_now
      WHERE id = p_transaction_id;
      -- The same payments the count found: the order lock keeps the set as it was.
      UPDATE transactions SET duplicate_case_id = v_case_id, updated_at = p_now
      WHERE provider = v_t.provider AND kind = 'payment' AND merchant_order_id = v_t.merchant_order_id AND status = 'succeeded'
        AND reusable_order = false AND id <> p_transaction_id AND (order_type IS NULL OR order_type <> 'DUPLICATE_PAYMENT')
        AND duplicate_case_id IS NULL;
    END IF;
  END IF;
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

  -- Duplicate payments (detect_duplicate_payment), decided under the order lock, only when this
  -- event is what makes the payment succeeded (it is new, or was pending): a further event of a
  -- payment that had already succeeded (PayCools' COMPLETED after SUCCESS) changes nothing about
  -- the order's payments, and deciding again would take the original for a duplicate and reopen a
  -- case finance had resolved.
  IF (v_decision IS NULL OR v_decision = 'apply') AND p_kind = 'payment' AND p_status = 'succeeded' THEN
    PERFORM detect_duplicate_payment(v_transaction_id, p_declared_duplicate, p_case_id, p_action_id, p_now);
  END IF;

  RETURN QUERY SELECT 'accepted'::text, v_transaction_id, p_event_id, v_applied;
END
$$;

-- Finance's decision about a conflicting final state: apply the later one (the transaction takes
-- its status, provider status and payload; a payment that becomes succeeded goes through duplicate
-- detection as if the notification had applied) or keep the first. Either way the conflict is
-- closed and the decision kept; a further conflicting notification opens it again. Under the same
-- order lock as every ingest of the order.
-- p_later_seen is the later provider status the admin saw: if the newest one differs now, nothing changes.
CREATE OR REPLACE FUNCTION decide_status_conflict(p_transaction_id uuid, p_apply boolean, p_later_seen text, p_user_id uuid, p_note text,
                                                  p_decision_id uuid, p_case_id uuid, p_action_id uuid, p_now timestamptz)
RETURNS TABLE (r_outcome text, r_status text, r_later_provider_status text)
LANGUAGE plpgsql AS $$
DECLARE
  v_t transactions%ROWTYPE;
  v_later events%ROWTYPE;
BEGIN
  SELECT * INTO v_t FROM transactions WHERE id = p_transaction_id;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'not_found'::text, NULL::text, NULL::text;
    RETURN;
  END IF;
  -- The ingest's key (lib/ingest/lock-order.ts): provider and the order the notification is about.
  PERFORM pg_advisory_xact_lock(hashtextextended(v_t.provider || ':' || coalesce(v_t.original_merchant_order_id, v_t.merchant_order_id), 0));
  -- Read again under the lock: a notification may have changed it while this waited.
  SELECT * INTO v_t FROM transactions WHERE id = p_transaction_id;
  IF NOT v_t.status_conflict THEN
    RETURN QUERY SELECT 'not_conflicting'::text, v_t.status::text, NULL::text;
    RETURN;
  END IF;
  -- The later final state is the one the ingest flagged last (conflicting_status), which the page
  -- showed: if the provider has reported another since, the admin decides again.
  IF v_t.conflicting_status IS DISTINCT FROM p_later_seen THEN
    RETURN QUERY SELECT 'changed'::text, v_t.status::text, v_t.conflicting_status::text;
    RETURN;
  END IF;
  -- Its event: the newest one that did not move the transaction and reported that status.
  SELECT * INTO v_later FROM events
  WHERE transaction_id = p_transaction_id AND NOT applied AND provider_status = v_t.conflicting_status AND status <> 'pending'
  ORDER BY received_at DESC, id DESC LIMIT 1;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'not_conflicting'::text, v_t.status::text, NULL::text;
    RETURN;
  END IF;

  INSERT INTO status_decisions (id, transaction_id, decision, from_status, from_provider_status, later_status,
                                later_provider_status, note, user_id, at)
  VALUES (p_decision_id, p_transaction_id, CASE WHEN p_apply THEN 'applied' ELSE 'kept' END, v_t.status, v_t.provider_status,
          v_later.status, v_later.provider_status, p_note, p_user_id, p_now);
  IF p_apply THEN
    UPDATE transactions SET status = v_later.status, provider_status = v_later.provider_status, payload = v_later.payload,
                            status_conflict = false, conflicting_status = NULL, updated_at = p_now
    WHERE id = p_transaction_id;
    UPDATE events SET applied = true WHERE id = v_later.id;
    IF v_t.kind = 'payment' AND v_later.status = 'succeeded' THEN
      PERFORM detect_duplicate_payment(p_transaction_id, coalesce(v_t.order_type = 'DUPLICATE_PAYMENT', false), p_case_id, p_action_id, p_now);
    END IF;
    RETURN QUERY SELECT 'applied'::text, v_later.status::text, v_later.provider_status::text;
  ELSE
    UPDATE transactions SET status_conflict = false, conflicting_status = NULL, updated_at = p_now WHERE id = p_transaction_id;
    RETURN QUERY SELECT 'kept'::text, v_t.status::text, v_later.provider_status::text;
  END IF;
END
$$;
