/*
 * The store's rules under concurrent writers: threads, each with its own connection to the same
 * database, released together by a barrier, many rounds over. Each race asserts the rule a user
 * relies on (exactly as many bookings as places, the cap holds, versions 1..n, each message sent
 * once, each notification recorded once, migrations applied once), and that the losers get the
 * documented refusal rather than an error.
 *
 * Each rule is decided by the store's own write, whatever the caller read before, so these call
 * the store operations directly, outside any transaction of the test's: a rule that relied on
 * the caller counting inside a write transaction fails here.
 */
#include "fixture.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { RACERS_MAX = 8 };

struct race;

struct racer {
    struct race *race;
    int index;
    struct store *store;
    enum store_status status;
    int64_t value; /* what the racer's call produced: an id, a count */
};

struct race {
    struct fixture *f;
    int count;
    pthread_barrier_t barrier;
    void (*run)(struct racer *racer);
    void *arg;
    struct racer racers[RACERS_MAX];
};

static void *race_thread(void *arg)
{
    struct racer *r = arg;
    pthread_barrier_wait(&r->race->barrier);
    r->race->run(r);
    return NULL;
}

/*
 * Runs run in count threads at once, each on its own connection opened before the start. Races
 * take turns between the two ways writers meet: connections of one engine, as the threads of one
 * server share it (their transactions are committed in groups), and connections each with an
 * engine of its own, as separate processes (servers, the command line) on one database.
 */
static void race_run(struct race *race)
{
    static int races;
    bool one_engine = races++ % 2 == 0;
    assert_true(race->count >= 2 && race->count <= RACERS_MAX);
    struct store_engine *engine = NULL;
    char err[256];
    if (one_engine && (engine = store_engine_open(race->f->location, err, sizeof(err))) == NULL)
        fail_msg("cannot open %s: %s", race->f->location, err);
    pthread_t threads[RACERS_MAX];
    assert_int_equal(pthread_barrier_init(&race->barrier, NULL, (unsigned)race->count), 0);
    for (int i = 0; i < race->count; i++) {
        struct store *store = one_engine ? store_connect(engine, err, sizeof(err)) : fixture_connect(race->f);
        assert_non_null(store);
        race->racers[i] = (struct racer){.race = race, .index = i, .store = store, .status = STORE_ERROR};
        assert_int_equal(pthread_create(&threads[i], NULL, race_thread, &race->racers[i]), 0);
    }
    for (int i = 0; i < race->count; i++)
        pthread_join(threads[i], NULL);
    pthread_barrier_destroy(&race->barrier);
    for (int i = 0; i < race->count; i++) {
        assert_null(store_unfinished_query(race->racers[i].store));
        store_close(race->racers[i].store);
    }
    store_engine_close(engine);
}

/* How many racers got status. */
static int race_got(const struct race *race, enum store_status status)
{
    int n = 0;
    for (int i = 0; i < race->count; i++)
        n += race->racers[i].status == status;
    return n;
}

/* ---- The last places of an event ---- */

struct booking_race {
    int64_t event;
    int64_t people[RACERS_MAX];
};

static void book(struct racer *r)
{
    struct booking_race *b = r->race->arg;
    struct fixture *f = r->race->f;
    r->status = store_booking_create(r->store, &f->actor, b->event, b->people[r->index], f->now, &r->value);
}

static void racing_for_the_last_places_books_exactly_the_capacity(void **state)
{
    struct fixture *f = *state;
    int64_t cohort = fx_cohort(f, 0);
    struct booking_race b;
    for (int i = 0; i < 5; i++) {
        b.people[i] = fx_person(f, "Pat Participant", ROLE_PARTICIPANT, 0, 0);
        fx_enrolment(f, b.people[i], cohort);
    }
    for (int round = 0; round < 12; round++) {
        int capacity = 1 + round % 3;
        b.event = fx_event(f, cohort, capacity);
        struct race race = {.f = f, .count = 5, .run = book, .arg = &b};
        race_run(&race);
        assert_int_equal(race_got(&race, STORE_OK), capacity);
        assert_int_equal(race_got(&race, STORE_CONFLICT), 5 - capacity);

        struct event e;
        struct booking *bookings;
        size_t count;
        assert_int_equal(store_event_get(f->store, b.event, &f->arena, &e), STORE_OK);
        assert_int_equal(store_booking_list(f->store, b.event, &f->arena, &bookings, &count), STORE_OK);
        assert_int_equal(e.booked, capacity);
        assert_int_equal(count, (size_t)capacity);
        for (int i = 0; i < race.count; i++) {
            bool booked;
            assert_int_equal(store_booking_exists(f->store, b.event, b.people[i], &booked), STORE_OK);
            assert_true(booked == (race.racers[i].status == STORE_OK));
        }
    }
}

