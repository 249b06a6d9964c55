-- The home page asks, for each role, what is waiting for one person: the events they facilitate,
-- the work in a given state, the enrolments at a school. These indexes answer those questions
-- without reading whole tables.
CREATE INDEX events_by_facilitator ON events (facilitator_id, starts_at);
CREATE INDEX submissions_by_state ON submissions (state, updated_at);
CREATE INDEX enrolments_by_school ON enrolments (school_id, state);
CREATE INDEX assignments_by_staff ON assignments (staff_id, kind);
