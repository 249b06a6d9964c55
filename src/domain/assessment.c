/*
 * The rules of assessment and award: tasks, submitting, marking, who marks whom, moderation
 * samples, the award rule in words and certificate numbers. See assessment.h for each contract.
 * Nothing here reads a clock, a file or the store: the caller passes "now" and the facts, so each
 * rule is tested at its exact boundaries.
 */
#include "domain/assessment.h"

#include "lib/buf.h"
#include "lib/text.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* The header names no counts for these enumerations; the tables below are their length. */
enum { TASK_KIND_COUNT = 2, MARK_OUTCOME_COUNT = 3, SUBMISSION_STATE_COUNT = 5 };

enum {
    TASK_TITLE_MAX = 200,   /* characters in a task's or a criterion's title */
    TASK_BRIEF_MAX = 20000, /* bytes of Markdown in a brief */
    TASK_RESUBMISSIONS_MAX = 5,
    AWARD_SERIAL_DIGITS = 6, /* a serial is padded to at least this many digits */
    AWARD_WHY_MAX = 4096,    /* the award sentence is built whole up to this, then cut to fit */
};

/*
 * Names and titles of the small enumerations: one table each, read both ways. enrolment.c and
 * delivery.c have the same shape; it is file-local there, so this module keeps its own.
 */