/* One racer lowers the capacity to what is booked while the others try to book. */
struct capacity_race {
    int64_t event;
    int64_t people[RACERS_MAX];
};

static void book_or_shrink(struct racer *r)
{
    struct capacity_race *c = r->race->arg;
    struct fixture *f = r->race->f;
    if (r->index > 0) {
        r->status = store_booking_create(r->store, &f->actor, c->event, c->people[r->index], f->now, &r->value);
        return;
    }
    struct arena arena = ARENA_INIT;
    struct event before;
    r->status = store_event_get(r->store, c->event, &arena, &before);
    if (r->status == STORE_OK) {
        struct event changed = before;
        changed.capacity = before.booked > 0 ? before.booked : 1;
        r->value = changed.capacity;
        r->status = store_event_update(r->store, &f->actor, &before, &changed, f->now);
    }
    arena_release(&arena);
}

static void lowering_the_capacity_while_people_book_never_leaves_it_below_the_bookings(void **state)
{
    struct fixture *f = *state;
    int64_t cohort = fx_cohort(f, 0);
    struct capacity_race c;
    for (int i = 1; i < 4; i++) {
        c.people[i] = fx_person(f, "Pat Participant", ROLE_PARTICIPANT, 0, 0);
        fx_enrolment(f, c.people[i], cohort);
    }
    for (int round = 0; round < 10; round++) {
        c.event = fx_event(f, cohort, 10);
        struct race race = {.f = f, .count = 4, .run = book_or_shrink, .arg = &c};
        race_run(&race);
        assert_true(race.racers[0].status == STORE_OK || race.racers[0].status == STORE_CONFLICT);
        struct event e;
        assert_int_equal(store_event_get(f->store, c.event, &f->arena, &e), STORE_OK);
        assert_true(e.booked <= e.capacity);
        assert_int_equal(e.booked, race_got(&race, STORE_OK) - (race.racers[0].status == STORE_OK));
        if (race.racers[0].status == STORE_OK)
            assert_int_equal(e.capacity, race.racers[0].value);
    }
}

/* ---- The last quarter hours under a module's cap ---- */

struct hours_race {
    int64_t enrolment, participant;
    int64_t cap;
};

static void log_hours(struct racer *r)
{
    struct hours_race *h = r->race->arg;
    struct fixture *f = r->race->f;
    struct activity a = {.enrolment_id = h->enrolment,
                         .participant_id = h->participant,
                         .module = "leading-teaching",
                         .type = DELIVERY_ACTIVITY_READING,
                         .done_on = "2027-01-02",
                         .quarter_hours = 12,
                         .reflection = ""};
    r->status = store_activity_create(r->store, &f->actor, &a, h->cap, f->now);
    r->value = a.id;
}

static void racing_for_the_last_hours_keeps_the_cap(void **state)
{
    struct fixture *f = *state;
    int64_t cohort = fx_cohort(f, 0);
    for (int round = 0; round < 10; round++) {
        struct hours_race h = {.participant = fx_person(f, "Pat Participant", ROLE_PARTICIPANT, 0, 0)};
        h.enrolment = fx_enrolment(f, h.participant, cohort);
        h.cap = 12 * (1 + round % 3) + 6; /* room for 1, 2 or 3 entries of 3 hours, and half of one more */
        int fit = 1 + round % 3;
        struct race race = {.f = f, .count = 4, .run = log_hours, .arg = &h};
        race_run(&race);
        assert_int_equal(race_got(&race, STORE_OK), fit);
        assert_int_equal(race_got(&race, STORE_CONFLICT), 4 - fit);
        int64_t logged = -1;
        assert_int_equal(store_activity_logged(f->store, h.enrolment, "leading-teaching", 0, &logged), STORE_OK);
        assert_int_equal(logged, 12 * fit);
        struct activity *entries;
        size_t count;
        assert_int_equal(store_activity_list(f->store, h.enrolment, &(struct store_page){.limit = STORE_PAGE_MAX},
                                             &f->arena, &entries, &count),
                         STORE_OK);
        assert_int_equal(count, (size_t)fit);
    }
}

/* Entries changed at once to take more hours: the module's total still stays under its cap. */
struct hours_change_race {
    int64_t enrolment;
    int64_t entries[RACERS_MAX];
};

