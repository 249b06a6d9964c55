/*
 * npq demo: a provider, a delivery partner, a trust, a school and one person for every role, all
 * sharing one password, so a new installation can be explored signed in as anyone. Safe to run
 * twice: people who exist already are left as they are.
 *
 * npq demo --programme (what make run uses) also builds a programme in motion around them, dated
 * from the day it runs, so that every role has something to do today: a blended NPQSL cohort and
 * an online NPQML cohort part-way through, past events with registers taken, one under way and
 * coming ones with bookings, coaching sessions with notes and actions, hours logged, a draft
 * waiting for feedback, work waiting for marking, second marking and release, a referral, a
 * deferral, an award with its certificate, a participant ready for award, a cohort starting next
 * month with no events yet and an application waiting. It is built once: when its
 * cohort exists, it is left as it is. The tests build on the bare demo, which stays the same.
 */
#include "cli/cli.h"

#include "app/accounts.h"
#include "app/assessment.h"
#include "app/coaching.h"
#include "app/content.h"
#include "app/forum.h"
#include "app/progress.h"
#include "lib/clock.h"
#include "lib/date.h"
#include "lib/secret.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DEMO_PASSWORD "blended-learning-at-local-venues"

static const struct actor demo_actor = {0, "command line", ""};

/* The id of the organisation named name, creating it if needed. */
static int64_t organisation(struct store *store, struct organisation o, int64_t now)
{
    struct arena arena = ARENA_INIT;
    struct organisation *list;
    size_t count;
    int64_t id = 0;
    if (store_organisation_list(store, (int)o.kind, o.name, NULL, &arena, &list, &count) == STORE_OK)
        for (size_t i = 0; i < count && id == 0; i++)
            if (strcmp(list[i].name, o.name) == 0)
                id = list[i].id;
    arena_release(&arena);
    if (id == 0 && store_organisation_create(store, &demo_actor, &o, now) == STORE_OK)
        id = o.id;
    return id;
}

/* The id of the person with email, creating them with role and the demo password if needed. */
static int64_t person(const struct accounts_env *env, const char *email, const char *name, enum role role,
                      int64_t organisation_id, int64_t role_organisation_id)
{
    struct arena arena = ARENA_INIT;
    struct user existing;
    int64_t id = 0;
    if (store_user_find_by_email(env->store, email, &arena, &existing, NULL) == STORE_OK)
        id = existing.id;
    arena_release(&arena);
    if (id != 0)
        return id;
    struct errors errors = ERRORS_INIT;
    if (accounts_create_person(env, email, name, organisation_id, role, role_organisation_id, &id, &errors) != APP_OK ||
        accounts_set_password(env, id, DEMO_PASSWORD, &errors) != APP_OK) {
        for (size_t i = 0; i < errors.count; i++)
            fprintf(stderr, "npq: %s: %s: %s\n", email, errors.items[i].where, errors.items[i].message);
        id = 0;
    }
    errors_free(&errors);
    return id;
}

/* What each demo sign-in finds once the programme is built. */
static const char *const finds[ROLE_COUNT] = {
    [ROLE_ADMIN] = "an application to decide, work to release, a person ready for award, a cohort short of events",
    [ROLE_PARTNER_LEAD] = "two cohorts with attendance, plan warnings, a person without a place",
    [ROLE_FACILITATOR] = "an event under way now with its register, and the coming ones",
    [ROLE_COACH] = "four coachees, sessions this week, drafts to read, hours to verify",
    [ROLE_ASSESSOR] = "work to mark, second marking owed, deadlines",
    [ROLE_PARTICIPANT] = "places booked, a course under way, a draft to finish, coaching, hours against caps",
    [ROLE_MENTOR] = "two participants with attendance, hours and the state of their work",
    [ROLE_HEADTEACHER] = "seven participants at the school, one deferred, one awarded",
};

struct demo {
    const struct accounts_env *env;
    struct catalogue *catalogue;
    int64_t now;
    int failures;
    int64_t school, partner;
    int64_t ids[ROLE_COUNT]; /* the demo person of each role */
};

enum { DEMO_DAY = 24 * 3600, DEMO_HOUR = 3600 };

/* Notes a step that did not work, and goes on: the rest of the programme is still worth having. */
static bool step_ok(struct demo *d, bool ok, const char *what, const struct errors *errors)
{
    if (ok)
        return true;
    d->failures++;
    fprintf(stderr, "npq: demo: %s did not work", what);
    for (size_t i = 0; errors != NULL && i < errors->count; i++)
        fprintf(stderr, "%s%s: %s", i ? "; " : ": ", errors->items[i].where, errors->items[i].message);
    fprintf(stderr, "\n");
    return false;
}

static struct caller demo_caller(const struct demo *d, int64_t id, enum role role)
{
    (void)d;
    return (struct caller){.user_id = id, .email = "", .name = "", .roles = 1u << role};
}

/* The day that is days from now, as YYYY-MM-DD. */
static const char *day_from_now(struct demo *d, struct arena *arena, int days)
{
    char date[DATE_TEXT];
    date_of(d->now + (int64_t)days * DEMO_DAY, date);
    return arena_strdup(arena, date);
}

/* An application made, submitted, approved and accepted, then (with cohort) enrolled: the steps of
 * the state machine as the store records them, the command line acting for each person. */
