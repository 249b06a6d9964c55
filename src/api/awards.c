/*
 * Awards and what surrounds them: whether an enrolment may be awarded (award-check), making and
 * reading awards, the certificate as a PDF, public verification by a certificate's code, Master's
 * credit equivalences of modules, and a participant's transcript. The work is in app/awards.h;
 * here requests are read and answers written.
 */
#include "api/api.h"

#include "app/awards.h"
#include "http/paging.h"
#include "http/reply.h"
#include "http/site.h"
#include "pdf/certificate.h"
#include "pdf/pdf.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static json_t *qualification_json(const struct catalogue *c, const char *code)
{
    const struct catalogue_qualification *q = catalogue_qualification_find(c, code, strlen(code));
    return json_pack("{s:s, s:s}", "code", q ? q->code : code, "title", q ? q->title : code);
}

static json_t *award_json(struct request *request, const struct catalogue *c, const struct award *a)
{
    char certificate[96];
    snprintf(certificate, sizeof(certificate), "/api/v1/awards/%" PRId64 "/certificate.pdf", a->id);
    return json_pack("{s:I, s:s, s:{s:I, s:s}, s:I, s:o, s:s, s:s, s:s, s:s, s:o, s:o}", "id", (json_int_t)a->id,
                     "certificate_number", a->certificate_number, "participant", "id", (json_int_t)a->participant_id,
                     "name", a->participant_name, "enrolment_id", (json_int_t)a->enrolment_id, "qualification",
                     qualification_json(c, a->qualification), "awarded_on", a->awarded_on, "verification_code",
                     a->verification_code, "verification_url",
                     awards_verify_url(request->settings->base_url, a->verification_code, request_arena(request)),
                     "certificate_url", certificate, "awarded_by",
                     a->awarded_by ? json_integer(a->awarded_by) : json_null(), "created_at",
                     api_time_json(a->created_at));
}

/* Award check */

void api_award_check(struct request *request)
{
    const struct catalogue *c = api_catalogue(request);
    if (c == NULL)
        return;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct award_status st;
    enum app_result r = awards_check(&env, c, request_param_id(request, 0), request_arena(request), &st);
    if (r != APP_OK) {
        api_reply_result(request, r, NULL, "enrolment");
        return;
    }
    json_t *modules = json_array();
    for (size_t i = 0; i < st.facts.modules_completed_count; i++)
        json_array_append_new(modules, json_string(st.facts.modules_completed[i]));
    json_t *facts = json_pack("{s:o, s:b, s:s, s:i, s:i}", "modules_completed", modules, "final_assessment_passed",
                              st.facts.final_assessment_passed, "delivery_model",
                              delivery_model_name(st.enrolment.delivery_model), "face_to_face_attended",
                              st.facts.face_to_face_attended, "virtual_attended", st.facts.virtual_attended);
    /* The award in brief: its verification code is for the participant and administrators. */
    json_t *award = st.awarded ? json_pack("{s:I, s:s, s:s}", "id", (json_int_t)st.award.id, "certificate_number",
                                           st.award.certificate_number, "awarded_on", st.award.awarded_on)
                               : json_null();
    reply_json(request, 200,
               json_pack("{s:I, s:o, s:b, s:s, s:o, s:o}", "enrolment_id", (json_int_t)st.enrolment.id, "qualification",
                         st.qualification ? qualification_json(c, st.qualification->code) : json_null(), "eligible",
                         st.eligible, "why", st.why, "facts", facts, "award", award));
}

/* Awards */

void api_awards_create(struct request *request)
{
    json_t *body = api_read_object(request);
    if (body == NULL)
        return;
    const struct catalogue *c = api_catalogue(request);
    struct errors errors = ERRORS_INIT;
    if (c == NULL)
        goto out;
    int64_t enrolment_id = 0;
    if (!api_member_int(body, "enrolment_id", &enrolment_id, &errors) || enrolment_id <= 0) {
        if (errors.count == 0)
            errors_add(&errors, "enrolment_id", "Give the id of the enrolment to award");
        api_reply_invalid(request, &errors);
        goto out;
    }
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct award award;
    char why[AWARDS_WHY_TEXT];
    enum app_result r = awards_make(&env, c, enrolment_id, request_arena(request), &award, &errors, why);
    if (r == APP_OK) {
        char *location = request_alloc(request, 48);
        snprintf(location, 48, "/api/v1/awards/%" PRId64, award.id);
        reply_header(request, "location", location);
        reply_json(request, 201, award_json(request, c, &award));
    } else if (r == APP_INVALID) {
        /* The usual 422, with the rule's explanation whole in why. */
        api_reply_result_detail(request, r, &errors, "enrolment", json_pack("{s:s}", "why", why));
    } else {
        api_reply_result(request, r, &errors, "enrolment");
    }
out:
    errors_free(&errors);
    json_decref(body);
}

