/*
 * Delivery use cases: see delivery.h for each contract. The rules come from domain/delivery.h and
 * the policy; what is checked here is only what needs the store (does the venue exist, whose is it,
 * is the person booked) and the order things happen in.
 */
#include "app/delivery.h"

#include "app/progress.h"
#include "lib/date.h"
#include "lib/text.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Venues */

bool venues_postcode_normalise(const char *postcode, char out[9])
{
    char compact[8];
    size_t n = 0;
    out[0] = '\0';
    for (const char *p = postcode; p != NULL && *p != '\0'; p++) {
        if (*p == ' ' || *p == '\t')
            continue;
        if (n == sizeof(compact) - 1 || !isalnum((unsigned char)*p) || ((unsigned char)*p & 0x80))
            return false;
        compact[n++] = (char)toupper((unsigned char)*p);
    }
    compact[n] = '\0';
    if (n < 5 || n > 7)
        return false;
    /* The inward code: a digit and two letters. */
    const char *in = compact + n - 3;
    if (!isdigit((unsigned char)in[0]) || !isalpha((unsigned char)in[1]) || !isalpha((unsigned char)in[2]))
        return false;
    /* The outward code, as a pattern of letters (A) and digits (9). */
    size_t outward = n - 3;
    char shape[5];
    for (size_t i = 0; i < outward; i++)
        shape[i] = isdigit((unsigned char)compact[i]) ? '9' : 'A';
    shape[outward] = '\0';
    static const char *const shapes[] = {"A9", "A99", "AA9", "AA99", "A9A", "AA9A"};
    bool known = false;
    for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]) && !known; i++)
        known = strcmp(shape, shapes[i]) == 0;
    if (!known)
        return false;
    snprintf(out, 9, "%.*s %s", (int)outward, compact, in);
    return true;
}

/* Whether two optional strings say the same: NULL and "" alike. */
static bool same_text(const char *a, const char *b, bool ignore_case)
{
    a = a ? a : "";
    b = b ? b : "";
    return ignore_case ? strcasecmp(a, b) == 0 : strcmp(a, b) == 0;
}

/* A venue's new name or address is news to everyone going there: their calendars must update.
 * Its capacity or accessibility notes change nobody's diary. */
static bool venue_moves_attendees(const struct venue *before, const struct venue *after)
{
    return !same_text(before->name, after->name, false) || !same_text(before->address, after->address, false) ||
           !same_text(before->postcode, after->postcode, false);
}

static enum store_status venue_update(const struct accounts_env *env, const struct venue *v)
{
    if (store_begin(env->store) != STORE_OK)
        return STORE_ERROR;
    struct arena arena = ARENA_INIT;
    struct venue before;
    enum store_status s = store_venue_get(env->store, v->id, &arena, &before);
    if (s == STORE_OK)
        s = store_venue_update(env->store, env->actor, v, env->now);
    if (s == STORE_OK && venue_moves_attendees(&before, v))
        s = store_venue_events_resequence(env->store, v->id, env->now);
    if (s == STORE_OK)
        s = store_commit(env->store);
    else
        store_rollback(env->store);
    arena_release(&arena);
    return s;
}

enum app_result venues_save(const struct accounts_env *env, const struct caller *caller, struct venue *v,
                            struct arena *arena, struct errors *errors)
{
    bool creating = v->id == 0;
    bool admin = policy_is_admin(caller);
    if (creating && v->delivery_partner_id == 0 && !admin) {
        /* A partner lead of exactly one partner need not say which. */
        size_t led = 0;
        for (size_t i = 0; caller != NULL && i < caller->grant_count; i++)
            if (caller->grants[i].role == ROLE_PARTNER_LEAD) {
                led++;
                v->delivery_partner_id = caller->grants[i].organisation_id;
            }
        if (led != 1)
            v->delivery_partner_id = 0;
    }
    if (creating && v->delivery_partner_id != 0 && !admin && !policy_leads_partner(caller, v->delivery_partner_id)) {
        errors_add(errors, "delivery_partner_id", "You can add venues only for the delivery partner you lead");
        return APP_FORBIDDEN;
    }

