-- Part of holding each rule by the statement that writes (a conditional UPDATE whose
-- changed-row count answers, or a constraint), not by a value read earlier in the transaction,
-- which another writer may have changed by then on an engine without SQLite's single write lock.

-- One live calendar feed per person: making a new one revokes the old, and two made at once
-- cannot both stay live.
UPDATE calendar_feeds SET revoked_at = created_at WHERE revoked_at IS NULL AND id NOT IN
    (SELECT max(id) FROM calendar_feeds WHERE revoked_at IS NULL GROUP BY user_id);
CREATE UNIQUE INDEX calendar_feeds_one_live ON calendar_feeds (user_id) WHERE revoked_at IS NULL;
