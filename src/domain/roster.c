/*
 * Checking the bulk-import files. Each file is read in three steps: the CSV reader turns text into
 * rows; the header row is matched to the known columns; then every data row is checked in file
 * order, so the errors read top to bottom like the spreadsheet. Rules that span rows (a URN twice,
 * one email with two names) are worked out before that walk and reported on the later row.
 *
 * A cell gets at most one error, the first rule it breaks: "must be on one line" and "enter an
 * email address" about the same cell would only repeat each other.
 */
#include "domain/roster.h"

#include "lib/csv_reader.h"
#include "lib/die.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { MAX_COLUMNS = 8 };

struct column {
    const char *name;
    bool required;
};

enum { S_NAME, S_URN, S_LOCAL_AUTHORITY, S_REGION, S_PHASE, S_TRUST, S_COUNT };
static const struct column school_columns[S_COUNT] = {
    [S_NAME] = {"name", true},      [S_URN] = {"urn", true},      [S_LOCAL_AUTHORITY] = {"local_authority", false},
    [S_REGION] = {"region", false}, [S_PHASE] = {"phase", false}, [S_TRUST] = {"trust", false},
};

enum { U_EMAIL, U_NAME, U_ROLE, U_SCHOOL_URN, U_PARTNER, U_COUNT };
static const struct column user_columns[U_COUNT] = {
    [U_EMAIL] = {"email", true},      [U_NAME] = {"name", true},
    [U_ROLE] = {"role", true},        [U_SCHOOL_URN] = {"school_urn", false},
    [U_PARTNER] = {"partner", false},
};

/* A file being checked: its rows, which file column holds each known column, and the verdict. */
struct sheet {
    struct csv_table *table;
    const struct column *columns;
    size_t column_count;
    int at[MAX_COLUMNS]; /* index of the file column holding each known column, or -1 */
    const struct csv_row *header;
    struct errors *errors;
    bool failed;
};

/* One data row's values by known column ("" when absent), and which cells have an error. */
struct cells {
    const struct csv_row *row;
    const char *value[MAX_COLUMNS];
    bool reported[MAX_COLUMNS];
};

static void *xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size);
    if (p == NULL)
        die("out of memory");
    return p;
}

__attribute__((format(printf, 3, 0))) static void vreport(struct sheet *s, const char *where, const char *fmt,
                                                          va_list ap)
{
    char message[512];
    vsnprintf(message, sizeof(message), fmt, ap);
    errors_add(s->errors, where, "%s", message);
    s->failed = true;
}

__attribute__((format(printf, 3, 4))) static void report(struct sheet *s, const char *where, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(s, where, fmt, ap);
    va_end(ap);
}

/* An error about a whole row, at "row N". */
__attribute__((format(printf, 3, 4))) static void report_row(struct sheet *s, size_t row, const char *fmt, ...)
{
    char where[64];
    snprintf(where, sizeof(where), "row %zu", row);
    va_list ap;
    va_start(ap, fmt);
    vreport(s, where, fmt, ap);
    va_end(ap);
}

/* An error in the header row about a column, named as the file names it or as we do. */
__attribute__((format(printf, 3, 4))) static void report_heading(struct sheet *s, const char *column, const char *fmt,
                                                                 ...)
{
    char where[160];
    snprintf(where, sizeof(where), "row %zu, column %s", s->header->number, column);
    va_list ap;
    va_start(ap, fmt);
    vreport(s, where, fmt, ap);
    va_end(ap);
}

/* An error in one cell, at "row N, column C"; ignored when the cell already has one. */
__attribute__((format(printf, 4, 5))) static void report_cell(struct sheet *s, struct cells *c, int column,
                                                              const char *fmt, ...)
{
    if (c->reported[column])
        return;
    c->reported[column] = true;
    char where[64];
    snprintf(where, sizeof(where), "row %zu, column %s", c->row->number, s->columns[column].name);
    va_list ap;
    va_start(ap, fmt);
    vreport(s, where, fmt, ap);
    va_end(ap);
}

/* Appends item to a list being written into out, separating items with ", ". */
static void list_add(char *out, size_t size, const char *item)
{
    size_t len = strlen(out);
    if (len < size)
        snprintf(out + len, size - len, "%s%s", len ? ", " : "", item);
}

static void list_of(char *out, size_t size, const char *const *items, size_t count)
{
    out[0] = '\0';
    for (size_t i = 0; i < count; i++)
        list_add(out, size, items[i]);
}