static void grow_entry(struct racer *r)
{
    struct hours_change_race *h = r->race->arg;
    struct fixture *f = r->race->f;
    struct arena arena = ARENA_INIT;
    struct activity a;
    r->status = store_activity_get(r->store, h->enrolment, h->entries[r->index], &arena, &a);
    if (r->status == STORE_OK) {
        a.quarter_hours = 20;
        r->status = store_activity_update(r->store, &f->actor, &a, 40, f->now);
    }
    arena_release(&arena);
}

static void entries_changed_at_once_keep_the_cap(void **state)
{
    struct fixture *f = *state;
    int64_t cohort = fx_cohort(f, 0);
    for (int round = 0; round < 8; round++) {
        int64_t participant = fx_person(f, "Pat Participant", ROLE_PARTICIPANT, 0, 0);
        struct hours_change_race h = {.enrolment = fx_enrolment(f, participant, cohort)};
        for (int i = 0; i < 3; i++) {
            struct activity a = {.enrolment_id = h.enrolment,
                                 .participant_id = participant,
                                 .module = "leading-teaching",
                                 .type = DELIVERY_ACTIVITY_READING,
                                 .done_on = "2027-01-02",
                                 .quarter_hours = 4};
            assert_int_equal(store_activity_create(f->store, &f->actor, &a, 40, f->now), STORE_OK);
            h.entries[i] = a.id;
        }
        /* 12 logged of 40: one entry can grow from 4 to 20 (28), a second would make 44. */
        struct race race = {.f = f, .count = 3, .run = grow_entry, .arg = &h};
        race_run(&race);
        assert_int_equal(race_got(&race, STORE_OK), 1);
        assert_int_equal(race_got(&race, STORE_CONFLICT), 2);
        int64_t logged = -1;
        assert_int_equal(store_activity_logged(f->store, h.enrolment, "leading-teaching", 0, &logged), STORE_OK);
        assert_int_equal(logged, 28);
    }
}

/* ---- Submitting the same work twice ---- */

struct submit_race {
    int64_t submission;
    int number;
    enum submission_state from;
};

static void submit(struct racer *r)
{
    struct submit_race *s = r->race->arg;
    struct fixture *f = r->race->f;
    r->status = fx_submit(r->store, &f->actor, s->submission, s->number, s->from, f->now, &r->value);
}

static void submitting_the_same_work_at_once_makes_one_version_each_time(void **state)
{
    struct fixture *f = *state;
    int64_t cohort = fx_cohort(f, 0);
    int64_t task = fx_task(f);
    for (int round = 0; round < 6; round++) {
        int64_t participant = fx_person(f, "Pat Participant", ROLE_PARTICIPANT, 0, 0);
        int64_t enrolment = fx_enrolment(f, participant, cohort);
        struct submit_race s = {.submission = fx_submission(f, task, enrolment, participant)};
        for (int number = 1; number <= 3; number++) {
            s.number = number;
            s.from = SUBMISSION_DRAFT;
            struct race race = {.f = f, .count = 3, .run = submit, .arg = &s};
            race_run(&race);
            assert_int_equal(race_got(&race, STORE_OK), 1);
            assert_int_equal(race_got(&race, STORE_CONFLICT), 2);
            int64_t version = 0;
            for (int i = 0; i < race.count; i++)
                if (race.racers[i].status == STORE_OK)
                    version = race.racers[i].value;
            /* Referred: back to a draft, to be submitted again. */
            assert_int_equal(store_result_release(f->store, &f->actor, s.submission, version, OUTCOME_REFER,
                                                  SUBMISSION_SUBMITTED, SUBMISSION_DRAFT, f->now),
                             STORE_OK);
        }
        struct submission_version *versions;
        size_t count;
        assert_int_equal(store_submission_versions(f->store, s.submission, &f->arena, &versions, &count), STORE_OK);
        assert_int_equal(count, 3);
        for (size_t i = 0; i < count; i++)
            assert_int_equal(versions[i].number, (int)i + 1);
    }
    struct assessment_task t;
    assert_int_equal(store_task_get(f->store, task, &f->arena, &t), STORE_OK);
    assert_int_equal(t.versions_submitted, 6 * 3);
}

/* Submitters that each counted the versions differently: only the next number is written. */
static void submit_own_number(struct racer *r)
{
    struct submit_race *s = r->race->arg;
    struct fixture *f = r->race->f;
    r->status = fx_submit(r->store, &f->actor, s->submission, r->index + 1, SUBMISSION_DRAFT, f->now, &r->value);
}