#define ASSESSMENT_ENUM_TABLE(prefix, type, count, ...)                                                                \
    static const struct text_name prefix##_table[count] = {__VA_ARGS__};                                               \
    const char *prefix##_name(type value)                                                                              \
    {                                                                                                                  \
        return (unsigned)value < (unsigned)(count) ? prefix##_table[value].name : "";                                  \
    }                                                                                                                  \
    bool prefix##_parse(const char *name, type *value)                                                                 \
    {                                                                                                                  \
        int i;                                                                                                         \
        if (!text_name_find(prefix##_table, count, name, &i))                                                          \
            return false;                                                                                              \
        *value = (type)i;                                                                                              \
        return true;                                                                                                   \
    }

ASSESSMENT_ENUM_TABLE(task_kind, enum task_kind, TASK_KIND_COUNT, {"module", "Module assessment"},
                      {"final", "Final assessment"})
ASSESSMENT_ENUM_TABLE(mark_outcome, enum mark_outcome, MARK_OUTCOME_COUNT, {"pass", "Pass"},
                      {"refer", "Referred for resubmission"}, {"fail", "Fail"})
ASSESSMENT_ENUM_TABLE(submission_state, enum submission_state, SUBMISSION_STATE_COUNT, {"draft", "Draft"},
                      {"submitted", "Submitted"}, {"marked", "Marked"}, {"moderated", "Moderated"},
                      {"released", "Result released"})

const char *mark_outcome_title(enum mark_outcome outcome)
{
    return (unsigned)outcome < MARK_OUTCOME_COUNT ? mark_outcome_table[outcome].title : "";
}

/* Tasks */

bool assessment_task_check(const struct catalogue *catalogue, struct task_input *task, struct errors *errors)
{
    /* ok, not the length of errors, decides: a full error list must still refuse. */
    bool ok = true;
    const char *target = task->target != NULL ? task->target : "";

    if (task->kind == TASK_MODULE) {
        const struct catalogue_module *m = catalogue_module_find(catalogue, target, strlen(target));
        if (!text_has_words(target)) {
            errors_add(errors, "target", "Choose the module this task assesses.");
            ok = false;
        } else if (m == NULL) {
            errors_add(errors, "target", "There is no module called %s.", target);
            ok = false;
        } else {
            task->target = m->code;
        }
    } else if (task->kind == TASK_FINAL) {
        const struct catalogue_qualification *q = catalogue_qualification_find(catalogue, target, strlen(target));
        if (!text_has_words(target)) {
            errors_add(errors, "target", "Choose the qualification whose final assessment this is.");
            ok = false;
        } else if (q == NULL) {
            errors_add(errors, "target", "There is no qualification called %s.", target);
            ok = false;
        } else if (!q->rule.final_assessment) {
            errors_add(errors, "target", "The %s has no final assessment.", q->code);
            ok = false;
        } else {
            task->target = q->code;
        }
    } else {
        errors_add(errors, "kind", "Choose whether the task assesses a module or is a final assessment.");
        ok = false;
    }

    if (!text_has_words(task->title)) {
        errors_add(errors, "title", "Enter a title for the task.");
        ok = false;
    } else if (text_characters(task->title) > TASK_TITLE_MAX) {
        errors_add(errors, "title", "The title must be %d characters or fewer. It has %zu.", TASK_TITLE_MAX,
                   text_characters(task->title));
        ok = false;
    }
    if (task->brief != NULL && strlen(task->brief) > TASK_BRIEF_MAX) {
        char limit[32];
        text_thousands(TASK_BRIEF_MAX, limit);
        errors_add(errors, "brief", "The brief must be %s bytes or fewer. Shorten it, or link to a longer document.",
                   limit);
        ok = false;
    }
    if (task->deadline <= 0) {
        errors_add(errors, "deadline", "Enter the deadline for the work.");
        ok = false;
    }
    if (task->word_limit < 0 || task->word_limit > ASSESSMENT_MAX_WORDS) {
        char limit[32];
        text_thousands(ASSESSMENT_MAX_WORDS, limit);
        errors_add(errors, "word_limit", "The word limit must be between 0 (no limit) and %s.", limit);
        ok = false;
    }
    if (task->max_resubmissions < 0 || task->max_resubmissions > TASK_RESUBMISSIONS_MAX) {
        errors_add(errors, "max_resubmissions", "Allow between 0 and %d resubmissions.", TASK_RESUBMISSIONS_MAX);
        ok = false;
    }
    if (task->moderation_percent < 0 || task->moderation_percent > 100) {
        errors_add(errors, "moderation_percent",
                   "The share of marked work to moderate must be between 0 and 100 percent.");
        ok = false;
    }

    if (task->max_file_bytes < 1 || task->max_file_bytes > TASK_FILE_BYTES_MAX) {
        char most[32];
        text_bytes(TASK_FILE_BYTES_MAX, most);
        errors_add(errors, "max_file_bytes",
                   "The largest file a participant may attach must be more than 0 and at most %s.", most);
        ok = false;
    }

    if (task->criteria_count == 0 || task->criteria == NULL) {
        errors_add(errors, "criteria", "Add at least 1 criterion the work is marked against.");
        ok = false;
    } else {
        if (task->criteria_count > ASSESSMENT_MAX_CRITERIA) {
            errors_add(errors, "criteria", "A task can have at most %d criteria. This one has %zu.",
                       ASSESSMENT_MAX_CRITERIA, task->criteria_count);
            ok = false;
        }
        for (size_t i = 0; i < task->criteria_count; i++) {
            if (!text_has_words(task->criteria[i])) {
                errors_add(errors, "criteria", "Criterion %zu needs a title.", i + 1);
                ok = false;
            } else if (text_characters(task->criteria[i]) > TASK_TITLE_MAX) {
                errors_add(errors, "criteria", "The title of criterion %zu must be %d characters or fewer.", i + 1,
                           TASK_TITLE_MAX);
                ok = false;
            }
        }
    }
    return ok;
}

/* Counting words */

enum char_class { CHAR_END, CHAR_WORD, CHAR_JOINER, CHAR_SEPARATOR };

/*
 * Code points beyond ASCII that separate words as ASCII spaces and punctuation do: the Unicode
 * spaces (a no-break space pasted from a word processor is still a space), the byte order mark,
 * and the punctuation people put between words (dashes, quotation marks, the ellipsis,
 * guillemets, ideographic full stops). The zero-width joiners are not among them: they hold
 * words in some scripts, and emoji, together.
 */
static bool unicode_separator(uint32_t cp)
{
    return cp == 0x85 || cp == 0xA0 || cp == 0xA1 || cp == 0xAB || cp == 0xB7 || cp == 0xBB || cp == 0xBF ||
           cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200B) || (cp >= 0x2012 && cp <= 0x2018) ||
           (cp >= 0x201A && cp <= 0x205F) || (cp >= 0x3000 && cp <= 0x3003) || cp == 0xFEFF;
}

/*
 * The character at p: what it is to a word, and in *len how many bytes it takes. Every character
 * beyond ASCII but the separators above counts as a letter, so words in any script are counted.
 * A byte that does not start a well-formed sequence is one letter on its own; a sequence is only
 * read while its bytes are continuation bytes, and the terminating NUL is not one, so nothing
 * past it is read.
 */
static enum char_class classify(const unsigned char *p, size_t *len)
{
    unsigned char c = p[0];
    *len = 1;
    if (c == '\0')
        return CHAR_END;
    if (c < 0x80) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
            return CHAR_WORD;
        return c == '\'' || c == '-' ? CHAR_JOINER : CHAR_SEPARATOR;
    }
    size_t n = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    uint32_t cp = n == 2 ? c & 0x1Fu : n == 3 ? c & 0x0Fu : c & 0x07u;
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return CHAR_WORD; /* malformed: this byte alone, the next read afresh */
        cp = cp << 6 | (p[i] & 0x3Fu);
    }
    if (n == 0)
        return CHAR_WORD;
    *len = n;
    /* A typographic apostrophe and the Unicode hyphens join like their ASCII forms. */
    if (cp == 0x2019 || cp == 0x2010 || cp == 0x2011)
        return CHAR_JOINER;
    return unicode_separator(cp) ? CHAR_SEPARATOR : CHAR_WORD;
}

