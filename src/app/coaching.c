/*
 * Coaching and the learning-hours log as use cases (see coaching.h). A module's cap is held by the
 * store's write (store_activity_create and _update refuse hours past it, whatever was read
 * before); the hours read here beforehand are for the messages, so that a refusal says how much
 * more fits.
 */
#include "app/coaching.h"

#include "app/progress.h"
#include "lib/buf.h"
#include "lib/date.h"
#include "lib/text.h"

#include <inttypes.h>
#include <stdio.h>

#include <string.h>
#include <strings.h>

/* Copies the domain's errors into errors, renaming the fields the domain calls otherwise than the
 * request does (pairs of names: from, to, ...; NULL ends them). */
static void copy_errors(const struct errors *from, struct errors *to, const char *const *renames)
{
    for (size_t i = 0; i < from->count; i++) {
        const char *where = from->items[i].where;
        for (const char *const *r = renames; r[0] != NULL; r += 2)
            if (strcmp(where, r[0]) == 0) {
                where = r[1];
                break;
            }
        errors_add(to, where, "%s", from->items[i].message);
    }
}

/* delivery_coaching_check with its fields named as the API names them. */
static bool check_session(int64_t starts_at, int64_t ends_at, enum delivery_coaching_mode mode, const char *place,
                          struct errors *errors)
{
    static const char *const renames[] = {"joining_url", "place", "location", "place", NULL};
    struct errors found = ERRORS_INIT;
    bool ok = delivery_coaching_check(starts_at, ends_at, mode, place, &found);
    copy_errors(&found, errors, renames);
    errors_free(&found);
    return ok;
}

/* A session and the store's facts about it relative to the caller, for the policy to decide on. */
static enum app_result session_with_relation(const struct accounts_env *env, const struct caller *caller, int64_t id,
                                             struct arena *arena, struct coaching_session *s, struct relation *r)
{
    enum store_status status = store_coaching_session_get(env->store, id, arena, s);
    if (status == STORE_OK)
        status = store_relation(env->store, caller, RESOURCE_COACHING_SESSION, id, r);
    return app_result_of_store(status);
}

/* Whether staff_id is a coach assigned to participant_id; *coaches counts the participant's
 * coaches and *only_coach is the one when there is exactly one (else 0). */
static enum store_status assigned_coach(struct store *store, int64_t participant_id, int64_t staff_id, bool *assigned,
                                        size_t *coaches_out, int64_t *only_coach)
{
    struct arena arena = ARENA_INIT;
    struct assignment *list;
    size_t count, coaches = 0;
    *assigned = false;
    *only_coach = 0;
    enum store_status status = store_assignment_list(store, participant_id, &arena, &list, &count);
    for (size_t i = 0; status == STORE_OK && i < count; i++) {
        if (list[i].kind != ROLE_COACH || list[i].participant_id != participant_id)
            continue;
        coaches++;
        *only_coach = list[i].staff_id;
        *assigned = *assigned || list[i].staff_id == staff_id;
    }
    if (coaches != 1)
        *only_coach = 0;
    *coaches_out = coaches;
    arena_release(&arena);
    return status;
}

/* What happened to a session, for the emails to its coach and participant. */
enum session_news { SESSION_BOOKED, SESSION_MOVED, SESSION_CANCELLED };

/* Queues the email about session id to one of its pair (person), naming the other (other_name).
 * Inside the caller's transaction, so that the email goes exactly when the change is kept. */
