/*
 * The store's contract for cohorts, applications, enrolments, completed modules, fees and the
 * funding report: records kept as given, lists in the caller's scope, and state changes that are
 * compare-and-set, so a change made meanwhile is refused rather than overwritten.
 */
#include "fixture.h"

#include <string.h>

/* ---- Cohorts ---- */

static void a_cohort_is_created_found_and_listed_by_target(void **state)
{
    struct fixture *f = *state;
    int64_t partner = fx_organisation(f, ORG_DELIVERY_PARTNER, "North Partner");
    struct cohort c = {.code = "NPQH-2027-NW-1",
                       .kind = STUDY_QUALIFICATION,
                       .target = "NPQH",
                       .delivery_partner_id = partner,
                       .delivery_model = DELIVERY_ONLINE,
                       .starts_on = "2027-02-01",
                       .ends_on = "2028-07-31"};
    assert_int_equal(store_cohort_create(f->store, &f->admin, &c, f->now), STORE_OK);
    struct cohort got;
    assert_int_equal(store_cohort_get(f->store, c.id, &f->arena, &got), STORE_OK);
    assert_string_equal(got.code, "NPQH-2027-NW-1");
    assert_int_equal(got.kind, STUDY_QUALIFICATION);
    assert_string_equal(got.target, "NPQH");
    assert_int_equal(got.delivery_partner_id, partner);
    assert_string_equal(got.delivery_partner_name, "North Partner");
    assert_int_equal(got.delivery_model, DELIVERY_ONLINE);
    assert_string_equal(got.starts_on, "2027-02-01");
    assert_string_equal(got.ends_on, "2028-07-31");
    assert_int_equal(got.participant_count, 0);
    assert_int_equal(fx_audited(f, "cohort.create", "cohort", c.id), 1);

    int64_t other = fx_cohort(f, 0); /* NPQSL, no partner */
    int64_t pat = fx_person(f, "Pat Participant", ROLE_PARTICIPANT, 0, 0);
    fx_enrolment(f, pat, other);
    assert_int_equal(store_cohort_get(f->store, other, &f->arena, &got), STORE_OK);
    assert_int_equal(got.participant_count, 1);
    assert_int_equal(got.delivery_partner_id, 0);
    assert_null(got.delivery_partner_name);

    struct cohort *list;
    size_t count;
    assert_int_equal(store_cohort_list(f->store, "npqh", NULL, &f->arena, &list, &count), STORE_OK);
    assert_int_equal(count, 1);
    assert_int_equal(list[0].id, c.id);
    assert_int_equal(store_cohort_list(f->store, NULL, NULL, &f->arena, &list, &count), STORE_OK);
    assert_int_equal(count, 2);
    assert_string_equal(list[0].starts_on, "2027-01-01"); /* soonest first */
    assert_int_equal(store_cohort_get(f->store, 999999, &f->arena, &got), STORE_NOT_FOUND);
}

static void a_cohort_is_refused_for_a_taken_code_or_an_unknown_partner(void **state)
{
    struct fixture *f = *state;
    struct cohort c = {.code = "NPQSL-X",
                       .kind = STUDY_QUALIFICATION,
                       .target = "NPQSL",
                       .delivery_model = DELIVERY_BLENDED,
                       .starts_on = "2027-01-01",
                       .ends_on = "2027-12-31"};
    assert_int_equal(store_cohort_create(f->store, &f->admin, &c, f->now), STORE_OK);
    struct cohort twin = c;
    twin.code = "npqsl-x";
    assert_int_equal(store_cohort_create(f->store, &f->admin, &twin, f->now), STORE_CONFLICT);
    struct cohort lost = c;
    lost.code = "NPQSL-Y";
    lost.delivery_partner_id = 999999;
    assert_int_equal(store_cohort_create(f->store, &f->admin, &lost, f->now), STORE_NOT_FOUND);
    struct cohort *list;
    size_t count;
    assert_int_equal(store_cohort_list(f->store, NULL, NULL, &f->arena, &list, &count), STORE_OK);
    assert_int_equal(count, 1);
}

/* ---- Applications ---- */

