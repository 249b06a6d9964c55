/*
 * The bulk-import files: good files give the expected records; every rule reports its problem at
 * the row and column a spreadsheet shows; and the CSV underneath (quotes, line breaks in values,
 * a byte order mark, CRLF, blank rows, malformed text, the row limit) is read as a person expects.
 */
#include "../test_support.h"

#include "domain/roster.h"
#include "lib/csv_reader.h"

#include <stdio.h>
#include <stdlib.h>

typedef struct roster *(*parse_fn)(const char *, size_t, struct errors *);

static void print_errors(const struct errors *errors)
{
    for (size_t i = 0; i < errors->count; i++)
        fprintf(stderr, "  %s: %s\n", errors->items[i].where, errors->items[i].message);
}

static struct roster *parse_ok(parse_fn parse, const char *text)
{
    struct errors errors = ERRORS_INIT;
    struct roster *roster = parse(text, strlen(text), &errors);
    print_errors(&errors);
    assert_int_equal(errors.count, 0);
    assert_non_null(roster);
    errors_free(&errors);
    return roster;
}

/* How many errors are at where; and whether one of them mentions what. */
static size_t errors_at(const struct errors *errors, const char *where, const char *what, bool *mentioned)
{
    size_t n = 0;
    *mentioned = false;
    for (size_t i = 0; i < errors->count; i++)
        if (strcmp(errors->items[i].where, where) == 0) {
            n++;
            if (strstr(errors->items[i].message, what) != NULL)
                *mentioned = true;
        }
    return n;
}

/* Parses text expecting failure with exactly one error at where, mentioning what. */
static void expect_error(parse_fn parse, const char *text, const char *where, const char *what)
{
    struct errors errors = ERRORS_INIT;
    struct roster *roster = parse(text, strlen(text), &errors);
    bool mentioned;
    size_t n = errors_at(&errors, where, what, &mentioned);
    if (roster != NULL || n != 1 || !mentioned) {
        fprintf(stderr, "expected one error at \"%s\" mentioning \"%s\"; got:\n", where, what);
        print_errors(&errors);
    }
    assert_null(roster);
    assert_int_equal(n, 1);
    assert_true(mentioned);
    errors_free(&errors);
}

/* Parses text expecting no error at where (other rows may have errors). */
static void expect_no_error_at(parse_fn parse, const char *text, const char *where)
{
    struct errors errors = ERRORS_INIT;
    struct roster *roster = parse(text, strlen(text), &errors);
    bool mentioned;
    if (errors_at(&errors, where, "", &mentioned) != 0)
        print_errors(&errors);
    assert_int_equal(errors_at(&errors, where, "", &mentioned), 0);
    roster_free(roster);
    errors_free(&errors);
}

/* ---- schools ---- */

static void a_good_schools_file_gives_its_schools(void **state)
{
    (void)state;
    /* Columns in another order and case; a name with a comma; a blank row and a row of bare commas
     * (as spreadsheets write) that still count in the numbering; region and phase in lower case. */
    const char *text = "URN, Name ,Region,phase,Local Authority,TRUST\n"
                       "100000,\"St Mary's, Anytown\",north west,primary,Lancashire,Bright Futures Trust\n"
                       "\n"
                       ",,,,,\n"
                       "123456,Hill School,,,,\n"
                       "654321,  Vale Academy  ,London,ALL-THROUGH,Camden,\"\"\n"
                       "\n\n";
    struct roster *r = parse_ok(roster_parse_schools, text);
    assert_int_equal(r->school_count, 3);
    assert_int_equal(r->user_count, 0);

    const struct roster_school *s = &r->schools[0];
    assert_int_equal(s->row, 2);
    assert_string_equal(s->urn, "100000");
    assert_string_equal(s->name, "St Mary's, Anytown");
    assert_string_equal(s->region, "North West");
    assert_string_equal(s->phase, "Primary");
    assert_string_equal(s->local_authority, "Lancashire");
    assert_string_equal(s->trust, "Bright Futures Trust");

    s = &r->schools[1];
    assert_int_equal(s->row, 5);
    assert_string_equal(s->name, "Hill School");
    assert_string_equal(s->region, "");
    assert_string_equal(s->phase, "");
    assert_string_equal(s->local_authority, "");
    assert_string_equal(s->trust, "");

    s = &r->schools[2];
    assert_int_equal(s->row, 6);
    assert_string_equal(s->name, "Vale Academy");
    assert_string_equal(s->region, "London");
    assert_string_equal(s->phase, "All-through");
    assert_string_equal(s->trust, "");
    roster_free(r);
}

