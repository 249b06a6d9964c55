-- The catalogue: levels, strands, modules, qualifications and frameworks.
-- Every table keeps the position of each row in the imported file (so export gives it back in
-- order) and the generation of the import that last wrote it (so rows an import no longer
-- mentions can be found and removed).

CREATE TABLE catalogue_meta (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    revision INTEGER NOT NULL
);
INSERT INTO catalogue_meta (id, revision) VALUES (1, 0);

CREATE TABLE levels (
    number INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    position INTEGER NOT NULL,
    generation INTEGER NOT NULL
);

CREATE TABLE strands (
    code TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    position INTEGER NOT NULL,
    generation INTEGER NOT NULL
);

CREATE TABLE modules (
    code TEXT PRIMARY KEY COLLATE NOCASE,
    title TEXT NOT NULL,
    strand TEXT NOT NULL REFERENCES strands (code),
    level INTEGER NOT NULL REFERENCES levels (number),
    hours_cap INTEGER NOT NULL CHECK (hours_cap BETWEEN 1 AND 500),
    position INTEGER NOT NULL,
    generation INTEGER NOT NULL
);

CREATE TABLE frameworks (
    code TEXT PRIMARY KEY COLLATE NOCASE,
    title TEXT NOT NULL,
    position INTEGER NOT NULL,
    generation INTEGER NOT NULL
);

CREATE TABLE qualifications (
    code TEXT PRIMARY KEY COLLATE NOCASE,
    title TEXT NOT NULL,
    level INTEGER NOT NULL REFERENCES levels (number),
    summary TEXT NOT NULL,
    framework TEXT REFERENCES frameworks (code),
    elective_count INTEGER NOT NULL CHECK (elective_count >= 0),
    final_assessment INTEGER NOT NULL CHECK (final_assessment IN (0, 1)),
    min_face_to_face_events INTEGER NOT NULL CHECK (min_face_to_face_events >= 0),
    min_virtual_events INTEGER NOT NULL CHECK (min_virtual_events >= 0),
    position INTEGER NOT NULL,
    generation INTEGER NOT NULL
);

CREATE TABLE qualification_modules (
    qualification TEXT NOT NULL REFERENCES qualifications (code) ON DELETE CASCADE,
    module TEXT NOT NULL REFERENCES modules (code),
    role TEXT NOT NULL CHECK (role IN ('essential', 'elective')),
    position INTEGER NOT NULL,
    generation INTEGER NOT NULL,
    PRIMARY KEY (qualification, module)
);
CREATE INDEX qualification_modules_by_module ON qualification_modules (module);

CREATE TABLE framework_areas (
    framework TEXT NOT NULL REFERENCES frameworks (code) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    title TEXT NOT NULL,
    generation INTEGER NOT NULL,
    PRIMARY KEY (framework, number)
);

-- A statement is known by (framework, area, kind, number): the key content and assessment
-- will map to, stable across re-imports.
CREATE TABLE framework_statements (
    framework TEXT NOT NULL,
    area INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('learn_that', 'learn_how_to')),
    number INTEGER NOT NULL,
    text TEXT NOT NULL,
    incomplete INTEGER NOT NULL CHECK (incomplete IN (0, 1)),
    generation INTEGER NOT NULL,
    PRIMARY KEY (framework, area, kind, number),
    FOREIGN KEY (framework, area) REFERENCES framework_areas (framework, number) ON DELETE CASCADE
);

CREATE TABLE framework_practices (
    framework TEXT NOT NULL,
    area INTEGER NOT NULL,
    kind TEXT NOT NULL,
    number INTEGER NOT NULL,
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    incomplete INTEGER NOT NULL CHECK (incomplete IN (0, 1)),
    generation INTEGER NOT NULL,
    PRIMARY KEY (framework, area, kind, number, position),
    FOREIGN KEY (framework, area, kind, number)
        REFERENCES framework_statements (framework, area, kind, number) ON DELETE CASCADE
);
