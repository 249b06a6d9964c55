/*
 * npq bench-data: a national programme at the scale the benchmarks measure, generated into an
 * initialised database. Regions, delivery partners with venues and staff, schools with a
 * headteacher and a mentor, cohorts of NPQML, NPQSL and NPQH, each module's events with their
 * bookings and registers, coaching, learning hours, course items done, module completions and
 * the NPQSL final assessment at every stage from draft to released result.
 *
 * Everything is written through the store's own write functions (and, for assessed work, the
 * use cases themselves), a batch of cohorts to a transaction so that 100,000 enrolments load in
 * minutes; each enrolment's kept progress is judged at the end of its batch, in the same
 * transaction, so the progress table holds what the writes one by one would have left. The same
 * seed gives the same programme; its dates are counted from the day it runs, so it is always in
 * motion. It adds, and refuses a database that already holds it.
 */
#include "cli/cli.h"

#include "app/assessment.h"
#include "app/content.h"
#include "app/progress.h"
#include "lib/clock.h"
#include "lib/date.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const struct actor bench_actor = {0, "command line", ""};

enum { BENCH_DAY = 24 * 3600, BENCH_HOUR = 3600 };

/* Sizes of the programme, per participant where they grow with it. */
enum {
    PARTICIPANTS_PER_SCHOOL = 8,
    PARTICIPANTS_PER_PARTNER = 2500,
    PARTICIPANTS_PER_COACH = 25,
    PARTICIPANTS_PER_ASSESSOR = 2000,
    FACILITATORS_PER_PARTNER = 3,
    COHORT_MIN = 20,
    COHORT_SPREAD = 21, /* cohorts of 20 to 40 */
    ITEMS_PER_MODULE = 6,
    EVENT_CAPACITY = 40,
    BATCH_ENROLMENTS = 2000, /* a transaction holds whole cohorts, about this many enrolments */
};

static const char *const regions[] = {"North East",    "North West",    "Yorkshire and the Humber",
                                      "East Midlands", "West Midlands", "East of England",
                                      "London",        "South East",    "South West"};
enum { REGION_COUNT = sizeof(regions) / sizeof(regions[0]) };

/* The 2012 qualifications, whose rules name modules: what the cohorts study. */
static const char *const targets[] = {"NPQML", "NPQSL", "NPQH"};
enum { TARGET_COUNT = sizeof(targets) / sizeof(targets[0]) };

/* splitmix64: small, fast and the same everywhere, so a seed names one programme. */
struct rng {
    uint64_t state;
};

