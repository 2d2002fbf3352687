-- CreateIndex
CREATE INDEX "transactions_status_conflict_first_seen_at_id_idx" ON "transactions"("status_conflict", "first_seen_at" DESC, "id" DESC);
