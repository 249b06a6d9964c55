/*
 * The DfE's terms: formats of TRN, URN and UKPRN at their edges, the codes the DfE defines, which
 * declaration types each course group has, and when a participant may change schedule.
 */
#include "../test_support.h"

#include "domain/dfe.h"

static void a_trn_is_seven_digits(void **state)
{
    (void)state;
    assert_true(dfe_trn_valid("1234567"));
    assert_true(dfe_trn_valid("0000001"));
    assert_false(dfe_trn_valid("123456"));
    assert_false(dfe_trn_valid("12345678"));
    assert_false(dfe_trn_valid("12345a7"));
    assert_false(dfe_trn_valid(" 1234567"));
    assert_false(dfe_trn_valid(""));
    assert_false(dfe_trn_valid(NULL));
}

static void a_urn_is_six_digits_or_an_early_years_urn(void **state)
{
    (void)state;
    assert_true(dfe_urn_valid("106286"));
    assert_true(dfe_urn_valid("EY944860"));
    assert_false(dfe_urn_valid("10628"));
    assert_false(dfe_urn_valid("1062860"));
    assert_false(dfe_urn_valid("EY94486"));
    assert_false(dfe_urn_valid("ey944860"));
    assert_false(dfe_urn_valid("XY944860"));
    assert_false(dfe_urn_valid(""));
}

static void a_ukprn_is_eight_digits_beginning_with_one(void **state)
{
    (void)state;
    assert_true(dfe_ukprn_valid("10079319"));
    assert_false(dfe_ukprn_valid("20079319"));
    assert_false(dfe_ukprn_valid("1007931"));
    assert_false(dfe_ukprn_valid("100793190"));
    assert_false(dfe_ukprn_valid("1007931x"));
}

static void every_course_the_dfe_funds_has_its_group(void **state)
{
    (void)state;
    assert_int_equal(dfe_course_count, 12);
    assert_string_equal(dfe_course_find("npq-senior-leadership")->course_group, "leadership");
    assert_string_equal(dfe_course_find("npq-early-years-leadership")->course_group, "leadership");
    assert_string_equal(dfe_course_find("npq-leading-primary-mathematics")->course_group, "specialist");
    assert_string_equal(dfe_course_find("npq-early-headship-coaching-offer")->course_group, "ehco");
    assert_string_equal(dfe_course_find("npq-additional-support-offer")->course_group, "support");
    assert_true(dfe_course_find("npq-senco")->needs_senco_details);
    assert_false(dfe_course_find("npq-headship")->needs_senco_details);
    assert_null(dfe_course_find("npq-middle-leadership"));
    assert_null(dfe_course_find("NPQ-HEADSHIP"));
    for (size_t i = 0; i < dfe_course_count; i++)
        assert_non_null(dfe_code_find(&dfe_course_groups, dfe_courses[i].course_group));
}

static void schedules_belong_to_one_course_group(void **state)
{
    (void)state;
    assert_string_equal(dfe_schedule_course_group("npq-leadership-autumn"), "leadership");
    assert_string_equal(dfe_schedule_course_group("npq-specialist-spring"), "specialist");
    assert_string_equal(dfe_schedule_course_group("npq-ehco-december"), "ehco");
    assert_string_equal(dfe_schedule_course_group("npq-aso-march"), "support");
    assert_null(dfe_schedule_course_group("npq-leadership-summer"));
    assert_null(dfe_schedule_course_group(NULL));
}

static void retained_two_is_not_a_specialist_declaration(void **state)
{
    (void)state;
    assert_true(dfe_declaration_type_allowed("leadership", "retained-2"));
    assert_true(dfe_declaration_type_allowed("ehco", "retained-2"));
    assert_false(dfe_declaration_type_allowed("specialist", "retained-2"));
    assert_true(dfe_declaration_type_allowed("specialist", "retained-1"));
    assert_true(dfe_declaration_type_allowed("specialist", "completed"));
    assert_false(dfe_declaration_type_allowed("specialist", "retained-3"));
    assert_false(dfe_declaration_type_allowed("middle", "started"));
}

