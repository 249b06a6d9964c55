/*
 * A person's home: what each of their roles has waiting for them next, gathered in one read for
 * the page at / and for GET /api/v1/me/home, so both show the same. A part per role the person
 * holds, in the order of enum role; each part is a few lists of items (an event, a task, a
 * person...) that say in words what the item is and what it waits for, with the address of the
 * page where it is done, and links to the role's own pages.
 */
#ifndef NPQ_APP_HOME_H
#define NPQ_APP_HOME_H

#include "app/accounts.h"
#include "domain/catalogue.h"

enum {
    HOME_LISTS_MAX = 6,
    HOME_LINKS_MAX = 6,
    HOME_LIST_LIMIT = 20, /* items in a list at most; the role's own pages have the rest */
};

/* One thing on the home page. Strings in the arena given to home_read. */
struct home_item {
    int64_t id;         /* the record's id (an event, a submission, a person...) */
    const char *title;  /* what it is: an event's title, a person's name */
    const char *detail; /* what it waits for, in words: "You have a place", "3 of 20 booked" */
    const char *note;   /* a second line, or NULL: a participant's work as states, never content */
    int64_t at;         /* when it happens (UTC seconds), or 0 */
    int64_t due;        /* its deadline (UTC seconds), or 0 */
    const char *date;   /* a day it is due (YYYY-MM-DD), or NULL */
    const char *href;   /* the page where it is seen or done */
    const char *action; /* the link's words when the page is where something is done ("Take the register"),
                           or NULL */
    const char *action_href;
};

struct home_list {
    const char *key;     /* for the API and tests: "events", "marking" ... */
    const char *heading; /* "Your next events" */
    const char *empty;   /* what to say when there is nothing */
    struct home_item *items;
    size_t count;
};

struct home_link {
    const char *text;
    const char *href;
};

struct home_part {
    enum role role;
    const char *heading; /* "Your studies", "Your marking" */
    struct home_list lists[HOME_LISTS_MAX];
    size_t list_count;
    struct home_link links[HOME_LINKS_MAX];
    size_t link_count;
};

struct home {
    struct home_part parts[ROLE_COUNT];
    size_t part_count;
};

/*
 * The home of caller at env->now, one part per role they hold. Reads only. APP_UNAVAILABLE when
 * the database fails. Everything in arena.
 */
enum app_result home_read(const struct accounts_env *env, const struct catalogue *catalogue,
                          const struct caller *caller, struct arena *arena, struct home *out);

#endif
