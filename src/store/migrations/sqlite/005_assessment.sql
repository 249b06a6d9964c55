-- Assessment and award: tasks with criteria, submissions (drafts, then immutable versions with
-- a receipt), coaches' formative feedback, assessors' marks, moderation and release, module
-- completions from passed work, awards with certificate numbers, Master's credit equivalences.

CREATE TABLE assessment_tasks (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('module', 'final')),
    target TEXT NOT NULL COLLATE NOCASE, -- a module code, or the qualification code for a final assessment
    title TEXT NOT NULL,
    brief TEXT NOT NULL DEFAULT '',      -- Markdown
    deadline INTEGER NOT NULL,           -- UTC seconds
    word_limit INTEGER NOT NULL DEFAULT 0 CHECK (word_limit >= 0), -- 0: no limit
    max_resubmissions INTEGER NOT NULL DEFAULT 1 CHECK (max_resubmissions BETWEEN 0 AND 5),
    moderation_percent INTEGER NOT NULL DEFAULT 20 CHECK (moderation_percent BETWEEN 0 AND 100),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE assessment_criteria (
    task_id INTEGER NOT NULL REFERENCES assessment_tasks (id),
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    descriptor TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (task_id, position)
);

-- One per participant and task: the work in progress and its history of versions.
CREATE TABLE submissions (
    id INTEGER PRIMARY KEY,
    task_id INTEGER NOT NULL REFERENCES assessment_tasks (id),
    enrolment_id INTEGER NOT NULL REFERENCES enrolments (id),
    participant_id INTEGER NOT NULL REFERENCES users (id),
    activity TEXT NOT NULL DEFAULT '',   -- the school-improvement activity the work is about
    draft_text TEXT NOT NULL DEFAULT '', -- what the participant is writing now
    state TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'marked', 'moderated', 'released')),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (task_id, enrolment_id)
);
CREATE INDEX submissions_by_participant ON submissions (participant_id);

-- Files attached to the draft; copied into a version when it is submitted.
CREATE TABLE submission_files (
    id INTEGER PRIMARY KEY,
    submission_id INTEGER NOT NULL REFERENCES submissions (id),
    version_id INTEGER REFERENCES submission_versions (id), -- NULL while part of the draft
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    data BLOB NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX submission_files_by_submission ON submission_files (submission_id, version_id);

-- A submitted version: never changed once written.
CREATE TABLE submission_versions (
    id INTEGER PRIMARY KEY,
    submission_id INTEGER NOT NULL REFERENCES submissions (id),
    number INTEGER NOT NULL,              -- 1, then 2 for a resubmission...
    text TEXT NOT NULL,
    text_sha256 TEXT NOT NULL,
    word_count INTEGER NOT NULL,
    submitted_at INTEGER NOT NULL,
    late INTEGER NOT NULL CHECK (late IN (0, 1)),
    receipt TEXT NOT NULL,                -- the receipt as shown and emailed
    UNIQUE (submission_id, number)
);
CREATE TRIGGER submission_versions_immutable BEFORE UPDATE ON submission_versions
BEGIN SELECT RAISE(ABORT, 'a submitted version cannot be changed'); END;
CREATE TRIGGER submission_versions_kept BEFORE DELETE ON submission_versions
BEGIN SELECT RAISE(ABORT, 'a submitted version cannot be deleted'); END;

-- Coaches' formative feedback on drafts (and on versions).
CREATE TABLE submission_feedback (
    id INTEGER PRIMARY KEY,
    submission_id INTEGER NOT NULL REFERENCES submissions (id),
    version_id INTEGER REFERENCES submission_versions (id),
    author_id INTEGER NOT NULL REFERENCES users (id),
    body TEXT NOT NULL, -- Markdown
    created_at INTEGER NOT NULL
);

-- An assessor's or moderator's marking of one version.
CREATE TABLE marks (
    id INTEGER PRIMARY KEY,
    version_id INTEGER NOT NULL REFERENCES submission_versions (id),
    marker_id INTEGER NOT NULL REFERENCES users (id),
    role TEXT NOT NULL CHECK (role IN ('assessor', 'moderator')),
    outcome TEXT NOT NULL CHECK (outcome IN ('pass', 'refer', 'fail')),
    feedback TEXT NOT NULL,  -- Markdown, for the participant
    created_at INTEGER NOT NULL,
    UNIQUE (version_id, role)
);
CREATE TABLE mark_criteria (
    mark_id INTEGER NOT NULL REFERENCES marks (id),
    position INTEGER NOT NULL,
    met INTEGER NOT NULL CHECK (met IN (0, 1)),
    comment TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (mark_id, position)
);

-- The result participants see, once released: the moderator's outcome where there is one.
CREATE TABLE results (
    version_id INTEGER PRIMARY KEY REFERENCES submission_versions (id),
    outcome TEXT NOT NULL CHECK (outcome IN ('pass', 'refer', 'fail')),
    released_by INTEGER REFERENCES users (id),
    released_at INTEGER NOT NULL
);

-- Master's credit a completed module is worth, as agreed with a university.
CREATE TABLE module_credits (
    module TEXT PRIMARY KEY COLLATE NOCASE,
    credits INTEGER NOT NULL CHECK (credits BETWEEN 0 AND 180),
    awarding_body TEXT NOT NULL DEFAULT '',
    updated_at INTEGER NOT NULL
);

CREATE TABLE awards (
    id INTEGER PRIMARY KEY,
    certificate_number TEXT NOT NULL UNIQUE,
    verification_code TEXT NOT NULL UNIQUE,
    participant_id INTEGER NOT NULL REFERENCES users (id),
    enrolment_id INTEGER NOT NULL UNIQUE REFERENCES enrolments (id),
    qualification TEXT NOT NULL COLLATE NOCASE,
    awarded_on TEXT NOT NULL,
    awarded_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL
);
