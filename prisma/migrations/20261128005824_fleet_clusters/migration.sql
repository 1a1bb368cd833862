-- CreateEnum
CREATE TYPE "ClusterConnection" AS ENUM ('ENVIRONMENT', 'IN_CLUSTER', 'KUBECONFIG');

-- AlterTable
ALTER TABLE "Cluster" ADD COLUMN     "connection" "ClusterConnection" NOT NULL DEFAULT 'ENVIRONMENT',
ADD COLUMN     "kubeconfigCiphertext" TEXT,
ADD COLUMN     "settings" JSONB,
ADD COLUMN     "settingsVersion" INTEGER NOT NULL DEFAULT 1;

-- AlterTable
ALTER TABLE "RunnerRequest" ADD COLUMN     "advanced" JSONB,
ADD COLUMN     "appliedSettings" JSONB,
ADD COLUMN     "preferredClusterId" TEXT;

-- CreateTable
CREATE TABLE "ClusterSettingsEvent" (
    "id" TEXT NOT NULL,
    "clusterId" TEXT NOT NULL,
    "actorId" TEXT,
    "before" JSONB,
    "after" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ClusterSettingsEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ClusterSettingsEvent_clusterId_createdAt_idx" ON "ClusterSettingsEvent"("clusterId", "createdAt");

-- AddForeignKey
ALTER TABLE "ClusterSettingsEvent" ADD CONSTRAINT "ClusterSettingsEvent_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ClusterSettingsEvent" ADD CONSTRAINT "ClusterSettingsEvent_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RunnerRequest" ADD CONSTRAINT "RunnerRequest_preferredClusterId_fkey" FOREIGN KEY ("preferredClusterId") REFERENCES "Cluster"("id") ON DELETE SET NULL ON UPDATE CASCADE;


-- Settings changes are an audit trail: append-only, like RequestEvent.
CREATE FUNCTION "cluster_settings_event_append_only"() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'ClusterSettingsEvent is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER "ClusterSettingsEvent_no_update_or_delete" BEFORE UPDATE OR DELETE ON "ClusterSettingsEvent"
  FOR EACH ROW EXECUTE FUNCTION "cluster_settings_event_append_only"();
CREATE TRIGGER "ClusterSettingsEvent_no_truncate" BEFORE TRUNCATE ON "ClusterSettingsEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION "cluster_settings_event_append_only"();
