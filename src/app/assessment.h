/*
 * Assessment as use cases: setting tasks, a participant's draft and its files, submitting (one
 * transaction: the immutable version, its receipt, the files, the state and the receipt emailed),
 * a coach's formative feedback, marking and moderating, releasing a result (with its email and,
 * for a passed module task, the module's completion), and reading a submission as the caller may
 * see it. Rules come from domain/assessment.h; these functions gather the facts, apply the rules
 * and store the outcome.
 *
 * The gate has already checked that the caller may see the submission (the participant, their
 * coach, assessors, administrators). What these add is who may take each step, and one promise:
 * no one but those who may mark the work sees a result or a mark before it is released.
 */
#ifndef NPQ_APP_ASSESSMENT_H
#define NPQ_APP_ASSESSMENT_H

#include "app/accounts.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
    SUBMISSION_FILES_MAX = 20,          /* files on one draft (each up to its task's max_file_bytes) */
    SUBMISSION_FILE_NAME_MAX = 255,     /* bytes */
    SUBMISSION_ACTIVITY_MAX = 1000,     /* characters */
    SUBMISSION_FEEDBACK_MAX = 20000,    /* characters of a coach's feedback or a marker's */
    SUBMISSION_COMMENT_MAX = 5000,      /* characters of a comment on one criterion */
    SUBMISSION_RECEIPT_MAX = 16 * 1024, /* bytes */
};

/* The setting that lets assessors mark the work of participants they coach ("1"); unset, the
 * provider keeps the two apart. */
#define ASSESSMENT_SETTING_MARK_COACHEES "assessors_may_mark_coachees"

/* Tasks */

/*
 * Sets a task (an administrator): t holds kind, target, title, brief, deadline, limits (words,
 * resubmissions, max_file_bytes: TASK_FILE_BYTES_DEFAULT unless the caller sets another) and
 * criteria. Checked with assessment_task_check; t->target takes the catalogue's spelling. Sets t->id.
 */
enum app_result assessment_task_set(const struct accounts_env *env, const struct catalogue *catalogue,
                                    struct assessment_task *t, struct errors *errors);

/* A change to a task: NULL, -1 or has_* false keeps a value. Kind and target never change. */
struct task_change {
    const char *title;
    const char *brief;
    int64_t deadline; /* 0 keeps it */
    int word_limit, max_resubmissions, moderation_percent;
    int64_t max_file_bytes;
    bool has_word_limit, has_max_resubmissions, has_moderation_percent, has_max_file_bytes;
    struct assessment_criterion *criteria; /* NULL keeps them */
    size_t criteria_count;
};
/* Changes a task, with the same checks; criteria only until work is submitted against it
 * (APP_CONFLICT after). Fills *out with the task as stored. */
enum app_result assessment_task_change(const struct accounts_env *env, const struct catalogue *catalogue, int64_t id,
                                       const struct task_change *change, struct arena *arena,
                                       struct assessment_task *out, struct errors *errors);

/* Submissions */

/* Who the caller is to one participant's work. */
struct submission_view {
    bool participant;     /* the caller's own work */
    bool coach;           /* the caller is the participant's coach */
    bool sees_draft;      /* the participant and their coach */
    bool sees_unreleased; /* an administrator or assessor who may mark it: not the participant, and
                             not their coach while coaches are kept apart from marking */
};

/*
 * Starts the caller's draft for a task in one of their own live enrolments: a module task needs an
 * enrolment whose qualification (essential modules and the enrolment's electives) or module
 * includes the task's module; a final task an enrolment in its qualification. Sets *id. When the
 * enrolment already has a submission for the task, APP_CONFLICT with its id in *id.
 */
enum app_result assessment_submission_start(const struct accounts_env *env, const struct catalogue *catalogue,
                                            const struct caller *caller, int64_t task_id, int64_t enrolment_id,
                                            int64_t *id, struct errors *errors);

/* Saves the draft's activity and text (NULL keeps either): the participant, while it is a draft. */
enum app_result assessment_draft_save(const struct accounts_env *env, const struct caller *caller, int64_t id,
                                      const char *activity, const char *text, struct errors *errors);

/* Attaches a file to the draft (the participant, while drafting): f holds its name; its type
 * (from its content, lib/file_type.h: anything else is refused at "file"), size and SHA-256 are
 * worked out here. Sets f->id. */
enum app_result assessment_file_add(const struct accounts_env *env, const struct caller *caller, int64_t id,
                                    struct submission_file *f, const void *data, size_t len, struct arena *arena,
                                    struct errors *errors);

