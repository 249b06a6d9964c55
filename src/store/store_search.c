/*
 * Search in the database: one query over the four indexes of migration 034, ranked together, and
 * the snippet of each hit shown (store.h says what each operation does).
 *
 * Both engines rank lower-is-better as an integer (bm25 as it comes, ts_rank negated), scaled so a
 * page's position fits a cursor: (rank_key, sid), sid setting the sources apart above bit 48.
 * Snippets are made only for the hits a page shows, one short query each, because making them
 * for every match of a common word would cost more than the search. Visibility is not decided
 * here: each row carries facts and app/search.c asks the policy.
 */
#include "store/forum_sql.h"
#include "store/store_internal.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

/* The person ?1 studies a module the item x is tagged to, or it is tagged to none. */
#define STUDIED(x)                                                                                                     \
    "(NOT EXISTS (SELECT 1 FROM content_tags g WHERE g.item_id = " x " AND g.tag LIKE 'module:%')"                     \
    " OR EXISTS (SELECT 1 FROM content_tags g JOIN enrolments e ON e.participant_id = ?1 AND " LIVE_ENROLMENT(         \
        "e") " WHERE g.item_id = " x " AND ((e.kind = 'module' AND g.tag = 'module:' || e.target)"                     \
             " OR (e.kind = 'qualification' AND EXISTS (SELECT 1 FROM qualification_modules qm"                        \
             " WHERE qm.qualification = e.target AND g.tag = 'module:' || qm.module)))))"
#define CONTENT_FILTERS(x)                                                                                             \
    " AND (?5 = '' OR i.kind = ?5)"                                                                                    \
    " AND (?3 = '' OR EXISTS (SELECT 1 FROM content_tags g WHERE g.item_id = " x " AND g.tag = 'module:' || ?3))"      \
    " AND (?4 = '' OR EXISTS (SELECT 1 FROM content_tags g WHERE g.item_id = " x                                       \
    " AND (g.tag = 'area:' || ?4 OR g.tag LIKE 'statement:' || ?4 || '/%')))"
#define STATEMENT_FILTERS                                                                                              \
    " AND ?3 = '' AND (?5 = '' OR ?5 = 'statement') AND (?4 = '' OR lower(s.framework || '/' || s.area) = lower(?4))"
#define POST_FILTERS                                                                                                   \
    " AND" FORUM_LIVE " AND ?4 = '' AND (?5 = '' OR ?5 = 'post') AND (?3 = '' OR (f.kind = 'module' AND f.module = "   \
    "?3))"
#define NO_FORUM "0, 0, 0, 0, '', 0, 0"
#define POST_FROM                                                                                                      \
    " JOIN forum_posts p ON p.id = s.rowid JOIN forum_threads t ON t.id = p.thread_id JOIN forums f ON f.id ="         \
    " t.forum_id" FORUM_JOINS
#define PAGE_AFTER ") h WHERE (rank_key, sid) > (?6, ?7) ORDER BY rank_key, sid LIMIT ?8"
#define SOURCE(n) #n "* 281474976710656"

static const char SQL_SEARCH_SQLITE[] =
    "SELECT source, id, partner, thread, row, title, ckind, framework, area, skind, number, rank_key, sid,"
    " f_in, f_fac, f_coach, f_lead, fkind, hidden, own FROM ("
    "SELECT 0 AS source, s.rowid AS id, 0 AS partner, 0 AS thread, s.rowid AS row, s.title AS title, i.kind AS ckind,"
    " '' AS framework, 0 AS area, '' AS skind, 0 AS number,"
    " CAST(bm25(content_search, 10.0, 1.0, 2.0) * 1000000 AS INTEGER) AS rank_key, s.rowid AS sid,"
    " " STUDIED(
        "s.rowid") " AS f_in, 0 AS f_fac, 0 AS f_coach, 0 AS f_lead, '' AS fkind, 0 AS hidden, 0 AS own"
                   " FROM content_search s JOIN content_items i ON i.id = s.rowid WHERE content_search MATCH "
                   "?2" CONTENT_FILTERS(
                       "s.rowid") " UNION ALL "
                                  "SELECT 1, s.item_id, s.partner_id, 0, s.rowid, s.title, i.kind, '', 0, '', 0,"
                                  " CAST(bm25(content_variant_search, 10.0, 1.0) * 1000000 AS INTEGER), " SOURCE(
                                      1) " + s.rowid,"
                                         " " STUDIED(
                                             "s.item_id") ", 0, 0, 0, '', 0, 0"
                                                          " FROM content_variant_search s JOIN content_items i ON i.id "
                                                          "= s.item_id"
                                                          " WHERE content_variant_search MATCH ?2" CONTENT_FILTERS(
                                                              "s.item_id") " UNION ALL "
                                                                           "SELECT 2, 0, 0, 0, s.rowid, s.text, '', "
                                                                           "s.framework, s.area, s.kind, s.number,"
                                                                           " CAST(bm25(statement_search, 1.0, 10.0, "
                                                                           "1.0) * 1000000 AS INTEGER), " SOURCE(
                                                                               2) " + s.rowid, " NO_FORUM
                                                                                  " FROM statement_search s WHERE "
                                                                                  "statement_search MATCH "
                                                                                  "?2" STATEMENT_FILTERS " UNION ALL "
                                                                                  "SELECT 3, p.id, 0, p.thread_id, "
                                                                                  "p.id, t.title, '', '', 0, '', 0,"
                                                                                  " CAST(bm25(forum_posts_search) * "
                                                                                  "1000000 AS INTEGER), " SOURCE(
                                                                                      3) " + p.id, " FORUM_FACTS
                                                                                         ", f.kind, p.hidden, "
                                                                                         "p.author_id = ?1"
                                                                                         " FROM forum_posts_search "
                                                                                         "s" POST_FROM
                                                                                         " WHERE forum_posts_search "
                                                                                         "MATCH ?2" POST_FILTERS
                                                                                             PAGE_AFTER;

