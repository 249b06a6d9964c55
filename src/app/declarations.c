/*
 * Declarations due, approved, voided and sent again: the rules are domain/dfe.c's, the records the
 * store's; this joins them for the pages, the API and the sync.
 */
#include "app/declarations.h"

#include "app/applications.h"
#include "app/dfe_sync.h"

#include <string.h>

static bool stands(const struct dfe_declaration_made *made, size_t count, const char *type)
{
    for (size_t i = 0; i < count; i++)
        if (strcmp(made[i].declaration_type, type) == 0)
            return true;
    return false;
}

enum app_result declarations_due_for(const struct accounts_env *env, const struct catalogue *catalogue,
                                     int64_t enrolment_id, struct arena *arena, struct dfe_declaration_due **out,
                                     size_t *count)
{
    struct participant_declarations d;
    *out = NULL;
    *count = 0;
    enum app_result result = declarations_for(env, catalogue, enrolment_id, arena, &d);
    if (result != APP_OK)
        return result;
    *out = arena_alloc(arena, sizeof(**out) * (d.due_count + 1));
    for (size_t i = 0; i < d.due_count; i++)
        if (!stands(d.made, d.made_count, d.due[i].declaration_type))
            (*out)[(*count)++] = d.due[i];
    return APP_OK;
}

enum app_result declarations_due_all(const struct accounts_env *env, const struct catalogue *catalogue,
                                     struct arena *arena, struct declaration_due_row **out, size_t *count)
{
    int64_t *ids;
    size_t id_count;
    *out = NULL;
    *count = 0;
    enum app_result result = app_result_of_store(store_enrolments_on_schedule(env->store, arena, &ids, &id_count));
    size_t cap = 16;
    *out = arena_alloc(arena, sizeof(**out) * cap);
    for (size_t i = 0; result == APP_OK && i < id_count; i++) {
        struct dfe_declaration_due *due;
        size_t due_count;
        result = declarations_due_for(env, catalogue, ids[i], arena, &due, &due_count);
        for (size_t j = 0; result == APP_OK && j < due_count; j++) {
            if (*count == cap)
                *out = arena_grow(arena, *out, &cap, sizeof(**out));
            (*out)[(*count)++] = (struct declaration_due_row){ids[i], due[j]};
        }
    }
    return result;
}

enum app_result declarations_approve(const struct accounts_env *env, const struct catalogue *catalogue,
                                     int64_t enrolment_id, const char *declaration_type, int64_t *id,
                                     struct errors *errors)
{
    if (declaration_type == NULL || dfe_code_find(&dfe_declaration_types, declaration_type) == NULL) {
        errors_add(errors, "declaration_type", "Choose started, retained-1, retained-2 or completed");
        return APP_INVALID;
    }
    struct arena arena = ARENA_INIT;
    struct participant_declarations d;
    enum app_result result = declarations_for(env, catalogue, enrolment_id, &arena, &d);
    const struct dfe_declaration_due *due = NULL;
    for (size_t i = 0; result == APP_OK && i < d.due_count; i++)
        if (strcmp(d.due[i].declaration_type, declaration_type) == 0)
            due = &d.due[i];
    if (result == APP_OK && stands(d.made, d.made_count, declaration_type)) {
        errors_add(errors, "declaration_type", "A %s declaration has been made for this participant already.",
                   declaration_type);
        result = APP_CONFLICT;
    } else if (result == APP_OK && due == NULL) {
        errors_add(errors, "declaration_type",
                   d.schedule == NULL ? "This participant is not on a DfE schedule, so no declaration is due."
                                      : "Nothing npq knows makes a %s declaration due yet.",
                   declaration_type);
        result = APP_INVALID;
    }
    if (result == APP_OK) {
        enum store_status s =
            store_declaration_approve(env->store, env->actor, enrolment_id, declaration_type, due->declaration_date,
                                      due->evidence, due->passed, env->now, id);
        if (s == STORE_CONFLICT)
            errors_add(errors, "declaration_type", "A %s declaration has been made for this participant already.",
                       declaration_type);
        result = app_result_of_store(s);
    }
    arena_release(&arena);
    return result;
}

