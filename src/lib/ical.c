/*
 * iCalendar writer (RFC 5545): content lines, TEXT escaping, folding and UTC times.
 *
 * Output goes through one small writer that knows the column of the line being written, so
 * folding happens as bytes are appended and never needs a second pass. Everything is appended in
 * whole units (one UTF-8 character or one escape pair) so a fold never splits a character, which
 * RFC 5545 section 3.1 warns against and which some clients turn into mojibake. Events are checked
 * before anything is written, and a failure part-way (the buffer's maximum) rewinds the buffer, so
 * a caller never serves half a calendar.
 */
#include "lib/ical.h"

#include <inttypes.h>
#include <stdio.h>

/* Octets on one line, not counting CRLF; a continuation line's leading space counts. */
enum { ICAL_LINE_MAX = 75 };

/* 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z: DATE-TIME has four digits for the year. */
static const int64_t ICAL_TIME_MIN = -62135596800;
static const int64_t ICAL_TIME_MAX = 253402300799;

/* INTEGER in RFC 5545 is 32 bits; clients store SEQUENCE as one. */
static const int64_t ICAL_SEQUENCE_MAX = 2147483647;

struct writer {
    struct buf *out;
    size_t col; /* octets on the current line so far */
    bool ok;    /* false once an append has failed; later appends do nothing */
};

/* Length of the well-formed UTF-8 character at s (1 to 4), or 0 when s does not start one. */
static size_t utf8_len(const unsigned char *s)
{
    unsigned char c = s[0];
    size_t n;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        n = 2;
    else if (c >= 0xE0 && c <= 0xEF)
        n = 3;
    else if (c >= 0xF0 && c <= 0xF4)
        n = 4;
    else
        return 0;
    /* The terminating NUL is not a continuation byte, so this never reads past the string. */
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    /* Overlong forms, UTF-16 surrogates and code points past U+10FFFF. */
    if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] >= 0xA0) || (c == 0xF0 && s[1] < 0x90) ||
        (c == 0xF4 && s[1] >= 0x90))
        return 0;
    return n;
}

static bool is_control(unsigned char c)
{
    return c < 0x20 || c == 0x7F;
}

/* A string that may be written as it is: UTF-8, no control characters, and no spaces unless allowed. */
static bool is_clean(const char *s, bool allow_space)
{
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t n = utf8_len(p);
        if (n == 0 || is_control(*p) || (*p == ' ' && !allow_space))
            return false;
        p += n;
    }
    return true;
}

static bool is_present(const char *s)
{
    return s != NULL && s[0] != '\0';
}

static bool event_valid(const struct ical_event *e)
{
    if (!is_present(e->uid) || !is_clean(e->uid, true) || e->summary == NULL)
        return false;
    if (e->sequence < 0 || e->sequence > ICAL_SEQUENCE_MAX)
        return false;
    if (e->stamp < ICAL_TIME_MIN || e->stamp > ICAL_TIME_MAX || e->start < ICAL_TIME_MIN || e->end > ICAL_TIME_MAX ||
        e->end < e->start)
        return false;
    if (e->modified != 0 && (e->modified < ICAL_TIME_MIN || e->modified > ICAL_TIME_MAX))
        return false;
    if (is_present(e->url) && !is_clean(e->url, false))
        return false;
    if (is_present(e->organizer_email) && !is_clean(e->organizer_email, false))
        return false;
    return true;
}

/* Appends one unit (at most four octets), first folding the line if the unit would not fit. */
static void put(struct writer *w, const void *unit, size_t n)
{
    if (!w->ok)
        return;
    if (w->col + n > ICAL_LINE_MAX) {
        if (!buf_append(w->out, "\r\n ", 3)) {
            w->ok = false;
            return;
        }
        w->col = 1;
    }
    if (!buf_append(w->out, unit, n)) {
        w->ok = false;
        return;
    }
    w->col += n;
}

static void put_ascii(struct writer *w, const char *s)
{
    for (; *s; s++)
        put(w, s, 1);
}

static void end_line(struct writer *w)
{
    if (w->ok && !buf_append(w->out, "\r\n", 2))
        w->ok = false;
    w->col = 0;
}

/* The replacement character, for bytes that are not UTF-8: clients reject a feed that has them. */
static void put_replacement(struct writer *w)
{
    put(w, "\xEF\xBF\xBD", 3);
}

/*
 * A TEXT value (section 3.3.11): backslash, semicolon, comma and newline escaped. CR and the other
 * control characters are not allowed in TEXT at all (TSAFE-CHAR), so they are dropped; tab is.
 */
static void put_text(struct writer *w, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        switch (*p) {
        case '\\':
            put(w, "\\\\", 2);
            p++;
            continue;
        case ';':
            put(w, "\\;", 2);
            p++;
            continue;
        case ',':
            put(w, "\\,", 2);
            p++;
            continue;
        case '\n':
            put(w, "\\n", 2);
            p++;
            continue;
        default: break;
        }
        if (is_control(*p) && *p != '\t') {
            p++;
            continue;
        }
        size_t n = utf8_len(p);
        if (n == 0) {
            put_replacement(w);
            p++;
            continue;
        }
        put(w, p, n);
        p += n;
    }
}

/*
 * A quoted parameter value (QSAFE-CHAR): no double quotes or control characters can appear, so
 * they are removed. A caret is written as "^^" because RFC 6868 makes it the escape character in
 * parameter values, and parsers that follow it (ical.js among them) would read "^n" as a newline.
 */
