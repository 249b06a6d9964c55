/*
 * The store's contract for awards, Master's credits and a transcript's hours: the evidence an
 * award rests on, one award per enrolment with a certificate number no other award shares, and
 * verification by the exact secret code only.
 */
#include "fixture.h"

#include <string.h>

static int64_t final_task(struct fixture *f, const char *qualification)
{
    struct assessment_criterion one[] = {{"Reflects on the year", ""}};
    struct assessment_task t = {.kind = TASK_FINAL,
                                .target = qualification,
                                .title = "Final assessment",
                                .deadline = f->now + 86400,
                                .max_resubmissions = 1,
                                .max_file_bytes = TASK_FILE_BYTES_DEFAULT,
                                .criteria = one,
                                .criteria_count = 1};
    assert_int_equal(store_task_create(f->store, &f->actor, &t, f->now), STORE_OK);
    return t.id;
}

/* Submits a first version of work on task and releases outcome for it. */
static void released(struct fixture *f, int64_t task, int64_t enrolment, int64_t participant, enum mark_outcome outcome)
{
    int64_t submission = fx_submission(f, task, enrolment, participant), version = 0;
    assert_int_equal(fx_submit(f->store, &f->actor, submission, 1, SUBMISSION_DRAFT, f->now, &version), STORE_OK);
    assert_int_equal(store_result_release(f->store, &f->actor, submission, version, outcome, SUBMISSION_SUBMITTED,
                                          SUBMISSION_RELEASED, f->now),
                     STORE_OK);
}

static void attend(struct fixture *f, int64_t cohort, int64_t person, enum delivery_event_kind kind,
                   enum delivery_attendance_mark mark, bool cancel)
{
    struct event e = {.cohort_id = cohort,
                      .kind = kind,
                      .title = "Session",
                      .joining_url = "https://x.example",
                      .starts_at = f->now + 3600,
                      .ends_at = f->now + 7200,
                      .capacity = 10};
    assert_int_equal(store_event_create(f->store, &f->actor, &e, f->now), STORE_OK);
    int64_t booking = 0;
    assert_int_equal(store_booking_create(f->store, &f->actor, e.id, person, f->now, &booking), STORE_OK);
    assert_int_equal(store_attendance_set(f->store, &f->actor, e.id, person, NULL, mark, "", f->now + 3600), STORE_OK);
    if (cancel)
        assert_int_equal(store_event_cancel(f->store, &f->actor, e.id, f->now + 3700), STORE_OK);
}