enum app_result declarations_approve_all(const struct accounts_env *env, const struct catalogue *catalogue,
                                         size_t *approved)
{
    struct arena arena = ARENA_INIT;
    struct declaration_due_row *rows;
    size_t count;
    *approved = 0;
    enum app_result result = declarations_due_all(env, catalogue, &arena, &rows, &count);
    for (size_t i = 0; result == APP_OK && i < count; i++) {
        int64_t id;
        struct errors errors = ERRORS_INIT;
        enum app_result r =
            declarations_approve(env, catalogue, rows[i].enrolment_id, rows[i].due.declaration_type, &id, &errors);
        errors_free(&errors);
        if (r == APP_OK)
            (*approved)++;
        else if (r != APP_CONFLICT) /* made meanwhile by someone else: nothing lost */
            result = r;
    }
    arena_release(&arena);
    return result;
}

/* The declaration, when it is the enrolment's. */
static enum app_result declaration_of(const struct accounts_env *env, int64_t enrolment_id, int64_t id,
                                      struct arena *arena, struct declaration *d)
{
    enum app_result result = app_result_of_store(store_declaration_get(env->store, id, arena, d));
    if (result == APP_OK && d->enrolment_id != enrolment_id)
        result = APP_NOT_FOUND;
    return result;
}

enum app_result declarations_void(const struct accounts_env *env, int64_t enrolment_id, int64_t id,
                                  struct errors *errors)
{
    struct arena arena = ARENA_INIT;
    struct declaration d;
    enum app_result result = declaration_of(env, enrolment_id, id, &arena, &d);
    enum dfe_declaration_state after = DFE_DECLARATION_VOIDED;
    if (result == APP_OK && d.void_requested_at != 0) {
        errors_add(errors, "state", "A void of this declaration has been asked for already.");
        result = APP_CONFLICT;
    } else if (result == APP_OK && !dfe_declaration_void(d.state, &after, errors)) {
        result = APP_CONFLICT;
    }
    if (result == APP_OK) {
        result = app_result_of_store(store_declaration_void(env->store, env->actor, id, d.state, after, env->now));
        if (result == APP_CONFLICT)
            errors_add(errors, "state", "The declaration changed meanwhile. Reload it and try again.");
    }
    arena_release(&arena);
    return result;
}

enum app_result declarations_retry(const struct accounts_env *env, int64_t enrolment_id, int64_t id,
                                   struct errors *errors)
{
    struct arena arena = ARENA_INIT;
    struct declaration d;
    enum app_result result = declaration_of(env, enrolment_id, id, &arena, &d);
    if (result == APP_OK && (d.dfe_message[0] == '\0' || d.dfe_id[0] != '\0' || d.state != DFE_DECLARATION_DUE)) {
        errors_add(errors, "state", "Only a declaration the DfE refused is sent again.");
        result = APP_CONFLICT;
    }
    if (result == APP_OK)
        result = app_result_of_store(store_declaration_retry(env->store, env->actor, id, env->now));
    arena_release(&arena);
    return result;
}

enum app_result declarations_outcomes_follow(const struct accounts_env *env, const struct catalogue *catalogue,
                                             size_t *told)
{
    struct arena arena = ARENA_INIT;
    struct declaration *list;
    size_t count;
    *told = 0;
    enum app_result result = app_result_of_store(
        store_declarations_list(env->store, DECLARATIONS_COMPLETED_AT_DFE, 0, &arena, &list, &count));
    for (size_t i = 0; result == APP_OK && i < count; i++) {
        const struct declaration *d = &list[i];
        const struct dfe_course *course = dfe_course_find(d->course_identifier);
        struct participant_declarations now;
        result = declarations_for(env, catalogue, d->enrolment_id, &arena, &now);
        const struct dfe_declaration_due *completed = NULL;
        for (size_t j = 0; result == APP_OK && j < now.due_count; j++)
            if (strcmp(now.due[j].declaration_type, "completed") == 0)
                completed = &now.due[j];
        const char *state = completed && course
                                ? dfe_outcome_to_tell(course->course_group, d->state, d->has_passed, completed->passed)
                                : NULL;
        if (result != APP_OK || state == NULL || d->participant_id[0] == '\0')
            continue;
        result = app_result_of_store(store_begin(env->store));
        if (result == APP_OK)
            result = app_result_of_store(
                store_declaration_outcome_set(env->store, env->actor, d->id, completed->passed, env->now));
        if (result == APP_OK)
            result = dfe_tell_outcome(env->store, d->enrolment_id, d->participant_id, d->course_identifier, state,
                                      completed->declaration_date, env->now);
        result = app_transaction_end(env->store, result);
        if (result == APP_OK)
            (*told)++;
        else if (result == APP_CONFLICT) /* told meanwhile by another run */
            result = APP_OK;
    }
    arena_release(&arena);
    return result;
}