size_t assessment_word_count(const char *text)
{
    if (text == NULL)
        return 0;
    const unsigned char *p = (const unsigned char *)text;
    size_t count = 0;
    bool in_word = false;
    for (;;) {
        size_t len;
        enum char_class cls = classify(p, &len);
        if (cls == CHAR_END)
            break;
        if (cls == CHAR_WORD) {
            if (!in_word)
                count++;
            in_word = true;
        } else if (cls == CHAR_JOINER) {
            /* Inside a word ("don't", "well-known") it joins; at either end it separates. */
            size_t next_len;
            in_word = in_word && classify(p + len, &next_len) == CHAR_WORD;
        } else {
            in_word = false;
        }
        p += len;
    }
    return count;
}

/* Submitting */

bool assessment_submit_allowed(const struct submission_facts *f, struct errors *errors)
{
    switch (f->state) {
    case SUBMISSION_DRAFT:
        if (f->versions <= 0)
            return true;
        break;
    case SUBMISSION_RELEASED: break;
    case SUBMISSION_SUBMITTED:
        errors_add(errors, "state", "This work has already been submitted and is waiting for marking.");
        return false;
    case SUBMISSION_MARKED:
    case SUBMISSION_MODERATED:
        errors_add(errors, "state",
                   "This work has already been submitted and marked. Its result has not been released yet.");
        return false;
    default: errors_add(errors, "state", "This work cannot be submitted now."); return false;
    }
    /* A version exists: only a released referral opens the way to another. */
    if (!f->has_result) {
        errors_add(errors, "state", "This work has already been submitted and is waiting for its result.");
        return false;
    }
    switch (f->last_outcome) {
    case OUTCOME_PASS:
        errors_add(errors, "state", "This work has passed, so there is nothing to resubmit.");
        return false;
    case OUTCOME_FAIL:
        errors_add(errors, "state", "This work has failed, and failed work cannot be resubmitted.");
        return false;
    case OUTCOME_REFER:
        /* versions counts the first submission too: resubmissions used are versions - 1. */
        if ((long long)f->versions - 1 < (long long)f->max_resubmissions)
            return true;
        if (f->max_resubmissions <= 0)
            errors_add(errors, "state", "This task allows no resubmissions.");
        else
            errors_add(errors, "state", "You have used the %d resubmission%s this task allows.", f->max_resubmissions,
                       f->max_resubmissions == 1 ? "" : "s");
        return false;
    }
    errors_add(errors, "state", "This work cannot be submitted now.");
    return false;
}

