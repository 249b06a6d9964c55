-- Part of holding each rule by the statement that writes (a conditional UPDATE whose
-- changed-row count answers, or a constraint), not by a value read earlier in the transaction,
-- which another writer may have changed by then on an engine without SQLite's single write lock.

-- The hours logged per enrolment and module, kept with every change to the log, so that an entry
-- is added under a module's cap by one conditional update of its total.
CREATE TABLE activity_totals (
    enrolment_id BIGINT NOT NULL REFERENCES enrolments (id),
    module CITEXT NOT NULL,
    quarter_hours BIGINT NOT NULL DEFAULT 0 CHECK (quarter_hours >= 0),
    PRIMARY KEY (enrolment_id, module)
);
INSERT INTO activity_totals (enrolment_id, module, quarter_hours)
    SELECT enrolment_id, module, sum(quarter_hours) FROM activities GROUP BY enrolment_id, module;
