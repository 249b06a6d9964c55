-- Password-reset requests, counted per address and per client so that nobody can make npq send
-- a stream of reset emails (to one person, or to many from one place).
CREATE TABLE password_reset_requests (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL COLLATE NOCASE,
    client TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX password_reset_requests_by_email ON password_reset_requests (email, at);
CREATE INDEX password_reset_requests_by_client ON password_reset_requests (client, at);