static int64_t enrol(struct demo *d, int64_t participant, const char *target, const char **electives,
                     size_t elective_count, enum delivery_model model, int64_t cohort, enum application_state stop)
{
    const struct actor *actor = d->env->actor;
    struct application a = {
        .participant_id = participant,
        .kind = STUDY_QUALIFICATION,
        .target = target,
        .school_id = d->school,
        .job_role = "Assistant headteacher",
        .sponsor_id = d->ids[ROLE_HEADTEACHER],
        .delivery_model = model,
        .preferred_region = "North West",
        .preferred_partner_id = d->partner,
        .funding = FUNDING_SCHOOL,
        .scholarship_eligibility = "",
        .electives = electives,
        .elective_count = elective_count,
    };
    if (!step_ok(d, store_application_create(d->env->store, actor, &a, d->now) == STORE_OK, "an application", NULL))
        return 0;
    static const struct {
        enum application_state from, to;
        const char *step;
    } steps[] = {
        {APPLICATION_DRAFT, APPLICATION_SUBMITTED, "submit"},
        {APPLICATION_SUBMITTED, APPLICATION_SPONSOR_APPROVED, "approve"},
        {APPLICATION_SPONSOR_APPROVED, APPLICATION_ACCEPTED, "accept"},
        {APPLICATION_ACCEPTED, APPLICATION_ENROLLED, "enrol"},
    };
    for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]) && steps[i].from != stop; i++) {
        if (!step_ok(d,
                     store_application_transition(d->env->store, actor, a.id, steps[i].from, steps[i].to, steps[i].step,
                                                  "", NULL, d->now) == STORE_OK,
                     steps[i].step, NULL))
            return 0;
        if (steps[i].to != APPLICATION_ENROLLED)
            continue;
        struct enrolment e = {
            .participant_id = participant,
            .application_id = a.id,
            .kind = STUDY_QUALIFICATION,
            .target = target,
            .cohort_id = cohort,
            .delivery_model = model,
            .funding = FUNDING_SCHOOL,
            .scholarship_eligibility = "",
            .school_id = d->school,
            .electives = electives,
            .elective_count = elective_count,
        };
        if (!step_ok(d, store_enrolment_create(d->env->store, actor, &e, d->now) == STORE_OK, "an enrolment", NULL))
            return 0;
        store_application_set_enrolment(d->env->store, a.id, e.id);
        return e.id;
    }
    return a.id;
}

static int64_t event(struct demo *d, int64_t cohort, enum delivery_event_kind kind, const char *title,
                     const char *module, int64_t venue, int64_t starts_at, int hours)
{
    struct event e = {
        .cohort_id = cohort,
        .kind = kind,
        .title = title,
        .module = module,
        .venue_id = kind == DELIVERY_EVENT_FACE_TO_FACE ? venue : 0,
        .joining_url = kind == DELIVERY_EVENT_FACE_TO_FACE ? NULL : "https://meet.example.com/npq-demo",
        .starts_at = starts_at,
        .ends_at = starts_at + (int64_t)hours * DEMO_HOUR,
        .capacity = 30,
        .facilitator_id = d->ids[ROLE_FACILITATOR],
    };
    if (!step_ok(d, store_event_create(d->env->store, d->env->actor, &e, d->now) == STORE_OK, title, NULL))
        return 0;
    return e.id;
}

/* Books each person on an event and, with marks, takes its register. */
static void attend(struct demo *d, int64_t event_id, const int64_t *people, size_t count,
                   const enum delivery_attendance_mark *marks)
{
    struct arena arena = ARENA_INIT;
    struct event e;
    if (event_id == 0 ||
        !step_ok(d, store_event_get(d->env->store, event_id, &arena, &e) == STORE_OK, "an event", NULL))
        count = 0;
    /* Places on past events were booked a week before they began. */
    int64_t booked_at = count && e.starts_at - 7 * DEMO_DAY < d->now ? e.starts_at - 7 * DEMO_DAY : d->now;
    arena_release(&arena);
    for (size_t i = 0; i < count; i++) {
        int64_t booking;
        step_ok(
            d, store_booking_create(d->env->store, d->env->actor, event_id, people[i], booked_at, &booking) == STORE_OK,
            "a booking", NULL);
        if (marks != NULL)
            step_ok(d,
                    store_attendance_set(d->env->store, d->env->actor, event_id, people[i], NULL, marks[i], "",
                                         d->now) == STORE_OK,
                    "a register mark", NULL);
    }
}

static int64_t coaching(struct demo *d, int64_t participant, int64_t starts_at, const char *note, const char *action,
                        int action_due_days, struct arena *arena)
{
    struct coaching_session s = {
        .coach_id = d->ids[ROLE_COACH],
        .participant_id = participant,
        .starts_at = starts_at,
        .ends_at = starts_at + DEMO_HOUR,
        .mode = DELIVERY_COACHING_ONLINE,
        .place = "https://meet.example.com/npq-coaching",
    };
    if (!step_ok(d, store_coaching_session_create(d->env->store, d->env->actor, &s, d->now) == STORE_OK,
                 "a coaching session", NULL))
        return 0;
    if (note != NULL) {
        struct coaching_note n = {
            .session_id = s.id, .author_id = d->ids[ROLE_COACH], .visibility = DELIVERY_NOTE_SHARED, .body = note};
        step_ok(d, store_coaching_note_add(d->env->store, d->env->actor, &n, d->now) == STORE_OK, "a note", NULL);
    }
    if (action != NULL) {
        struct coaching_action a = {.session_id = s.id,
                                    .text = action,
                                    .due_on = day_from_now(d, arena, action_due_days),
                                    .created_by = d->ids[ROLE_COACH]};
        step_ok(d, store_coaching_action_add(d->env->store, d->env->actor, &a, d->now) == STORE_OK, "an action", NULL);
    }
    return s.id;
}

static void hours(struct demo *d, struct arena *arena, int64_t participant, int64_t enrolment, const char *module,
                  const char *type, int days_ago, double logged)
{
    struct caller who = demo_caller(d, participant, ROLE_PARTICIPANT);
    struct activity_input in = {.module = module,
                                .type = type,
                                .done_on = day_from_now(d, arena, -days_ago),
                                .hours = logged,
                                .has_hours = true,
                                .reflection = ""};
    struct activity out;
    struct errors errors = ERRORS_INIT;
    step_ok(d, activities_add(d->env, d->catalogue, &who, enrolment, &in, arena, &out, &errors) == APP_OK,
            "logging hours", &errors);
    errors_free(&errors);
}