#define TSQUERY "to_tsquery('english', ?2)"
static const char SQL_SEARCH_POSTGRES[] =
    "SELECT source, id, partner, thread, row, title, ckind, framework, area, skind, number, rank_key, sid,"
    " f_in, f_fac, f_coach, f_lead, fkind, hidden, own FROM ("
    "SELECT 0 AS source, i.id AS id, 0 AS partner, 0 AS thread, i.id AS row, v.title AS title, i.kind AS ckind,"
    " '' AS framework, 0 AS area, '' AS skind, 0 AS number,"
    " -CAST(ts_rank(v.search || i.search, " TSQUERY ") * 1000000 AS BIGINT) AS rank_key, i.id AS sid,"
    " " STUDIED(
        "i.id") " AS f_in, false AS f_fac, false AS f_coach, false AS f_lead, '' AS fkind, false AS hidden, false AS "
                "own"
                " FROM content_items i JOIN content_versions v ON v.item_id = i.id AND v.version = i.version"
                " WHERE (v.search @@ " TSQUERY " OR i.search @@ " TSQUERY ")" CONTENT_FILTERS(
                    "i.id") " UNION ALL "
                            "SELECT 1, s.item_id, s.partner_id, 0, 0, s.title, i.kind, '', 0, '', 0,"
                            " -CAST(ts_rank(s.search, " TSQUERY ") * 1000000 AS BIGINT), " SOURCE(
                                1) " + s.item_id * 100000 + s.partner_id,"
                                   " " STUDIED(
                                       "s.item_id") ", false, false, false, '', false, false"
                                                    " FROM content_variants s JOIN content_items i ON i.id = s.item_id"
                                                    " WHERE s.search @@ " TSQUERY CONTENT_FILTERS(
                                                        "s.item_id") " UNION ALL "
                                                                     "SELECT 2, 0, 0, 0, 0, s.text, '', s.framework, "
                                                                     "s.area, s.kind, s.number,"
                                                                     " -CAST(ts_rank(s.search, " TSQUERY
                                                                     ") * 1000000 AS BIGINT), " SOURCE(
                                                                         2) " + row_number() OVER (ORDER "
                                                                            "BY s.framework, s.area, "
                                                                            "s.kind, s.number),"
                                                                            " false, false, false, false, '', false, "
                                                                            "false"
                                                                            " FROM framework_statements s "
                                                                            "WHERE s.search @@ " TSQUERY
                                                                                STATEMENT_FILTERS " UNION ALL "
                                                                            "SELECT 3, p.id, 0, p.thread_id, p.id, "
                                                                            "t.title, '', '', 0, '', 0,"
                                                                            " -CAST(ts_rank(p.search, " TSQUERY
                                                                            ") * 1000000 AS BIGINT), " SOURCE(
                                                                                3) " + p.id, " FORUM_FACTS
                                                                                   ", f.kind, p.hidden <> 0, "
                                                                                   "p.author_id = "
                                                                                   "?1 FROM forum_posts p JOIN "
                                                                                   "forum_threads t ON t.id = "
                                                                                   "p.thread_id"
                                                                                   " JOIN forums f ON f.id = "
                                                                                   "t.forum_id" FORUM_JOINS
                                                                                   " WHERE p.search @@ " TSQUERY
                                                                                       POST_FILTERS PAGE_AFTER;

