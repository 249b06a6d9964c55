/*
 * The store's contract for bulk imports of schools and people: every row checked against the
 * database, errors at "row N, column C", and all rows kept or none (a dry run keeps none).
 */
#include "fixture.h"

#include "domain/roster.h"

#include <stdio.h>

#include <string.h>

static struct roster *schools(const char *csv)
{
    struct errors errors = ERRORS_INIT;
    struct roster *r = roster_parse_schools(csv, strlen(csv), &errors);
    assert_int_equal(errors.count, 0);
    assert_non_null(r);
    errors_free(&errors);
    return r;
}

static struct roster *people(const char *csv)
{
    struct errors errors = ERRORS_INIT;
    struct roster *r = roster_parse_users(csv, strlen(csv), &errors);
    assert_int_equal(errors.count, 0);
    assert_non_null(r);
    errors_free(&errors);
    return r;
}

static bool has_error(const struct errors *errors, const char *where)
{
    for (size_t i = 0; i < errors->count; i++)
        if (strcmp(errors->items[i].where, where) == 0)
            return true;
    return false;
}

static size_t organisations(struct fixture *f, int kind)
{
    struct organisation *list;
    size_t count;
    assert_int_equal(store_organisation_list(f->store, kind, NULL, NULL, &f->arena, &list, &count), STORE_OK);
    return count;
}

static bool person_exists(struct fixture *f, const char *email)
{
    struct user u;
    enum store_status s = store_user_find_by_email(f->store, email, &f->arena, &u, NULL);
    assert_true(s == STORE_OK || s == STORE_NOT_FOUND);
    return s == STORE_OK;
}

static void schools_are_imported_with_their_trusts(void **state)
{
    struct fixture *f = *state;
    struct roster *r = schools("name,urn,local_authority,region,phase,trust\n"
                               "Hill Primary,123456,Manchester,North West,Primary,River Trust\n"
                               "Dale Academy,234567,Leeds,Yorkshire and the Humber,Secondary,River Trust\n"
                               "Moor School,345678,,,,\n");
    struct errors errors = ERRORS_INIT;
    struct import_summary summary;
    assert_int_equal(store_import_schools(f->store, &f->admin, r, false, f->now, &errors, &summary), STORE_OK);
    assert_int_equal(errors.count, 0);
    assert_int_equal(summary.created, 4); /* three schools and the trust named first */
    assert_int_equal(organisations(f, ORG_SCHOOL), 3);
    assert_int_equal(organisations(f, ORG_TRUST), 1);

    struct organisation *list;
    size_t count;
    assert_int_equal(store_organisation_list(f->store, ORG_SCHOOL, "Dale", NULL, &f->arena, &list, &count), STORE_OK);
    assert_int_equal(count, 1);
    assert_string_equal(list[0].urn, "234567");
    assert_string_equal(list[0].local_authority, "Leeds");
    struct organisation trust;
    assert_int_equal(store_organisation_get(f->store, list[0].trust_id, &f->arena, &trust), STORE_OK);
    assert_string_equal(trust.name, "River Trust");
    errors_free(&errors);
    roster_free(r);
}

static void a_school_whose_urn_is_taken_keeps_the_whole_file_out(void **state)
{
    struct fixture *f = *state;
    struct organisation existing = {.kind = ORG_SCHOOL, .name = "Old Hill", .urn = "234567"};
    assert_int_equal(store_organisation_create(f->store, &f->actor, &existing, f->now), STORE_OK);
    struct roster *r = schools("name,urn,trust\n"
                               "Hill Primary,123456,River Trust\n"
                               "Dale Academy,234567,\n"
                               "Moor School,345678,\n");
    struct errors errors = ERRORS_INIT;
    struct import_summary summary;
    assert_int_equal(store_import_schools(f->store, &f->admin, r, false, f->now, &errors, &summary), STORE_CONFLICT);
    assert_int_equal(errors.count, 1);
    assert_true(has_error(&errors, "row 3, column urn"));
    assert_int_equal(organisations(f, ORG_SCHOOL), 1);
    assert_int_equal(organisations(f, ORG_TRUST), 0);
    errors_free(&errors);
    roster_free(r);
}

static void a_dry_run_checks_everything_and_keeps_nothing(void **state)
{
    struct fixture *f = *state;
    struct roster *r = schools("name,urn\nHill Primary,123456\nDale Academy,234567\n");
    struct errors errors = ERRORS_INIT;
    struct import_summary summary;
    assert_int_equal(store_import_schools(f->store, &f->admin, r, true, f->now, &errors, &summary), STORE_OK);
    assert_int_equal(summary.created, 2);
    assert_int_equal(organisations(f, ORG_SCHOOL), 0);
    roster_free(r);

    fx_organisation(f, ORG_DELIVERY_PARTNER, "North Partner");
    r = people("email,name,role,partner\nlee@example.org,Lee Lead,partner_lead,North Partner\n");
    assert_int_equal(store_import_users(f->store, &f->admin, r, true, f->now, &f->arena, &errors, &summary), STORE_OK);
    assert_int_equal(summary.created, 1);
    assert_false(person_exists(f, "lee@example.org"));
    assert_int_equal(errors.count, 0);
    errors_free(&errors);
    roster_free(r);
}