static void the_evidence_counts_a_passed_final_and_events_attended_in_every_cohort_of_the_enrolment(void **state)
{
    struct fixture *f = *state;
    int64_t pat = fx_person(f, "Pat Participant", ROLE_PARTICIPANT, 0, 0);
    int64_t first = fx_cohort(f, 0), later = fx_cohort(f, 0), elsewhere = fx_cohort(f, 0);
    int64_t enrolment = fx_enrolment(f, pat, first);
    attend(f, first, pat, DELIVERY_EVENT_FACE_TO_FACE, DELIVERY_ATTENDANCE_PRESENT, false);
    attend(f, first, pat, DELIVERY_EVENT_VIRTUAL_LIVE, DELIVERY_ATTENDANCE_LATE, false);
    attend(f, first, pat, DELIVERY_EVENT_FACE_TO_FACE, DELIVERY_ATTENDANCE_ABSENT, false);
    attend(f, first, pat, DELIVERY_EVENT_FACE_TO_FACE, DELIVERY_ATTENDANCE_PRESENT, true); /* cancelled: no count */
    attend(f, elsewhere, pat, DELIVERY_EVENT_FACE_TO_FACE, DELIVERY_ATTENDANCE_PRESENT, false);

    struct award_evidence ev;
    assert_int_equal(store_award_evidence(f->store, enrolment, pat, "NPQSL", &ev), STORE_OK);
    assert_false(ev.final_assessment_passed);
    assert_int_equal(ev.face_to_face_attended, 1);
    assert_int_equal(ev.virtual_attended, 1);

    /* Deferred and resumed in a later cohort: the first cohort's events still count. */
    struct enrolment_change defer = {
        .from = ENROLMENT_ACTIVE, .to = ENROLMENT_DEFERRED, .step = "defer", .expected_return = "2027-09-01"};
    struct enrolment_change resume = {
        .from = ENROLMENT_DEFERRED, .to = ENROLMENT_ACTIVE, .step = "resume", .cohort_id = later};
    assert_int_equal(store_enrolment_transition(f->store, &f->actor, enrolment, &defer, f->now), STORE_OK);
    assert_int_equal(store_enrolment_transition(f->store, &f->actor, enrolment, &resume, f->now), STORE_OK);
    attend(f, later, pat, DELIVERY_EVENT_FACE_TO_FACE, DELIVERY_ATTENDANCE_PRESENT, false);
    assert_int_equal(store_award_evidence(f->store, enrolment, pat, "NPQSL", &ev), STORE_OK);
    assert_int_equal(ev.face_to_face_attended, 2);

    /* A referred final is no pass; a released pass is, for that qualification only. */
    int64_t task = final_task(f, "NPQSL");
    released(f, task, enrolment, pat, OUTCOME_REFER);
    assert_int_equal(store_award_evidence(f->store, enrolment, pat, "NPQSL", &ev), STORE_OK);
    assert_false(ev.final_assessment_passed);
    int64_t second = final_task(f, "NPQSL");
    released(f, second, enrolment, pat, OUTCOME_PASS);
    assert_int_equal(store_award_evidence(f->store, enrolment, pat, "npqsl", &ev), STORE_OK);
    assert_true(ev.final_assessment_passed);
    assert_int_equal(store_award_evidence(f->store, enrolment, pat, "NPQH", &ev), STORE_OK);
    assert_false(ev.final_assessment_passed);
}

