-- CreateEnum
CREATE TYPE "DeliveryOutcome" AS ENUM ('accepted', 'duplicate', 'rejected');

-- CreateEnum
CREATE TYPE "TransactionKind" AS ENUM ('payment', 'payout', 'refund');

-- CreateEnum
CREATE TYPE "TransactionStatus" AS ENUM ('pending', 'succeeded', 'failed', 'cancelled');

-- CreateEnum
CREATE TYPE "DuplicateSource" AS ENUM ('declared', 'detected');

-- CreateEnum
CREATE TYPE "DuplicateResolution" AS ENUM ('refunded', 'not_duplicate', 'other');

-- CreateEnum
CREATE TYPE "UserRole" AS ENUM ('admin', 'viewer');

-- CreateTable
CREATE TABLE "deliveries" (
    "id" UUID NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "provider" VARCHAR(32) NOT NULL,
    "method" VARCHAR(16) NOT NULL,
    "outcome" "DeliveryOutcome" NOT NULL,
    "http_status" SMALLINT NOT NULL,
    "error_code" VARCHAR(64),
    "reason" TEXT,
    "key_fingerprint" VARCHAR(80),
    "signature_valid" BOOLEAN,
    "headers" JSONB NOT NULL,
    "source_ip" VARCHAR(64),
    "body" BYTEA NOT NULL,
    "body_size" INTEGER NOT NULL,
    "body_truncated" BOOLEAN NOT NULL DEFAULT false,
    "event_id" UUID,
    "transaction_id" UUID,
    "reprocessed_at" TIMESTAMPTZ(3),

    CONSTRAINT "deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "events" (
    "id" UUID NOT NULL,
    "provider" VARCHAR(32) NOT NULL,
    "event_key" VARCHAR(300) NOT NULL,
    "event_name" VARCHAR(100),
    "status" "TransactionStatus" NOT NULL,
    "provider_status" VARCHAR(64) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "payload" JSONB NOT NULL,
    "applied" BOOLEAN NOT NULL,
    "transaction_id" UUID NOT NULL,

    CONSTRAINT "events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "transactions" (
    "id" UUID NOT NULL,
    "provider" VARCHAR(32) NOT NULL,
    "kind" "TransactionKind" NOT NULL,
    "provider_transaction_id" VARCHAR(128) NOT NULL,
    "merchant_order_id" VARCHAR(128) NOT NULL,
    "status" "TransactionStatus" NOT NULL,
    "provider_status" VARCHAR(64) NOT NULL,
    "status_conflict" BOOLEAN NOT NULL DEFAULT false,
    "conflicting_status" VARCHAR(64),
    "amount" DECIMAL(28,8) NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "raw_amount" VARCHAR(64) NOT NULL,
    "channel" VARCHAR(64),
    "payment_method" VARCHAR(64),
    "reference_number" VARCHAR(128),
    "reusable_order" BOOLEAN NOT NULL DEFAULT false,
    "pay_amount" DECIMAL(28,8),
    "pay_currency" CHAR(3),
    "exchange_rate" DECIMAL(30,12),
    "provider_created_at" TIMESTAMPTZ(3),
    "provider_completed_at" TIMESTAMPTZ(3),
    "order_type" VARCHAR(32),
    "duplicate_source" "DuplicateSource",
    "original_merchant_order_id" VARCHAR(128),
    "original_provider_transaction_id" VARCHAR(128),
    "duplicate_case_id" UUID,
    "payload" JSONB NOT NULL,
    "first_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "transactions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "duplicate_cases" (
    "id" UUID NOT NULL,
    "provider" VARCHAR(32) NOT NULL,
    "merchant_order_id" VARCHAR(128) NOT NULL,
    "declared" BOOLEAN NOT NULL DEFAULT false,
    "detected" BOOLEAN NOT NULL DEFAULT false,
    "opened_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolution" "DuplicateResolution",
    "resolution_note" TEXT,
    "resolved_at" TIMESTAMPTZ(3),
    "resolved_by_id" UUID,

    CONSTRAINT "duplicate_cases_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "duplicate_case_actions" (
    "id" UUID NOT NULL,
    "case_id" UUID NOT NULL,
    "action" VARCHAR(16) NOT NULL,
    "resolution" "DuplicateResolution",
    "note" TEXT,
    "user_id" UUID,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "duplicate_case_actions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "users" (
    "id" UUID NOT NULL,
    "email" VARCHAR(320) NOT NULL,
    "name" VARCHAR(200),
    "password_hash" VARCHAR(200) NOT NULL,
    "role" "UserRole" NOT NULL DEFAULT 'viewer',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "disabled_at" TIMESTAMPTZ(3),

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sign_in_attempts" (
    "id" UUID NOT NULL,
    "subject" VARCHAR(400) NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sign_in_attempts_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "deliveries_received_at_id_idx" ON "deliveries"("received_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "deliveries_provider_received_at_idx" ON "deliveries"("provider", "received_at" DESC);

-- CreateIndex
CREATE INDEX "deliveries_outcome_received_at_idx" ON "deliveries"("outcome", "received_at" DESC);

-- CreateIndex
CREATE INDEX "deliveries_transaction_id_received_at_idx" ON "deliveries"("transaction_id", "received_at");

-- CreateIndex
CREATE INDEX "deliveries_event_id_idx" ON "deliveries"("event_id");

-- CreateIndex
CREATE INDEX "events_transaction_id_received_at_idx" ON "events"("transaction_id", "received_at");

-- CreateIndex
CREATE UNIQUE INDEX "events_provider_event_key_key" ON "events"("provider", "event_key");

-- CreateIndex
CREATE INDEX "transactions_first_seen_at_id_idx" ON "transactions"("first_seen_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "transactions_merchant_order_id_idx" ON "transactions"("merchant_order_id");

-- CreateIndex
CREATE INDEX "transactions_provider_transaction_id_idx" ON "transactions"("provider_transaction_id");

-- CreateIndex
CREATE INDEX "transactions_reference_number_idx" ON "transactions"("reference_number");

-- CreateIndex
CREATE INDEX "transactions_provider_status_first_seen_at_idx" ON "transactions"("provider", "status", "first_seen_at");

-- CreateIndex
CREATE INDEX "transactions_duplicate_case_id_idx" ON "transactions"("duplicate_case_id");

-- CreateIndex
CREATE UNIQUE INDEX "transactions_provider_kind_provider_transaction_id_key" ON "transactions"("provider", "kind", "provider_transaction_id");

-- CreateIndex
CREATE INDEX "duplicate_cases_resolved_at_opened_at_idx" ON "duplicate_cases"("resolved_at", "opened_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "duplicate_cases_provider_merchant_order_id_key" ON "duplicate_cases"("provider", "merchant_order_id");

-- CreateIndex
CREATE INDEX "duplicate_case_actions_case_id_at_idx" ON "duplicate_case_actions"("case_id", "at");

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE INDEX "sign_in_attempts_subject_at_idx" ON "sign_in_attempts"("subject", "at");

-- AddForeignKey
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "events"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_transaction_id_fkey" FOREIGN KEY ("transaction_id") REFERENCES "transactions"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "events" ADD CONSTRAINT "events_transaction_id_fkey" FOREIGN KEY ("transaction_id") REFERENCES "transactions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "transactions" ADD CONSTRAINT "transactions_duplicate_case_id_fkey" FOREIGN KEY ("duplicate_case_id") REFERENCES "duplicate_cases"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "duplicate_cases" ADD CONSTRAINT "duplicate_cases_resolved_by_id_fkey" FOREIGN KEY ("resolved_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "duplicate_case_actions" ADD CONSTRAINT "duplicate_case_actions_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "duplicate_cases"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "duplicate_case_actions" ADD CONSTRAINT "duplicate_case_actions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