static int64_t task(struct demo *d, enum task_kind kind, const char *target, const char *title, int deadline_days,
                    int moderation_percent)
{
    static struct assessment_criterion criteria[] = {
        {"Uses the evidence", "Draws on the evidence statements of the framework"},
        {"Evaluates the impact", "Says what changed for pupils and how it is known"},
    };
    struct assessment_task t = {
        .kind = kind,
        .target = target,
        .title = title,
        .brief = "Plan, lead and evaluate an improvement in your school, drawing on the module's evidence.",
        .deadline = d->now + (int64_t)deadline_days * DEMO_DAY,
        .word_limit = 2500,
        .max_resubmissions = 1,
        .moderation_percent = moderation_percent,
        .max_file_bytes = TASK_FILE_BYTES_DEFAULT,
        .criteria = criteria,
        .criteria_count = 2,
    };
    if (!step_ok(d, store_task_create(d->env->store, d->env->actor, &t, d->now) == STORE_OK, title, NULL))
        return 0;
    return t.id;
}

/* A short course for every module of the NPQSL: a reading tagged to the module, its framework area
 * and one statement, then an activity to try in school. */
struct demo_course {
    const char *module;
    int area;      /* of the NPQSL framework */
    int statement; /* a learn-that statement of that area */
    const char *reading, *reading_body, *activity, *activity_body;
};

static const struct demo_course demo_courses[] = {
    {"closing-the-gap", 5, 1, "What the evidence says about disadvantage",
     "Pupils eligible for free school meals start behind and, without deliberate action, **fall further "
     "behind** each year.\n\n- Read the summary of what works\n- Note one gap in your own school",
     "Map the gap in one year group",
     "Take one year group's latest assessment and set disadvantaged pupils beside the rest. Where is the gap "
     "widest? Bring the picture to the next face-to-face day."},
    {"succeeding-in-senior-leadership", 1, 1, "The senior leader's role in school culture",
     "Culture is what people do when nobody is checking. Senior leaders shape it through **what they "
     "notice, praise and stop**.",
     "Walk the school as a visitor",
     "Spend twenty minutes walking the school as a visitor would. Write down "
     "three things that say what the school values, and one that contradicts it."},
    {"improving-the-quality-of-teaching", 2, 1, "What makes teaching great",
     "Great teaching is built on **subject knowledge, clear explanation and regular practice** with "
     "feedback.",
     "Observe for one habit",
     "Visit three lessons looking only for how teachers check understanding. What is "
     "common, and what would you spread?"},
    {"research-and-development-in-teaching", 8, 1, "Using research without being used by it",
     "Research tells you what has worked somewhere. Implementation decides whether it works **here**.",
     "Choose one question worth testing",
     "Write one question about teaching in your school that a small trial could answer this term."},
    {"effective-whole-school-management", 7, 3, "Systems that free teachers to teach",
     "Good systems are invisible: timetables, data and policies that **take work away** from teachers.",
     "Audit one process",
     "Pick one routine (reporting, cover, trips) and count the steps a teacher takes. "
     "Which could go?"},
    {"school-self-evaluation", 10, 2, "Honest self-evaluation",
     "Self-evaluation is a conversation about evidence, not a document for inspectors.", "Triangulate one judgement",
     "Take one judgement in your self-evaluation and find three kinds of evidence for it: visits, work and voice."},
    {"leading-professional-development", 6, 1, "Professional development that changes practice",
     "Effective professional development **builds knowledge, motivates, develops technique and embeds "
     "practice**.",
     "Redesign one session",
     "Take your next training session and add a follow-up: when will staff practise, "
     "and who will give them feedback?"},
    {"leading-change-for-improvement", 8, 10, "Leading change well",
     "Most changes fail in implementation. Plan the **active ingredients** and how you will know they are "
     "in place.",
     "Write an implementation plan",
     "For one change you lead, write what must happen, by whom and by when, "
     "and what you will see if it is working."},
    {"leading-in-a-diverse-system", 9, 1, "Schools, trusts and the wider system",
     "Academies, trusts, local authorities and hubs each hold part of the **system**; a senior leader needs "
     "a map.",
     "Map your school's partners", "Draw the organisations your school works with and what each gives and asks."},
    {"effective-partnership-working", 9, 4, "Partnerships that last",
     "Partnerships last when each side **gains something it values** and the work is shared fairly.",
     "Review one partnership", "Choose one partnership and write what each side gives and gets. Is it fair?"},
};

/* The items of one module's course, in a unit of their own. Returns the reading's id. */
static int64_t demo_course(struct demo *d, const struct demo_course *c)
{
    struct caller admin = demo_caller(d, d->ids[ROLE_ADMIN], ROLE_ADMIN);
    struct arena arena = ARENA_INIT;
    char module_tag[128], area_tag[64], statement_tag[96];
    snprintf(module_tag, sizeof(module_tag), "module:%s", c->module);
    snprintf(area_tag, sizeof(area_tag), "area:npqsl/%d", c->area);
    snprintf(statement_tag, sizeof(statement_tag), "statement:npqsl/%d/learn-that/%d", c->area, c->statement);
    const char *const tags[] = {module_tag, area_tag, statement_tag};
    struct content_change reading = {.kind = CONTENT_READING,
                                     .title = c->reading,
                                     .body = c->reading_body,
                                     .minutes = 20,
                                     .tags = tags,
                                     .tag_count = 3,
                                     .has_tags = true};
    struct content_change activity = {.kind = CONTENT_ACTIVITY,
                                      .title = c->activity,
                                      .body = c->activity_body,
                                      .minutes = 45,
                                      .tags = tags,
                                      .tag_count = 1,
                                      .has_tags = true};
    struct content_item made[2];
    struct errors errors = ERRORS_INIT;
    int64_t items[2] = {0, 0}, unit;
    if (step_ok(d, content_create(d->env, d->catalogue, &admin, &reading, &arena, &made[0], &errors) == APP_OK,
                "a course reading", &errors))
        items[0] = made[0].id;
    if (step_ok(d, content_create(d->env, d->catalogue, &admin, &activity, &arena, &made[1], &errors) == APP_OK,
                "a course activity", &errors))
        items[1] = made[1].id;
    if (items[0] && items[1])
        step_ok(d,
                content_unit_add(d->env, d->catalogue, &admin, c->module, "Getting started", items, 2, &unit,
                                 &errors) == APP_OK,
                "a course unit", &errors);
    arena_release(&arena);
    return items[0];
}