static void optional_school_columns_may_be_left_out(void **state)
{
    (void)state;
    struct roster *r = parse_ok(roster_parse_schools, "name,urn\nHill School,123456");
    assert_int_equal(r->school_count, 1);
    assert_string_equal(r->schools[0].urn, "123456");
    assert_string_equal(r->schools[0].region, "");
    assert_string_equal(r->schools[0].trust, "");
    roster_free(r);
}

static void the_header_must_name_the_columns(void **state)
{
    (void)state;
    expect_error(roster_parse_schools, "name,region\nHill,London\n", "row 1, column urn", "Add a column headed urn");
    expect_error(roster_parse_schools, "name,urn,colour\nHill,123456,red\n", "row 1, column colour",
                 "no column called \"colour\"");
    expect_error(roster_parse_schools, "name,urns\nHill,123456\n", "row 1, column urns", "no column called");
    expect_error(roster_parse_schools, "name,urn,Name\nHill,123456,Hill\n", "row 1, column name",
                 "appears twice, in columns A and C");
    expect_error(roster_parse_users, "email,name\na@b.org,Ann\n", "row 1, column role", "Add a column headed role");
    expect_error(roster_parse_users, "email,name,role,school\na@b.org,Ann,coach,x\n", "row 1, column school",
                 "the columns are email, name, role, school_urn, partner");
}

static void a_file_needs_rows(void **state)
{
    (void)state;
    expect_error(roster_parse_schools, "name,urn,region\n", "file", "The file has no rows");
    expect_error(roster_parse_schools, "name,urn\r\n\r\n,\r\n", "file", "The file has no rows");
    expect_error(roster_parse_users, "email,name,role", "file", "The file has no rows");
    expect_error(roster_parse_schools, "", "file", "The file is empty");
    expect_error(roster_parse_schools, "\xef\xbb\xbf\n\n", "file", "The file is empty");
}

static void school_rows_follow_the_rules(void **state)
{
    (void)state;
#define SCHOOLS "name,urn,region,phase,trust\n"
    expect_error(roster_parse_schools, SCHOOLS "Hill,12345,,,\n", "row 2, column urn",
                 "URN must be 6 digits, like 100000");
    expect_error(roster_parse_schools, SCHOOLS "Hill,123456,,,\nDale,1234567,,,\n", "row 3, column urn",
                 "URN must be 6 digits");
    expect_error(roster_parse_schools, SCHOOLS "Hill,12345a,,,\n", "row 2, column urn", "URN must be 6 digits");
    expect_error(roster_parse_schools, SCHOOLS "Hill,,,,\n", "row 2, column urn", "Enter the school's URN");
    expect_error(roster_parse_schools, SCHOOLS ",123456,,,\n", "row 2, column name", "Enter the name");
    expect_error(roster_parse_schools, SCHOOLS "Hill,123456,Narnia,,\n", "row 2, column region",
                 "Region must be one of: East Midlands, East of England, London");
    expect_error(roster_parse_schools, SCHOOLS "Hill,123456,,Tertiary,\n", "row 2, column phase",
                 "Phase must be one of: Nursery, Primary");
    expect_error(roster_parse_schools, SCHOOLS "Hill,123456,,,\nDale,654321,,,\nVale,123456,,,\n", "row 4, column urn",
                 "This URN is already on row 2");
    /* The same URN three times: each later row points at the first. */
    expect_error(roster_parse_schools, SCHOOLS "Hill,123456,,,\nDale,123456,,,\nVale,123456,,,\n", "row 3, column urn",
                 "already on row 2");
    expect_error(roster_parse_schools, SCHOOLS "Hill,123456,,,\nDale,123456,,,\nVale,123456,,,\n", "row 4, column urn",
                 "already on row 2");
    expect_no_error_at(roster_parse_schools, SCHOOLS "Hill,123456,,,\nDale,123456,,,\n", "row 2, column urn");
    /* A value past the last heading is a whole-row problem. */
    expect_error(roster_parse_schools, SCHOOLS "Hill,123456,,,,stray\n", "row 2", "column F");
    expect_error(roster_parse_schools, "name,,urn\nHill,x,123456\n", "row 2", "column B, which has no heading");
#undef SCHOOLS
}