static struct application draft_for(int64_t participant, int64_t school, int64_t sponsor, int64_t partner)
{
    static const char *electives[] = {"leading-teaching"};
    return (struct application){.participant_id = participant,
                                .kind = STUDY_QUALIFICATION,
                                .target = "NPQSL",
                                .school_id = school,
                                .job_role = "Deputy head",
                                .sponsor_id = sponsor,
                                .delivery_model = DELIVERY_BLENDED,
                                .preferred_region = "North West",
                                .preferred_partner_id = partner,
                                .funding = FUNDING_SCHOOL,
                                .electives = electives,
                                .elective_count = 1};
}

static void an_application_is_drafted_changed_while_a_draft_and_found(void **state)
{
    struct fixture *f = *state;
    int64_t school = fx_school(f, "Hill Primary");
    int64_t partner = fx_organisation(f, ORG_DELIVERY_PARTNER, "North Partner");
    int64_t head = fx_person(f, "Hana Head", ROLE_HEADTEACHER, school, school);
    int64_t pat = fx_person(f, "Pat Participant", ROLE_PARTICIPANT, 0, school);
    struct application a = draft_for(pat, school, head, partner);
    assert_int_equal(store_application_create(f->store, &f->admin, &a, f->now), STORE_OK);

    struct application got;
    assert_int_equal(store_application_get(f->store, a.id, &f->arena, &got), STORE_OK);
    assert_int_equal(got.participant_id, pat);
    assert_string_equal(got.participant_name, "Pat Participant");
    assert_string_equal(got.target, "NPQSL");
    assert_int_equal(got.school_id, school);
    assert_string_equal(got.school_name, "Hill Primary");
    assert_string_equal(got.job_role, "Deputy head");
    assert_int_equal(got.sponsor_id, head);
    assert_string_equal(got.sponsor_name, "Hana Head");
    assert_int_equal(got.preferred_partner_id, partner);
    assert_string_equal(got.preferred_partner_name, "North Partner");
    assert_int_equal(got.funding, FUNDING_SCHOOL);
    assert_int_equal(got.state, APPLICATION_DRAFT);
    assert_int_equal(got.elective_count, 1);
    assert_string_equal(got.electives[0], "leading-teaching");
    assert_int_equal(got.enrolment_id, 0);

    static const char *two[] = {"leading-teaching", "leading-change-for-improvement"};
    struct application changed = got;
    changed.job_role = "Head of maths";
    changed.funding = FUNDING_SELF;
    changed.electives = two;
    changed.elective_count = 2;
    assert_int_equal(store_application_update(f->store, &f->admin, &changed, f->now + 1), STORE_OK);
    assert_int_equal(store_application_get(f->store, a.id, &f->arena, &got), STORE_OK);
    assert_string_equal(got.job_role, "Head of maths");
    assert_int_equal(got.funding, FUNDING_SELF);
    assert_int_equal(got.elective_count, 2);
    assert_string_equal(got.electives[1], "leading-change-for-improvement");
    assert_int_equal(got.updated_at, f->now + 1);

    /* Once submitted, the answers are no longer the applicant's to change. */
    assert_int_equal(store_application_transition(f->store, &f->admin, a.id, APPLICATION_DRAFT, APPLICATION_SUBMITTED,
                                                  "submit", NULL, NULL, f->now + 2),
                     STORE_OK);
    changed.job_role = "Late change";
    assert_int_equal(store_application_update(f->store, &f->admin, &changed, f->now + 3), STORE_CONFLICT);
    assert_int_equal(store_application_get(f->store, a.id, &f->arena, &got), STORE_OK);
    assert_string_equal(got.job_role, "Head of maths");
    assert_int_equal(fx_audited(f, "application.create", "application", a.id), 1);
    assert_int_equal(fx_audited(f, "application.update", "application", a.id), 1);
}