/* Every NPQSL module's course; the partner's own contacts beside the first reading (written for
 * them by the provider); Pat has done the first item of Closing the gap. */
static void demo_content(struct demo *d, int64_t pat_enrolment)
{
    int64_t first = 0;
    for (size_t i = 0; i < sizeof(demo_courses) / sizeof(demo_courses[0]); i++) {
        int64_t id = demo_course(d, &demo_courses[i]);
        if (i == 0)
            first = id;
    }
    if (!first)
        return;
    struct arena arena = ARENA_INIT;
    struct errors errors = ERRORS_INIT;
    struct caller admin = demo_caller(d, d->ids[ROLE_ADMIN], ROLE_ADMIN);
    struct content_variant variant;
    step_ok(d,
            content_variant_save(d->env, &admin, first, d->partner, "What the evidence says about disadvantage, here",
                                 "In the North West a third of pupils are disadvantaged. The hub's **pupil premium "
                                 "network** meets each half term; ask Priya for the dates.",
                                 NULL, &arena, &variant, &errors) == APP_OK,
            "a local variant", &errors);
    if (pat_enrolment) {
        struct caller pat = demo_caller(d, d->ids[ROLE_PARTICIPANT], ROLE_PARTICIPANT);
        struct course_hours_offer offer;
        step_ok(d,
                course_item_done(d->env, d->catalogue, &pat, pat_enrolment, first, &arena, &offer, &errors) == APP_OK,
                "an item done", &errors);
    }
    arena_release(&arena);
}

/* A piece of work taken as far as its story needs: a draft, submitted, marked by marker with outcome,
 * and released. */
enum work_stage { WORK_DRAFT, WORK_SUBMITTED, WORK_MARKED, WORK_RELEASED };

static int64_t work(struct demo *d, struct arena *arena, int64_t participant, int64_t enrolment, int64_t task_id,
                    enum work_stage stage, int64_t marker, enum mark_outcome outcome)
{
    struct caller who = demo_caller(d, participant, ROLE_PARTICIPANT);
    struct errors errors = ERRORS_INIT;
    int64_t id = 0;
    bool ok =
        step_ok(d, assessment_submission_start(d->env, d->catalogue, &who, task_id, enrolment, &id, &errors) == APP_OK,
                "starting work", &errors) &&
        step_ok(d,
                assessment_draft_save(d->env, &who, id, "Raising attendance in Year 9",
                                      "We looked at attendance week by week, chose two strategies from the "
                                      "evidence and agreed with staff how we would know they worked.",
                                      &errors) == APP_OK,
                "writing a draft", &errors);
    struct submission_version version;
    if (ok && stage >= WORK_SUBMITTED)
        ok = step_ok(d, assessment_submit(d->env, &who, id, arena, &version, &errors) == APP_OK, "submitting", &errors);
    if (ok && stage >= WORK_MARKED) {
        struct caller assessor = demo_caller(d, marker, marker == d->ids[ROLE_ADMIN] ? ROLE_ADMIN : ROLE_ASSESSOR);
        struct mark_criterion met[2] = {{true, "Clear use of the evidence"},
                                        {outcome == OUTCOME_PASS, outcome == OUTCOME_PASS ? "Well evaluated"
                                                                                          : "Say "
                                                                                            "what changed"}};
        struct mark m = {.outcome = outcome,
                         .feedback = outcome == OUTCOME_PASS ? "A well evidenced piece of work."
                                                             : "Evaluate the impact on pupils, then resubmit.",
                         .criteria = met,
                         .criteria_count = 2};
        ok = step_ok(d, assessment_mark(d->env, &assessor, id, &m, &errors) == APP_OK, "marking", &errors);
    }
    if (ok && stage >= WORK_RELEASED) {
        struct caller admin = demo_caller(d, d->ids[ROLE_ADMIN], ROLE_ADMIN);
        step_ok(d, assessment_release(d->env, &admin, id, &errors) == APP_OK, "releasing a result", &errors);
    }
    errors_free(&errors);
    return id;
}

/* The blended cohort's forum in use: a thread the facilitator pinned, a discussion with replies
 * from participants and their coach, and a question from Sam. Written through the use cases, as
 * each person; nobody is mentioned, so the demo queues no mail. */
