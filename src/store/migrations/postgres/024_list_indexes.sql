-- Lists are read a page at a time from where the last page ended (key-set pagination), in each
-- list's one order, and narrowed by the filters the API offers. These indexes hold each order,
-- led by the filter where there is one, so a page is read from its starting row on rather than
-- sorted out of the whole table, however deep it is.

-- People and organisations by name (?q, ?role and ?kind narrow them).
CREATE INDEX users_by_name ON users (lower(name), id);
CREATE INDEX user_roles_by_role ON user_roles (role, user_id);
CREATE INDEX organisations_by_kind_and_name ON organisations (kind, lower(name), id);
CREATE INDEX organisations_by_name ON organisations (lower(name), id);

-- Applications by latest change (?state, a participant's); submissions likewise (?task_id).
CREATE INDEX applications_by_change ON applications (updated_at, id);
CREATE INDEX applications_by_state_and_change ON applications (state, updated_at, id);
CREATE INDEX submissions_by_change ON submissions (updated_at, id);
CREATE INDEX submissions_by_task ON submissions (task_id, updated_at, id);

-- Cohorts by start (?target); events by start within a cohort (?cohort_id, ?from, ?to).
CREATE INDEX cohorts_by_target ON cohorts (target, starts_on, id);
CREATE INDEX cohorts_by_start ON cohorts (starts_on, id);
CREATE INDEX events_by_cohort_and_start ON events (cohort_id, starts_at, id);
CREATE INDEX events_by_start_and_id ON events (starts_at, id);

-- Coaching sessions by start (?participant_id, or the coach's).
CREATE INDEX coaching_sessions_by_start ON coaching_sessions (starts_at, id);

-- The content library by latest change (?tag: content_tags_by_tag); learning records by enrolment.
CREATE INDEX content_items_by_change ON content_items (updated_at, id);
CREATE INDEX learning_records_by_enrolment_and_id ON learning_records (enrolment_id, id);

-- Awards of a participant (?participant_id), tokens of a person, tasks of a target (?target).
CREATE INDEX awards_by_participant ON awards (participant_id, id);
CREATE INDEX api_tokens_by_user_and_id ON api_tokens (user_id, id);
CREATE INDEX assessment_tasks_by_target ON assessment_tasks (target, deadline, id);

-- The audit log newest first by actor, entity and time (?actor_id, ?entity, ?entity_id, ?since,
-- ?until). ?action is a prefix matched with LIKE, which neither engine answers from a plain index
-- under its default collation; the other filters narrow it first.
CREATE INDEX audit_events_by_actor_and_id ON audit_events (actor_id, id);
CREATE INDEX audit_events_by_entity_and_id ON audit_events (entity, entity_id, id);
CREATE INDEX audit_events_by_time ON audit_events (at, id);
