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

-- The tables the read caches are built from: sessions (Session, User, TeamMembership) and the
-- request lists and review queue (RunnerRequest, Team, Cluster, User).
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['RunnerRequest', 'Team', 'Cluster', 'User', 'Session', 'TeamMembership'] LOOP
    EXECUTE format(
      'CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION "portal_notify_change"()',
      t || '_notify_change', t);
  END LOOP;
END
$$;
