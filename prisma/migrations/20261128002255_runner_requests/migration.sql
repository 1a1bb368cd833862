-- CreateEnum
CREATE TYPE "RequestStatus" AS ENUM ('DRAFT', 'SUBMITTED', 'CHANGES_REQUESTED', 'REJECTED', 'APPROVED', 'PROVISIONING', 'READY', 'FAILED', 'DECOMMISSIONED');

-- CreateEnum
CREATE TYPE "ReviewKind" AS ENUM ('NEW', 'CHANGE', 'DECOMMISSION');

-- CreateTable
CREATE TABLE "RunnerRequest" (
    "id" TEXT NOT NULL,
    "number" SERIAL NOT NULL,
    "status" "RequestStatus" NOT NULL,
    "reviewKind" "ReviewKind" NOT NULL DEFAULT 'NEW',
    "teamId" TEXT NOT NULL,
    "requesterId" TEXT NOT NULL,
    "clusterId" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "spec" JSONB NOT NULL,
    "privateKeyCiphertext" TEXT,
    "privateKeyFingerprint" TEXT,
    "approvedSpec" JSONB,
    "approvedAt" TIMESTAMP(3),
    "version" INTEGER NOT NULL DEFAULT 1,
    "submittedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RunnerRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LabelClaim" (
    "clusterId" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "requestId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LabelClaim_pkey" PRIMARY KEY ("clusterId","label")
);

-- CreateTable
CREATE TABLE "RequestEvent" (
    "id" TEXT NOT NULL,
    "requestId" TEXT NOT NULL,
    "actorId" TEXT,
    "type" TEXT NOT NULL,
    "fromStatus" "RequestStatus",
    "toStatus" "RequestStatus",
    "message" TEXT,
    "changes" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RequestEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "RunnerRequest_number_key" ON "RunnerRequest"("number");

-- CreateIndex
CREATE INDEX "RunnerRequest_teamId_createdAt_idx" ON "RunnerRequest"("teamId", "createdAt");

-- CreateIndex
CREATE INDEX "RunnerRequest_status_createdAt_idx" ON "RunnerRequest"("status", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "LabelClaim_requestId_key" ON "LabelClaim"("requestId");

-- CreateIndex
CREATE INDEX "RequestEvent_requestId_createdAt_idx" ON "RequestEvent"("requestId", "createdAt");

-- AddForeignKey
ALTER TABLE "RunnerRequest" ADD CONSTRAINT "RunnerRequest_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RunnerRequest" ADD CONSTRAINT "RunnerRequest_requesterId_fkey" FOREIGN KEY ("requesterId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RunnerRequest" ADD CONSTRAINT "RunnerRequest_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LabelClaim" ADD CONSTRAINT "LabelClaim_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LabelClaim" ADD CONSTRAINT "LabelClaim_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "RunnerRequest"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RequestEvent" ADD CONSTRAINT "RequestEvent_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "RunnerRequest"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RequestEvent" ADD CONSTRAINT "RequestEvent_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;


-- The audit trail is append-only for everyone, the portal's own code included.
CREATE FUNCTION "request_event_append_only"() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'RequestEvent is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER "RequestEvent_no_update_or_delete" BEFORE UPDATE OR DELETE ON "RequestEvent"
  FOR EACH ROW EXECUTE FUNCTION "request_event_append_only"();
CREATE TRIGGER "RequestEvent_no_truncate" BEFORE TRUNCATE ON "RequestEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION "request_event_append_only"();
