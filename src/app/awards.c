/*
 * Awards (awards.h says what each use case does). The rule itself is award_check's; what is here
 * is reading the facts it needs and writing what an award changes, together.
 */
#include "app/awards.h"

#include "app/progress.h"

#include "lib/buf.h"
#include "lib/date.h"
#include "lib/secret.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *awards_verify_url(const char *base_url, const char *code, struct arena *arena)
{
    struct buf b;
    buf_init(&b, 4096);
    buf_appendf(&b, "%s/verify/%s", base_url ? base_url : "", code ? code : "");
    const char *url = arena_strdup(arena, b.data ? b.data : "");
    buf_free(&b);
    return url;
}

const char *awards_provider_name(struct store *store, struct arena *arena)
{
    struct organisation *list;
    size_t count;
    if (store_organisation_list(store, ORG_PROVIDER, NULL, NULL, arena, &list, &count) == STORE_OK && count > 0 &&
        list[0].name != NULL && *list[0].name != '\0')
        return list[0].name;
    return "NPQ provider";
}

enum app_result awards_find_by_code(struct store *store, const char *code, struct arena *arena, struct award *out)
{
    /* Codes are secret_token_new's: base64url, SECRET_TOKEN_TEXT - 1 characters. */
    size_t len = code ? strlen(code) : 0;
    if (len == 0 || len >= SECRET_TOKEN_TEXT)
        return APP_NOT_FOUND;
    for (size_t i = 0; i < len; i++) {
        char ch = code[i];
        if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' ||
              ch == '_'))
            return APP_NOT_FOUND;
    }
    return app_result_of_store(store_award_find_by_code(store, code, arena, out));
}

/* The facts award_check judges, read from the store (inside the caller's transaction if any). */
static enum store_status gather(const struct accounts_env *env, const struct catalogue *catalogue,
                                struct award_status *out, struct arena *arena)
{
    const struct enrolment *e = &out->enrolment;
    out->qualification =
        e->kind == STUDY_QUALIFICATION ? catalogue_qualification_find(catalogue, e->target, strlen(e->target)) : NULL;
    if (out->qualification == NULL) {
        out->eligible = false;
        snprintf(out->why, sizeof(out->why), "%s",
                 e->kind == STUDY_QUALIFICATION
                     ? "the qualification is no longer in the catalogue"
                     : "a module studied alone is recorded as completed; only a qualification is awarded");
        return STORE_OK;
    }
    struct completed_module *done;
    size_t done_count;
    enum store_status status = store_completions(env->store, e->participant_id, arena, &done, &done_count);
    struct award_evidence evidence;
    if (status == STORE_OK)
        status = store_award_evidence(env->store, e->id, e->participant_id, out->qualification->code, &evidence);
    if (status != STORE_OK)
        return status;
    const char **codes = arena_alloc(arena, sizeof(*codes) * (done_count + 1));
    for (size_t i = 0; i < done_count; i++)
        codes[i] = done[i].code;
    out->facts = (struct award_facts){
        .qualification = out->qualification,
        .modules_completed = codes,
        .modules_completed_count = done_count,
        .final_assessment_passed = evidence.final_assessment_passed,
        .model = e->delivery_model,
        .face_to_face_attended = evidence.face_to_face_attended,
        .virtual_attended = evidence.virtual_attended,
    };
    out->eligible = award_check(catalogue, &out->facts, out->why, sizeof(out->why));
    return STORE_OK;
}

/* Reads the enrolment, its award if any, and judges it. */
static enum store_status load_status(const struct accounts_env *env, const struct catalogue *catalogue,
                                     int64_t enrolment_id, struct arena *arena, struct award_status *out)
{
    memset(out, 0, sizeof(*out));
    enum store_status status = store_enrolment_get(env->store, enrolment_id, arena, &out->enrolment);
    if (status != STORE_OK)
        return status;
    status = store_award_for_enrolment(env->store, enrolment_id, arena, &out->award);
    if (status == STORE_OK)
        out->awarded = true;
    else if (status != STORE_NOT_FOUND)
        return status;
    return gather(env, catalogue, out, arena);
}