static void column_list(const struct sheet *s, bool required_only, char *out, size_t size)
{
    out[0] = '\0';
    for (size_t c = 0; c < s->column_count; c++)
        if (s->columns[c].required || !required_only)
            list_add(out, size, s->columns[c].name);
}

/* The spreadsheet letter of a column counted from 0: A, B, ... Z, AA, AB ... */
static void column_letter(size_t index, char out[16])
{
    char reversed[16];
    size_t n = 0;
    for (size_t i = index + 1; i > 0 && n < sizeof(reversed); i = (i - 1) / 26)
        reversed[n++] = (char)('A' + (i - 1) % 26);
    for (size_t k = 0; k < n; k++)
        out[k] = reversed[n - 1 - k];
    out[n] = '\0';
}

/* Headings match column names ignoring case, with a space standing for an underscore. */
static bool heading_is(const char *heading, const char *name)
{
    for (; *heading && *name; heading++, name++) {
        char h = *heading >= 'A' && *heading <= 'Z' ? (char)(*heading - 'A' + 'a') : *heading;
        if (h != *name && !(h == ' ' && *name == '_'))
            return false;
    }
    return *heading == '\0' && *name == '\0';
}

/* Reads the file and its header; true when the data rows are worth checking. */
static bool sheet_open(struct sheet *s, const char *csv, size_t len, const char *row_noun)
{
    char columns[200];
    column_list(s, false, columns, sizeof(columns));

    struct csv_failure failure;
    s->table = csv_read(csv, len, ROSTER_MAX_ROWS + 1, &failure);
    if (s->table == NULL) {
        if (failure.kind == CSV_FAILURE_TOO_MANY_ROWS)
            report(s, "file", "The file has more than %d rows: split it into files of at most %d rows each",
                   ROSTER_MAX_ROWS, ROSTER_MAX_ROWS);
        else
            report(s, "file", "%s", failure.message);
        return false;
    }
    if (s->table->row_count == 0) {
        report(s, "file", "The file is empty: its first row must name the columns, from: %s", columns);
        return false;
    }

    s->header = &s->table->rows[0];
    for (size_t c = 0; c < s->column_count; c++)
        s->at[c] = -1;
    for (size_t j = 0; j < s->header->width; j++) {
        const char *heading = s->header->fields[j];
        if (*heading == '\0')
            continue; /* a column without a heading is fine as long as it stays empty */
        size_t c = 0;
        while (c < s->column_count && !heading_is(heading, s->columns[c].name))
            c++;
        if (c == s->column_count) {
            report_heading(s, heading, "There is no column called \"%s\": the columns are %s", heading, columns);
        } else if (s->at[c] != -1) {
            char first[16], again[16];
            column_letter((size_t)s->at[c], first);
            column_letter(j, again);
            report_heading(s, s->columns[c].name, "The %s column appears twice, in columns %s and %s",
                           s->columns[c].name, first, again);
        } else {
            s->at[c] = (int)j;
        }
    }
    char required[120];
    column_list(s, true, required, sizeof(required));
    for (size_t c = 0; c < s->column_count; c++)
        if (s->columns[c].required && s->at[c] == -1)
            report_heading(s, s->columns[c].name, "Add a column headed %s: every file needs the columns %s",
                           s->columns[c].name, required);
    if (s->table->row_count == 1)
        report(s, "file", "The file has no rows: under the header, add one row for each %s", row_noun);
    return !s->failed;
}