static enum app_result email_one(const struct accounts_env *env, const struct coaching_session *s,
                                 enum session_news news, const struct user *person, const char *other_name)
{
    static const char *const subjects[] = {"Coaching session booked", "Coaching session moved",
                                           "Coaching session cancelled"};
    static const char *const openings[] = {
        "A coaching session of your National Professional Qualification programme is booked.",
        "A coaching session you have has changed. This is how it is now.",
        ("A coaching session you had has been cancelled, so it will not take place. Please take it out of your "
         "calendar.")};
    char day[DATE_HUMAN_TEXT], when[DATE_HUMAN_TEXT];
    date_format_uk(s->starts_at, DATE_WEEKDAY, day, sizeof(day));
    date_format_uk_range(s->starts_at, s->ends_at, when, sizeof(when));
    char subject[DATE_HUMAN_TEXT + 64];
    snprintf(subject, sizeof(subject), "%s: %s", subjects[news], day);
    struct buf body;
    buf_init(&body, 16 * 1024);
    buf_appendf(&body, "Dear %s,\n\n%s\n\nCoaching session with %s\n\nWhen: %s (UK time)\nHow: %s\n", person->name,
                openings[news], other_name, when, delivery_coaching_mode_title(s->mode));
    if (s->place != NULL && s->place[0] != '\0')
        buf_appendf(&body, "%s: %s\n", s->mode == DELIVERY_COACHING_ONLINE ? "Join online" : "Where", s->place);
    buf_appendf(&body, "\nSee the session (you will be asked to sign in):\n%s/coaching/%" PRId64 "\n", env->base_url,
                s->id);
    enum app_result result =
        buf_failed(&body)
            ? app_broken("a coaching session's email outgrew its buffer")
            : app_result_of_store(store_mail_enqueue(env->store, person->email, subject, body.data, env->now));
    buf_free(&body);
    return result;
}

/* Emails the session's coach and participant about what happened to it, as it is now. */
static enum app_result email_pair(const struct accounts_env *env, int64_t id, enum session_news news)
{
    struct arena arena = ARENA_INIT;
    struct coaching_session s;
    struct user coach, participant;
    enum store_status status = store_coaching_session_get(env->store, id, &arena, &s);
    if (status == STORE_OK)
        status = store_user_get(env->store, s.coach_id, &arena, &coach);
    if (status == STORE_OK)
        status = store_user_get(env->store, s.participant_id, &arena, &participant);
    enum app_result result = app_result_of_store(status);
    if (result == APP_OK && participant.active)
        result = email_one(env, &s, news, &participant, coach.name);
    if (result == APP_OK && coach.active)
        result = email_one(env, &s, news, &coach, participant.name);
    arena_release(&arena);
    return result;
}

enum app_result coaching_session_book(const struct accounts_env *env, const struct caller *caller,
                                      struct coaching_session *s, struct errors *errors)
{
    if (s->participant_id <= 0) {
        errors_add(errors, "participant_id", "Choose the participant the session is with");
        return APP_INVALID;
    }
    bool admin = policy_is_admin(caller), self = false;
    if (!admin) {
        struct relation relation;
        enum store_status status = store_relation(env->store, caller, RESOURCE_USER, s->participant_id, &relation);
        if (status != STORE_OK)
            return APP_UNAVAILABLE;
        /* A participant books with one of their own coaches, as an administrator would for them. */
        self = relation.exists && policy_is_self(caller, &relation);
        /* A coach books for the participants assigned to them, as themselves. Someone they do not
         * coach, or who does not exist, is refused alike. */
        if (!self && (!relation.exists || !policy_is_coach_of(caller, &relation) ||
                      (s->coach_id != 0 && s->coach_id != caller->user_id))) {
            errors_add(errors, "participant_id", "You can book coaching only with participants you coach");
            return APP_FORBIDDEN;
        }
        if (!self)
            s->coach_id = caller->user_id;
    }
    if (admin || self) {
        struct arena arena = ARENA_INIT;
        struct user participant;
        enum store_status status = store_user_get(env->store, s->participant_id, &arena, &participant);
        arena_release(&arena);
        if (status == STORE_NOT_FOUND) {
            errors_add(errors, "participant_id", "There is no participant with this id");
            return APP_INVALID;
        }
        if (status != STORE_OK)
            return APP_UNAVAILABLE;
        bool assigned;
        size_t coaches;
        int64_t only;
        if (assigned_coach(env->store, s->participant_id, s->coach_id, &assigned, &coaches, &only) != STORE_OK)
            return APP_UNAVAILABLE;
        if (s->coach_id == 0 && only != 0)
            s->coach_id = only;
        else if (s->coach_id == 0) {
            errors_add(errors, "coach_id",
                       coaches == 0 ? "The participant has no coach yet. Assign one first"
                                    : "The participant has several coaches: name the coach with coach_id");
            return APP_INVALID;
        } else if (!assigned) {
            errors_add(errors, "coach_id", "This coach is not assigned to the participant. Assign them first");
            return APP_INVALID;
        }
    }
    if (!check_session(s->starts_at, s->ends_at, s->mode, s->place, errors))
        return APP_INVALID;
    if (store_begin(env->store) != STORE_OK)
        return APP_UNAVAILABLE;
    enum app_result result = app_result_of_store(store_coaching_session_create(env->store, env->actor, s, env->now));
    if (result == APP_OK)
        result = email_pair(env, s->id, SESSION_BOOKED);
    if (result == APP_OK) /* the session and its participant's progress change in one transaction */
        result = progress_refresh_scope(env, PROGRESS_OF_PARTICIPANT, s->participant_id, NULL);
    return app_transaction_end(env->store, result);
}

