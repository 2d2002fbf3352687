-- CreateIndex
CREATE INDEX "transactions_provider_status_amount_id_idx" ON "transactions"("provider", "status", "amount", "id");

-- CreateIndex
CREATE INDEX "transactions_first_seen_at_status_provider_currency_kind_am_idx" ON "transactions"("first_seen_at", "status", "provider", "currency", "kind", "amount");

-- CreateIndex
CREATE INDEX "transactions_original_provider_transaction_id_idx" ON "transactions"("original_provider_transaction_id");
