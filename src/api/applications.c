/*
 * Applications and their steps: /api/v1/applications, /api/v1/applications/{id} and
 * POST /api/v1/applications/{id}/{step} (submit, approve, decline, accept, reject, enrol).
 */
#include "api/api.h"

#include "app/applications.h"
#include "http/paging.h"
#include "http/reply.h"
#include "http/site.h"

#include <string.h>

static json_t *ref_json(int64_t id, const char *name)
{
    return id ? json_pack("{s:I, s:s}", "id", (json_int_t)id, "name", name ? name : "") : json_null();
}

static json_t *codes_json(const char **codes, size_t count)
{
    json_t *array = json_array();
    for (size_t i = 0; i < count; i++)
        json_array_append_new(array, json_string(codes[i]));
    return array;
}

static json_t *flag_json(enum dfe_flag flag)
{
    return flag == DFE_UNKNOWN ? json_null() : json_boolean(flag == DFE_YES);
}

static json_t *text_or_null(const char *text)
{
    return text != NULL && *text != '\0' ? json_string(text) : json_null();
}

json_t *api_history_json(const struct history_event *events, size_t count)
{
    json_t *array = json_array();
    for (size_t i = 0; i < count; i++)
        json_array_append_new(array, json_pack("{s:o, s:s, s:s, s:s, s:s, s:s, s:o}", "at", api_time_json(events[i].at),
                                               "by", events[i].actor_label, "step", events[i].step, "from",
                                               events[i].from_state, "to", events[i].to_state, "reason",
                                               events[i].reason, "reason_code", text_or_null(events[i].reason_code)));
    return array;
}

/* The application in the DfE's terms, as the lead-provider API names each answer, added to doc. */
static void dfe_json(json_t *doc, const struct dfe_application *d)
{
    json_t *terms = json_pack(
        "{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "trn", text_or_null(d->trn), "school_urn",
        text_or_null(d->school_urn), "school_ukprn", text_or_null(d->school_ukprn), "employment_type",
        text_or_null(d->employment_type), "employer_name", text_or_null(d->employer_name), "headteacher_status",
        text_or_null(d->headteacher_status), "works_as_senco", flag_json(d->works_as_senco), "senco_start_date",
        text_or_null(d->senco_start_date), "funding_choice", text_or_null(d->funding_choice), "eligible_for_funding",
        flag_json(d->eligible_for_funding), "funded_place", flag_json(d->funded_place), "ineligibility_reason",
        text_or_null(d->ineligibility_reason), "rejection_reason_code", text_or_null(d->decision_reason_code));
    json_object_update(doc, terms);
    json_decref(terms);
}

static json_t *application_json(const struct application *a)
{
    json_t *sponsor = a->sponsor_id ? json_pack("{s:I, s:s, s:s}", "id", (json_int_t)a->sponsor_id, "name",
                                                a->sponsor_name ? a->sponsor_name : "", "email",
                                                a->sponsor_email ? a->sponsor_email : "")
                                    : json_null();
    json_t *doc = json_pack(
        "{s:I, s:{s:I, s:s, s:s}, s:s, s:s, s:o, s:o, s:s, s:o, s:s, s:s, s:o, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o}",
        "id", (json_int_t)a->id, "participant", "id", (json_int_t)a->participant_id, "name", a->participant_name,
        "email", a->participant_email, "kind", study_kind_name(a->kind), "target", a->target, "electives",
        codes_json(a->electives, a->elective_count), "school", ref_json(a->school_id, a->school_name), "job_role",
        a->job_role, "sponsor", sponsor, "delivery_model", delivery_model_name(a->delivery_model), "preferred_region",
        a->preferred_region, "preferred_partner", ref_json(a->preferred_partner_id, a->preferred_partner_name),
        "funding_route", funding_route_name(a->funding), "scholarship_eligibility", a->scholarship_eligibility, "state",
        application_state_name(a->state), "state_title", application_state_title(a->state), "decision_reason",
        a->decision_reason, "enrolment_id", a->enrolment_id ? json_integer(a->enrolment_id) : json_null(), "created_at",
        api_time_json(a->created_at), "updated_at", api_time_json(a->updated_at));
    dfe_json(doc, &a->dfe);
    return doc;
}

static void reply_application(struct request *request, int status, int64_t id)
{
    struct arena *arena = request_arena(request);
    struct application a;
    struct history_event *history;
    size_t count;
    enum store_status s = store_application_get(request->store, id, arena, &a);
    if (s == STORE_OK)
        s = store_application_history(request->store, id, arena, &history, &count);
    if (s != STORE_OK) {
        api_reply_store_status(request, s, "application");
        return;
    }
    json_t *doc = application_json(&a);
    json_object_set_new(doc, "history", api_history_json(history, count));
    reply_json(request, status, doc);
}