/* Loads a session for a change that the policy's may allows the caller (refused with the sentence
 * refused), refusing a cancelled one with the sentence cancelled. */
static enum app_result session_for_change(const struct accounts_env *env, const struct caller *caller, int64_t id,
                                          bool (*may)(const struct caller *, const struct relation *),
                                          const char *refused, const char *cancelled, struct arena *arena,
                                          struct coaching_session *s, struct errors *errors)
{
    struct relation r;
    enum app_result result = session_with_relation(env, caller, id, arena, s, &r);
    if (result != APP_OK)
        return result;
    if (!may(caller, &r)) {
        errors_add(errors, "id", "%s", refused);
        return APP_FORBIDDEN;
    }
    if (s->cancelled_at != 0) {
        errors_add(errors, "state", "%s", cancelled);
        return APP_CONFLICT;
    }
    return APP_OK;
}

enum app_result coaching_session_reschedule(const struct accounts_env *env, const struct caller *caller, int64_t id,
                                            const struct coaching_change *change, struct errors *errors)
{
    struct arena arena = ARENA_INIT;
    struct coaching_session s;
    enum app_result result =
        session_for_change(env, caller, id, policy_may_change_session, "Only the coach can change this session",
                           "This session is cancelled and cannot be moved. Book a new one instead", &arena, &s, errors);
    if (result == APP_OK) {
        if (change->starts_at != 0)
            s.starts_at = change->starts_at;
        if (change->ends_at != 0)
            s.ends_at = change->ends_at;
        if (change->mode >= 0)
            s.mode = (enum delivery_coaching_mode)change->mode;
        if (change->place != NULL)
            s.place = change->place;
        if (!check_session(s.starts_at, s.ends_at, s.mode, s.place, errors))
            result = APP_INVALID;
    }
    if (result == APP_OK && store_begin(env->store) != STORE_OK)
        result = APP_UNAVAILABLE;
    else if (result == APP_OK) {
        result = app_result_of_store(store_coaching_session_reschedule(env->store, env->actor, &s, env->now));
        if (result == APP_CONFLICT)
            errors_add(errors, "state", "This session was cancelled meanwhile. Book a new one instead");
        if (result == APP_OK)
            result = email_pair(env, id, SESSION_MOVED);
        if (result == APP_OK) /* the session and its participant's progress change in one transaction */
            result = progress_refresh_scope(env, PROGRESS_OF_PARTICIPANT, s.participant_id, NULL);
        result = app_transaction_end(env->store, result);
    }
    arena_release(&arena);
    return result;
}

