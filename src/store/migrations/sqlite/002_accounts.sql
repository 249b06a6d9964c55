-- Organisations, people, roles and their scopes; sign-in sessions, API tokens, one-time links;
-- the audit log; mail waiting to be sent. Times are UTC seconds since the epoch.

CREATE TABLE settings (
    name TEXT PRIMARY KEY,
    value BLOB NOT NULL
);
-- The key CSRF tokens and other server-side MACs are made with, shared by every server process.
INSERT INTO settings (name, value) VALUES ('secret', randomblob(32));

CREATE TABLE organisations (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('provider', 'delivery_partner', 'trust', 'school')),
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    urn TEXT UNIQUE CHECK (urn IS NULL OR (length(urn) = 6 AND urn NOT GLOB '*[^0-9]*')),
    local_authority TEXT NOT NULL DEFAULT '',
    region TEXT NOT NULL DEFAULT '',
    phase TEXT NOT NULL DEFAULT '',
    regions_served TEXT NOT NULL DEFAULT '', -- delivery partners: regions separated by "; "
    trust_id INTEGER REFERENCES organisations (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CHECK (kind = 'school' OR urn IS NULL)
);
CREATE INDEX organisations_by_kind ON organisations (kind, name);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    password_hash TEXT,
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    organisation_id INTEGER REFERENCES organisations (id), -- the school (or partner) they work at
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

-- A role held by a user. Scope: a delivery partner for partner_lead and facilitator, a school for
-- headteacher; none for the others (coaches and mentors are scoped by their assignments).
CREATE TABLE user_roles (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    role TEXT NOT NULL CHECK (role IN ('admin', 'partner_lead', 'facilitator', 'coach', 'assessor',
                                       'participant', 'mentor', 'headteacher')),
    organisation_id INTEGER REFERENCES organisations (id),
    created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX user_roles_unique ON user_roles (user_id, role, coalesce(organisation_id, 0));
CREATE INDEX user_roles_by_organisation ON user_roles (organisation_id, role);

-- Which participants a coach or mentor looks after.
CREATE TABLE assignments (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('coach', 'mentor')),
    staff_id INTEGER NOT NULL REFERENCES users (id),
    participant_id INTEGER NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL,
    UNIQUE (kind, staff_id, participant_id)
);
CREATE INDEX assignments_by_participant ON assignments (participant_id);

CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    token_hash BLOB NOT NULL UNIQUE,
    user_id INTEGER NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL, -- the absolute limit
    revoked_at INTEGER,
    client TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    token_hash BLOB NOT NULL UNIQUE,
    user_id INTEGER NOT NULL REFERENCES users (id),
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    prefix TEXT NOT NULL, -- the first characters, so people can tell their tokens apart
    created_at INTEGER NOT NULL,
    last_used_at INTEGER,
    revoked_at INTEGER
);
CREATE INDEX api_tokens_by_user ON api_tokens (user_id);

-- Password-reset and invitation links: stored hashed, single use, short-lived.
CREATE TABLE one_time_tokens (
    id INTEGER PRIMARY KEY,
    token_hash BLOB NOT NULL UNIQUE,
    user_id INTEGER NOT NULL REFERENCES users (id),
    purpose TEXT NOT NULL CHECK (purpose IN ('reset', 'invite')),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
);

CREATE TABLE sign_in_attempts (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL COLLATE NOCASE,
    client TEXT NOT NULL,
    at INTEGER NOT NULL,
    succeeded INTEGER NOT NULL CHECK (succeeded IN (0, 1))
);
CREATE INDEX sign_in_attempts_by_email ON sign_in_attempts (email, at);
CREATE INDEX sign_in_attempts_by_client ON sign_in_attempts (client, at);

-- Every write: who, when, what, and the record before and after (JSON). Append-only.
CREATE TABLE audit_events (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    actor_id INTEGER REFERENCES users (id),
    actor_label TEXT NOT NULL, -- the actor's email, or "command line", or "system"
    action TEXT NOT NULL,      -- e.g. "user.invite", "role.grant", "session.sign_in"
    entity TEXT NOT NULL,      -- e.g. "user", "organisation"
    entity_id TEXT NOT NULL,
    before TEXT,
    after TEXT,
    client TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_events_by_entity ON audit_events (entity, entity_id);
CREATE INDEX audit_events_by_actor ON audit_events (actor_id, at);
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'the audit log cannot be changed'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'the audit log cannot be changed'); END;

-- Mail is written here in the same transaction as the change that causes it, and sent by the
-- server's mailer, which marks each message sent once the SMTP server has accepted it.
CREATE TABLE mail_outbox (
    id INTEGER PRIMARY KEY,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    not_before INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    sent_at INTEGER,
    claimed_until INTEGER, -- a sender's lease, so two servers never send one message twice
    last_error TEXT
);
CREATE INDEX mail_outbox_pending ON mail_outbox (sent_at, not_before);