static void school_names_are_at_most_200_characters(void **state)
{
    (void)state;
    char text[600];
    char name[202];
    memset(name, 'a', 200);
    name[200] = '\0';
    snprintf(text, sizeof(text), "name,urn,trust\n%s,123456,%s\n", name, name);
    struct roster *r = parse_ok(roster_parse_schools, text);
    assert_int_equal(strlen(r->schools[0].name), 200);
    roster_free(r);

    name[200] = 'a';
    name[201] = '\0';
    snprintf(text, sizeof(text), "name,urn\n%s,123456\n", name);
    expect_error(roster_parse_schools, text, "row 2, column name", "200 characters or fewer");
    snprintf(text, sizeof(text), "name,urn,trust\nHill,123456,%s\n", name);
    expect_error(roster_parse_schools, text, "row 2, column trust", "200 characters or fewer");
}

static void every_problem_is_reported_at_once(void **state)
{
    (void)state;
    const char *text = "name,urn,region\n"
                       ",12,Narnia\n"
                       "Hill,123456,\n"
                       "Dale,123456,\n";
    struct errors errors = ERRORS_INIT;
    assert_null(roster_parse_schools(text, strlen(text), &errors));
    if (errors.count != 4)
        print_errors(&errors);
    assert_int_equal(errors.count, 4);
    /* In file order, row by row. */
    assert_string_equal(errors.items[0].where, "row 2, column region");
    assert_string_equal(errors.items[1].where, "row 2, column name");
    assert_string_equal(errors.items[2].where, "row 2, column urn");
    assert_string_equal(errors.items[3].where, "row 4, column urn");
    errors_free(&errors);
}

static void a_value_must_be_on_one_line(void **state)
{
    (void)state;
    /* The line break makes row 2 two lines long; row 3 is still row 3, as in a spreadsheet. And a
     * cell gets one error: not also "URN must be 6 digits" for the URN broken over two lines. */
    const char *text = "name,urn\n"
                       "\"Hill\nSchool\",\"123\n456\"\n"
                       "Dale,12\n";
    expect_error(roster_parse_schools, text, "row 2, column name", "Must be on one line");
    expect_error(roster_parse_schools, text, "row 2, column urn", "Must be on one line");
    expect_error(roster_parse_schools, text, "row 3, column urn", "6 digits");
}

/* ---- users ---- */

static void a_good_users_file_gives_its_users(void **state)
{
    (void)state;
    const char *text = "Email,Name,Role,School URN,Partner\r\n"
                       "ann@example.org,Ann Smith,headteacher,100000,\r\n"
                       "ANN@Example.org,Ann Smith,participant,,\r\n"
                       "bob@example.org,\"Bob \"\"The Coach\"\" Jones\",coach,123456,\r\n"
                       "cat@example.org,Cat Lee,Partner Lead,,\"North, West Partners\"\r\n"
                       "dan@example.org,Dan Roe,facilitator,,North West Partners\r\n"
                       "eve@example.org,Eve Poe,admin,,\r\n";
    struct roster *r = parse_ok(roster_parse_users, text);
    assert_int_equal(r->user_count, 6);
    assert_int_equal(r->school_count, 0);

    const struct roster_user *u = &r->users[0];
    assert_int_equal(u->row, 2);
    assert_string_equal(u->email, "ann@example.org");
    assert_string_equal(u->name, "Ann Smith");
    assert_int_equal(u->role, ROLE_HEADTEACHER);
    assert_string_equal(u->school_urn, "100000");
    assert_string_equal(u->partner, "");

    u = &r->users[1];
    assert_int_equal(u->row, 3);
    assert_string_equal(u->email, "ANN@Example.org"); /* as written; the store compares without case */
    assert_int_equal(u->role, ROLE_PARTICIPANT);
    assert_string_equal(u->school_urn, "");

    u = &r->users[2];
    assert_string_equal(u->name, "Bob \"The Coach\" Jones");
    assert_int_equal(u->role, ROLE_COACH);
    assert_string_equal(u->school_urn, "123456"); /* any role may name the person's school */

    u = &r->users[3];
    assert_int_equal(u->role, ROLE_PARTNER_LEAD);
    assert_string_equal(u->partner, "North, West Partners");

    u = &r->users[4];
    assert_int_equal(u->row, 6);
    assert_int_equal(u->role, ROLE_FACILITATOR);
    assert_string_equal(u->partner, "North West Partners");

    u = &r->users[5];
    assert_int_equal(u->row, 7);
    assert_int_equal(u->role, ROLE_ADMIN);
    roster_free(r);
}