enum app_result coaching_session_cancel(const struct accounts_env *env, const struct caller *caller, int64_t id,
                                        struct errors *errors)
{
    struct arena arena = ARENA_INIT;
    struct coaching_session s;
    enum app_result result = session_for_change(env, caller, id, policy_may_cancel_session,
                                                "Only the coach or the participant can cancel "
                                                "this session",
                                                "This session is already cancelled", &arena, &s, errors);
    if (result == APP_OK && store_begin(env->store) != STORE_OK)
        result = APP_UNAVAILABLE;
    else if (result == APP_OK) {
        result = app_result_of_store(store_coaching_session_cancel(env->store, env->actor, id, env->now));
        if (result == APP_CONFLICT)
            errors_add(errors, "state", "This session is already cancelled");
        if (result == APP_OK)
            result = email_pair(env, id, SESSION_CANCELLED);
        if (result == APP_OK) /* the session and its participant's progress change in one transaction */
            result = progress_refresh_scope(env, PROGRESS_OF_PARTICIPANT, s.participant_id, NULL);
        result = app_transaction_end(env->store, result);
    }
    arena_release(&arena);
    return result;
}

enum app_result coaching_note_add(const struct accounts_env *env, const struct caller *caller,
                                  struct coaching_note *note, struct errors *errors)
{
    struct arena arena = ARENA_INIT;
    struct coaching_session s;
    struct relation r;
    enum app_result result = session_with_relation(env, caller, note->session_id, &arena, &s, &r);
    if (result == APP_OK && !policy_is_cohort_coach_of(caller, &r)) {
        errors_add(errors, "body", "Only the coach of this session can write its notes");
        result = APP_FORBIDDEN;
    }
    if (result == APP_OK) {
        if (note->body == NULL || note->body[strspn(note->body, " \t\r\n")] == '\0')
            errors_add(errors, "body", "Write the note");
        else if (text_characters(note->body) > COACHING_NOTE_MAX)
            errors_add(errors, "body", "A note must be %d characters or fewer. It has %zu", COACHING_NOTE_MAX,
                       text_characters(note->body));
        if ((unsigned)note->visibility >= DELIVERY_NOTE_VISIBILITY_COUNT)
            errors_add(errors, "visibility", "Choose private (coach only) or shared (with the participant)");
        if (errors->count > 0)
            result = APP_INVALID;
    }
    if (result == APP_OK) {
        note->author_id = caller->user_id;
        note->author_name = caller->name;
        result = app_result_of_store(store_coaching_note_add(env->store, env->actor, note, env->now));
    }
    arena_release(&arena);
    return result;
}

/* Loads a session for its two people: the participant and the coach. */
static enum app_result session_for_pair(const struct accounts_env *env, const struct caller *caller, int64_t id,
                                        struct arena *arena, struct coaching_session *s, const char *field,
                                        struct errors *errors)
{
    struct relation r;
    enum app_result result = session_with_relation(env, caller, id, arena, s, &r);
    if (result != APP_OK)
        return result;
    if (!policy_is_session_pair(caller, &r)) {
        errors_add(errors, field, "Only the coach and the participant of this session can record its actions");
        return APP_FORBIDDEN;
    }
    return APP_OK;
}

enum app_result coaching_action_add(const struct accounts_env *env, const struct caller *caller,
                                    struct coaching_action *action, struct errors *errors)
{
    struct arena arena = ARENA_INIT;
    struct coaching_session s;
    enum app_result result = session_for_pair(env, caller, action->session_id, &arena, &s, "text", errors);
    if (result == APP_OK && !delivery_action_check(action->text, action->due_on, errors))
        result = APP_INVALID;
    if (result == APP_OK) {
        action->created_by = caller->user_id;
        result = app_result_of_store(store_coaching_action_add(env->store, env->actor, action, env->now));
    }
    arena_release(&arena);
    return result;
}

