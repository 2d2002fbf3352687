-- AlterEnum
-- Between the two, so the users page, which sorts by role, lists admins, then finance, then viewers.
ALTER TYPE "UserRole" ADD VALUE 'finance' BEFORE 'viewer';
