-- Every portal process LISTENs on "portal_change" (lib/db/change-feed.ts) and drops the read
-- caches built from a table when it hears that table's name. Statement-level, so a bulk
-- write is one notification, and PostgreSQL folds repeats within a transaction into one,
-- delivered at commit. Prisma does not model triggers; this migration is their only source.
CREATE FUNCTION "portal_notify_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('portal_change', TG_TABLE_NAME);
  RETURN NULL;
END
$$;

CREATE TRIGGER "RunnerRequest_notify_change" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "RunnerRequest"
  FOR EACH STATEMENT EXECUTE FUNCTION "portal_notify_change"();
CREATE TRIGGER "Team_notify_change" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Team"
  FOR EACH STATEMENT EXECUTE FUNCTION "portal_notify_change"();
CREATE TRIGGER "Cluster_notify_change" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Cluster"
  FOR EACH STATEMENT EXECUTE FUNCTION "portal_notify_change"();
CREATE TRIGGER "User_notify_change" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "User"
  FOR EACH STATEMENT EXECUTE FUNCTION "portal_notify_change"();
CREATE TRIGGER "Session_notify_change" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Session"
  FOR EACH STATEMENT EXECUTE FUNCTION "portal_notify_change"();
CREATE TRIGGER "TeamMembership_notify_change" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "TeamMembership"
  FOR EACH STATEMENT EXECUTE FUNCTION "portal_notify_change"();
