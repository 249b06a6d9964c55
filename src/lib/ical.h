/*
 * iCalendar (RFC 5545) output: a VCALENDAR of VEVENTs for calendar feeds and .ics downloads.
 *
 * Calendar clients are strict about the details a template would get wrong (CRLF, folding at 75
 * octets without splitting a UTF-8 character, TEXT escaping), so every calendar is written by this
 * one module and nothing else prints iCalendar. It knows nothing of NPQs: callers turn their events
 * and sessions into struct ical_event. Changes reach subscribers through the same UID with a higher
 * SEQUENCE; a cancellation is the same event again with STATUS:CANCELLED, never a missing one.
 */
#ifndef NPQ_LIB_ICAL_H
#define NPQ_LIB_ICAL_H

#include "lib/buf.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * One event. Strings are UTF-8 and borrowed: they need only live through ical_write_calendar.
 * An optional string that is NULL or empty is left out.
 */
struct ical_event {
    const char *uid;         /* stable, globally unique: "event-42@npq.example.org"; no control characters */
    int64_t sequence;        /* bumped on every change; 0 to 2^31-1 */
    int64_t stamp;           /* DTSTAMP, seconds since the epoch (UTC): when the file was made */
    int64_t modified;        /* LAST-MODIFIED: when the event last changed; 0 leaves it out */
    int64_t start, end;      /* UTC seconds, years 0001 to 9999; end >= start */
    const char *summary;     /* required, may be empty */
    const char *description; /* may be NULL */
    const char *location;    /* may be NULL */
    const char *url;         /* joining link for virtual events, may be NULL; no spaces or controls */
    bool cancelled;          /* STATUS:CANCELLED, otherwise CONFIRMED */
    const char *organizer_name, *organizer_email; /* may be NULL; no ORGANIZER without an email */
};

/* What a calendar says about itself. */
struct ical_calendar {
    const char *name;    /* X-WR-CALNAME; NULL for none */
    bool cancel;         /* METHOD:CANCEL, for a cancelled event's own file; otherwise METHOD:PUBLISH */
    int refresh_minutes; /* a feed: how often to fetch it again (REFRESH-INTERVAL, X-PUBLISHED-TTL); 0 for a file */
};

/*
 * Appends "BEGIN:VCALENDAR ... END:VCALENDAR" to out: PRODID "-//npq//NPQ programmes//EN",
 * VERSION 2.0, CALSCALE GREGORIAN, the METHOD, name and refresh interval of calendar, and one
 * VEVENT per event, in order.
 *
 * Returns false, leaving out as it was, when the buffer's maximum is reached or an event is
 * invalid: no uid or summary, a uid with control characters or bytes that are not UTF-8, a url or
 * organizer email with control characters or spaces, an end before its start, a time outside the
 * years 0001 to 9999, or a sequence out of range. TEXT values are never refused: control
 * characters other than tab and newline are dropped and bytes that are not UTF-8 become U+FFFD.
 */
bool ical_write_calendar(struct buf *out, const struct ical_calendar *calendar, const struct ical_event *events,
                         size_t count);

#endif
