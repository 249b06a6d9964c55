/*
 * The store contract tests' fixture (see fixture.h): where each test's database is, and the
 * records most tests start from, all made through store.h.
 */
#include "fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { FIXTURE_NOW = 1799053200 }; /* Monday 4 January 2027, 09:00 UTC */

static bool is_server(const char *location)
{
    return strstr(location, "://") != NULL;
}

static void new_location(char location[FIXTURE_LOCATION_MAX])
{
    static int made;
    const char *base = getenv("NPQ_TEST_DATABASE");
    if (base == NULL || *base == '\0')
        base = getenv("TMPDIR");
    if (base == NULL || *base == '\0')
        base = "/tmp";
    int n = snprintf(location, FIXTURE_LOCATION_MAX, is_server(base) ? "%s_%d_%d" : "%s/npq-store-%d-%d.db", base,
                     (int)getpid(), ++made);
    assert_true(n > 0 && n < FIXTURE_LOCATION_MAX);
}

void fixture_remove(const char *location)
{
    if (is_server(location))
        return;
    const char *suffixes[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
        char path[FIXTURE_LOCATION_MAX + 16];
        snprintf(path, sizeof(path), "%s%s", location, suffixes[i]);
        unlink(path);
    }
}

struct store *fixture_open_fresh(char location[FIXTURE_LOCATION_MAX])
{
    new_location(location);
    fixture_remove(location);
    char err[256];
    struct store *store = store_open(location, err, sizeof(err));
    if (store == NULL)
        fail_msg("cannot open %s: %s", location, err);
    return store;
}

int fixture_setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    f->store = fixture_open_fresh(f->location);
    int version = 0;
    assert_int_equal(store_migrate(f->store, &version), STORE_OK);
    assert_true(version >= 1);
    f->now = FIXTURE_NOW;
    f->actor = (struct actor){.user_id = 0, .label = "command line", .client = ""};
    f->admin_id = fx_person(f, "Ada Admin", ROLE_ADMIN, 0, 0);
    f->admin = (struct actor){.user_id = f->admin_id, .label = "ada.admin@example.org", .client = "192.0.2.1"};
    *state = f;
    return 0;
}

int fixture_teardown(void **state)
{
    struct fixture *f = *state;
    /* A test that leaves a statement running would make the next write on the connection fail. */
    const char *unfinished = store_unfinished_query(f->store);
    store_close(f->store);
    fixture_remove(f->location);
    arena_release(&f->arena);
    free(f);
    if (unfinished != NULL)
        fail_msg("a query was left unfinished: %s", unfinished);
    return 0;
}

struct store *fixture_connect(const struct fixture *f)
{
    char err[256];
    struct store *store = store_open(f->location, err, sizeof(err));
    if (store == NULL)
        fail_msg("cannot open %s again: %s", f->location, err);
    return store;
}

int64_t fx_organisation(struct fixture *f, enum organisation_kind kind, const char *name)
{
    struct organisation o = {.kind = kind, .name = name};
    assert_int_equal(store_organisation_create(f->store, &f->actor, &o, f->now), STORE_OK);
    assert_true(o.id > 0);
    return o.id;
}

int64_t fx_school(struct fixture *f, const char *name)
{
    char urn[8];
    snprintf(urn, sizeof(urn), "%06d", 100000 + ++f->serial);
    struct organisation o = {.kind = ORG_SCHOOL, .name = name, .urn = urn, .region = "North West"};
    assert_int_equal(store_organisation_create(f->store, &f->actor, &o, f->now), STORE_OK);
    return o.id;
}

int64_t fx_person(struct fixture *f, const char *name, int role, int64_t organisation, int64_t works_at)
{
    char email[128];
    snprintf(email, sizeof(email), "person%d.%s@example.org", ++f->serial, role >= 0 ? role_name(role) : "none");
    int64_t id = 0;
    assert_int_equal(store_user_create(f->store, &f->actor, email, name, works_at, f->now, &id), STORE_OK);
    if (role >= 0) {
        int64_t grant = 0;
        assert_int_equal(store_role_grant(f->store, &f->actor, id, (enum role)role, organisation, f->now, &grant),
                         STORE_OK);
    }
    return id;
}

struct caller fx_caller(struct fixture *f, int64_t user_id)
{
    struct user u;
    assert_int_equal(store_user_get(f->store, user_id, &f->arena, &u), STORE_OK);
    struct caller c = {
        .user_id = u.id, .email = u.email, .name = u.name, .grants = u.roles, .grant_count = u.role_count};
    for (size_t i = 0; i < u.role_count; i++)
        c.roles |= 1u << u.roles[i].role;
    return c;
}

