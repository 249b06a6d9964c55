-- Servers keep what the catalogue and access revisions guard in memory, and each follows the
-- other servers' changes by LISTEN on npq_revisions (db_engine_follow): whenever a revision moves,
-- the transaction that moved it notifies that channel as it commits. PostgreSQL folds identical
-- notifications of one transaction into one.
CREATE FUNCTION revisions_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM pg_notify('npq_revisions', ''); RETURN NULL; END $$;

CREATE TRIGGER catalogue_revision_notify AFTER UPDATE ON catalogue_meta
    FOR EACH ROW EXECUTE FUNCTION revisions_notify();
CREATE TRIGGER access_revision_notify AFTER UPDATE ON access_meta
    FOR EACH ROW EXECUTE FUNCTION revisions_notify();