void api_applications_list(struct request *request)
{
    struct form *query = request_query(request);
    struct application_filter filter = {.state = -1};
    const char *state = form_get(query, "state");
    enum application_state parsed;
    struct errors errors = ERRORS_INIT;
    struct store_page page;
    paging_read(request, CURSOR_NUMBER, &page, &errors);
    if (state != NULL && *state != '\0') {
        if (application_state_parse(state, &parsed))
            filter.state = (int)parsed;
        else
            errors_add(&errors, "state",
                       "state must be one of draft, submitted, sponsor_approved, sponsor_declined, accepted, "
                       "rejected or enrolled, not \"%s\"",
                       state);
    }
    if (api_query_refused(request, &errors))
        return;
    struct application *list;
    size_t count, total;
    enum store_status s = store_application_list(request->store, request->caller, &filter, &page,
                                                 request_arena(request), &list, &count, &total);
    if (s != STORE_OK) {
        api_reply_store_status(request, s, "application");
        return;
    }
    json_t *array = json_array();
    for (size_t i = 0; i < count; i++)
        json_array_append_new(array, application_json(&list[i]));
    paging_link(request, &page);
    reply_json(request, 200, json_pack("{s:o, s:I}", "applications", array, "total", (json_int_t)total));
}

/* Reads an id member (absent or null: 0). */
static int64_t id_member(json_t *body, const char *key, struct errors *errors)
{
    json_t *v = json_object_get(body, key);
    if (v == NULL || json_is_null(v))
        return 0;
    if (!json_is_integer(v) || json_integer_value(v) <= 0) {
        errors_add(errors, key, "Must be the id of a record");
        return 0;
    }
    return json_integer_value(v);
}

/* Reads a string member into *out when present (keeps *out otherwise). */
static void string_member(json_t *body, const char *key, const char **out, struct errors *errors)
{
    json_t *v = json_object_get(body, key);
    if (v == NULL)
        return;
    if (json_is_null(v))
        *out = "";
    else if (json_is_string(v))
        *out = json_string_value(v);
    else
        errors_add(errors, key, "Must be a string");
}

/* Reads a true/false/null member into *out when present. */
static void flag_member(json_t *object, const char *key, enum dfe_flag *out, struct errors *errors)
{
    json_t *v = json_object_get(object, key);
    if (v == NULL)
        return;
    if (json_is_null(v))
        *out = DFE_UNKNOWN;
    else if (json_is_boolean(v))
        *out = json_is_true(v) ? DFE_YES : DFE_NO;
    else
        errors_add(errors, key, "Must be true, false or null");
}

/* Applies the DfE's terms in body, each member named as the lead-provider API names it; members
 * left out keep their values. */
static void read_dfe(json_t *body, struct dfe_application *d, struct errors *errors)
{
    string_member(body, "trn", &d->trn, errors);
    string_member(body, "school_urn", &d->school_urn, errors);
    string_member(body, "school_ukprn", &d->school_ukprn, errors);
    string_member(body, "employment_type", &d->employment_type, errors);
    string_member(body, "employer_name", &d->employer_name, errors);
    string_member(body, "headteacher_status", &d->headteacher_status, errors);
    flag_member(body, "works_as_senco", &d->works_as_senco, errors);
    string_member(body, "senco_start_date", &d->senco_start_date, errors);
    string_member(body, "funding_choice", &d->funding_choice, errors);
    flag_member(body, "eligible_for_funding", &d->eligible_for_funding, errors);
    flag_member(body, "funded_place", &d->funded_place, errors);
    string_member(body, "ineligibility_reason", &d->ineligibility_reason, errors);
    if (json_object_get(body, "rejection_reason_code") != NULL)
        errors_add(errors, "rejection_reason_code", "Is given as reason_code with the reject step");
}

/* Applies the answers in body to a (a new one or a draft). */
static void read_answers(struct request *request, json_t *body, struct application *a, struct errors *errors)
{
    const char *text = study_kind_name(a->kind);
    string_member(body, "kind", &text, errors);
    if (!study_kind_parse(text, &a->kind))
        errors_add(errors, "kind", "Kind must be qualification or module");
    string_member(body, "target", &a->target, errors);
    string_member(body, "job_role", &a->job_role, errors);
    string_member(body, "preferred_region", &a->preferred_region, errors);
    string_member(body, "scholarship_eligibility", &a->scholarship_eligibility, errors);
    text = delivery_model_name(a->delivery_model);
    string_member(body, "delivery_model", &text, errors);
    if (!delivery_model_parse(text, &a->delivery_model))
        errors_add(errors, "delivery_model", "Delivery must be blended or online");
    text = funding_route_name(a->funding);
    string_member(body, "funding_route", &text, errors);
    if (!funding_route_parse(text, &a->funding))
        errors_add(errors, "funding_route", "Funding must be school, self or scholarship");
    if (json_object_get(body, "school_id") != NULL)
        a->school_id = id_member(body, "school_id", errors);
    if (json_object_get(body, "sponsor_id") != NULL)
        a->sponsor_id = id_member(body, "sponsor_id", errors);
    if (json_object_get(body, "preferred_partner_id") != NULL)
        a->preferred_partner_id = id_member(body, "preferred_partner_id", errors);
    read_dfe(body, &a->dfe, errors);
    json_t *electives = json_object_get(body, "electives");
    if (electives != NULL) {
        if (!json_is_array(electives) || json_array_size(electives) > 20) {
            errors_add(errors, "electives", "Electives must be a list of module codes");
        } else {
            a->elective_count = json_array_size(electives);
            a->electives = arena_alloc(request_arena(request), sizeof(char *) * (a->elective_count + 1));
            for (size_t i = 0; i < a->elective_count; i++) {
                const char *code = json_string_value(json_array_get(electives, i));
                if (code == NULL)
                    errors_add(errors, "electives", "Electives must be a list of module codes");
                a->electives[i] = code ? code : "";
            }
        }
    }
}