enum app_result coaching_action_set_done(const struct accounts_env *env, const struct caller *caller,
                                         int64_t session_id, int64_t action_id, bool done, struct errors *errors)
{
    struct arena arena = ARENA_INIT;
    struct coaching_session s;
    enum app_result result = session_for_pair(env, caller, session_id, &arena, &s, "action", errors);
    if (result == APP_OK)
        result = app_result_of_store(
            store_coaching_action_set_done(env->store, env->actor, session_id, action_id, done, env->now));
    arena_release(&arena);
    return result;
}

/* The learning-hours log */

size_t activities_modules(const struct catalogue *catalogue, const struct enrolment *enrolment,
                          const struct catalogue_module **out, size_t max)
{
    size_t n = 0;
    const char *target = enrolment->target ? enrolment->target : "";
    if (enrolment->kind == STUDY_MODULE) {
        const struct catalogue_module *m = catalogue_module_find(catalogue, target, strlen(target));
        if (m != NULL && n < max)
            out[n++] = m;
        return n;
    }
    const struct catalogue_qualification *q = catalogue_qualification_find(catalogue, target, strlen(target));
    if (q == NULL)
        return 0;
    for (size_t i = 0; i < q->rule.essential_count + enrolment->elective_count && n < max; i++) {
        const char *code =
            i < q->rule.essential_count ? q->rule.essential[i] : enrolment->electives[i - q->rule.essential_count];
        const struct catalogue_module *m = catalogue_module_find(catalogue, code, strlen(code));
        bool seen = false;
        for (size_t k = 0; k < n && m != NULL; k++)
            seen = seen || out[k] == m;
        if (m != NULL && !seen)
            out[n++] = m;
    }
    return n;
}

enum { MODULES_MAX = 64 };

/* The module of the enrolment that code names (any case), or NULL. */
static const struct catalogue_module *enrolment_module(const struct catalogue *catalogue, const struct enrolment *e,
                                                       const char *code)
{
    const struct catalogue_module *modules[MODULES_MAX];
    size_t n = activities_modules(catalogue, e, modules, MODULES_MAX);
    for (size_t i = 0; code != NULL && i < n; i++)
        if (strcasecmp(modules[i]->code, code) == 0)
            return modules[i];
    return NULL;
}

enum app_result activities_read(const struct accounts_env *env, const struct catalogue *catalogue, int64_t enrolment_id,
                                struct store_page *page, struct arena *arena, struct activity_log *out)
{
    memset(out, 0, sizeof(*out));
    struct activity_sum *sums;
    size_t sum_count;
    enum store_status status = store_enrolment_get(env->store, enrolment_id, arena, &out->enrolment);
    if (status == STORE_OK)
        status = store_activity_sums(env->store, enrolment_id, arena, &sums, &sum_count);
    if (status == STORE_OK && page != NULL)
        status = store_activity_list(env->store, enrolment_id, page, arena, &out->entries, &out->count);
    if (status != STORE_OK)
        return app_result_of_store(status);
    out->read_only = out->enrolment.state == ENROLMENT_WITHDRAWN;

    const struct catalogue_module *modules[MODULES_MAX];
    size_t n = activities_modules(catalogue, &out->enrolment, modules, MODULES_MAX);
    /* Room for the enrolment's modules and for every module logged, should electives change. */
    out->modules = arena_alloc(arena, sizeof(*out->modules) * (n + sum_count + 1));
    for (size_t i = 0; i < n; i++)
        out->modules[out->module_count++] = (struct activity_module_total){
            .module = modules[i], .code = modules[i]->code, .hours_cap = modules[i]->hours_cap, .in_enrolment = true};
    for (size_t i = 0; i < sum_count; i++) {
        const struct activity_sum *sum = &sums[i];
        struct activity_module_total *t = NULL;
        for (size_t k = 0; k < out->module_count && t == NULL; k++)
            if (strcasecmp(out->modules[k].code, sum->module) == 0)
                t = &out->modules[k];
        if (t == NULL) {
            const struct catalogue_module *m = catalogue_module_find(catalogue, sum->module, strlen(sum->module));
            t = &out->modules[out->module_count++];
            *t = (struct activity_module_total){
                .module = m, .code = m ? m->code : sum->module, .hours_cap = m ? m->hours_cap : 0};
        }
        t->quarter_hours += sum->quarter_hours;
        if (sum->verified)
            t->verified_quarter_hours += sum->quarter_hours;
        if ((unsigned)sum->type < DELIVERY_ACTIVITY_COUNT)
            out->by_type[sum->type] += sum->quarter_hours;
        out->total_quarter_hours += sum->quarter_hours;
    }
    for (size_t k = 0; k < out->module_count; k++)
        if (out->modules[k].hours_cap <= 0)
            out->modules[k].hours_cap = CATALOGUE_DEFAULT_HOURS_CAP;
    return APP_OK;
}

