/*
 * The store's contract for assessment: tasks and their criteria, drafts and their files,
 * submitted versions numbered 1..n, coaches' feedback, marks, released results and the marking
 * queue. Every change of state is compare-and-set on the state it leaves.
 */
#include "fixture.h"

#include "lib/buf.h"
#include "store/blob.h"

#include <sodium.h>
#include <stdlib.h>

#include <string.h>

struct work {
    int64_t task, participant, enrolment, submission;
};

static struct work some_work(struct fixture *f)
{
    struct work w = {.task = fx_task(f), .participant = fx_person(f, "Pat Participant", ROLE_PARTICIPANT, 0, 0)};
    w.enrolment = fx_enrolment(f, w.participant, 0);
    w.submission = fx_submission(f, w.task, w.enrolment, w.participant);
    return w;
}

static struct mark mark_of(int64_t version, int64_t marker, enum mark_role role, enum mark_outcome outcome,
                           struct mark_criterion *criteria)
{
    return (struct mark){.version_id = version,
                         .marker_id = marker,
                         .role = role,
                         .outcome = outcome,
                         .feedback = "Clear **plan**",
                         .criteria = criteria,
                         .criteria_count = 2};
}

/* ---- Tasks ---- */

static void a_task_is_set_with_its_criteria_and_listed_by_deadline(void **state)
{
    struct fixture *f = *state;
    int64_t id = fx_task(f);
    struct assessment_task t;
    assert_int_equal(store_task_get(f->store, id, &f->arena, &t), STORE_OK);
    assert_int_equal(t.kind, TASK_MODULE);
    assert_string_equal(t.target, "leading-teaching");
    assert_string_equal(t.title, "A plan for teaching");
    assert_string_equal(t.brief, "Write a plan.");
    assert_int_equal(t.deadline, f->now + 30 * 86400);
    assert_int_equal(t.word_limit, 2000);
    assert_int_equal(t.max_resubmissions, 2);
    assert_int_equal(t.moderation_percent, 20);
    assert_int_equal(t.criteria_count, 2);
    assert_string_equal(t.criteria[0].title, "Analyses the evidence");
    assert_string_equal(t.criteria[0].descriptor, "Uses data from the school");
    assert_string_equal(t.criteria[1].descriptor, "");
    assert_int_equal(t.versions_submitted, 0);
    assert_int_equal(fx_audited(f, "assessment_task.create", "assessment_task", id), 1);
    assert_int_equal(store_task_get(f->store, 999999, &f->arena, &t), STORE_NOT_FOUND);

    struct assessment_criterion one[] = {{"Reflects", ""}};
    struct assessment_task final = {.kind = TASK_FINAL,
                                    .target = "NPQSL",
                                    .title = "Final",
                                    .deadline = f->now + 86400,
                                    .max_resubmissions = 1,
                                    .max_file_bytes = TASK_FILE_BYTES_DEFAULT,
                                    .criteria = one,
                                    .criteria_count = 1};
    assert_int_equal(store_task_create(f->store, &f->admin, &final, f->now), STORE_OK);
    struct assessment_task *list;
    size_t count;
    assert_int_equal(store_task_list(f->store, NULL, &f->arena, &list, &count), STORE_OK);
    assert_int_equal(count, 2);
    assert_int_equal(list[0].id, final.id); /* the sooner deadline first */
    assert_int_equal(list[0].criteria_count, 1);
    assert_int_equal(store_task_list(f->store, "LEADING-TEACHING", &f->arena, &list, &count), STORE_OK);
    assert_int_equal(count, 1);
    assert_int_equal(list[0].id, id);
    assert_int_equal(list[0].criteria_count, 2);
}

