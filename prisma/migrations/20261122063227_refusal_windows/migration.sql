-- CreateTable
CREATE TABLE "refusal_windows" (
    "source_ip" VARCHAR(64) NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "refused" INTEGER NOT NULL,
    "recorded" INTEGER NOT NULL,
    "recorded_bytes" INTEGER NOT NULL,
    "last_recorded" BOOLEAN NOT NULL,
    "over_limit" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "refusal_windows_pkey" PRIMARY KEY ("source_ip","starts_at")
);

-- CreateIndex
CREATE INDEX "refusal_windows_starts_at_idx" ON "refusal_windows"("starts_at");

-- CreateIndex
CREATE INDEX "refusal_windows_over_limit_idx" ON "refusal_windows"("starts_at") WHERE (over_limit);
