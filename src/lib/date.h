/*
 * Calendar dates as YYYY-MM-DD text: the form npq stores and exchanges them in, which sorts and
 * compares as plain strings. One set of checks for every layer that reads a date.
 */
#ifndef NPQ_LIB_DATE_H
#define NPQ_LIB_DATE_H

#include <stdbool.h>
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

#endif