static bool has_control_characters(const char *value)
{
    for (const unsigned char *p = (const unsigned char *)value; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return true;
    return false;
}

/* Picks out a row's values and reports what is wrong with the row's shape. */
static void sheet_cells(struct sheet *s, const struct csv_row *row, struct cells *c)
{
    *c = (struct cells){.row = row};
    for (size_t k = 0; k < MAX_COLUMNS; k++)
        c->value[k] = "";
    for (size_t j = 0; j < row->width; j++) {
        bool headed = j < s->header->width && s->header->fields[j][0] != '\0';
        if (!headed && row->fields[j][0] != '\0') {
            char letter[16];
            column_letter(j, letter);
            report_row(s, row->number,
                       "This row has a value in column %s, which has no heading in row %zu: add a heading or remove "
                       "the value",
                       letter, s->header->number);
            break;
        }
    }
    for (size_t k = 0; k < s->column_count; k++) {
        int j = s->at[k];
        if (j >= 0 && (size_t)j < row->width)
            c->value[k] = row->fields[j];
        /* Line breaks and tabs inside a value are invisible in most places the value is shown. */
        if (has_control_characters(c->value[k]))
            report_cell(s, c, (int)k, "Must be on one line, without line breaks or tabs");
    }
}

/* Where account.h's validators name a field, and the column that field came from. */
struct place {
    const char *field;
    int column;
};

/* Reports the errors a validator from account.h found, each in the cell its field came from.
 * Errors about fields not listed are dropped: they concern placeholders, not the file. */
static void take_errors(struct sheet *s, struct cells *c, struct errors *found, const struct place *places,
                        size_t count)
{
    for (size_t i = 0; i < found->count; i++)
        for (size_t p = 0; p < count; p++)
            if (strcmp(found->items[i].where, places[p].field) == 0)
                report_cell(s, c, places[p].column, "%s", found->items[i].message);
    errors_free(found);
}

/* Checks a URN the way account.h checks a school's, reporting in column. */
static void check_urn(struct sheet *s, struct cells *c, int column)
{
    struct errors found = ERRORS_INIT;
    struct organisation school = {.kind = ORG_SCHOOL, .name = "school", .urn = c->value[column]};
    account_organisation_validate(&school, &found);
    take_errors(s, c, &found, &(struct place){"urn", column}, 1);
}

/* Checks the name of an organisation of the given kind (a trust, a delivery partner). */
static void check_organisation_name(struct sheet *s, struct cells *c, int column, enum organisation_kind kind)
{
    struct errors found = ERRORS_INIT;
    struct organisation o = {.kind = kind, .name = c->value[column]};
    account_organisation_validate(&o, &found);
    take_errors(s, c, &found, &(struct place){"name", column}, 1);
}

/* The canonical spelling of value among names (ignoring case), or NULL. */
static const char *canonical(const char *value, const char *const *names, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (strcasecmp(value, names[i]) == 0)
            return names[i];
    return NULL;
}

/* Rows sharing a key (a URN, an email) are found by sorting the rows by key, then by row. */
struct keyed {
    const char *key;
    size_t index;
};

static int compare_exact(const void *a, const void *b)
{
    const struct keyed *x = a, *y = b;
    int order = strcmp(x->key, y->key);
    return order ? order : (x->index > y->index) - (x->index < y->index);
}

static int compare_nocase(const void *a, const void *b)
{
    const struct keyed *x = a, *y = b;
    int order = strcasecmp(x->key, y->key);
    return order ? order : (x->index > y->index) - (x->index < y->index);
}

/* The value of a known column in data row i (rows[i + 1]), "" when absent. */
static const char *raw_value(const struct sheet *s, size_t i, int column)
{
    const struct csv_row *row = &s->table->rows[i + 1];
    int j = s->at[column];
    return j >= 0 && (size_t)j < row->width ? row->fields[j] : "";
}

/* Sorts the data rows with a non-empty value in column; returns how many there are. */
static size_t sort_by(const struct sheet *s, int column, struct keyed *out, int (*compare)(const void *, const void *))
{
    size_t n = 0;
    for (size_t i = 0; i + 1 < s->table->row_count; i++) {
        const char *key = raw_value(s, i, column);
        if (*key)
            out[n++] = (struct keyed){key, i};
    }
    qsort(out, n, sizeof(*out), compare);
    return n;
}

static struct roster *roster_take(struct sheet *s)
{
    /* The roster takes over the table's arena, where its strings already are. The table itself
     * lives in that arena too and is not used again. */
    struct arena arena = s->table->arena;
    struct roster *roster = arena_alloc(&arena, sizeof(*roster));
    roster->arena = arena;
    s->table = NULL;
    return roster;
}

struct roster *roster_parse_schools(const char *csv, size_t len, struct errors *errors)
{
    struct sheet s = {.columns = school_columns, .column_count = S_COUNT, .errors = errors};
    struct roster *roster = NULL;
    size_t *first_row = NULL;
    struct keyed *sorted = NULL;
    if (!sheet_open(&s, csv, len, "school"))
        goto out;

    size_t count = s.table->row_count - 1;
    /* first_row[i]: the row the URN of data row i first appeared on, when that is an earlier row. */
    first_row = xcalloc(count, sizeof(*first_row));
    sorted = xcalloc(count, sizeof(*sorted));
    size_t n = sort_by(&s, S_URN, sorted, compare_exact);
    for (size_t start = 0; start < n;) {
        size_t end = start + 1;
        for (; end < n && strcmp(sorted[end].key, sorted[start].key) == 0; end++)
            first_row[sorted[end].index] = s.table->rows[sorted[start].index + 1].number;
        start = end;
    }

    char regions[300], phases[300];
    list_of(regions, sizeof(regions), account_regions, account_region_count);
    list_of(phases, sizeof(phases), account_phases, account_phase_count);
    struct roster_school *schools = arena_alloc(&s.table->arena, count * sizeof(*schools));
    for (size_t i = 0; i < count; i++) {
        struct cells c;
        sheet_cells(&s, &s.table->rows[i + 1], &c);
        const char *const *v = c.value;

        const char *region = canonical(v[S_REGION], account_regions, account_region_count);
        if (*v[S_REGION] && region == NULL)
            report_cell(&s, &c, S_REGION, "Region must be one of: %s", regions);
        const char *phase = canonical(v[S_PHASE], account_phases, account_phase_count);
        if (*v[S_PHASE] && phase == NULL)
            report_cell(&s, &c, S_PHASE, "Phase must be one of: %s", phases);

        struct errors found = ERRORS_INIT;
        struct organisation school = {
            .kind = ORG_SCHOOL,
            .name = v[S_NAME],
            .urn = v[S_URN],
            .local_authority = v[S_LOCAL_AUTHORITY],
            .region = region,
            .phase = phase,
        };
        account_organisation_validate(&school, &found);
        static const struct place places[] = {
            {"name", S_NAME},     {"urn", S_URN},     {"local_authority", S_LOCAL_AUTHORITY},
            {"region", S_REGION}, {"phase", S_PHASE},
        };
        take_errors(&s, &c, &found, places, sizeof(places) / sizeof(places[0]));
        if (*v[S_TRUST])
            check_organisation_name(&s, &c, S_TRUST, ORG_TRUST);
        if (first_row[i])
            report_cell(&s, &c, S_URN, "This URN is already on row %zu", first_row[i]);

        schools[i] = (struct roster_school){
            .row = c.row->number,
            .name = v[S_NAME],
            .urn = v[S_URN],
            .local_authority = v[S_LOCAL_AUTHORITY],
            .region = region ? region : "",
            .phase = phase ? phase : "",
            .trust = v[S_TRUST],
        };
    }
    if (s.failed)
        goto out;
    roster = roster_take(&s);
    roster->schools = schools;
    roster->school_count = count;

out:
    free(first_row);
    free(sorted);
    csv_table_free(s.table);
    return roster;
}

/* Role names as written in a file: any case, a space for the underscore ("Partner lead"). */
static bool parse_role(const char *value, enum role *role)
{
    char name[32];
    size_t len = strlen(value);
    if (len >= sizeof(name))
        return false;
    for (size_t i = 0; i <= len; i++) {
        char ch = value[i];
        name[i] = ch == ' ' ? '_' : ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
    }
    return role_parse(name, role);
}

/* What a role's row must give, from the role's scope in account.h. */
static bool role_needs(enum role role, enum organisation_kind kind)
{
    enum organisation_kind scope;
    return role_scope_kind(role, &scope) && scope == kind;
}

/* Cross-row facts about data row i, worked out before the rows are walked. */
struct user_links {
    size_t name_row;  /* a row with the same email and a different name, or 0 */
    const char *name; /* the name on that row */
    size_t role_row;  /* an earlier row with the same email and role, or 0 */
};

static void link_users(const struct sheet *s, struct user_links *links, struct keyed *sorted)
{
    size_t n = sort_by(s, U_EMAIL, sorted, compare_nocase);
    for (size_t start = 0; start < n;) {
        size_t end = start + 1;
        while (end < n && strcasecmp(sorted[end].key, sorted[start].key) == 0)
            end++;
        /* The first row of the person with a name sets the name the others must repeat. */
        const char *name = NULL;
        size_t name_row = 0;
        size_t role_seen[ROLE_COUNT] = {0};
        for (size_t k = start; k < end; k++) {
            size_t i = sorted[k].index;
            size_t number = s->table->rows[i + 1].number;
            const char *this_name = raw_value(s, i, U_NAME);
            if (*this_name && name == NULL) {
                name = this_name;
                name_row = number;
            } else if (*this_name && strcmp(this_name, name) != 0) {
                links[i].name_row = name_row;
                links[i].name = name;
            }
            enum role role;
            if (parse_role(raw_value(s, i, U_ROLE), &role)) {
                if (role_seen[role])
                    links[i].role_row = role_seen[role];
                else
                    role_seen[role] = number;
            }
        }
        start = end;
    }
}

struct roster *roster_parse_users(const char *csv, size_t len, struct errors *errors)
{
    struct sheet s = {.columns = user_columns, .column_count = U_COUNT, .errors = errors};
    struct roster *roster = NULL;
    struct user_links *links = NULL;
    struct keyed *sorted = NULL;
    if (!sheet_open(&s, csv, len, "person and role"))
        goto out;

    size_t count = s.table->row_count - 1;
    links = xcalloc(count, sizeof(*links));
    sorted = xcalloc(count, sizeof(*sorted));
    link_users(&s, links, sorted);

    char roles[200] = "", partner_roles[100] = "";
    for (int r = 0; r < ROLE_COUNT; r++) {
        list_add(roles, sizeof(roles), role_name((enum role)r));
        if (role_needs((enum role)r, ORG_DELIVERY_PARTNER))
            list_add(partner_roles, sizeof(partner_roles), role_name((enum role)r));
    }

    struct roster_user *users = arena_alloc(&s.table->arena, count * sizeof(*users));
    for (size_t i = 0; i < count; i++) {
        struct cells c;
        sheet_cells(&s, &s.table->rows[i + 1], &c);
        const char *const *v = c.value;

        struct errors found = ERRORS_INIT;
        account_user_validate(v[U_EMAIL], v[U_NAME], &found);
        static const struct place places[] = {{"email", U_EMAIL}, {"name", U_NAME}};
        take_errors(&s, &c, &found, places, sizeof(places) / sizeof(places[0]));

        enum role role = ROLE_PARTICIPANT;
        bool role_known = parse_role(v[U_ROLE], &role);
        if (*v[U_ROLE] == '\0')
            report_cell(&s, &c, U_ROLE, "Enter the role: one of %s", roles);
        else if (!role_known)
            report_cell(&s, &c, U_ROLE, "Role must be one of: %s", roles);

        if (*v[U_SCHOOL_URN])
            check_urn(&s, &c, U_SCHOOL_URN);
        else if (role_known && role_needs(role, ORG_SCHOOL))
            report_cell(&s, &c, U_SCHOOL_URN, "Enter the URN of the %s's school: a %s row needs one", role_name(role),
                        role_name(role));

        if (role_known && role_needs(role, ORG_DELIVERY_PARTNER)) {
            if (*v[U_PARTNER])
                check_organisation_name(&s, &c, U_PARTNER, ORG_DELIVERY_PARTNER);
            else
                report_cell(&s, &c, U_PARTNER, "Enter the name of the delivery partner this %s works for",
                            role_name(role));
        } else if (role_known && *v[U_PARTNER]) {
            report_cell(&s, &c, U_PARTNER, "Leave partner empty for a %s: only these roles have one: %s",
                        role_name(role), partner_roles);
        }

        /* Rows whose email is wrong are not known to be the same person. */
        if (links[i].name_row && !c.reported[U_EMAIL])
            report_cell(&s, &c, U_NAME,
                        "This email address is on row %zu with the name \"%s\": give a person the same name on "
                        "every row",
                        links[i].name_row, links[i].name);
        if (links[i].role_row && !c.reported[U_EMAIL])
            report_cell(&s, &c, U_ROLE, "This email address already has the role %s on row %zu", role_name(role),
                        links[i].role_row);

        users[i] = (struct roster_user){
            .row = c.row->number,
            .email = v[U_EMAIL],
            .name = v[U_NAME],
            .role = role,
            .school_urn = v[U_SCHOOL_URN],
            .partner = v[U_PARTNER],
        };
    }
    if (s.failed)
        goto out;
    roster = roster_take(&s);
    roster->users = users;
    roster->user_count = count;

out:
    free(links);
    free(sorted);
    csv_table_free(s.table);
    return roster;
}

void roster_free(struct roster *roster)
{
    if (roster == NULL)
        return;
    struct arena arena = roster->arena;
    arena_release(&arena);
}
