/*
 * The rules of delivering a programme: events, the cohort's plan, bookings, attendance, learning
 * hours, coaching and reminders. See delivery.h for each contract. Nothing here reads a clock or a
 * file; the caller passes "now" and "today".
 */
#include "domain/delivery.h"

#include "lib/date.h"
#include "lib/text.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/*
 * Names and titles of the small enumerations: one table each, read both ways. enrolment.c has the
 * same shape for its enums; it is file-local there, so this module keeps its own.
 */

#define DELIVERY_ENUM_TABLE(prefix, type, count, ...)                                                                  \
    static const struct text_name prefix##_table[count] = {__VA_ARGS__};                                               \
    const char *prefix##_name(type value)                                                                              \
    {                                                                                                                  \
        return (unsigned)value < (unsigned)(count) ? prefix##_table[value].name : "";                                  \
    }                                                                                                                  \
    const char *prefix##_title(type value)                                                                             \
    {                                                                                                                  \
        return (unsigned)value < (unsigned)(count) ? prefix##_table[value].title : "";                                 \
    }                                                                                                                  \
    bool prefix##_parse(const char *name, type *value)                                                                 \
    {                                                                                                                  \
        int i;                                                                                                         \
        if (!text_name_find(prefix##_table, count, name, &i))                                                          \
            return false;                                                                                              \
        *value = (type)i;                                                                                              \
        return true;                                                                                                   \
    }

DELIVERY_ENUM_TABLE(delivery_event_kind, enum delivery_event_kind, DELIVERY_EVENT_KIND_COUNT,
                    {"face_to_face", "Face-to-face event"}, {"virtual_live", "Virtual live event"},
                    {"webinar", "Webinar"})
DELIVERY_ENUM_TABLE(delivery_attendance_mark, enum delivery_attendance_mark, DELIVERY_ATTENDANCE_MARK_COUNT,
                    {"present", "Present"}, {"late", "Late"}, {"absent", "Absent"}, {"excused", "Excused"})
/* The seed's list: "workplace learning, face-to-face activity, including peer and facilitated
 * learning, reading, reflection and online learning". */
DELIVERY_ENUM_TABLE(delivery_activity, enum delivery_activity, DELIVERY_ACTIVITY_COUNT,
                    {"workplace_learning", "Workplace learning"}, {"face_to_face", "Face-to-face activity"},
                    {"peer_learning", "Peer learning"}, {"facilitated_learning", "Facilitated learning"},
                    {"reading", "Reading"}, {"reflection", "Reflection"}, {"online_learning", "Online learning"})
DELIVERY_ENUM_TABLE(delivery_coaching_mode, enum delivery_coaching_mode, DELIVERY_COACHING_MODE_COUNT,
                    {"online", "Online"}, {"in_person", "In person"})
DELIVERY_ENUM_TABLE(delivery_note_visibility, enum delivery_note_visibility, DELIVERY_NOTE_VISIBILITY_COUNT,
                    {"private", "Private (coach only)"}, {"shared", "Shared with the participant"})

/* A joining link: https:// then a host, no spaces or control characters, of a sane length. */
static bool https_url_valid(const char *url)
{
    static const char scheme[] = "https://";
    size_t len = strlen(url);
    if (len > DELIVERY_URL_MAX || len <= sizeof(scheme) - 1 || strncasecmp(url, scheme, sizeof(scheme) - 1) != 0)
        return false;
    const char *host = url + sizeof(scheme) - 1;
    if (*host == '/' || *host == '?' || *host == '#' || *host == ':')
        return false;
    for (const char *p = url; *p != '\0'; p++)
        if ((unsigned char)*p <= ' ' || *p == 0x7F)
            return false;
    return true;
}

/* Start and end of something lasting at most 12 hours; noun is "event" or "session", a_noun "An event"... */
static void check_times(int64_t starts_at, int64_t ends_at, const char *noun, const char *a_noun, struct errors *errors)
{
    if (starts_at <= 0)
        errors_add(errors, "starts_at", "Enter when the %s starts", noun);
    if (ends_at <= 0)
        errors_add(errors, "ends_at", "Enter when the %s ends", noun);
    if (starts_at <= 0 || ends_at <= 0)
        return;
    if (ends_at <= starts_at)
        errors_add(errors, "ends_at", "The %s must end after it starts", noun);
    else if (ends_at - starts_at > DELIVERY_EVENT_MAX_SECONDS)
        errors_add(errors, "ends_at", "%s can last at most 12 hours. Split a longer one into separate %ss", a_noun,
                   noun);
}

bool delivery_event_check(const struct delivery_event_input *e, struct errors *errors)
{
    size_t before = errors->count;
    bool online = e->kind == DELIVERY_EVENT_VIRTUAL_LIVE || e->kind == DELIVERY_EVENT_WEBINAR;
    /* How the sentences below name an online event, inside a sentence and at its start. */
    bool live = e->kind == DELIVERY_EVENT_VIRTUAL_LIVE;
    const char *noun = live ? "a virtual live event" : "a webinar";
    const char *noun_start = live ? "A virtual live event" : "A webinar";

    if ((unsigned)e->kind >= DELIVERY_EVENT_KIND_COUNT)
        errors_add(errors, "kind", "Choose whether the event is face-to-face, virtual live or a webinar");
    if (!text_has_words(e->title))
        errors_add(errors, "title", "Enter a title for the event");
    else if (text_characters(e->title) > DELIVERY_TITLE_MAX)
        errors_add(errors, "title", "The title must be %d characters or fewer. It has %zu", DELIVERY_TITLE_MAX,
                   text_characters(e->title));
    check_times(e->starts_at, e->ends_at, "event", "An event", errors);
    if (e->capacity < 1)
        errors_add(errors, "capacity", "An event needs at least 1 place");
    else if (e->capacity > DELIVERY_CAPACITY_MAX)
        errors_add(errors, "capacity", "An event can have at most %d places", DELIVERY_CAPACITY_MAX);

    if (e->kind == DELIVERY_EVENT_FACE_TO_FACE) {
        if (e->venue_id <= 0)
            errors_add(errors, "venue_id", "Choose the venue for a face-to-face event");
        /* A link is optional here (for a speaker joining remotely), but if given it must be safe. */
        if (text_has_words(e->joining_url) && !https_url_valid(e->joining_url))
            errors_add(errors, "joining_url",
                       "The joining link must be a full web address starting with https://, or be left empty");
    } else if (online) {
        if (e->venue_id != 0)
            errors_add(errors, "venue_id",
                       "%s takes place online, so it has no venue. Remove the venue, or make it a face-to-face "
                       "event",
                       noun_start);
        if (!text_has_words(e->joining_url))
            errors_add(errors, "joining_url", "Enter the joining link for %s, starting with https://", noun);
        else if (!https_url_valid(e->joining_url))
            errors_add(errors, "joining_url",
                       "The joining link must be a full web address starting with https://, like "
                       "https://meet.example.org/npq");
    }
    return errors->count == before;
}

bool delivery_plan_check(const struct catalogue_rule *rule, enum delivery_model model, size_t face_to_face_planned,
                         size_t virtual_planned, struct delivery_plan *out)
{
    /* The seed: the online model "includes virtual live events to replace face-to-face events". */
    bool online = model == DELIVERY_ONLINE;
    size_t planned = online ? virtual_planned : face_to_face_planned;
    int required = online ? rule->min_virtual_events : rule->min_face_to_face_events;
    memset(out, 0, sizeof(*out));
    out->kind = online ? "virtual live" : "face-to-face";
    out->required = required > 0 ? required : 0;
    out->planned = planned > INT_MAX ? INT_MAX : (int)planned;
    out->short_by = out->planned < out->required ? out->required - out->planned : 0;

    if (out->required == 0) {
        snprintf(out->sentence, sizeof(out->sentence), "No events are required");
        return true;
    }
    char count[16];
    if (out->planned == 0)
        snprintf(count, sizeof(count), "No");
    else
        snprintf(count, sizeof(count), "%d", out->planned);
    int n = snprintf(out->sentence, sizeof(out->sentence), "%s %s event%s planned, %d required", count, out->kind,
                     out->planned == 1 ? "" : "s", out->required);
    if (out->short_by > 0 && n > 0 && (size_t)n < sizeof(out->sentence))
        snprintf(out->sentence + n, sizeof(out->sentence) - (size_t)n, ": plan %d more", out->short_by);
    return out->short_by == 0;
}

bool delivery_booking_check(int capacity, int booked, bool already_booked, bool cancelled_event, bool event_started,
                            struct errors *errors)
{
    /* One reason is enough: a cancelled event being full as well is not news to anyone. */
    if (cancelled_event)
        errors_add(errors, "event_id", "This event has been cancelled, so it cannot be booked");
    else if (event_started)
        errors_add(errors, "event_id", "This event has already started, so it can no longer be booked");
    else if (already_booked)
        errors_add(errors, "event_id", "You are already booked on this event");
    else if (capacity < 1)
        errors_add(errors, "event_id", "This event has no places to book");
    else if (booked >= capacity && capacity == 1)
        errors_add(errors, "event_id", "This event is full: its only place is taken");
    else if (booked >= capacity)
        errors_add(errors, "event_id", "This event is full: all %d places are taken", capacity);
    else
        return true;
    return false;
}

bool delivery_attendance_check(enum delivery_attendance_mark mark, int64_t event_start, int64_t now, bool booked,
                               bool correcting, const char *reason, struct errors *errors)
{
    size_t before = errors->count;
    if ((unsigned)mark >= DELIVERY_ATTENDANCE_MARK_COUNT)
        errors_add(errors, "mark", "Choose present, late, absent or excused");
    else if (now < event_start - DELIVERY_ATTENDANCE_EARLY_SECONDS)
        errors_add(errors, "mark", "Attendance can be recorded from 30 minutes before the event starts");
    if (!booked)
        errors_add(errors, "person_id", "Only people booked on this event can have their attendance recorded");
    if (correcting && !text_has_words(reason))
        errors_add(errors, "reason", "Give a reason for changing the attendance mark, so the record shows why");
    return errors->count == before;
}

/* Numbers of hours for people: to the nearest hundredth, without trailing zeros ("2.5", "0.75", "12"). */
static void format_number(double value, char *out, size_t size)
{
    if (!(value > -1e12 && value < 1e12)) {
        snprintf(out, size, "%g", value);
        return;
    }
    bool negative = value < 0;
    long long hundredths = (long long)((negative ? -value : value) * 100 + 0.5);
    long long whole = hundredths / 100, part = hundredths % 100;
    const char *sign = negative && hundredths != 0 ? "-" : "";
    if (part == 0)
        snprintf(out, size, "%s%lld", sign, whole);
    else if (part % 10 == 0)
        snprintf(out, size, "%s%lld.%lld", sign, whole, part / 10);
    else
        snprintf(out, size, "%s%lld.%02lld", sign, whole, part);
}

void delivery_hours_number(int64_t quarter_hours, char out[DELIVERY_HOURS_TEXT])
{
    static const char *const fractions[] = {"", ".25", ".5", ".75"};
    if (quarter_hours < 0)
        quarter_hours = 0;
    snprintf(out, DELIVERY_HOURS_TEXT, "%lld%s", (long long)(quarter_hours / 4), fractions[quarter_hours % 4]);
}

void delivery_hours_format(double hours, char *out, size_t size)
{
    char number[32];
    format_number(hours, number, sizeof(number));
    snprintf(out, size, "%s %s", number, strcmp(number, "1") == 0 ? "hour" : "hours");
}

/* value in whole quarter hours, rounded to the nearest; the caller has bounded value. */
static long long quarters(double value)
{
    return value < 0 ? -(long long)(-value * 4 + 0.5) : (long long)(value * 4 + 0.5);
}

bool delivery_hours_check(double hours, const char *date, const char *today, double logged_so_far, int hours_cap,
                          const char *module_title, struct errors *errors)
{
    size_t before = errors->count;
    bool hours_ok = false;
    /* Written so that NaN fails the first test and infinity the second. */
    if (!(hours > 0))
        errors_add(errors, "hours", "Enter the hours you spent, more than 0");
    else if (!(hours <= 12))
        errors_add(errors, "hours", "One entry can be at most 12 hours. Log a longer stretch as separate days");
    else {
        double off = hours * 4 - (double)quarters(hours);
        if (off > 1e-9 || off < -1e-9)
            errors_add(errors, "hours", "Enter hours in quarter hours, like 0.25, 1.5 or 2.75");
        else
            hours_ok = true;
    }

    if (!date_is_shaped(date))
        errors_add(errors, "date", "Enter the date you did the learning as YYYY-MM-DD, like 2025-03-14");
    else if (!date_is_valid(date))
        errors_add(errors, "date", "%s is not a real date. Check the day and the month", date);
    else if (today != NULL && strcmp(date, today) > 0)
        errors_add(errors, "date", "The date cannot be in the future. Log hours once you have done them");

    /* Compared in whole quarter hours, so 49.75 + 0.25 is exactly 50 whatever the doubles say. */
    if (hours_ok) {
        int cap = hours_cap > 0 ? hours_cap : CATALOGUE_DEFAULT_HOURS_CAP;
        double logged = logged_so_far > 0 && logged_so_far < 1e9 ? logged_so_far : 0;
        long long logged_q = quarters(logged), total_q = logged_q + quarters(hours), cap_q = (long long)cap * 4;
        const char *module = text_has_words(module_title) ? module_title : "this module";
        if (total_q > cap_q) {
            if (logged_q >= cap_q)
                errors_add(errors, "hours",
                           "You have already logged %d hours for %s, its limit. You cannot log more hours for it", cap,
                           module);
            else {
                char total[32], left[32];
                format_number((double)total_q / 4, total, sizeof(total));
                format_number((double)(cap_q - logged_q) / 4, left, sizeof(left));
                errors_add(errors, "hours",
                           "This would take your hours for %s to %s, over its %d-hour limit. You can log up to %s "
                           "more %s",
                           module, total, cap, left, cap_q - logged_q == 4 ? "hour" : "hours");
            }
        }
    }
    return errors->count == before;
}

bool delivery_coaching_check(int64_t starts_at, int64_t ends_at, enum delivery_coaching_mode mode, const char *place,
                             struct errors *errors)
{
    size_t before = errors->count;
    check_times(starts_at, ends_at, "session", "A session", errors);
    switch (mode) {
    case DELIVERY_COACHING_ONLINE:
        if (!text_has_words(place))
            errors_add(errors, "joining_url", "Enter the joining link for the online session, starting with https://");
        else if (!https_url_valid(place))
            errors_add(errors, "joining_url",
                       "The joining link must be a full web address starting with https://, like "
                       "https://meet.example.org/coaching");
        break;
    case DELIVERY_COACHING_IN_PERSON:
        if (!text_has_words(place))
            errors_add(errors, "location", "Enter where the session takes place");
        else if (text_characters(place) > DELIVERY_LOCATION_MAX)
            errors_add(errors, "location", "The location must be %d characters or fewer. It has %zu",
                       DELIVERY_LOCATION_MAX, text_characters(place));
        break;
    default: errors_add(errors, "mode", "Choose whether the session is online or in person");
    }
    return errors->count == before;
}

bool delivery_action_check(const char *text, const char *due_on, struct errors *errors)
{
    size_t before = errors->count;
    if (!text_has_words(text))
        errors_add(errors, "text", "Enter the action you agreed");
    else if (text_characters(text) > DELIVERY_ACTION_MAX)
        errors_add(errors, "text", "An action must be %d characters or fewer. It has %zu", DELIVERY_ACTION_MAX,
                   text_characters(text));
    if (due_on != NULL && *due_on != '\0' && (!date_is_shaped(due_on) || !date_is_valid(due_on)))
        errors_add(errors, "due_on", "Enter the due date as a real date in the form YYYY-MM-DD, or leave it empty");
    return errors->count == before;
}

bool delivery_reminder_due(int64_t event_start, int64_t now, int64_t reminder_lead)
{
    /* now >= start - lead, written as a difference so it cannot overflow for sane times. */
    return now < event_start && event_start - now <= reminder_lead;
}