static void user_rows_follow_the_rules(void **state)
{
    (void)state;
#define USERS "email,name,role,school_urn,partner\n"
    expect_error(roster_parse_users, USERS "ann.example.org,Ann,coach,,\n", "row 2, column email",
                 "correct format, like name@example.com");
    expect_error(roster_parse_users, USERS ",Ann,coach,,\n", "row 2, column email", "Enter an email address");
    expect_error(roster_parse_users, USERS "ann@example.org,,coach,,\n", "row 2, column name", "Enter the name");
    expect_error(roster_parse_users, USERS "ann@example.org,Ann,,,\n", "row 2, column role",
                 "Enter the role: one of admin, partner_lead");
    expect_error(roster_parse_users, USERS "ann@example.org,Ann,teacher,,\n", "row 2, column role",
                 "Role must be one of: admin, partner_lead, facilitator, coach, assessor, participant, mentor, "
                 "headteacher");
    expect_error(roster_parse_users, USERS "ann@example.org,Ann,headteacher,,\n", "row 2, column school_urn",
                 "Enter the URN of the headteacher's school");
    expect_error(roster_parse_users, "email,name,role\nann@example.org,Ann,headteacher\n", "row 2, column school_urn",
                 "Enter the URN");
    expect_error(roster_parse_users, USERS "ann@example.org,Ann,headteacher,1000,\n", "row 2, column school_urn",
                 "URN must be 6 digits");
    expect_error(roster_parse_users, USERS "ann@example.org,Ann,participant,10000x,\n", "row 2, column school_urn",
                 "URN must be 6 digits");
    expect_error(roster_parse_users, USERS "ann@example.org,Ann,partner_lead,,\n", "row 2, column partner",
                 "Enter the name of the delivery partner");
    expect_error(roster_parse_users, USERS "ann@example.org,Ann,facilitator,,\n", "row 2, column partner",
                 "delivery partner this facilitator works for");
    expect_error(roster_parse_users, USERS "ann@example.org,Ann,coach,,North Partners\n", "row 2, column partner",
                 "Leave partner empty for a coach: only these roles have one: partner_lead, facilitator");
    expect_error(roster_parse_users, USERS "ann@example.org,Ann,participant,,North Partners\n", "row 2, column partner",
                 "Leave partner empty");
#undef USERS
}

static void one_person_may_have_several_roles_under_one_name(void **state)
{
    (void)state;
#define USERS "email,name,role,school_urn\n"
    /* Emails compare without case; names with it. */
    expect_error(roster_parse_users, USERS "ann@example.org,Ann Smith,coach,\nAnn@EXAMPLE.org,Ann smith,mentor,\n",
                 "row 3, column name", "on row 2 with the name \"Ann Smith\"");
    expect_error(roster_parse_users,
                 USERS "ann@example.org,Ann,coach,\nbob@example.org,Bob,coach,\n"
                       "ANN@example.org,Ann,coach,\n",
                 "row 4, column role", "already has the role coach on row 2");
    /* The name to repeat is the first one given, even when an earlier row left it out. */
    expect_error(roster_parse_users,
                 USERS "ann@example.org,,coach,\nann@example.org,Ann,mentor,\n"
                       "ann@example.org,Anne,assessor,\n",
                 "row 4, column name", "on row 3 with the name \"Ann\"");
    expect_no_error_at(roster_parse_users, USERS "ann@example.org,Ann,coach,\nann@example.org,Ann,coach,\n",
                       "row 2, column role");
    /* Different people may share a role and a name. */
    struct roster *r = parse_ok(roster_parse_users, USERS "ann@example.org,Ann,coach,\n"
                                                          "ann2@example.org,Ann,coach,\n"
                                                          "ann@example.org,Ann,assessor,\n");
    assert_int_equal(r->user_count, 3);
    roster_free(r);
#undef USERS
}

