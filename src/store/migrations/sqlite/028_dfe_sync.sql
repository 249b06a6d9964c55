-- Working with the DfE's lead-provider API (v3): where it is and the token to reach it, the
-- declarations npq makes there, the applications it pulls from there, the statements it reads,
-- and a log of every call and answer.

-- One row: the API's base URL and the provider's token; whether declarations due are submitted
-- without an administrator approving each; and the DfE's rate limit to keep under.
CREATE TABLE dfe_config (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    base_url TEXT NOT NULL,
    token TEXT NOT NULL,
    auto_submit INTEGER NOT NULL DEFAULT 0 CHECK (auto_submit IN (0, 1)),
    requests_per_minute INTEGER NOT NULL DEFAULT 200 CHECK (requests_per_minute BETWEEN 1 AND 100000),
    updated_at INTEGER NOT NULL
);

-- A declaration npq has decided to make: approved (by whom, when), the DfE's id once it has
-- one, when a submission was last begun (a begun one without an id may have reached the DfE: it
-- is looked up there before it is sent again), the DfE's refusal in its own words, and a void
-- asked for that the DfE has not yet heard of.
ALTER TABLE declarations ADD COLUMN dfe_id TEXT;
ALTER TABLE declarations ADD COLUMN approved_by INTEGER REFERENCES users (id);
ALTER TABLE declarations ADD COLUMN approved_at INTEGER;
ALTER TABLE declarations ADD COLUMN submit_begun_at INTEGER;
ALTER TABLE declarations ADD COLUMN submitted_at INTEGER;
ALTER TABLE declarations ADD COLUMN dfe_message TEXT NOT NULL DEFAULT '';
ALTER TABLE declarations ADD COLUMN void_requested_at INTEGER;
ALTER TABLE declarations ADD COLUMN statement_id TEXT;
CREATE UNIQUE INDEX declarations_dfe_id ON declarations (dfe_id) WHERE dfe_id IS NOT NULL;

-- Applications as the DfE holds them, by its id, linked to the enrolment they are for once npq
-- finds it (the participant's email and the course).
CREATE TABLE dfe_applications (
    dfe_id TEXT PRIMARY KEY,
    participant_id TEXT NOT NULL,
    course_identifier TEXT NOT NULL,
    email TEXT NOT NULL COLLATE NOCASE,
    full_name TEXT NOT NULL,
    status TEXT NOT NULL,
    cohort TEXT NOT NULL DEFAULT '',
    schedule_identifier TEXT NOT NULL DEFAULT '',
    dfe_updated_at TEXT NOT NULL,
    enrolment_id INTEGER REFERENCES enrolments (id),
    synced_at INTEGER NOT NULL
);
CREATE INDEX dfe_applications_enrolment ON dfe_applications (enrolment_id);

-- Where each paged pull stands: the updated_since it asks from, the next page, and when the pull
-- in hand began (less a margin for clocks that differ), which becomes updated_since when it ends: a
-- record changed during the pull is asked for again next time, and an upsert repeats nothing.
CREATE TABLE dfe_sync_cursors (
    name TEXT PRIMARY KEY,
    updated_since TEXT NOT NULL DEFAULT '',
    next_page INTEGER NOT NULL DEFAULT 1,
    next_since TEXT NOT NULL DEFAULT '',
    finished_at INTEGER
);

-- Statements as the DfE holds them.
CREATE TABLE dfe_statements (
    dfe_id TEXT PRIMARY KEY,
    month TEXT NOT NULL,
    year TEXT NOT NULL,
    cohort TEXT NOT NULL,
    cut_off_date TEXT NOT NULL,
    payment_date TEXT NOT NULL,
    paid INTEGER NOT NULL CHECK (paid IN (0, 1)),
    synced_at INTEGER NOT NULL
);

-- Every call npq made to the DfE and what came back (the token is never written).
CREATE TABLE dfe_sync_log (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    request_body TEXT NOT NULL DEFAULT '',
    status INTEGER NOT NULL, -- 0: no answer (the connection failed)
    response_body TEXT NOT NULL DEFAULT '',
    error TEXT NOT NULL DEFAULT '',
    attempt INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL,
    declaration_id INTEGER REFERENCES declarations (id),
    enrolment_id INTEGER REFERENCES enrolments (id)
);
CREATE INDEX dfe_sync_log_declaration ON dfe_sync_log (declaration_id);

-- Calls the DfE must hear of that follow from a change in npq (accepting or rejecting an
-- application, withdrawing, deferring, resuming or moving a participant, an outcome), written in
-- the change's own transaction and sent in order by the sync.
CREATE TABLE dfe_outbox (
    id INTEGER PRIMARY KEY,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    body TEXT NOT NULL,
    enrolment_id INTEGER REFERENCES enrolments (id),
    created_at INTEGER NOT NULL,
    sent_at INTEGER,
    status INTEGER,
    dfe_message TEXT NOT NULL DEFAULT ''
);

-- Who runs the sync: one server at a time holds the lease until it expires or is given back.
CREATE TABLE dfe_sync_lease (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    holder TEXT NOT NULL,
    until INTEGER NOT NULL,
    last_run_at INTEGER,
    last_result TEXT NOT NULL DEFAULT ''
);
