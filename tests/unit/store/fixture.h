/*
 * The store contract tests' one fixture: a fresh, migrated database per test, and records made
 * through store.h alone, so the same tests run against any driver.
 *
 * Where the database lives comes from NPQ_TEST_DATABASE, a base location: a directory for SQLite
 * files (the default is $TMPDIR, else /tmp), or a server's location ("postgres://host/npq_test"),
 * to which each test adds "_PID_N" to name its own database. Dropping a server's databases
 * afterwards belongs to that driver's test run; SQLite files are removed here.
 *
 * Every test that uses the fixture gets f->now, a fixed clock (a Monday morning in 2027): the
 * store takes the time as an argument, so nothing here depends on the machine's clock.
 */
#ifndef NPQ_TESTS_STORE_FIXTURE_H
#define NPQ_TESTS_STORE_FIXTURE_H

#include "../test_support.h"

#include "store/store.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { FIXTURE_LOCATION_MAX = 512 };

struct fixture {
    char location[FIXTURE_LOCATION_MAX];
    struct store *store;
    struct arena arena; /* for what the test reads; released at teardown */
    struct actor actor; /* "command line" */
    struct actor admin; /* an administrator, made by fixture_setup */
    int64_t admin_id;
    int64_t now; /* 2027-01-04 09:00 UTC */
    int serial;  /* for unique emails, codes and URNs */
};

/* cmocka setup and teardown: *state becomes a struct fixture. */
int fixture_setup(void **state);
int fixture_teardown(void **state);

/* Another connection to the fixture's database (for tests with threads); the caller closes it. */
struct store *fixture_connect(const struct fixture *f);

/* Opens a fresh database at a new location, not migrated; its location is written to location. */
struct store *fixture_open_fresh(char location[FIXTURE_LOCATION_MAX]);
/* Removes a database made by fixture_open_fresh (after it is closed). */
void fixture_remove(const char *location);

/* Records made through the store, with fields a test does not care about filled in. Each asserts
 * its own success. */
int64_t fx_organisation(struct fixture *f, enum organisation_kind kind, const char *name);
int64_t fx_school(struct fixture *f, const char *name); /* with a fresh URN */
/* A person holding role (or none for -1) scoped to organisation (0 for none), working at works_at. */
int64_t fx_person(struct fixture *f, const char *name, int role, int64_t organisation, int64_t works_at);
/* The caller a signed-in person is, with their roles. */
struct caller fx_caller(struct fixture *f, int64_t user_id);
/* A cohort of NPQSL run by partner (0 for none). */
int64_t fx_cohort(struct fixture *f, int64_t partner);
/* An active enrolment of participant in NPQSL in cohort (0 for none). */
int64_t fx_enrolment(struct fixture *f, int64_t participant, int64_t cohort);
/* A virtual event of cohort offering capacity places, starting a week after f->now. */
int64_t fx_event(struct fixture *f, int64_t cohort, int capacity);
/* A module task for "leading-teaching" with two criteria, due a month after f->now. */
int64_t fx_task(struct fixture *f);
/* A draft submission of an enrolment to a task. */
int64_t fx_submission(struct fixture *f, int64_t task, int64_t enrolment, int64_t participant);
/* Submits version number of a submission from from_state. Returns the store's answer. */
enum store_status fx_submit(struct store *store, const struct actor *actor, int64_t submission, int number,
                            enum submission_state from_state, int64_t now, int64_t *version_id);

/* How many audit events have this action on this entity (entity_id 0: any). */
size_t fx_audited(struct fixture *f, const char *action, const char *entity, int64_t entity_id);

/* A 32-byte token hash made from a small number, for sessions, tokens and links. */
void fx_hash(unsigned char hash[32], int n);

#endif