static void an_application_naming_someone_unknown_is_refused(void **state)
{
    struct fixture *f = *state;
    int64_t pat = fx_person(f, "Pat Participant", ROLE_PARTICIPANT, 0, 0);
    struct application a = draft_for(999999, 0, 0, 0);
    assert_int_equal(store_application_create(f->store, &f->admin, &a, f->now), STORE_NOT_FOUND);
    a = draft_for(pat, 999999, 0, 0);
    assert_int_equal(store_application_create(f->store, &f->admin, &a, f->now), STORE_NOT_FOUND);
    a = draft_for(pat, 0, 999999, 0);
    assert_int_equal(store_application_create(f->store, &f->admin, &a, f->now), STORE_NOT_FOUND);
    struct application_filter all = {.state = -1};
    struct caller admin = fx_caller(f, f->admin_id);
    struct application *list;
    size_t count, total;
    assert_int_equal(store_application_list(f->store, &admin, &all, &(struct store_page){.limit = 10}, &f->arena, &list,
                                            &count, &total),
                     STORE_OK);
    assert_int_equal(count, 0);
    struct application got;
    assert_int_equal(store_application_get(f->store, 999999, &f->arena, &got), STORE_NOT_FOUND);

    /* Changing a draft to name someone unknown keeps the draft as it was. */
    a = draft_for(pat, 0, 0, 0);
    assert_int_equal(store_application_create(f->store, &f->admin, &a, f->now), STORE_OK);
    struct application bad = a;
    bad.sponsor_id = 999999;
    assert_int_equal(store_application_update(f->store, &f->admin, &bad, f->now), STORE_NOT_FOUND);
    assert_int_equal(store_application_get(f->store, a.id, &f->arena, &got), STORE_OK);
    assert_int_equal(got.sponsor_id, 0);
}

static void an_application_moves_only_from_the_state_it_is_in_and_keeps_its_history(void **state)
{
    struct fixture *f = *state;
    int64_t pat = fx_person(f, "Pat Participant", ROLE_PARTICIPANT, 0, 0);
    struct application a = draft_for(pat, 0, 0, 0);
    assert_int_equal(store_application_create(f->store, &f->admin, &a, f->now), STORE_OK);
    assert_int_equal(store_application_transition(f->store, &f->admin, a.id, APPLICATION_DRAFT, APPLICATION_SUBMITTED,
                                                  "submit", "", NULL, f->now + 1),
                     STORE_OK);
    /* Someone else moved it first: a second "submit" from draft is refused. */
    assert_int_equal(store_application_transition(f->store, &f->admin, a.id, APPLICATION_DRAFT, APPLICATION_SUBMITTED,
                                                  "submit", "", NULL, f->now + 2),
                     STORE_CONFLICT);
    assert_int_equal(store_application_transition(f->store, &f->admin, a.id, APPLICATION_SUBMITTED,
                                                  APPLICATION_REJECTED, "reject", "No funding this year", NULL,
                                                  f->now + 3),
                     STORE_OK);
    assert_int_equal(store_application_transition(f->store, &f->admin, 999999, APPLICATION_DRAFT, APPLICATION_SUBMITTED,
                                                  "submit", "", NULL, f->now),
                     STORE_CONFLICT);

    struct application got;
    assert_int_equal(store_application_get(f->store, a.id, &f->arena, &got), STORE_OK);
    assert_int_equal(got.state, APPLICATION_REJECTED);
    assert_string_equal(got.decision_reason, "No funding this year");
    struct history_event *history;
    size_t count;
    assert_int_equal(store_application_history(f->store, a.id, &f->arena, &history, &count), STORE_OK);
    assert_int_equal(count, 2);
    assert_string_equal(history[0].step, "submit");
    assert_string_equal(history[0].from_state, "draft");
    assert_string_equal(history[0].to_state, "submitted");
    assert_string_equal(history[0].actor_label, "ada.admin@example.org");
    assert_int_equal(history[0].at, f->now + 1);
    assert_string_equal(history[1].step, "reject");
    assert_string_equal(history[1].reason, "No funding this year");
    assert_int_equal(fx_audited(f, "application.step", "application", a.id), 2);

    assert_int_equal(store_application_set_enrolment(f->store, a.id, 42), STORE_OK);
    assert_int_equal(store_application_get(f->store, a.id, &f->arena, &got), STORE_OK);
    assert_int_equal(got.enrolment_id, 42);
}

