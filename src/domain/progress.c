/*
 * Progress rules: see progress.h. Each rule that changes a status adds the sentence that explains
 * it, so a status never stands without its reason.
 */
#include "domain/progress.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

const char *progress_status_name(enum progress_status status)
{
    static const char *const names[] = {"complete", "on_track", "at_risk", "behind"};
    return status < PROGRESS_STATUS_COUNT ? names[status] : "on_track";
}

const char *progress_status_title(enum progress_status status)
{
    static const char *const titles[] = {"Complete", "On track", "At risk", "Behind"};
    return status < PROGRESS_STATUS_COUNT ? titles[status] : "On track";
}

struct progress_thresholds progress_thresholds_default(void)
{
    return (struct progress_thresholds){.missed_events_at_risk = 1,
                                        .missed_events_behind = 2,
                                        .deadline_warning_days = 14,
                                        .deadline_urgent_days = 3,
                                        .hours_expected_percent = 50,
                                        .content_expected_percent = 50};
}

static const struct {
    const char *name;
    size_t offset;
    long min, max;
} thresholds_named[PROGRESS_THRESHOLD_COUNT] = {
    {"missed_events_at_risk", offsetof(struct progress_thresholds, missed_events_at_risk), 1, 50},
    {"missed_events_behind", offsetof(struct progress_thresholds, missed_events_behind), 1, 50},
    {"deadline_warning_days", offsetof(struct progress_thresholds, deadline_warning_days), 0, 365},
    {"deadline_urgent_days", offsetof(struct progress_thresholds, deadline_urgent_days), 0, 365},
    {"hours_expected_percent", offsetof(struct progress_thresholds, hours_expected_percent), 0, 100},
    {"content_expected_percent", offsetof(struct progress_thresholds, content_expected_percent), 0, 100},
};

const char *progress_threshold_name(size_t index)
{
    return index < PROGRESS_THRESHOLD_COUNT ? thresholds_named[index].name : "";
}

int progress_threshold_get(const struct progress_thresholds *t, size_t index)
{
    if (index >= PROGRESS_THRESHOLD_COUNT)
        return 0;
    return *(const int *)((const char *)t + thresholds_named[index].offset);
}

bool progress_threshold_set(struct progress_thresholds *t, const char *name, long value)
{
    for (size_t i = 0; i < PROGRESS_THRESHOLD_COUNT; i++) {
        if (strcmp(thresholds_named[i].name, name) != 0)
            continue;
        if (value < thresholds_named[i].min || value > thresholds_named[i].max)
            return false;
        *(int *)((char *)t + thresholds_named[i].offset) = (int)value;
        return true;
    }
    return false;
}

bool progress_thresholds_consistent(const struct progress_thresholds *t)
{
    return t->missed_events_behind > t->missed_events_at_risk && t->deadline_urgent_days <= t->deadline_warning_days;
}

bool progress_status_parse(const char *name, enum progress_status *out)
{
    for (int s = 0; s < PROGRESS_STATUS_COUNT; s++)
        if (strcmp(name, progress_status_name((enum progress_status)s)) == 0) {
            *out = (enum progress_status)s;
            return true;
        }
    return false;
}

__attribute__((format(printf, 2, 3))) static void reason_add(struct progress_reasons *reasons, const char *format, ...)
{
    if (reasons->count >= PROGRESS_REASONS_MAX)
        return;
    va_list args;
    va_start(args, format);
    vsnprintf(reasons->text[reasons->count], PROGRESS_REASON_TEXT, format, args);
    va_end(args);
    reasons->count++;
}

static enum progress_status worse(enum progress_status a, enum progress_status b)
{
    return a > b ? a : b;
}

