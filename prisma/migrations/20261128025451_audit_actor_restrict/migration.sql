-- DropForeignKey
ALTER TABLE "ClusterSettingsEvent" DROP CONSTRAINT "ClusterSettingsEvent_actorId_fkey";

-- DropForeignKey
ALTER TABLE "RequestEvent" DROP CONSTRAINT "RequestEvent_actorId_fkey";

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "deactivatedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "RunnerRequest" ADD COLUMN     "adoptFrom" TEXT;

-- AddForeignKey
ALTER TABLE "ClusterSettingsEvent" ADD CONSTRAINT "ClusterSettingsEvent_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RequestEvent" ADD CONSTRAINT "RequestEvent_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Data: scale sets imported before this migration that the portal has not applied since
-- (an "import" event and no "provisioned" one) still belong to helm: mark them for take-over.
UPDATE "RunnerRequest" r SET "adoptFrom" = 'helm'
WHERE EXISTS (SELECT 1 FROM "RequestEvent" e WHERE e."requestId" = r.id AND e.type = 'import')
  AND NOT EXISTS (SELECT 1 FROM "RequestEvent" e WHERE e."requestId" = r.id AND e.type = 'provisioned');
