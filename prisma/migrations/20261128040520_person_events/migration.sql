-- CreateEnum
CREATE TYPE "PersonEventAction" AS ENUM ('DEACTIVATED', 'REACTIVATED');

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "lastSignInAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "PersonEvent" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "actorId" TEXT,
    "action" "PersonEventAction" NOT NULL,
    "sessionsEnded" INTEGER,
    "note" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PersonEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PersonEvent_userId_createdAt_idx" ON "PersonEvent"("userId", "createdAt");

-- CreateIndex
CREATE INDEX "PersonEvent_createdAt_idx" ON "PersonEvent"("createdAt");

-- AddForeignKey
ALTER TABLE "PersonEvent" ADD CONSTRAINT "PersonEvent_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PersonEvent" ADD CONSTRAINT "PersonEvent_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;



-- Deactivations and reactivations are an audit trail: append-only, like TeamEvent.
CREATE FUNCTION "person_event_append_only"() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'PersonEvent is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER "PersonEvent_no_update_or_delete" BEFORE UPDATE OR DELETE ON "PersonEvent"
  FOR EACH ROW EXECUTE FUNCTION "person_event_append_only"();
CREATE TRIGGER "PersonEvent_no_truncate" BEFORE TRUNCATE ON "PersonEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION "person_event_append_only"();