static void reason_codes_are_the_dfes(void **state)
{
    (void)state;
    assert_non_null(dfe_code_find(&dfe_deferral_reasons, "parental-leave"));
    assert_null(dfe_code_find(&dfe_deferral_reasons, "parental_leave"));
    assert_non_null(dfe_code_find(&dfe_withdrawal_reasons, "personal-reason-moving-school"));
    /* The DfE's own spelling, full stop and all. */
    assert_non_null(dfe_code_find(&dfe_withdrawal_reasons, "quality-of-programme-structure-not-suitable."));
    assert_null(dfe_code_find(&dfe_withdrawal_reasons, "quality-of-programme-structure-not-suitable"));
    assert_non_null(dfe_code_find(&dfe_rejection_reasons, "rejected_by_provider"));
    assert_non_null(dfe_code_find(&dfe_funding_choices, "employer"));
    assert_null(dfe_code_find(&dfe_funding_choices, "scholarship"));
    assert_non_null(dfe_code_find(&dfe_headteacher_statuses, "no"));
    assert_non_null(dfe_code_find(&dfe_ineligibility_reasons, "previously-funded"));
    assert_null(dfe_code_find(&dfe_employment_types, NULL));
}

static const struct dfe_milestone spring[] = {
    {"started", "2026-01-01", "2026-04-30"},
    {"retained-1", "2026-05-01", "2026-10-31"},
    {"completed", "2026-11-01", NULL},
};

static bool change_to_spring(const char *group, const struct dfe_declaration_made *made, size_t count,
                             const char *expect)
{
    struct errors errors = ERRORS_INIT;
    bool ok = dfe_schedule_change_allowed(group, "specialist", spring, 3, made, count, &errors);
    if (expect != NULL) {
        assert_int_equal(errors.count, 1);
        assert_string_equal(errors.items[0].where, "schedule_identifier");
        assert_non_null(strstr(errors.items[0].message, expect));
    } else {
        assert_int_equal(errors.count, 0);
    }
    errors_free(&errors);
    return ok;
}

static void a_schedule_change_keeps_every_declaration_made_valid(void **state)
{
    (void)state;
    /* Nothing declared yet: any schedule of the course's group. */
    assert_true(change_to_spring("specialist", NULL, 0, NULL));
    /* Not a schedule of another group. */
    assert_false(change_to_spring("leadership", NULL, 0, "Leadership"));
    /* A started declaration dated on the window's first and last days fits; a day either side does not. */
    assert_true(change_to_spring("specialist", &(struct dfe_declaration_made){"started", "2026-01-01"}, 1, NULL));
    assert_true(change_to_spring("specialist", &(struct dfe_declaration_made){"started", "2026-04-30"}, 1, NULL));
    assert_false(change_to_spring("specialist", &(struct dfe_declaration_made){"started", "2025-12-31"}, 1,
                                  "outside that schedule's window"));
    assert_false(change_to_spring("specialist", &(struct dfe_declaration_made){"started", "2026-05-01"}, 1,
                                  "outside that schedule's window"));
    /* An open milestone has no end. */
    assert_true(change_to_spring("specialist", &(struct dfe_declaration_made){"completed", "2030-01-01"}, 1, NULL));
    /* A type the schedule has no milestone for. */
    assert_false(
        change_to_spring("specialist", &(struct dfe_declaration_made){"retained-2", "2026-06-01"}, 1, "no milestone"));
}

static const struct dfe_milestone leadership[] = {
    {"started", "2026-09-01", "2026-12-31"},
    {"retained-1", "2027-01-01", "2027-06-30"},
    {"retained-2", "2027-07-01", "2027-12-31"},
    {"completed", "2028-01-01", NULL},
};

static void declarations_are_due_from_attendance_inside_each_window(void **state)
{
    (void)state;
    struct dfe_declaration_due due[4];
    /* Nothing attended: nothing due. */
    assert_int_equal(dfe_declarations_due(leadership, 4, NULL, 0, NULL, NULL, true, "2027-12-31", due), 0);
    /* An event the day before the window opens is not evidence; the first inside it dates started. */
    const struct dfe_evidence attended[] = {
        {"2026-08-31", "Attended Induction"},
        {"2026-09-01", "Attended Day 1"},
        {"2026-10-01", "Attended Day 2"},
        {"2027-06-30", "Attended Day 3"},
    };
    size_t n = dfe_declarations_due(leadership, 4, attended, 4, NULL, NULL, true, "2027-12-31", due);
    assert_int_equal(n, 2);
    assert_string_equal(due[0].declaration_type, "started");
    assert_string_equal(due[0].declaration_date, "2026-09-01");
    assert_string_equal(due[0].evidence, "Attended Day 1");
    /* The last day of retained-1's window counts; retained-2 has no event in its window. */
    assert_string_equal(due[1].declaration_type, "retained-1");
    assert_string_equal(due[1].declaration_date, "2027-06-30");
    /* Evidence after today does not count yet. */
    assert_int_equal(dfe_declarations_due(leadership, 4, attended, 4, NULL, NULL, true, "2027-06-29", due), 1);
    /* Retention without a start is not due: an event in retained-1's window alone. */
    assert_int_equal(dfe_declarations_due(leadership, 4, &attended[3], 1, NULL, NULL, true, "2027-12-31", due), 0);
    /* Completed: the award, inside its window, whatever else. */
    n = dfe_declarations_due(leadership, 4, NULL, 0, "2028-01-01", "Awarded NPQH21", true, "2028-02-01", due);
    assert_int_equal(n, 1);
    assert_string_equal(due[0].declaration_type, "completed");
    assert_string_equal(due[0].evidence, "Awarded NPQH21");
    assert_int_equal(dfe_declarations_due(leadership, 4, NULL, 0, "2027-12-31", NULL, true, "2028-02-01", due), 0);
    assert_true(due[0].passed);
}

