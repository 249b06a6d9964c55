/*
 * The SQLite store: migrations are idempotent, a catalogue round-trips through the database,
 * a re-import replaces rows by code, and a refused import leaves the old catalogue whole.
 */
#include "../test_support.h"

#include "domain/catalogue_json.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

struct fixture {
    char path[64];
    struct store *store;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    snprintf(f->path, sizeof(f->path), "/tmp/npq-store-test-%d.db", (int)getpid());
    unlink(f->path);
    char err[256];
    f->store = store_open(f->path, err, sizeof(err));
    assert_non_null(f->store);
    int version = 0;
    assert_int_equal(store_migrate(f->store, &version), STORE_OK);
    assert_true(version >= 1);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    store_close(f->store);
    char wal[80], shm[80];
    snprintf(wal, sizeof(wal), "%s-wal", f->path);
    snprintf(shm, sizeof(shm), "%s-shm", f->path);
    unlink(f->path);
    unlink(wal);
    unlink(shm);
    free(f);
    return 0;
}

static struct catalogue *parse(const char *text, size_t len)
{
    struct errors errors = ERRORS_INIT;
    struct catalogue *c = catalogue_json_parse(text, len, &errors);
    assert_non_null(c);
    errors_free(&errors);
    return c;
}

static void migrating_twice_changes_nothing(void **state)
{
    struct fixture *f = *state;
    int version = 0;
    assert_int_equal(store_migrate(f->store, &version), STORE_OK);
    assert_true(version >= 1);
}

static void catalogue_round_trips_through_the_database(void **state)
{
    struct fixture *f = *state;
    const struct embedded_file *file = test_default_catalogue();
    struct catalogue *c = parse((const char *)file->data, file->size);
    struct errors errors = ERRORS_INIT;
    int64_t before, after;
    assert_int_equal(store_catalogue_revision(f->store, &before), STORE_OK);
    assert_int_equal(store_catalogue_replace(f->store, c, &errors), STORE_OK);
    assert_int_equal(store_catalogue_revision(f->store, &after), STORE_OK);
    assert_true(after > before);
    catalogue_free(c);

    struct catalogue *loaded;
    assert_int_equal(store_catalogue_load(f->store, &loaded), STORE_OK);
    char *text = catalogue_json_dump(loaded);
    assert_int_equal(strlen(text), file->size);
    assert_memory_equal(text, file->data, file->size);
    free(text);
    catalogue_free(loaded);

    /* Importing it again is a no-op apart from the revision. */
    c = parse((const char *)file->data, file->size);
    assert_int_equal(store_catalogue_replace(f->store, c, &errors), STORE_OK);
    catalogue_free(c);
    assert_int_equal(store_catalogue_load(f->store, &loaded), STORE_OK);
    assert_int_equal(loaded->module_count, 26);
    catalogue_free(loaded);
    errors_free(&errors);
}

static void a_smaller_catalogue_replaces_the_larger(void **state)
{
    struct fixture *f = *state;
    const struct embedded_file *file = test_default_catalogue();
    struct catalogue *c = parse((const char *)file->data, file->size);
    struct errors errors = ERRORS_INIT;
    assert_int_equal(store_catalogue_replace(f->store, c, &errors), STORE_OK);
    catalogue_free(c);

    const char *small = "{\"format\":\"npq-catalogue/1\",\"levels\":[{\"number\":1,\"title\":\"Leading a team\"}],"
                        "\"strands\":[{\"code\":\"educational-excellence\",\"title\":\"Educational excellence\"}],"
                        "\"modules\":[{\"code\":\"leading-teaching\",\"title\":\"Leading teaching (revised)\","
                        "\"strand\":\"educational-excellence\",\"level\":1,\"hours_cap\":40}],"
                        "\"qualifications\":[],\"frameworks\":[]}";
    c = parse(small, strlen(small));
    assert_int_equal(store_catalogue_replace(f->store, c, &errors), STORE_OK);
    catalogue_free(c);
    struct catalogue *loaded;
    assert_int_equal(store_catalogue_load(f->store, &loaded), STORE_OK);
    assert_int_equal(loaded->module_count, 1);
    assert_int_equal(loaded->qualification_count, 0);
    assert_int_equal(loaded->framework_count, 0);
    assert_string_equal(loaded->modules[0].title, "Leading teaching (revised)");
    assert_int_equal(loaded->modules[0].hours_cap, 40);
    catalogue_free(loaded);
    errors_free(&errors);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(migrating_twice_changes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(catalogue_round_trips_through_the_database, setup, teardown),
        cmocka_unit_test_setup_teardown(a_smaller_catalogue_replaces_the_larger, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