/* Porter alone keeps "leading" (lead), "leaders" (leader) and "leadership" apart, and so does
 * PostgreSQL's 'english'. Each word of a query is cut back to a root, by the endings that make
 * leaders and leadership of a verb, and asked for as a prefix ("lead"* in FTS5, lead:* in a
 * tsquery), which matches every stemmed form that starts with it; the whole word is asked for
 * too, because the stemmer may cut a root apart from the word's own stem ("evaluat" is no prefix
 * of "evalu", the stem of "evaluating"). A prefix walks one run of the sorted term index (FTS5's,
 * or GIN's), so it needs no second index; a trigram index would also find these but roughly
 * doubles the index and matches inside words ("ead"). Its cost at the scale is not yet
 * measured (no search case in bench/ yet). Only letters and digits reach the query, so neither
 * engine's query syntax can be written by the person searching. */
static const char *prefix_words(const char *query, bool postgres, struct arena *arena)
{
    static const char *const endings[] = {"erships", "ership", "ships", "ship", "ers", "er", "ing", "ed", "s"};
    enum { ROOT_MIN = 4 };
    const char *and = postgres ? " & " : " AND ", * or = postgres ? " | " : "\" OR \"";
    const char *quote = postgres ? "" : "\"", *prefix = postgres ? ":*" : "\"*";
    size_t len = strlen(query);
    char *out = arena_alloc(arena, len * 2 + 16 * (len + 1) / 2 + 1), *o = out;
    const unsigned char *p = (const unsigned char *)query;
    while (*p) {
        while (*p && !(isalnum(*p) || *p >= 0x80))
            p++;
        if (!*p)
            break;
        const unsigned char *start = p;
        while (*p && (isalnum(*p) || *p >= 0x80))
            p++;
        size_t whole = (size_t)(p - start), n = whole;
        for (size_t e = 0; e < sizeof(endings) / sizeof(endings[0]); e++) {
            size_t el = strlen(endings[e]);
            if (n >= el + ROOT_MIN && strncasecmp((const char *)p - el, endings[e], el) == 0) {
                n -= el;
                break;
            }
        }
        if (o != out)
            o = stpcpy(o, and);
        o = stpcpy(stpcpy(o, "("), quote);
        memcpy(o, start, whole);
        o = stpcpy(o + whole, or);
        memcpy(o, start, n);
        o = stpcpy(stpcpy(o + n, prefix), ")");
    }
    *o = '\0';
    return out;
}

static void read_hit(struct db_stmt *stmt, struct arena *arena, struct search_hit *h)
{
    memset(h, 0, sizeof(*h));
    int64_t source = db_column_int64(stmt, 0);
    h->source = source == 1   ? SEARCH_VARIANT
                : source == 2 ? SEARCH_STATEMENT
                : source == 3 ? SEARCH_POST
                              : SEARCH_CONTENT;
    h->id = db_column_int64(stmt, 1);
    h->partner_id = db_column_int64(stmt, 2);
    h->thread_id = db_column_int64(stmt, 3);
    h->row = db_column_int64(stmt, 4);
    h->title = store_text_or_empty(arena, stmt, 5);
    h->content_kind = store_text_or_empty(arena, stmt, 6);
    h->framework = store_text_or_empty(arena, stmt, 7);
    h->area = (int)db_column_int64(stmt, 8);
    h->statement_kind = store_text_or_empty(arena, stmt, 9);
    h->number = (int)db_column_int64(stmt, 10);
    enum forum_kind kind = FORUM_KIND_NONE;
    if (h->source == SEARCH_POST)
        forum_kind_parse(db_column_text(stmt, 17), &kind);
    store_forum_facts_read(stmt, 13, kind, &h->relation);
    h->relation.post_hidden = db_column_int64(stmt, 18) != 0;
    h->relation.is_self = db_column_int64(stmt, 19) != 0;
}

static bool is_postgres(struct store *store)
{
    return strcmp(db_dialect(store->db), "postgres") == 0;
}