static void a_failed_final_result_makes_a_failed_completed_declaration_due(void **state)
{
    (void)state;
    struct dfe_declaration_due due[4];
    /* The fail, on the first day of the completed window: due, and not passed. */
    size_t n =
        dfe_declarations_due(leadership, 4, NULL, 0, "2028-01-01", "Failed Final assessment", false, "2028-01-01", due);
    assert_int_equal(n, 1);
    assert_string_equal(due[0].declaration_type, "completed");
    assert_string_equal(due[0].evidence, "Failed Final assessment");
    assert_false(due[0].passed);
    /* A day before the window: nothing, failed or not. */
    assert_int_equal(dfe_declarations_due(leadership, 4, NULL, 0, "2027-12-31", "Failed", false, "2028-01-01", due), 0);
    /* Attendance never carries an outcome. */
    const struct dfe_evidence attended[] = {{"2026-09-01", "Attended Day 1"}};
    assert_int_equal(dfe_declarations_due(leadership, 4, attended, 1, NULL, NULL, false, "2027-01-01", due), 1);
    assert_false(due[0].passed);
}

static void an_outcome_is_told_only_when_it_changes_on_a_declaration_that_stands(void **state)
{
    (void)state;
    /* A re-mark turns a fail into a pass, or a pass into a fail. */
    assert_string_equal(dfe_outcome_to_tell("leadership", DFE_DECLARATION_ELIGIBLE, false, true), "passed");
    assert_string_equal(dfe_outcome_to_tell("specialist", DFE_DECLARATION_PAID, true, false), "failed");
    /* Unchanged: nothing to tell. */
    assert_null(dfe_outcome_to_tell("leadership", DFE_DECLARATION_PAID, true, true));
    assert_null(dfe_outcome_to_tell("leadership", DFE_DECLARATION_PAID, false, false));
    /* Voided (the DfE voids the outcome itself), clawed back, refused, or not yet at the DfE. */
    assert_null(dfe_outcome_to_tell("leadership", DFE_DECLARATION_VOIDED, false, true));
    assert_null(dfe_outcome_to_tell("leadership", DFE_DECLARATION_AWAITING_CLAWBACK, false, true));
    assert_null(dfe_outcome_to_tell("leadership", DFE_DECLARATION_CLAWED_BACK, false, true));
    assert_null(dfe_outcome_to_tell("leadership", DFE_DECLARATION_INELIGIBLE, false, true));
    assert_null(dfe_outcome_to_tell("leadership", DFE_DECLARATION_DUE, false, true));
    /* The coaching and support offers have no outcomes. */
    assert_null(dfe_outcome_to_tell("ehco", DFE_DECLARATION_ELIGIBLE, false, true));
    assert_null(dfe_outcome_to_tell("support", DFE_DECLARATION_ELIGIBLE, false, true));
    assert_null(dfe_outcome_to_tell(NULL, DFE_DECLARATION_ELIGIBLE, false, true));
}

