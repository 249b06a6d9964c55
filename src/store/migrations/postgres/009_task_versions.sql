-- Part of holding each rule by the statement that writes (a conditional UPDATE whose
-- changed-row count answers, or a constraint), not by a value read earlier in the transaction,
-- which another writer may have changed by then on an engine without SQLite's single write lock.

-- Versions submitted against a task, counted on the task's row: submitting raises it, so
-- replacing the criteria ("only while nothing was submitted") is a conditional update of the same
-- row, and a submission and a replacement at the same moment cannot both win.
ALTER TABLE assessment_tasks ADD COLUMN versions_submitted BIGINT NOT NULL DEFAULT 0 CHECK (versions_submitted >= 0);
UPDATE assessment_tasks SET versions_submitted = (SELECT count(*) FROM submission_versions v
    JOIN submissions s ON s.id = v.submission_id WHERE s.task_id = assessment_tasks.id);