int64_t fx_cohort(struct fixture *f, int64_t partner)
{
    char code[32];
    snprintf(code, sizeof(code), "NPQSL-2027-T-%d", ++f->serial);
    struct cohort c = {.code = code,
                       .kind = STUDY_QUALIFICATION,
                       .target = "NPQSL",
                       .delivery_partner_id = partner,
                       .delivery_model = DELIVERY_BLENDED,
                       .starts_on = "2027-01-01",
                       .ends_on = "2028-06-30"};
    assert_int_equal(store_cohort_create(f->store, &f->actor, &c, f->now), STORE_OK);
    return c.id;
}

int64_t fx_enrolment(struct fixture *f, int64_t participant, int64_t cohort)
{
    struct enrolment e = {.participant_id = participant,
                          .kind = STUDY_QUALIFICATION,
                          .target = "NPQSL",
                          .cohort_id = cohort,
                          .delivery_model = DELIVERY_BLENDED,
                          .funding = FUNDING_SCHOOL};
    assert_int_equal(store_enrolment_create(f->store, &f->actor, &e, f->now), STORE_OK);
    return e.id;
}

int64_t fx_event(struct fixture *f, int64_t cohort, int capacity)
{
    struct event e = {.cohort_id = cohort,
                      .kind = DELIVERY_EVENT_VIRTUAL_LIVE,
                      .title = "Leading change",
                      .joining_url = "https://meet.example.org/1",
                      .starts_at = f->now + 7 * 86400,
                      .ends_at = f->now + 7 * 86400 + 3 * 3600,
                      .capacity = capacity};
    assert_int_equal(store_event_create(f->store, &f->actor, &e, f->now), STORE_OK);
    return e.id;
}

int64_t fx_task(struct fixture *f)
{
    struct assessment_criterion criteria[] = {{"Analyses the evidence", "Uses data from the school"},
                                              {"Plans the change", ""}};
    struct assessment_task t = {.kind = TASK_MODULE,
                                .target = "leading-teaching",
                                .title = "A plan for teaching",
                                .brief = "Write a plan.",
                                .deadline = f->now + 30 * 86400,
                                .word_limit = 2000,
                                .max_resubmissions = 2,
                                .max_file_bytes = TASK_FILE_BYTES_DEFAULT,
                                .moderation_percent = 20,
                                .criteria = criteria,
                                .criteria_count = 2};
    assert_int_equal(store_task_create(f->store, &f->actor, &t, f->now), STORE_OK);
    return t.id;
}

int64_t fx_submission(struct fixture *f, int64_t task, int64_t enrolment, int64_t participant)
{
    struct submission s = {.task_id = task, .enrolment_id = enrolment, .participant_id = participant};
    int64_t existing = 0;
    assert_int_equal(store_submission_create(f->store, &f->actor, &s, f->now, &existing), STORE_OK);
    return s.id;
}

enum store_status fx_submit(struct store *store, const struct actor *actor, int64_t submission, int number,
                            enum submission_state from_state, int64_t now, int64_t *version_id)
{
    char receipt[64];
    snprintf(receipt, sizeof(receipt), "Received: version %d", number);
    struct submission_version v = {.submission_id = submission,
                                   .number = number,
                                   .text = "My plan",
                                   .text_sha256 = "ab",
                                   .word_count = 2,
                                   .receipt = receipt};
    enum store_status status = store_submission_submit(store, actor, &v, from_state, now);
    if (version_id != NULL)
        *version_id = status == STORE_OK ? v.id : 0;
    return status;
}

size_t fx_audited(struct fixture *f, const char *action, const char *entity, int64_t entity_id)
{
    char id[24];
    snprintf(id, sizeof(id), "%lld", (long long)entity_id);
    struct audit_filter filter = {.action = action, .entity = entity, .entity_id = entity_id ? id : NULL};
    struct audit_event *events;
    size_t count, total, exact = 0;
    assert_int_equal(
        store_audit_list(f->store, &filter, &(struct store_page){.limit = 500}, &f->arena, &events, &count, &total),
        STORE_OK);
    for (size_t i = 0; i < count; i++)
        exact += strcmp(events[i].action, action) == 0; /* the filter matches a prefix */
    return exact;
}

void fx_hash(unsigned char hash[32], int n)
{
    memset(hash, 0, 32);
    snprintf((char *)hash, 32, "hash-%d", n);
}
