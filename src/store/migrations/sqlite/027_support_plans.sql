-- Support plans: when a participant is at risk or referred, who supports them (a coach or a
-- facilitator), the actions agreed and by when, and when it is reviewed. One open plan per
-- enrolment, held by the index, so two people saving at once cannot open two.

CREATE TABLE support_plans (
    id INTEGER PRIMARY KEY,
    enrolment_id INTEGER NOT NULL REFERENCES enrolments (id),
    supporter_id INTEGER NOT NULL REFERENCES users (id),
    review_on TEXT NOT NULL,              -- YYYY-MM-DD
    state TEXT NOT NULL CHECK (state IN ('open', 'closed')),
    created_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX support_plans_one_open ON support_plans (enrolment_id) WHERE state = 'open';

CREATE TABLE support_plan_actions (
    plan_id INTEGER NOT NULL REFERENCES support_plans (id),
    position INTEGER NOT NULL,
    action TEXT NOT NULL CHECK (length(action) BETWEEN 1 AND 500),
    due_on TEXT NOT NULL,                 -- YYYY-MM-DD
    PRIMARY KEY (plan_id, position)
);
