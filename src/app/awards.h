/*
 * Awards as use cases: whether an enrolment's qualification may be awarded (the facts gathered
 * from completions, released results and registers, judged by award_check), making the award
 * (the award with its certificate number and verification code, the enrolment completed, the
 * audit and the participant's email, in one transaction), what a certificate and a transcript
 * show. The API, the pages and the PDFs share these, so a certificate says the same wherever it
 * is read.
 */
#ifndef NPQ_APP_AWARDS_H
#define NPQ_APP_AWARDS_H

#include "app/accounts.h"
#include "domain/assessment.h"
#include "domain/transcript.h"
#include "lib/form.h"

enum {
    AWARDS_WHY_TEXT = 1024,  /* award_check's explanation */
    AWARDING_BODY_MAX = 200, /* bytes of an awarding body's name */
    MODULE_CREDITS_MAX = 180,
};

/* The public verification address of a certificate: BASE_URL/verify/CODE, in arena. */
const char *awards_verify_url(const char *base_url, const char *code, struct arena *arena);

/* The provider's name as documents print it: the organisation of kind provider, else "NPQ provider". */
const char *awards_provider_name(struct store *store, struct arena *arena);

/* The award whose verification code is code; APP_NOT_FOUND for anything else, including text
 * that could not be a code (checked before the database is asked). */
enum app_result awards_find_by_code(struct store *store, const char *code, struct arena *arena, struct award *out);

/* Where an enrolment stands against its qualification's award rule. */
struct award_status {
    struct enrolment enrolment;
    const struct catalogue_qualification *qualification; /* NULL for a module studied alone */
    struct award_facts facts;
    bool eligible;
    char why[AWARDS_WHY_TEXT]; /* "needs 1 more elective, ...", or "all requirements met" */
    bool awarded;              /* an award exists already: then award is it */
    struct award award;
};

/* Gathers the facts of an enrolment and judges them (nothing is written). APP_NOT_FOUND when
 * there is no such enrolment. Strings in arena. */
enum app_result awards_check(const struct accounts_env *env, const struct catalogue *catalogue, int64_t enrolment_id,
                             struct arena *arena, struct award_status *out);

/*
 * Awards the qualification of an enrolment when award_check allows it. In one transaction: the
 * award (its certificate number made from the qualification, the year and its id; a random
 * verification code), the enrolment moved to completed (unless it already is), the audit events
 * and an email to the participant with the verification address. Facts are read inside the
 * transaction, so two requests at once cannot both award.
 * Returns APP_OK with *out. APP_INVALID (at "enrolment_id") when requirements are not met, or there
 * is nothing to award: why then holds award_check's words for what remains. APP_CONFLICT when the
 * enrolment has its award already (at "enrolment_id") or is deferred or withdrawn (at "state");
 * APP_NOT_FOUND when there is no such enrolment; APP_UNAVAILABLE. Strings in arena.
 */
enum app_result awards_make(const struct accounts_env *env, const struct catalogue *catalogue, int64_t enrolment_id,
                            struct arena *arena, struct award *out, struct errors *errors, char why[AWARDS_WHY_TEXT]);

void awards_certificate(const struct accounts_env *env, const struct catalogue *catalogue, const struct award *award,
                        struct arena *arena, struct certificate *out);

/* Completed modules with dates, hours logged against each (verified and not) and the credit each
 * is worth, and awards. An award's verification address is filled only with_verification (for
 * the participant and administrators: it is theirs to share, not their coach's or school's);
 * NULL otherwise. APP_NOT_FOUND when there is no such person. Everything in arena. */
enum app_result awards_transcript(const struct accounts_env *env, const struct catalogue *catalogue,
                                  int64_t participant_id, bool with_verification, struct arena *arena,
                                  struct transcript *out);

/* A list of awards as asked for: what narrows it (the page is the caller's: paging_read). */
struct awards_query {
    struct award_filter filter;
};

/*
 * Reads a list's parameters from query into out: participant_id, qualification (a catalogue
 * code in any case, kept in the catalogue's spelling), awarded_from and awarded_to (YYYY-MM-DD,
 * both days included, the first not after the last). Absent or empty ones do
 * not narrow the list. False after adding an error at each malformed parameter's name (the API's
 * 400, the page's list of what is wrong with the address). Strings are borrowed from query.
 */
bool awards_query_read(const struct form *query, const struct catalogue *catalogue, struct awards_query *out,
                       struct errors *errors);

/*
 * Sets the Master's credits a module (a catalogue code, in any case; *code_out its catalogue
 * spelling) is worth, 0 to MODULE_CREDITS_MAX (-1: not given), and the awarding body (NULL or ""
 * for none). APP_INVALID at "module", "credits" or "awarding_body".
 */
enum app_result awards_credit_set(const struct accounts_env *env, const struct catalogue *catalogue, const char *module,
                                  int64_t credits, const char *awarding_body, const char **code_out,
                                  struct errors *errors);

#endif