static void lists_of_applications_keep_to_the_callers_scope(void **state)
{
    struct fixture *f = *state;
    int64_t school = fx_school(f, "Hill Primary"), other_school = fx_school(f, "Dale Academy");
    int64_t partner = fx_organisation(f, ORG_DELIVERY_PARTNER, "North Partner");
    int64_t head = fx_person(f, "Hana Head", ROLE_HEADTEACHER, school, school);
    int64_t lead = fx_person(f, "Lee Lead", ROLE_PARTNER_LEAD, partner, partner);
    int64_t sponsor = fx_person(f, "Sue Sponsor", ROLE_HEADTEACHER, other_school, other_school);
    int64_t pat = fx_person(f, "Pat Participant", ROLE_PARTICIPANT, 0, school);
    int64_t sam = fx_person(f, "Sam Participant", ROLE_PARTICIPANT, 0, other_school);
    struct application pa = draft_for(pat, school, 0, 0), sa = draft_for(sam, other_school, sponsor, partner);
    assert_int_equal(store_application_create(f->store, &f->admin, &pa, f->now), STORE_OK);
    assert_int_equal(store_application_create(f->store, &f->admin, &sa, f->now + 1), STORE_OK);
    assert_int_equal(store_application_transition(f->store, &f->admin, sa.id, APPLICATION_DRAFT, APPLICATION_SUBMITTED,
                                                  "submit", "", NULL, f->now + 2),
                     STORE_OK);

    struct application_filter all = {.state = -1};
    struct application *list;
    size_t count, total;
    struct caller c = fx_caller(f, f->admin_id);
    assert_int_equal(
        store_application_list(f->store, &c, &all, &(struct store_page){.limit = 10}, &f->arena, &list, &count, &total),
        STORE_OK);
    assert_int_equal(count, 2);
    assert_int_equal(total, 2);
    assert_int_equal(list[0].id, sa.id); /* the latest change first */
    assert_int_equal(list[0].elective_count, 1);

    const struct {
        int64_t who;
        int64_t sees;
    } scopes[] = {{pat, 0}, {sam, 1}, {head, 0}, {sponsor, 1}, {lead, 1}};
    int64_t ids[] = {pa.id, sa.id};
    for (size_t i = 0; i < sizeof(scopes) / sizeof(scopes[0]); i++) {
        c = fx_caller(f, scopes[i].who);
        assert_int_equal(store_application_list(f->store, &c, &all, &(struct store_page){.limit = 10}, &f->arena, &list,
                                                &count, &total),
                         STORE_OK);
        assert_int_equal(count, 1);
        assert_int_equal(list[0].id, ids[scopes[i].sees]);
    }

    struct application_filter drafts = {.state = APPLICATION_DRAFT};
    c = fx_caller(f, f->admin_id);
    assert_int_equal(store_application_list(f->store, &c, &drafts, &(struct store_page){.limit = 10}, &f->arena, &list,
                                            &count, &total),
                     STORE_OK);
    assert_int_equal(count, 1);
    assert_int_equal(list[0].id, pa.id);
    struct application_filter everything = {.state = -1};
    struct store_page page = {.limit = 1};
    assert_int_equal(store_application_list(f->store, &c, &everything, &page, &f->arena, &list, &count, &total),
                     STORE_OK);
    assert_true(store_page_advance(&page, &f->arena));
    assert_int_equal(store_application_list(f->store, &c, &everything, &page, &f->arena, &list, &count, &total),
                     STORE_OK);
    assert_null(page.next);
    assert_int_equal(count, 1);
    assert_int_equal(total, 2);
    assert_int_equal(list[0].id, pa.id);
}

/* ---- Enrolments ---- */

