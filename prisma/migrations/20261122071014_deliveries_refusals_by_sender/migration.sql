-- CreateIndex
CREATE INDEX "deliveries_refusals_by_sender_idx" ON "deliveries"("source_ip", "received_at" DESC, "id" DESC) WHERE (outcome = 'rejected');
