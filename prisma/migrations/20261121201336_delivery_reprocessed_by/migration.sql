-- AlterTable
ALTER TABLE "deliveries" ADD COLUMN     "reprocessed_by_id" UUID;

-- AddForeignKey
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_reprocessed_by_id_fkey" FOREIGN KEY ("reprocessed_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
