-- The DfE's NPQs as they are run today (the 2021 suite and after), in the DfE's own terms.
--
-- A qualification of the 2021 suite has no level of the 2012 framework and no modules, so its
-- level becomes optional; it names its DfE course identifier and course group. SQLite cannot drop
-- NOT NULL in place, so the table is rebuilt; qualification_modules is the only table that refers
-- to it, and its rows are kept aside across the rebuild because dropping the old table cascades.
CREATE TABLE qualification_modules_kept AS SELECT * FROM qualification_modules;

CREATE TABLE qualifications_rebuilt (
    code TEXT PRIMARY KEY COLLATE NOCASE,
    title TEXT NOT NULL,
    level INTEGER REFERENCES levels (number), -- NULL: not a qualification of the 2012 levels
    summary TEXT NOT NULL,
    framework TEXT REFERENCES frameworks (code),
    elective_count INTEGER NOT NULL CHECK (elective_count >= 0),
    final_assessment INTEGER NOT NULL CHECK (final_assessment IN (0, 1)),
    min_face_to_face_events INTEGER NOT NULL CHECK (min_face_to_face_events >= 0),
    min_virtual_events INTEGER NOT NULL CHECK (min_virtual_events >= 0),
    dfe_course TEXT UNIQUE,                   -- "npq-senior-leadership"; NULL: not funded by the DfE
    course_group TEXT CHECK (course_group IN ('leadership', 'specialist', 'ehco', 'support')),
    position INTEGER NOT NULL,
    generation INTEGER NOT NULL,
    CHECK ((dfe_course IS NULL) = (course_group IS NULL))
);
INSERT INTO qualifications_rebuilt (code, title, level, summary, framework, elective_count, final_assessment,
                                    min_face_to_face_events, min_virtual_events, position, generation)
    SELECT code, title, level, summary, framework, elective_count, final_assessment, min_face_to_face_events,
           min_virtual_events, position, generation
    FROM qualifications;
DROP TABLE qualifications;
ALTER TABLE qualifications_rebuilt RENAME TO qualifications;
INSERT INTO qualification_modules SELECT * FROM qualification_modules_kept;
DROP TABLE qualification_modules_kept;

-- The DfE's schedules: for each course group and cohort (the year of the call-off contract), the
-- declarations a lead provider may make and the window of each. Catalogue data, imported with it.
CREATE TABLE schedules (
    identifier TEXT NOT NULL,                  -- "npq-leadership-autumn"
    cohort INTEGER NOT NULL CHECK (cohort BETWEEN 2021 AND 2100),
    course_group TEXT NOT NULL CHECK (course_group IN ('leadership', 'specialist', 'ehco', 'support')),
    title TEXT NOT NULL,
    position INTEGER NOT NULL,
    generation INTEGER NOT NULL,
    PRIMARY KEY (identifier, cohort)
);

CREATE TABLE schedule_milestones (
    identifier TEXT NOT NULL,
    cohort INTEGER NOT NULL,
    declaration_type TEXT NOT NULL CHECK (declaration_type IN ('started', 'retained-1', 'retained-2', 'completed')),
    start_date TEXT NOT NULL,                  -- YYYY-MM-DD, the first day a declaration may carry
    milestone_date TEXT,                       -- YYYY-MM-DD, the last; NULL: open
    position INTEGER NOT NULL,
    generation INTEGER NOT NULL,
    PRIMARY KEY (identifier, cohort, declaration_type),
    FOREIGN KEY (identifier, cohort) REFERENCES schedules (identifier, cohort) ON DELETE CASCADE,
    CHECK (milestone_date IS NULL OR milestone_date >= start_date)
);

-- An application in the DfE's terms. Empty text is "not given"; NULL flags are "not decided".
ALTER TABLE applications ADD COLUMN trn TEXT NOT NULL DEFAULT '';
ALTER TABLE applications ADD COLUMN school_urn TEXT NOT NULL DEFAULT '';
ALTER TABLE applications ADD COLUMN school_ukprn TEXT NOT NULL DEFAULT '';
ALTER TABLE applications ADD COLUMN employment_type TEXT NOT NULL DEFAULT '';
ALTER TABLE applications ADD COLUMN employer_name TEXT NOT NULL DEFAULT '';
ALTER TABLE applications ADD COLUMN headteacher_status TEXT NOT NULL DEFAULT '';
ALTER TABLE applications ADD COLUMN works_as_senco INTEGER CHECK (works_as_senco IN (0, 1));
ALTER TABLE applications ADD COLUMN senco_start_date TEXT;
ALTER TABLE applications ADD COLUMN funding_choice TEXT NOT NULL DEFAULT '';
ALTER TABLE applications ADD COLUMN eligible_for_funding INTEGER CHECK (eligible_for_funding IN (0, 1));
ALTER TABLE applications ADD COLUMN funded_place INTEGER CHECK (funded_place IN (0, 1));
ALTER TABLE applications ADD COLUMN ineligibility_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE applications ADD COLUMN decision_reason_code TEXT NOT NULL DEFAULT '';
ALTER TABLE application_events ADD COLUMN reason_code TEXT NOT NULL DEFAULT '';

-- A participant in the DfE's terms: the schedule they follow, and the coded reason for the last
-- deferral or withdrawal beside the note.
ALTER TABLE enrolments ADD COLUMN schedule_identifier TEXT;
ALTER TABLE enrolments ADD COLUMN schedule_cohort INTEGER;
ALTER TABLE enrolments ADD COLUMN reason_code TEXT NOT NULL DEFAULT '';
ALTER TABLE enrolment_events ADD COLUMN reason_code TEXT NOT NULL DEFAULT '';
ALTER TABLE enrolment_events ADD COLUMN schedule_identifier TEXT;
ALTER TABLE enrolment_events ADD COLUMN schedule_cohort INTEGER;

-- Declarations a participant has had made for them: the milestone, its date and what evidence
-- it stands on. The DfE's own states; a voided declaration stays, and only one live declaration
-- of each type is allowed per enrolment.
CREATE TABLE declarations (
    id INTEGER PRIMARY KEY,
    enrolment_id INTEGER NOT NULL REFERENCES enrolments (id),
    declaration_type TEXT NOT NULL CHECK (declaration_type IN ('started', 'retained-1', 'retained-2', 'completed')),
    declaration_date TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('due', 'submitted', 'eligible', 'payable', 'paid', 'voided', 'ineligible',
                                         'awaiting_clawback', 'clawed_back')),
    outcome TEXT CHECK (outcome IN ('passed', 'failed', 'voided')),
    evidence TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX declarations_one_live ON declarations (enrolment_id, declaration_type)
    WHERE state NOT IN ('voided', 'ineligible', 'clawed_back');