enum app_result awards_check(const struct accounts_env *env, const struct catalogue *catalogue, int64_t enrolment_id,
                             struct arena *arena, struct award_status *out)
{
    return app_result_of_store(load_status(env, catalogue, enrolment_id, arena, out));
}

/* Queues the participant's email: what was awarded and where anyone can check it. */
static enum app_result email_participant(const struct accounts_env *env, const struct user *participant,
                                         const struct catalogue_qualification *q, const struct award *a,
                                         struct arena *arena)
{
    char on[DATE_HUMAN_TEXT];
    date_format_day(a->awarded_on, false, on, sizeof(on));
    struct buf body;
    buf_init(&body, 16 * 1024);
    buf_appendf(&body,
                "Dear %s,\n\nCongratulations: you have been awarded the %s on %s.\n\nYour certificate number is "
                "%s.\n\nAnyone you share it with, such as an employer, can check your certificate at this "
                "address:\n\n%s\n\nYour certificate and transcript are on your transcript page (you will be asked "
                "to sign in):\n\n%s/participants/%lld/transcript\n",
                participant->name, q->title, on, a->certificate_number,
                awards_verify_url(env->base_url, a->verification_code, arena), env->base_url,
                (long long)participant->id);
    char subject[256];
    snprintf(subject, sizeof(subject), "You have been awarded the %s", q->title);
    enum app_result result =
        buf_failed(&body)
            ? app_broken("the award email outgrew its buffer")
            : app_result_of_store(store_mail_enqueue(env->store, participant->email, subject, body.data, env->now));
    buf_free(&body);
    return result;
}

/* The steps of awards_make once the transaction is open. */
static enum app_result award_in_transaction(const struct accounts_env *env, const struct catalogue *catalogue,
                                            int64_t enrolment_id, struct arena *arena, struct award *out,
                                            struct errors *errors, char why[AWARDS_WHY_TEXT])
{
    struct award_status st;
    enum store_status status = load_status(env, catalogue, enrolment_id, arena, &st);
    if (status != STORE_OK)
        return app_result_of_store(status);
    const struct enrolment *e = &st.enrolment;
    if (st.awarded) {
        errors_add(errors, "enrolment_id", "This enrolment has been awarded already: certificate %s, on %s.",
                   st.award.certificate_number, st.award.awarded_on);
        return APP_CONFLICT;
    }
    /* An enrolment someone completed by hand may still be awarded; a paused or ended one may not. */
    if (e->state == ENROLMENT_DEFERRED || e->state == ENROLMENT_WITHDRAWN) {
        errors_add(errors, "state", "Only an active enrolment can be awarded. This one is %s.",
                   enrolment_state_name(e->state));
        return APP_CONFLICT;
    }
    if (!st.eligible) {
        snprintf(why, AWARDS_WHY_TEXT, "%s", st.why);
        errors_add(errors, "enrolment_id", "This enrolment cannot be awarded: %s.", st.why);
        return APP_INVALID;
    }
    struct user participant;
    if ((status = store_user_get(env->store, e->participant_id, arena, &participant)) != STORE_OK)
        return status == STORE_NOT_FOUND ? app_broken("an enrolment's participant does not exist")
                                         : app_result_of_store(status);

