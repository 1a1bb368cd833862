-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- AlterTable
ALTER TABLE "TeamEvent" ADD COLUMN     "targetRole" "Role";

-- AlterTable
ALTER TABLE "RunnerRequest" ADD COLUMN     "submittedById" TEXT;

-- CreateTable
CREATE TABLE "NamespaceClaim" (
    "clusterId" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "NamespaceClaim_pkey" PRIMARY KEY ("clusterId","namespace")
);

-- CreateIndex
CREATE INDEX "NamespaceClaim_teamId_idx" ON "NamespaceClaim"("teamId");

-- AddForeignKey
ALTER TABLE "RunnerRequest" ADD CONSTRAINT "RunnerRequest_submittedById_fkey" FOREIGN KEY ("submittedById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NamespaceClaim" ADD CONSTRAINT "NamespaceClaim_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NamespaceClaim" ADD CONSTRAINT "NamespaceClaim_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Data (by hand): who sent each request's latest version, from its timeline.
UPDATE "RunnerRequest" r SET "submittedById" = (
  SELECT e."actorId" FROM "RequestEvent" e
  WHERE e."requestId" = r.id AND e."toStatus" = 'SUBMITTED'
  ORDER BY e."createdAt" DESC LIMIT 1
);

-- Data (by hand): each namespace in use belongs to the team of its oldest request that can still run.
INSERT INTO "NamespaceClaim" ("clusterId", "namespace", "teamId", "createdAt")
SELECT DISTINCT ON ("clusterId", "namespace") "clusterId", "namespace", "teamId", "createdAt"
FROM "RunnerRequest"
WHERE "status" NOT IN ('DRAFT', 'REJECTED', 'DECOMMISSIONED')
ORDER BY "clusterId", "namespace", "createdAt";