static void save(struct request *request, struct application *a, json_t *body, int success)
{
    /* Eligibility is the provider's decision, never the applicant's own answer. */
    if (!caller_has(request->caller, ROLE_ADMIN) &&
        (json_object_get(body, "eligible_for_funding") != NULL || json_object_get(body, "funded_place") != NULL ||
         json_object_get(body, "ineligibility_reason") != NULL)) {
        api_reply_reason(request, APP_FORBIDDEN, "Only a provider administrator decides funding eligibility.");
        return;
    }
    struct errors errors = ERRORS_INIT;
    read_answers(request, body, a, &errors);
    const struct catalogue *catalogue = errors.count == 0 ? api_catalogue(request) : NULL;
    if (errors.count == 0 && catalogue == NULL)
        goto out; /* replied 503 */
    if (errors.count == 0) {
        struct actor actor;
        struct accounts_env env = request_accounts_env(request, &actor);
        enum app_result r = applications_save_draft(&env, catalogue, a, &errors);
        if (r == APP_OK)
            reply_application(request, success, a->id);
        else
            api_reply_result(request, r, &errors, "application");
        goto out;
    }
    api_reply_invalid(request, &errors);
out:
    errors_free(&errors);
}

void api_applications_create(struct request *request)
{
    json_t *body = api_read_object(request);
    if (body == NULL)
        return;
    struct application a = {.kind = STUDY_QUALIFICATION,
                            .target = "",
                            .job_role = "",
                            .preferred_region = "",
                            .scholarship_eligibility = "",
                            .participant_id = request->caller->user_id};
    struct errors errors = ERRORS_INIT;
    /* An administrator may apply on a participant's behalf; anyone else applies for themselves. */
    int64_t participant = id_member(body, "participant_id", &errors);
    if (participant != 0 && participant != request->caller->user_id) {
        if (!policy_acts_for_others(request->caller)) {
            api_reply_reason(request, APP_FORBIDDEN, "Only a provider administrator can apply for someone else.");
            goto out;
        }
        a.participant_id = participant;
    }
    if (errors.count > 0) {
        api_reply_invalid(request, &errors);
        goto out;
    }
    save(request, &a, body, 201);
out:
    errors_free(&errors);
    json_decref(body);
}

void api_application_get(struct request *request)
{
    reply_application(request, 200, request_param_id(request, 0));
}

void api_application_update(struct request *request)
{
    json_t *body = api_read_object(request);
    if (body == NULL)
        return;
    struct application a;
    int64_t id = request_param_id(request, 0);
    enum store_status s = store_application_get(request->store, id, request_arena(request), &a);
    if (s != STORE_OK)
        api_reply_store_status(request, s, "application");
    else if (!policy_may_change_application(request->caller, &request->relation))
        api_reply_reason(request, APP_FORBIDDEN, "Only the applicant or a provider administrator can change it.");
    else
        save(request, &a, body, 200);
    json_decref(body);
}

void api_application_step(struct request *request)
{
    char step_name[16];
    snprintf(step_name, sizeof(step_name), "%.*s", (int)request->params[1].len, request->params[1].ptr);
    enum application_step step;
    if (!application_step_parse(step_name, &step)) {
        api_reply_reason(request, APP_NOT_FOUND,
                         "There is no step \"%s\": use submit, approve, decline, accept, reject or enrol.", step_name);
        return;
    }
    /* The body is optional: {"reason": "...", "cohort_id": N}. */
    json_t *body = NULL;
    if (request_body(request).len > 0 && (body = api_read_object(request)) == NULL)
        return;
    struct errors errors = ERRORS_INIT;
    const char *reason = NULL, *reason_code = NULL;
    if (body != NULL) {
        string_member(body, "reason", &reason, &errors);
        string_member(body, "reason_code", &reason_code, &errors);
    }
    int64_t cohort_id = body ? id_member(body, "cohort_id", &errors) : 0;
    if (errors.count > 0) {
        api_reply_invalid(request, &errors);
        goto out;
    }
    const struct catalogue *catalogue = api_catalogue(request);
    if (catalogue == NULL)
        goto out;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    int64_t id = request_param_id(request, 0);
    enum app_result r =
        applications_step(&env, catalogue, request->caller, id, step, reason, reason_code, cohort_id, &errors);
    if (r == APP_OK)
        reply_application(request, 200, id);
    else
        api_reply_result(request, r, &errors, "application");
out:
    errors_free(&errors);
    json_decref(body);
}
