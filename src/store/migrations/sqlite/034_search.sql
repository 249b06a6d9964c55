-- One search over what a person may read: the current version of each content item, partners'
-- local variants, the framework's statements and forum posts. Each is an FTS5 index with the
-- porter tokenizer, so "leading" finds "leaders", kept current by triggers; store_search ranks
-- them together and app/search.c asks the policy which hits the person may see. (PostgreSQL keeps
-- tsvector columns under GIN indexes instead.)

-- The forum index of migration 025 split words without stemming: rebuilt with porter.
DROP TRIGGER forum_posts_search_insert;
DROP TRIGGER forum_posts_search_update;
DROP TRIGGER forum_posts_search_delete;
DROP TABLE forum_posts_search;
CREATE VIRTUAL TABLE forum_posts_search USING fts5(body, content = 'forum_posts', content_rowid = 'id',
                                                   tokenize = 'porter unicode61');
INSERT INTO forum_posts_search (forum_posts_search) VALUES ('rebuild');
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

-- Items: one row an item (rowid the item's id) holding its newest version, whichever order the
-- item's row and its versions are written in.
CREATE VIRTUAL TABLE content_search USING fts5(title, body, kind, tokenize = 'porter unicode61');
INSERT INTO content_search (rowid, title, body, kind)
    SELECT i.id, v.title, v.body, replace(i.kind, '_', ' ') FROM content_items i
    JOIN content_versions v ON v.item_id = i.id AND v.version = i.version;
CREATE TRIGGER content_search_version AFTER INSERT ON content_versions
BEGIN
    DELETE FROM content_search WHERE rowid = NEW.item_id;
    INSERT INTO content_search (rowid, title, body, kind)
        SELECT i.id, v.title, v.body, replace(i.kind, '_', ' ') FROM content_items i
        JOIN content_versions v ON v.item_id = i.id WHERE i.id = NEW.item_id ORDER BY v.version DESC LIMIT 1;
END;
CREATE TRIGGER content_search_kind AFTER UPDATE OF kind ON content_items
BEGIN
    UPDATE content_search SET kind = replace(NEW.kind, '_', ' ') WHERE rowid = NEW.id;
END;
CREATE TRIGGER content_search_delete AFTER DELETE ON content_items
BEGIN
    DELETE FROM content_search WHERE rowid = OLD.id;
END;

-- Local variants: few, so finding a variant's row by its (unindexed) key is cheap enough.
CREATE VIRTUAL TABLE content_variant_search USING fts5(title, body, item_id UNINDEXED, partner_id UNINDEXED,
                                                       tokenize = 'porter unicode61');
INSERT INTO content_variant_search (title, body, item_id, partner_id)
    SELECT title, body, item_id, partner_id FROM content_variants;
CREATE TRIGGER content_variant_search_insert AFTER INSERT ON content_variants
BEGIN
    INSERT INTO content_variant_search (title, body, item_id, partner_id)
        VALUES (NEW.title, NEW.body, NEW.item_id, NEW.partner_id);
END;
CREATE TRIGGER content_variant_search_update AFTER UPDATE ON content_variants
BEGIN
    DELETE FROM content_variant_search WHERE item_id = OLD.item_id AND partner_id = OLD.partner_id;
    INSERT INTO content_variant_search (title, body, item_id, partner_id)
        VALUES (NEW.title, NEW.body, NEW.item_id, NEW.partner_id);
END;
CREATE TRIGGER content_variant_search_delete AFTER DELETE ON content_variants
BEGIN
    DELETE FROM content_variant_search WHERE item_id = OLD.item_id AND partner_id = OLD.partner_id;
END;

-- Statements: a few hundred, replaced whole when a framework is imported again.
CREATE VIRTUAL TABLE statement_search USING fts5(number, text, area, framework UNINDEXED, kind UNINDEXED,
                                                 tokenize = 'porter unicode61');
INSERT INTO statement_search (number, text, area, framework, kind)
    SELECT number, text, area, framework, kind FROM framework_statements;
CREATE TRIGGER statement_search_insert AFTER INSERT ON framework_statements
BEGIN
    INSERT INTO statement_search (number, text, area, framework, kind)
        VALUES (NEW.number, NEW.text, NEW.area, NEW.framework, NEW.kind);
END;
CREATE TRIGGER statement_search_update AFTER UPDATE ON framework_statements
BEGIN
    DELETE FROM statement_search WHERE framework = OLD.framework AND area = OLD.area AND kind = OLD.kind
        AND number = OLD.number;
    INSERT INTO statement_search (number, text, area, framework, kind)
        VALUES (NEW.number, NEW.text, NEW.area, NEW.framework, NEW.kind);
END;
CREATE TRIGGER statement_search_delete AFTER DELETE ON framework_statements
BEGIN
    DELETE FROM statement_search WHERE framework = OLD.framework AND area = OLD.area AND kind = OLD.kind
        AND number = OLD.number;
END;