    char code[SECRET_TOKEN_TEXT], today[DATE_TEXT];
    secret_token_new(code);
    date_of(env->now, today);
    *out = (struct award){
        .verification_code = arena_strdup(arena, code),
        .participant_id = e->participant_id,
        .participant_name = participant.name,
        .participant_email = participant.email,
        .enrolment_id = e->id,
        .qualification = st.qualification->code,
        .awarded_on = arena_strdup(arena, today),
    };
    status = store_award_create(env->store, env->actor, out, (int)strtol(today, NULL, 10), arena, env->now);
    if (status == STORE_CONFLICT) {
        errors_add(errors, "enrolment_id", "This enrolment has been awarded already.");
        return APP_CONFLICT;
    }
    if (status == STORE_OK && e->state == ENROLMENT_ACTIVE) {
        char reason[256];
        snprintf(reason, sizeof(reason), "Awarded %s: certificate %s", st.qualification->code, out->certificate_number);
        struct enrolment_change change = {
            .from = ENROLMENT_ACTIVE,
            .to = ENROLMENT_COMPLETED,
            .step = enrolment_step_name(ENROLMENT_COMPLETE),
            .reason = reason,
        };
        status = store_enrolment_transition(env->store, env->actor, e->id, &change, env->now);
        if (status == STORE_CONFLICT)
            errors_add(errors, "state", "Someone else changed this enrolment at the same time. Try again.");
    }
    if (status != STORE_OK)
        return app_result_of_store(status);
    enum app_result result = progress_refresh(env, e->id);
    if (result != APP_OK)
        return result;
    return email_participant(env, &participant, st.qualification, out, arena);
}

enum app_result awards_make(const struct accounts_env *env, const struct catalogue *catalogue, int64_t enrolment_id,
                            struct arena *arena, struct award *out, struct errors *errors, char why[AWARDS_WHY_TEXT])
{
    why[0] = '\0';
    enum app_result result = app_result_of_store(store_begin(env->store));
    if (result != APP_OK)
        return result;
    result = award_in_transaction(env, catalogue, enrolment_id, arena, out, errors, why);
    return app_transaction_end(env->store, result);
}

void awards_certificate(const struct accounts_env *env, const struct catalogue *catalogue, const struct award *award,
                        struct arena *arena, struct certificate *out)
{
    const struct catalogue_qualification *q =
        catalogue_qualification_find(catalogue, award->qualification, strlen(award->qualification));
    char on[DATE_HUMAN_TEXT];
    date_format_day(award->awarded_on, false, on, sizeof(on));
    *out = (struct certificate){
        .provider = awards_provider_name(env->store, arena),
        .name = award->participant_name,
        .qualification = q ? q->title : award->qualification,
        .awarded_on = arena_strdup(arena, on),
        .number = award->certificate_number,
        .verify_url = awards_verify_url(env->base_url, award->verification_code, arena),
    };
}

enum app_result awards_transcript(const struct accounts_env *env, const struct catalogue *catalogue,
                                  int64_t participant_id, bool with_verification, struct arena *arena,
                                  struct transcript *out)
{
    memset(out, 0, sizeof(*out));
    struct user person;
    struct completed_module *done;
    struct module_hours *hours;
    struct module_credit *credits;
    struct award *awards;
    size_t done_count, hours_count, credit_count, award_count, award_total;
    enum store_status status = store_user_get(env->store, participant_id, arena, &person);
    if (status == STORE_OK)
        status = store_completions(env->store, participant_id, arena, &done, &done_count);
    if (status == STORE_OK)
        status = store_module_hours(env->store, participant_id, arena, &hours, &hours_count);
    if (status == STORE_OK)
        status = store_module_credit_list(env->store, arena, &credits, &credit_count);
    if (status == STORE_OK)
        status = store_award_list(env->store, participant_id, &(struct store_page){.limit = STORE_PAGE_MAX}, arena,
                                  &awards, &award_count, &award_total);
    if (status != STORE_OK)
        return app_result_of_store(status);