static void submitters_with_different_numbers_leave_no_gap(void **state)
{
    struct fixture *f = *state;
    int64_t cohort = fx_cohort(f, 0);
    int64_t task = fx_task(f);
    for (int round = 0; round < 6; round++) {
        int64_t participant = fx_person(f, "Pat Participant", ROLE_PARTICIPANT, 0, 0);
        struct submit_race s = {.submission =
                                    fx_submission(f, task, fx_enrolment(f, participant, cohort), participant)};
        struct race race = {.f = f, .count = 3, .run = submit_own_number, .arg = &s};
        race_run(&race);
        assert_int_equal(race_got(&race, STORE_OK), 1);
        assert_int_equal(race.racers[0].status, STORE_OK); /* number 1, the only one that is next */
        struct submission_version *versions;
        size_t count;
        assert_int_equal(store_submission_versions(f->store, s.submission, &f->arena, &versions, &count), STORE_OK);
        assert_int_equal(count, 1);
        assert_int_equal(versions[0].number, 1);
    }
}

/* Starting the same draft at once: one is made, the other is told which. */
struct start_race {
    int64_t task, enrolment, participant;
};

static void start_draft(struct racer *r)
{
    struct start_race *s = r->race->arg;
    struct fixture *f = r->race->f;
    struct submission sub = {.task_id = s->task, .enrolment_id = s->enrolment, .participant_id = s->participant};
    int64_t existing = 0;
    r->status = store_submission_create(r->store, &f->actor, &sub, f->now, &existing);
    r->value = r->status == STORE_OK ? sub.id : existing;
}

static void starting_the_same_draft_at_once_makes_one(void **state)
{
    struct fixture *f = *state;
    int64_t cohort = fx_cohort(f, 0);
    int64_t task = fx_task(f);
    for (int round = 0; round < 6; round++) {
        struct start_race s = {.task = task, .participant = fx_person(f, "Pat Participant", ROLE_PARTICIPANT, 0, 0)};
        s.enrolment = fx_enrolment(f, s.participant, cohort);
        struct race race = {.f = f, .count = 3, .run = start_draft, .arg = &s};
        race_run(&race);
        assert_int_equal(race_got(&race, STORE_OK), 1);
        assert_int_equal(race_got(&race, STORE_CONFLICT), 2);
        for (int i = 1; i < race.count; i++)
            assert_int_equal(race.racers[i].value, race.racers[0].value);
    }
}

/* ---- The same outbox message ---- */

enum { OUTBOX_MESSAGES = 40 };

struct outbox_race {
    int64_t claimed[RACERS_MAX][OUTBOX_MESSAGES];
    int counts[RACERS_MAX];
    bool failed[RACERS_MAX];
};

static void drain_outbox(struct racer *r)
{
    struct outbox_race *o = r->race->arg;
    struct fixture *f = r->race->f;
    struct arena arena = ARENA_INIT;
    /* Not found can also mean that others won every message tried: stop after a few in a row. */
    for (int misses = 0; misses < 3;) {
        struct mail_message m;
        enum store_status status = store_mail_claim(r->store, NULL, f->now, 300, &arena, &m);
        if (status == STORE_NOT_FOUND) {
            misses++;
            continue;
        }
        if (status != STORE_OK || o->counts[r->index] == OUTBOX_MESSAGES) {
            o->failed[r->index] = true;
            break;
        }
        misses = 0;
        o->claimed[r->index][o->counts[r->index]++] = m.id;
    }
    arena_release(&arena);
    r->status = o->failed[r->index] ? STORE_ERROR : STORE_OK;
}