static void people_are_imported_with_their_roles_and_scopes(void **state)
{
    struct fixture *f = *state;
    int64_t partner = fx_organisation(f, ORG_DELIVERY_PARTNER, "North Partner");
    struct organisation school = {.kind = ORG_SCHOOL, .name = "Hill Primary", .urn = "123456"};
    assert_int_equal(store_organisation_create(f->store, &f->actor, &school, f->now), STORE_OK);
    int64_t known = fx_person(f, "Kim Known", ROLE_COACH, 0, 0);
    struct user k;
    assert_int_equal(store_user_get(f->store, known, &f->arena, &k), STORE_OK);

    char csv[512];
    snprintf(csv, sizeof(csv),
             "email,name,role,school_urn,partner\n"
             "hana@example.org,Hana Head,headteacher,123456,\n"
             "lee@example.org,Lee Lead,partner_lead,,North Partner\n"
             "lee@example.org,Lee Lead,facilitator,,North Partner\n"
             "%s,Kim Known,mentor,,\n",
             k.email);
    struct roster *r = people(csv);
    struct errors errors = ERRORS_INIT;
    struct import_summary summary;
    assert_int_equal(store_import_users(f->store, &f->admin, r, false, f->now, &f->arena, &errors, &summary), STORE_OK);
    assert_int_equal(errors.count, 0);
    assert_int_equal(summary.created, 2);
    assert_int_equal(summary.updated, 2); /* Lee's second row, and Kim */

    struct user u;
    assert_int_equal(store_user_find_by_email(f->store, "hana@example.org", &f->arena, &u, NULL), STORE_OK);
    assert_true(summary.new_user_ids[0] == u.id || summary.new_user_ids[1] == u.id);
    assert_int_equal(u.organisation_id, school.id);
    assert_int_equal(u.role_count, 1);
    assert_int_equal(u.roles[0].role, ROLE_HEADTEACHER);
    assert_int_equal(u.roles[0].organisation_id, school.id);
    assert_int_equal(store_user_find_by_email(f->store, "lee@example.org", &f->arena, &u, NULL), STORE_OK);
    assert_int_equal(u.role_count, 2);
    assert_int_equal(u.roles[0].organisation_id, partner);
    assert_int_equal(u.roles[1].role, ROLE_FACILITATOR);
    assert_int_equal(store_user_get(f->store, known, &f->arena, &u), STORE_OK);
    assert_int_equal(u.role_count, 2);
    errors_free(&errors);
    roster_free(r);
}

static void people_who_cannot_be_imported_keep_the_whole_file_out(void **state)
{
    struct fixture *f = *state;
    fx_organisation(f, ORG_DELIVERY_PARTNER, "North Partner");
    int64_t known = fx_person(f, "Kim Known", ROLE_COACH, 0, 0);
    struct user k;
    assert_int_equal(store_user_get(f->store, known, &f->arena, &k), STORE_OK);
    char csv[512];
    snprintf(csv, sizeof(csv),
             "email,name,role,school_urn,partner\n"
             "first@example.org,First Person,participant,,\n"
             "%s,Kim Known,coach,,\n"
             "second@example.org,Second Person,participant,,\n"
             "third@example.org,Third Person,headteacher,999999,\n"
             "fourth@example.org,Fourth Person,facilitator,,South Partner\n"
             "fifth@example.org,Fifth Person,participant,,\n",
             k.email);
    struct roster *r = people(csv);
    struct errors errors = ERRORS_INIT;
    struct import_summary summary;
    assert_int_equal(store_import_users(f->store, &f->admin, r, false, f->now, &f->arena, &errors, &summary),
                     STORE_CONFLICT);
    assert_true(has_error(&errors, "row 3, column role"));       /* Kim is a coach already */
    assert_true(has_error(&errors, "row 5, column school_urn")); /* no such school */
    assert_true(has_error(&errors, "row 6, column partner"));    /* no such partner */
    /* Not one of the rows is kept, before or after the ones refused. */
    const char *emails[] = {"first@example.org", "second@example.org", "third@example.org", "fourth@example.org",
                            "fifth@example.org"};
    for (size_t i = 0; i < sizeof(emails) / sizeof(emails[0]); i++)
        assert_false(person_exists(f, emails[i]));
    struct user u;
    assert_int_equal(store_user_get(f->store, known, &f->arena, &u), STORE_OK);
    assert_int_equal(u.role_count, 1);
    assert_int_equal(fx_audited(f, "user.create", "user", 0), 2); /* the administrator and Kim, from the fixture */
    errors_free(&errors);
    roster_free(r);
}

int main(void)
{
#define TEST(name) cmocka_unit_test_setup_teardown(name, fixture_setup, fixture_teardown)
    const struct CMUnitTest tests[] = {
        TEST(schools_are_imported_with_their_trusts),
        TEST(a_school_whose_urn_is_taken_keeps_the_whole_file_out),
        TEST(a_dry_run_checks_everything_and_keeps_nothing),
        TEST(people_are_imported_with_their_roles_and_scopes),
        TEST(people_who_cannot_be_imported_keep_the_whole_file_out),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