static void an_enrolment_is_created_once_per_live_qualification(void **state)
{
    struct fixture *f = *state;
    int64_t school = fx_school(f, "Hill Primary");
    int64_t cohort = fx_cohort(f, 0);
    int64_t pat = fx_person(f, "Pat Participant", ROLE_PARTICIPANT, 0, school);
    static const char *electives[] = {"leading-teaching"};
    struct enrolment e = {.participant_id = pat,
                          .kind = STUDY_QUALIFICATION,
                          .target = "NPQSL",
                          .cohort_id = cohort,
                          .delivery_model = DELIVERY_BLENDED,
                          .funding = FUNDING_SCHOLARSHIP,
                          .scholarship_eligibility = "Priority area",
                          .school_id = school,
                          .electives = electives,
                          .elective_count = 1};
    assert_int_equal(store_enrolment_create(f->store, &f->admin, &e, f->now), STORE_OK);
    struct enrolment got;
    assert_int_equal(store_enrolment_get(f->store, e.id, &f->arena, &got), STORE_OK);
    assert_int_equal(got.participant_id, pat);
    assert_string_equal(got.participant_name, "Pat Participant");
    assert_int_equal(got.cohort_id, cohort);
    assert_non_null(got.cohort_code);
    assert_int_equal(got.funding, FUNDING_SCHOLARSHIP);
    assert_string_equal(got.scholarship_eligibility, "Priority area");
    assert_int_equal(got.school_id, school);
    assert_string_equal(got.school_name, "Hill Primary");
    assert_int_equal(got.state, ENROLMENT_ACTIVE);
    assert_int_equal(got.elective_count, 1);
    assert_null(got.expected_return);
    assert_int_equal(fx_audited(f, "enrolment.create", "enrolment", e.id), 1);

    /* A second live one in the same qualification, in any case of its code, is refused. */
    struct enrolment twin = e;
    twin.target = "npqsl";
    assert_int_equal(store_enrolment_create(f->store, &f->admin, &twin, f->now), STORE_CONFLICT);
    struct enrolment other = e;
    other.target = "NPQH";
    assert_int_equal(store_enrolment_create(f->store, &f->admin, &other, f->now + 1), STORE_OK);

    /* Once withdrawn, the qualification may be taken again. */
    struct enrolment_change withdraw = {
        .from = ENROLMENT_ACTIVE, .to = ENROLMENT_WITHDRAWN, .step = "withdraw", .reason = "Moved school"};
    assert_int_equal(store_enrolment_transition(f->store, &f->admin, e.id, &withdraw, f->now + 2), STORE_OK);
    assert_int_equal(store_enrolment_create(f->store, &f->admin, &twin, f->now + 3), STORE_OK);

    struct enrolment *list;
    size_t count;
    assert_int_equal(store_enrolment_list_for(f->store, pat, &f->arena, &list, &count), STORE_OK);
    assert_int_equal(count, 3);
    assert_int_equal(list[0].id, twin.id); /* newest first */
    assert_int_equal(store_enrolment_get(f->store, 999999, &f->arena, &got), STORE_NOT_FOUND);
}

