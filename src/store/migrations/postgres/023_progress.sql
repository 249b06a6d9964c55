-- Progress as it stands, kept by the writes that change it (PostgreSQL's dialect of
-- sqlite/023_progress.sql). Every use case that changes what an
-- enrolment is judged on (events, registers, bookings, hours, coaching, completions, submissions,
-- results, deadlines, deferral, award) rewrites its enrolment's rows in its own transaction, so
-- lists of every enrolment read these rows instead of judging each enrolment again.

CREATE TABLE enrolment_progress (
    enrolment_id BIGINT PRIMARY KEY REFERENCES enrolments (id),
    status TEXT NOT NULL CHECK (status IN ('complete', 'on_track', 'at_risk', 'behind')),
    reasons TEXT NOT NULL DEFAULT '',     -- one reason a line, in the order the rules gave them
    modules_completed BIGINT NOT NULL DEFAULT 0,
    modules_required BIGINT NOT NULL DEFAULT 0,
    events_held BIGINT NOT NULL DEFAULT 0,
    events_attended BIGINT NOT NULL DEFAULT 0,
    has_task BIGINT NOT NULL DEFAULT 0 CHECK (has_task IN (0, 1)),
    submitted BIGINT NOT NULL DEFAULT 0 CHECK (submitted IN (0, 1)),
    result TEXT NOT NULL DEFAULT '',      -- the latest released outcome: pass, fail, refer or ''
    recheck_at BIGINT,                   -- when time alone changes it (an event ends, a deadline nears)
    refreshed_at BIGINT NOT NULL
);
CREATE INDEX enrolment_progress_by_status ON enrolment_progress (status, enrolment_id);
CREATE INDEX enrolment_progress_by_recheck ON enrolment_progress (recheck_at);

CREATE TABLE enrolment_module_progress (
    enrolment_id BIGINT NOT NULL REFERENCES enrolments (id),
    module CITEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('complete', 'on_track', 'at_risk', 'behind')),
    reasons TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (enrolment_id, module)
);

-- The refresh for deadlines that pass with no write: one row per hour, claimed by the first
-- server to insert it, so several servers run it once between them.
CREATE TABLE progress_refresh_runs (
    hour BIGINT PRIMARY KEY,             -- UTC seconds / 3600
    claimed_at BIGINT NOT NULL
);

-- Progress updates by email to mentors and headteachers: one claim per recipient and period,
-- inserted in the same transaction as the outbox message, so an update is sent once per period
-- whichever server, and however many restarts, get there.
CREATE TABLE progress_update_claims (
    recipient_id BIGINT NOT NULL REFERENCES users (id),
    period TEXT NOT NULL,                 -- "2026-12" for a month, "2026-W49" for a week
    sent_at BIGINT NOT NULL,
    PRIMARY KEY (recipient_id, period)
);

-- People who asked not to receive progress updates.
CREATE TABLE progress_update_optouts (
    user_id BIGINT PRIMARY KEY REFERENCES users (id),
    opted_out_at BIGINT NOT NULL
);