static void a_tasks_criteria_change_only_before_work_is_submitted_against_them(void **state)
{
    struct fixture *f = *state;
    struct work w = some_work(f);
    struct assessment_task t;
    assert_int_equal(store_task_get(f->store, w.task, &f->arena, &t), STORE_OK);
    struct assessment_criterion three[] = {{"One", ""}, {"Two", ""}, {"Three", "3"}};
    struct assessment_task changed = t;
    changed.title = "A better plan";
    changed.deadline += 86400;
    changed.criteria = three;
    changed.criteria_count = 3;
    assert_int_equal(store_task_update(f->store, &f->admin, &changed, true, f->now + 1), STORE_OK);
    assert_int_equal(store_task_get(f->store, w.task, &f->arena, &t), STORE_OK);
    assert_string_equal(t.title, "A better plan");
    assert_int_equal(t.criteria_count, 3);
    assert_string_equal(t.criteria[2].descriptor, "3");
    assert_int_equal(t.updated_at, f->now + 1);

    assert_int_equal(fx_submit(f->store, &f->actor, w.submission, 1, SUBMISSION_DRAFT, f->now + 2, NULL), STORE_OK);
    assert_int_equal(store_task_get(f->store, w.task, &f->arena, &t), STORE_OK);
    assert_int_equal(t.versions_submitted, 1);
    /* Work was written to these criteria: replacing them is refused, other changes are not. */
    struct assessment_criterion other[] = {{"Other", ""}, {"Criteria", ""}};
    changed.title = "Refused title";
    changed.criteria = other;
    changed.criteria_count = 2;
    assert_int_equal(store_task_update(f->store, &f->admin, &changed, true, f->now + 3), STORE_CONFLICT);
    assert_int_equal(store_task_get(f->store, w.task, &f->arena, &t), STORE_OK);
    assert_string_equal(t.title, "A better plan");
    assert_int_equal(t.criteria_count, 3);
    changed.title = "A later deadline";
    assert_int_equal(store_task_update(f->store, &f->admin, &changed, false, f->now + 4), STORE_OK);
    assert_int_equal(store_task_get(f->store, w.task, &f->arena, &t), STORE_OK);
    assert_string_equal(t.title, "A later deadline");
    assert_int_equal(t.criteria_count, 3);
    assert_int_equal(fx_audited(f, "assessment_task.update", "assessment_task", w.task), 2);
    changed.id = 999999;
    assert_int_equal(store_task_update(f->store, &f->admin, &changed, false, f->now), STORE_NOT_FOUND);
}

/* ---- Drafts and files ---- */

static void a_draft_is_started_once_and_saved_until_submitted(void **state)
{
    struct fixture *f = *state;
    struct work w = some_work(f);
    struct submission again = {.task_id = w.task, .enrolment_id = w.enrolment, .participant_id = w.participant};
    int64_t existing = 0;
    assert_int_equal(store_submission_create(f->store, &f->actor, &again, f->now, &existing), STORE_CONFLICT);
    assert_int_equal(existing, w.submission);
    struct submission lost = {.task_id = 999999, .enrolment_id = w.enrolment, .participant_id = w.participant};
    assert_int_equal(store_submission_create(f->store, &f->actor, &lost, f->now, &existing), STORE_NOT_FOUND);
    lost = (struct submission){.task_id = w.task, .enrolment_id = 999999, .participant_id = w.participant};
    assert_int_equal(store_submission_create(f->store, &f->actor, &lost, f->now, &existing), STORE_NOT_FOUND);

    assert_int_equal(
        store_submission_save_draft(f->store, &f->actor, w.submission, "Reading scheme", "First words", f->now + 1),
        STORE_OK);
    assert_int_equal(store_submission_save_draft(f->store, &f->actor, w.submission, NULL, "Second words", f->now + 2),
                     STORE_OK);
    struct submission s;
    assert_int_equal(store_submission_get(f->store, w.submission, &f->arena, &s), STORE_OK);
    assert_int_equal(s.task_id, w.task);
    assert_string_equal(s.task_title, "A plan for teaching");
    assert_int_equal(s.enrolment_id, w.enrolment);
    assert_int_equal(s.participant_id, w.participant);
    assert_string_equal(s.participant_name, "Pat Participant");
    assert_string_equal(s.activity, "Reading scheme"); /* NULL kept it */
    assert_string_equal(s.draft_text, "Second words");
    assert_int_equal(s.state, SUBMISSION_DRAFT);
    assert_int_equal(s.versions, 0);
    assert_int_equal(s.latest_version_id, 0);
    assert_int_equal(s.updated_at, f->now + 2);
    assert_int_equal(fx_audited(f, "submission.save_draft", "submission", w.submission), 2);

    assert_int_equal(fx_submit(f->store, &f->actor, w.submission, 1, SUBMISSION_DRAFT, f->now + 3, NULL), STORE_OK);
    assert_int_equal(store_submission_save_draft(f->store, &f->actor, w.submission, NULL, "Too late", f->now + 4),
                     STORE_CONFLICT);
    assert_int_equal(store_submission_save_draft(f->store, &f->actor, 999999, NULL, "Nowhere", f->now),
                     STORE_NOT_FOUND);
    assert_int_equal(store_submission_get(f->store, 999999, &f->arena, &s), STORE_NOT_FOUND);
}