void api_awards_list(struct request *request)
{
    const struct catalogue *c = api_catalogue(request);
    if (c == NULL)
        return;
    struct award *list;
    size_t count, total;
    struct awards_query q;
    struct errors errors = ERRORS_INIT;
    awards_query_read(request_query(request), c, &q, &errors);
    struct store_page page;
    paging_read(request, CURSOR_ID, &page, &errors);
    if (api_query_refused(request, &errors))
        return;
    enum store_status s =
        store_award_search(request->store, &q.filter, &page, request_arena(request), &list, &count, &total);
    if (s != STORE_OK) {
        api_reply_store_status(request, s, "award");
        return;
    }
    json_t *array = json_array();
    for (size_t i = 0; i < count; i++)
        json_array_append_new(array, award_json(request, c, &list[i]));
    paging_link(request, &page);
    reply_json(request, 200, json_pack("{s:o, s:I}", "awards", array, "total", (json_int_t)total));
}

/* The award in the URL, which the gate has let the caller see (policy_sees_awards); otherwise
 * replies as the store answered and returns false. */
static bool visible_award(struct request *request, struct award *out)
{
    enum store_status s = store_award_get(request->store, request_param_id(request, 0), request_arena(request), out);
    if (s != STORE_OK)
        api_reply_store_status(request, s, "award");
    return s == STORE_OK;
}

void api_award_get(struct request *request)
{
    const struct catalogue *c = api_catalogue(request);
    struct award award;
    if (c != NULL && visible_award(request, &award))
        reply_json(request, 200, award_json(request, c, &award));
}

void api_award_certificate(struct request *request)
{
    const struct catalogue *c = api_catalogue(request);
    struct award award;
    if (c == NULL || !visible_award(request, &award))
        return;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct certificate certificate;
    awards_certificate(&env, c, &award, request_arena(request), &certificate);
    struct buf out;
    buf_init(&out, PDF_MAX_BYTES);
    if (!pdf_certificate(&certificate, &out)) {
        buf_free(&out);
        api_reply_reason(request, APP_UNAVAILABLE, "The certificate could not be drawn. Try again shortly.");
        return;
    }
    char *disposition = request_alloc(request, 128);
    snprintf(disposition, 128, "inline; filename=\"certificate-%s.pdf\"", award.certificate_number);
    reply_header(request, "content-disposition", disposition);
    reply_header(request, "cache-control", "private, no-store");
    reply_body(request, 200, "application/pdf", out.data, out.len);
    buf_free(&out);
}

/* Verification */

void api_verify(struct request *request)
{
    const struct catalogue *c = api_catalogue(request);
    if (c == NULL)
        return;
    struct award award;
    enum app_result r = awards_find_by_code(request->store, request_strndup(request, request->params[0]),
                                            request_arena(request), &award);
    reply_header(request, "cache-control", "no-store");
    if (r != APP_OK) {
        struct errors errors = ERRORS_INIT;
        if (r == APP_NOT_FOUND)
            errors_add(&errors, "code", "No certificate matches this code.");
        api_reply_result(request, r, &errors, "certificate");
        errors_free(&errors);
        return;
    }
    /* Only what the certificate itself says: nothing else about the person. */
    const struct catalogue_qualification *q =
        catalogue_qualification_find(c, award.qualification, strlen(award.qualification));
    reply_json(request, 200,
               json_pack("{s:b, s:s, s:s, s:s, s:s}", "valid", 1, "name", award.participant_name, "qualification",
                         q ? q->title : award.qualification, "awarded_on", award.awarded_on, "certificate_number",
                         award.certificate_number));
}

/* Master's credits */