static void forum_talk(struct demo *d, int64_t cohort_id, int64_t sam, int64_t rosa)
{
    struct store *store = d->env->store;
    struct arena arena = ARENA_INIT;
    struct caller pat = demo_caller(d, d->ids[ROLE_PARTICIPANT], ROLE_PARTICIPANT);
    struct forum *forums;
    size_t count;
    int64_t forum_id = 0;
    if (step_ok(d, forum_list_mine(store, &pat, &arena, &forums, &count) == APP_OK, "the cohort's forum", NULL))
        for (size_t i = 0; i < count; i++)
            if (forums[i].kind == FORUM_COHORT && forums[i].cohort_id == cohort_id)
                forum_id = forums[i].id;
    if (!step_ok(d, forum_id > 0, "finding the cohort's forum", NULL)) {
        arena_release(&arena);
        return;
    }
    struct caller facilitator = demo_caller(d, d->ids[ROLE_FACILITATOR], ROLE_FACILITATOR);
    struct caller coach = demo_caller(d, d->ids[ROLE_COACH], ROLE_COACH);
    struct caller sam_caller = demo_caller(d, sam, ROLE_PARTICIPANT),
                  rosa_caller = demo_caller(d, rosa, ROLE_PARTICIPANT);
    struct errors errors = ERRORS_INIT;
    int64_t welcome = 0, reading = 0, question = 0, post = 0;
    step_ok(d,
            forum_thread_start(d->env, &facilitator, forum_id, "Welcome to the cohort: start here",
                               "Welcome, everyone. Use this forum to **share what you try** between sessions.\n\n"
                               "- Introduce yourself below\n- Keep names of pupils and colleagues out of posts",
                               &welcome, &post, &errors) == APP_OK,
            "the welcome thread", &errors);
    if (welcome)
        step_ok(d, store_forum_thread_set(store, welcome, 1, -1) == STORE_OK, "pinning the welcome", NULL);
    step_ok(d,
            forum_thread_start(d->env, &pat, forum_id, "Self-evaluation: what counts as evidence?",
                               "We are rewriting our self-evaluation this term. How do you weigh *lesson visits* "
                               "against outcomes data?",
                               &reading, &post, &errors) == APP_OK,
            "a discussion", &errors);
    if (reading) {
        step_ok(d,
                forum_reply(d->env, &rosa_caller, reading,
                            "We triangulate: visits, books and pupil voice, then the data.", &post, &errors) == APP_OK,
                "a reply", &errors);
        step_ok(d,
                forum_reply(d->env, &coach, reading,
                            "Good question for our next session. Bring one piece of evidence you trust.", &post,
                            &errors) == APP_OK,
                "the coach's reply", &errors);
    }
    step_ok(d,
            forum_thread_start(d->env, &sam_caller, forum_id, "Day 2 venue: parking?",
                               "Does anyone know if there is parking at the hub?", &question, &post, &errors) == APP_OK,
            "a question", &errors);
    errors_free(&errors);
    arena_release(&arena);
}