/* ---- the CSV underneath ---- */

static void quoted_values_hold_commas_quotes_and_line_breaks(void **state)
{
    (void)state;
    const char *text = "a,b,c\n"
                       "\"one, two\",\"say \"\"hi\"\"\",\"line 1\nline 2\r\nline 3\"\n"
                       "  x  ,\"  y  \",\n";
    struct csv_failure failure;
    struct csv_table *t = csv_read(text, strlen(text), 10, &failure);
    assert_non_null(t);
    assert_int_equal(t->row_count, 3);
    assert_int_equal(t->rows[1].number, 2);
    assert_int_equal(t->rows[1].width, 3);
    assert_string_equal(t->rows[1].fields[0], "one, two");
    assert_string_equal(t->rows[1].fields[1], "say \"hi\"");
    assert_string_equal(t->rows[1].fields[2], "line 1\nline 2\r\nline 3");
    /* The three-line row is one row: the next is row 3. */
    assert_int_equal(t->rows[2].number, 3);
    assert_int_equal(t->rows[2].width, 3);
    assert_string_equal(t->rows[2].fields[0], "x");
    assert_string_equal(t->rows[2].fields[1], "y");
    assert_string_equal(t->rows[2].fields[2], "");
    csv_table_free(t);
}

static void a_byte_order_mark_and_crlf_are_accepted(void **state)
{
    (void)state;
    const char *text = "\xef\xbb\xbfname,urn\r\nHill,123456\r\n\r\nDale,654321\r\n\r\n";
    struct roster *r = parse_ok(roster_parse_schools, text);
    assert_int_equal(r->school_count, 2);
    assert_string_equal(r->schools[0].name, "Hill");
    assert_string_equal(r->schools[0].urn, "123456");
    assert_int_equal(r->schools[0].row, 2);
    assert_string_equal(r->schools[1].urn, "654321");
    assert_int_equal(r->schools[1].row, 4); /* the blank line in between is row 3 */
    roster_free(r);

    /* A BOM before a quoted heading, with no line break at the end. */
    r = parse_ok(roster_parse_schools, "\xef\xbb\xbf\"name\",\"urn\"\r\n\"Hill\",\"123456\"");
    assert_int_equal(r->school_count, 1);
    assert_string_equal(r->schools[0].urn, "123456");
    roster_free(r);
}

static void malformed_text_is_reported_with_its_line(void **state)
{
    (void)state;
    /* The open quote is on line 3 (row 3); everything after it would be swallowed into one value. */
    expect_error(roster_parse_schools, "name,urn\nHill,123456\n\"Dale,654321\nVale,111111\n", "file",
                 "Line 3 has a value that opens with a quote mark but never closes it");
    /* The row starts on line 2, but its unclosed quote opens on line 3, after a value spanning two lines. */
    expect_error(roster_parse_schools, "name,urn\r\n\"Hill\r\nSchool\",\"123456\r\nDale,654321\r\n", "file",
                 "Line 3 has a value that opens");
    expect_error(roster_parse_schools, "name,urn\nHill,123456\nDa\"le,654321\n", "file",
                 "Line 3 has a quote mark in the wrong place");
    expect_error(roster_parse_schools, "name,urn\n\"Hill\" School,123456\n", "file",
                 "Line 2 has a quote mark in the wrong place");
    expect_error(roster_parse_schools, "name,urn\nH\xe9le,123456\n", "file", "Line 2 is not UTF-8 text");
    expect_error(roster_parse_schools, "name,urn\r\nHill,123456\r\n\xc0\xaf", "file", "Line 3 is not UTF-8");
    /* An overlong encoding of "/" and a UTF-16 surrogate look like UTF-8 but are not. */
    expect_error(roster_parse_schools, "name,urn\nHill\xe0\x80\xaf,123456\n", "file", "Line 2 is not UTF-8");
    expect_error(roster_parse_schools, "name,urn\nHill\xed\xa0\x80,123456\n", "file", "Line 2 is not UTF-8");
    struct roster *r = parse_ok(roster_parse_schools, "name,urn\nÉcole – 🏫,123456\n");
    assert_string_equal(r->schools[0].name, "École – 🏫");
    roster_free(r);

    const char nul[] = "name,urn\nHill\0,123456\n";
    struct errors errors = ERRORS_INIT;
    assert_null(roster_parse_schools(nul, sizeof(nul) - 1, &errors));
    assert_int_equal(errors.count, 1);
    assert_string_equal(errors.items[0].where, "file");
    assert_non_null(strstr(errors.items[0].message, "Line 2 is not UTF-8"));
    errors_free(&errors);

    struct csv_failure failure;
    assert_null(csv_read("a\n\"b", 4, 10, &failure));
    assert_int_equal(failure.kind, CSV_FAILURE_MALFORMED);
    assert_int_equal(failure.line, 2);
}

