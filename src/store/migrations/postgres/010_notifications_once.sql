-- Part of holding each rule by the statement that writes (a conditional UPDATE whose
-- changed-row count answers, or a constraint), not by a value read earlier in the transaction,
-- which another writer may have changed by then on an engine without SQLite's single write lock.

-- An invitation, and a reminder, once per person and event whatever the event's SEQUENCE has
-- become: the primary key holds one per SEQUENCE, which two servers that each saw a different
-- SEQUENCE would both pass. (Earlier duplicates, if any, keep their first row.)
DELETE FROM notifications WHERE kind IN ('invitation', 'reminder') AND ctid NOT IN
    (SELECT min(ctid) FROM notifications WHERE kind IN ('invitation', 'reminder')
     GROUP BY subject, subject_id, user_id, kind);
CREATE UNIQUE INDEX notifications_once ON notifications (subject, subject_id, user_id, kind)
    WHERE kind IN ('invitation', 'reminder');