static void lists_of_submissions_keep_to_the_filter(void **state)
{
    struct fixture *f = *state;
    struct work pat = some_work(f);
    int64_t sam = fx_person(f, "Sam Participant", ROLE_PARTICIPANT, 0, 0);
    int64_t coach = fx_person(f, "Cody Coach", ROLE_COACH, 0, 0);
    int64_t a = 0;
    assert_int_equal(store_assignment_create(f->store, &f->actor, ROLE_COACH, coach, sam, f->now, &a), STORE_OK);
    int64_t sams = fx_submission(f, pat.task, fx_enrolment(f, sam, 0), sam);
    int64_t other_task = fx_task(f);
    int64_t pats_other = fx_submission(f, other_task, pat.enrolment, pat.participant);
    assert_int_equal(store_submission_save_draft(f->store, &f->actor, sams, NULL, "x", f->now + 5), STORE_OK);

    struct submission *list;
    size_t count;
    struct submission_filter all = {.all = true};
    assert_int_equal(
        store_submission_list(f->store, &all, &(struct store_page){.limit = 100}, &f->arena, &list, &count), STORE_OK);
    assert_int_equal(count, 3);
    assert_int_equal(list[0].id, sams); /* the latest change first */
    struct submission_filter task = {.task_id = pat.task, .all = true};
    assert_int_equal(
        store_submission_list(f->store, &task, &(struct store_page){.limit = 100}, &f->arena, &list, &count), STORE_OK);
    assert_int_equal(count, 2);
    struct submission_filter own = {.user_id = pat.participant};
    assert_int_equal(
        store_submission_list(f->store, &own, &(struct store_page){.limit = 100}, &f->arena, &list, &count), STORE_OK);
    assert_int_equal(count, 2);
    assert_true(list[0].id == pats_other || list[1].id == pats_other);
    struct submission_filter coachees = {.user_id = coach, .coach = true};
    assert_int_equal(
        store_submission_list(f->store, &coachees, &(struct store_page){.limit = 100}, &f->arena, &list, &count),
        STORE_OK);
    assert_int_equal(count, 1);
    assert_int_equal(list[0].id, sams);

    struct relation r;
    struct caller as_coach = fx_caller(f, coach);
    assert_int_equal(store_relation(f->store, &as_coach, RESOURCE_SUBMISSION, sams, &r), STORE_OK);
    assert_true(r.exists && r.coached);
    assert_int_equal(store_relation(f->store, &as_coach, RESOURCE_SUBMISSION, pat.submission, &r), STORE_OK);
    assert_true(r.exists && !r.coached);
    assert_int_equal(store_relation(f->store, &as_coach, RESOURCE_SUBMISSION, 999999, &r), STORE_OK);
    assert_false(r.exists);
}

/* Keeps len bytes as a blob in a transaction of its own; its id. */
static int64_t kept(struct fixture *f, const void *data, size_t len)
{
    struct blob_writer w;
    struct blob b;
    assert_int_equal(store_begin(f->store), STORE_OK);
    assert_int_equal(blob_write_begin(f->store, &w, f->now), STORE_OK);
    assert_int_equal(blob_write(&w, data, len), STORE_OK);
    assert_int_equal(blob_write_end(&w, "text/plain; charset=utf-8", &b), STORE_OK);
    assert_int_equal(store_commit(f->store), STORE_OK);
    return b.id;
}

static bool gather(void *arg, const void *data, size_t len)
{
    struct buf *b = arg;
    buf_append(b, data, len);
    return true;
}

