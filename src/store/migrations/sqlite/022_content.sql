-- The content library: what participants study, aligned to the catalogue.
--
-- An item's text lives in versions that never change; content_items.version names the current
-- one and is moved by the one UPDATE that makes a new version, so two editors at once get two
-- versions, one after the other, on any engine.
CREATE TABLE content_items (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('reading', 'video', 'audio', 'case_study', 'tool_or_template',
                                       'research_summary', 'activity')),
    version INTEGER NOT NULL DEFAULT 1,
    created_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE content_versions (
    item_id INTEGER NOT NULL REFERENCES content_items (id),
    version INTEGER NOT NULL CHECK (version >= 1),
    title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    body TEXT NOT NULL DEFAULT '',         -- Markdown
    media_url TEXT NOT NULL DEFAULT '',    -- https:// video or audio played in the page
    captions_url TEXT NOT NULL DEFAULT '', -- https:// WebVTT captions
    transcript TEXT NOT NULL DEFAULT '',
    minutes INTEGER NOT NULL CHECK (minutes BETWEEN 1 AND 600),
    change_note TEXT NOT NULL DEFAULT '',  -- what changed since the version before
    created_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (item_id, version)
);

-- What an item teaches, in one written form each (domain/content.h): "module:leading-teaching",
-- "area:npqsl/3", "statement:npqsl/3/learn-that/2".
CREATE TABLE content_tags (
    item_id INTEGER NOT NULL REFERENCES content_items (id),
    tag TEXT NOT NULL COLLATE NOCASE,
    PRIMARY KEY (item_id, tag)
);
CREATE INDEX content_tags_by_tag ON content_tags (tag);

-- A delivery partner's local variant of an item (local contacts, data, case studies): its title
-- and body replace the item's for participants of the partner's cohorts. Versioned by a counter
-- moved by the upsert that changes it.
CREATE TABLE content_variants (
    item_id INTEGER NOT NULL REFERENCES content_items (id),
    partner_id INTEGER NOT NULL REFERENCES organisations (id),
    version INTEGER NOT NULL DEFAULT 1,
    title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    body TEXT NOT NULL,
    change_note TEXT NOT NULL DEFAULT '',
    updated_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (item_id, partner_id)
);

-- A module's course: ordered units, each an ordered list of items.
CREATE TABLE content_units (
    id INTEGER PRIMARY KEY,
    module TEXT NOT NULL COLLATE NOCASE,
    position INTEGER NOT NULL,
    title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    created_at INTEGER NOT NULL,
    UNIQUE (module, position)
);

CREATE TABLE content_unit_items (
    unit_id INTEGER NOT NULL REFERENCES content_units (id),
    item_id INTEGER NOT NULL REFERENCES content_items (id),
    position INTEGER NOT NULL,
    PRIMARY KEY (unit_id, item_id),
    UNIQUE (unit_id, position)
);

-- Items a participant marked as done in an enrolment, with the versions they saw then, so that a
-- later version shows as "updated".
CREATE TABLE content_completions (
    enrolment_id INTEGER NOT NULL REFERENCES enrolments (id),
    item_id INTEGER NOT NULL REFERENCES content_items (id),
    item_version INTEGER NOT NULL,
    variant_version INTEGER NOT NULL DEFAULT 0,
    completed_at INTEGER NOT NULL,
    PRIMARY KEY (enrolment_id, item_id)
);

-- Learning activity, one row per statement in the shape of xAPI (actor, verb, object, timestamp,
-- result), so that the progress model and an xAPI record store can read it as it is:
--   actor      the account (actor_id; its email is the xAPI mbox)
--   verb       an ADL verb IRI: .../experienced (opened) or .../completed (marked as done)
--   object     the content item at a version (object_id, object_version), activity type
--              http://adlnet.gov/expapi/activities/lesson
--   context    the enrolment (registration) and the module the course placed the item in
--   result     completion (1 for completed) and duration in seconds (the item's estimate)
CREATE TABLE learning_records (
    id INTEGER PRIMARY KEY,
    actor_id INTEGER NOT NULL REFERENCES users (id),
    verb TEXT NOT NULL CHECK (verb IN ('http://adlnet.gov/expapi/verbs/experienced',
                                       'http://adlnet.gov/expapi/verbs/completed')),
    object_id INTEGER NOT NULL REFERENCES content_items (id),
    object_version INTEGER NOT NULL,
    enrolment_id INTEGER REFERENCES enrolments (id),
    module TEXT,
    timestamp INTEGER NOT NULL,
    result_completion INTEGER CHECK (result_completion IN (0, 1)),
    result_duration_seconds INTEGER
);
CREATE INDEX learning_records_by_enrolment ON learning_records (enrolment_id, timestamp);
CREATE INDEX learning_records_by_actor ON learning_records (actor_id, timestamp);