    size_t before = errors->count;
    if (!text_has_words(v->name))
        errors_add(errors, "name", "Enter the name of the venue");
    else if (text_characters(v->name) > VENUE_NAME_MAX)
        errors_add(errors, "name", "The name must be %d characters or fewer. It has %zu", VENUE_NAME_MAX,
                   text_characters(v->name));
    if (text_characters(v->address) > VENUE_ADDRESS_MAX)
        errors_add(errors, "address", "The address must be %d characters or fewer. It has %zu", VENUE_ADDRESS_MAX,
                   text_characters(v->address));
    char postcode[9];
    if (!text_has_words(v->postcode))
        errors_add(errors, "postcode", "Enter the venue's postcode, like M1 1AE");
    else if (!venues_postcode_normalise(v->postcode, postcode))
        errors_add(errors, "postcode", "Enter a UK postcode, like M1 1AE or SW1A 2AA");
    else
        v->postcode = arena_strdup(arena, postcode);
    if (v->capacity < 1 || v->capacity > DELIVERY_CAPACITY_MAX)
        errors_add(errors, "capacity", "Enter how many people the venue holds, from 1 to %d", DELIVERY_CAPACITY_MAX);
    if (text_characters(v->accessibility) > VENUE_ACCESSIBILITY_MAX)
        errors_add(errors, "accessibility", "Accessibility notes must be %d characters or fewer. They have %zu",
                   VENUE_ACCESSIBILITY_MAX, text_characters(v->accessibility));

    if (creating) {
        struct organisation partner;
        enum store_status s = v->delivery_partner_id > 0
                                  ? store_organisation_get(env->store, v->delivery_partner_id, arena, &partner)
                                  : STORE_NOT_FOUND;
        if (s == STORE_ERROR)
            return APP_UNAVAILABLE;
        if (v->delivery_partner_id == 0)
            errors_add(errors, "delivery_partner_id", "Choose the delivery partner the venue belongs to");
        else if (s == STORE_NOT_FOUND || partner.kind != ORG_DELIVERY_PARTNER)
            errors_add(errors, "delivery_partner_id", "Choose a delivery partner: organisation %" PRId64 " is not one",
                       v->delivery_partner_id);
    } else if (v->capacity >= 1) {
        int largest = 0;
        if (store_venue_largest_event(env->store, v->id, env->now, &largest) != STORE_OK)
            return APP_UNAVAILABLE;
        if (v->capacity < largest)
            errors_add(errors, "capacity",
                       "An upcoming event at this venue offers %d places. Reduce that event's places first, or keep "
                       "room for %d people",
                       largest, largest);
    }
    if (errors->count != before)
        return APP_INVALID;

    enum store_status s = creating ? store_venue_create(env->store, env->actor, v, env->now) : venue_update(env, v);
    if (s == STORE_NOT_FOUND && creating) {
        errors_add(errors, "delivery_partner_id", "Choose the delivery partner the venue belongs to");
        return APP_INVALID;
    }
    return app_result_of_store(s);
}

/* Cohorts */