static uint64_t rng_next(struct rng *r)
{
    uint64_t z = (r->state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* A whole number in [0, n). */
static int rng_below(struct rng *r, int n)
{
    return n <= 1 ? 0 : (int)(rng_next(r) % (uint64_t)n);
}

/* True with the given chance in percent. */
static bool rng_chance(struct rng *r, int percent)
{
    return rng_below(r, 100) < percent;
}

/* What was written, for the summary and for whoever checks it. */
struct bench_counts {
    long partners, schools, staff, participants, cohorts, enrolments, events, bookings, attendance, coaching,
        hours_entries, content_done, learning_records, module_completions, submissions, submitted, results;
};

struct bench_module {
    const struct catalogue_module *module;
    int64_t items[ITEMS_PER_MODULE];
    int item_version[ITEMS_PER_MODULE];
    int item_minutes[ITEMS_PER_MODULE];
};

struct bench {
    const struct accounts_env *env;
    const struct catalogue *catalogue;
    struct rng rng;
    int64_t now, today; /* today: midnight UTC */
    int participants;
    struct bench_counts n;
    int64_t admin, *partners, *venues, *facilitators, *schools, *headteachers, *mentors, *coaches, *assessors;
    int partner_count, school_count, coach_count, assessor_count;
    int64_t final_task; /* NPQSL's final assessment */
    struct bench_module *modules;
    size_t module_count;
    const char *failed; /* what did not work, for the message */
};

/* Stops the run at the first write that fails: a batch is all or nothing, so one refused write
 * has rolled its whole transaction back. */
static bool ok(struct bench *b, bool done, const char *what)
{
    if (!done && b->failed == NULL)
        b->failed = what;
    return done;
}

static bool ok_app(struct bench *b, enum app_result r, const char *what, struct errors *errors)
{
    if (r != APP_OK && b->failed == NULL) {
        b->failed = what;
        for (size_t i = 0; i < errors->count; i++)
            fprintf(stderr, "npq: bench-data: %s: %s: %s\n", what, errors->items[i].where, errors->items[i].message);
    }
    errors_free(errors);
    return r == APP_OK;
}

static struct bench_module *bench_module(struct bench *b, const char *code)
{
    for (size_t i = 0; i < b->module_count; i++)
        if (strcmp(b->modules[i].module->code, code) == 0)
            return &b->modules[i];
    return NULL;
}

static const struct catalogue_qualification *qualification(const struct catalogue *c, const char *code)
{
    for (size_t i = 0; i < c->qualification_count; i++)
        if (strcmp(c->qualifications[i].code, code) == 0)
            return &c->qualifications[i];
    return NULL;
}

static int64_t person(struct bench *b, const char *email, const char *name, int64_t organisation, enum role role,
                      int64_t scope)
{
    int64_t id = 0, grant;
    if (ok(b, store_user_create(b->env->store, b->env->actor, email, name, organisation, b->now, &id) == STORE_OK,
           "a person") &&
        ok(b, store_role_grant(b->env->store, b->env->actor, id, role, scope, b->now, &grant) == STORE_OK, "a role"))
        b->n.staff += role != ROLE_PARTICIPANT;
    return id;
}

static int64_t organisation(struct bench *b, struct organisation o)
{
    ok(b, store_organisation_create(b->env->store, b->env->actor, &o, b->now) == STORE_OK, "an organisation");
    return o.id;
}

static struct caller as(int64_t id, enum role role)
{
    return (struct caller){.user_id = id, .email = "", .name = "", .roles = 1u << role};
}

/* The programme's fixed frame: partners and their staff, schools, coaches, assessors, the course
 * items of every module the cohorts study, and the NPQSL final assessment. One transaction. */
static bool frame(struct bench *b, struct arena *arena)
{
    struct store *store = b->env->store;
    char email[128], name[160];
    b->partner_count = b->participants / PARTICIPANTS_PER_PARTNER + 2;
    b->school_count = b->participants / PARTICIPANTS_PER_SCHOOL + REGION_COUNT;
    b->coach_count = b->participants / PARTICIPANTS_PER_COACH + 1;
    b->assessor_count = b->participants / PARTICIPANTS_PER_ASSESSOR + 1;
    b->partners = arena_alloc(arena, sizeof(int64_t) * (size_t)b->partner_count);
    b->venues = arena_alloc(arena, sizeof(int64_t) * (size_t)b->partner_count);
    b->facilitators = arena_alloc(arena, sizeof(int64_t) * (size_t)b->partner_count * FACILITATORS_PER_PARTNER);
    b->schools = arena_alloc(arena, sizeof(int64_t) * (size_t)b->school_count);
    b->headteachers = arena_alloc(arena, sizeof(int64_t) * (size_t)b->school_count);
    b->mentors = arena_alloc(arena, sizeof(int64_t) * (size_t)b->school_count);
    b->coaches = arena_alloc(arena, sizeof(int64_t) * (size_t)b->coach_count);
    b->assessors = arena_alloc(arena, sizeof(int64_t) * (size_t)b->assessor_count);
    if (store_begin(store) != STORE_OK)
        return ok(b, false, "beginning a transaction");

    organisation(b, (struct organisation){.kind = ORG_PROVIDER, .name = "Bench National Provider"});
    b->admin = person(b, "admin@bench.npq.test", "Bench Administrator", 0, ROLE_ADMIN, 0);
    for (int p = 0; p < b->partner_count && b->failed == NULL; p++) {
        const char *region = regions[p % REGION_COUNT];
        snprintf(name, sizeof(name), "%s Teaching School Hub %d", region, p / REGION_COUNT + 1);
        b->partners[p] = organisation(
            b, (struct organisation){.kind = ORG_DELIVERY_PARTNER, .name = name, .regions_served = region});
        b->n.partners++;
        snprintf(name, sizeof(name), "Bench Hub %d Centre", p + 1);
        struct venue v = {.delivery_partner_id = b->partners[p],
                          .name = name,
                          .address = "1 High Street",
                          .postcode = "AB1 2CD",
                          .capacity = 60,
                          .accessibility = "Step-free access"};
        ok(b, store_venue_create(store, b->env->actor, &v, b->now) == STORE_OK, "a venue");
        b->venues[p] = v.id;
        snprintf(email, sizeof(email), "lead-%d@bench.npq.test", p + 1);
        snprintf(name, sizeof(name), "Partner Lead %d", p + 1);
        person(b, email, name, b->partners[p], ROLE_PARTNER_LEAD, b->partners[p]);
        for (int f = 0; f < FACILITATORS_PER_PARTNER; f++) {
            snprintf(email, sizeof(email), "facilitator-%d-%d@bench.npq.test", p + 1, f + 1);
            snprintf(name, sizeof(name), "Facilitator %d-%d", p + 1, f + 1);
            b->facilitators[p * FACILITATORS_PER_PARTNER + f] =
                person(b, email, name, b->partners[p], ROLE_FACILITATOR, b->partners[p]);
        }
    }
    for (int s = 0; s < b->school_count && b->failed == NULL; s++) {
        char urn[16];
        snprintf(urn, sizeof(urn), "%d", 300000 + s);
        snprintf(name, sizeof(name), "Bench School %d", s + 1);
        b->schools[s] = organisation(b, (struct organisation){.kind = ORG_SCHOOL,
                                                              .name = name,
                                                              .urn = urn,
                                                              .local_authority = "Bench Borough",
                                                              .region = regions[s % REGION_COUNT],
                                                              .phase = s % 3 ? "Primary" : "Secondary"});
        b->n.schools++;
        snprintf(email, sizeof(email), "head-%d@bench.npq.test", s + 1);
        snprintf(name, sizeof(name), "Headteacher %d", s + 1);
        b->headteachers[s] = person(b, email, name, b->schools[s], ROLE_HEADTEACHER, b->schools[s]);
        snprintf(email, sizeof(email), "mentor-%d@bench.npq.test", s + 1);
        snprintf(name, sizeof(name), "Mentor %d", s + 1);
        b->mentors[s] = person(b, email, name, b->schools[s], ROLE_MENTOR, 0);
    }
    for (int c = 0; c < b->coach_count && b->failed == NULL; c++) {
        snprintf(email, sizeof(email), "coach-%d@bench.npq.test", c + 1);
        snprintf(name, sizeof(name), "Coach %d", c + 1);
        b->coaches[c] = person(b, email, name, 0, ROLE_COACH, 0);
    }
    for (int a = 0; a < b->assessor_count && b->failed == NULL; a++) {
        snprintf(email, sizeof(email), "assessor-%d@bench.npq.test", a + 1);
        snprintf(name, sizeof(name), "Assessor %d", a + 1);
        b->assessors[a] = person(b, email, name, 0, ROLE_ASSESSOR, 0);
    }

    /* The course: a few items in one unit for every module a target may study. */
    struct caller admin = as(b->admin, ROLE_ADMIN);
    size_t cap = 0;
    for (size_t t = 0; t < TARGET_COUNT; t++) {
        const struct catalogue_qualification *q = qualification(b->catalogue, targets[t]);
        if (!ok(b, q != NULL, "the catalogue's NPQML, NPQSL and NPQH"))
            break;
        cap += q->rule.essential_count + q->rule.elective_from_count;
    }
    b->modules = arena_alloc(arena, sizeof(*b->modules) * (cap ? cap : 1));
    for (size_t t = 0; t < TARGET_COUNT && b->failed == NULL; t++) {
        const struct catalogue_qualification *q = qualification(b->catalogue, targets[t]);
        for (size_t i = 0; i < q->rule.essential_count + q->rule.elective_from_count && b->failed == NULL; i++) {
            const char *code =
                i < q->rule.essential_count ? q->rule.essential[i] : q->rule.elective_from[i - q->rule.essential_count];
            if (bench_module(b, code) != NULL)
                continue;
            struct bench_module *m = &b->modules[b->module_count];
            m->module = NULL;
            for (size_t k = 0; k < b->catalogue->module_count; k++)
                if (strcmp(b->catalogue->modules[k].code, code) == 0)
                    m->module = &b->catalogue->modules[k];
            if (!ok(b, m->module != NULL, "a module the catalogue's rules name"))
                break;
            b->module_count++;
            char tag[160];
            snprintf(tag, sizeof(tag), "module:%s", code);
            const char *const tags[] = {tag};
            static const char *const kinds[ITEMS_PER_MODULE] = {"Reading",    "Video",   "Activity",
                                                                "Case study", "Reading", "Reflection"};
            for (int k = 0; k < ITEMS_PER_MODULE && b->failed == NULL; k++) {
                snprintf(name, sizeof(name), "%s: %s %d", m->module->title, kinds[k], k + 1);
                struct content_change change = {.kind = k == 2 ? CONTENT_ACTIVITY : CONTENT_READING,
                                                .title = name,
                                                .body = "Read, try it in school, and bring what you found to the next "
                                                        "session.",
                                                .minutes = 15 + 10 * k,
                                                .tags = tags,
                                                .tag_count = 1,
                                                .has_tags = true};
                struct content_item item;
                struct errors errors = ERRORS_INIT;
                if (ok_app(b, content_create(b->env, b->catalogue, &admin, &change, arena, &item, &errors),
                           "a course item", &errors)) {
                    m->items[k] = item.id;
                    m->item_version[k] = item.current.version;
                    m->item_minutes[k] = change.minutes;
                }
            }
            int64_t unit;
            struct errors errors = ERRORS_INIT;
            if (b->failed == NULL)
                ok_app(b,
                       content_unit_add(b->env, b->catalogue, &admin, code, "Core reading", m->items, ITEMS_PER_MODULE,
                                        &unit, &errors),
                       "a course unit", &errors);
        }
    }

    static struct assessment_criterion criteria[] = {
        {"Uses the evidence", "Draws on the evidence statements of the framework"},
        {"Evaluates the impact", "Says what changed for pupils and how it is known"},
    };
    struct assessment_task task = {.kind = TASK_FINAL,
                                   .target = "NPQSL",
                                   .title = "NPQSL final assessment: leading a change",
                                   .brief = "Lead an improvement across your school and evaluate its impact.",
                                   .deadline = b->today + 60 * BENCH_DAY,
                                   .word_limit = 2500,
                                   .max_resubmissions = 1,
                                   .moderation_percent = 0,
                                   .max_file_bytes = TASK_FILE_BYTES_DEFAULT,
                                   .criteria = criteria,
                                   .criteria_count = 2};
    if (b->failed == NULL &&
        ok(b, store_task_create(store, b->env->actor, &task, b->now) == STORE_OK, "the final assessment"))
        b->final_task = task.id;
    if (b->failed != NULL) {
        store_rollback(store);
        return false;
    }
    return ok(b, store_commit(store) == STORE_OK, "committing the programme's frame");
}

/* How a participant takes part, which decides how much of everything they do. */
struct engagement {
    int attend, hours, content, coaching; /* chances in percent */
};

static const struct engagement engagements[] = {
    {95, 90, 85, 95}, /* most: keeping up */
    {70, 50, 45, 75}, /* some: patchy */
    {35, 15, 10, 40}, /* a few: falling away */
};

static const struct engagement *engagement_of(struct rng *r)
{
    int roll = rng_below(r, 100);
    return &engagements[roll < 72 ? 0 : roll < 92 ? 1 : 2];
}

struct member {
    int64_t participant, enrolment, school_index;
    const struct engagement *how;
};

/* The day at t as YYYY-MM-DD, in arena. */
static const char *day_of(struct arena *arena, int64_t t)
{
    char date[DATE_TEXT];
    date_of(t, date);
    return arena_strdup(arena, date);
}

/* Assessed work as the participant, assessor and administrator would do it, through the use
 * cases: a draft, submitted, marked and released, stopping at stage. */
enum work_stage { WORK_NONE, WORK_DRAFT, WORK_SUBMITTED, WORK_MARKED, WORK_RELEASED };

static void work(struct bench *b, struct arena *arena, const struct member *m, enum work_stage stage)
{
    struct caller who = as(m->participant, ROLE_PARTICIPANT);
    struct errors errors = ERRORS_INIT;
    int64_t id = 0;
    if (!ok_app(b, assessment_submission_start(b->env, b->catalogue, &who, b->final_task, m->enrolment, &id, &errors),
                "starting the final assessment", &errors) ||
        !ok_app(b,
                assessment_draft_save(b->env, &who, id, "Raising attendance in Year 9",
                                      "We looked at attendance week by week, chose two strategies from the evidence "
                                      "and agreed with staff how we would know they worked.",
                                      &errors),
                "writing a draft", &errors))
        return;
    b->n.submissions++;
    struct submission_version version;
    if (stage < WORK_SUBMITTED ||
        !ok_app(b, assessment_submit(b->env, &who, id, arena, &version, &errors), "submitting", &errors))
        return;
    b->n.submitted++;
    enum mark_outcome outcome = rng_chance(&b->rng, 85) ? OUTCOME_PASS : OUTCOME_REFER;
    struct mark_criterion met[2] = {{true, "Clear use of the evidence"},
                                    {outcome == OUTCOME_PASS, outcome == OUTCOME_PASS ? "Well evaluated"
                                                                                      : "Say what "
                                                                                        "changed"}};
    struct mark mark = {.outcome = outcome,
                        .feedback = outcome == OUTCOME_PASS ? "A well evidenced piece of work."
                                                            : "Evaluate the impact on pupils, then resubmit.",
                        .criteria = met,
                        .criteria_count = 2};
    struct caller assessor = as(b->assessors[rng_below(&b->rng, b->assessor_count)], ROLE_ASSESSOR);
    if (stage < WORK_MARKED || !ok_app(b, assessment_mark(b->env, &assessor, id, &mark, &errors), "marking", &errors))
        return;
    struct caller admin = as(b->admin, ROLE_ADMIN);
    if (stage >= WORK_RELEASED && ok_app(b, assessment_release(b->env, &admin, id, &errors), "releasing", &errors))
        b->n.results++;
}

/* One cohort with everything its people have done so far, inside the caller's transaction;
 * appends its enrolments to ids. */
static void cohort(struct bench *b, int index, int size, int64_t *ids, size_t *id_count)
{
    struct store *store = b->env->store;
    const struct actor *actor = b->env->actor;
    struct rng *r = &b->rng;
    struct arena arena = ARENA_INIT;
    int partner = index % b->partner_count;
    const char *target = targets[index % TARGET_COUNT];
    const struct catalogue_qualification *q = qualification(b->catalogue, target);
    enum delivery_model model = rng_chance(r, 75) ? DELIVERY_BLENDED : DELIVERY_ONLINE;
    /* Cohorts began up to sixteen months ago, or begin within two months; each runs 18 months. */
    int64_t starts = b->today + (int64_t)(rng_below(r, 540) - 480) * BENCH_DAY;
    int64_t ends = starts + 540 * BENCH_DAY;
    char code[64];
    snprintf(code, sizeof(code), "%s-BENCH-%05d", target, index + 1);
    struct cohort c = {.code = code,
                       .kind = STUDY_QUALIFICATION,
                       .target = target,
                       .delivery_partner_id = b->partners[partner],
                       .delivery_model = model,
                       .starts_on = day_of(&arena, starts),
                       .ends_on = day_of(&arena, ends)};
    if (!ok(b, store_cohort_create(store, actor, &c, b->now) == STORE_OK, "a cohort"))
        goto out;
    b->n.cohorts++;

    /* The cohort's electives, the same for all its people; then the modules in the order taught. */
    const char *electives[8];
    size_t elective_count = 0, first = (size_t)rng_below(r, (int)q->rule.elective_from_count);
    for (int e = 0; e < q->rule.elective_count && elective_count < 8; e++)
        electives[elective_count++] = q->rule.elective_from[(first + (size_t)e) % q->rule.elective_from_count];
    struct bench_module *studied[16];
    size_t studied_count = 0;
    for (size_t i = 0; i < q->rule.essential_count && studied_count < 16; i++)
        studied[studied_count++] = bench_module(b, q->rule.essential[i]);
    for (size_t i = 0; i < elective_count && studied_count < 16; i++)
        studied[studied_count++] = bench_module(b, electives[i]);

    /* The people: each new, at a school in the partner's region, with a coach and their school's
     * mentor, enrolled in the cohort. */
    struct member *members = arena_alloc(&arena, sizeof(*members) * (size_t)size);
    int schools_in_region = b->school_count / REGION_COUNT;
    for (int i = 0; i < size && b->failed == NULL; i++) {
        struct member *m = &members[i];
        long number = b->n.participants + 1;
        char email[96], name[96];
        snprintf(email, sizeof(email), "participant-%06ld@bench.npq.test", number);
        snprintf(name, sizeof(name), "Participant %06ld", number);
        m->school_index = partner % REGION_COUNT + REGION_COUNT * rng_below(r, schools_in_region);
        m->how = engagement_of(r);
        m->participant = person(b, email, name, b->schools[m->school_index], ROLE_PARTICIPANT, 0);
        b->n.participants++;
        int64_t assignment;
        ok(b,
           store_assignment_create(store, actor, ROLE_COACH, b->coaches[rng_below(r, b->coach_count)], m->participant,
                                   b->now, &assignment) == STORE_OK,
           "a coach");
        ok(b,
           store_assignment_create(store, actor, ROLE_MENTOR, b->mentors[m->school_index], m->participant, b->now,
                                   &assignment) == STORE_OK,
           "a mentor");
        struct enrolment e = {.participant_id = m->participant,
                              .kind = STUDY_QUALIFICATION,
                              .target = target,
                              .cohort_id = c.id,
                              .delivery_model = model,
                              .funding = rng_chance(r, 80) ? FUNDING_SCHOOL : FUNDING_SCHOLARSHIP,
                              .scholarship_eligibility = "",
                              .school_id = b->schools[m->school_index],
                              .electives = electives,
                              .elective_count = elective_count};
        if (ok(b, store_enrolment_create(store, actor, &e, b->now) == STORE_OK, "an enrolment")) {
            m->enrolment = e.id;
            ids[(*id_count)++] = e.id;
            b->n.enrolments++;
        }
    }

    /* Each module has a face-to-face day (or, online, a live session) and a live session, about
     * ten weeks apart: booked a week before, registers taken once they have ended. */
    int64_t step = (ends - starts) / (int64_t)(studied_count + 1);
    for (size_t k = 0; k < studied_count && b->failed == NULL; k++) {
        int64_t module_start = starts + (int64_t)k * step + 9 * BENCH_HOUR;
        for (int which = 0; which < 2 && b->failed == NULL; which++) {
            bool face = which == 0 && model == DELIVERY_BLENDED;
            int64_t begins = module_start + (int64_t)which * 21 * BENCH_DAY;
            struct event ev = {.cohort_id = c.id,
                               .kind = face ? DELIVERY_EVENT_FACE_TO_FACE : DELIVERY_EVENT_VIRTUAL_LIVE,
                               .title = which == 0 ? studied[k]->module->title : "Live session",
                               .module = studied[k]->module->code,
                               .venue_id = face ? b->venues[partner] : 0,
                               .joining_url = face ? NULL : "https://meet.example.com/npq-bench",
                               .starts_at = begins,
                               .ends_at = begins + (face ? 6 : 2) * BENCH_HOUR,
                               .capacity = EVENT_CAPACITY,
                               .facilitator_id = b->facilitators[partner * FACILITATORS_PER_PARTNER + rng_below(r, 3)]};
            if (!ok(b, store_event_create(store, actor, &ev, b->now) == STORE_OK, "an event"))
                break;
            b->n.events++;
            int64_t booked_at = begins - 7 * BENCH_DAY < b->now ? begins - 7 * BENCH_DAY : b->now;
            bool ended = ev.ends_at <= b->now;
            for (int i = 0; i < size && b->failed == NULL; i++) {
                int64_t booking;
                if (!ok(b,
                        store_booking_create(store, actor, ev.id, members[i].participant, booked_at, &booking) ==
                            STORE_OK,
                        "a booking"))
                    break;
                b->n.bookings++;
                if (!ended)
                    continue;
                int roll = rng_below(r, 100);
                enum delivery_attendance_mark mark =
                    roll < members[i].how->attend
                        ? (roll % 17 == 0) ? DELIVERY_ATTENDANCE_LATE : DELIVERY_ATTENDANCE_PRESENT
                    : roll % 4 == 0 ? DELIVERY_ATTENDANCE_EXCUSED
                                    : DELIVERY_ATTENDANCE_ABSENT;
                if (ok(b,
                       store_attendance_set(store, actor, ev.id, members[i].participant, NULL, mark, "", ev.ends_at) ==
                           STORE_OK,
                       "a register mark"))
                    b->n.attendance++;
            }
        }
    }

    /* What each person has done between the cohort's start and today. */
    int64_t elapsed = b->now > starts ? b->now - starts : 0;
    for (int i = 0; i < size && b->failed == NULL; i++) {
        struct member *m = &members[i];
        /* Coaching every four weeks since the start, and the next one booked. */
        for (int64_t at = starts + 14 * BENCH_DAY + 14 * BENCH_HOUR; at < b->now + 28 * BENCH_DAY && b->failed == NULL;
             at += 28 * BENCH_DAY) {
            if (at < b->now && !rng_chance(r, m->how->coaching))
                continue;
            struct coaching_session s = {.coach_id = b->coaches[rng_below(r, b->coach_count)],
                                         .participant_id = m->participant,
                                         .starts_at = at,
                                         .ends_at = at + BENCH_HOUR,
                                         .mode = DELIVERY_COACHING_ONLINE,
                                         .place = "https://meet.example.com/npq-coaching"};
            if (ok(b, store_coaching_session_create(store, actor, &s, at - 14 * BENCH_DAY) == STORE_OK,
                   "a coaching session"))
                b->n.coaching++;
        }
        for (size_t k = 0; k < studied_count && b->failed == NULL; k++) {
            struct bench_module *bm = studied[k];
            int64_t module_start = starts + (int64_t)k * step;
            if (module_start >= b->now)
                break;
            int64_t module_days = (b->now - module_start) / BENCH_DAY;
            if (module_days > step / BENCH_DAY)
                module_days = step / BENCH_DAY;
            /* Hours: a few entries a fortnight, one to three hours each, under the module's cap. */
            int cap = (bm->module->hours_cap > 0 ? bm->module->hours_cap : CATALOGUE_DEFAULT_HOURS_CAP) * 4;
            int logged = 0;
            for (int64_t day = 0; day < module_days && b->failed == NULL; day += 2 + rng_below(r, 4)) {
                if (!rng_chance(r, m->how->hours))
                    continue;
                int quarters = 4 * (1 + rng_below(r, 3));
                if (logged + quarters > cap)
                    break;
                struct activity a = {.enrolment_id = m->enrolment,
                                     .participant_id = m->participant,
                                     .module = bm->module->code,
                                     .type = (enum delivery_activity)rng_below(r, DELIVERY_ACTIVITY_COUNT),
                                     .done_on = day_of(&arena, module_start + day * BENCH_DAY),
                                     .quarter_hours = quarters,
                                     .reflection = ""};
                if (ok(b, store_activity_create(store, actor, &a, cap, module_start + day * BENCH_DAY) == STORE_OK,
                       "a learning-hours entry")) {
                    logged += quarters;
                    b->n.hours_entries++;
                }
            }
            /* The module's course: items opened, and most of them done. */
            for (int k2 = 0; k2 < ITEMS_PER_MODULE && b->failed == NULL; k2++) {
                if (!rng_chance(r, m->how->content))
                    continue;
                int64_t at = module_start + (int64_t)rng_below(r, (int)module_days + 1) * BENCH_DAY + 19 * BENCH_HOUR;
                struct learning_record opened = {.actor_id = m->participant,
                                                 .verb = LEARNING_EXPERIENCED,
                                                 .object_id = bm->items[k2],
                                                 .object_version = bm->item_version[k2],
                                                 .enrolment_id = m->enrolment,
                                                 .module = bm->module->code,
                                                 .timestamp = at,
                                                 .result_completion = -1,
                                                 .result_duration_seconds = -1};
                /* Opened once to three times, on the days up to its completion. */
                for (int visit = rng_below(r, 3); visit >= 0 && b->failed == NULL; visit--) {
                    opened.timestamp = at - (int64_t)visit * BENCH_DAY;
                    if (ok(b, store_learning_record_add(store, &opened) == STORE_OK, "a learning record"))
                        b->n.learning_records++;
                }
                if (!rng_chance(r, 85))
                    continue;
                struct content_completion done = {.item_id = bm->items[k2],
                                                  .item_version = bm->item_version[k2],
                                                  .variant_version = 0,
                                                  .completed_at = at + 1800};
                struct learning_record record = opened;
                record.verb = LEARNING_COMPLETED;
                record.timestamp = at + 1800;
                record.result_completion = 1;
                record.result_duration_seconds = bm->item_minutes[k2] * 60;
                if (ok(b, store_content_complete(store, actor, m->enrolment, &done, &record) == STORE_OK,
                       "an item done")) {
                    b->n.content_done++;
                    b->n.learning_records++;
                }
            }
            /* A module is recorded complete a month after its last event, for those keeping up. */
            if (module_start + 21 * BENCH_DAY + 30 * BENCH_DAY < b->now && m->how == &engagements[0] &&
                rng_chance(r, 90) &&
                ok(b,
                   store_completion_record(store, actor, m->participant, bm->module->code,
                                           day_of(&arena, module_start + 51 * BENCH_DAY), m->enrolment, "Passed",
                                           b->now) == STORE_OK,
                   "a completed module"))
                b->n.module_completions++;
        }
        /* NPQSL's final assessment, for those far enough in: from a draft to a released result. */
        if (strcmp(target, "NPQSL") == 0 && elapsed > 200 * BENCH_DAY && m->how != &engagements[2]) {
            int roll = rng_below(r, 100);
            enum work_stage stage = roll < 25   ? WORK_NONE
                                    : roll < 45 ? WORK_DRAFT
                                    : roll < 60 ? WORK_SUBMITTED
                                    : roll < 70 ? WORK_MARKED
                                                : WORK_RELEASED;
            if (elapsed < 330 * BENCH_DAY && stage > WORK_SUBMITTED)
                stage = WORK_SUBMITTED;
            if (stage != WORK_NONE)
                work(b, &arena, m, stage);
        }
    }
out:
    arena_release(&arena);
}

static long records(const struct bench_counts *n)
{
    return n->bookings + n->attendance + n->coaching + n->hours_entries + n->content_done + n->learning_records +
           n->module_completions + n->submissions + n->submitted + n->results;
}

static void print_counts(const struct bench *b, double seconds)
{
    const struct bench_counts *n = &b->n;
    printf("{\"participants\": %ld, \"enrolments\": %ld, \"cohorts\": %ld, \"delivery_partners\": %ld,"
           " \"schools\": %ld, \"staff\": %ld, \"events\": %ld, \"bookings\": %ld, \"attendance\": %ld,"
           " \"coaching_sessions\": %ld, \"hours_entries\": %ld, \"content_done\": %ld, \"learning_records\": %ld,"
           " \"module_completions\": %ld, \"submissions\": %ld, \"submitted\": %ld, \"results_released\": %ld,"
           " \"activity_records\": %ld, \"seconds\": %.1f}\n",
           n->participants, n->enrolments, n->cohorts, n->partners, n->schools, n->staff, n->events, n->bookings,
           n->attendance, n->coaching, n->hours_entries, n->content_done, n->learning_records, n->module_completions,
           n->submissions, n->submitted, n->results, records(n), seconds);
}

static double seconds_since(const struct timespec *start)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - start->tv_sec) + (double)(t.tv_nsec - start->tv_nsec) / 1e9;
}