static void blobs_are_kept_once_in_chunks_and_read_by_range(void **state)
{
    struct fixture *f = *state;
    /* Three chunks and a bit, written in uneven pieces. */
    size_t len = 3 * BLOB_CHUNK_BYTES + 1000;
    unsigned char *data = malloc(len);
    for (size_t i = 0; i < len; i++)
        data[i] = (unsigned char)(i * 7 + i / 251);
    struct blob_writer w;
    struct blob first, again, got;
    assert_int_equal(store_begin(f->store), STORE_OK);
    assert_int_equal(blob_write_begin(f->store, &w, f->now), STORE_OK);
    for (size_t at = 0; at < len; at += 100003)
        assert_int_equal(blob_write(&w, data + at, len - at < 100003 ? len - at : 100003), STORE_OK);
    assert_int_equal(blob_write_end(&w, "video/mp4", &first), STORE_OK);
    assert_int_equal(store_commit(f->store), STORE_OK);
    unsigned char hash[crypto_hash_sha256_BYTES];
    char hex[BLOB_SHA256_HEX];
    crypto_hash_sha256(hash, data, len);
    sodium_bin2hex(hex, sizeof(hex), hash, sizeof(hash));
    assert_string_equal(first.sha256, hex);
    assert_int_equal(first.size, (int64_t)len);

    /* The same bytes in one piece: the blob kept already. */
    assert_int_equal(store_begin(f->store), STORE_OK);
    assert_int_equal(blob_write_begin(f->store, &w, f->now), STORE_OK);
    assert_int_equal(blob_write(&w, data, len), STORE_OK);
    assert_int_equal(blob_write_end(&w, "video/mp4", &again), STORE_OK);
    assert_int_equal(store_commit(f->store), STORE_OK);
    assert_int_equal(again.id, first.id);
    int64_t count, bytes;
    assert_int_equal(blob_totals(f->store, &count, &bytes), STORE_OK);
    assert_int_equal(count, 1);
    assert_int_equal(bytes, (int64_t)len);

    assert_int_equal(blob_get(f->store, first.id, &got), STORE_OK);
    assert_string_equal(got.media_type, "video/mp4");
    struct {
        uint64_t first, last;
    } ranges[] = {{0, 0},
                  {0, len - 1},
                  {BLOB_CHUNK_BYTES - 1, BLOB_CHUNK_BYTES},
                  {len - 10, len - 1},
                  {5, 2 * BLOB_CHUNK_BYTES + 3}};
    for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
        struct buf b;
        buf_init(&b, len + 1);
        assert_int_equal(blob_read(f->store, &got, ranges[i].first, ranges[i].last, gather, &b), STORE_OK);
        assert_int_equal(b.len, ranges[i].last - ranges[i].first + 1);
        assert_memory_equal(b.data, data + ranges[i].first, b.len);
        buf_free(&b);
    }
    free(data);

    /* A blob no file holds goes when released; a rolled-back write leaves nothing. */
    assert_int_equal(store_begin(f->store), STORE_OK);
    assert_int_equal(blob_release(f->store, first.id), STORE_OK);
    assert_int_equal(blob_write_begin(f->store, &w, f->now), STORE_OK);
    assert_int_equal(blob_write(&w, "abc", 3), STORE_OK);
    blob_write_abandon(&w);
    store_rollback(f->store);
    assert_int_equal(blob_get(f->store, first.id, &got), STORE_OK); /* the release rolled back too */
    assert_int_equal(blob_totals(f->store, &count, &bytes), STORE_OK);
    assert_int_equal(count, 1);
}

