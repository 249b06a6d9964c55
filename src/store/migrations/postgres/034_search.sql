-- One search over what a person may read: the current version of each content item, partners'
-- local variants, the framework's statements and forum posts, as tsvector columns ('english',
-- which stems: "leading" finds "leaders") kept by the engine under GIN indexes. SQLite keeps FTS5
-- tables instead; store_search picks the query for the engine. (The forum's column of migration
-- 025 already uses 'english'.)
ALTER TABLE content_versions ADD COLUMN search TSVECTOR GENERATED ALWAYS AS
    (setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', body), 'B')) STORED;
CREATE INDEX content_versions_search ON content_versions USING gin (search);
ALTER TABLE content_items ADD COLUMN search TSVECTOR GENERATED ALWAYS AS
    (to_tsvector('english', replace(kind, '_', ' '))) STORED;
CREATE INDEX content_items_search ON content_items USING gin (search);
ALTER TABLE content_variants ADD COLUMN search TSVECTOR GENERATED ALWAYS AS
    (setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', body), 'B')) STORED;
CREATE INDEX content_variants_search ON content_variants USING gin (search);
ALTER TABLE framework_statements ADD COLUMN search TSVECTOR GENERATED ALWAYS AS
    (to_tsvector('english', number::text || ' ' || text || ' ' || area::text)) STORED;
CREATE INDEX framework_statements_search ON framework_statements USING gin (search);