static void claiming_the_same_outbox_messages_gives_each_to_one_sender(void **state)
{
    struct fixture *f = *state;
    for (int round = 0; round < 2; round++) {
        int64_t first = (int64_t)OUTBOX_MESSAGES * round; /* the ids before this round's */
        for (int i = 0; i < OUTBOX_MESSAGES; i++) {
            assert_int_equal(store_mail_enqueue(f->store, "ada@example.org", "A message", "Body", f->now - 10),
                             STORE_OK);
        }
        struct arena arena = ARENA_INIT;
        struct outbox_race *o = calloc(1, sizeof(*o));
        struct race race = {.f = f, .count = 4, .run = drain_outbox, .arg = o};
        race_run(&race);
        assert_int_equal(race_got(&race, STORE_OK), 4);
        int total = 0;
        int64_t seen[OUTBOX_MESSAGES * 2 + 1] = {0};
        for (int r = 0; r < race.count; r++)
            for (int i = 0; i < o->counts[r]; i++) {
                int64_t id = o->claimed[r][i];
                assert_true(id > first && id <= (int64_t)(OUTBOX_MESSAGES * (round + 1)));
                assert_int_equal(seen[id], 0); /* claimed by one sender only */
                seen[id] = 1;
                total++;
            }
        assert_int_equal(total, OUTBOX_MESSAGES);
        /* Every message is leased: nothing is due again until the leases pass. */
        struct mail_message m;
        assert_int_equal(store_mail_claim(f->store, NULL, f->now, 300, &arena, &m), STORE_NOT_FOUND);
        for (int64_t id = 1; id <= (int64_t)(OUTBOX_MESSAGES * (round + 1)); id++)
            if (seen[id])
                assert_int_equal(store_mail_mark_sent(f->store, id, f->now), STORE_OK);
        int64_t pending = -1;
        assert_int_equal(store_mail_pending(f->store, &pending), STORE_OK);
        assert_int_equal(pending, 0);
        free(o);
        arena_release(&arena);
    }
}

/* ---- The notification checks ---- */

struct notification_race {
    struct notification n;
    bool sequence_per_racer; /* each racer saw another SEQUENCE */
};

static void record_notification(struct racer *r)
{
    struct notification_race *nr = r->race->arg;
    struct fixture *f = r->race->f;
    struct notification n = nr->n;
    if (nr->sequence_per_racer)
        n.sequence = r->index;
    if ((r->status = store_begin(r->store)) != STORE_OK)
        return;
    /* As the notifier does: the record and the email it stands for in one transaction. */
    r->status = store_notification_record(r->store, &n, f->now);
    if (r->status == STORE_OK)
        r->status = store_mail_enqueue(r->store, "pat@example.org", "Invitation", "Body", f->now);
    if (r->status == STORE_OK)
        r->status = store_commit(r->store);
    else
        store_rollback(r->store);
}

static void recording_the_same_notification_at_once_records_it_once(void **state)
{
    struct fixture *f = *state;
    int64_t cohort = fx_cohort(f, 0);
    int64_t person = fx_person(f, "Pat Participant", ROLE_PARTICIPANT, 0, 0);
    fx_enrolment(f, person, cohort);
    int64_t queued = 0;
    for (int round = 0; round < 4; round++) {
        int64_t event = fx_event(f, cohort, 5);
        /* Invitations and reminders: once per person and event, whatever SEQUENCE each server saw.
         * Changes: once per SEQUENCE. */
        const struct {
            enum notification_kind kind;
            bool per_racer;
            int winners;
        } cases[] = {{NOTIFICATION_INVITATION, true, 1},
                     {NOTIFICATION_REMINDER, true, 1},
                     {NOTIFICATION_CHANGE, false, 1},
                     {NOTIFICATION_CANCELLATION, false, 1}};
        for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
            struct notification_race nr = {.n = {.subject = CALENDAR_EVENT,
                                                 .subject_id = event,
                                                 .user_id = person,
                                                 .kind = cases[c].kind,
                                                 .sequence = 3,
                                                 .starts_at = f->now + 86400},
                                           .sequence_per_racer = cases[c].per_racer};
            struct race race = {.f = f, .count = 4, .run = record_notification, .arg = &nr};
            race_run(&race);
            assert_int_equal(race_got(&race, STORE_OK), cases[c].winners);
            assert_int_equal(race_got(&race, STORE_CONFLICT), 4 - cases[c].winners);
            queued += cases[c].winners;
        }
    }
    /* One email per notification recorded: a refused record queued nothing. */
    int64_t pending = -1;
    assert_int_equal(store_mail_pending(f->store, &pending), STORE_OK);
    assert_int_equal(pending, queued);
}

/* ---- Two migrations at once ---- */

struct migrate_race {
    int versions[RACERS_MAX];
};

static void migrate(struct racer *r)
{
    struct migrate_race *m = r->race->arg;
    r->status = store_migrate(r->store, &m->versions[r->index]);
}

