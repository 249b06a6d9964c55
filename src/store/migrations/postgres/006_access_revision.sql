-- A number that changes whenever who someone is or what they may do changes: an account, its
-- roles, a session or API token ending, an organisation a role is scoped to. Servers keep
-- signed-in callers in memory and look again when it moves; the triggers move it whichever
-- process (a server, the command line) makes the change, so no writer can forget to.
CREATE TABLE access_meta (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    revision BIGINT NOT NULL
);
INSERT INTO access_meta (id, revision) VALUES (1, 0);

CREATE FUNCTION access_revision_move() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN UPDATE access_meta SET revision = revision + 1 WHERE id = 1; RETURN NULL; END $$;

CREATE TRIGGER access_users_update AFTER UPDATE ON users
    FOR EACH ROW EXECUTE FUNCTION access_revision_move();
CREATE TRIGGER access_users_delete AFTER DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION access_revision_move();
CREATE TRIGGER access_roles_insert AFTER INSERT ON user_roles
    FOR EACH ROW EXECUTE FUNCTION access_revision_move();
CREATE TRIGGER access_roles_update AFTER UPDATE ON user_roles
    FOR EACH ROW EXECUTE FUNCTION access_revision_move();
CREATE TRIGGER access_roles_delete AFTER DELETE ON user_roles
    FOR EACH ROW EXECUTE FUNCTION access_revision_move();
CREATE TRIGGER access_organisations_update AFTER UPDATE ON organisations
    FOR EACH ROW EXECUTE FUNCTION access_revision_move();
-- Noting a session's or token's last use changes nothing about access: only ending one does.
CREATE TRIGGER access_sessions_end AFTER UPDATE OF revoked_at, expires_at ON sessions
    FOR EACH ROW EXECUTE FUNCTION access_revision_move();
CREATE TRIGGER access_sessions_delete AFTER DELETE ON sessions
    FOR EACH ROW EXECUTE FUNCTION access_revision_move();
CREATE TRIGGER access_tokens_end AFTER UPDATE OF revoked_at ON api_tokens
    FOR EACH ROW EXECUTE FUNCTION access_revision_move();
CREATE TRIGGER access_tokens_delete AFTER DELETE ON api_tokens
    FOR EACH ROW EXECUTE FUNCTION access_revision_move();