static void files_belong_to_the_draft_until_it_is_submitted(void **state)
{
    struct fixture *f = *state;
    struct work w = some_work(f);
    struct submission_file pdf = {.submission_id = w.submission,
                                  .name = "plan.pdf",
                                  .content_type = "application/pdf",
                                  .size = 5,
                                  .sha256 = "5d41",
                                  .blob_id = kept(f, "hello", 5)};
    struct submission_file empty = {.submission_id = w.submission,
                                    .name = "empty.txt",
                                    .content_type = "text/plain",
                                    .size = 0,
                                    .sha256 = "e3b0",
                                    .blob_id = kept(f, "", 0)};
    assert_int_equal(store_submission_file_add(f->store, &f->actor, &pdf, f->now), STORE_OK);
    assert_int_equal(store_submission_file_add(f->store, &f->actor, &empty, f->now), STORE_OK);
    struct submission_file lost = pdf;
    lost.submission_id = 999999;
    assert_int_equal(store_submission_file_add(f->store, &f->actor, &lost, f->now), STORE_NOT_FOUND);

    struct submission_file got;
    assert_int_equal(store_submission_file_get(f->store, w.submission, pdf.id, &f->arena, &got), STORE_OK);
    assert_string_equal(got.name, "plan.pdf");
    assert_string_equal(got.content_type, "application/pdf");
    assert_int_equal(got.size, 5);
    assert_string_equal(got.sha256, "5d41");
    assert_int_equal(got.version_id, 0);
    assert_int_equal(got.blob_id, pdf.blob_id);
    /* The files row names the participant, so their export finds it. */
    struct stored_file held;
    assert_int_equal(store_file_get(f->store, got.file_id, &f->arena, &held), STORE_OK);
    struct submission s;
    assert_int_equal(store_submission_get(f->store, w.submission, &f->arena, &s), STORE_OK);
    assert_int_equal(held.owner_id, s.participant_id);
    assert_string_equal(held.record_kind, "submission");
    assert_int_equal(store_submission_file_get(f->store, w.submission, empty.id, &f->arena, &got), STORE_OK);
    assert_int_equal(got.size, 0);
    assert_int_equal(store_submission_file_get(f->store, w.submission + 1, pdf.id, &f->arena, &got), STORE_NOT_FOUND);

    assert_int_equal(store_submission_file_delete(f->store, &f->actor, w.submission, empty.id, f->now), STORE_OK);
    assert_int_equal(store_submission_file_delete(f->store, &f->actor, w.submission, empty.id, f->now),
                     STORE_NOT_FOUND);
    assert_int_equal(fx_audited(f, "submission.file_add", "submission", w.submission), 2);
    assert_int_equal(fx_audited(f, "submission.file_delete", "submission", w.submission), 1);

    int64_t version = 0;
    assert_int_equal(fx_submit(f->store, &f->actor, w.submission, 1, SUBMISSION_DRAFT, f->now + 1, &version), STORE_OK);
    struct submission_file *files;
    size_t count;
    assert_int_equal(store_submission_files(f->store, w.submission, &f->arena, &files, &count), STORE_OK);
    assert_int_equal(count, 1);
    assert_int_equal(files[0].id, pdf.id);
    assert_int_equal(files[0].version_id, version); /* now part of the version */
    /* Submitted work keeps its files and takes no new ones. */
    assert_int_equal(store_submission_file_delete(f->store, &f->actor, w.submission, pdf.id, f->now + 2),
                     STORE_NOT_FOUND);
    assert_int_equal(store_submission_file_add(f->store, &f->actor, &empty, f->now + 2), STORE_CONFLICT);
}

static void a_drafts_file_cannot_be_removed_once_the_work_has_moved_on(void **state)
{
    struct fixture *f = *state;
    struct work w = some_work(f);
    int64_t version = 0;
    assert_int_equal(fx_submit(f->store, &f->actor, w.submission, 1, SUBMISSION_DRAFT, f->now, &version), STORE_OK);
    assert_int_equal(store_result_release(f->store, &f->actor, w.submission, version, OUTCOME_REFER,
                                          SUBMISSION_SUBMITTED, SUBMISSION_DRAFT, f->now + 1),
                     STORE_OK);
    struct submission_file notes = {
        .submission_id = w.submission, .name = "notes.txt", .content_type = "text/plain", .size = 2, .sha256 = "ab"};
    notes.blob_id = kept(f, "hi", 2);
    assert_int_equal(store_submission_file_add(f->store, &f->actor, &notes, f->now + 2), STORE_OK);
    assert_int_equal(fx_submit(f->store, &f->actor, w.submission, 2, SUBMISSION_DRAFT, f->now + 3, NULL), STORE_OK);
    struct submission_file late = notes;
    assert_int_equal(store_submission_file_add(f->store, &f->actor, &late, f->now + 4), STORE_CONFLICT);
    /* A file added while a draft, then submitted, is the version's: not the draft's to remove. */
    assert_int_equal(store_submission_file_delete(f->store, &f->actor, w.submission, notes.id, f->now + 5),
                     STORE_NOT_FOUND);
}

/* ---- Versions ---- */