bool assessment_submit_check(const struct submission_facts *facts, bool *late, struct errors *errors)
{
    bool ok = assessment_submit_allowed(facts, errors);
    if (!text_has_words(facts->activity)) {
        errors_add(errors, "activity", "Name the school-improvement activity this work is about.");
        ok = false;
    }
    if (facts->word_count == 0 && facts->file_count == 0) {
        errors_add(errors, "text", "Write your work, or attach it as a file.");
        ok = false;
    } else if (facts->word_limit > 0 && facts->word_count > (size_t)facts->word_limit) {
        char words[32], limit[32];
        text_thousands(facts->word_count, words);
        text_thousands((uint64_t)facts->word_limit, limit);
        errors_add(errors, "text", "Your work is %s words; the limit is %s.", words, limit);
        ok = false;
    }
    /* A task always has a deadline (assessment_task_check); 0 or less reads as none. */
    if (late != NULL)
        *late = facts->deadline > 0 && facts->now > facts->deadline;
    return ok;
}

/* Marking */

/* "criterion 2 (Plans the change) is", "criteria 1 (Reads the evidence) and 2 (Plans the change) are". */
static void unmet_criteria(struct buf *b, const bool *met, size_t count, size_t unmet, const char *const *titles)
{
    buf_append_str(b, unmet == 1 ? "criterion " : "criteria ");
    for (size_t i = 0, named = 0; i < count; i++) {
        if (met[i])
            continue;
        named++;
        if (named > 1)
            buf_append_str(b, named == unmet ? " and " : ", ");
        buf_appendf(b, "%zu", i + 1);
        if (titles != NULL && titles[i] != NULL && *titles[i] != '\0')
            buf_appendf(b, " (%s)", titles[i]);
    }
    buf_append_str(b, unmet == 1 ? " is" : " are");
}

bool assessment_mark_check(enum mark_outcome outcome, const bool *met, size_t criteria_count, size_t expected,
                           const char *const *titles, const char *feedback, struct errors *errors)
{
    bool ok = true;
    bool known = (unsigned)outcome < MARK_OUTCOME_COUNT;
    size_t judged = met != NULL ? criteria_count : 0;
    if (!known) {
        errors_add(errors, "outcome", "Choose pass, refer or fail.");
        ok = false;
    }
    if (judged != expected) {
        errors_add(errors, "criteria", "Judge every criterion: this task has %zu, and %zu %s judged.", expected, judged,
                   judged == 1 ? "was" : "were");
        ok = false;
    } else if (known) {
        /* Whether the outcome agrees is only asked of a complete judgement. */
        size_t unmet = 0;
        for (size_t i = 0; i < judged; i++)
            if (!met[i])
                unmet++;
        if (outcome == OUTCOME_PASS && unmet > 0) {
            struct buf which;
            buf_init(&which, 4096);
            unmet_criteria(&which, met, judged, unmet, titles);
            errors_add(errors, "outcome",
                       "A pass needs every criterion met, and %s not. Mark %s met, or refer the work.",
                       which.data ? which.data : "some", unmet == 1 ? "it" : "them");
            buf_free(&which);
            ok = false;
        } else if (outcome != OUTCOME_PASS && unmet == 0) {
            errors_add(errors, "outcome",
                       "Work cannot be %s when every criterion is met. Mark it as a pass, or say which criteria "
                       "it does not meet.",
                       outcome == OUTCOME_REFER ? "referred" : "failed");
            ok = false;
        }
    }
    if (!text_has_words(feedback)) {
        errors_add(errors, "feedback", "Write feedback for the participant.");
        ok = false;
    }
    return ok;
}

bool assessment_marker_check(bool moderating, bool coaches_participant, bool keep_coaches_apart, bool is_the_assessor,
                             struct errors *errors)
{
    bool ok = true;
    if (moderating && is_the_assessor) {
        errors_add(errors, "marker", "A moderator must be someone other than the assessor.");
        ok = false;
    }
    if (keep_coaches_apart && coaches_participant) {
        if (moderating)
            errors_add(errors, "marker", "You coach this participant, so another moderator must moderate their work.");
        else
            errors_add(errors, "marker", "You coach this participant, so another assessor must mark their work.");
        ok = false;
    }
    return ok;
}

