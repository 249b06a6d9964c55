-- Each assessment task sets the largest file a participant may attach to work on it (50 MiB
-- unless set, at most 1 GiB), read when a file arrives, so a limit changed later holds for the
-- uploads after it.
ALTER TABLE assessment_tasks ADD COLUMN max_file_bytes BIGINT NOT NULL DEFAULT 52428800
    CHECK (max_file_bytes BETWEEN 1 AND 1073741824);