static void submitting_writes_versions_numbered_one_to_n(void **state)
{
    struct fixture *f = *state;
    struct work w = some_work(f);
    assert_int_equal(store_submission_save_draft(f->store, &f->actor, w.submission, "Scheme", "Words", f->now),
                     STORE_OK);
    /* Not the next number: refused, whatever the caller counted. */
    assert_int_equal(fx_submit(f->store, &f->actor, w.submission, 2, SUBMISSION_DRAFT, f->now + 1, NULL),
                     STORE_CONFLICT);
    assert_int_equal(fx_submit(f->store, &f->actor, w.submission, 0, SUBMISSION_DRAFT, f->now + 1, NULL),
                     STORE_CONFLICT);
    struct submission_version v = {.submission_id = w.submission,
                                   .number = 1,
                                   .text = "Words",
                                   .text_sha256 = "abc123",
                                   .word_count = 1,
                                   .late = true,
                                   .receipt = "Received 1"};
    assert_int_equal(store_submission_submit(f->store, &f->actor, &v, SUBMISSION_DRAFT, f->now + 2), STORE_OK);
    assert_int_equal(v.submitted_at, f->now + 2);
    /* From a state it is no longer in: someone submitted meanwhile. */
    assert_int_equal(fx_submit(f->store, &f->actor, w.submission, 2, SUBMISSION_DRAFT, f->now + 3, NULL),
                     STORE_CONFLICT);

    struct submission s;
    assert_int_equal(store_submission_get(f->store, w.submission, &f->arena, &s), STORE_OK);
    assert_int_equal(s.state, SUBMISSION_SUBMITTED);
    assert_int_equal(s.versions, 1);
    assert_int_equal(s.latest_version_id, v.id);
    assert_int_equal(s.latest_submitted_at, f->now + 2);

    int64_t v1 = v.id;
    assert_int_equal(store_result_release(f->store, &f->actor, w.submission, v1, OUTCOME_REFER, SUBMISSION_SUBMITTED,
                                          SUBMISSION_DRAFT, f->now + 4),
                     STORE_OK);
    assert_int_equal(fx_submit(f->store, &f->actor, w.submission, 3, SUBMISSION_DRAFT, f->now + 5, NULL),
                     STORE_CONFLICT);
    assert_int_equal(fx_submit(f->store, &f->actor, w.submission, 1, SUBMISSION_DRAFT, f->now + 5, NULL),
                     STORE_CONFLICT);
    assert_int_equal(fx_submit(f->store, &f->actor, w.submission, 2, SUBMISSION_DRAFT, f->now + 5, NULL), STORE_OK);

    struct submission_version *versions;
    size_t count;
    assert_int_equal(store_submission_versions(f->store, w.submission, &f->arena, &versions, &count), STORE_OK);
    assert_int_equal(count, 2);
    assert_int_equal(versions[0].id, v1);
    assert_int_equal(versions[0].number, 1);
    assert_string_equal(versions[0].text, "Words");
    assert_string_equal(versions[0].text_sha256, "abc123");
    assert_int_equal(versions[0].word_count, 1);
    assert_true(versions[0].late);
    assert_string_equal(versions[0].receipt, "Received 1");
    assert_true(versions[0].has_result);
    assert_int_equal(versions[0].result, OUTCOME_REFER);
    assert_int_equal(versions[0].released_at, f->now + 4);
    assert_int_equal(versions[1].number, 2);
    assert_false(versions[1].has_result);
    assert_int_equal(fx_audited(f, "submission.submit", "submission", w.submission), 2);
    assert_int_equal(fx_submit(f->store, &f->actor, 999999, 1, SUBMISSION_DRAFT, f->now, NULL), STORE_NOT_FOUND);
}

/* ---- Feedback, marks, results, the queue ---- */

