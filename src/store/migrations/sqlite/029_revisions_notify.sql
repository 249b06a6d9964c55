-- Nothing to do on SQLite: every server reads the revisions from the database file itself, at
-- no cost and without waiting, so none needs telling (PostgreSQL's 029 notifies its servers).
SELECT 1;
