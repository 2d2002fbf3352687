-- CreateTable
CREATE TABLE "user_changes" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "actor_id" UUID,
    "change" VARCHAR(16) NOT NULL,
    "role" "UserRole",
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "seq" BIGSERIAL NOT NULL,

    CONSTRAINT "user_changes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "user_changes_seq_idx" ON "user_changes"("seq" DESC);

-- CreateIndex
CREATE INDEX "user_changes_user_id_seq_idx" ON "user_changes"("user_id", "seq");

-- AddForeignKey
ALTER TABLE "user_changes" ADD CONSTRAINT "user_changes_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "user_changes" ADD CONSTRAINT "user_changes_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
