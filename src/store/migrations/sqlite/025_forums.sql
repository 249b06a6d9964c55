-- Learning communities: a forum per cohort, per module and one for the whole provider, each of
-- threads of posts written in Markdown. Who belongs to a forum is not stored: it follows from
-- enrolments, cohort staff, assignments and roles (domain/forum.h), so it never goes stale.
--
-- A cohort's forum and a module's are made with the cohort or the module, by the triggers below,
-- so every community exists from the moment its people can.
CREATE TABLE forums (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('cohort', 'module', 'provider')),
    cohort_id INTEGER UNIQUE REFERENCES cohorts (id),
    module TEXT UNIQUE COLLATE NOCASE, -- a module's code (no reference: the catalogue may drop it)
    CHECK ((kind = 'cohort') = (cohort_id IS NOT NULL) AND (kind = 'module') = (module IS NOT NULL))
);
CREATE UNIQUE INDEX forums_one_provider ON forums (kind) WHERE kind = 'provider';

INSERT INTO forums (kind) VALUES ('provider');
INSERT INTO forums (kind, cohort_id) SELECT 'cohort', id FROM cohorts ORDER BY id;
INSERT INTO forums (kind, module) SELECT 'module', code FROM modules ORDER BY position;

CREATE TRIGGER forums_for_cohort AFTER INSERT ON cohorts
BEGIN
    INSERT OR IGNORE INTO forums (kind, cohort_id) VALUES ('cohort', NEW.id);
END;
CREATE TRIGGER forums_for_module AFTER INSERT ON modules
BEGIN
    INSERT OR IGNORE INTO forums (kind, module) VALUES ('module', NEW.code);
END;

CREATE TABLE forum_threads (
    id INTEGER PRIMARY KEY,
    forum_id INTEGER NOT NULL REFERENCES forums (id),
    title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    author_id INTEGER NOT NULL REFERENCES users (id),
    pinned INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1)),
    locked INTEGER NOT NULL DEFAULT 0 CHECK (locked IN (0, 1)),
    created_at INTEGER NOT NULL,
    last_post_at INTEGER NOT NULL
);
CREATE INDEX forum_threads_by_forum ON forum_threads (forum_id, pinned, last_post_at);

-- The first post of a thread is its opening; the rest are replies. A hidden post stays, so a
-- moderator can show it again and a report keeps what was reported.
CREATE TABLE forum_posts (
    id INTEGER PRIMARY KEY,
    thread_id INTEGER NOT NULL REFERENCES forum_threads (id),
    author_id INTEGER NOT NULL REFERENCES users (id),
    body TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 20000), -- Markdown
    hidden INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)),
    hidden_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL,
    edited_at INTEGER
);
CREATE INDEX forum_posts_by_thread ON forum_posts (thread_id, id);
CREATE INDEX forum_posts_by_time ON forum_posts (created_at);

-- A person reports a post once while their report is open.
CREATE TABLE forum_reports (
    id INTEGER PRIMARY KEY,
    post_id INTEGER NOT NULL REFERENCES forum_posts (id),
    reporter_id INTEGER NOT NULL REFERENCES users (id),
    reason TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
    created_at INTEGER NOT NULL,
    resolved_at INTEGER,
    resolved_by INTEGER REFERENCES users (id),
    outcome TEXT CHECK (outcome IN ('hidden', 'kept'))
);
CREATE UNIQUE INDEX forum_reports_one_open ON forum_reports (post_id, reporter_id) WHERE resolved_at IS NULL;
CREATE INDEX forum_reports_open ON forum_reports (resolved_at, created_at);

CREATE TABLE forum_subscriptions (
    user_id INTEGER NOT NULL REFERENCES users (id),
    forum_id INTEGER NOT NULL REFERENCES forums (id),
    mode TEXT NOT NULL CHECK (mode IN ('each_post', 'daily_digest')),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, forum_id)
);
CREATE INDEX forum_subscriptions_by_forum ON forum_subscriptions (forum_id, mode);

-- Who a post mentions: recorded with the post, so a person is told once however often it is edited.
CREATE TABLE forum_mentions (
    post_id INTEGER NOT NULL REFERENCES forum_posts (id),
    user_id INTEGER NOT NULL REFERENCES users (id),
    PRIMARY KEY (post_id, user_id)
);

-- One daily digest per person per day (UTC), recorded in the transaction that queues it: the key
-- refuses a second, however many servers look. covered_until is where the next digest starts.
CREATE TABLE forum_digests (
    user_id INTEGER NOT NULL REFERENCES users (id),
    day TEXT NOT NULL,
    covered_until INTEGER NOT NULL,
    sent_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, day)
);

-- Searching posts: an FTS5 index over their text, kept by triggers (PostgreSQL keeps a tsvector
-- column instead; store_forum_search picks the query for the engine).
CREATE VIRTUAL TABLE forum_posts_search USING fts5(body, content = 'forum_posts', content_rowid = 'id');
CREATE TRIGGER forum_posts_search_insert AFTER INSERT ON forum_posts
BEGIN
    INSERT INTO forum_posts_search (rowid, body) VALUES (NEW.id, NEW.body);
END;
CREATE TRIGGER forum_posts_search_update AFTER UPDATE OF body ON forum_posts
BEGIN
    INSERT INTO forum_posts_search (forum_posts_search, rowid, body) VALUES ('delete', OLD.id, OLD.body);
    INSERT INTO forum_posts_search (rowid, body) VALUES (NEW.id, NEW.body);
END;
CREATE TRIGGER forum_posts_search_delete AFTER DELETE ON forum_posts
BEGIN
    INSERT INTO forum_posts_search (forum_posts_search, rowid, body) VALUES ('delete', OLD.id, OLD.body);
END;