/* Moderation */

/* splitmix64's finaliser: consecutive ids spread evenly, and the same id always lands alike. */
static uint64_t mix(uint64_t x)
{
    x += 0x9E3779B97F4A7C15u;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9u;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBu;
    return x ^ (x >> 31);
}

bool assessment_needs_moderation(int64_t version_id, int moderation_percent, enum mark_outcome assessor_outcome)
{
    if (assessor_outcome == OUTCOME_FAIL)
        return true;
    if (moderation_percent <= 0)
        return false;
    if (moderation_percent >= 100)
        return true;
    return mix((uint64_t)version_id) % 100 < (uint64_t)moderation_percent;
}

enum mark_outcome assessment_released_outcome(enum mark_outcome assessor, bool moderated, enum mark_outcome moderator)
{
    return moderated ? moderator : assessor;
}

/* Awards */

static bool module_completed(const struct award_facts *facts, const char *code)
{
    for (size_t i = 0; i < facts->modules_completed_count; i++)
        if (facts->modules_completed != NULL && facts->modules_completed[i] != NULL &&
            strcasecmp(facts->modules_completed[i], code) == 0)
            return true;
    return false;
}

/*
 * Copies s into out, cut at a character boundary when it does not fit, so a long sentence still
 * reads from its start and never ends in half a character.
 */
static void copy_cut(char *out, size_t size, const char *s)
{
    if (out == NULL || size == 0)
        return;
    size_t len = strlen(s);
    if (len >= size) {
        len = size - 1;
        while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
            len--;
    }
    memcpy(out, s, len);
    out[len] = '\0';
}

/* One item of a list "a, b and c": index counts from 0 of total. Stops at the first that does not
 * fit, so the list never has a gap. */
static void __attribute__((format(printf, 5, 6)))
list_item(struct buf *b, bool *fits, size_t index, size_t total, const char *fmt, ...)
{
    if (!*fits)
        return;
    const char *sep = index == 0 ? "" : index + 1 == total ? " and " : ", ";
    va_list ap;
    va_start(ap, fmt);
    *fits = buf_append_str(b, sep) && buf_vappendf(b, fmt, ap);
    va_end(ap);
}

bool award_check(const struct catalogue *catalogue, const struct award_facts *facts, char *why, size_t size)
{
    const struct catalogue_qualification *q = facts->qualification;
    if (q == NULL) {
        copy_cut(why, size, "needs a qualification to award");
        return false;
    }
    const struct catalogue_rule *rule = &q->rule;

    size_t essential_missing = 0;
    for (size_t i = 0; i < rule->essential_count; i++)
        if (!module_completed(facts, rule->essential[i]))
            essential_missing++;
    /* Each elective counts once however often it appears, and extra ones change nothing. */
    int electives_done = 0;
    for (size_t i = 0; i < rule->elective_from_count; i++)
        if (module_completed(facts, rule->elective_from[i]))
            electives_done++;
    int electives_needed = rule->elective_count > electives_done ? rule->elective_count - electives_done : 0;
    bool final_needed = rule->final_assessment && !facts->final_assessment_passed;
    bool online = facts->model == DELIVERY_ONLINE;
    int events_required = online ? rule->min_virtual_events : rule->min_face_to_face_events;
    int events_attended = online ? facts->virtual_attended : facts->face_to_face_attended;
    int events_needed = events_required > events_attended ? events_required - events_attended : 0;

    size_t total = essential_missing + (electives_needed > 0) + final_needed + (events_needed > 0);
    if (total == 0) {
        copy_cut(why, size, "all requirements met");
        return true;
    }

    struct buf b;
    buf_init(&b, AWARD_WHY_MAX);
    bool fits = buf_append_str(&b, "needs ");
    size_t index = 0;
    for (size_t i = 0; i < rule->essential_count; i++) {
        const char *code = rule->essential[i];
        if (module_completed(facts, code))
            continue;
        const struct catalogue_module *m = catalogue ? catalogue_module_find(catalogue, code, strlen(code)) : NULL;
        list_item(&b, &fits, index++, total, "%s", m ? m->title : code);
    }
    /* "1 more elective" once some are done; "2 electives" when none are yet. */
    if (electives_needed > 0)
        list_item(&b, &fits, index++, total, "%d %selective%s", electives_needed, electives_done > 0 ? "more " : "",
                  electives_needed == 1 ? "" : "s");
    if (final_needed)
        list_item(&b, &fits, index++, total, "a pass in the final assessment");
    if (events_needed > 0)
        list_item(&b, &fits, index++, total, "%d more %s event%s", events_needed,
                  online ? "virtual live" : "face-to-face", events_needed == 1 ? "" : "s");
    copy_cut(why, size, b.data ? b.data : "");
    buf_free(&b);
    return false;
}