enum app_result cohorts_save(const struct accounts_env *env, const struct catalogue *catalogue,
                             const struct cohort_input *in, int64_t *id, struct errors *errors)
{
    bool creating = *id == 0;
    size_t before = errors->count;
    struct cohort c = {.id = *id,
                       .code = in->code,
                       .kind = STUDY_QUALIFICATION,
                       .delivery_partner_id = in->delivery_partner_id,
                       .starts_on = in->starts_on,
                       .ends_on = in->ends_on};
    if (!text_has_words(c.code) || text_characters(c.code) > COHORT_CODE_MAX)
        errors_add(errors, "code", "Give the cohort a code of %d characters or fewer, like NPQSL-2027-NW-1",
                   COHORT_CODE_MAX);
    if (creating) {
        if (in->kind != NULL && !study_kind_parse(in->kind, &c.kind))
            errors_add(errors, "kind", "Kind must be qualification or module");
        const char *target = in->target ? in->target : "";
        const struct catalogue_qualification *q = catalogue_qualification_find(catalogue, target, strlen(target));
        const struct catalogue_module *m = catalogue_module_find(catalogue, target, strlen(target));
        if (c.kind == STUDY_QUALIFICATION ? q == NULL : m == NULL)
            errors_add(errors, "target", "Choose a %s from the catalogue", study_kind_name(c.kind));
        else
            c.target = c.kind == STUDY_QUALIFICATION ? q->code : m->code;
    }
    if (in->delivery_model == NULL || !delivery_model_parse(in->delivery_model, &c.delivery_model))
        errors_add(errors, "delivery_model", "Delivery must be blended or online");
    bool starts_ok = date_is_valid(c.starts_on);
    if (!starts_ok)
        errors_add(errors, "starts_on", "Enter the start date as YYYY-MM-DD, like 2027-09-01");
    if (!date_is_valid(c.ends_on))
        errors_add(errors, "ends_on", "Enter the end date as YYYY-MM-DD, like 2028-07-31");
    else if (starts_ok && strcmp(c.ends_on, c.starts_on) < 0)
        errors_add(errors, "ends_on", "The end date must not be before the start date");
    if (c.delivery_partner_id != 0) {
        struct arena arena = ARENA_INIT;
        struct organisation partner;
        enum store_status s = c.delivery_partner_id > 0
                                  ? store_organisation_get(env->store, c.delivery_partner_id, &arena, &partner)
                                  : STORE_NOT_FOUND;
        bool is_partner = s == STORE_OK && partner.kind == ORG_DELIVERY_PARTNER;
        arena_release(&arena);
        if (s == STORE_ERROR)
            return APP_UNAVAILABLE;
        if (!is_partner)
            errors_add(errors, "delivery_partner_id", "There is no delivery partner %" PRId64, c.delivery_partner_id);
    }
    if (errors->count != before)
        return APP_INVALID;

    enum store_status s = creating ? store_cohort_create(env->store, env->actor, &c, env->now)
                                   : store_cohort_update(env->store, env->actor, &c, env->now);
    if (s == STORE_CONFLICT && !creating) {
        /* Gone, or its code taken: which one decides the answer. */
        struct arena arena = ARENA_INIT;
        struct cohort now;
        enum store_status found = store_cohort_get(env->store, c.id, &arena, &now);
        arena_release(&arena);
        if (found != STORE_OK)
            return app_result_of_store(found);
    }
    if (s == STORE_CONFLICT) {
        errors_add(errors, "code", "A cohort with this code already exists");
        return APP_INVALID;
    }
    if (s == STORE_NOT_FOUND) {
        errors_add(errors, "delivery_partner_id", "There is no delivery partner %" PRId64, c.delivery_partner_id);
        return APP_INVALID;
    }
    if (s == STORE_OK)
        *id = c.id;
    return app_result_of_store(s);
}

/* Cohorts: staff and plan */

static bool staff_role(enum role role)
{
    return role == ROLE_FACILITATOR || role == ROLE_COACH;
}

/*
 * Whether the caller may name person_id in role (cohort staff, an event's facilitator): *user is
 * the person when found. Someone the caller may not name is STORE_NOT_FOUND, as if there were no
 * such person, and so is anyone who is not an active holder of the role unless the caller is an
 * administrator (who sees everyone, and is told why): nobody learns a name from a refusal.
 */
static enum store_status nameable_person(const struct accounts_env *env, const struct caller *caller, int64_t person_id,
                                         enum role role, struct arena *arena, struct user *user)
{
    if (person_id <= 0)
        return STORE_NOT_FOUND;
    struct relation person;
    enum store_status s = store_relation(env->store, caller, RESOURCE_USER, person_id, &person);
    if (s != STORE_OK)
        return s;
    if (!person.exists || !policy_may_name_staff(caller, &person, role))
        return STORE_NOT_FOUND;
    s = store_user_get(env->store, person_id, arena, user);
    if (s == STORE_OK && !policy_is_admin(caller) && (!user->active || !user_has_role(user, role)))
        return STORE_NOT_FOUND;
    return s;
}

enum app_result cohort_staff_add(const struct accounts_env *env, const struct caller *caller, int64_t cohort_id,
                                 int64_t user_id, enum role role, struct errors *errors)
{
    size_t before = errors->count;
    if (!staff_role(role))
        errors_add(errors, "role", "Choose facilitator or coach");
    struct arena arena = ARENA_INIT;
    struct user user;
    enum store_status s = nameable_person(env, caller, user_id, staff_role(role) ? role : ROLE_COACH, &arena, &user);
    enum app_result result = APP_OK;
    if (s == STORE_ERROR)
        result = APP_UNAVAILABLE;
    else if (s == STORE_NOT_FOUND)
        errors_add(errors, "user_id", "The person chosen is not a %s of the cohort's delivery partner",
                   staff_role(role) ? role_name(role) : "facilitator or coach");
    else if (!user.active)
        errors_add(errors, "user_id", "%s's account has been deactivated", user.name);
    else if (staff_role(role) && !user_has_role(&user, role))
        errors_add(errors, "user_id", "%s is not a %s. Grant them the role first", user.name, role_name(role));
    if (result == APP_OK && errors->count != before)
        result = APP_INVALID;
    if (result == APP_OK) {
        s = store_cohort_staff_add(env->store, env->actor, cohort_id, user_id, role, env->now);
        if (s == STORE_CONFLICT)
            errors_add(errors, "user_id", "%s is already a %s of this cohort", user.name, role_name(role));
        result = app_result_of_store(s);
    }
    arena_release(&arena);
    return result;
}

