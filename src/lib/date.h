/*
 * Calendar dates as YYYY-MM-DD text: the form npq stores and exchanges them in, which sorts and
 * compares as plain strings. One set of checks for every layer that reads a date.
 */
#ifndef NPQ_LIB_DATE_H
#define NPQ_LIB_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { DATE_TEXT = 11 }; /* "YYYY-MM-DD" and a NUL */

/* Ten characters, digits where digits belong and hyphens between (sscanf alone would take
 * " 1" or "+1" for a number). */
bool date_is_shaped(const char *date);

/* Shaped, and a day that exists: no 31 April, 29 February in leap years only. */
bool date_is_valid(const char *date);

/*
 * A UTC time as written in JSON: "2027-01-10T09:00:00Z" (seconds may be left out; "+00:00" may
 * stand for "Z"), or with date_alone also a bare "2027-01-10" meaning its midnight. Only real
 * dates and times are taken (no 31 April, no 24:00); false otherwise.
 */
bool date_parse_utc(const char *text, bool date_alone, int64_t *out);

/* The UTC date of a time in seconds since the epoch. */
void date_of(int64_t seconds, char out[DATE_TEXT]);

enum { DATE_UTC_TEXT = 21 }; /* "2027-01-10T09:00:00Z" and a NUL */

/* A time as the API writes it, in UTC: "2027-01-10T09:00:00Z". */
void date_format_utc(int64_t seconds, char out[DATE_UTC_TEXT]);

/*
 * UK time (Europe/London): GMT, or British Summer Time from 1am GMT on the last Sunday of March to
 * 1am GMT on the last Sunday of October. Computed from the rule rather than the system's
 * time-zone database: the rule has been the same since 1996, the result must not depend on the
 * server's tzdata, and localtime_r would need TZ set for the whole process.
 */

/* The offset of UK time from UTC at t: 3600 in British Summer Time, 0 otherwise. */
int date_uk_offset(int64_t t);

/*
 * The UTC time of a wall-clock time in the UK (local: seconds since 1970 as if the wall clock
 * were UTC). In the hour the clocks skip in March there is no such time (false); of the hour
 * repeated in October, the first (British Summer Time) is meant.
 */
bool date_uk_to_utc(int64_t local, int64_t *out);

enum { DATE_HUMAN_TEXT = 128 }; /* room for the longest of the formats below */

/* How a moment is written for people, always in UK time. */
enum date_style {
    DATE_MOMENT,    /* "23 November 2026 at 11:50am" */
    DATE_SHORT,     /* "23 Nov 2026 11:50", the date unbroken (no-break spaces), for narrow columns */
    DATE_DAY,       /* "23 November 2026" */
    DATE_WEEKDAY,   /* "Monday 23 November 2026" */
    DATE_SHORT_DAY, /* "23 Nov 2026", for narrow columns */
};

/* A moment in UK time in one of the styles; "" for 0 or less. Always terminated when size > 0. */
void date_format_uk(int64_t seconds, enum date_style style, char *out, size_t size);

/*
 * A span in UK time: "Monday 10 January 2027, 9:00am to 4:00pm", or with both dates when it ends
 * on another day ("Friday 30 October 2026, 11:00pm to Saturday 31 October 2026, 1:00am").
 */
void date_format_uk_range(int64_t start, int64_t end, char *out, size_t size);

/* A stored date ("2027-01-10") for people: "10 January 2027", or with short "10 Jan 2027"; the
 * text itself when it is not a date. */
void date_format_day(const char *date, bool short_month, char *out, size_t size);

#endif