/* Certificate numbers */

/* A qualification code in a number: upper-case letters and digits, no hyphen (it separates). */
static bool code_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* The Luhn check digit for a string of digits: from the right, every other digit doubled,
 * starting with the rightmost, so it catches any one digit changed and most neighbours swapped. */
static char luhn_check_digit(const char *digits, size_t len)
{
    unsigned sum = 0;
    bool twice = true;
    for (size_t i = len; i-- > 0;) {
        unsigned d = (unsigned)(digits[i] - '0');
        if (twice)
            d = d * 2 > 9 ? d * 2 - 9 : d * 2;
        sum += d;
        twice = !twice;
    }
    return (char)('0' + (10 - sum % 10) % 10);
}

void award_certificate_number(const char *qualification, int year, int64_t serial, char out[AWARD_NUMBER_TEXT])
{
    out[0] = '\0';
    /* Nothing that could not be read back: out stays "" for a code, year or serial with no number. */
    if (qualification == NULL || qualification[0] == '\0' || year < 1 || year > 9999 || serial < 0)
        return;
    char code[AWARD_NUMBER_TEXT];
    size_t len = 0;
    for (const char *p = qualification; *p != '\0'; p++) {
        char c = *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A') : *p;
        if (!code_char(c) || len + 1 >= sizeof(code))
            return;
        code[len++] = c;
    }
    code[len] = '\0';
    char digits[32];
    int n = snprintf(digits, sizeof(digits), "%04d%0*" PRId64, year, AWARD_SERIAL_DIGITS, serial);
    if (n < 0 || (size_t)n >= sizeof(digits))
        return;
    char number[64];
    n = snprintf(number, sizeof(number), "%s-%.4s-%s-%c", code, digits, digits + 4,
                 luhn_check_digit(digits, (size_t)n));
    if (n < 0 || n >= AWARD_NUMBER_TEXT)
        return;
    memcpy(out, number, (size_t)n + 1);
}

/* Digits from p while they last; their count. */
static size_t digits_at(const char *p)
{
    size_t n = 0;
    while (p[n] >= '0' && p[n] <= '9')
        n++;
    return n;
}

bool award_certificate_number_valid(const char *number)
{
    if (number == NULL || strnlen(number, AWARD_NUMBER_TEXT) >= AWARD_NUMBER_TEXT)
        return false;
    const char *p = number;
    size_t code_len = 0;
    while (code_char(p[code_len]))
        code_len++;
    if (code_len == 0 || p[code_len] != '-')
        return false;
    p += code_len + 1;
    if (digits_at(p) != 4 || p[4] != '-')
        return false;
    char digits[AWARD_NUMBER_TEXT];
    memcpy(digits, p, 4);
    p += 5;
    size_t serial_len = digits_at(p);
    /* Padded to six digits and no further: a longer serial never starts with 0. */
    if (serial_len < AWARD_SERIAL_DIGITS || (serial_len > AWARD_SERIAL_DIGITS && p[0] == '0') || p[serial_len] != '-')
        return false;
    memcpy(digits + 4, p, serial_len);
    p += serial_len + 1;
    if (digits_at(p) != 1 || p[1] != '\0')
        return false;
    return p[0] == luhn_check_digit(digits, 4 + serial_len);
}