enum store_status store_search(struct store *store, const struct caller *caller, const struct search_filter *filter,
                               struct store_page *page, struct arena *arena, struct search_hit **out, size_t *count)
{
    *count = 0;
    *out = arena_alloc(arena, sizeof(**out) * (store_page_limit(page) + 1));
    page->next = NULL;
    bool postgres = is_postgres(store);
    const char *words = prefix_words(filter->query ? filter->query : "", postgres, arena);
    if (words == NULL || *words == '\0')
        return STORE_OK;
    struct db_stmt *stmt = db_prepare(store->db, postgres ? SQL_SEARCH_POSTGRES : SQL_SEARCH_SQLITE);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_int64(stmt, 1, caller ? caller->user_id : 0);
    db_bind_text(stmt, 2, words);
    db_bind_text(stmt, 3, filter->module ? filter->module : "");
    db_bind_text(stmt, 4, filter->area ? filter->area : "");
    db_bind_text(stmt, 5, filter->kind ? filter->kind : "");
    store_page_bind(stmt, 6, CURSOR_NUMBER, STORE_ASCENDING, page);
    enum db_result r;
    while ((r = db_step(stmt)) == DB_ROW && store_page_row(page, stmt, *count, CURSOR_NUMBER, 11, 12, arena)) {
        read_hit(stmt, arena, &(*out)[*count]);
        (*out)[(*count)++].position = page->last;
    }
    return r == DB_DONE || r == DB_ROW ? STORE_OK : STORE_ERROR;
}

#define MARKS "char(1), char(2), '...', 24"
static const char *const SQL_SNIPPET_SQLITE[] = {
    [SEARCH_CONTENT] = "SELECT snippet(content_search, -1, " MARKS ") FROM content_search"
                       " WHERE content_search MATCH ?1 AND rowid = ?2",
    [SEARCH_VARIANT] = "SELECT snippet(content_variant_search, -1, " MARKS ") FROM content_variant_search"
                       " WHERE content_variant_search MATCH ?1 AND rowid = ?2",
    [SEARCH_STATEMENT] = "SELECT snippet(statement_search, 1, " MARKS ") FROM statement_search"
                         " WHERE statement_search MATCH ?1 AND rowid = ?2",
    [SEARCH_POST] = "SELECT snippet(forum_posts_search, 0, " MARKS ") FROM forum_posts_search"
                    " WHERE forum_posts_search MATCH ?1 AND rowid = ?2",
};
#define HEADLINE(text)                                                                                                 \
    "SELECT ts_headline('english', " text ", to_tsquery('english', ?1), 'StartSel=' || chr(1) || ', StopSel=' "        \
    "|| chr(2) || ', MaxWords=35, MinWords=15, ShortWord=2')"
static const char *const SQL_SNIPPET_POSTGRES[] = {
    [SEARCH_CONTENT] = HEADLINE("v.body") " FROM content_items i JOIN content_versions v ON v.item_id = i.id"
                                          " AND v.version = i.version WHERE i.id = ?2 AND ?3 = ?3",
    [SEARCH_VARIANT] = HEADLINE("body") " FROM content_variants WHERE item_id = ?2 AND partner_id = ?3",
    [SEARCH_STATEMENT] = HEADLINE("text") " FROM framework_statements WHERE framework = ?4 AND area = ?2"
                                          " AND kind = ?5 AND number = ?3",
    [SEARCH_POST] = HEADLINE("body") " FROM forum_posts WHERE id = ?2 AND ?3 = ?3",
};

enum store_status store_search_snippet(struct store *store, const char *query, const struct search_hit *hit,
                                       struct arena *arena, const char **out)
{
    *out = "";
    bool postgres = is_postgres(store);
    const char *words = prefix_words(query ? query : "", postgres, arena);
    if (words == NULL || *words == '\0')
        return STORE_OK;
    struct db_stmt *stmt =
        db_prepare(store->db, postgres ? SQL_SNIPPET_POSTGRES[hit->source] : SQL_SNIPPET_SQLITE[hit->source]);
    if (stmt == NULL)
        return STORE_ERROR;
    db_bind_text(stmt, 1, words);
    if (!postgres)
        db_bind_int64(stmt, 2, hit->row);
    else if (hit->source == SEARCH_STATEMENT) {
        db_bind_int64(stmt, 2, hit->area);
        db_bind_int64(stmt, 3, hit->number);
        db_bind_text(stmt, 4, hit->framework);
        db_bind_text(stmt, 5, hit->statement_kind);
    } else {
        db_bind_int64(stmt, 2, hit->id);
        db_bind_int64(stmt, 3, hit->partner_id);
    }
    enum db_result r = db_step(stmt);
    if (r == DB_ROW) {
        *out = store_text_or_empty(arena, stmt, 0);
        db_reset(stmt);
        return STORE_OK;
    }
    return r == DB_DONE ? STORE_OK : STORE_ERROR;
}