static void an_enrolment_moves_only_from_its_state_and_deferring_gives_up_its_places(void **state)
{
    struct fixture *f = *state;
    int64_t cohort = fx_cohort(f, 0), later = fx_cohort(f, 0);
    int64_t pat = fx_person(f, "Pat Participant", ROLE_PARTICIPANT, 0, 0);
    int64_t sam = fx_person(f, "Sam Participant", ROLE_PARTICIPANT, 0, 0);
    int64_t id = fx_enrolment(f, pat, cohort);
    fx_enrolment(f, sam, cohort);
    int64_t event = fx_event(f, cohort, 2), booking = 0;
    assert_int_equal(store_booking_create(f->store, &f->actor, event, pat, f->now, &booking), STORE_OK);
    assert_int_equal(store_booking_create(f->store, &f->actor, event, sam, f->now, &booking), STORE_OK);

    struct enrolment_change defer = {.from = ENROLMENT_ACTIVE,
                                     .to = ENROLMENT_DEFERRED,
                                     .step = "defer",
                                     .reason = "Illness",
                                     .expected_return = "2027-09-01"};
    assert_int_equal(store_begin(f->store), STORE_OK);
    assert_int_equal(store_enrolment_transition(f->store, &f->admin, id, &defer, f->now + 10), STORE_OK);
    assert_int_equal(store_enrolment_bookings_release(f->store, id, f->now + 10), STORE_OK);
    assert_int_equal(store_commit(f->store), STORE_OK);
    assert_int_equal(store_enrolment_transition(f->store, &f->admin, id, &defer, f->now + 11), STORE_CONFLICT);

    struct enrolment got;
    assert_int_equal(store_enrolment_get(f->store, id, &f->arena, &got), STORE_OK);
    assert_int_equal(got.state, ENROLMENT_DEFERRED);
    assert_string_equal(got.reason, "Illness");
    assert_string_equal(got.expected_return, "2027-09-01");
    /* The place is given back: someone else can take it. */
    bool booked = true;
    assert_int_equal(store_booking_exists(f->store, event, pat, &booked), STORE_OK);
    assert_false(booked);
    struct event e;
    assert_int_equal(store_event_get(f->store, event, &f->arena, &e), STORE_OK);
    assert_int_equal(e.booked, 1);

    struct enrolment_change nowhere = {
        .from = ENROLMENT_DEFERRED, .to = ENROLMENT_ACTIVE, .step = "resume", .cohort_id = 999999};
    assert_int_equal(store_enrolment_transition(f->store, &f->admin, id, &nowhere, f->now + 12), STORE_NOT_FOUND);
    struct enrolment_change resume = {
        .from = ENROLMENT_DEFERRED, .to = ENROLMENT_ACTIVE, .step = "resume", .cohort_id = later};
    assert_int_equal(store_enrolment_transition(f->store, &f->admin, id, &resume, f->now + 13), STORE_OK);
    assert_int_equal(store_enrolment_get(f->store, id, &f->arena, &got), STORE_OK);
    assert_int_equal(got.state, ENROLMENT_ACTIVE);
    assert_int_equal(got.cohort_id, later);
    assert_null(got.expected_return);

    struct history_event *history;
    size_t count;
    assert_int_equal(store_enrolment_history(f->store, id, &f->arena, &history, &count), STORE_OK);
    assert_int_equal(count, 3);
    assert_string_equal(history[0].step, "enrol");
    assert_string_equal(history[1].step, "defer");
    assert_string_equal(history[1].to_state, "deferred");
    assert_string_equal(history[2].step, "resume");
    assert_int_equal(fx_audited(f, "enrolment.step", "enrolment", id), 2);
    assert_int_equal(store_enrolment_transition(f->store, &f->admin, 999999, &defer, f->now), STORE_CONFLICT);
}