static void feedback_is_given_on_the_draft_or_on_a_version_of_the_same_work(void **state)
{
    struct fixture *f = *state;
    struct work w = some_work(f), other = some_work(f);
    int64_t coach = fx_person(f, "Cody Coach", ROLE_COACH, 0, 0);
    int64_t version = 0, elsewhere = 0;
    assert_int_equal(fx_submit(f->store, &f->actor, w.submission, 1, SUBMISSION_DRAFT, f->now, &version), STORE_OK);
    assert_int_equal(fx_submit(f->store, &f->actor, other.submission, 1, SUBMISSION_DRAFT, f->now, &elsewhere),
                     STORE_OK);
    struct submission_feedback on_draft = {.submission_id = w.submission, .author_id = coach, .body = "Good start"};
    struct submission_feedback on_version = {
        .submission_id = w.submission, .version_id = version, .author_id = coach, .body = "Well argued"};
    struct submission_feedback wrong = {
        .submission_id = w.submission, .version_id = elsewhere, .author_id = coach, .body = "Misplaced"};
    assert_int_equal(store_submission_feedback_add(f->store, &f->actor, &on_draft, f->now + 1), STORE_OK);
    assert_int_equal(store_submission_feedback_add(f->store, &f->actor, &on_version, f->now + 2), STORE_OK);
    assert_int_equal(store_submission_feedback_add(f->store, &f->actor, &wrong, f->now + 3), STORE_NOT_FOUND);
    struct submission_feedback unknown = {.submission_id = 999999, .author_id = coach, .body = "Nowhere"};
    assert_int_equal(store_submission_feedback_add(f->store, &f->actor, &unknown, f->now), STORE_NOT_FOUND);

    struct submission_feedback *list;
    size_t count;
    assert_int_equal(store_submission_feedback_list(f->store, w.submission, &f->arena, &list, &count), STORE_OK);
    assert_int_equal(count, 2);
    assert_int_equal(list[0].version_id, 0);
    assert_int_equal(list[0].version_number, 0);
    assert_string_equal(list[0].body, "Good start");
    assert_string_equal(list[0].author_name, "Cody Coach");
    assert_int_equal(list[1].version_id, version);
    assert_int_equal(list[1].version_number, 1);
    assert_int_equal(fx_audited(f, "submission.feedback", "submission", w.submission), 2);
}