/* Removes a file from the draft (the participant, while drafting). */
enum app_result assessment_file_remove(const struct accounts_env *env, const struct caller *caller, int64_t id,
                                       int64_t file_id, struct errors *errors);

/*
 * Submits the draft (the participant): assessment_submit_check, then in one transaction the new
 * version (text, its SHA-256, words, the late flag, the receipt), the draft's files moved to it,
 * the state SUBMITTED, the receipt emailed to the participant and the audit event. Fills *out
 * (receipt included, strings in arena) only once all of it is committed.
 */
enum app_result assessment_submit(const struct accounts_env *env, const struct caller *caller, int64_t id,
                                  struct arena *arena, struct submission_version *out, struct errors *errors);

/* Adds a coach's formative feedback (the participant's coach) on the draft (version 0) or on a
 * version by its number. Fills *out. */
enum app_result assessment_feedback_add(const struct accounts_env *env, const struct caller *caller, int64_t id,
                                        int version_number, const char *body, struct arena *arena,
                                        struct submission_feedback *out, struct errors *errors);

/*
 * Marks the latest version (an assessor or administrator): the first mark of a SUBMITTED version
 * is the assessor's (MARKED); when assessment_needs_moderation asks for it, a second by someone
 * else is the moderator's (MODERATED). m holds outcome, feedback and the criteria judged;
 * assessment_marker_check and assessment_mark_check decide. Sets m->id, version, role and marker.
 */
enum app_result assessment_mark(const struct accounts_env *env, const struct caller *caller, int64_t id, struct mark *m,
                                struct errors *errors);

/*
 * Releases the result of the latest version (an administrator): only when MARKED and not needing
 * moderation, or MODERATED. Writes the result (assessment_released_outcome) and emails the
 * participant that a result is ready (not what it is). A referral that may still be resubmitted
 * sends the work back to DRAFT; a pass of a module task records the module's completion, dated
 * the day the version was submitted (once: a module already completed stays as it is).
 */
enum app_result assessment_release(const struct accounts_env *env, const struct caller *caller, int64_t id,
                                   struct errors *errors);

/* A submission as the caller may see it. Arrays in arena. */
struct submission_detail {
    struct submission submission;
    struct assessment_task task;
    struct submission_view view;
    enum submission_state shown_state; /* marked and moderated read "submitted" to those who may
                                          not see unreleased results: moderation hints at a fail */
    struct submission_version *versions;
    size_t version_count;
    struct submission_file *files; /* the versions' files, and the draft's when view.sees_draft */
    size_t file_count;
    struct submission_feedback *feedback;
    size_t feedback_count;
    struct mark *marks; /* of released versions, or every one when view.sees_unreleased */
    size_t mark_count;
    bool awaiting_moderation; /* only ever true when view.sees_unreleased */
    int resubmissions_left;
};
enum app_result assessment_submission_read(const struct accounts_env *env, const struct caller *caller, int64_t id,
                                           struct arena *arena, struct submission_detail *out);

/* One submission of a list, as the caller may see it. */
struct submission_summary {
    struct submission submission;
    enum submission_state shown_state;
};
/* The submissions the caller may see (their own, their coachees', every one for assessors and
 * administrators), of one task when task_id is not 0. */
enum app_result assessment_submission_list(const struct accounts_env *env, const struct caller *caller, int64_t task_id,
                                           struct store_page *page, struct arena *arena,
                                           struct submission_summary **out, size_t *count);

/* A file, as the caller may see it (a draft's only for the participant and their coach); its
 * bytes are the blob out->blob_id. */
enum app_result assessment_file_read(const struct accounts_env *env, const struct caller *caller, int64_t id,
                                     int64_t file_id, struct arena *arena, struct submission_file *out);

/*
 * A page of the marking queue, the oldest submitted first: versions waiting for an assessor, and
 * marked ones waiting for a moderator; work of the caller's own, and of participants they coach
 * while coaches are kept apart, is left out. may_mark says whether the caller can take it (a
 * moderator must not be its assessor). Left-out work does not shorten a page: the store is read
 * on until the page is full, and page->next names the last entry kept when more may follow.
 */
struct marking_queue_entry {
    struct marking_item item;
    bool moderation; /* waiting for a moderator; otherwise for an assessor */
    bool may_mark;
};
enum app_result assessment_marking_queue(const struct accounts_env *env, const struct caller *caller,
                                         struct store_page *page, struct arena *arena, struct marking_queue_entry **out,
                                         size_t *count);

#endif
