-- Part of holding each rule by the statement that writes (a conditional UPDATE whose
-- changed-row count answers, or a constraint), not by a value read earlier in the transaction,
-- which another writer may have changed by then on an engine without SQLite's single write lock.

-- The places taken on an event, next to its capacity, so that taking one is a single
-- "UPDATE events SET booked = booked + 1 WHERE booked < capacity" and the check keeps it true
-- whatever statement changes either number. An event somehow booked past its capacity keeps its
-- bookings: its capacity is raised to them.
UPDATE events SET capacity = (SELECT count(*) FROM bookings b WHERE b.event_id = events.id AND b.cancelled_at IS NULL)
    WHERE capacity < (SELECT count(*) FROM bookings b WHERE b.event_id = events.id AND b.cancelled_at IS NULL);
ALTER TABLE events ADD COLUMN booked BIGINT NOT NULL DEFAULT 0 CHECK (booked BETWEEN 0 AND capacity);
UPDATE events SET booked = (SELECT count(*) FROM bookings b WHERE b.event_id = events.id AND b.cancelled_at IS NULL);