static const char *plural(int n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

/* Course items the schedule expects done by now: the share of the module's events held, rounded
 * down, so nothing is expected before the first event. */
static int content_expected(const struct progress_module_facts *facts)
{
    if (facts->events_total <= 0 || facts->content_items <= 0)
        return 0;
    int held = facts->events_held < facts->events_total ? facts->events_held : facts->events_total;
    return (int)((long)facts->content_items * held / facts->events_total);
}

struct progress_module progress_module_assess(const struct progress_module_facts *facts,
                                              const struct progress_thresholds *thresholds)
{
    struct progress_module out = {.status = PROGRESS_ON_TRACK};
    if (facts->completed) {
        out.status = PROGRESS_COMPLETE;
        reason_add(&out.reasons, "%s completed", facts->title);
        return out;
    }
    if (facts->events_missed >= thresholds->missed_events_behind ||
        (facts->events_missed >= thresholds->missed_events_at_risk && facts->events_missed > 0)) {
        out.status = facts->events_missed >= thresholds->missed_events_behind ? PROGRESS_BEHIND : PROGRESS_AT_RISK;
        reason_add(&out.reasons, "missed %d of %d face-to-face %s", facts->events_missed, facts->events_held,
                   plural(facts->events_held, "event", "events"));
    }
    if (facts->events_all_held && facts->hours_cap > 0 &&
        (long)facts->hours_logged * 100 < (long)facts->hours_cap * thresholds->hours_expected_percent) {
        out.status = worse(out.status, PROGRESS_AT_RISK);
        reason_add(&out.reasons, "%d of %d learning hours logged", facts->hours_logged / 60, facts->hours_cap / 60);
    }
    int expected = content_expected(facts);
    if (expected > 0 && (long)facts->content_done * 100 < (long)expected * thresholds->content_expected_percent) {
        out.status = worse(out.status, PROGRESS_AT_RISK);
        reason_add(&out.reasons, "%d of %d course %s done, %d expected by now", facts->content_done,
                   facts->content_items, plural(facts->content_items, "item", "items"), expected);
    }
    if (out.status == PROGRESS_ON_TRACK) {
        if (facts->events_held > 0)
            reason_add(&out.reasons, "attended %d of %d %s so far", facts->events_attended, facts->events_held,
                       plural(facts->events_held, "event", "events"));
        else
            reason_add(&out.reasons, "no events held yet");
    }
    return out;
}

static void assessment_assess(const struct progress_facts *facts, const struct progress_thresholds *thresholds,
                              struct progress *out)
{
    if (facts->result == PROGRESS_RESULT_FAIL) {
        out->status = worse(out->status, PROGRESS_BEHIND);
        reason_add(&out->reasons, "final assessment not passed");
        return;
    }
    if (facts->result == PROGRESS_RESULT_REFERRED) {
        out->status = worse(out->status, PROGRESS_AT_RISK);
        reason_add(&out->reasons, "final assessment referred for resubmission");
        return;
    }
    if (facts->submitted || !facts->has_deadline)
        return;
    int days = facts->days_to_deadline;
    if (days < 0) {
        out->status = worse(out->status, PROGRESS_BEHIND);
        reason_add(&out->reasons, "final assessment was due %d %s ago, not submitted", -days,
                   plural(-days, "day", "days"));
    } else if (days <= thresholds->deadline_warning_days) {
        enum progress_status status =
            days <= thresholds->deadline_urgent_days && !facts->draft_started ? PROGRESS_BEHIND : PROGRESS_AT_RISK;
        out->status = worse(out->status, status);
        reason_add(&out->reasons, "final assessment due in %d %s, %s", days, plural(days, "day", "days"),
                   facts->draft_started ? "draft not yet submitted" : "no draft yet");
    }
}

struct progress progress_assess(const struct progress_facts *facts, const struct progress_thresholds *thresholds,
                                struct progress_module *modules_out)
{
    struct progress out = {.status = PROGRESS_ON_TRACK};
    if (facts->result == PROGRESS_RESULT_PASS) {
        out.status = PROGRESS_COMPLETE;
        reason_add(&out.reasons, "final assessment passed");
    }
    int completed = 0;
    int missed = 0;
    int held = 0;
    enum progress_status modules = PROGRESS_ON_TRACK;
    for (size_t i = 0; i < facts->module_count; i++) {
        struct progress_module m = progress_module_assess(&facts->modules[i], thresholds);
        if (modules_out != NULL)
            modules_out[i] = m;
        if (m.status == PROGRESS_COMPLETE)
            completed++;
        else
            modules = worse(modules, m.status);
        missed += facts->modules[i].events_missed;
        held += facts->modules[i].events_held;
    }
    if (out.status == PROGRESS_COMPLETE)
        return out;
    /* Missed events are summed across modules, as a participant counts them; a module at risk
     * for another reason is named with it. */
    if (missed > 0)
        reason_add(&out.reasons, "missed %d of %d face-to-face %s", missed, held, plural(held, "event", "events"));
    for (size_t i = 0; i < facts->module_count && modules > PROGRESS_ON_TRACK; i++) {
        const struct progress_module_facts *m = &facts->modules[i];
        if (m->completed || m->events_missed > 0)
            continue;
        struct progress_module judged = progress_module_assess(m, thresholds);
        if (judged.status > PROGRESS_ON_TRACK)
            reason_add(&out.reasons, "%s: %s", m->title, judged.reasons.text[0]);
    }
    out.status = modules;
    assessment_assess(facts, thresholds, &out);
    if (facts->modules_required > 0)
        reason_add(&out.reasons, "%d of %d %s completed", completed, facts->modules_required,
                   plural(facts->modules_required, "module", "modules"));
    if (facts->coaching_held > 0)
        reason_add(&out.reasons, "%d coaching %s held", facts->coaching_held,
                   plural(facts->coaching_held, "session", "sessions"));
    return out;
}