static int programme(struct demo *d, bool *built)
{
    struct store *store = d->env->store;
    const struct actor *actor = d->env->actor;
    struct arena arena = ARENA_INIT;
    *built = false;
    struct cohort *cohorts;
    size_t count;
    if (store_cohort_list(store, "NPQSL", NULL, &arena, &cohorts, &count) == STORE_OK)
        for (size_t i = 0; i < count; i++)
            if (strcmp(cohorts[i].code, "NPQSL-DEMO-BLENDED") == 0) {
                arena_release(&arena);
                return 0;
            }

    /* The programme's other people, all at the demo school. */
    int64_t pat = d->ids[ROLE_PARTICIPANT];
    int64_t sam = person(d->env, "sam.singh@demo.npq.test", "Sam Singh", ROLE_PARTICIPANT, d->school, 0);
    int64_t rosa = person(d->env, "rosa.reyes@demo.npq.test", "Rosa Reyes", ROLE_PARTICIPANT, d->school, 0);
    int64_t dev = person(d->env, "dev.doyle@demo.npq.test", "Dev Doyle", ROLE_PARTICIPANT, d->school, 0);
    int64_t ava = person(d->env, "ava.adams@demo.npq.test", "Ava Adams", ROLE_PARTICIPANT, d->school, 0);
    int64_t ola = person(d->env, "ola.okafor@demo.npq.test", "Ola Okafor", ROLE_PARTICIPANT, d->school, 0);
    int64_t wes = person(d->env, "wes.ward@demo.npq.test", "Wes Ward", ROLE_PARTICIPANT, d->school, 0);
    int64_t ben = person(d->env, "ben.baker@demo.npq.test", "Ben Baker", ROLE_PARTICIPANT, d->school, 0);
    if (!sam || !rosa || !dev || !ava || !ola || !wes || !ben) {
        arena_release(&arena);
        return 1;
    }
    int64_t id;
    const int64_t coachees[] = {sam, rosa, ola};
    for (size_t i = 0; i < 3; i++)
        store_assignment_create(store, actor, ROLE_COACH, d->ids[ROLE_COACH], coachees[i], d->now, &id);
    store_assignment_create(store, actor, ROLE_MENTOR, d->ids[ROLE_MENTOR], sam, d->now, &id);

    /* Two cohorts part-way through. */
    struct cohort blended = {.code = "NPQSL-DEMO-BLENDED",
                             .kind = STUDY_QUALIFICATION,
                             .target = "NPQSL",
                             .delivery_partner_id = d->partner,
                             .delivery_model = DELIVERY_BLENDED,
                             .starts_on = day_from_now(d, &arena, -90),
                             .ends_on = day_from_now(d, &arena, 270)};
    /* Starting next month with nothing planned yet: a cohort short of events. */
    struct cohort next = {.code = "NPQSL-DEMO-NEXT",
                          .kind = STUDY_QUALIFICATION,
                          .target = "NPQSL",
                          .delivery_partner_id = d->partner,
                          .delivery_model = DELIVERY_ONLINE,
                          .starts_on = day_from_now(d, &arena, 30),
                          .ends_on = day_from_now(d, &arena, 400)};
    struct cohort online = {.code = "NPQML-DEMO-ONLINE",
                            .kind = STUDY_QUALIFICATION,
                            .target = "NPQML",
                            .delivery_partner_id = d->partner,
                            .delivery_model = DELIVERY_ONLINE,
                            .starts_on = day_from_now(d, &arena, -60),
                            .ends_on = day_from_now(d, &arena, 300)};
    if (!step_ok(d, store_cohort_create(store, actor, &blended, d->now) == STORE_OK, "the blended cohort", NULL) ||
        !step_ok(d, store_cohort_create(store, actor, &online, d->now) == STORE_OK, "the online cohort", NULL)) {
        arena_release(&arena);
        return 1;
    }
    *built = true;
    step_ok(d, store_cohort_create(store, actor, &next, d->now) == STORE_OK, "the next cohort", NULL);
    store_cohort_staff_add(store, actor, blended.id, d->ids[ROLE_FACILITATOR], ROLE_FACILITATOR, d->now);
    store_cohort_staff_add(store, actor, online.id, d->ids[ROLE_FACILITATOR], ROLE_FACILITATOR, d->now);

    static const char *sl_electives[] = {"improving-the-quality-of-teaching", "school-self-evaluation"};
    int64_t e_pat = enrol(d, pat, "NPQSL", sl_electives, 2, DELIVERY_BLENDED, blended.id, APPLICATION_STATE_COUNT);
    int64_t e_sam = enrol(d, sam, "NPQSL", sl_electives, 2, DELIVERY_BLENDED, blended.id, APPLICATION_STATE_COUNT);
    int64_t e_rosa = enrol(d, rosa, "NPQSL", sl_electives, 2, DELIVERY_BLENDED, blended.id, APPLICATION_STATE_COUNT);
    int64_t e_dev = enrol(d, dev, "NPQSL", sl_electives, 2, DELIVERY_BLENDED, blended.id, APPLICATION_STATE_COUNT);
    int64_t e_ava = enrol(d, ava, "NPQSL", sl_electives, 2, DELIVERY_BLENDED, blended.id, APPLICATION_STATE_COUNT);
    int64_t e_ben = enrol(d, ben, "NPQSL", sl_electives, 2, DELIVERY_BLENDED, blended.id, APPLICATION_STATE_COUNT);
    int64_t e_ola = enrol(d, ola, "NPQML", NULL, 0, DELIVERY_ONLINE, online.id, APPLICATION_STATE_COUNT);
    /* Waiting: Wes's application is approved by the headteacher, for the provider to decide. */
    enrol(d, wes, "NPQSL", sl_electives, 2, DELIVERY_BLENDED, 0, APPLICATION_SPONSOR_APPROVED);

    /* The course the participants study, with the partner's own contacts beside it. */
    demo_content(d, e_pat);

    /* Events: two days held with registers taken, one under way now, coming ones with bookings. */
    struct venue venue = {.delivery_partner_id = d->partner,
                          .name = "Riverside Teaching Hub",
                          .address = "1 River Street, Liverpool",
                          .postcode = "L1 8JQ",
                          .capacity = 40,
                          .accessibility = "Step-free access and a hearing loop"};
    step_ok(d, store_venue_create(store, actor, &venue, d->now) == STORE_OK, "the venue", NULL);
    int64_t today9 = d->now - d->now % DEMO_DAY + 9 * DEMO_HOUR;
    int64_t hour_ago = d->now - d->now % DEMO_HOUR - DEMO_HOUR;
    const int64_t group[] = {pat, sam, rosa, ava, ben};
    static const enum delivery_attendance_mark day1[] = {DELIVERY_ATTENDANCE_PRESENT, DELIVERY_ATTENDANCE_PRESENT,
                                                         DELIVERY_ATTENDANCE_LATE, DELIVERY_ATTENDANCE_PRESENT,
                                                         DELIVERY_ATTENDANCE_PRESENT};
    static const enum delivery_attendance_mark day2[] = {DELIVERY_ATTENDANCE_PRESENT, DELIVERY_ATTENDANCE_ABSENT,
                                                         DELIVERY_ATTENDANCE_PRESENT, DELIVERY_ATTENDANCE_PRESENT,
                                                         DELIVERY_ATTENDANCE_PRESENT};
    /* Ben came to two extra days run for those who started early: four in all, as NPQSL needs. */
    const int64_t early[] = {ben};
    static const enum delivery_attendance_mark present_early[] = {DELIVERY_ATTENDANCE_PRESENT};
    attend(d,
           event(d, blended.id, DELIVERY_EVENT_FACE_TO_FACE, "Early day A: the senior leader's role",
                 "succeeding-in-senior-leadership", venue.id, today9 - 80 * DEMO_DAY, 6),
           early, 1, present_early);
    attend(d,
           event(d, blended.id, DELIVERY_EVENT_FACE_TO_FACE, "Early day B: evaluating a school",
                 "school-self-evaluation", venue.id, today9 - 40 * DEMO_DAY, 6),
           early, 1, present_early);
    attend(d,
           event(d, blended.id, DELIVERY_EVENT_FACE_TO_FACE, "Day 1: leading with evidence", "closing-the-gap",
                 venue.id, today9 - 60 * DEMO_DAY, 6),
           group, 5, day1);
    attend(d,
           event(d, blended.id, DELIVERY_EVENT_FACE_TO_FACE, "Day 2: closing the gap", "closing-the-gap", venue.id,
                 today9 - 20 * DEMO_DAY, 6),
           group, 5, day2);
    attend(d,
           event(d, blended.id, DELIVERY_EVENT_FACE_TO_FACE, "Day 3: self-evaluation in practice",
                 "school-self-evaluation", venue.id, hour_ago, 5),
           group, 3, NULL);
    const int64_t booked[] = {pat, sam};
    attend(d,
           event(d, blended.id, DELIVERY_EVENT_FACE_TO_FACE, "Day 4: leading the quality of teaching",
                 "improving-the-quality-of-teaching", venue.id, today9 + 21 * DEMO_DAY, 6),
           booked, 2, NULL);
    const int64_t online_group[] = {ola};
    static const enum delivery_attendance_mark present[] = {DELIVERY_ATTENDANCE_PRESENT};
    attend(d,
           event(d, online.id, DELIVERY_EVENT_VIRTUAL_LIVE, "Live session 1: leading a team", NULL, 0,
                 today9 - 14 * DEMO_DAY + 7 * DEMO_HOUR, 2),
           online_group, 1, present);
    attend(d,
           event(d, online.id, DELIVERY_EVENT_VIRTUAL_LIVE, "Live session 2: difficult conversations", NULL, 0,
                 today9 + 7 * DEMO_DAY + 7 * DEMO_HOUR, 2),
           online_group, 1, NULL);

    /* Coaching: a session held with a shared note and an action, sessions this week. */
    coaching(d, pat, today9 - 10 * DEMO_DAY + 6 * DEMO_HOUR,
             "We looked at the attendance data together and chose two strategies to try.",
             "Share the attendance plan with the pastoral team", 5, &arena);
    coaching(d, pat, today9 + 3 * DEMO_DAY + 6 * DEMO_HOUR, NULL, NULL, 0, &arena);
    coaching(d, sam, today9 + 1 * DEMO_DAY + 7 * DEMO_HOUR, NULL, NULL, 0, &arena);

    /* Hours logged, not yet verified. */
    if (e_pat) {
        hours(d, &arena, pat, e_pat, "closing-the-gap", "reading", 5, 6);
        hours(d, &arena, pat, e_pat, "closing-the-gap", "workplace_learning", 2, 3);
        hours(d, &arena, pat, e_pat, "school-self-evaluation", "peer_learning", 8, 2.5);
    }
    if (e_sam)
        hours(d, &arena, sam, e_sam, "closing-the-gap", "reading", 3, 2);

    /* Assessed work at every stage. */
    int64_t t_gap = task(d, TASK_MODULE, "closing-the-gap", "Closing the gap: an improvement plan", 30, 0);
    int64_t t_quality =
        task(d, TASK_MODULE, "improving-the-quality-of-teaching", "Quality of teaching: a study", 10, 0);
    int64_t t_review = task(d, TASK_MODULE, "school-self-evaluation", "Self-evaluation: a review", -3, 100);
    task(d, TASK_FINAL, "NPQSL", "NPQSL final assessment: leading a change", 150, 20);
    int64_t t_final_early = task(d, TASK_FINAL, "NPQSL", "NPQSL final assessment (early entry)", -7, 0);
    if (e_pat && t_gap) {
        int64_t draft = work(d, &arena, pat, e_pat, t_gap, WORK_DRAFT, 0, OUTCOME_PASS);
        struct caller coach = demo_caller(d, d->ids[ROLE_COACH], ROLE_COACH);
        struct submission_feedback fb;
        struct errors errors = ERRORS_INIT;
        if (draft)
            step_ok(d,
                    assessment_feedback_add(d->env, &coach, draft, 0,
                                            "A clear start. Say which pupils the plan is for and how you will "
                                            "know it worked.",
                                            &arena, &fb, &errors) == APP_OK,
                    "feedback on a draft", &errors);
        errors_free(&errors);
    }
    /* Ben has every module and the final assessment: ready for the award decision. */
    if (e_ben) {
        static const char *const ben_modules[] = {"closing-the-gap", "succeeding-in-senior-leadership",
                                                  "improving-the-quality-of-teaching", "school-self-evaluation"};
        for (size_t i = 0; i < 4; i++)
            step_ok(d,
                    store_completion_record(store, actor, ben, ben_modules[i], day_from_now(d, &arena, -15), e_ben,
                                            "Passed", d->now) == STORE_OK,
                    "a completed module", NULL);
        if (t_final_early)
            work(d, &arena, ben, e_ben, t_final_early, WORK_RELEASED, d->ids[ROLE_ASSESSOR], OUTCOME_PASS);
    }
    if (e_pat && t_quality)
        work(d, &arena, pat, e_pat, t_quality, WORK_MARKED, d->ids[ROLE_ASSESSOR], OUTCOME_PASS);
    if (e_sam && t_gap)
        work(d, &arena, sam, e_sam, t_gap, WORK_SUBMITTED, 0, OUTCOME_PASS);
    if (e_sam && t_review)
        work(d, &arena, sam, e_sam, t_review, WORK_MARKED, d->ids[ROLE_ADMIN], OUTCOME_PASS);
    if (e_rosa && t_quality)
        work(d, &arena, rosa, e_rosa, t_quality, WORK_RELEASED, d->ids[ROLE_ASSESSOR], OUTCOME_REFER);
    if (e_rosa && t_review)
        work(d, &arena, rosa, e_rosa, t_review, WORK_SUBMITTED, 0, OUTCOME_PASS);
    (void)e_ola;
    forum_talk(d, blended.id, sam, rosa);

    /* Dev defers until next term; Ava has finished, and holds her certificate. */
    if (e_dev) {
        struct enrolment_change defer = {.from = ENROLMENT_ACTIVE,
                                         .to = ENROLMENT_DEFERRED,
                                         .step = "defer",
                                         .reason = "Maternity leave",
                                         .expected_return = day_from_now(d, &arena, 120)};
        step_ok(d, store_enrolment_transition(store, actor, e_dev, &defer, d->now) == STORE_OK, "the deferral", NULL);
    }
    if (e_ava) {
        static const char *const modules[] = {"closing-the-gap", "succeeding-in-senior-leadership",
                                              "improving-the-quality-of-teaching", "school-self-evaluation"};
        for (size_t i = 0; i < 4; i++)
            step_ok(d,
                    store_completion_record(store, actor, ava, modules[i], day_from_now(d, &arena, -10), e_ava,
                                            "Passed", d->now) == STORE_OK,
                    "a completed module", NULL);
        char code[SECRET_TOKEN_TEXT];
        secret_token_new(code);
        struct award award = {.participant_id = ava,
                              .enrolment_id = e_ava,
                              .qualification = "NPQSL",
                              .awarded_on = day_from_now(d, &arena, -2),
                              .verification_code = code};
        char year[DATE_TEXT];
        date_of(d->now, year);
        step_ok(d, store_award_create(store, actor, &award, (int)strtol(year, NULL, 10), &arena, d->now) == STORE_OK,
                "the award", NULL);
        struct enrolment_change done = {
            .from = ENROLMENT_ACTIVE, .to = ENROLMENT_COMPLETED, .step = "complete", .reason = "Awarded"};
        step_ok(d, store_enrolment_transition(store, actor, e_ava, &done, d->now) == STORE_OK, "completing", NULL);
    }
    arena_release(&arena);
    return d->failures ? 1 : 0;
}

