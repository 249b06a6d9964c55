-- Codes compare without regard to case (SQLite's COLLATE NOCASE): citext, here and wherever
-- a column refers to one.
CREATE EXTENSION IF NOT EXISTS citext;

-- The catalogue: levels, strands, modules, qualifications and frameworks.
-- Every table keeps the position of each row in the imported file (so export gives it back in
-- order) and the generation of the import that last wrote it (so rows an import no longer
-- mentions can be found and removed).

CREATE TABLE catalogue_meta (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    revision BIGINT NOT NULL
);
INSERT INTO catalogue_meta (id, revision) VALUES (1, 0);

CREATE TABLE levels (
    number BIGINT PRIMARY KEY,
    title TEXT NOT NULL,
    position BIGINT NOT NULL,
    generation BIGINT NOT NULL
);

CREATE TABLE strands (
    code TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    position BIGINT NOT NULL,
    generation BIGINT NOT NULL
);

CREATE TABLE modules (
    code CITEXT PRIMARY KEY,
    title TEXT NOT NULL,
    strand TEXT NOT NULL REFERENCES strands (code),
    level BIGINT NOT NULL REFERENCES levels (number),
    hours_cap BIGINT NOT NULL CHECK (hours_cap BETWEEN 1 AND 500),
    position BIGINT NOT NULL,
    generation BIGINT NOT NULL
);

CREATE TABLE frameworks (
    code CITEXT PRIMARY KEY,
    title TEXT NOT NULL,
    position BIGINT NOT NULL,
    generation BIGINT NOT NULL
);

CREATE TABLE qualifications (
    code CITEXT PRIMARY KEY,
    title TEXT NOT NULL,
    level BIGINT NOT NULL REFERENCES levels (number),
    summary TEXT NOT NULL,
    framework CITEXT REFERENCES frameworks (code),
    elective_count BIGINT NOT NULL CHECK (elective_count >= 0),
    final_assessment BIGINT NOT NULL CHECK (final_assessment IN (0, 1)),
    min_face_to_face_events BIGINT NOT NULL CHECK (min_face_to_face_events >= 0),
    min_virtual_events BIGINT NOT NULL CHECK (min_virtual_events >= 0),
    position BIGINT NOT NULL,
    generation BIGINT NOT NULL
);

CREATE TABLE qualification_modules (
    qualification CITEXT NOT NULL REFERENCES qualifications (code) ON DELETE CASCADE,
    module CITEXT NOT NULL REFERENCES modules (code),
    role TEXT NOT NULL CHECK (role IN ('essential', 'elective')),
    position BIGINT NOT NULL,
    generation BIGINT NOT NULL,
    PRIMARY KEY (qualification, module)
);
CREATE INDEX qualification_modules_by_module ON qualification_modules (module);

CREATE TABLE framework_areas (
    framework CITEXT NOT NULL REFERENCES frameworks (code) ON DELETE CASCADE,
    number BIGINT NOT NULL,
    title TEXT NOT NULL,
    generation BIGINT NOT NULL,
    PRIMARY KEY (framework, number)
);

-- A statement is known by (framework, area, kind, number): the key content and assessment
-- will map to, stable across re-imports.
CREATE TABLE framework_statements (
    framework CITEXT NOT NULL,
    area BIGINT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('learn_that', 'learn_how_to')),
    number BIGINT NOT NULL,
    text TEXT NOT NULL,
    incomplete BIGINT NOT NULL CHECK (incomplete IN (0, 1)),
    generation BIGINT NOT NULL,
    PRIMARY KEY (framework, area, kind, number),
    FOREIGN KEY (framework, area) REFERENCES framework_areas (framework, number) ON DELETE CASCADE
);

CREATE TABLE framework_practices (
    framework CITEXT NOT NULL,
    area BIGINT NOT NULL,
    kind TEXT NOT NULL,
    number BIGINT NOT NULL,
    position BIGINT NOT NULL,
    text TEXT NOT NULL,
    incomplete BIGINT NOT NULL CHECK (incomplete IN (0, 1)),
    generation BIGINT NOT NULL,
    PRIMARY KEY (framework, area, kind, number, position),
    FOREIGN KEY (framework, area, kind, number)
        REFERENCES framework_statements (framework, area, kind, number) ON DELETE CASCADE
);