    char today[DATE_TEXT];
    date_of(env->now, today);
    out->participant_id = participant_id;
    out->name = person.name;
    out->provider = awards_provider_name(env->store, arena);
    out->generated_on = arena_strdup(arena, today);
    out->modules = arena_alloc(arena, sizeof(*out->modules) * (done_count + 1));
    for (size_t i = 0; i < done_count; i++) {
        const struct catalogue_module *m = catalogue_module_find(catalogue, done[i].code, strlen(done[i].code));
        struct transcript_module *t = &out->modules[out->module_count++];
        *t = (struct transcript_module){
            .code = m ? m->code : done[i].code,
            .title = m ? m->title : done[i].code,
            .completed_on = done[i].completed_on,
            .awarding_body = "",
        };
        for (size_t h = 0; h < hours_count; h++)
            if (strcasecmp(hours[h].module, done[i].code) == 0) {
                t->verified_quarter_hours = hours[h].verified_quarter_hours;
                t->unverified_quarter_hours = hours[h].unverified_quarter_hours;
            }
        for (size_t c = 0; c < credit_count; c++)
            if (strcasecmp(credits[c].module, done[i].code) == 0) {
                t->has_credit = true;
                t->credits = credits[c].credits;
                t->awarding_body = credits[c].awarding_body;
                out->total_credits += credits[c].credits;
            }
    }
    /* The list comes newest first; a transcript reads in the order things happened. */
    out->awards = arena_alloc(arena, sizeof(*out->awards) * (award_count + 1));
    for (size_t i = award_count; i-- > 0;) {
        const struct award *a = &awards[i];
        const struct catalogue_qualification *q =
            catalogue_qualification_find(catalogue, a->qualification, strlen(a->qualification));
        out->awards[out->award_count++] = (struct transcript_award){
            .id = a->id,
            .qualification_code = a->qualification,
            .qualification_title = q ? q->title : a->qualification,
            .certificate_number = a->certificate_number,
            .awarded_on = a->awarded_on,
            .verify_url = with_verification ? awards_verify_url(env->base_url, a->verification_code, arena) : NULL,
        };
    }
    return APP_OK;
}

enum app_result awards_credit_set(const struct accounts_env *env, const struct catalogue *catalogue, const char *module,
                                  int64_t credits, const char *awarding_body, const char **code_out,
                                  struct errors *errors)
{
    size_t before = errors->count;
    const struct catalogue_module *m = module ? catalogue_module_find(catalogue, module, strlen(module)) : NULL;
    if (m == NULL)
        errors_add(errors, "module", "Choose a module from the catalogue");
    if (credits < 0 || credits > MODULE_CREDITS_MAX)
        errors_add(errors, "credits", "Give the Master's credits as a whole number from 0 to %d", MODULE_CREDITS_MAX);
    if (awarding_body != NULL && strlen(awarding_body) > AWARDING_BODY_MAX)
        errors_add(errors, "awarding_body", "Name the awarding body in %d characters or fewer", AWARDING_BODY_MAX);
    if (errors->count != before)
        return APP_INVALID;
    *code_out = m->code;
    return app_result_of_store(store_module_credit_set(env->store, env->actor, m->code, (int)credits,
                                                       awarding_body ? awarding_body : "", env->now));
}

/* ---- The list of awards ---- */

/* An optional date parameter: absent or empty leaves *out NULL. */
static bool read_day(const struct form *query, const char *name, const char **out, struct errors *errors)
{
    const char *text = form_get(query, name);
    *out = NULL;
    if (text == NULL || *text == '\0')
        return true;
    if (!date_is_valid(text)) {
        errors_add(errors, name, "%s must be a date as YYYY-MM-DD, like 2027-07-31", name);
        return false;
    }
    *out = text;
    return true;
}

bool awards_query_read(const struct form *query, const struct catalogue *catalogue, struct awards_query *out,
                       struct errors *errors)
{
    *out = (struct awards_query){0};
    size_t before = errors->count;
    form_read_id(query, "participant_id", &out->filter.participant_id, errors);
    const char *code = form_get(query, "qualification");
    if (code != NULL && *code != '\0') {
        const struct catalogue_qualification *q = catalogue_qualification_find(catalogue, code, strlen(code));
        if (q == NULL)
            errors_add(errors, "qualification", "qualification must be the code of a qualification, like NPQSL");
        else
            out->filter.qualification = q->code;
    }
    bool dates = read_day(query, "awarded_from", &out->filter.awarded_from, errors);
    dates = read_day(query, "awarded_to", &out->filter.awarded_to, errors) && dates;
    if (dates && out->filter.awarded_from && out->filter.awarded_to &&
        strcmp(out->filter.awarded_from, out->filter.awarded_to) > 0)
        errors_add(errors, "awarded_to", "awarded_to must not be before awarded_from");
    return errors->count == before;
}