/* The enrolment, read inside the write transaction, and whether caller may write its log. */
static enum app_result enrolment_for_write(const struct accounts_env *env, const struct caller *caller,
                                           int64_t enrolment_id, struct arena *arena, struct enrolment *e,
                                           struct errors *errors)
{
    struct relation r;
    enum store_status status = store_enrolment_get(env->store, enrolment_id, arena, e);
    if (status == STORE_OK)
        status = store_relation(env->store, caller, RESOURCE_ENROLMENT, enrolment_id, &r);
    if (status != STORE_OK)
        return app_result_of_store(status);
    if (!policy_may_log_hours(caller, &r)) {
        errors_add(errors, "id", "Only the participant can log or change their learning hours");
        return APP_FORBIDDEN;
    }
    if (e->state == ENROLMENT_WITHDRAWN) {
        errors_add(errors, "state", "This enrolment was withdrawn: its learning log can be read but not changed");
        return APP_CONFLICT;
    }
    return APP_OK;
}

/*
 * Checks an entry (input merged over *a, which holds the entry's current values or zeros) and
 * fills *a with the checked values. Reads the hours already logged for the module, leaving out the
 * entry itself; the caller has begun the transaction the entry will be written in.
 */
static enum app_result check_entry(const struct accounts_env *env, const struct catalogue *catalogue,
                                   const struct enrolment *e, const struct activity_input *input, struct arena *arena,
                                   struct activity *a, struct errors *errors)
{
    size_t before = errors->count;
    const char *module_code = input->module ? input->module : a->module;
    const struct catalogue_module *m = enrolment_module(catalogue, e, module_code);
    if (m == NULL)
        errors_add(errors, "module", "Choose one of the modules of this enrolment");
    else
        a->module = m->code;

    if (input->type != NULL && !delivery_activity_parse(input->type, &a->type))
        errors_add(errors, "type",
                   "Choose the kind of learning, such as reading, peer_learning or "
                   "workplace_learning");
    else if (input->type == NULL && a->id == 0)
        errors_add(errors, "type", "Choose the kind of learning");

    if (input->reflection != NULL) {
        if (text_characters(input->reflection) > ACTIVITY_REFLECTION_MAX)
            errors_add(errors, "reflection", "A reflection must be %d characters or fewer. It has %zu",
                       ACTIVITY_REFLECTION_MAX, text_characters(input->reflection));
        a->reflection = arena_strdup(arena, input->reflection);
    }
    if (a->reflection == NULL)
        a->reflection = "";

    double hours = input->has_hours ? input->hours : (double)a->quarter_hours / 4;
    if (input->done_on != NULL)
        a->done_on = arena_strdup(arena, input->done_on);
    int64_t logged = 0;
    if (m != NULL && store_activity_logged(env->store, e->id, m->code, a->id, &logged) != STORE_OK)
        return APP_UNAVAILABLE;
    char today[DATE_TEXT];
    date_of(env->now, today);
    static const char *const renames[] = {"date", "done_on", NULL};
    struct errors found = ERRORS_INIT;
    if (delivery_hours_check(hours, a->done_on, today, (double)logged / 4, m ? m->hours_cap : 0, m ? m->title : NULL,
                             &found))
        a->quarter_hours = (int)(hours * 4 + 0.5); /* checked: a whole number of quarters, 1 to 48 */
    copy_errors(&found, errors, renames);
    errors_free(&found);
    return errors->count == before ? APP_OK : APP_INVALID;
}