static json_t *credit_json(const struct catalogue *c, const struct module_credit *credit)
{
    const struct catalogue_module *m = catalogue_module_find(c, credit->module, strlen(credit->module));
    return json_pack("{s:s, s:s, s:i, s:s, s:o}", "module", m ? m->code : credit->module, "title",
                     m ? m->title : credit->module, "credits", credit->credits, "awarding_body", credit->awarding_body,
                     "updated_at", api_time_json(credit->updated_at));
}

void api_module_credits_list(struct request *request)
{
    const struct catalogue *c = api_catalogue(request);
    if (c == NULL)
        return;
    struct module_credit *list;
    size_t count;
    enum store_status s = store_module_credit_list(request->store, request_arena(request), &list, &count);
    if (s != STORE_OK) {
        api_reply_store_status(request, s, "module credit");
        return;
    }
    json_t *array = json_array();
    for (size_t i = 0; i < count; i++)
        json_array_append_new(array, credit_json(c, &list[i]));
    /* One row per module at most: read whole, paged here. */
    api_reply_page_of(request, json_pack("{s:o}", "module_credits", array), "module_credits", "module", CURSOR_TEXT);
}

void api_module_credits_set(struct request *request)
{
    json_t *body = api_read_object(request);
    if (body == NULL)
        return;
    const struct catalogue *c = api_catalogue(request);
    struct errors errors = ERRORS_INIT;
    if (c == NULL)
        goto out;
    const char *code = NULL, *awarding_body = NULL;
    api_member_text(body, "module", &code, &errors);
    api_member_text(body, "awarding_body", &awarding_body, &errors);
    json_t *given = json_object_get(body, "credits");
    int64_t credits = json_is_integer(given) ? json_integer_value(given) : -1;
    if (errors.count > 0) {
        api_reply_invalid(request, &errors);
        goto out;
    }
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    const char *canonical = NULL;
    enum app_result r = awards_credit_set(&env, c, code, credits, awarding_body, &canonical, &errors);
    if (r != APP_OK) {
        api_reply_result(request, r, &errors, "module credit");
        goto out;
    }
    struct module_credit set = {canonical, (int)credits, awarding_body ? awarding_body : "", request->now};
    reply_json(request, 200, credit_json(c, &set));
out:
    errors_free(&errors);
    json_decref(body);
}

/* Transcripts */

static json_t *hours_json(int64_t quarter_hours)
{
    return json_real((double)quarter_hours / 4.0);
}

void api_participant_transcript(struct request *request)
{
    const struct catalogue *c = api_catalogue(request);
    if (c == NULL)
        return;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct transcript t;
    int64_t participant = request_param_id(request, 0);
    enum app_result r = awards_transcript(&env, c, participant, policy_sees_awards(request->caller, &request->relation),
                                          request_arena(request), &t);
    if (r != APP_OK) {
        api_reply_result(request, r, NULL, "participant");
        return;
    }
    json_t *modules = json_array();
    for (size_t i = 0; i < t.module_count; i++) {
        const struct transcript_module *m = &t.modules[i];
        json_array_append_new(modules, json_pack("{s:s, s:s, s:s, s:{s:o, s:o, s:o}, s:o}", "code", m->code, "title",
                                                 m->title, "completed_on", m->completed_on, "hours", "total",
                                                 hours_json(m->verified_quarter_hours + m->unverified_quarter_hours),
                                                 "verified", hours_json(m->verified_quarter_hours), "unverified",
                                                 hours_json(m->unverified_quarter_hours), "credits",
                                                 m->has_credit ? json_pack("{s:i, s:s}", "credits", m->credits,
                                                                           "awarding_body", m->awarding_body)
                                                               : json_null()));
    }
    json_t *awards = json_array();
    for (size_t i = 0; i < t.award_count; i++) {
        const struct transcript_award *a = &t.awards[i];
        json_array_append_new(awards, json_pack("{s:I, s:o, s:s, s:s, s:s?}", "id", (json_int_t)a->id, "qualification",
                                                qualification_json(c, a->qualification_code), "certificate_number",
                                                a->certificate_number, "awarded_on", a->awarded_on, "verification_url",
                                                a->verify_url));
    }
    reply_json(request, 200,
               json_pack("{s:{s:I, s:s}, s:s, s:s, s:o, s:i, s:o}", "participant", "id", (json_int_t)t.participant_id,
                         "name", t.name, "provider", t.provider, "generated_on", t.generated_on, "modules", modules,
                         "total_credits", t.total_credits, "awards", awards));
}