static void lists_of_enrolments_keep_to_the_callers_scope(void **state)
{
    struct fixture *f = *state;
    int64_t school = fx_school(f, "Hill Primary");
    int64_t partner = fx_organisation(f, ORG_DELIVERY_PARTNER, "North Partner");
    int64_t lead = fx_person(f, "Lee Lead", ROLE_PARTNER_LEAD, partner, 0);
    int64_t head = fx_person(f, "Hana Head", ROLE_HEADTEACHER, school, school);
    int64_t coach = fx_person(f, "Cody Coach", ROLE_COACH, 0, 0);
    int64_t pat = fx_person(f, "Pat Participant", ROLE_PARTICIPANT, 0, school);
    int64_t sam = fx_person(f, "Sam Participant", ROLE_PARTICIPANT, 0, 0);
    int64_t kim = fx_person(f, "Kim Participant", ROLE_PARTICIPANT, 0, 0);
    int64_t a = 0;
    assert_int_equal(store_assignment_create(f->store, &f->actor, ROLE_COACH, coach, kim, f->now, &a), STORE_OK);
    struct enrolment pe = {.participant_id = pat,
                           .kind = STUDY_QUALIFICATION,
                           .target = "NPQSL",
                           .cohort_id = fx_cohort(f, 0),
                           .funding = FUNDING_SCHOOL,
                           .school_id = school};
    assert_int_equal(store_enrolment_create(f->store, &f->actor, &pe, f->now), STORE_OK);
    int64_t se = fx_enrolment(f, sam, fx_cohort(f, partner));
    int64_t ke = fx_enrolment(f, kim, 0);

    struct enrolment *list;
    size_t count, total;
    struct caller c = fx_caller(f, f->admin_id);
    assert_int_equal(
        store_enrolment_list(f->store, &c, &(struct store_page){.limit = 10}, &f->arena, &list, &count, &total),
        STORE_OK);
    assert_int_equal(count, 3);
    assert_int_equal(total, 3);
    assert_int_equal(list[0].id, ke); /* newest first */
    struct store_page page = {.limit = 1};
    for (int i = 0; i < 3; i++) { /* the third page of one, by cursor */
        assert_int_equal(store_enrolment_list(f->store, &c, &page, &f->arena, &list, &count, &total), STORE_OK);
        assert_true(i == 2 ? page.next == NULL : store_page_advance(&page, &f->arena));
    }
    assert_int_equal(count, 1);
    assert_int_equal(total, 3);
    assert_int_equal(list[0].id, pe.id);

    const struct {
        int64_t who, sees;
    } scopes[] = {{lead, se}, {head, pe.id}, {coach, ke}, {pat, pe.id}, {sam, se}};
    for (size_t i = 0; i < sizeof(scopes) / sizeof(scopes[0]); i++) {
        c = fx_caller(f, scopes[i].who);
        assert_int_equal(
            store_enrolment_list(f->store, &c, &(struct store_page){.limit = 10}, &f->arena, &list, &count, &total),
            STORE_OK);
        assert_int_equal(count, 1);
        assert_int_equal(list[0].id, scopes[i].sees);
    }

    struct relation r;
    c = fx_caller(f, lead);
    assert_int_equal(store_relation(f->store, &c, RESOURCE_ENROLMENT, se, &r), STORE_OK);
    assert_true(r.exists && r.partner_record);
    c = fx_caller(f, head);
    assert_int_equal(store_relation(f->store, &c, RESOURCE_ENROLMENT, pe.id, &r), STORE_OK);
    assert_true(r.exists && r.at_own_school && !r.partner_record);
    c = fx_caller(f, coach);
    assert_int_equal(store_relation(f->store, &c, RESOURCE_ENROLMENT, ke, &r), STORE_OK);
    assert_true(r.exists && r.coached);
    assert_int_equal(store_relation(f->store, &c, RESOURCE_ENROLMENT, 999999, &r), STORE_OK);
    assert_false(r.exists);
}

/* ---- Completed modules, fees, the funding report ---- */

static void a_completed_module_is_recorded_once(void **state)
{
    struct fixture *f = *state;
    int64_t pat = fx_person(f, "Pat Participant", ROLE_PARTICIPANT, 0, 0);
    int64_t e = fx_enrolment(f, pat, 0);
    assert_int_equal(store_completion_record(f->store, &f->admin, pat, "leading-teaching", "2027-03-01", e, "", f->now),
                     STORE_OK);
    assert_int_equal(store_completion_record(f->store, &f->admin, pat, "leading-change-for-improvement", "2027-02-01",
                                             0, "Recognised from earlier study", f->now),
                     STORE_OK);
    assert_int_equal(store_completion_record(f->store, &f->admin, pat, "LEADING-TEACHING", "2027-04-01", e, "", f->now),
                     STORE_CONFLICT);
    struct completed_module *done;
    size_t count;
    assert_int_equal(store_completions(f->store, pat, &f->arena, &done, &count), STORE_OK);
    assert_int_equal(count, 2);
    assert_string_equal(done[0].code, "leading-change-for-improvement"); /* oldest first */
    assert_string_equal(done[0].completed_on, "2027-02-01");
    assert_string_equal(done[1].code, "leading-teaching");
    assert_int_equal(fx_audited(f, "completion.record", "user", pat), 2);
    assert_int_equal(store_completions(f->store, f->admin_id, &f->arena, &done, &count), STORE_OK);
    assert_int_equal(count, 0);
}

static void fees_are_set_replaced_and_listed(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(store_fee_set(f->store, &f->admin, STUDY_QUALIFICATION, "NPQSL", 250000, f->now), STORE_OK);
    assert_int_equal(store_fee_set(f->store, &f->admin, STUDY_MODULE, "leading-teaching", -1, f->now), STORE_OK);
    assert_int_equal(store_fee_set(f->store, &f->admin, STUDY_QUALIFICATION, "npqsl", 260000, f->now), STORE_OK);
    struct fee *fees;
    size_t count;
    assert_int_equal(store_fee_list(f->store, &f->arena, &fees, &count), STORE_OK);
    assert_int_equal(count, 2);
    assert_int_equal(fees[0].kind, STUDY_QUALIFICATION);
    assert_int_equal(fees[0].amount_pence, 260000);
    assert_int_equal(fees[1].kind, STUDY_MODULE);
    assert_string_equal(fees[1].code, "leading-teaching");
    assert_int_equal(fees[1].amount_pence, -1); /* to be confirmed */
    assert_int_equal(fx_audited(f, "fee.set", "fee", 0), 3);
}