enum app_result cohort_staff_remove(const struct accounts_env *env, int64_t cohort_id, int64_t user_id, enum role role,
                                    struct errors *errors)
{
    enum store_status s = staff_role(role) && user_id > 0
                              ? store_cohort_staff_remove(env->store, env->actor, cohort_id, user_id, role, env->now)
                              : STORE_NOT_FOUND;
    if (s == STORE_NOT_FOUND)
        errors_add(errors, "user_id", "That person is not a %s of this cohort",
                   staff_role(role) ? role_name(role) : "facilitator or coach");
    return app_result_of_store(s);
}

enum app_result cohort_delivery_get(const struct accounts_env *env, const struct catalogue *catalogue,
                                    int64_t cohort_id, struct arena *arena, struct cohort_delivery *out)
{
    memset(out, 0, sizeof(*out));
    enum store_status s = store_cohort_get(env->store, cohort_id, arena, &out->cohort);
    if (s == STORE_OK)
        s = store_cohort_staff_list(env->store, cohort_id, arena, &out->staff, &out->staff_count);
    if (s == STORE_OK)
        s = store_cohort_participants(env->store, cohort_id, arena, &out->participants, &out->participant_count);
    if (s == STORE_OK)
        s = store_cohort_events(env->store, cohort_id, arena, &out->events, &out->event_count);
    if (s != STORE_OK)
        return app_result_of_store(s);

    size_t face_to_face = 0, virtual_live = 0;
    for (size_t i = 0; i < out->event_count; i++) {
        if (out->events[i].cancelled_at != 0)
            continue;
        face_to_face += out->events[i].kind == DELIVERY_EVENT_FACE_TO_FACE;
        virtual_live += out->events[i].kind == DELIVERY_EVENT_VIRTUAL_LIVE;
    }
    /* A module studied on its own has no rule of events: the zero rule requires none. */
    static const struct catalogue_rule no_rule;
    const struct catalogue_rule *rule = &no_rule;
    const char *target = out->cohort.target;
    if (out->cohort.kind == STUDY_QUALIFICATION) {
        const struct catalogue_qualification *q = catalogue_qualification_find(catalogue, target, strlen(target));
        if (q != NULL)
            rule = &q->rule;
    }
    if (!delivery_plan_check(rule, out->cohort.delivery_model, face_to_face, virtual_live, &out->plan)) {
        char *warning = arena_alloc(arena, 256);
        snprintf(warning, 256, "%s asks for %d %s event%s in %s delivery, and this cohort has %d: plan %d more", target,
                 out->plan.required, out->plan.kind, out->plan.required == 1 ? "" : "s",
                 out->cohort.delivery_model == DELIVERY_ONLINE ? "online" : "blended", out->plan.planned,
                 out->plan.short_by);
        out->warning = warning;
    }
    return APP_OK;
}

/* Events */

static bool same_event(const struct event *a, const struct event *b)
{
    return a->kind == b->kind && same_text(a->title, b->title, false) && same_text(a->module, b->module, true) &&
           a->framework_area == b->framework_area && a->venue_id == b->venue_id &&
           same_text(a->joining_url, b->joining_url, false) && a->starts_at == b->starts_at &&
           a->ends_at == b->ends_at && a->capacity == b->capacity && a->facilitator_id == b->facilitator_id;
}

/*
 * The checks of an event against the cohort and the records it names, then the domain's rules.
 * Fills the capacity from the venue when not given, and spells the module as the catalogue does.
 * booked is how many places are taken already (0 for a new event).
 */
