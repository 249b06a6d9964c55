/*
 * A person's home (see home.h): the store's home questions (store_home.c), the marking queue,
 * hours against caps, plan warnings and award checks, put into words per role. Nothing here
 * writes; every list is capped at HOME_LIST_LIMIT items.
 */
#include "app/home.h"

#include "app/assessment.h"
#include "app/awards.h"
#include "app/coaching.h"
#include "app/delivery.h"
#include "domain/assessment.h"
#include "domain/delivery.h"
#include "domain/enrolment.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* What home_read works with while it builds one home. */
struct home_build {
    const struct accounts_env *env;
    const struct catalogue *catalogue;
    const struct caller *caller;
    struct arena *arena;
    enum app_result result;
};

static const char *text(struct arena *arena, const char *format, ...) __attribute__((format(printf, 2, 3)));
static const char *text(struct arena *arena, const char *format, ...)
{
    char line[1024];
    va_list ap;
    va_start(ap, format);
    vsnprintf(line, sizeof(line), format, ap);
    va_end(ap);
    return arena_strdup(arena, line);
}

static const char *plural(int64_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

static const char *hours_words(struct arena *arena, int64_t quarter_hours)
{
    char number[DELIVERY_HOURS_TEXT];
    delivery_hours_number(quarter_hours, number);
    return text(arena, "%s %s", number, quarter_hours == 4 ? "hour" : "hours");
}

static const char *study(const struct home_build *h, const char *kind, const char *code)
{
    enum study_kind k = STUDY_QUALIFICATION;
    study_kind_parse(kind, &k);
    return study_title(h->catalogue, k, code);
}

/* A part for role, added to out. */
static struct home_part *part_add(struct home *out, enum role role, const char *heading)
{
    struct home_part *p = &out->parts[out->part_count++];
    memset(p, 0, sizeof(*p));
    p->role = role;
    p->heading = heading;
    return p;
}

static struct home_list *list_add(struct home_build *h, struct home_part *p, const char *key, const char *heading,
                                  const char *empty)
{
    struct home_list *l = &p->lists[p->list_count++];
    l->key = key;
    l->heading = heading;
    l->empty = empty;
    l->items = arena_alloc(h->arena, sizeof(*l->items) * HOME_LIST_LIMIT);
    l->count = 0;
    return l;
}

static struct home_item *item_add(struct home_list *l)
{
    if (l->count == HOME_LIST_LIMIT)
        return NULL;
    struct home_item *it = &l->items[l->count++];
    memset(it, 0, sizeof(*it));
    return it;
}

static void link_add(struct home_part *p, const char *text_, const char *href)
{
    if (p->link_count < HOME_LINKS_MAX)
        p->links[p->link_count++] = (struct home_link){text_, href};
}

/* The rows of query, or none after noting that the database failed. */
static size_t rows(struct home_build *h, enum home_query query, int64_t subject, size_t limit, struct home_row **out)
{
    size_t count = 0;
    if (store_home_rows(h->env->store, query, subject, h->env->now, limit, h->arena, out, &count) != STORE_OK) {
        h->result = APP_UNAVAILABLE;
        return 0;
    }
    return count;
}

/* Participant */

/* Whether a task is part of an enrolment: its final assessment, or a task of one of its modules. */
static bool task_in_enrolment(const struct home_build *h, const struct enrolment *e, const struct home_row *task)
{
    if (strcasecmp(task->code, e->target) == 0)
        return strcmp(task->kind, "final") == 0 ? e->kind == STUDY_QUALIFICATION : e->kind == STUDY_MODULE;
    if (strcmp(task->kind, "module") != 0)
        return false;
    const struct catalogue_module *modules[64];
    size_t n = activities_modules(h->catalogue, e, modules, 64);
    for (size_t i = 0; i < n; i++)
        if (strcasecmp(modules[i]->code, task->code) == 0)
            return true;
    return false;
}

static void participant_part(struct home_build *h, struct home *out)
{
    const struct caller *caller = h->caller;
    struct arena *arena = h->arena;
    struct home_part *p = part_add(out, ROLE_PARTICIPANT, "Your studies");
    struct home_row *r;
    size_t n;

    struct enrolment *enrolments = NULL;
    size_t enrolment_count = 0;
    if (store_enrolment_list_for(h->env->store, caller->user_id, arena, &enrolments, &enrolment_count) != STORE_OK) {
        h->result = APP_UNAVAILABLE;
        enrolment_count = 0;
    }
    struct home_list *l = list_add(h, p, "studies", "What you are studying",
                                   "You are not enrolled on anything yet. Apply for a qualification or module.");
    for (size_t i = 0; i < enrolment_count; i++) {
        const struct enrolment *e = &enrolments[i];
        if (e->state == ENROLMENT_WITHDRAWN)
            continue;
        struct home_item *it = item_add(l);
        if (it == NULL)
            break;
        it->id = e->id;
        it->title = study_title(h->catalogue, e->kind, e->target);
        it->detail = e->cohort_code ? text(arena, "%s, cohort %s", enrolment_state_title(e->state), e->cohort_code)
                                    : enrolment_state_title(e->state);
        if (e->elective_count > 0) {
            char electives[512] = "";
            for (size_t k = 0; k < e->elective_count; k++) {
                size_t used = strlen(electives);
                snprintf(electives + used, sizeof(electives) - used, "%s%s", k ? ", " : "",
                         study_title(h->catalogue, STUDY_MODULE, e->electives[k]));
            }
            it->note = text(arena, "Electives: %s", electives);
        }
        it->href = text(arena, "/enrolments/%" PRId64, e->id);
    }

    l = list_add(h, p, "events", "Your next events", "No events are planned for your cohort yet.");
    n = rows(h, HOME_PARTICIPANT_EVENTS, caller->user_id, HOME_LIST_LIMIT, &r);
    for (size_t i = 0; i < n; i++) {
        struct home_item *it = item_add(l);
        it->id = r[i].id;
        it->title = r[i].title;
        it->at = r[i].at;
        it->href = text(arena, "/events/%" PRId64, r[i].id);
        if (r[i].n[0])
            it->detail = "You have a place";
        else if (r[i].n[1] > 0)
            it->detail =
                text(arena, "Not booked: %" PRId64 " %s left", r[i].n[1], plural(r[i].n[1], "place", "places"));
        else
            it->detail = "Not booked: the event is full";
        if (!r[i].n[0] && r[i].n[1] > 0) {
            it->action = "Book a place";
            it->action_href = it->href;
        }
    }

    l = list_add(h, p, "tasks", "Work due", "No assessed work is due.");
    n = rows(h, HOME_PARTICIPANT_TASKS, caller->user_id, 200, &r);
    for (size_t i = 0; i < n && l->count < HOME_LIST_LIMIT; i++) {
        const struct enrolment *e = NULL;
        for (size_t k = 0; k < enrolment_count && e == NULL; k++)
            if (enrolments[k].id == r[i].ref)
                e = &enrolments[k];
        if (e == NULL || !task_in_enrolment(h, e, &r[i]))
            continue;
        struct home_item *it = item_add(l);
        it->id = r[i].id;
        it->title = r[i].title;
        it->due = r[i].at;
        it->detail = r[i].n[0] ? "Draft started, not submitted" : "Not started";
        it->href = r[i].n[0] ? text(arena, "/submissions/%" PRId64, r[i].n[0]) : "/assessment";
    }

    l = list_add(h, p, "feedback", "Feedback and results", "No feedback or results yet.");
    n = rows(h, HOME_PARTICIPANT_FEEDBACK, caller->user_id, HOME_LIST_LIMIT, &r);
    for (size_t i = 0; i < n; i++) {
        struct home_item *it = item_add(l);
        it->id = r[i].id;
        it->title = r[i].title;
        it->at = r[i].at;
        if (strcmp(r[i].kind, "result") == 0) {
            enum mark_outcome outcome;
            it->detail = mark_outcome_parse(r[i].detail, &outcome)
                             ? text(arena, "Result: %s", mark_outcome_title(outcome))
                             : "Result released";
        } else {
            it->detail = r[i].detail;
        }
        it->href = text(arena, "/submissions/%" PRId64, r[i].id);
    }

    l = list_add(h, p, "coaching", "Coaching", "No coaching sessions are booked.");
    n = rows(h, HOME_PARTICIPANT_COACHING, caller->user_id, HOME_LIST_LIMIT, &r);
    for (size_t i = 0; i < n; i++) {
        struct home_item *it = item_add(l);
        enum delivery_coaching_mode mode = DELIVERY_COACHING_ONLINE;
        delivery_coaching_mode_parse(r[i].kind, &mode);
        it->id = r[i].id;
        it->title = text(arena, "Coaching with %s", r[i].title);
        it->detail = delivery_coaching_mode_title(mode);
        it->at = r[i].at;
        it->href = text(arena, "/coaching/%" PRId64, r[i].id);
    }
    n = rows(h, HOME_PARTICIPANT_ACTIONS, caller->user_id, HOME_LIST_LIMIT, &r);
    for (size_t i = 0; i < n; i++) {
        struct home_item *it = item_add(l);
        if (it == NULL)
            break;
        it->id = r[i].id;
        it->title = r[i].title;
        it->detail = "Agreed action, not done yet";
        it->date = r[i].date[0] ? r[i].date : NULL;
        it->href = text(arena, "/coaching/%" PRId64, r[i].id);
    }

    l = list_add(h, p, "hours", "Learning hours", "Nothing to log hours against yet.");
    for (size_t i = 0; i < enrolment_count; i++) {
        if (enrolments[i].state != ENROLMENT_ACTIVE)
            continue;
        struct activity_log log;
        if (activities_read(h->env, h->catalogue, enrolments[i].id, NULL, arena, &log) != APP_OK)
            continue;
        for (size_t m = 0; m < log.module_count; m++) {
            const struct activity_module_total *t = &log.modules[m];
            if (!t->in_enrolment)
                continue;
            struct home_item *it = item_add(l);
            if (it == NULL)
                break;
            it->id = enrolments[i].id;
            it->title = t->module ? t->module->title : t->code;
            it->detail = text(arena, "%s of %d logged", hours_words(arena, t->quarter_hours), t->hours_cap);
            it->href = text(arena, "/enrolments/%" PRId64 "/hours", enrolments[i].id);
        }
    }

    link_add(p, "Your pathway", text(arena, "/participants/%" PRId64 "/pathway", caller->user_id));
    link_add(p, "Your transcript", text(arena, "/participants/%" PRId64 "/transcript", caller->user_id));
    link_add(p, "Log learning hours", "/hours");
    struct award *awards;
    size_t award_count = 0, total;
    if (store_award_list(h->env->store, caller->user_id, &(struct store_page){.limit = 3}, arena, &awards, &award_count,
                         &total) != STORE_OK)
        h->result = APP_UNAVAILABLE;
    for (size_t i = 0; i < award_count; i++)
        link_add(
            p,
            text(arena, "Your %s certificate", study_title(h->catalogue, STUDY_QUALIFICATION, awards[i].qualification)),
            text(arena, "/api/v1/awards/%" PRId64 "/certificate.pdf", awards[i].id));
}

/* Facilitator */

static void facilitator_part(struct home_build *h, struct home *out)
{
    struct arena *arena = h->arena;
    int64_t now = h->env->now;
    struct home_part *p = part_add(out, ROLE_FACILITATOR, "Your events");
    struct home_row *r;
    struct home_list *l =
        list_add(h, p, "events", "Today and coming up", "You are not facilitating any events that are coming up.");
    size_t n = rows(h, HOME_FACILITATOR_EVENTS, h->caller->user_id, HOME_LIST_LIMIT, &r);
    for (size_t i = 0; i < n; i++) {
        struct home_item *it = item_add(l);
        bool started = r[i].at <= now, ended = r[i].n[2] <= now;
        it->id = r[i].id;
        it->title = r[i].title;
        it->at = r[i].at;
        it->href = text(arena, "/events/%" PRId64, r[i].id);
        if (ended)
            it->detail = text(arena, "%s, ended: %" PRId64 " of %" PRId64 " marked", r[i].detail, r[i].n[3], r[i].n[0]);
        else if (started)
            it->detail = text(arena, "%s, under way: %" PRId64 " booked", r[i].detail, r[i].n[0]);
        else
            it->detail = text(arena, "%s: %" PRId64 " of %" PRId64 " places booked", r[i].detail, r[i].n[0], r[i].n[1]);
        it->action = "Register";
        it->action_href = text(arena, "/events/%" PRId64 "/register", r[i].id);
    }
    l = list_add(h, p, "cohorts", "Your cohorts", "You are not facilitating in any cohort.");
    n = rows(h, HOME_FACILITATOR_COHORTS, h->caller->user_id, HOME_LIST_LIMIT, &r);
    for (size_t i = 0; i < n; i++) {
        struct home_item *it = item_add(l);
        it->id = r[i].id;
        it->title = r[i].title;
        it->detail = text(arena, "%s, %" PRId64 " %s", study(h, r[i].kind, r[i].code), r[i].n[0],
                          plural(r[i].n[0], "participant", "participants"));
        it->href = text(arena, "/cohorts/%" PRId64, r[i].id);
    }
    link_add(p, "Delivery", "/delivery");
}

/* Coach */

static void coach_part(struct home_build *h, struct home *out)
{
    struct arena *arena = h->arena;
    int64_t me = h->caller->user_id;
    struct home_part *p = part_add(out, ROLE_COACH, "Your coaching");
    struct home_row *r;
    struct home_list *l = list_add(h, p, "coachees", "The people you coach", "Nobody is assigned to you yet.");
    size_t n = rows(h, HOME_COACH_COACHEES, me, HOME_LIST_LIMIT, &r);
    for (size_t i = 0; i < n; i++) {
        struct home_item *it = item_add(l);
        it->id = r[i].id;
        it->title = r[i].title;
        it->detail = r[i].at ? text(arena, "%" PRId64 " %s held; next session booked", r[i].n[0],
                                    plural(r[i].n[0], "session", "sessions"))
                             : text(arena, "%" PRId64 " %s held; no session booked", r[i].n[0],
                                    plural(r[i].n[0], "session", "sessions"));
        it->at = r[i].at;
        it->href = text(arena, "/admin/users/%" PRId64, r[i].id);
    }
    l = list_add(h, p, "sessions", "Sessions coming up", "No sessions are booked.");
    n = rows(h, HOME_COACH_SESSIONS, me, HOME_LIST_LIMIT, &r);
    for (size_t i = 0; i < n; i++) {
        struct home_item *it = item_add(l);
        enum delivery_coaching_mode mode = DELIVERY_COACHING_ONLINE;
        delivery_coaching_mode_parse(r[i].kind, &mode);
        it->id = r[i].id;
        it->title = text(arena, "Coaching %s", r[i].title);
        it->detail = delivery_coaching_mode_title(mode);
        it->at = r[i].at;
        it->href = text(arena, "/coaching/%" PRId64, r[i].id);
    }
    l = list_add(h, p, "drafts", "Drafts waiting for feedback", "No drafts are waiting for your feedback.");
    n = rows(h, HOME_COACH_DRAFTS, me, HOME_LIST_LIMIT, &r);
    for (size_t i = 0; i < n; i++) {
        struct home_item *it = item_add(l);
        it->id = r[i].id;
        it->title = r[i].title;
        it->detail = text(arena, "%s's draft", r[i].detail);
        it->at = r[i].at;
        it->href = text(arena, "/submissions/%" PRId64, r[i].id);
        it->action = "Give feedback";
        it->action_href = it->href;
    }
    l = list_add(h, p, "hours", "Hours to verify", "No hours are waiting to be verified.");
    n = rows(h, HOME_COACH_HOURS, me, HOME_LIST_LIMIT, &r);
    for (size_t i = 0; i < n; i++) {
        struct home_item *it = item_add(l);
        it->id = r[i].id;
        it->title = r[i].title;
        it->detail = text(arena, "%" PRId64 " %s, %s, not verified", r[i].n[0], plural(r[i].n[0], "entry", "entries"),
                          hours_words(arena, r[i].n[1]));
        it->note = study(h, r[i].kind, r[i].code);
        it->href = text(arena, "/enrolments/%" PRId64 "/hours", r[i].id);
        it->action = "Verify hours";
        it->action_href = it->href;
    }
    link_add(p, "Coaching sessions", "/coaching");
    link_add(p, "Assessment", "/assessment");
}

/* Assessor */

static void queue_list(struct home_build *h, struct home_list *l, const struct marking_queue_entry *entries,
                       size_t count, bool moderation, const char *what)
{
    for (size_t i = 0; i < count; i++) {
        if (!entries[i].may_mark || entries[i].moderation != moderation)
            continue;
        const struct marking_item *m = &entries[i].item;
        struct home_item *it = item_add(l);
        if (it == NULL)
            break;
        it->id = m->submission_id;
        it->title = m->task_title;
        it->detail =
            text(h->arena, "%s, version %d%s", m->participant_name, m->version_number, m->late ? ", late" : "");
        it->at = m->submitted_at;
        it->href = text(h->arena, "/submissions/%" PRId64, m->submission_id);
        it->action = what;
        it->action_href = text(h->arena, "/submissions/%" PRId64 "/mark", m->submission_id);
    }
}

static void assessor_part(struct home_build *h, struct home *out)
{
    struct home_part *p = part_add(out, ROLE_ASSESSOR, "Your marking");
    /* The oldest of the queue: each list shows the first few it holds. */
    struct marking_queue_entry *queue = NULL;
    size_t queued = 0;
    if (assessment_marking_queue(h->env, h->caller, &(struct store_page){.limit = STORE_PAGE_MAX}, h->arena, &queue,
                                 &queued) != APP_OK)
        h->result = APP_UNAVAILABLE;
    struct home_list *l = list_add(h, p, "marking", "Waiting for marking", "Nothing is waiting to be marked.");
    queue_list(h, l, queue, queued, false, "Mark");
    l = list_add(h, p, "second_marking", "Second marking owed", "No second marking is owed.");
    queue_list(h, l, queue, queued, true, "Second mark");
    l = list_add(h, p, "deadlines", "Deadlines", "No deadlines in the last fortnight or to come.");
    struct home_row *r;
    size_t n = rows(h, HOME_ASSESSOR_DEADLINES, h->caller->user_id, HOME_LIST_LIMIT, &r);
    for (size_t i = 0; i < n; i++) {
        struct home_item *it = item_add(l);
        enum study_kind kind = strcmp(r[i].kind, "final") == 0 ? STUDY_QUALIFICATION : STUDY_MODULE;
        it->id = r[i].id;
        it->title = r[i].title;
        it->due = r[i].at;
        it->detail = text(h->arena, "%s: %" PRId64 " waiting for marking", study_title(h->catalogue, kind, r[i].code),
                          r[i].n[0]);
        it->href = "/marking";
    }
    link_add(p, "Marking", "/marking");
}

/* Delivery partner lead and provider administrator */

/* The plan's warning for a cohort, or NULL when its plan is enough (or cannot be read). */
static const char *plan_warning(struct home_build *h, int64_t cohort_id)
{
    struct cohort_delivery d;
    if (cohort_delivery_get(h->env, h->catalogue, cohort_id, h->arena, &d) != APP_OK)
        return NULL;
    return d.warning;
}

static void lead_part(struct home_build *h, struct home *out)
{
    struct arena *arena = h->arena;
    int64_t me = h->caller->user_id;
    struct home_part *p = part_add(out, ROLE_PARTNER_LEAD, "Your delivery");
    struct home_row *r;
    struct home_list *l = list_add(h, p, "cohorts", "Your cohorts", "Your partnership has no cohorts yet.");
    size_t n = rows(h, HOME_LEAD_COHORTS, me, HOME_LIST_LIMIT, &r);
    for (size_t i = 0; i < n; i++) {
        struct home_item *it = item_add(l);
        it->id = r[i].id;
        it->title = r[i].title;
        it->detail = r[i].n[2] ? text(arena, "%" PRId64 " %s; attendance %" PRId64 "%% (%" PRId64 " of %" PRId64 ")",
                                      r[i].n[0], plural(r[i].n[0], "participant", "participants"),
                                      r[i].n[1] * 100 / r[i].n[2], r[i].n[1], r[i].n[2])
                               : text(arena, "%" PRId64 " %s; no registers taken yet", r[i].n[0],
                                      plural(r[i].n[0], "participant", "participants"));
        const char *warning = plan_warning(h, r[i].id);
        it->note = warning ? text(arena, "Plan: %s", warning) : NULL;
        it->href = text(arena, "/cohorts/%" PRId64, r[i].id);
    }
    l = list_add(h, p, "unplaced", "People without a place",
                 "Everyone accepted is in a cohort and holds a place on its coming events.");
    n = rows(h, HOME_LEAD_UNPLACED, me, HOME_LIST_LIMIT, &r);
    for (size_t i = 0; i < n; i++) {
        struct home_item *it = item_add(l);
        it->id = r[i].id;
        it->title = r[i].title;
        it->detail = text(arena, "No place on a coming event of %s", r[i].detail);
        it->href = text(arena, "/cohorts/%" PRId64, r[i].ref);
    }
    n = rows(h, HOME_LEAD_UNASSIGNED, me, HOME_LIST_LIMIT, &r);
    for (size_t i = 0; i < n; i++) {
        struct home_item *it = item_add(l);
        if (it == NULL)
            break;
        it->id = r[i].id;
        it->title = r[i].title;
        it->detail = text(arena, "Accepted for %s, not yet in a cohort", study(h, r[i].kind, r[i].code));
        it->at = r[i].at;
        it->href = text(arena, "/applications/%" PRId64, r[i].ref);
    }
    link_add(p, "Delivery", "/delivery");
    link_add(p, "People", "/admin/users");
}

static void admin_part(struct home_build *h, struct home *out)
{
    struct arena *arena = h->arena;
    int64_t me = h->caller->user_id;
    struct home_part *p = part_add(out, ROLE_ADMIN, "Running the programme");
    struct home_row *r;
    struct home_list *l =
        list_add(h, p, "applications", "Applications waiting for a decision", "No applications are waiting.");
    size_t n = rows(h, HOME_ADMIN_APPLICATIONS, me, HOME_LIST_LIMIT, &r);
    for (size_t i = 0; i < n; i++) {
        struct home_item *it = item_add(l);
        enum application_state state = APPLICATION_SUBMITTED;
        application_state_parse(r[i].detail, &state);
        it->id = r[i].id;
        it->title = r[i].title;
        it->detail =
            text(arena, "%s: %s", study(h, r[i].kind, r[i].code),
                 state == APPLICATION_ACCEPTED ? "accepted, waiting for enrolment" : application_state_title(state));
        it->at = r[i].at;
        it->href = text(arena, "/applications/%" PRId64, r[i].id);
    }
    l = list_add(h, p, "release", "Work waiting for release", "No marked work is waiting.");
    n = rows(h, HOME_ADMIN_RELEASE, me, HOME_LIST_LIMIT, &r);
    for (size_t i = 0; i < n; i++) {
        struct home_item *it = item_add(l);
        it->id = r[i].id;
        it->title = r[i].title;
        it->detail = text(arena, "%s: %s", r[i].detail,
                          strcmp(r[i].kind, "moderated") == 0 ? "moderated, ready to release" : "marked");
        it->at = r[i].at;
        it->href = text(arena, "/submissions/%" PRId64, r[i].id);
        if (strcmp(r[i].kind, "moderated") == 0 || strcmp(r[i].kind, "marked") == 0) {
            it->action = "Release";
            it->action_href = it->href;
        }
    }
    l = list_add(h, p, "awards", "Ready for award", "Nobody is ready for an award.");
    n = rows(h, HOME_ADMIN_AWARD_CANDIDATES, me, 50, &r);
    for (size_t i = 0; i < n && l->count < HOME_LIST_LIMIT; i++) {
        struct award_status status;
        if (awards_check(h->env, h->catalogue, r[i].id, arena, &status) != APP_OK || !status.eligible || status.awarded)
            continue;
        struct home_item *it = item_add(l);
        it->id = r[i].id;
        it->title = r[i].title;
        it->detail = text(arena, "%s: all requirements met", study(h, r[i].kind, r[i].code));
        it->href = text(arena, "/enrolments/%" PRId64, r[i].id);
        it->action = "Decide the award";
        it->action_href = text(arena, "/enrolments/%" PRId64 "/award", r[i].id);
    }
    l = list_add(h, p, "cohorts", "Cohorts short of events", "Every cohort has the events its plan needs.");
    n = rows(h, HOME_ADMIN_COHORTS, me, 100, &r);
    for (size_t i = 0; i < n && l->count < HOME_LIST_LIMIT; i++) {
        const char *warning = plan_warning(h, r[i].id);
        if (warning == NULL)
            continue;
        struct home_item *it = item_add(l);
        it->id = r[i].id;
        it->title = r[i].title;
        it->detail = warning;
        it->href = text(arena, "/cohorts/%" PRId64, r[i].id);
    }
    link_add(p, "Applications", "/applications");
    link_add(p, "Delivery", "/delivery");
    link_add(p, "Add a cohort", "/cohorts/new");
    link_add(p, "People", "/admin/users");
    link_add(p, "Awards", "/admin/awards");
}

/* Mentor and headteacher: the people they follow, each with progress and milestones. */

static void people_list(struct home_build *h, struct home_list *l, enum home_query query)
{
    struct arena *arena = h->arena;
    struct home_row *r;
    size_t n = rows(h, query, h->caller->user_id, HOME_LIST_LIMIT, &r);
    for (size_t i = 0; i < n; i++) {
        struct home_item *it = item_add(l);
        enum enrolment_state state = ENROLMENT_ACTIVE;
        enrolment_state_parse(r[i].detail, &state);
        it->id = r[i].ref;
        it->title = r[i].title;
        it->detail = text(arena, "%s, %s; attended %" PRId64 " of %" PRId64 " %s; %s logged",
                          study(h, r[i].kind, r[i].code), enrolment_state_title(state), r[i].n[0], r[i].n[1],
                          plural(r[i].n[1], "event", "events"), hours_words(arena, r[i].n[2]));
        it->at = r[i].at;
        it->due = r[i].n[3];
        it->href = text(arena, "/admin/users/%" PRId64, r[i].ref);
        it->action = "Progress";
        it->action_href = text(arena, "/enrolments/%" PRId64 "/progress", r[i].id);
        struct home_row *work;
        size_t w = rows(h, HOME_ENROLMENT_WORK, r[i].id, 20, &work);
        char line[1024] = "";
        for (size_t k = 0; k < w; k++) {
            enum submission_state s = SUBMISSION_DRAFT;
            submission_state_parse(work[k].kind, &s);
            enum mark_outcome outcome;
            const char *words =
                s == SUBMISSION_DRAFT       ? "draft"
                : s == SUBMISSION_SUBMITTED ? "submitted"
                : s == SUBMISSION_RELEASED
                    ? (mark_outcome_parse(work[k].detail, &outcome) ? mark_outcome_title(outcome) : "result released")
                    : "being marked";
            size_t used = strlen(line);
            snprintf(line + used, sizeof(line) - used, "%s%s: %s", k ? "; " : "", work[k].title, words);
        }
        it->note = w ? text(arena, "Work: %s", line) : "Work: none started";
    }
}

static void mentor_part(struct home_build *h, struct home *out)
{
    struct home_part *p = part_add(out, ROLE_MENTOR, "The people you mentor");
    people_list(h, list_add(h, p, "participants", "Their progress", "Nobody is assigned to you to mentor yet."),
                HOME_MENTOR_PEOPLE);
    link_add(p, "People", "/admin/users");
}

static void headteacher_part(struct home_build *h, struct home *out)
{
    struct home_part *p = part_add(out, ROLE_HEADTEACHER, "Your school's participants");
    people_list(h, list_add(h, p, "participants", "Their progress", "Nobody at your school is enrolled yet."),
                HOME_HEADTEACHER_PEOPLE);
    link_add(p, "Applications to approve", "/applications");
    link_add(p, "People", "/admin/users");
}

enum app_result home_read(const struct accounts_env *env, const struct catalogue *catalogue,
                          const struct caller *caller, struct arena *arena, struct home *out)
{
    struct home_build h = {env, catalogue, caller, arena, APP_OK};
    memset(out, 0, sizeof(*out));
    /* In the order of enum role, so a person with several roles always sees them in one order. */
    if (caller_has(caller, ROLE_ADMIN))
        admin_part(&h, out);
    if (caller_has(caller, ROLE_PARTNER_LEAD))
        lead_part(&h, out);
    if (caller_has(caller, ROLE_FACILITATOR))
        facilitator_part(&h, out);
    if (caller_has(caller, ROLE_COACH))
        coach_part(&h, out);
    if (caller_has(caller, ROLE_ASSESSOR))
        assessor_part(&h, out);
    if (caller_has(caller, ROLE_PARTICIPANT))
        participant_part(&h, out);
    if (caller_has(caller, ROLE_MENTOR))
        mentor_part(&h, out);
    if (caller_has(caller, ROLE_HEADTEACHER))
        headteacher_part(&h, out);
    return h.result;
}
