/*
 * Assessment and award as rules: what a task must say, when work may be submitted (and is late),
 * what a marking must contain, who may mark whom, which marked work a moderator must see before
 * results are released, when a qualification may be awarded (explained in words), and the
 * certificate numbers awards carry. Pure functions; refusals are sentences at a field name.
 */
#ifndef NPQ_DOMAIN_ASSESSMENT_H
#define NPQ_DOMAIN_ASSESSMENT_H

#include "domain/catalogue.h"
#include "domain/enrolment.h"
#include "lib/errors.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { ASSESSMENT_MAX_CRITERIA = 20, ASSESSMENT_MAX_WORDS = 20000, AWARD_NUMBER_TEXT = 32 };

/* The largest file a participant may attach to work on a task: each task's own, this unless set,
 * and never more than TASK_FILE_BYTES_MAX. */
enum { TASK_FILE_BYTES_DEFAULT = 50 * 1024 * 1024, TASK_FILE_BYTES_MAX = 1024 * 1024 * 1024 };

enum task_kind { TASK_MODULE, TASK_FINAL };      /* for a module, or a qualification's final assessment */
const char *task_kind_name(enum task_kind kind); /* "module", "final" */
bool task_kind_parse(const char *name, enum task_kind *kind);

enum mark_outcome { OUTCOME_PASS, OUTCOME_REFER, OUTCOME_FAIL };
const char *mark_outcome_name(enum mark_outcome outcome);  /* "pass", "refer", "fail" */
const char *mark_outcome_title(enum mark_outcome outcome); /* "Pass", "Referred for resubmission", "Fail" */
bool mark_outcome_parse(const char *name, enum mark_outcome *outcome);

enum submission_state {
    SUBMISSION_DRAFT,     /* being written (also after a referral, until resubmitted) */
    SUBMISSION_SUBMITTED, /* a version waits for its assessor */
    SUBMISSION_MARKED,    /* marked; waits for moderation if sampled, else for release */
    SUBMISSION_MODERATED, /* second-marked; waits for release */
    SUBMISSION_RELEASED,  /* the result is visible to the participant */
};
const char *submission_state_name(enum submission_state state);
bool submission_state_parse(const char *name, enum submission_state *state);

struct task_input {
    enum task_kind kind;
    const char *target; /* module code, or qualification code for a final assessment */
    const char *title;
    const char *brief; /* Markdown */
    int64_t deadline;  /* UTC seconds */
    int word_limit;    /* 0: none */
    int max_resubmissions;
    int moderation_percent;
    int64_t max_file_bytes; /* the largest file one may attach, 1 to TASK_FILE_BYTES_MAX */
    const char **criteria;  /* titles, in order */
    size_t criteria_count;
};

/* Checks a task: the module or qualification exists (a final assessment only for a qualification
 * whose rule asks for one), a title, 1 to ASSESSMENT_MAX_CRITERIA criteria with titles, limits in
 * range. target is rewritten to the catalogue's spelling. */
bool assessment_task_check(const struct catalogue *catalogue, struct task_input *task, struct errors *errors);

/* Words as a person counts them: runs of letters, digits and joining marks, across any script. */
size_t assessment_word_count(const char *text);

/* What is known when a participant submits. */
struct submission_facts {
    enum submission_state state;
    bool has_result;                /* a released result exists for the latest version */
    enum mark_outcome last_outcome; /* that result */
    int versions;                   /* versions submitted so far */
    int max_resubmissions;
    const char *activity; /* the school-improvement activity the work is about */
    size_t word_count;
    int word_limit;
    size_t file_count;
    int64_t now, deadline;
};

/*
 * Whether the work may be submitted now: a first submission from a draft, or a resubmission after a
 * released referral while resubmissions remain; it names its activity, has text or a file, and
 * keeps to the word limit. *late is set when now is past the deadline (late work is accepted and
 * flagged).
 */
bool assessment_submit_check(const struct submission_facts *facts, bool *late, struct errors *errors);

/* The first half of assessment_submit_check: whether the state and history of the work allow a
 * submission now (a draft never submitted, or a released referral with resubmissions left). When
 * not, the work's state is what refuses, and why is added at "state". */
bool assessment_submit_allowed(const struct submission_facts *facts, struct errors *errors);

/* A marking: a judgement on every criterion, feedback for the participant, and an outcome that
 * agrees with the criteria (a pass needs every criterion met; a refusal names the ones that are
 * not, by number and by titles[i] when titles is given). */
bool assessment_mark_check(enum mark_outcome outcome, const bool *met, size_t criteria_count, size_t expected,
                           const char *const *titles, const char *feedback, struct errors *errors);

/* Who may mark: nobody marks work of a participant they coach (when the provider keeps assessors
 * from their coachees), and a moderator is never the assessor of the same version. */
bool assessment_marker_check(bool moderating, bool coaches_participant, bool keep_coaches_apart, bool is_the_assessor,
                             struct errors *errors);

/* Whether a marked version must be second-marked before release: every fail, and a share of the
 * rest chosen by the version's id (stable, so asking twice gives the same answer). */
bool assessment_needs_moderation(int64_t version_id, int moderation_percent, enum mark_outcome assessor_outcome);

/* The outcome released to the participant: the moderator's when there is one. */
enum mark_outcome assessment_released_outcome(enum mark_outcome assessor, bool moderated, enum mark_outcome moderator);

/* Awards */

struct award_facts {
    const struct catalogue_qualification *qualification;
    const char **modules_completed; /* codes */
    size_t modules_completed_count;
    bool final_assessment_passed;
    enum delivery_model model;
    int face_to_face_attended; /* events marked present or late */
    int virtual_attended;
};

/*
 * Whether the qualification may be awarded, and if not what remains, in words: "needs Closing the
 * gap, 1 more elective, a pass in the final assessment and 2 more face-to-face events".
 * why is always written (on success: "all requirements met").
 */
bool award_check(const struct catalogue *catalogue, const struct award_facts *facts, char *why, size_t size);

/* Certificate numbers: "NPQSL-2027-000042-3", the last digit a Luhn check over the year and serial. */
void award_certificate_number(const char *qualification, int year, int64_t serial, char out[AWARD_NUMBER_TEXT]);
bool award_certificate_number_valid(const char *number);

#endif