static void a_dfe_id_is_a_uuid(void **state)
{
    (void)state;
    assert_true(dfe_uuid_valid("524df095-f9bf-4f9d-ba4c-772545a99e60"));
    assert_true(dfe_uuid_valid("524DF095-F9BF-4F9D-BA4C-772545A99E60"));
    assert_false(dfe_uuid_valid("524df095-f9bf-4f9d-ba4c-772545a99e6"));   /* one short */
    assert_false(dfe_uuid_valid("524df095-f9bf-4f9d-ba4c-772545a99e600")); /* one over */
    assert_false(dfe_uuid_valid("524df095f-9bf-4f9d-ba4c-772545a99e60"));  /* a dash out of place */
    assert_false(dfe_uuid_valid("524df095-f9bf-4f9d-ba4c-772545a99e6g"));  /* not hexadecimal */
    assert_false(dfe_uuid_valid(""));
    assert_false(dfe_uuid_valid(NULL));
}

static void evidence_of_every_kind_counts_alike(void **state)
{
    (void)state;
    struct dfe_declaration_due due[4];
    /* Hours logged start a participant, an item done retains them, submitted work the second time. */
    const struct dfe_evidence evidence[] = {
        {"2026-12-31", "Logged 1.5 hours of reading"},
        {"2027-01-01", "Completed Leading change"},
        {"2027-12-31", "Submitted Final assessment"},
    };
    size_t n = dfe_declarations_due(leadership, 4, evidence, 3, NULL, NULL, true, "2027-12-31", due);
    assert_int_equal(n, 3);
    assert_string_equal(due[0].evidence, "Logged 1.5 hours of reading");
    assert_string_equal(due[1].declaration_date, "2027-01-01");
    assert_string_equal(due[2].declaration_type, "retained-2");
    assert_string_equal(due[2].declaration_date, "2027-12-31");
    /* A window not yet open makes nothing due, even with evidence dated inside it. */
    assert_int_equal(dfe_declarations_due(leadership, 4, evidence, 3, NULL, NULL, true, "2026-12-31", due), 1);
}

static void the_dfe_moves_declarations_one_way(void **state)
{
    (void)state;
    assert_true(dfe_declaration_state_follows(DFE_DECLARATION_DUE, DFE_DECLARATION_SUBMITTED));
    assert_true(dfe_declaration_state_follows(DFE_DECLARATION_SUBMITTED, DFE_DECLARATION_ELIGIBLE));
    assert_true(dfe_declaration_state_follows(DFE_DECLARATION_SUBMITTED, DFE_DECLARATION_INELIGIBLE));
    assert_true(dfe_declaration_state_follows(DFE_DECLARATION_ELIGIBLE, DFE_DECLARATION_PAYABLE));
    assert_true(dfe_declaration_state_follows(DFE_DECLARATION_PAYABLE, DFE_DECLARATION_PAID));
    assert_true(dfe_declaration_state_follows(DFE_DECLARATION_PAID, DFE_DECLARATION_AWAITING_CLAWBACK));
    assert_true(dfe_declaration_state_follows(DFE_DECLARATION_AWAITING_CLAWBACK, DFE_DECLARATION_CLAWED_BACK));
    assert_true(dfe_declaration_state_follows(DFE_DECLARATION_PAID, DFE_DECLARATION_PAID));
    /* Never back, never from an end, never voided once paid (that is a clawback). */
    assert_false(dfe_declaration_state_follows(DFE_DECLARATION_PAID, DFE_DECLARATION_PAYABLE));
    assert_false(dfe_declaration_state_follows(DFE_DECLARATION_PAID, DFE_DECLARATION_VOIDED));
    assert_false(dfe_declaration_state_follows(DFE_DECLARATION_VOIDED, DFE_DECLARATION_SUBMITTED));
    assert_false(dfe_declaration_state_follows(DFE_DECLARATION_CLAWED_BACK, DFE_DECLARATION_PAID));
    assert_false(dfe_declaration_state_follows(DFE_DECLARATION_INELIGIBLE, DFE_DECLARATION_ELIGIBLE));
    assert_false(dfe_declaration_state_follows(DFE_DECLARATION_SUBMITTED, DFE_DECLARATION_DUE));
    assert_false(dfe_declaration_state_follows(DFE_DECLARATION_ELIGIBLE, DFE_DECLARATION_PAID));

    enum dfe_declaration_state s;
    assert_true(dfe_declaration_state_parse("awaiting_clawback", &s));
    assert_int_equal(s, DFE_DECLARATION_AWAITING_CLAWBACK);
    assert_string_equal(dfe_declaration_state_name(s), "awaiting_clawback");
    assert_false(dfe_declaration_state_parse("approved", &s));
    assert_false(dfe_declaration_state_parse(NULL, &s));
}