static enum app_result event_check(const struct accounts_env *env, const struct catalogue *catalogue,
                                   const struct caller *caller, const struct cohort *cohort, struct event *e,
                                   bool capacity_given, int booked, struct arena *arena, struct errors *errors)
{
    size_t before = errors->count;
    if (!text_has_words(e->joining_url))
        e->joining_url = NULL;
    if (!text_has_words(e->module))
        e->module = NULL;

    struct venue venue;
    bool has_venue = false;
    if (e->venue_id > 0) {
        enum store_status s = store_venue_get(env->store, e->venue_id, arena, &venue);
        if (s == STORE_ERROR)
            return APP_UNAVAILABLE;
        if (s == STORE_NOT_FOUND)
            errors_add(errors, "venue_id", "There is no venue %" PRId64 ". Choose one of the delivery partner's venues",
                       e->venue_id);
        else {
            has_venue = true;
            if (cohort->delivery_partner_id != 0 && venue.delivery_partner_id != cohort->delivery_partner_id)
                errors_add(errors, "venue_id", "%s is a venue of %s, not of %s, which runs this cohort", venue.name,
                           venue.delivery_partner_name,
                           cohort->delivery_partner_name ? cohort->delivery_partner_name : "the delivery partner");
            if (!capacity_given && e->kind == DELIVERY_EVENT_FACE_TO_FACE)
                e->capacity = venue.capacity;
        }
    }

    struct delivery_event_input input = {
        .kind = e->kind,
        .title = e->title,
        .starts_at = e->starts_at,
        .ends_at = e->ends_at,
        .capacity = e->capacity,
        .venue_id = e->venue_id,
        .joining_url = e->joining_url,
    };
    delivery_event_check(&input, errors);
    bool capacity_ok = e->capacity >= 1 && e->capacity <= DELIVERY_CAPACITY_MAX;
    if (capacity_ok && has_venue && e->kind == DELIVERY_EVENT_FACE_TO_FACE && e->capacity > venue.capacity)
        errors_add(errors, "capacity", "%s holds %d people, so the event can offer at most %d places", venue.name,
                   venue.capacity, venue.capacity);
    if (capacity_ok && e->capacity < booked)
        errors_add(errors, "capacity", "%d places are already booked, so the event needs at least %d", booked, booked);

    const struct catalogue_qualification *q =
        cohort->kind == STUDY_QUALIFICATION
            ? catalogue_qualification_find(catalogue, cohort->target, strlen(cohort->target))
            : NULL;
    if (e->module != NULL) {
        const struct catalogue_module *m = catalogue_module_find(catalogue, e->module, strlen(e->module));
        if (m == NULL)
            errors_add(errors, "module", "There is no module \"%s\" in the catalogue", e->module);
        else if (cohort->kind == STUDY_MODULE && strcasecmp(m->code, cohort->target) != 0)
            errors_add(errors, "module", "This cohort studies %s only, not %s", cohort->target, m->title);
        else if (q != NULL && catalogue_rule_module_role(&q->rule, m->code) == MODULE_ROLE_NONE)
            errors_add(errors, "module", "%s is not part of %s", m->title, q->code);
        else
            e->module = m->code;
    }
    if (e->framework_area != 0) {
        const struct catalogue_framework *f =
            q != NULL && q->framework != NULL ? catalogue_framework_find(catalogue, q->framework, strlen(q->framework))
                                              : NULL;
        bool found = false;
        for (size_t i = 0; f != NULL && i < f->area_count && !found; i++)
            found = f->areas[i].number == e->framework_area;
        if (f == NULL)
            errors_add(errors, "framework_area", "%s has no framework with areas to link the event to", cohort->target);
        else if (!found)
            errors_add(errors, "framework_area", "The %s framework has no area %d", f->code, e->framework_area);
    }
    if (e->facilitator_id > 0) {
        struct user f;
        enum store_status s = nameable_person(env, caller, e->facilitator_id, ROLE_FACILITATOR, arena, &f);
        if (s == STORE_ERROR)
            return APP_UNAVAILABLE;
        if (s == STORE_NOT_FOUND)
            errors_add(errors, "facilitator_id",
                       "The person chosen is not an active facilitator of the cohort's delivery partner");
        else if (!f.active || !user_has_role(&f, ROLE_FACILITATOR))
            errors_add(errors, "facilitator_id", "%s is not an active facilitator", f.name);
    }
    return errors->count == before ? APP_OK : APP_INVALID;
}

