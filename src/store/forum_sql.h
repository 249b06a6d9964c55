/*
 * The SQL that says what a person is to a forum (FORUM_FACTS) and reads its posts, shared by the
 * forum's own queries (store_forum.c) and by search (store_search.c), so both weigh membership
 * from the same facts. Internal to the store.
 */
#ifndef NPQ_STORE_FORUM_SQL_H
#define NPQ_STORE_FORUM_SQL_H

#include "domain/forum.h"

#define LIVE_ENROLMENT(e) e ".state IN ('active', 'deferred', 'completed')"
/* An enrolment or cohort (alias k) studies f's module: the module itself, or a qualification with it. */
#define STUDIES_MODULE(k)                                                                                              \
    "((" k ".kind = 'module' AND " k ".target = f.module) OR (" k ".kind = 'qualification' AND EXISTS"                 \
    " (SELECT 1 FROM qualification_modules qm WHERE qm.qualification = " k ".target AND qm.module = f.module)))"

/* Columns: in the cohort (or studying the module), facilitating, coaching, leading the partner. */
#define FORUM_FACTS                                                                                                    \
    "((f.kind = 'cohort' AND EXISTS (SELECT 1 FROM enrolments e WHERE e.cohort_id = f.cohort_id"                       \
    "   AND e.participant_id = ?1 AND " LIVE_ENROLMENT(                                                                \
        "e") "))"                                                                                                      \
             " OR (f.kind = 'module' AND EXISTS (SELECT 1 FROM enrolments e WHERE e.participant_id = ?1"               \
             "   AND " LIVE_ENROLMENT("e") " AND " STUDIES_MODULE(                                                     \
                 "e") "))),"                                                                                           \
                      " ((f.kind = 'cohort' AND EXISTS (SELECT 1 FROM cohort_staff s WHERE s.cohort_id = f.cohort_id"  \
                      "   AND s.user_id = ?1 AND s.role = 'facilitator'))"                                             \
                      " OR (f.kind = 'module' AND EXISTS (SELECT 1 FROM cohort_staff s JOIN cohorts k ON k.id = "      \
                      "s.cohort_id"                                                                                    \
                      "   WHERE s.user_id = ?1 AND s.role = 'facilitator' AND " STUDIES_MODULE(                        \
                          "k") "))),"                                                                                  \
                               " ((f.kind = 'cohort' AND (EXISTS (SELECT 1 FROM cohort_staff s WHERE s.cohort_id = "   \
                               "f.cohort_id"                                                                           \
                               "   AND s.user_id = ?1 AND s.role = 'coach') OR EXISTS (SELECT 1 FROM assignments a "   \
                               "JOIN enrolments e"                                                                     \
                               "   ON e.participant_id = a.participant_id WHERE a.kind = 'coach' AND a.staff_id = ?1"  \
                               "   AND e.cohort_id = f.cohort_id AND " LIVE_ENROLMENT(                                 \
                                   "e") ")))"                                                                          \
                                        " OR (f.kind = 'module' AND EXISTS (SELECT 1 FROM assignments a JOIN "         \
                                        "enrolments e"                                                                 \
                                        "   ON e.participant_id = a.participant_id WHERE a.kind = 'coach' AND "        \
                                        "a.staff_id = ?1"                                                              \
                                        "   AND " LIVE_ENROLMENT("e") " AND " STUDIES_MODULE(                          \
                                            "e") "))),"                                                                \
                                                 " (f.kind = 'cohort' AND c.delivery_partner_id IN"                    \
                                                 "   (SELECT organisation_id FROM user_roles WHERE user_id = ?1 AND "  \
                                                 "role = 'partner_lead'))"

#define FORUM_JOINS " LEFT JOIN cohorts c ON c.id = f.cohort_id LEFT JOIN modules m ON m.code = f.module"
/* A module's forum lives while the catalogue has the module. */
#define FORUM_LIVE " (f.kind <> 'module' OR m.code IS NOT NULL)"
#define FORUM_NAME "COALESCE(c.code, m.title, '')"

#define POST_COLUMNS                                                                                                   \
    "p.id, p.thread_id, t.forum_id, t.title, p.author_id, u.name, p.body, p.hidden, p.created_at,"                     \
    " COALESCE(p.edited_at, 0), p.id = (SELECT min(o.id) FROM forum_posts o WHERE o.thread_id = p.thread_id)"
#define POST_JOINS " JOIN forum_threads t ON t.id = p.thread_id JOIN users u ON u.id = p.author_id"

/* Reads the four columns of FORUM_FACTS from column on into r, which it clears first, for a forum
 * of kind. */
struct db_stmt;
struct relation;
void store_forum_facts_read(struct db_stmt *stmt, int column, enum forum_kind kind, struct relation *r);

/* The words of query as an FTS5 query: each run of letters and digits quoted, all of them
 * required, so nothing typed is read as FTS5's own syntax. "" when there are none. In arena. */
struct arena;
const char *store_fts5_words(const char *query, struct arena *arena);

#endif
