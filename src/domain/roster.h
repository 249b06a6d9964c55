/*
 * The two bulk-import files, schools and users, read and checked before anything is stored.
 *
 * A provider administrator prepares these in a spreadsheet, so every problem is reported the way
 * the spreadsheet shows it: "row 7, column urn", the header being row 1, with every problem in the
 * file at once. The rules a single field obeys come from account.h; this module adds the rules
 * that span a file (a URN twice, one person with two names). Whether a URN, a delivery partner or
 * an account already exists needs the database, so the store checks that when it imports.
 */
#ifndef NPQ_DOMAIN_ROSTER_H
#define NPQ_DOMAIN_ROSTER_H

#include "domain/account.h"
#include "lib/arena.h"
#include "lib/errors.h"

#include <stddef.h>

/* Data rows a file may have, not counting the header. */
enum { ROSTER_MAX_ROWS = 10000 };

/* Strings are never NULL: "" when the file leaves a value out. */
struct roster_school {
    size_t row; /* the spreadsheet row it came from, for the store's own errors */
    const char *name;
    const char *urn; /* 6 digits */
    const char *local_authority;
    const char *region; /* "" or one of account_regions, spelt as there */
    const char *phase;  /* "" or one of account_phases, spelt as there */
    const char *trust;  /* the name of the school's trust, or "" */
};

struct roster_user {
    size_t row;
    const char *email; /* as written; the same person may be on several rows, one per role */
    const char *name;
    enum role role;
    const char *school_urn; /* 6 digits or "": required for headteachers, allowed for any role */
    const char *partner;    /* a delivery partner's name, for partner leads and facilitators; else "" */
};

struct roster {
    struct arena arena; /* owns the roster and every string in it */
    struct roster_school *schools;
    size_t school_count;
    struct roster_user *users;
    size_t user_count;
};

/*
 * Parses a schools file: CSV whose first row names the columns, in any order and any case:
 * name and urn (required), local_authority, region, phase and trust (optional). Returns the
 * schools in file order, or NULL after adding every problem found to errors (at places "file",
 * "row N" or "row N, column C"). The caller frees the result with roster_free.
 */
struct roster *roster_parse_schools(const char *csv, size_t len, struct errors *errors);

/*
 * Parses a users file: columns email, name and role (required), school_urn and partner
 * (optional). Returns one record per row in file order, or NULL after adding every problem to
 * errors, as roster_parse_schools does.
 */
struct roster *roster_parse_users(const char *csv, size_t len, struct errors *errors);

/* Frees a roster and all it holds; NULL is allowed. */
void roster_free(struct roster *roster);

#endif
