-- CreateEnum
CREATE TYPE "TeamEventAction" AS ENUM ('TEAM_CREATED', 'MEMBER_ADDED', 'MEMBER_REMOVED');

-- CreateTable
CREATE TABLE "TeamEvent" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "actorId" TEXT,
    "action" "TeamEventAction" NOT NULL,
    "targetLogin" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TeamEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "TeamEvent_teamId_createdAt_idx" ON "TeamEvent"("teamId", "createdAt");

-- AddForeignKey
ALTER TABLE "TeamEvent" ADD CONSTRAINT "TeamEvent_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TeamEvent" ADD CONSTRAINT "TeamEvent_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;


-- Membership changes are an audit trail: append-only, like RequestEvent and ClusterSettingsEvent.
CREATE FUNCTION "team_event_append_only"() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'TeamEvent is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER "TeamEvent_no_update_or_delete" BEFORE UPDATE OR DELETE ON "TeamEvent"
  FOR EACH ROW EXECUTE FUNCTION "team_event_append_only"();
CREATE TRIGGER "TeamEvent_no_truncate" BEFORE TRUNCATE ON "TeamEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION "team_event_append_only"();
