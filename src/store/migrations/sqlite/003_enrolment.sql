-- Applications, cohorts, enrolments, completed modules and fees.
-- Qualifications and modules are referred to by their catalogue codes (text), so that a
-- catalogue import can never silently re-point an enrolment.

CREATE TABLE fees (
    item_kind TEXT NOT NULL CHECK (item_kind IN ('qualification', 'module')),
    item_code TEXT NOT NULL COLLATE NOCASE,
    amount_pence INTEGER CHECK (amount_pence IS NULL OR amount_pence >= 0), -- NULL: to be confirmed
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (item_kind, item_code)
);

CREATE TABLE cohorts (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE COLLATE NOCASE, -- "NPQSL-2027-NW-1"
    kind TEXT NOT NULL CHECK (kind IN ('qualification', 'module')),
    target TEXT NOT NULL COLLATE NOCASE,      -- the qualification or module code
    delivery_partner_id INTEGER REFERENCES organisations (id),
    delivery_model TEXT NOT NULL CHECK (delivery_model IN ('blended', 'online')),
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CHECK (ends_on >= starts_on)
);

CREATE TABLE applications (
    id INTEGER PRIMARY KEY,
    participant_id INTEGER NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL CHECK (kind IN ('qualification', 'module')),
    target TEXT NOT NULL COLLATE NOCASE,
    school_id INTEGER REFERENCES organisations (id),
    job_role TEXT NOT NULL DEFAULT '',
    sponsor_id INTEGER REFERENCES users (id),
    delivery_model TEXT NOT NULL CHECK (delivery_model IN ('blended', 'online')),
    preferred_region TEXT NOT NULL DEFAULT '',
    preferred_partner_id INTEGER REFERENCES organisations (id),
    funding_route TEXT NOT NULL CHECK (funding_route IN ('school', 'self', 'scholarship')),
    scholarship_eligibility TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'sponsor_approved', 'sponsor_declined',
                                         'accepted', 'rejected', 'enrolled')),
    decision_reason TEXT NOT NULL DEFAULT '',
    enrolment_id INTEGER, -- set when enrolled
    created_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX applications_by_participant ON applications (participant_id);
CREATE INDEX applications_by_sponsor ON applications (sponsor_id, state);
CREATE INDEX applications_by_state ON applications (state, updated_at);

CREATE TABLE application_electives (
    application_id INTEGER NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    module TEXT NOT NULL COLLATE NOCASE,
    PRIMARY KEY (application_id, position)
);

-- Each step of an application: who took it, when and why.
CREATE TABLE application_events (
    id INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES applications (id),
    at INTEGER NOT NULL,
    actor_id INTEGER REFERENCES users (id),
    actor_label TEXT NOT NULL,
    step TEXT NOT NULL,
    from_state TEXT NOT NULL,
    to_state TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX application_events_by_application ON application_events (application_id, id);

CREATE TABLE enrolments (
    id INTEGER PRIMARY KEY,
    participant_id INTEGER NOT NULL REFERENCES users (id),
    application_id INTEGER REFERENCES applications (id),
    kind TEXT NOT NULL CHECK (kind IN ('qualification', 'module')),
    target TEXT NOT NULL COLLATE NOCASE,
    cohort_id INTEGER REFERENCES cohorts (id),
    delivery_model TEXT NOT NULL CHECK (delivery_model IN ('blended', 'online')),
    funding_route TEXT NOT NULL CHECK (funding_route IN ('school', 'self', 'scholarship')),
    scholarship_eligibility TEXT NOT NULL DEFAULT '',
    school_id INTEGER REFERENCES organisations (id),
    state TEXT NOT NULL CHECK (state IN ('active', 'deferred', 'withdrawn', 'completed')),
    reason TEXT NOT NULL DEFAULT '',
    expected_return TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
-- One live enrolment per participant and qualification (or module), enforced here as well as in
-- the rules, so two requests at once cannot both succeed.
CREATE UNIQUE INDEX enrolments_one_live ON enrolments (participant_id, kind, target)
    WHERE state IN ('active', 'deferred');
CREATE INDEX enrolments_by_cohort ON enrolments (cohort_id);

CREATE TABLE enrolment_electives (
    enrolment_id INTEGER NOT NULL REFERENCES enrolments (id),
    position INTEGER NOT NULL,
    module TEXT NOT NULL COLLATE NOCASE,
    PRIMARY KEY (enrolment_id, position)
);

CREATE TABLE enrolment_events (
    id INTEGER PRIMARY KEY,
    enrolment_id INTEGER NOT NULL REFERENCES enrolments (id),
    at INTEGER NOT NULL,
    actor_id INTEGER REFERENCES users (id),
    actor_label TEXT NOT NULL,
    step TEXT NOT NULL,
    from_state TEXT NOT NULL,
    to_state TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    cohort_id INTEGER REFERENCES cohorts (id),
    expected_return TEXT
);
CREATE INDEX enrolment_events_by_enrolment ON enrolment_events (enrolment_id, id);

-- Modules a participant has completed, wherever: in an enrolment, studied alone, or recognised
-- from earlier study. A completed module counts towards every qualification that includes it.
CREATE TABLE module_completions (
    id INTEGER PRIMARY KEY,
    participant_id INTEGER NOT NULL REFERENCES users (id),
    module TEXT NOT NULL COLLATE NOCASE,
    completed_on TEXT NOT NULL,
    enrolment_id INTEGER REFERENCES enrolments (id),
    note TEXT NOT NULL DEFAULT '',
    recorded_by INTEGER REFERENCES users (id),
    recorded_at INTEGER NOT NULL,
    UNIQUE (participant_id, module)
);