static void an_enrolment_is_awarded_once_with_a_number_of_its_own(void **state)
{
    struct fixture *f = *state;
    int64_t pat = fx_person(f, "Pat Participant", ROLE_PARTICIPANT, 0, 0);
    int64_t sam = fx_person(f, "Sam Participant", ROLE_PARTICIPANT, 0, 0);
    int64_t pe = fx_enrolment(f, pat, 0), se = fx_enrolment(f, sam, 0);
    struct award a = {.participant_id = pat,
                      .enrolment_id = pe,
                      .qualification = "NPQSL",
                      .awarded_on = "2027-07-01",
                      .verification_code = "Secret-Code-1"};
    assert_int_equal(store_award_create(f->store, &f->admin, &a, 2027, &f->arena, f->now), STORE_OK);
    assert_true(a.id > 0);
    assert_true(award_certificate_number_valid(a.certificate_number));
    char expected[AWARD_NUMBER_TEXT];
    award_certificate_number("NPQSL", 2027, a.id, expected);
    assert_string_equal(a.certificate_number, expected);

    struct award again = {.participant_id = pat,
                          .enrolment_id = pe,
                          .qualification = "NPQSL",
                          .awarded_on = "2027-07-02",
                          .verification_code = "Secret-Code-2"};
    assert_int_equal(store_award_create(f->store, &f->admin, &again, 2027, &f->arena, f->now), STORE_CONFLICT);
    struct award b = {.participant_id = sam,
                      .enrolment_id = se,
                      .qualification = "NPQSL",
                      .awarded_on = "2027-07-03",
                      .verification_code = "Secret-Code-3"};
    assert_int_equal(store_award_create(f->store, &f->admin, &b, 2027, &f->arena, f->now + 1), STORE_OK);
    assert_string_not_equal(a.certificate_number, b.certificate_number);

    struct award got;
    assert_int_equal(store_award_get(f->store, a.id, &f->arena, &got), STORE_OK);
    assert_string_equal(got.certificate_number, a.certificate_number);
    assert_string_equal(got.verification_code, "Secret-Code-1");
    assert_int_equal(got.participant_id, pat);
    assert_string_equal(got.participant_name, "Pat Participant");
    assert_int_equal(got.enrolment_id, pe);
    assert_string_equal(got.qualification, "NPQSL");
    assert_string_equal(got.awarded_on, "2027-07-01");
    assert_int_equal(got.awarded_by, f->admin_id);
    assert_int_equal(got.created_at, f->now);
    assert_int_equal(store_award_get(f->store, 999999, &f->arena, &got), STORE_NOT_FOUND);
    assert_int_equal(store_award_for_enrolment(f->store, se, &f->arena, &got), STORE_OK);
    assert_int_equal(got.id, b.id);
    assert_int_equal(store_award_for_enrolment(f->store, 999999, &f->arena, &got), STORE_NOT_FOUND);

    /* Verified by the exact code only. */
    assert_int_equal(store_award_find_by_code(f->store, "Secret-Code-1", &f->arena, &got), STORE_OK);
    assert_int_equal(got.id, a.id);
    assert_int_equal(store_award_find_by_code(f->store, "secret-code-1", &f->arena, &got), STORE_NOT_FOUND);
    assert_int_equal(store_award_find_by_code(f->store, "Secret-Code-2", &f->arena, &got), STORE_NOT_FOUND);

    /* The audit log keeps the number, never the secret. */
    struct audit_filter filter = {.action = "award.create"};
    struct audit_event *events;
    size_t n, total;
    assert_int_equal(
        store_audit_list(f->store, &filter, &(struct store_page){.limit = 10}, &f->arena, &events, &n, &total),
        STORE_OK);
    assert_int_equal(n, 2);
    for (size_t i = 0; i < n; i++)
        assert_null(strstr(events[i].after, "Secret-Code"));

    struct award *list;
    size_t count;
    assert_int_equal(store_award_list(f->store, 0, &(struct store_page){.limit = 10}, &f->arena, &list, &count, &total),
                     STORE_OK);
    assert_int_equal(count, 2);
    assert_int_equal(total, 2);
    assert_int_equal(list[0].id, b.id); /* newest first */
    assert_int_equal(
        store_award_list(f->store, pat, &(struct store_page){.limit = 10}, &f->arena, &list, &count, &total), STORE_OK);
    assert_int_equal(count, 1);
    assert_int_equal(list[0].id, a.id);
    struct store_page page = {.limit = 1};
    assert_int_equal(store_award_list(f->store, 0, &page, &f->arena, &list, &count, &total), STORE_OK);
    assert_true(store_page_advance(&page, &f->arena));
    assert_int_equal(store_award_list(f->store, 0, &page, &f->arena, &list, &count, &total), STORE_OK);
    assert_null(page.next);
    assert_int_equal(count, 1);
    assert_int_equal(total, 2);
    assert_int_equal(list[0].id, a.id);

    /* Narrowed by day, both ends included (a on 1 July, b on 3 July). */
    struct award_filter from_second = {.qualification = "NPQSL", .awarded_from = "2027-07-02"};
    assert_int_equal(
        store_award_search(f->store, &from_second, &(struct store_page){.limit = 10}, &f->arena, &list, &count, &total),
        STORE_OK);
    assert_int_equal(count, 1);
    assert_int_equal(list[0].id, b.id);
    struct award_filter first_only = {.awarded_from = "2027-07-01", .awarded_to = "2027-07-01"};
    assert_int_equal(
        store_award_search(f->store, &first_only, &(struct store_page){.limit = 10}, &f->arena, &list, &count, &total),
        STORE_OK);
    assert_int_equal(count, 1);
    assert_int_equal(total, 1);
    assert_int_equal(list[0].id, a.id);
    struct award_filter other_qualification = {.qualification = "NPQH"};
    assert_int_equal(store_award_search(f->store, &other_qualification, &(struct store_page){.limit = 10}, &f->arena,
                                        &list, &count, &total),
                     STORE_OK);
    assert_int_equal(count, 0);
}