static void voiding_a_paid_declaration_awaits_clawback(void **state)
{
    (void)state;
    struct errors errors = ERRORS_INIT;
    enum dfe_declaration_state after;
    assert_true(dfe_declaration_void(DFE_DECLARATION_DUE, &after, &errors));
    assert_int_equal(after, DFE_DECLARATION_VOIDED);
    assert_true(dfe_declaration_void(DFE_DECLARATION_PAYABLE, &after, &errors));
    assert_int_equal(after, DFE_DECLARATION_VOIDED);
    assert_true(dfe_declaration_void(DFE_DECLARATION_PAID, &after, &errors));
    assert_int_equal(after, DFE_DECLARATION_AWAITING_CLAWBACK);
    assert_int_equal(errors.count, 0);
    assert_false(dfe_declaration_void(DFE_DECLARATION_VOIDED, &after, &errors));
    assert_false(dfe_declaration_void(DFE_DECLARATION_AWAITING_CLAWBACK, &after, &errors));
    assert_false(dfe_declaration_void(DFE_DECLARATION_CLAWED_BACK, &after, &errors));
    assert_int_equal(errors.count, 3);
    assert_string_equal(errors.items[0].where, "state");
    errors_free(&errors);

    assert_true(dfe_declaration_stands(DFE_DECLARATION_AWAITING_CLAWBACK));
    assert_false(dfe_declaration_stands(DFE_DECLARATION_INELIGIBLE));
    assert_string_equal(dfe_declaration_outcome("completed", DFE_DECLARATION_PAID, true), "passed");
    assert_string_equal(dfe_declaration_outcome("completed", DFE_DECLARATION_SUBMITTED, false), "failed");
    assert_string_equal(dfe_declaration_outcome("completed", DFE_DECLARATION_VOIDED, true), "voided");
    assert_null(dfe_declaration_outcome("started", DFE_DECLARATION_PAID, true));
}

static void a_declaration_needs_the_partners_dfe_id(void **state)
{
    (void)state;
    struct errors errors = ERRORS_INIT;
    assert_true(dfe_declaration_partner_check("3c5f8a2e-1b7d-4e9a-8f60-2d4c1a9b7e35", "Northern Partners", &errors));
    assert_true(dfe_declaration_partner_check("3c5f8a2e-1b7d-4e9a-8f60-2d4c1a9b7e35", "", &errors));
    assert_int_equal(errors.count, 0);

    /* A partner npq knows but whose DfE id nobody has recorded: the message names the partner. */
    assert_false(dfe_declaration_partner_check("", "Northern Partners", &errors));
    assert_int_equal(errors.count, 1);
    assert_string_equal(errors.items[0].where, "delivery_partner_id");
    assert_non_null(strstr(errors.items[0].message, "Northern Partners has no DfE delivery partner id"));

    /* No partner at all: the cohort needs one. */
    assert_false(dfe_declaration_partner_check(NULL, NULL, &errors));
    assert_false(dfe_declaration_partner_check("", "", &errors));
    assert_int_equal(errors.count, 3);
    assert_string_equal(errors.items[1].where, "delivery_partner_id");
    assert_non_null(strstr(errors.items[1].message, "cohort has no delivery partner"));
    assert_string_equal(errors.items[2].message, errors.items[1].message);
    errors_free(&errors);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_trn_is_seven_digits),
        cmocka_unit_test(a_urn_is_six_digits_or_an_early_years_urn),
        cmocka_unit_test(a_ukprn_is_eight_digits_beginning_with_one),
        cmocka_unit_test(every_course_the_dfe_funds_has_its_group),
        cmocka_unit_test(schedules_belong_to_one_course_group),
        cmocka_unit_test(retained_two_is_not_a_specialist_declaration),
        cmocka_unit_test(reason_codes_are_the_dfes),
        cmocka_unit_test(a_schedule_change_keeps_every_declaration_made_valid),
        cmocka_unit_test(declarations_are_due_from_attendance_inside_each_window),
        cmocka_unit_test(evidence_of_every_kind_counts_alike),
        cmocka_unit_test(the_dfe_moves_declarations_one_way),
        cmocka_unit_test(voiding_a_paid_declaration_awaits_clawback),
        cmocka_unit_test(a_failed_final_result_makes_a_failed_completed_declaration_due),
        cmocka_unit_test(an_outcome_is_told_only_when_it_changes_on_a_declaration_that_stands),
        cmocka_unit_test(a_dfe_id_is_a_uuid),
        cmocka_unit_test(a_declaration_needs_the_partners_dfe_id),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