/* Every cohort, a batch to a transaction, each batch's progress judged before its commit. */
static bool programme(struct bench *b)
{
    struct store *store = b->env->store;
    int64_t *ids = malloc(sizeof(*ids) * (BATCH_ENROLMENTS + COHORT_MIN + COHORT_SPREAD));
    if (ids == NULL)
        return ok(b, false, "memory");
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    int index = 0, placed = 0;
    while (placed < b->participants && b->failed == NULL) {
        if (store_begin(store) != STORE_OK) {
            ok(b, false, "beginning a transaction");
            break;
        }
        size_t id_count = 0;
        while (placed < b->participants && id_count < BATCH_ENROLMENTS && b->failed == NULL) {
            int size = COHORT_MIN + rng_below(&b->rng, COHORT_SPREAD);
            if (size > b->participants - placed)
                size = b->participants - placed;
            cohort(b, index++, size, ids, &id_count);
            placed += size;
        }
        for (size_t i = 0; i < id_count && b->failed == NULL; i++)
            ok(b, progress_refresh(b->env, ids[i]) == APP_OK, "judging progress");
        if (b->failed != NULL) {
            store_rollback(store);
            break;
        }
        if (!ok(b, store_commit(store) == STORE_OK, "committing a batch"))
            break;
        fprintf(stderr, "npq: bench-data: %d of %d participants, %ld records, %.0f s\n", placed, b->participants,
                records(&b->n), seconds_since(&start));
    }
    free(ids);
    return b->failed == NULL;
}

