/*
 * The store's contract for the catalogue: it round-trips, each replacement moves the revision on
 * so caches reload, rows are kept by their codes, and a replacement that would remove something
 * still in use is refused whole, with the reason, leaving the old catalogue as it was.
 */
#include "fixture.h"

#include "domain/catalogue_json.h"

#include <string.h>

static struct catalogue *default_catalogue(void)
{
    const struct embedded_file *file = test_default_catalogue();
    struct errors errors = ERRORS_INIT;
    struct catalogue *c = catalogue_json_parse((const char *)file->data, file->size, &errors);
    assert_non_null(c);
    errors_free(&errors);
    return c;
}

static int64_t revision(struct fixture *f)
{
    int64_t r = -1;
    assert_int_equal(store_catalogue_revision(f->store, &r), STORE_OK);
    return r;
}

static void an_empty_database_has_an_empty_catalogue(void **state)
{
    struct fixture *f = *state;
    struct catalogue *c = NULL;
    assert_int_equal(store_catalogue_load(f->store, &c), STORE_OK);
    assert_non_null(c);
    assert_int_equal(c->module_count, 0);
    assert_int_equal(c->qualification_count, 0);
    catalogue_free(c);
}

static void each_replacement_moves_the_revision_on_and_is_seen_by_other_connections(void **state)
{
    struct fixture *f = *state;
    int64_t before = revision(f);
    struct catalogue *c = default_catalogue();
    struct errors errors = ERRORS_INIT;
    assert_int_equal(store_catalogue_replace(f->store, c, &errors), STORE_OK);
    int64_t first = revision(f);
    assert_true(first > before);
    assert_int_equal(store_catalogue_replace(f->store, c, &errors), STORE_OK);
    assert_true(revision(f) > first);
    assert_int_equal(errors.count, 0);
    catalogue_free(c);

    struct store *other = fixture_connect(f);
    int64_t seen = -1;
    assert_int_equal(store_catalogue_revision(other, &seen), STORE_OK);
    assert_int_equal(seen, revision(f));
    struct catalogue *loaded = NULL;
    assert_int_equal(store_catalogue_load(other, &loaded), STORE_OK);
    assert_int_equal(loaded->module_count, 26);
    assert_int_equal(loaded->qualification_count, 15);
    /* The 2021 suite comes back without a level, with its DfE course, and the schedules whole. */
    const struct catalogue_qualification *senco = catalogue_qualification_find(loaded, "NPQSENCO", 8);
    assert_non_null(senco);
    assert_int_equal(senco->level, 0);
    assert_string_equal(senco->dfe_course, "npq-senco");
    assert_string_equal(senco->course_group, "specialist");
    assert_null(catalogue_qualification_find(loaded, "NPQH", 4)->dfe_course);
    assert_int_equal(loaded->schedule_count, 24);
    const struct catalogue_schedule *autumn = catalogue_schedule_find(loaded, "npq-leadership-autumn", 2025);
    assert_non_null(autumn);
    assert_int_equal(autumn->milestone_count, 4);
    assert_string_equal(autumn->milestones[0].declaration_type, "started");
    assert_null(autumn->milestones[3].milestone_date);
    const struct embedded_file *file = test_default_catalogue();
    char *dumped = catalogue_json_dump(loaded);
    assert_int_equal(strlen(dumped), file->size);
    assert_memory_equal(dumped, file->data, file->size);
    free(dumped);
    const struct catalogue_module *m = catalogue_module_find(loaded, "leading-teaching", strlen("leading-teaching"));
    assert_non_null(m);
    assert_int_equal(m->hours_cap, 50);
    catalogue_free(loaded);
    store_close(other);
    errors_free(&errors);
}

static void a_replacement_removing_what_is_in_use_is_refused_whole(void **state)
{
    struct fixture *f = *state;
    struct catalogue *c = default_catalogue();
    struct errors errors = ERRORS_INIT;
    assert_int_equal(store_catalogue_replace(f->store, c, &errors), STORE_OK);
    int64_t kept = revision(f);
    const char *strand = c->modules[0].strand;

    /* A module that still names a strand the new catalogue leaves out (a catalogue that was never
     * validated: the store's own constraint is what refuses it). */
    struct catalogue *broken = catalogue_new();
    struct catalogue_level level = {.number = 1, .title = "Leading a team"};
    struct catalogue_module module = {
        .code = "leading-teaching", .title = "Renamed", .strand = strand, .level = 1, .hours_cap = 40};
    broken->levels = &level;
    broken->level_count = 1;
    broken->modules = &module;
    broken->module_count = 1;
    assert_int_equal(store_catalogue_replace(f->store, broken, &errors), STORE_CONFLICT);
    assert_true(errors.count > 0);
    assert_non_null(strstr(errors.items[0].message, "still in use"));
    broken->levels = NULL;
    broken->modules = NULL;
    catalogue_free(broken);

    /* Nothing of it was kept. */
    assert_int_equal(revision(f), kept);
    struct catalogue *loaded = NULL;
    assert_int_equal(store_catalogue_load(f->store, &loaded), STORE_OK);
    assert_int_equal(loaded->module_count, c->module_count);
    assert_int_equal(loaded->strand_count, c->strand_count);
    const struct catalogue_module *m = catalogue_module_find(loaded, "leading-teaching", strlen("leading-teaching"));
    assert_string_equal(m->title, catalogue_module_find(c, "leading-teaching", strlen("leading-teaching"))->title);
    catalogue_free(loaded);
    catalogue_free(c);
    errors_free(&errors);
}

int main(void)
{
#define TEST(name) cmocka_unit_test_setup_teardown(name, fixture_setup, fixture_teardown)
    const struct CMUnitTest tests[] = {
        TEST(an_empty_database_has_an_empty_catalogue),
        TEST(each_replacement_moves_the_revision_on_and_is_seen_by_other_connections),
        TEST(a_replacement_removing_what_is_in_use_is_refused_whole),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