/* The cap of an enrolment's module in quarter hours, as delivery_hours_check counts it. */
static int64_t cap_quarter_hours(const struct catalogue *catalogue, const struct enrolment *e, const char *module)
{
    const struct catalogue_module *m = enrolment_module(catalogue, e, module);
    int cap = m != NULL && m->hours_cap > 0 ? m->hours_cap : CATALOGUE_DEFAULT_HOURS_CAP;
    return (int64_t)cap * 4;
}

/*
 * Why the store refused an entry whose checks had passed: hours logged for the module at the same
 * time left no room. Read after the transaction ended, from what is true then.
 */
static void explain_over_cap(const struct accounts_env *env, const struct catalogue *catalogue,
                             const struct enrolment *e, const struct activity *a, int64_t except_id,
                             struct errors *errors)
{
    size_t before = errors->count;
    const struct catalogue_module *m = enrolment_module(catalogue, e, a->module);
    int64_t logged = 0;
    if (m != NULL && store_activity_logged(env->store, e->id, m->code, except_id, &logged) == STORE_OK) {
        struct errors found = ERRORS_INIT;
        delivery_hours_check((double)a->quarter_hours / 4, a->done_on, NULL, (double)logged / 4, m->hours_cap, m->title,
                             &found);
        for (size_t i = 0; i < found.count; i++)
            if (strcmp(found.items[i].where, "hours") == 0)
                errors_add(errors, "hours", "%s", found.items[i].message);
        errors_free(&found);
    }
    if (errors->count == before)
        errors_add(errors, "hours",
                   "Hours for this module were logged at the same time. Check the total and try again");
}

enum app_result activities_add(const struct accounts_env *env, const struct catalogue *catalogue,
                               const struct caller *caller, int64_t enrolment_id, const struct activity_input *input,
                               struct arena *arena, struct activity *out, struct errors *errors)
{
    if (store_begin(env->store) != STORE_OK)
        return APP_UNAVAILABLE;
    struct enrolment e;
    enum app_result result = enrolment_for_write(env, caller, enrolment_id, arena, &e, errors);
    memset(out, 0, sizeof(*out));
    if (result == APP_OK)
        result = check_entry(env, catalogue, &e, input, arena, out, errors);
    bool refused = false;
    if (result == APP_OK) {
        out->enrolment_id = e.id;
        out->participant_id = e.participant_id;
        enum store_status s =
            store_activity_create(env->store, env->actor, out, cap_quarter_hours(catalogue, &e, out->module), env->now);
        refused = s == STORE_CONFLICT;
        result = app_result_of_store(s);
    }
    if (result == APP_OK)
        result = progress_refresh(env, e.id);
    result = app_transaction_end(env->store, result);
    if (refused) {
        explain_over_cap(env, catalogue, &e, out, 0, errors);
        result = APP_INVALID;
    }
    return result;
}