static int usage(void)
{
    fprintf(stderr, "usage: npq bench-data --participants N [--seed S] [--db DB]\n");
    return 2;
}

int cli_bench_data(int argc, char **argv)
{
    const char *db = cli_default_db();
    long participants = 0;
    uint64_t seed = 1;
    static const struct option options[] = {
        {"db", required_argument, NULL, 'd'},
        {"participants", required_argument, NULL, 'p'},
        {"seed", required_argument, NULL, 's'},
        {NULL, 0, NULL, 0},
    };
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
        char *end = NULL;
        if (opt == 'd')
            db = optarg;
        else if (opt == 'p') {
            participants = strtol(optarg, &end, 10);
            if (*optarg == '\0' || *end != '\0' || participants < 1 || participants > 1000000) {
                fprintf(stderr, "npq: --participants is a whole number from 1 to 1000000\n");
                return 2;
            }
        } else if (opt == 's') {
            seed = strtoull(optarg, &end, 10);
            if (*optarg == '\0' || *end != '\0') {
                fprintf(stderr, "npq: --seed is a whole number\n");
                return 2;
            }
        } else
            return usage();
    }
    if (optind != argc || participants == 0)
        return usage();
    struct store *store = cli_open_store(db);
    if (store == NULL)
        return 1;
    int rc = 1;
    struct catalogue *catalogue = NULL;
    struct arena arena = ARENA_INIT;
    struct user existing;
    if (store_user_find_by_email(store, "admin@bench.npq.test", &arena, &existing, NULL) == STORE_OK) {
        fprintf(stderr, "npq: bench-data: this database holds a generated programme already\n");
        goto out;
    }
    if (store_catalogue_load(store, &catalogue) != STORE_OK || catalogue == NULL) {
        fprintf(stderr, "npq: bench-data: the catalogue could not be read; run npq init first\n");
        goto out;
    }
    int64_t now = clock_now();
    struct accounts_env env = {store, &bench_actor, "", now};
    struct bench b = {.env = &env,
                      .catalogue = catalogue,
                      .rng = {seed},
                      .now = now,
                      .today = now - now % BENCH_DAY,
                      .participants = (int)participants};
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    if (frame(&b, &arena) && programme(&b)) {
        print_counts(&b, seconds_since(&start));
        rc = 0;
    } else
        fprintf(stderr, "npq: bench-data: %s did not work (%s); batches committed before it are kept\n",
                b.failed ? b.failed : "a write", store_last_error(store));
out:
    catalogue_free(catalogue);
    arena_release(&arena);
    store_close(store);
    return rc;
}
