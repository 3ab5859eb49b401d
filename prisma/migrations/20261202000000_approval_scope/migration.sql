-- Approvers may narrow a request (shorter, fewer actions, a narrower resource); each approval
-- records the scope it approved so the grant gets the narrowest one.
ALTER TABLE "Approval" ADD COLUMN "durationSeconds" INTEGER,
ADD COLUMN "actions" "Action"[] DEFAULT ARRAY[]::"Action"[],
ADD COLUMN "resource" TEXT;
