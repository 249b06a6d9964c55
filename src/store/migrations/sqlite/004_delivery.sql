-- Delivery: venues, cohort staff, events with bookings and attendance, coaching, the
-- learning-hours log, private calendar feeds and the record of notifications sent.
-- Times are UTC seconds since the epoch; dates are YYYY-MM-DD.

CREATE TABLE venues (
    id INTEGER PRIMARY KEY,
    delivery_partner_id INTEGER NOT NULL REFERENCES organisations (id),
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    address TEXT NOT NULL DEFAULT '',
    postcode TEXT NOT NULL DEFAULT '',
    capacity INTEGER NOT NULL CHECK (capacity BETWEEN 1 AND 1000),
    accessibility TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX venues_by_partner ON venues (delivery_partner_id);

-- Facilitators and coaches who work with a cohort.
CREATE TABLE cohort_staff (
    cohort_id INTEGER NOT NULL REFERENCES cohorts (id),
    user_id INTEGER NOT NULL REFERENCES users (id),
    role TEXT NOT NULL CHECK (role IN ('facilitator', 'coach')),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (cohort_id, user_id, role)
);
CREATE INDEX cohort_staff_by_user ON cohort_staff (user_id);

CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    cohort_id INTEGER NOT NULL REFERENCES cohorts (id),
    kind TEXT NOT NULL CHECK (kind IN ('face_to_face', 'virtual_live', 'webinar')),
    title TEXT NOT NULL,
    module TEXT COLLATE NOCASE,       -- a module code, or NULL
    framework_area INTEGER,           -- an area number of the qualification's framework, or NULL
    venue_id INTEGER REFERENCES venues (id),
    joining_url TEXT,
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL,
    capacity INTEGER NOT NULL CHECK (capacity BETWEEN 1 AND 1000),
    facilitator_id INTEGER REFERENCES users (id),
    sequence INTEGER NOT NULL DEFAULT 0, -- iCalendar SEQUENCE: bumped on every change
    cancelled_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX events_by_cohort ON events (cohort_id, starts_at);
CREATE INDEX events_by_start ON events (starts_at);

CREATE TABLE bookings (
    id INTEGER PRIMARY KEY,
    event_id INTEGER NOT NULL REFERENCES events (id),
    user_id INTEGER NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL,
    cancelled_at INTEGER
);
CREATE UNIQUE INDEX bookings_one_live ON bookings (event_id, user_id) WHERE cancelled_at IS NULL;
CREATE INDEX bookings_by_user ON bookings (user_id);

CREATE TABLE attendance (
    event_id INTEGER NOT NULL REFERENCES events (id),
    user_id INTEGER NOT NULL REFERENCES users (id),
    mark TEXT NOT NULL CHECK (mark IN ('present', 'late', 'absent', 'excused')),
    recorded_by INTEGER REFERENCES users (id),
    recorded_at INTEGER NOT NULL,
    reason TEXT NOT NULL DEFAULT '', -- why a mark was corrected
    PRIMARY KEY (event_id, user_id)
);

CREATE TABLE coaching_sessions (
    id INTEGER PRIMARY KEY,
    coach_id INTEGER NOT NULL REFERENCES users (id),
    participant_id INTEGER NOT NULL REFERENCES users (id),
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL,
    mode TEXT NOT NULL CHECK (mode IN ('online', 'in_person')),
    place TEXT NOT NULL DEFAULT '', -- a joining link or a location
    sequence INTEGER NOT NULL DEFAULT 0,
    cancelled_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX coaching_sessions_by_coach ON coaching_sessions (coach_id, starts_at);
CREATE INDEX coaching_sessions_by_participant ON coaching_sessions (participant_id, starts_at);

CREATE TABLE coaching_notes (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES coaching_sessions (id),
    author_id INTEGER NOT NULL REFERENCES users (id),
    visibility TEXT NOT NULL CHECK (visibility IN ('private', 'shared')),
    body TEXT NOT NULL, -- Markdown
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX coaching_notes_by_session ON coaching_notes (session_id);

CREATE TABLE coaching_actions (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES coaching_sessions (id),
    text TEXT NOT NULL,
    due_on TEXT,
    done_at INTEGER,
    created_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL
);
CREATE INDEX coaching_actions_by_session ON coaching_actions (session_id);

-- The learning-hours log. Hours are kept in quarter hours, so sums are exact.
CREATE TABLE activities (
    id INTEGER PRIMARY KEY,
    enrolment_id INTEGER NOT NULL REFERENCES enrolments (id),
    participant_id INTEGER NOT NULL REFERENCES users (id),
    module TEXT NOT NULL COLLATE NOCASE,
    type TEXT NOT NULL CHECK (type IN ('workplace_learning', 'face_to_face', 'peer_learning', 'facilitated_learning',
                                       'reading', 'reflection', 'online_learning')),
    done_on TEXT NOT NULL,
    quarter_hours INTEGER NOT NULL CHECK (quarter_hours BETWEEN 1 AND 48),
    reflection TEXT NOT NULL DEFAULT '', -- Markdown
    verified_by INTEGER REFERENCES users (id),
    verified_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX activities_by_enrolment ON activities (enrolment_id, module);

-- A person's private calendar feed: the address holds a secret token, stored hashed.
CREATE TABLE calendar_feeds (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    token_hash BLOB NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);
CREATE INDEX calendar_feeds_by_user ON calendar_feeds (user_id);

-- Notifications sent, one row each, so that none is sent twice: an invitation or change per
-- event SEQUENCE, a cancellation, a reminder per event and person.
CREATE TABLE notifications (
    subject TEXT NOT NULL CHECK (subject IN ('event', 'coaching_session')),
    subject_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL CHECK (kind IN ('invitation', 'change', 'cancellation', 'reminder')),
    sequence INTEGER NOT NULL,
    sent_at INTEGER NOT NULL,
    PRIMARY KEY (subject, subject_id, user_id, kind, sequence)
);