enum app_result events_create(const struct accounts_env *env, const struct catalogue *catalogue,
                              const struct caller *caller, struct event *e, bool capacity_given, struct errors *errors)
{
    if (e->cohort_id <= 0) {
        errors_add(errors, "cohort_id", "Choose the cohort the event is for");
        return APP_INVALID;
    }
    struct relation relation;
    if (store_relation(env->store, caller, RESOURCE_COHORT, e->cohort_id, &relation) != STORE_OK)
        return APP_UNAVAILABLE;
    if (!policy_allows(PERM_DELIVERY_READ, caller, RESOURCE_COHORT, &relation)) {
        errors_add(errors, "cohort_id", "There is no such cohort, or it is not yours to see");
        return APP_NOT_FOUND;
    }
    if (!policy_allows(PERM_DELIVERY_MANAGE, caller, RESOURCE_COHORT, &relation)) {
        errors_add(errors, "cohort_id", "You can schedule events only for cohorts of the delivery partner you lead");
        return APP_FORBIDDEN;
    }
    if (store_begin(env->store) != STORE_OK)
        return APP_UNAVAILABLE;
    struct arena arena = ARENA_INIT;
    struct cohort cohort;
    enum app_result result = app_result_of_store(store_cohort_get(env->store, e->cohort_id, &arena, &cohort));
    if (result == APP_OK)
        result = event_check(env, catalogue, caller, &cohort, e, capacity_given, 0, &arena, errors);
    if (result == APP_OK)
        result = app_result_of_store(store_event_create(env->store, env->actor, e, env->now));
    if (result == APP_OK) /* the cohort's events held so far, and those to come */
        result = progress_refresh_scope(env, PROGRESS_OF_COHORT, e->cohort_id, NULL);
    result = app_transaction_end(env->store, result);
    arena_release(&arena);
    return result;
}

enum app_result events_update(const struct accounts_env *env, const struct catalogue *catalogue,
                              const struct caller *caller, const struct event *before, struct event *changed,
                              struct errors *errors)
{
    /* In a write transaction, so the places booked cannot grow between counting and changing. */
    if (store_begin(env->store) != STORE_OK)
        return APP_UNAVAILABLE;
    struct arena arena = ARENA_INIT;
    struct event current;
    struct cohort cohort;
    enum app_result result = app_result_of_store(store_event_get(env->store, before->id, &arena, &current));
    if (result == APP_OK && current.cancelled_at != 0) {
        errors_add(errors, "event_id", "This event has been cancelled, so it can no longer be changed");
        result = APP_CONFLICT;
    } else if (result == APP_OK && current.sequence != before->sequence) {
        errors_add(errors, "event_id", "Someone else changed this event at the same time. Reload it and try again");
        result = APP_CONFLICT;
    }
    if (result == APP_OK)
        result = app_result_of_store(store_cohort_get(env->store, current.cohort_id, &arena, &cohort));
    if (result == APP_OK) {
        changed->id = current.id;
        changed->cohort_id = current.cohort_id;
        result = event_check(env, catalogue, caller, &cohort, changed, true, current.booked, &arena, errors);
    }
    bool refused = false;
    if (result == APP_OK && !same_event(&current, changed)) {
        enum store_status s = store_event_update(env->store, env->actor, &current, changed, env->now);
        refused = s == STORE_CONFLICT;
        result = app_result_of_store(s);
        if (result == APP_OK)
            result = progress_refresh_scope(env, PROGRESS_OF_COHORT, current.cohort_id, NULL);
    }
    result = app_transaction_end(env->store, result);
    /* Refused by the write itself: the event changed, or places were booked past the new capacity,
     * after the checks above had passed. */
    if (refused) {
        struct event now_is;
        if (store_event_get(env->store, before->id, &arena, &now_is) == STORE_OK &&
            now_is.sequence == current.sequence && now_is.cancelled_at == 0 && now_is.booked > changed->capacity)
            errors_add(errors, "capacity", "%d places are already booked, so the event needs at least %d",
                       now_is.booked, now_is.booked);
        else
            errors_add(errors, "event_id", "Someone else changed this event at the same time. Reload it and try again");
    }
    arena_release(&arena);
    return result;
}