/* A schools file of rows data rows, each with its own URN. */
static char *schools_file(size_t rows)
{
    size_t size = 16 + rows * 20;
    char *text = malloc(size);
    assert_non_null(text);
    size_t len = (size_t)snprintf(text, size, "name,urn\n");
    for (size_t i = 0; i < rows; i++)
        len += (size_t)snprintf(text + len, size - len, "S%zu,%06zu\n", i, 100000 + i);
    return text;
}

static void the_row_limit_is_enforced(void **state)
{
    (void)state;
    char *text = schools_file(ROSTER_MAX_ROWS);
    struct roster *r = parse_ok(roster_parse_schools, text);
    assert_int_equal(r->school_count, ROSTER_MAX_ROWS);
    assert_int_equal(r->schools[ROSTER_MAX_ROWS - 1].row, ROSTER_MAX_ROWS + 1);
    roster_free(r);
    free(text);

    text = schools_file(ROSTER_MAX_ROWS + 1);
    expect_error(roster_parse_schools, text, "file", "more than 10000 rows");
    free(text);

    struct csv_failure failure;
    assert_null(csv_read("a\n\nb\nc\nd\n", 9, 3, &failure));
    assert_int_equal(failure.kind, CSV_FAILURE_TOO_MANY_ROWS);
    assert_int_equal(failure.line, 5);
    assert_non_null(strstr(failure.message, "more than 3 rows"));
    /* Blank rows do not count towards the limit. */
    struct csv_table *t = csv_read("a\n\n\n,,\nb\nc\n", 11, 3, &failure);
    assert_non_null(t);
    assert_int_equal(t->row_count, 3);
    assert_int_equal(t->rows[2].number, 6);
    csv_table_free(t);
}

static void errors_stop_at_the_cap(void **state)
{
    (void)state;
    char *text = schools_file(ERRORS_MAX + 50);
    /* Break every URN: one error per row, kept up to ERRORS_MAX, still no roster. */
    for (char *p = strchr(text, '\n'); p != NULL; p = strchr(p + 1, '\n'))
        if (p[1] != '\0')
            p[strcspn(p + 1, ",") + 2] = 'x';
    struct errors errors = ERRORS_INIT;
    assert_null(roster_parse_schools(text, strlen(text), &errors));
    assert_int_equal(errors.count, ERRORS_MAX);
    assert_string_equal(errors.items[0].where, "row 2, column urn");
    errors_free(&errors);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_good_schools_file_gives_its_schools),
        cmocka_unit_test(optional_school_columns_may_be_left_out),
        cmocka_unit_test(the_header_must_name_the_columns),
        cmocka_unit_test(a_file_needs_rows),
        cmocka_unit_test(school_rows_follow_the_rules),
        cmocka_unit_test(school_names_are_at_most_200_characters),
        cmocka_unit_test(every_problem_is_reported_at_once),
        cmocka_unit_test(a_value_must_be_on_one_line),
        cmocka_unit_test(a_good_users_file_gives_its_users),
        cmocka_unit_test(user_rows_follow_the_rules),
        cmocka_unit_test(one_person_may_have_several_roles_under_one_name),
        cmocka_unit_test(quoted_values_hold_commas_quotes_and_line_breaks),
        cmocka_unit_test(a_byte_order_mark_and_crlf_are_accepted),
        cmocka_unit_test(malformed_text_is_reported_with_its_line),
        cmocka_unit_test(the_row_limit_is_enforced),
        cmocka_unit_test(errors_stop_at_the_cap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