static void a_version_is_marked_once_per_role_then_released_once(void **state)
{
    struct fixture *f = *state;
    struct work w = some_work(f);
    int64_t assessor = fx_person(f, "Asa Assessor", ROLE_ASSESSOR, 0, 0);
    int64_t moderator = fx_person(f, "Mo Moderator", ROLE_ASSESSOR, 0, 0);
    int64_t version = 0;
    assert_int_equal(fx_submit(f->store, &f->actor, w.submission, 1, SUBMISSION_DRAFT, f->now, &version), STORE_OK);

    struct marking_item *queue;
    size_t count;
    assert_int_equal(store_marking_queue(f->store, &(struct store_page){0}, &f->arena, &queue, &count), STORE_OK);
    assert_int_equal(count, 1);
    assert_int_equal(queue[0].submission_id, w.submission);
    assert_int_equal(queue[0].state, SUBMISSION_SUBMITTED);
    assert_int_equal(queue[0].task_id, w.task);
    assert_string_equal(queue[0].task_title, "A plan for teaching");
    assert_int_equal(queue[0].task_kind, TASK_MODULE);
    assert_string_equal(queue[0].task_target, "leading-teaching");
    assert_int_equal(queue[0].moderation_percent, 20);
    assert_int_equal(queue[0].participant_id, w.participant);
    assert_int_equal(queue[0].version_id, version);
    assert_int_equal(queue[0].version_number, 1);
    assert_int_equal(queue[0].assessor_id, 0);

    struct mark_criterion met[] = {{true, "Yes"}, {false, ""}};
    struct mark m = mark_of(version, assessor, MARK_ASSESSOR, OUTCOME_PASS, met);
    assert_int_equal(
        store_mark_add(f->store, &f->actor, w.submission, &m, SUBMISSION_SUBMITTED, SUBMISSION_MARKED, f->now + 1),
        STORE_OK);
    struct mark twice = mark_of(version, assessor, MARK_ASSESSOR, OUTCOME_FAIL, met);
    assert_int_equal(
        store_mark_add(f->store, &f->actor, w.submission, &twice, SUBMISSION_SUBMITTED, SUBMISSION_MARKED, f->now + 2),
        STORE_CONFLICT); /* moved on */
    assert_int_equal(
        store_mark_add(f->store, &f->actor, w.submission, &twice, SUBMISSION_MARKED, SUBMISSION_MARKED, f->now + 2),
        STORE_CONFLICT); /* a mark in that role already */
    assert_int_equal(store_marking_queue(f->store, &(struct store_page){0}, &f->arena, &queue, &count), STORE_OK);
    assert_int_equal(count, 1);
    assert_int_equal(queue[0].state, SUBMISSION_MARKED);
    assert_int_equal(queue[0].assessor_id, assessor);
    assert_string_equal(queue[0].assessor_name, "Asa Assessor");
    assert_int_equal(queue[0].assessor_outcome, OUTCOME_PASS);

    struct mark moderated = mark_of(version, moderator, MARK_MODERATOR, OUTCOME_REFER, met);
    assert_int_equal(store_mark_add(f->store, &f->actor, w.submission, &moderated, SUBMISSION_MARKED,
                                    SUBMISSION_MODERATED, f->now + 3),
                     STORE_OK);
    struct mark *marks;
    assert_int_equal(store_marks(f->store, w.submission, &f->arena, &marks, &count), STORE_OK);
    assert_int_equal(count, 2);
    assert_int_equal(marks[0].role, MARK_ASSESSOR); /* then the moderator */
    assert_int_equal(marks[0].marker_id, assessor);
    assert_string_equal(marks[0].marker_name, "Asa Assessor");
    assert_int_equal(marks[0].outcome, OUTCOME_PASS);
    assert_string_equal(marks[0].feedback, "Clear **plan**");
    assert_int_equal(marks[0].version_number, 1);
    assert_int_equal(marks[0].criteria_count, 2);
    assert_true(marks[0].criteria[0].met);
    assert_string_equal(marks[0].criteria[0].comment, "Yes");
    assert_false(marks[0].criteria[1].met);
    assert_int_equal(marks[1].role, MARK_MODERATOR);
    assert_int_equal(marks[1].outcome, OUTCOME_REFER);
    assert_string_equal(mark_role_name(MARK_MODERATOR), "moderator");
    assert_string_equal(mark_role_name(MARK_ASSESSOR), "assessor");
    assert_int_equal(store_marking_queue(f->store, &(struct store_page){0}, &f->arena, &queue, &count), STORE_OK);
    assert_int_equal(count, 0);

    assert_int_equal(store_result_release(f->store, &f->admin, w.submission, version, OUTCOME_REFER,
                                          SUBMISSION_SUBMITTED, SUBMISSION_RELEASED, f->now + 4),
                     STORE_CONFLICT); /* not in that state */
    assert_int_equal(store_result_release(f->store, &f->admin, w.submission, version, OUTCOME_REFER,
                                          SUBMISSION_MODERATED, SUBMISSION_RELEASED, f->now + 4),
                     STORE_OK);
    struct submission s;
    assert_int_equal(store_submission_get(f->store, w.submission, &f->arena, &s), STORE_OK);
    assert_int_equal(s.state, SUBMISSION_RELEASED);
    assert_int_equal(store_result_release(f->store, &f->admin, w.submission, version, OUTCOME_PASS, SUBMISSION_RELEASED,
                                          SUBMISSION_RELEASED, f->now + 5),
                     STORE_CONFLICT); /* a result already */
    struct submission_version *versions;
    assert_int_equal(store_submission_versions(f->store, w.submission, &f->arena, &versions, &count), STORE_OK);
    assert_true(versions[0].has_result);
    assert_int_equal(versions[0].result, OUTCOME_REFER);
    assert_int_equal(fx_audited(f, "submission.mark", "submission", w.submission), 2);
    assert_int_equal(fx_audited(f, "submission.release", "submission", w.submission), 1);
    assert_int_equal(
        store_mark_add(f->store, &f->actor, 999999, &twice, SUBMISSION_SUBMITTED, SUBMISSION_MARKED, f->now),
        STORE_NOT_FOUND);
}

int main(void)
{
#define TEST(name) cmocka_unit_test_setup_teardown(name, fixture_setup, fixture_teardown)
    const struct CMUnitTest tests[] = {
        TEST(a_task_is_set_with_its_criteria_and_listed_by_deadline),
        TEST(a_tasks_criteria_change_only_before_work_is_submitted_against_them),
        TEST(a_draft_is_started_once_and_saved_until_submitted),
        TEST(lists_of_submissions_keep_to_the_filter),
        TEST(blobs_are_kept_once_in_chunks_and_read_by_range),
        TEST(files_belong_to_the_draft_until_it_is_submitted),
        TEST(a_drafts_file_cannot_be_removed_once_the_work_has_moved_on),
        TEST(submitting_writes_versions_numbered_one_to_n),
        TEST(feedback_is_given_on_the_draft_or_on_a_version_of_the_same_work),
        TEST(a_version_is_marked_once_per_role_then_released_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
