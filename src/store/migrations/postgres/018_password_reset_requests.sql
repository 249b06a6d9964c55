-- Password-reset requests, counted per address and per client so that nobody can make npq send a
-- stream of reset emails (to one person, or to many from one place). One row per key counts the
-- requests of its current window; the count is raised by the statement that reads it, so two
-- requests at once are counted one after the other on any engine.
CREATE TABLE password_reset_limits (
    key CITEXT PRIMARY KEY, -- "email:<address>" or "client:<address>"
    window_start BIGINT NOT NULL,
    requests BIGINT NOT NULL
);