int cli_demo(int argc, char **argv)
{
    const char *db = cli_default_db();
    bool with_programme = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
            db = argv[++i];
        else if (strcmp(argv[i], "--programme") == 0)
            with_programme = true;
        else {
            fprintf(stderr, "usage: npq demo [--db PATH] [--programme]\n");
            return 2;
        }
    }
    struct store *store = cli_open_store(db);
    if (store == NULL)
        return 1;
    int64_t now = clock_now();
    char base_url[512];
    accounts_base_url(store, base_url, sizeof(base_url));
    struct accounts_env env = {store, &demo_actor, base_url, now};

    organisation(store, (struct organisation){.kind = ORG_PROVIDER, .name = "Demo NPQ Provider"}, now);
    int64_t partner = organisation(store,
                                   (struct organisation){.kind = ORG_DELIVERY_PARTNER,
                                                         .name = "North West Teaching School Hub",
                                                         .regions_served = "North West; Merseyside"},
                                   now);
    int64_t trust = organisation(store, (struct organisation){.kind = ORG_TRUST, .name = "Mersey Learning Trust"}, now);
    int64_t school = organisation(store,
                                  (struct organisation){.kind = ORG_SCHOOL,
                                                        .name = "Riverside Primary School",
                                                        .urn = "100001",
                                                        .local_authority = "Liverpool",
                                                        .region = "North West",
                                                        .phase = "Primary",
                                                        .trust_id = trust},
                                  now);
    static const struct {
        const char *email, *name;
        enum role role;
        char where; /* 'p' the partner, 's' the school, 0 none */
    } people[] = {
        {"admin@demo.npq.test", "Ada Administrator", ROLE_ADMIN, 0},
        {"partner.lead@demo.npq.test", "Priya Partner-Lead", ROLE_PARTNER_LEAD, 'p'},
        {"facilitator@demo.npq.test", "Femi Facilitator", ROLE_FACILITATOR, 'p'},
        {"coach@demo.npq.test", "Carys Coach", ROLE_COACH, 0},
        {"assessor@demo.npq.test", "Arun Assessor", ROLE_ASSESSOR, 0},
        {"participant@demo.npq.test", "Pat Participant", ROLE_PARTICIPANT, 's'},
        {"mentor@demo.npq.test", "Morgan Mentor", ROLE_MENTOR, 's'},
        {"headteacher@demo.npq.test", "Hana Headteacher", ROLE_HEADTEACHER, 's'},
    };
    int64_t ids[sizeof(people) / sizeof(people[0])];
    int rc = 0;
    for (size_t i = 0; i < sizeof(people) / sizeof(people[0]); i++) {
        int64_t org = people[i].where == 'p' ? partner : people[i].where == 's' ? school : 0;
        enum organisation_kind kind;
        ids[i] = person(&env, people[i].email, people[i].name, people[i].role, org,
                        role_scope_kind(people[i].role, &kind) ? org : 0);
        if (ids[i] == 0)
            rc = 1;
    }
    /* The participant's coach and mentor look after them. */
    int64_t id;
    if (ids[3] && ids[5])
        store_assignment_create(store, &demo_actor, ROLE_COACH, ids[3], ids[5], now, &id);
    if (ids[6] && ids[5])
        store_assignment_create(store, &demo_actor, ROLE_MENTOR, ids[6], ids[5], now, &id);
    struct demo demo = {&env, NULL, now, 0, school, partner, {0}};
    for (size_t i = 0; i < sizeof(people) / sizeof(people[0]); i++)
        demo.ids[people[i].role] = ids[i];
    bool built = false;
    if (rc == 0 && with_programme) {
        if (store_catalogue_load(store, &demo.catalogue) != STORE_OK || demo.catalogue == NULL) {
            fprintf(stderr, "npq: demo: the catalogue could not be read; run npq init first\n");
            rc = 1;
        } else {
            rc = programme(&demo, &built);
            catalogue_free(demo.catalogue);
            /* Much of the programme is written through the store alone: judge it once, as a
             * refresh after an import would. */
            size_t refreshed = 0;
            if (rc == 0 && built && progress_refresh_many(&env, PROGRESS_ALL, &refreshed) != APP_OK)
                fprintf(stderr, "npq: demo: the progress of the demo enrolments could not be judged\n");
        }
    }
    store_close(store);
    if (rc == 0) {
        printf("Demo sign-ins (password for all: %s)\n", DEMO_PASSWORD);
        for (size_t i = 0; i < sizeof(people) / sizeof(people[0]); i++)
            if (with_programme)
                printf("  %-24s %-28s %s\n", role_title(people[i].role), people[i].email, finds[people[i].role]);
            else
                printf("  %-24s %s\n", role_title(people[i].role), people[i].email);
        if (with_programme)
            printf("%s\n", built ? "The demo programme is built, dated from today."
                                 : "The demo programme was built before and is left as it is.");
    }
    return rc;
}