enum app_result events_cancel(const struct accounts_env *env, int64_t event_id, struct errors *errors)
{
    if (store_begin(env->store) != STORE_OK)
        return APP_UNAVAILABLE;
    struct arena arena = ARENA_INIT;
    struct event e;
    enum store_status s = store_event_get(env->store, event_id, &arena, &e);
    if (s == STORE_OK)
        s = store_event_cancel(env->store, env->actor, event_id, env->now);
    if (s == STORE_CONFLICT)
        errors_add(errors, "event_id", "This event is already cancelled");
    enum app_result result = app_result_of_store(s);
    if (result == APP_OK) /* a cancelled event is neither held nor missed */
        result = progress_refresh_scope(env, PROGRESS_OF_COHORT, e.cohort_id, NULL);
    arena_release(&arena);
    return app_transaction_end(env->store, result);
}

/* Bookings */

/* Why the store refused a booking whose checks had passed: someone else took the last place,
 * booked the same person, or cancelled the event in between. Read after the transaction ended. */
static void explain_refused_booking(const struct accounts_env *env, int64_t event_id, int64_t user_id,
                                    struct arena *arena, struct errors *errors)
{
    size_t before = errors->count;
    struct event e;
    bool booked = false;
    if (store_event_get(env->store, event_id, arena, &e) == STORE_OK &&
        store_booking_exists(env->store, event_id, user_id, &booked) == STORE_OK)
        delivery_booking_check(e.capacity, e.booked, booked, e.cancelled_at != 0, env->now >= e.starts_at, errors);
    if (errors->count == before)
        errors_add(errors, "event_id", "The places on this event changed while you were booking. Try again");
}

enum app_result bookings_make(const struct accounts_env *env, const struct caller *caller, int64_t event_id,
                              int64_t user_id, int64_t *booking_id, struct errors *errors)
{
    bool self = user_id == 0 || user_id == caller->user_id;
    if (user_id == 0)
        user_id = caller->user_id;
    if (!self && !policy_acts_for_others(caller)) {
        errors_add(errors, "user_id", "You can book a place for yourself only");
        return APP_FORBIDDEN;
    }
    /*
     * The checks below are for the messages: whether a place is taken is decided by
     * store_booking_create's own write, so a booking made at the same moment can win the last
     * place after these checks passed. Then the refusal is explained from what is true after it.
     */
    if (store_begin(env->store) != STORE_OK)
        return APP_UNAVAILABLE;
    struct arena arena = ARENA_INIT;
    struct event e;
    bool enrolled = false, booked = false;
    enum app_result result = app_result_of_store(store_event_get(env->store, event_id, &arena, &e));
    if (result == APP_OK)
        result = app_result_of_store(store_cohort_enrolled(env->store, e.cohort_id, user_id, &enrolled));
    if (result == APP_OK && !enrolled) {
        if (self)
            errors_add(errors, "user_id", "You are not enrolled in cohort %s, so you cannot book its events",
                       e.cohort_code);
        else
            errors_add(errors, "user_id", "Only participants enrolled in cohort %s can be booked on its events",
                       e.cohort_code);
        result = APP_INVALID;
    }
    if (result == APP_OK)
        result = app_result_of_store(store_booking_exists(env->store, event_id, user_id, &booked));
    if (result == APP_OK &&
        !delivery_booking_check(e.capacity, e.booked, booked, e.cancelled_at != 0, env->now >= e.starts_at, errors))
        result = APP_CONFLICT;
    bool refused = false;
    if (result == APP_OK) {
        enum store_status s = store_booking_create(env->store, env->actor, event_id, user_id, env->now, booking_id);
        refused = s == STORE_CONFLICT;
        result = app_result_of_store(s);
        if (result == APP_OK)
            result = progress_refresh_scope(env, PROGRESS_OF_PARTICIPANT, user_id, NULL);
    }
    result = app_transaction_end(env->store, result);
    if (refused)
        explain_refused_booking(env, event_id, user_id, &arena, errors);
    arena_release(&arena);
    return result;
}

