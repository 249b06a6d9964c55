/*
 * Assessment as use cases (see assessment.h). Every step that changes a submission reads it inside
 * the write transaction it changes it in, so the facts a rule was given are still true when the
 * outcome is stored; the store's compare-and-set on the state is the second lock. Whether the
 * caller may see results before they are released is decided once, in view_of, and every read
 * goes through it.
 */
#include "app/assessment.h"

#include "app/coaching.h" /* activities_modules: the modules of an enrolment */
#include "app/files.h"
#include "app/progress.h"
#include "lib/buf.h"
#include "lib/date.h"
#include "lib/file_type.h"
#include "lib/text.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

enum { SHA256_HEX = crypto_hash_sha256_BYTES * 2 + 1, TIME_TEXT = DATE_UTC_TEXT, CRITERION_DESCRIPTOR_MAX = 2000 };

static void sha256_hex(const void *data, size_t len, char out[SHA256_HEX])
{
    unsigned char hash[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(hash, data, len);
    sodium_bin2hex(out, SHA256_HEX, hash, sizeof(hash));
}

static void utc_text(int64_t seconds, char out[TIME_TEXT])
{
    date_format_utc(seconds, out);
}

/* Whether the provider keeps assessors from marking their coachees (true unless the setting
 * ASSESSMENT_SETTING_MARK_COACHEES is "1"). */
static enum store_status keeps_coaches_apart(struct store *store, bool *apart)
{
    char value[8];
    enum store_status status = store_setting_get(store, ASSESSMENT_SETTING_MARK_COACHEES, value, sizeof(value));
    *apart = true;
    if (status == STORE_NOT_FOUND)
        return STORE_OK;
    if (status == STORE_OK)
        *apart = strcmp(value, "1") != 0;
    return status;
}

/* Tasks */

/* The domain's view of a task, with the criteria's titles in arena. */
static struct task_input task_input_of(const struct assessment_task *t, struct arena *arena)
{
    const char **titles = arena_alloc(arena, sizeof(*titles) * (t->criteria_count + 1));
    for (size_t i = 0; i < t->criteria_count; i++)
        titles[i] = t->criteria[i].title;
    return (struct task_input){t->kind,
                               t->target,
                               t->title,
                               t->brief,
                               t->deadline,
                               t->word_limit,
                               t->max_resubmissions,
                               t->moderation_percent,
                               t->max_file_bytes,
                               titles,
                               t->criteria_count};
}

/* assessment_task_check, and what it leaves to us: the descriptors' length. */
static bool check_task(const struct catalogue *catalogue, struct assessment_task *t, struct errors *errors)
{
    struct arena arena = ARENA_INIT;
    struct task_input in = task_input_of(t, &arena);
    bool ok = assessment_task_check(catalogue, &in, errors);
    if (ok)
        t->target = in.target; /* the catalogue's spelling, which outlives the request */
    for (size_t i = 0; i < t->criteria_count; i++)
        if (text_characters(t->criteria[i].descriptor) > CRITERION_DESCRIPTOR_MAX) {
            errors_add(errors, "criteria", "The descriptor of criterion %zu must be %d characters or fewer.", i + 1,
                       CRITERION_DESCRIPTOR_MAX);
            ok = false;
        }
    arena_release(&arena);
    return ok;
}

enum app_result assessment_task_set(const struct accounts_env *env, const struct catalogue *catalogue,
                                    struct assessment_task *t, struct errors *errors)
{
    if (!check_task(catalogue, t, errors))
        return APP_INVALID;
    /* A new deadline for everyone studying the target, in the same commit. */
    if (store_begin(env->store) != STORE_OK)
        return APP_UNAVAILABLE;
    enum app_result result = app_result_of_store(store_task_create(env->store, env->actor, t, env->now));
    if (result == APP_OK)
        result = progress_refresh_scope(env, PROGRESS_OF_TARGET, 0, t->target);
    return app_transaction_end(env->store, result);
}

enum app_result assessment_task_change(const struct accounts_env *env, const struct catalogue *catalogue, int64_t id,
                                       const struct task_change *change, struct arena *arena,
                                       struct assessment_task *out, struct errors *errors)
{
    struct assessment_task t;
    enum app_result result = app_result_of_store(store_task_get(env->store, id, arena, &t));
    if (result != APP_OK)
        return result;
    if (change->title != NULL)
        t.title = change->title;
    if (change->brief != NULL)
        t.brief = change->brief;
    if (change->deadline != 0)
        t.deadline = change->deadline;
    if (change->has_word_limit)
        t.word_limit = change->word_limit;
    if (change->has_max_resubmissions)
        t.max_resubmissions = change->max_resubmissions;
    if (change->has_moderation_percent)
        t.moderation_percent = change->moderation_percent;
    if (change->has_max_file_bytes)
        t.max_file_bytes = change->max_file_bytes;
    if (change->criteria != NULL) {
        t.criteria = change->criteria;
        t.criteria_count = change->criteria_count;
    }
    if (!check_task(catalogue, &t, errors))
        return APP_INVALID;
    if (store_begin(env->store) != STORE_OK)
        return APP_UNAVAILABLE;
    result = app_result_of_store(store_task_update(env->store, env->actor, &t, change->criteria != NULL, env->now));
    if (result == APP_CONFLICT)
        errors_add(errors, "criteria",
                   "Work has been submitted against this task, so its criteria can no longer change");
    if (result == APP_OK)
        result = progress_refresh_scope(env, PROGRESS_OF_TARGET, 0, t.target);
    result = app_transaction_end(env->store, result);
    if (result == APP_OK)
        result = app_result_of_store(store_task_get(env->store, id, arena, out));
    return result;
}

/* Who the caller is to a submission */

static enum store_status view_of(const struct accounts_env *env, const struct caller *caller,
                                 const struct submission *s, struct submission_view *v)
{
    memset(v, 0, sizeof(*v));
    struct relation r;
    bool apart;
    enum store_status status = store_relation(env->store, caller, RESOURCE_USER, s->participant_id, &r);
    if (status == STORE_OK)
        status = keeps_coaches_apart(env->store, &apart);
    if (status != STORE_OK)
        return status;
    v->participant = policy_is_self(caller, &r);
    v->coach = policy_is_coach_of(caller, &r);
    v->sees_draft = v->participant || v->coach;
    /* An assessor's own work, or a coachee's they may not mark, is as closed to them as to anyone. */
    bool marker = policy_is_admin(caller) || policy_is_assessor(caller);
    v->sees_unreleased = marker && !v->participant && !(r.coached && apart);
    return STORE_OK;
}

static enum submission_state shown_state(enum submission_state state, bool sees_unreleased)
{
    if (!sees_unreleased && (state == SUBMISSION_MARKED || state == SUBMISSION_MODERATED))
        return SUBMISSION_SUBMITTED;
    return state;
}

/* Loads a submission for a step its participant takes, refusing anyone else. */
static enum app_result own_submission(const struct accounts_env *env, const struct caller *caller, int64_t id,
                                      struct arena *arena, struct submission *s, const char *field,
                                      struct errors *errors)
{
    struct relation r;
    enum store_status status = store_submission_get(env->store, id, arena, s);
    if (status == STORE_OK)
        status = store_relation(env->store, caller, RESOURCE_SUBMISSION, id, &r);
    if (status != STORE_OK)
        return app_result_of_store(status);
    if (!policy_is_self(caller, &r)) {
        errors_add(errors, field, "Only the participant can change or submit their own work");
        return APP_FORBIDDEN;
    }
    return APP_OK;
}

static enum app_result not_a_draft(enum submission_state state, struct errors *errors)
{
    if (state == SUBMISSION_DRAFT)
        return APP_OK;
    errors_add(errors, "state",
               state == SUBMISSION_RELEASED
                   ? "The result of this work has been released; it can no longer change"
                   : "This work has been submitted and is waiting for its result: a submitted version cannot be "
                     "changed");
    return APP_CONFLICT;
}

/* Starting, drafting and files */

/* Whether a task belongs to an enrolment: its module is one of the enrolment's, or it is the final
 * assessment of the enrolment's qualification. */
static bool task_in_enrolment(const struct catalogue *catalogue, const struct assessment_task *t,
                              const struct enrolment *e)
{
    if (t->kind == TASK_FINAL)
        return e->kind == STUDY_QUALIFICATION && strcasecmp(e->target, t->target) == 0;
    const struct catalogue_module *modules[64];
    size_t n = activities_modules(catalogue, e, modules, sizeof(modules) / sizeof(modules[0]));
    for (size_t i = 0; i < n; i++)
        if (strcasecmp(modules[i]->code, t->target) == 0)
            return true;
    return false;
}

enum app_result assessment_submission_start(const struct accounts_env *env, const struct catalogue *catalogue,
                                            const struct caller *caller, int64_t task_id, int64_t enrolment_id,
                                            int64_t *id, struct errors *errors)
{
    *id = 0;
    if (task_id <= 0)
        errors_add(errors, "task_id", "Choose the assessment task the work is for");
    if (enrolment_id <= 0)
        errors_add(errors, "enrolment_id", "Choose the enrolment the work is part of");
    if (errors->count > 0)
        return APP_INVALID;
    struct arena arena = ARENA_INIT;
    struct assessment_task t;
    struct enrolment e = {0};
    enum app_result result = APP_OK;
    enum store_status status = store_task_get(env->store, task_id, &arena, &t);
    if (status == STORE_NOT_FOUND) {
        errors_add(errors, "task_id", "There is no assessment task with this id");
        result = APP_INVALID;
    } else if (status != STORE_OK) {
        result = APP_UNAVAILABLE;
    }
    if (result == APP_OK) {
        struct relation r;
        status = store_enrolment_get(env->store, enrolment_id, &arena, &e);
        if (status == STORE_OK)
            status = store_relation(env->store, caller, RESOURCE_ENROLMENT, enrolment_id, &r);
        /* Someone else's enrolment is refused exactly like one that does not exist. */
        if (status == STORE_NOT_FOUND || (status == STORE_OK && !policy_is_self(caller, &r))) {
            errors_add(errors, "enrolment_id", "Choose one of your own enrolments");
            result = APP_INVALID;
        } else if (status != STORE_OK) {
            result = APP_UNAVAILABLE;
        }
    }
    if (result == APP_OK && e.state != ENROLMENT_ACTIVE && e.state != ENROLMENT_DEFERRED) {
        errors_add(errors, "enrolment_id", "This enrolment is %s: no new work can be started in it",
                   e.state == ENROLMENT_WITHDRAWN ? "withdrawn" : "completed");
        result = APP_CONFLICT;
    }
    if (result == APP_OK && !task_in_enrolment(catalogue, &t, &e)) {
        errors_add(errors, "task_id",
                   t.kind == TASK_FINAL ? "This is the final assessment of another qualification than this enrolment's"
                                        : "This task assesses a module that is not part of this enrolment");
        result = APP_INVALID;
    }
    if (result == APP_OK && store_begin(env->store) != STORE_OK)
        result = APP_UNAVAILABLE;
    else if (result == APP_OK) {
        struct submission s = {.task_id = task_id, .enrolment_id = enrolment_id, .participant_id = e.participant_id};
        int64_t existing = 0;
        result = app_result_of_store(store_submission_create(env->store, env->actor, &s, env->now, &existing));
        if (result == APP_OK)
            result = progress_refresh(env, enrolment_id); /* a draft started */
        result = app_transaction_end(env->store, result);
        if (result == APP_OK)
            *id = s.id;
        else if (result == APP_CONFLICT) {
            *id = existing;
            errors_add(errors, "task_id", "You have already started work on this task in this enrolment");
        }
    }
    arena_release(&arena);
    return result;
}

enum app_result assessment_draft_save(const struct accounts_env *env, const struct caller *caller, int64_t id,
                                      const char *activity, const char *text, struct errors *errors)
{
    struct arena arena = ARENA_INIT;
    struct submission s;
    enum app_result result = own_submission(env, caller, id, &arena, &s, "text", errors);
    if (result == APP_OK && text_characters(activity) > SUBMISSION_ACTIVITY_MAX) {
        errors_add(errors, "activity", "Describe the activity in %d characters or fewer", SUBMISSION_ACTIVITY_MAX);
        result = APP_INVALID;
    }
    if (result == APP_OK)
        result = not_a_draft(s.state, errors);
    if (result == APP_OK) {
        result = app_result_of_store(store_submission_save_draft(env->store, env->actor, id, activity, text, env->now));
        if (result == APP_CONFLICT)
            not_a_draft(SUBMISSION_SUBMITTED, errors); /* submitted meanwhile */
    }
    arena_release(&arena);
    return result;
}

enum app_result assessment_file_add(const struct accounts_env *env, const struct caller *caller, int64_t id,
                                    struct submission_file *f, const void *data, size_t len, struct arena *arena,
                                    struct errors *errors)
{
    if (store_begin(env->store) != STORE_OK)
        return APP_UNAVAILABLE;
    struct submission s;
    enum app_result result = own_submission(env, caller, id, arena, &s, "file", errors);
    if (result == APP_OK && !files_name_ok(f->name)) {
        errors_add(errors, "name",
                   "Name the file in the X-File-Name header: %d bytes or fewer, without slashes, control "
                   "characters or marks that change the direction of text",
                   SUBMISSION_FILE_NAME_MAX);
        result = APP_INVALID;
    }
    if (result == APP_OK)
        result = not_a_draft(s.state, errors);
    if (result == APP_OK) {
        struct submission_file *files;
        size_t count, drafts = 0;
        result = app_result_of_store(store_submission_files(env->store, id, arena, &files, &count));
        for (size_t i = 0; result == APP_OK && i < count; i++)
            drafts += files[i].version_id == 0;
        if (result == APP_OK && drafts >= SUBMISSION_FILES_MAX) {
            errors_add(errors, "file", "A draft can have at most %d files. Remove one first", SUBMISSION_FILES_MAX);
            result = APP_INVALID;
        }
    }
    /* The task's limit as it is now, read in the transaction that keeps the file: a limit changed
     * later holds for every upload after it. */
    struct assessment_task task;
    if (result == APP_OK)
        result = app_result_of_store(store_task_get(env->store, s.task_id, arena, &task));
    /* What the file is comes from its bytes, never from the sender's claim: an assessor must be
     * able to open it (every kind lib/file_type.h knows), and it is served as what it is. */
    struct blob blob;
    const struct file_type *type = NULL;
    if (result == APP_OK) {
        const struct file_use use = {"an assessor can open", FILE_KINDS_ALL, task.max_file_bytes};
        result = files_keep(env, &use, f->name, data, len, &blob, &type, errors);
    }
    if (result == APP_OK) {
        f->submission_id = id;
        f->size = blob.size;
        f->sha256 = arena_strdup(arena, blob.sha256);
        f->content_type = type->media_type;
        f->blob_id = blob.id;
        result = app_result_of_store(store_submission_file_add(env->store, env->actor, f, env->now));
    }
    return app_transaction_end(env->store, result);
}

enum app_result assessment_file_remove(const struct accounts_env *env, const struct caller *caller, int64_t id,
                                       int64_t file_id, struct errors *errors)
{
    struct arena arena = ARENA_INIT;
    struct submission s;
    enum app_result result = own_submission(env, caller, id, &arena, &s, "file", errors);
    if (result == APP_OK)
        result = not_a_draft(s.state, errors);
    if (result == APP_OK) {
        result = app_result_of_store(store_submission_file_delete(env->store, env->actor, id, file_id, env->now));
        if (result == APP_CONFLICT)
            not_a_draft(SUBMISSION_SUBMITTED, errors);
    }
    arena_release(&arena);
    return result;
}

/* Submitting */

/* The receipt: what was received, when, and the fingerprints that prove it. */
static bool write_receipt(struct buf *b, const struct assessment_task *t, const struct submission_version *v,
                          const struct submission_file *files, size_t count)
{
    char at[TIME_TEXT], words[32];
    utc_text(v->submitted_at, at);
    text_thousands((uint64_t)v->word_count, words);
    bool ok = buf_appendf(b, "Received at %s: version %d of '%s', %s word%s, text SHA-256 %s", at, v->number, t->title,
                          words, v->word_count == 1 ? "" : "s", v->text_sha256);
    size_t shown = 0;
    for (size_t i = 0; i < count; i++) {
        if (files[i].version_id != 0)
            continue;
        char size[32];
        text_thousands((uint64_t)files[i].size, size);
        ok = ok && buf_appendf(b, "%s%s (%s byte%s, SHA-256 %s)", shown == 0 ? "; files: " : ", ", files[i].name, size,
                               files[i].size == 1 ? "" : "s", files[i].sha256);
        shown++;
    }
    ok = ok && buf_append_str(b, shown == 0 ? "; no files." : ".");
    if (v->late) {
        char deadline[TIME_TEXT];
        utc_text(t->deadline, deadline);
        ok = ok && buf_appendf(b, " Submitted after the deadline of %s.", deadline);
    }
    return ok;
}

static enum store_status email_receipt(const struct accounts_env *env, const struct submission *s, const char *receipt)
{
    struct buf body;
    buf_init(&body, SUBMISSION_RECEIPT_MAX + 4096);
    buf_appendf(&body,
                "Dear %s,\n\nYour work has been received. This is your receipt:\n\n%s\n\nThe SHA-256 fingerprints "
                "show exactly what you submitted; keep this email. You will be emailed again when your result is "
                "ready.\n\nYour work (you will be asked to sign in):\n\n%s/submissions/%lld\n",
                s->participant_name, receipt, env->base_url, (long long)s->id);
    enum store_status status = store_mail_enqueue(env->store, s->participant_email, "Your NPQ work has been received",
                                                  body.data ? body.data : "", env->now);
    buf_free(&body);
    return status;
}

enum app_result assessment_submit(const struct accounts_env *env, const struct caller *caller, int64_t id,
                                  struct arena *arena, struct submission_version *out, struct errors *errors)
{
    memset(out, 0, sizeof(*out));
    /* The write lock first: the facts read below are the ones the version is written on. */
    if (store_begin(env->store) != STORE_OK)
        return APP_UNAVAILABLE;
    struct submission s;
    struct assessment_task t;
    struct submission_version *versions = NULL;
    struct submission_file *files = NULL;
    size_t version_count = 0, file_count = 0, draft_files = 0;
    enum app_result result = own_submission(env, caller, id, arena, &s, "state", errors);
    if (result == APP_OK)
        result = app_result_of_store(store_task_get(env->store, s.task_id, arena, &t));
    if (result == APP_OK)
        result = app_result_of_store(store_submission_versions(env->store, id, arena, &versions, &version_count));
    if (result == APP_OK)
        result = app_result_of_store(store_submission_files(env->store, id, arena, &files, &file_count));
    struct enrolment e = {0};
    if (result == APP_OK)
        result = app_result_of_store(store_enrolment_get(env->store, s.enrolment_id, arena, &e));
    if (result == APP_OK && e.state != ENROLMENT_ACTIVE && e.state != ENROLMENT_DEFERRED) {
        errors_add(errors, "enrolment_id", "This enrolment is %s: no more work can be submitted in it",
                   e.state == ENROLMENT_WITHDRAWN ? "withdrawn" : "completed");
        result = APP_CONFLICT;
    }
    if (result != APP_OK)
        return app_transaction_end(env->store, result);

    for (size_t i = 0; i < file_count; i++)
        draft_files += files[i].version_id == 0;
    const struct submission_version *latest = version_count > 0 ? &versions[version_count - 1] : NULL;
    struct submission_facts facts = {
        .state = s.state,
        .has_result = latest != NULL && latest->has_result,
        .last_outcome = latest != NULL ? latest->result : OUTCOME_PASS,
        .versions = (int)version_count,
        .max_resubmissions = t.max_resubmissions,
        .activity = s.activity,
        .word_count = assessment_word_count(s.draft_text),
        .word_limit = t.word_limit,
        .file_count = draft_files,
        .now = env->now,
        .deadline = t.deadline,
    };
    bool late = false;
    /* The work's state refusing is a conflict (409); what was written breaking a rule is not (422). */
    if (!assessment_submit_allowed(&facts, errors))
        return app_transaction_end(env->store, APP_CONFLICT);
    if (!assessment_submit_check(&facts, &late, errors))
        return app_transaction_end(env->store, APP_INVALID);

    char hex[SHA256_HEX];
    sha256_hex(s.draft_text, strlen(s.draft_text), hex);
    *out = (struct submission_version){
        .submission_id = id,
        .number = (int)version_count + 1,
        .text = s.draft_text,
        .text_sha256 = arena_strdup(arena, hex),
        .word_count = (int64_t)facts.word_count,
        .submitted_at = env->now,
        .late = late,
    };
    struct buf receipt;
    buf_init(&receipt, SUBMISSION_RECEIPT_MAX);
    if (!write_receipt(&receipt, &t, out, files, file_count)) {
        buf_free(&receipt);
        errors_add(errors, "file", "The receipt would be too long: use fewer files or shorter names");
        return app_transaction_end(env->store, APP_INVALID);
    }
    out->receipt = arena_strdup(arena, receipt.data);
    buf_free(&receipt);
    result = app_result_of_store(store_submission_submit(env->store, env->actor, out, s.state, env->now));
    if (result == APP_CONFLICT)
        errors_add(errors, "state", "This work was submitted meanwhile");
    if (result == APP_OK)
        result = app_result_of_store(email_receipt(env, &s, out->receipt));
    if (result == APP_OK)
        result = progress_refresh(env, s.enrolment_id);
    /* The version exists for the caller only once it is committed: the answer waits for that. */
    return app_transaction_end(env->store, result);
}

/* Feedback */

enum app_result assessment_feedback_add(const struct accounts_env *env, const struct caller *caller, int64_t id,
                                        int version_number, const char *body, struct arena *arena,
                                        struct submission_feedback *out, struct errors *errors)
{
    struct submission s;
    struct submission_view view;
    enum app_result result = app_result_of_store(store_submission_get(env->store, id, arena, &s));
    if (result == APP_OK)
        result = app_result_of_store(view_of(env, caller, &s, &view));
    if (result != APP_OK)
        return result;
    if (!view.coach || view.participant) {
        errors_add(errors, "body", "Only the participant's coach can give feedback on their work");
        return APP_FORBIDDEN;
    }
    if (!text_has_words(body))
        errors_add(errors, "body", "Write the feedback");
    else if (text_characters(body) > SUBMISSION_FEEDBACK_MAX)
        errors_add(errors, "body", "Feedback must be %d characters or fewer", SUBMISSION_FEEDBACK_MAX);
    memset(out, 0, sizeof(*out));
    if (version_number < 0)
        errors_add(errors, "version", "Give the number of a submitted version, or none for the draft");
    else if (version_number > 0) {
        struct submission_version *versions;
        size_t count;
        result = app_result_of_store(store_submission_versions(env->store, id, arena, &versions, &count));
        if (result != APP_OK)
            return result;
        for (size_t i = 0; i < count; i++)
            if (versions[i].number == version_number)
                out->version_id = versions[i].id;
        if (out->version_id == 0)
            errors_add(errors, "version", "This work has no version %d", version_number);
    }
    if (errors->count > 0)
        return APP_INVALID;
    out->submission_id = id;
    out->version_number = version_number;
    out->author_id = caller->user_id;
    out->author_name = caller->name;
    out->body = body;
    return app_result_of_store(store_submission_feedback_add(env->store, env->actor, out, env->now));
}

/* Marking */

/* The latest version's marks: the assessor's and the moderator's, either NULL. */
static void latest_marks(const struct submission *s, struct mark *marks, size_t count, struct mark **assessor,
                         struct mark **moderator)
{
    *assessor = *moderator = NULL;
    for (size_t i = 0; i < count; i++) {
        if (marks[i].version_id != s->latest_version_id)
            continue;
        if (marks[i].role == MARK_ASSESSOR)
            *assessor = &marks[i];
        else
            *moderator = &marks[i];
    }
}

static const char *waiting_for(enum submission_state state)
{
    switch (state) {
    case SUBMISSION_DRAFT: return "This work has not been submitted, so there is nothing to mark yet";
    case SUBMISSION_MODERATED:
        return "This work has been marked and moderated; it is waiting for its result to be released";
    case SUBMISSION_RELEASED: return "The result of this work has been released";
    case SUBMISSION_SUBMITTED:
    case SUBMISSION_MARKED: break;
    }
    return "This work cannot be marked now";
}

enum app_result assessment_mark(const struct accounts_env *env, const struct caller *caller, int64_t id, struct mark *m,
                                struct errors *errors)
{
    struct arena arena = ARENA_INIT;
    if (store_begin(env->store) != STORE_OK)
        return APP_UNAVAILABLE;
    struct submission s;
    struct assessment_task t;
    struct relation r;
    struct mark *marks = NULL, *assessor, *moderator;
    size_t mark_count = 0;
    bool apart = true;
    enum app_result result = app_result_of_store(store_submission_get(env->store, id, &arena, &s));
    if (result == APP_OK)
        result = app_result_of_store(store_task_get(env->store, s.task_id, &arena, &t));
    if (result == APP_OK)
        result = app_result_of_store(store_marks(env->store, id, &arena, &marks, &mark_count));
    if (result == APP_OK)
        result = app_result_of_store(store_relation(env->store, caller, RESOURCE_USER, s.participant_id, &r));
    if (result == APP_OK)
        result = app_result_of_store(keeps_coaches_apart(env->store, &apart));
    if (result != APP_OK)
        goto out;
    latest_marks(&s, marks, mark_count, &assessor, &moderator);

    if (r.is_self) {
        errors_add(errors, "marker", "You cannot mark your own work");
        result = APP_FORBIDDEN;
        goto out;
    }
    bool moderating = false;
    if (s.state == SUBMISSION_MARKED && assessor != NULL) {
        if (!assessment_needs_moderation(s.latest_version_id, t.moderation_percent, assessor->outcome)) {
            errors_add(errors, "state",
                       "This work has been marked and needs no moderation: its result can be released");
            result = APP_CONFLICT;
            goto out;
        }
        moderating = true;
    } else if (s.state != SUBMISSION_SUBMITTED) {
        errors_add(errors, "state", "%s", waiting_for(s.state));
        result = APP_CONFLICT;
        goto out;
    }
    bool is_the_assessor = moderating && assessor->marker_id == caller->user_id;
    if (!assessment_marker_check(moderating, r.coached, apart, is_the_assessor, errors)) {
        /* Coaching the participant is who the caller is (403); a second look by the same eyes is a
         * request the rules refuse (422). */
        result = r.coached && apart ? APP_FORBIDDEN : APP_INVALID;
        goto out;
    }

    bool *met = arena_alloc(&arena, sizeof(*met) * (m->criteria_count + 1));
    const char **titles = arena_alloc(&arena, sizeof(*titles) * (m->criteria_count + 1));
    for (size_t i = 0; i < m->criteria_count; i++) {
        met[i] = m->criteria[i].met;
        titles[i] = i < t.criteria_count ? t.criteria[i].title : NULL;
        if (text_characters(m->criteria[i].comment) > SUBMISSION_COMMENT_MAX)
            errors_add(errors, "criteria", "The comment on criterion %zu must be %d characters or fewer", i + 1,
                       SUBMISSION_COMMENT_MAX);
    }
    if (text_characters(m->feedback) > SUBMISSION_FEEDBACK_MAX)
        errors_add(errors, "feedback", "Feedback must be %d characters or fewer", SUBMISSION_FEEDBACK_MAX);
    bool fine = errors->count == 0;
    if (!assessment_mark_check(m->outcome, met, m->criteria_count, t.criteria_count, titles, m->feedback, errors) ||
        !fine) {
        result = APP_INVALID;
        goto out;
    }

    m->version_id = s.latest_version_id;
    m->version_number = s.versions;
    m->marker_id = caller->user_id;
    m->marker_name = caller->name;
    m->role = moderating ? MARK_MODERATOR : MARK_ASSESSOR;
    result = app_result_of_store(store_mark_add(env->store, env->actor, id, m, s.state,
                                                moderating ? SUBMISSION_MODERATED : SUBMISSION_MARKED, env->now));
    if (result == APP_CONFLICT)
        errors_add(errors, "state", "Someone else marked this work meanwhile");
out:
    arena_release(&arena);
    return app_transaction_end(env->store, result);
}

/* Releasing */

static enum store_status email_result_ready(const struct accounts_env *env, const struct submission *s,
                                            const struct assessment_task *t)
{
    /* Only that a result exists: the outcome is read signed in, with its feedback beside it. */
    struct buf body;
    buf_init(&body, 8192);
    buf_appendf(&body,
                "Dear %s,\n\nThe result of your work for '%s' is ready, with your assessor's feedback.\n\nRead it "
                "here (you will be asked to sign in):\n\n%s/submissions/%lld\n",
                s->participant_name, t->title, env->base_url, (long long)s->id);
    enum store_status status = store_mail_enqueue(
        env->store, s->participant_email, "A result is ready for your NPQ work", body.data ? body.data : "", env->now);
    buf_free(&body);
    return status;
}

/* Records the module a passed module task completes, unless the participant completed it already
 * (store_completion_record's conflict would end the whole transaction, so ask first). */
static enum store_status complete_module(const struct accounts_env *env, const struct submission *s,
                                         const struct assessment_task *t, struct arena *arena)
{
    struct completed_module *done;
    size_t count;
    enum store_status status = store_completions(env->store, s->participant_id, arena, &done, &count);
    for (size_t i = 0; status == STORE_OK && i < count; i++)
        if (strcasecmp(done[i].code, t->target) == 0)
            return STORE_OK;
    if (status != STORE_OK)
        return status;
    char on[DATE_TEXT];
    date_of(s->latest_submitted_at, on);
    char note[300];
    snprintf(note, sizeof(note), "Passed the assessment '%s'", t->title);
    return store_completion_record(env->store, env->actor, s->participant_id, t->target, on, s->enrolment_id, note,
                                   env->now);
}

enum app_result assessment_release(const struct accounts_env *env, const struct caller *caller, int64_t id,
                                   struct errors *errors)
{
    struct arena arena = ARENA_INIT;
    if (store_begin(env->store) != STORE_OK)
        return APP_UNAVAILABLE;
    struct submission s;
    struct assessment_task t;
    struct mark *marks = NULL, *assessor = NULL, *moderator = NULL;
    size_t mark_count = 0;
    enum app_result result = app_result_of_store(store_submission_get(env->store, id, &arena, &s));
    /* Releasing shows the result: nobody may release what they may not see before release (an
     * administrator who coaches the participant while coaches are kept apart from marking). */
    struct submission_view view;
    if (result == APP_OK)
        result = app_result_of_store(view_of(env, caller, &s, &view));
    if (result == APP_OK && !view.sees_unreleased) {
        errors_add(errors, "state", "You coach this participant, so someone else must release their result.");
        result = APP_FORBIDDEN;
    }
    if (result == APP_OK)
        result = app_result_of_store(store_task_get(env->store, s.task_id, &arena, &t));
    if (result == APP_OK)
        result = app_result_of_store(store_marks(env->store, id, &arena, &marks, &mark_count));
    if (result != APP_OK)
        goto out;
    latest_marks(&s, marks, mark_count, &assessor, &moderator);

    bool ready = (s.state == SUBMISSION_MARKED && assessor != NULL &&
                  !assessment_needs_moderation(s.latest_version_id, t.moderation_percent, assessor->outcome)) ||
                 (s.state == SUBMISSION_MODERATED && assessor != NULL && moderator != NULL);
    if (!ready) {
        switch (s.state) {
        case SUBMISSION_DRAFT:
            errors_add(errors, "state", "This work has not been submitted: there is no result");
            break;
        case SUBMISSION_SUBMITTED:
            errors_add(errors, "state", "This work has not been marked yet: there is no result to release");
            break;
        case SUBMISSION_MARKED:
            errors_add(errors, "state",
                       "This work must be moderated before its result is released: a second "
                       "assessor marks it first");
            break;
        case SUBMISSION_MODERATED:
        case SUBMISSION_RELEASED:
            errors_add(errors, "state", "The result of this work has already been released");
            break;
        }
        result = APP_CONFLICT;
        goto out;
    }
    enum mark_outcome outcome = assessment_released_outcome(assessor->outcome, moderator != NULL,
                                                            moderator ? moderator->outcome : OUTCOME_PASS);
    /* A referral goes back to its participant while resubmissions remain (the first version is
     * no resubmission); any other result is final. */
    bool again = outcome == OUTCOME_REFER && s.versions - 1 < t.max_resubmissions;
    result = app_result_of_store(store_result_release(env->store, env->actor, id, s.latest_version_id, outcome, s.state,
                                                      again ? SUBMISSION_DRAFT : SUBMISSION_RELEASED, env->now));
    if (result == APP_CONFLICT)
        errors_add(errors, "state", "The result of this work was released meanwhile");
    if (result == APP_OK)
        result = app_result_of_store(email_result_ready(env, &s, &t));
    if (result == APP_OK && outcome == OUTCOME_PASS && t.kind == TASK_MODULE)
        result = app_result_of_store(complete_module(env, &s, &t, &arena));
    /* A module completed counts in every enrolment of the participant that includes it. */
    if (result == APP_OK)
        result = progress_refresh_scope(env, PROGRESS_OF_PARTICIPANT, s.participant_id, NULL);
out:
    arena_release(&arena);
    return app_transaction_end(env->store, result);
}

/* Reading */

enum app_result assessment_submission_read(const struct accounts_env *env, const struct caller *caller, int64_t id,
                                           struct arena *arena, struct submission_detail *out)
{
    memset(out, 0, sizeof(*out));
    struct submission_file *files;
    struct mark *marks;
    size_t file_count, mark_count;
    enum store_status status = store_submission_get(env->store, id, arena, &out->submission);
    if (status == STORE_OK)
        status = view_of(env, caller, &out->submission, &out->view);
    if (status == STORE_OK)
        status = store_task_get(env->store, out->submission.task_id, arena, &out->task);
    if (status == STORE_OK)
        status = store_submission_versions(env->store, id, arena, &out->versions, &out->version_count);
    if (status == STORE_OK)
        status = store_submission_files(env->store, id, arena, &files, &file_count);
    if (status == STORE_OK)
        status = store_submission_feedback_list(env->store, id, arena, &out->feedback, &out->feedback_count);
    if (status == STORE_OK)
        status = store_marks(env->store, id, arena, &marks, &mark_count);
    if (status != STORE_OK)
        return app_result_of_store(status);

    const struct submission_view *v = &out->view;
    struct submission *s = &out->submission;
    if (!v->sees_draft)
        s->draft_text = NULL;
    out->shown_state = shown_state(s->state, v->sees_unreleased);

    out->files = arena_alloc(arena, sizeof(*out->files) * (file_count + 1));
    for (size_t i = 0; i < file_count; i++)
        if (files[i].version_id != 0 || v->sees_draft)
            out->files[out->file_count++] = files[i];

    /* A mark is shown once its version's result is released, or to those who may mark the work. */
    out->marks = arena_alloc(arena, sizeof(*out->marks) * (mark_count + 1));
    for (size_t i = 0; i < mark_count; i++) {
        bool released = false;
        for (size_t k = 0; k < out->version_count; k++)
            if (out->versions[k].id == marks[i].version_id)
                released = out->versions[k].has_result;
        if (released || v->sees_unreleased)
            out->marks[out->mark_count++] = marks[i];
    }

    if (v->sees_unreleased && s->state == SUBMISSION_MARKED) {
        struct mark *assessor, *moderator;
        latest_marks(s, marks, mark_count, &assessor, &moderator);
        out->awaiting_moderation =
            assessor != NULL &&
            assessment_needs_moderation(s->latest_version_id, out->task.moderation_percent, assessor->outcome);
    }
    int used = s->versions > 1 ? s->versions - 1 : 0;
    out->resubmissions_left = out->task.max_resubmissions > used ? out->task.max_resubmissions - used : 0;
    return APP_OK;
}

/* The participants caller coaches, for lists that must not show them what they may not mark. */
static enum store_status coachees_of(const struct accounts_env *env, const struct caller *caller, struct arena *arena,
                                     struct assignment **list, size_t *count)
{
    return store_assignment_list(env->store, caller->user_id, arena, list, count);
}

static bool coaches(const struct caller *caller, const struct assignment *list, size_t count, int64_t participant)
{
    for (size_t i = 0; i < count; i++)
        if (list[i].kind == ROLE_COACH && list[i].staff_id == caller->user_id && list[i].participant_id == participant)
            return true;
    return false;
}

enum app_result assessment_submission_list(const struct accounts_env *env, const struct caller *caller, int64_t task_id,
                                           struct store_page *page, struct arena *arena,
                                           struct submission_summary **out, size_t *count)
{
    bool marker = policy_is_admin(caller) || policy_is_assessor(caller);
    struct submission_filter filter = {
        .task_id = task_id, .all = marker, .user_id = caller->user_id, .coach = caller_has(caller, ROLE_COACH)};
    struct submission *list;
    struct assignment *assignments;
    size_t n, assignment_count;
    bool apart;
    enum store_status status = store_submission_list(env->store, &filter, page, arena, &list, &n);
    if (status == STORE_OK)
        status = coachees_of(env, caller, arena, &assignments, &assignment_count);
    if (status == STORE_OK)
        status = keeps_coaches_apart(env->store, &apart);
    if (status != STORE_OK)
        return app_result_of_store(status);
    *out = arena_alloc(arena, sizeof(**out) * (n + 1));
    for (size_t i = 0; i < n; i++) {
        bool sees = marker && list[i].participant_id != caller->user_id &&
                    !(apart && coaches(caller, assignments, assignment_count, list[i].participant_id));
        (*out)[i] = (struct submission_summary){list[i], shown_state(list[i].state, sees)};
        (*out)[i].submission.draft_text = NULL; /* lists never carry the work itself */
    }
    *count = n;
    return APP_OK;
}

enum app_result assessment_file_read(const struct accounts_env *env, const struct caller *caller, int64_t id,
                                     int64_t file_id, struct arena *arena, struct submission_file *out)
{
    struct submission s;
    struct submission_view view = {0};
    enum store_status status = store_submission_get(env->store, id, arena, &s);
    if (status == STORE_OK)
        status = view_of(env, caller, &s, &view);
    if (status == STORE_OK)
        status = store_submission_file_get(env->store, id, file_id, arena, out);
    if (status == STORE_OK && out->version_id == 0 && !view.sees_draft)
        status = STORE_NOT_FOUND; /* a draft's file is the participant's and their coach's */
    return app_result_of_store(status);
}

enum app_result assessment_marking_queue(const struct accounts_env *env, const struct caller *caller,
                                         struct store_page *page, struct arena *arena, struct marking_queue_entry **out,
                                         size_t *count)
{
    size_t want = store_page_limit(page);
    *out = arena_alloc(arena, sizeof(**out) * want);
    *count = 0;
    struct assignment *assignments;
    size_t assignment_count;
    bool apart;
    enum store_status status = coachees_of(env, caller, arena, &assignments, &assignment_count);
    if (status == STORE_OK)
        status = keeps_coaches_apart(env->store, &apart);
    /* The store's pages from where this one starts, until it is full or the queue ends. */
    struct store_page at = {.limit = want, .after = page->after};
    struct cursor last = {0};
    page->next = NULL;
    bool more = true;
    while (status == STORE_OK && more && *count < want) {
        struct marking_item *items;
        size_t n;
        status = store_marking_queue(env->store, &at, arena, &items, &n);
        for (size_t i = 0; status == STORE_OK && i < n && *count < want; i++) {
            const struct marking_item *it = &items[i];
            bool left_out = it->participant_id == caller->user_id ||
                            (apart && coaches(caller, assignments, assignment_count, it->participant_id));
            bool for_assessor = it->state == SUBMISSION_SUBMITTED;
            bool for_moderator =
                !for_assessor && it->assessor_id != 0 &&
                assessment_needs_moderation(it->version_id, it->moderation_percent, it->assessor_outcome);
            if (!left_out && (for_assessor || for_moderator)) {
                (*out)[(*count)++] = (struct marking_queue_entry){*it, for_moderator,
                                                                  for_assessor || it->assessor_id != caller->user_id};
                last = (struct cursor){.key = CURSOR_NUMBER, .number = it->submitted_at, .id = it->version_id};
                /* Full: more follow if this store page went on past it, or another page does. */
                if (*count == want && (i + 1 < n || at.next != NULL))
                    page->next = cursor_encode(&last, arena);
            }
        }
        more = status == STORE_OK && store_page_advance(&at, arena);
    }
    return app_result_of_store(status);
}