static void put_quoted_param(struct writer *w, const char *s)
{
    put(w, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        if (*p == '"' || is_control(*p)) {
            p++;
            continue;
        }
        if (*p == '^') {
            put(w, "^^", 2);
            p++;
            continue;
        }
        size_t n = utf8_len(p);
        if (n == 0) {
            put_replacement(w);
            p++;
            continue;
        }
        put(w, p, n);
        p += n;
    }
    put(w, "\"", 1);
}

/* A value already checked by is_clean, written as it is (URI values are not escaped). */
static void put_raw(struct writer *w, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t n = utf8_len(p);
        put(w, p, n);
        p += n;
    }
}

/* Year, month and day of a day count from 1970-01-01, proleptic Gregorian (H. Hinnant's method). */
static void civil_from_days(int64_t days, int64_t *year, unsigned *month, unsigned *day)
{
    days += 719468; /* count from 0000-03-01, so the leap day ends each 400-year era */
    int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    unsigned doe = (unsigned)(days - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *day = doy - (153 * mp + 2) / 5 + 1;
    *month = mp < 10 ? mp + 3 : mp - 9;
    *year = (int64_t)yoe + era * 400 + (*month <= 2);
}

/* A UTC DATE-TIME, "YYYYMMDDTHHMMSSZ"; t is within ICAL_TIME_MIN..ICAL_TIME_MAX. */
static void put_time(struct writer *w, int64_t t)
{
    int64_t days = t / 86400, secs = t % 86400;
    if (secs < 0) {
        secs += 86400;
        days--;
    }
    int64_t year;
    unsigned month, day;
    civil_from_days(days, &year, &month, &day);
    char text[32];
    snprintf(text, sizeof(text), "%04" PRId64 "%02u%02uT%02u%02u%02uZ", year, month, day, (unsigned)(secs / 3600),
             (unsigned)(secs / 60 % 60), (unsigned)(secs % 60));
    put_ascii(w, text);
}

static void line_ascii(struct writer *w, const char *line)
{
    put_ascii(w, line);
    end_line(w);
}

static void line_text(struct writer *w, const char *name, const char *value)
{
    put_ascii(w, name);
    put(w, ":", 1);
    put_text(w, value);
    end_line(w);
}

static void line_time(struct writer *w, const char *name, int64_t t)
{
    put_ascii(w, name);
    put(w, ":", 1);
    put_time(w, t);
    end_line(w);
}

static void write_event(struct writer *w, const struct ical_event *e)
{
    line_ascii(w, "BEGIN:VEVENT");
    line_time(w, "DTSTAMP", e->stamp);
    line_text(w, "UID", e->uid);
    if (e->modified > 0)
        line_time(w, "LAST-MODIFIED", e->modified);
    char sequence[24];
    snprintf(sequence, sizeof(sequence), "SEQUENCE:%" PRId64, e->sequence);
    line_ascii(w, sequence);
    line_ascii(w, e->cancelled ? "STATUS:CANCELLED" : "STATUS:CONFIRMED");
    line_time(w, "DTSTART", e->start);
    /* DTEND must be later than DTSTART (3.8.2.2); an event with neither lasts no time (3.6.1). */
    if (e->end > e->start)
        line_time(w, "DTEND", e->end);
    line_text(w, "SUMMARY", e->summary);
    if (is_present(e->description))
        line_text(w, "DESCRIPTION", e->description);
    if (is_present(e->location))
        line_text(w, "LOCATION", e->location);
    if (is_present(e->url)) {
        put_ascii(w, "URL:");
        put_raw(w, e->url);
        end_line(w);
    }
    if (is_present(e->organizer_email)) {
        put_ascii(w, "ORGANIZER");
        if (is_present(e->organizer_name)) {
            put_ascii(w, ";CN=");
            put_quoted_param(w, e->organizer_name);
        }
        put_ascii(w, ":mailto:");
        put_raw(w, e->organizer_email);
        end_line(w);
    }
    line_ascii(w, "END:VEVENT");
}

bool ical_write_calendar(struct buf *out, const struct ical_calendar *calendar, const struct ical_event *events,
                         size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (!event_valid(&events[i]))
            return false;

    size_t start = out->len;
    struct writer w = {out, 0, true};
    line_ascii(&w, "BEGIN:VCALENDAR");
    line_ascii(&w, "PRODID:-//npq//NPQ programmes//EN");
    line_ascii(&w, "VERSION:2.0");
    line_ascii(&w, "CALSCALE:GREGORIAN");
    line_ascii(&w, calendar->cancel ? "METHOD:CANCEL" : "METHOD:PUBLISH");
    if (is_present(calendar->name))
        line_text(&w, "X-WR-CALNAME", calendar->name);
    if (calendar->refresh_minutes > 0) {
        /* RFC 7986's property, and the older one that Outlook and others still read. */
        char refresh[48];
        snprintf(refresh, sizeof(refresh), "REFRESH-INTERVAL;VALUE=DURATION:PT%dM", calendar->refresh_minutes);
        line_ascii(&w, refresh);
        snprintf(refresh, sizeof(refresh), "X-PUBLISHED-TTL:PT%dM", calendar->refresh_minutes);
        line_ascii(&w, refresh);
    }
    for (size_t i = 0; i < count && w.ok; i++)
        write_event(&w, &events[i]);
    line_ascii(&w, "END:VCALENDAR");
    if (!w.ok)
        buf_truncate(out, start); /* what was written is taken back, and out may be written again */
    return w.ok;
}