enum app_result bookings_cancel(const struct accounts_env *env, const struct caller *caller, int64_t event_id,
                                int64_t user_id, struct errors *errors)
{
    if (user_id != caller->user_id && !policy_acts_for_others(caller)) {
        errors_add(errors, "user_id", "You can give back your own place only");
        return APP_FORBIDDEN;
    }
    if (store_begin(env->store) != STORE_OK)
        return APP_UNAVAILABLE;
    struct arena arena = ARENA_INIT;
    struct event e;
    enum app_result result = app_result_of_store(store_event_get(env->store, event_id, &arena, &e));
    if (result == APP_OK && !policy_is_admin(caller) && e.cancelled_at == 0 && env->now >= e.starts_at) {
        errors_add(errors, "event_id", "This event has already started, so its places can no longer be given back");
        result = APP_CONFLICT;
    }
    if (result == APP_OK) {
        enum store_status s = store_booking_cancel(env->store, env->actor, event_id, user_id, env->now);
        if (s == STORE_NOT_FOUND)
            errors_add(errors, "user_id", "%s no place on this event",
                       user_id == caller->user_id ? "You have" : "They have");
        result = app_result_of_store(s);
        if (result == APP_OK)
            result = progress_refresh_scope(env, PROGRESS_OF_PARTICIPANT, user_id, NULL);
    }
    arena_release(&arena);
    return app_transaction_end(env->store, result);
}

/* Attendance */

/* Copies one mark's errors into errors at "marks[i].field"; the domain's "person_id" is the
 * API's "user_id". */
static void add_mark_errors(struct errors *errors, size_t index, const struct errors *found)
{
    for (size_t k = 0; k < found->count; k++) {
        const char *field = strcmp(found->items[k].where, "person_id") == 0 ? "user_id" : found->items[k].where;
        char where[64];
        snprintf(where, sizeof(where), "marks[%zu].%s", index, field);
        errors_add(errors, where, "%s", found->items[k].message);
    }
}

enum app_result attendance_record(const struct accounts_env *env, int64_t event_id,
                                  const struct attendance_input *marks, size_t count, struct errors *errors)
{
    if (count == 0) {
        errors_add(errors, "marks", "Give at least one mark");
        return APP_INVALID;
    }
    /* One transaction: every mark is checked against the same register, then all are written. */
    if (store_begin(env->store) != STORE_OK)
        return APP_UNAVAILABLE;
    struct arena arena = ARENA_INIT;
    struct event e;
    struct attendance_line *lines = NULL;
    size_t line_count = 0;
    enum app_result result = app_result_of_store(store_event_get(env->store, event_id, &arena, &e));
    if (result == APP_OK && e.cancelled_at != 0) {
        errors_add(errors, "event_id", "This event has been cancelled, so it has no register to take");
        result = APP_CONFLICT;
    }
    if (result == APP_OK)
        result = app_result_of_store(store_attendance_register(env->store, event_id, &arena, &lines, &line_count));

    /* For each mark: its line on the register (NULL when not booked) and its parsed value. */
    const struct attendance_line **line_of = arena_alloc(&arena, sizeof(*line_of) * count);
    enum delivery_attendance_mark *value = arena_alloc(&arena, sizeof(*value) * count);
    size_t before = errors->count;
    for (size_t i = 0; result == APP_OK && i < count; i++) {
        line_of[i] = NULL;
        for (size_t k = 0; k < line_count && line_of[i] == NULL; k++)
            if (lines[k].user_id == marks[i].user_id)
                line_of[i] = &lines[k];
        value[i] = DELIVERY_ATTENDANCE_MARK_COUNT; /* not one of the four, for the rule to refuse */
        delivery_attendance_mark_parse(marks[i].mark, &value[i]);
        const struct attendance_line *line = line_of[i];
        bool correcting = line != NULL && line->marked && line->mark != value[i];
        struct errors found = ERRORS_INIT;
        delivery_attendance_check(value[i], e.starts_at, env->now, line != NULL, correcting, marks[i].reason, &found);
        for (size_t j = 0; j < i; j++)
            if (marks[j].user_id == marks[i].user_id) {
                errors_add(&found, "user_id", "This person is marked twice. Give one mark each");
                break;
            }
        add_mark_errors(errors, i, &found);
        errors_free(&found);
    }
    if (result == APP_OK && errors->count != before)
        result = APP_INVALID;
    for (size_t i = 0; result == APP_OK && i < count; i++) {
        const struct attendance_line *line = line_of[i];
        if (line->marked && line->mark == value[i])
            continue; /* nothing to record */
        result = app_result_of_store(store_attendance_set(env->store, env->actor, event_id, marks[i].user_id,
                                                          line->marked ? &line->mark : NULL, value[i], marks[i].reason,
                                                          env->now));
        if (result == APP_OK)
            result = progress_refresh_scope(env, PROGRESS_OF_PARTICIPANT, marks[i].user_id, NULL);
    }
    result = app_transaction_end(env->store, result);
    arena_release(&arena);
    return result;
}