static void credits_are_set_replaced_and_listed_by_module(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(
        store_module_credit_set(f->store, &f->admin, "leading-teaching", 30, "Northern University", f->now), STORE_OK);
    assert_int_equal(store_module_credit_set(f->store, &f->admin, "leading-change-for-improvement", 20, "", f->now),
                     STORE_OK);
    assert_int_equal(store_module_credit_set(f->store, &f->admin, "Leading-Teaching", 40, NULL, f->now + 1), STORE_OK);
    assert_int_equal(store_module_credit_set(f->store, &f->admin, "leading-teaching", 500, NULL, f->now + 2),
                     STORE_CONFLICT); /* more than any degree holds */
    struct module_credit *credits;
    size_t count;
    assert_int_equal(store_module_credit_list(f->store, &f->arena, &credits, &count), STORE_OK);
    assert_int_equal(count, 2);
    assert_string_equal(credits[0].module, "leading-change-for-improvement");
    assert_int_equal(credits[0].credits, 20);
    assert_int_equal(credits[1].credits, 40);
    assert_string_equal(credits[1].awarding_body, "");
    assert_int_equal(credits[1].updated_at, f->now + 1);
    assert_int_equal(fx_audited(f, "module_credit.set", "module", 0), 3);
}

static void a_transcripts_hours_are_summed_per_module_verified_or_not(void **state)
{
    struct fixture *f = *state;
    int64_t pat = fx_person(f, "Pat Participant", ROLE_PARTICIPANT, 0, 0);
    int64_t first = fx_enrolment(f, pat, 0);
    struct enrolment module = {
        .participant_id = pat, .kind = STUDY_MODULE, .target = "leading-teaching", .funding = FUNDING_SELF};
    assert_int_equal(store_enrolment_create(f->store, &f->actor, &module, f->now), STORE_OK);
    const struct {
        int64_t enrolment;
        const char *module;
        int quarter_hours;
        bool verify;
    } entries[] = {{first, "leading-teaching", 8, true},
                   {module.id, "leading-teaching", 4, false},
                   {first, "leading-change-for-improvement", 6, false}};
    for (size_t i = 0; i < 3; i++) {
        struct activity a = {.enrolment_id = entries[i].enrolment,
                             .participant_id = pat,
                             .module = entries[i].module,
                             .type = DELIVERY_ACTIVITY_READING,
                             .done_on = "2027-01-02",
                             .quarter_hours = entries[i].quarter_hours};
        assert_int_equal(store_activity_create(f->store, &f->actor, &a, 200, f->now), STORE_OK);
        if (entries[i].verify)
            assert_int_equal(store_activity_verify(f->store, &f->actor, a.enrolment_id, a.id, f->admin_id, f->now),
                             STORE_OK);
    }
    struct module_hours *hours;
    size_t count;
    assert_int_equal(store_module_hours(f->store, pat, &f->arena, &hours, &count), STORE_OK);
    assert_int_equal(count, 2);
    assert_string_equal(hours[0].module, "leading-change-for-improvement");
    assert_int_equal(hours[0].verified_quarter_hours, 0);
    assert_int_equal(hours[0].unverified_quarter_hours, 6);
    assert_string_equal(hours[1].module, "leading-teaching"); /* over both enrolments */
    assert_int_equal(hours[1].verified_quarter_hours, 8);
    assert_int_equal(hours[1].unverified_quarter_hours, 4);
}

int main(void)
{
#define TEST(name) cmocka_unit_test_setup_teardown(name, fixture_setup, fixture_teardown)
    const struct CMUnitTest tests[] = {
        TEST(the_evidence_counts_a_passed_final_and_events_attended_in_every_cohort_of_the_enrolment),
        TEST(an_enrolment_is_awarded_once_with_a_number_of_its_own),
        TEST(credits_are_set_replaced_and_listed_by_module),
        TEST(a_transcripts_hours_are_summed_per_module_verified_or_not),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