static void the_funding_report_counts_enrolments_by_route_and_school(void **state)
{
    struct fixture *f = *state;
    int64_t school = fx_school(f, "Hill Primary");
    int64_t cohort = fx_cohort(f, 0);
    for (int i = 0; i < 3; i++) {
        int64_t p = fx_person(f, "Pat Participant", ROLE_PARTICIPANT, 0, school);
        struct enrolment e = {.participant_id = p,
                              .kind = STUDY_QUALIFICATION,
                              .target = "NPQSL",
                              .cohort_id = cohort,
                              .funding = i < 2 ? FUNDING_SCHOOL : FUNDING_SELF,
                              .school_id = i < 2 ? school : 0};
        assert_int_equal(store_enrolment_create(f->store, &f->actor, &e, f->now), STORE_OK);
        if (i == 1) {
            struct enrolment_change withdraw = {
                .from = ENROLMENT_ACTIVE, .to = ENROLMENT_WITHDRAWN, .step = "withdraw"};
            assert_int_equal(store_enrolment_transition(f->store, &f->actor, e.id, &withdraw, f->now), STORE_OK);
        }
    }
    struct funding_row *rows;
    size_t count;
    assert_int_equal(store_report_funding(f->store, NULL, 10, &f->arena, &rows, &count), STORE_OK);
    assert_int_equal(count, 2);
    struct funding_row *rest;
    size_t rest_count;
    assert_int_equal(store_report_funding(f->store, NULL, 1, &f->arena, &rest, &rest_count), STORE_OK);
    assert_int_equal(rest_count, 1); /* a batch of one, then the one after it, then none */
    assert_int_equal(store_report_funding(f->store, &rest[0], 1, &f->arena, &rest, &rest_count), STORE_OK);
    assert_int_equal(rest_count, 1);
    assert_string_equal(rest[0].funding_route, "self");
    assert_int_equal(store_report_funding(f->store, &rest[0], 1, &f->arena, &rest, &rest_count), STORE_OK);
    assert_int_equal(rest_count, 0);
    assert_string_equal(rows[0].funding_route, "school");
    assert_int_equal(rows[0].school_id, school);
    assert_string_equal(rows[0].school_name, "Hill Primary");
    assert_int_equal(rows[0].enrolments, 1); /* not the withdrawn one */
    assert_string_equal(rows[1].funding_route, "self");
    assert_int_equal(rows[1].school_id, 0);
    assert_string_equal(rows[1].school_name, "");
    assert_int_equal(rows[1].enrolments, 1);
}

int main(void)
{
#define TEST(name) cmocka_unit_test_setup_teardown(name, fixture_setup, fixture_teardown)
    const struct CMUnitTest tests[] = {
        TEST(a_cohort_is_created_found_and_listed_by_target),
        TEST(a_cohort_is_refused_for_a_taken_code_or_an_unknown_partner),
        TEST(an_application_is_drafted_changed_while_a_draft_and_found),
        TEST(an_application_naming_someone_unknown_is_refused),
        TEST(an_application_moves_only_from_the_state_it_is_in_and_keeps_its_history),
        TEST(lists_of_applications_keep_to_the_callers_scope),
        TEST(an_enrolment_is_created_once_per_live_qualification),
        TEST(an_enrolment_moves_only_from_its_state_and_deferring_gives_up_its_places),
        TEST(lists_of_enrolments_keep_to_the_callers_scope),
        TEST(a_completed_module_is_recorded_once),
        TEST(fees_are_set_replaced_and_listed),
        TEST(the_funding_report_counts_enrolments_by_route_and_school),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
