-- Each assessment task sets the largest file a participant may attach to work on it (50 MiB
-- unless set, at most 1 GiB), read when a file arrives, so a limit changed later holds for the
-- uploads after it.
ALTER TABLE assessment_tasks ADD COLUMN max_file_bytes INTEGER NOT NULL DEFAULT 52428800
    CHECK (max_file_bytes BETWEEN 1 AND 1073741824);

-- Every list of the API pages by key (store_internal.h): each order below is the one its list's
-- query continues from, led by what it is filtered by, so a deep page costs what the first does.
-- A forum's threads: pinned first, then the most recently active, as one number.
CREATE INDEX forum_threads_by_position ON forum_threads (forum_id, (pinned * 10000000000 + last_post_at), id);
-- An enrolment's learning-hours log: the latest date first, the date as one number.
CREATE INDEX activities_by_day ON activities (enrolment_id, (CAST(replace(done_on, '-', '') AS INTEGER)), id);
-- The marking queue needs none: it is read from the open submissions (submissions_by_state), a
-- set the size of the queue however long the history, and sorted.
