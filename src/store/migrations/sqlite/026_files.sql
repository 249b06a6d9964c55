-- One store for every file npq keeps. A file's bytes are a blob, kept once however many records
-- hold them (content-addressed by SHA-256), in chunks of 256 KiB so that a range is read without
-- the rest and a write never holds a whole file; they live in the database so that a backup (the
-- engine's own) holds every file with the records that name it, on SQLite and PostgreSQL alike.
-- A file row says which record holds a blob, under what name, and whose it is, so that a
-- person's export and erasure can find their files.
CREATE TABLE blobs (
    id INTEGER PRIMARY KEY,
    sha256 TEXT UNIQUE,          -- lower-case hex; NULL while its chunks are being written
    size INTEGER NOT NULL CHECK (size >= 0),
    media_type TEXT NOT NULL,    -- what the bytes are, detected from them (lib/file_type.h)
    created_at INTEGER NOT NULL
);

CREATE TABLE blob_chunks (
    blob_id INTEGER NOT NULL REFERENCES blobs (id),
    seq INTEGER NOT NULL CHECK (seq >= 0), -- chunk seq holds bytes seq * 262144 onwards
    data BLOB NOT NULL,
    PRIMARY KEY (blob_id, seq)
);

CREATE TABLE files (
    id INTEGER PRIMARY KEY,
    blob_id INTEGER NOT NULL REFERENCES blobs (id),
    record_kind TEXT NOT NULL CHECK (record_kind IN ('submission', 'content_item')),
    record_id INTEGER NOT NULL,
    owner_id INTEGER REFERENCES users (id), -- the person the file is theirs; NULL for the library's
    name TEXT NOT NULL,
    created_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL
);
CREATE INDEX files_by_record ON files (record_kind, record_id);
CREATE INDEX files_by_owner ON files (owner_id);
CREATE INDEX files_by_blob ON files (blob_id);

-- Submission files move into the store: one blob per distinct content, one file row per
-- submission file under the same id, and the bytes leave submission_files.
INSERT INTO blobs (sha256, size, media_type, created_at)
SELECT sha256, max(length(data)), min(content_type), min(created_at) FROM submission_files GROUP BY sha256;

WITH RECURSIVE pieces (blob_id, seq) AS (
    SELECT id, 0 FROM blobs WHERE size > 0
    UNION ALL
    SELECT p.blob_id, p.seq + 1 FROM pieces p JOIN blobs b ON b.id = p.blob_id WHERE (p.seq + 1) * 262144 < b.size
)
INSERT INTO blob_chunks (blob_id, seq, data)
SELECT p.blob_id, p.seq, substr(f.data, p.seq * 262144 + 1, 262144)
FROM pieces p JOIN blobs b ON b.id = p.blob_id
JOIN submission_files f ON f.id = (SELECT min(id) FROM submission_files WHERE sha256 = b.sha256);

INSERT INTO files (id, blob_id, record_kind, record_id, owner_id, name, created_by, created_at)
SELECT f.id, b.id, 'submission', f.submission_id, s.participant_id, f.name, s.participant_id, f.created_at
FROM submission_files f JOIN blobs b ON b.sha256 = f.sha256 JOIN submissions s ON s.id = f.submission_id;

ALTER TABLE submission_files ADD COLUMN file_id INTEGER REFERENCES files (id);
UPDATE submission_files SET file_id = id;
ALTER TABLE submission_files DROP COLUMN data;