enum app_result activities_change(const struct accounts_env *env, const struct catalogue *catalogue,
                                  const struct caller *caller, int64_t enrolment_id, int64_t activity_id,
                                  const struct activity_input *input, struct arena *arena, struct activity *out,
                                  struct errors *errors)
{
    if (store_begin(env->store) != STORE_OK)
        return APP_UNAVAILABLE;
    struct enrolment e;
    enum app_result result = enrolment_for_write(env, caller, enrolment_id, arena, &e, errors);
    if (result == APP_OK)
        result = app_result_of_store(store_activity_get(env->store, enrolment_id, activity_id, arena, out));
    if (result == APP_OK && out->verified_at != 0) {
        errors_add(errors, "state", "This entry has been verified and can no longer be changed");
        result = APP_CONFLICT;
    }
    struct activity was = {0}; /* as read: what a refusal is compared with */
    if (result == APP_OK)
        was = *out;
    if (result == APP_OK)
        result = check_entry(env, catalogue, &e, input, arena, out, errors);
    bool refused = false;
    if (result == APP_OK) {
        enum store_status s =
            store_activity_update(env->store, env->actor, out, cap_quarter_hours(catalogue, &e, out->module), env->now);
        refused = s == STORE_CONFLICT;
        result = app_result_of_store(s);
    }
    /* Read back for the answer: the verifier's name and the times as stored. */
    if (result == APP_OK)
        result = app_result_of_store(store_activity_get(env->store, enrolment_id, activity_id, arena, out));
    if (result == APP_OK)
        result = progress_refresh(env, enrolment_id);
    result = app_transaction_end(env->store, result);
    if (refused) {
        /* Verified, changed, or over the cap meanwhile: say which, from the entry as it is now. */
        struct activity now_is;
        enum store_status s = store_activity_get(env->store, enrolment_id, activity_id, arena, &now_is);
        if (s == STORE_OK && now_is.verified_at != 0)
            errors_add(errors, "state", "This entry has been verified and can no longer be changed");
        else if (s == STORE_OK && now_is.quarter_hours == was.quarter_hours &&
                 strcasecmp(now_is.module, was.module) == 0) {
            explain_over_cap(env, catalogue, &e, out, activity_id, errors);
            result = APP_INVALID;
        } else
            errors_add(errors, "state", "This entry was changed at the same time. Reload it and try again");
    }
    return result;
}

enum app_result activities_remove(const struct accounts_env *env, const struct caller *caller, int64_t enrolment_id,
                                  int64_t activity_id, struct errors *errors)
{
    struct arena arena = ARENA_INIT;
    if (store_begin(env->store) != STORE_OK)
        return APP_UNAVAILABLE;
    struct enrolment e;
    enum app_result result = enrolment_for_write(env, caller, enrolment_id, &arena, &e, errors);
    if (result == APP_OK) {
        result =
            app_result_of_store(store_activity_delete(env->store, env->actor, enrolment_id, activity_id, env->now));
        if (result == APP_CONFLICT)
            errors_add(errors, "state", "This entry has been verified and can no longer be removed");
    }
    if (result == APP_OK)
        result = progress_refresh(env, enrolment_id);
    arena_release(&arena);
    return app_transaction_end(env->store, result);
}

enum app_result activities_verify(const struct accounts_env *env, const struct caller *caller, int64_t enrolment_id,
                                  int64_t activity_id, struct errors *errors)
{
    struct arena arena = ARENA_INIT;
    struct enrolment e;
    struct relation r;
    enum app_result result = app_result_of_store(store_enrolment_get(env->store, enrolment_id, &arena, &e));
    if (result == APP_OK)
        result = app_result_of_store(store_relation(env->store, caller, RESOURCE_ENROLMENT, enrolment_id, &r));
    if (result == APP_OK) {
        if (!policy_may_verify_hours(caller, &r)) {
            errors_add(errors, "id",
                       "Only the participant's coach, a facilitator of their cohort or the delivery partner can "
                       "verify learning hours");
            result = APP_FORBIDDEN;
        }
    }
    if (result == APP_OK && e.state == ENROLMENT_WITHDRAWN) {
        errors_add(errors, "state", "This enrolment was withdrawn: its learning log can be read but not changed");
        result = APP_CONFLICT;
    }
    if (result == APP_OK) {
        result = app_result_of_store(
            store_activity_verify(env->store, env->actor, enrolment_id, activity_id, caller->user_id, env->now));
        if (result == APP_CONFLICT)
            errors_add(errors, "state", "This entry is already verified");
    }
    arena_release(&arena);
    return result;
}