static void migrating_from_several_connections_at_once_applies_each_migration_once(void **state)
{
    struct fixture *f = *state;
    int expected = 0;
    assert_int_equal(store_migrate(f->store, &expected), STORE_OK);
    for (int round = 0; round < 3; round++) {
        /* A fresh database each round; the race's connections reach it through the fixture. */
        struct fixture fresh = *f;
        store_close(fixture_open_fresh(fresh.location));
        struct migrate_race m = {{0}};
        struct race race = {.f = &fresh, .count = 3, .run = migrate, .arg = &m};
        race_run(&race);
        assert_int_equal(race_got(&race, STORE_OK), 3);
        for (int i = 0; i < race.count; i++)
            assert_int_equal(m.versions[i], expected);
        /* Applied once each: applying one again would fail (its tables exist), and the schema works. */
        struct store *store = fixture_connect(&fresh);
        int version = 0;
        assert_int_equal(store_migrate(store, &version), STORE_OK);
        assert_int_equal(version, expected);
        int64_t id = 0;
        assert_int_equal(store_user_create(store, &f->actor, "ada@example.org", "Ada", 0, f->now, &id), STORE_OK);
        store_close(store);
        fixture_remove(fresh.location);
    }
}

/* ---- A link used twice at once ---- */

static void consume_link(struct racer *r)
{
    const unsigned char *hash = r->race->arg;
    struct fixture *f = r->race->f;
    r->status = store_one_time_consume(r->store, hash, ONE_TIME_RESET, f->now, &r->value);
}

static void using_a_link_at_once_from_several_places_uses_it_once(void **state)
{
    struct fixture *f = *state;
    int64_t person = fx_person(f, "Pat Participant", ROLE_PARTICIPANT, 0, 0);
    for (int round = 0; round < 8; round++) {
        unsigned char hash[32];
        fx_hash(hash, round);
        assert_int_equal(store_one_time_create(f->store, person, ONE_TIME_RESET, hash, f->now, f->now + 3600),
                         STORE_OK);
        struct race race = {.f = f, .count = 4, .run = consume_link, .arg = hash};
        race_run(&race);
        assert_int_equal(race_got(&race, STORE_OK), 1);
        assert_int_equal(race_got(&race, STORE_NOT_FOUND), 3);
    }
}

/* ---- Two calendar feeds made at once ---- */

struct feed_race {
    int64_t person;
    int round;
};

static void feed_hash(unsigned char hash[32], const struct feed_race *fr, int racer)
{
    fx_hash(hash, 1000 + fr->round * RACERS_MAX + racer);
}

static void make_feed(struct racer *r)
{
    const struct feed_race *fr = r->race->arg;
    struct fixture *f = r->race->f;
    unsigned char hash[32];
    feed_hash(hash, fr, r->index);
    r->status = store_calendar_feed_create(r->store, &f->actor, fr->person, hash, f->now);
}

static void feeds_made_at_once_leave_one_address_working(void **state)
{
    struct fixture *f = *state;
    for (int round = 0; round < 4; round++) {
        struct feed_race fr = {.person = fx_person(f, "Pat Participant", ROLE_PARTICIPANT, 0, 0), .round = round};
        struct race race = {.f = f, .count = 3, .run = make_feed, .arg = &fr};
        race_run(&race);
        /* With one writer at a time each replaces the one before; with more, a loser is told. */
        assert_int_equal(race_got(&race, STORE_OK) + race_got(&race, STORE_CONFLICT), 3);
        assert_true(race_got(&race, STORE_OK) >= 1);
        int live = 0;
        for (int i = 0; i < race.count; i++) {
            unsigned char hash[32];
            feed_hash(hash, &fr, i);
            int64_t owner = 0;
            enum store_status s = store_calendar_feed_owner(f->store, hash, &owner);
            assert_true(s == STORE_OK || s == STORE_NOT_FOUND);
            if (s == STORE_OK) {
                assert_int_equal(owner, fr.person);
                assert_int_equal(race.racers[i].status, STORE_OK);
                live++;
            }
        }
        assert_int_equal(live, 1);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(racing_for_the_last_places_books_exactly_the_capacity, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(lowering_the_capacity_while_people_book_never_leaves_it_below_the_bookings,
                                        fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(racing_for_the_last_hours_keeps_the_cap, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(entries_changed_at_once_keep_the_cap, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(submitting_the_same_work_at_once_makes_one_version_each_time, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(submitters_with_different_numbers_leave_no_gap, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(starting_the_same_draft_at_once_makes_one, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(claiming_the_same_outbox_messages_gives_each_to_one_sender, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(recording_the_same_notification_at_once_records_it_once, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(migrating_from_several_connections_at_once_applies_each_migration_once,
                                        fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(using_a_link_at_once_from_several_places_uses_it_once, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(feeds_made_at_once_leave_one_address_working, fixture_setup, fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
