#include "lib/date.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

bool date_is_shaped(const char *date)
{
    if (date == NULL || strlen(date) != 10)
        return false;
    for (int i = 0; i < 10; i++)
        if (i == 4 || i == 7 ? date[i] != '-' : (date[i] < '0' || date[i] > '9'))
            return false;
    return true;
}

bool date_is_valid(const char *date)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (!date_is_shaped(date))
        return false;
    int y = (date[0] - '0') * 1000 + (date[1] - '0') * 100 + (date[2] - '0') * 10 + (date[3] - '0');
    int m = (date[5] - '0') * 10 + (date[6] - '0');
    int d = (date[8] - '0') * 10 + (date[9] - '0');
    if (y < 1 || m < 1 || m > 12 || d < 1)
        return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= days[m - 1] + (m == 2 && leap ? 1 : 0);
}

static int digits(const char *p, int n)
{
    int value = 0;
    for (int i = 0; i < n; i++)
        value = value * 10 + (p[i] - '0');
    return value;
}

/* Whether text[from, from + n) are all digits. */
static bool all_digits(const char *text, size_t from, size_t n)
{
    for (size_t i = from; i < from + n; i++)
        if (text[i] < '0' || text[i] > '9')
            return false;
    return true;
}

bool date_parse_utc(const char *text, bool date_alone, int64_t *out)
{
    if (text == NULL)
        return false;
    size_t len = strlen(text);
    if (len < 10 || !date_is_valid((const char[]){text[0], text[1], text[2], text[3], text[4], text[5], text[6],
                                                  text[7], text[8], text[9], '\0'}))
        return false;
    int hour = 0, minute = 0, second = 0;
    if (len == 10) {
        if (!date_alone)
            return false;
    } else {
        /* "THH:MM", then ":SS" or not, then "Z" or "+00:00". */
        if (len < 17 || text[10] != 'T' || !all_digits(text, 11, 2) || text[13] != ':' || !all_digits(text, 14, 2))
            return false;
        hour = digits(text + 11, 2);
        minute = digits(text + 14, 2);
        const char *rest = text + 16;
        if (rest[0] == ':') {
            if (strlen(rest) < 3 || !all_digits(rest, 1, 2))
                return false;
            second = digits(rest + 1, 2);
            rest += 3;
        }
        if (strcmp(rest, "Z") != 0 && strcmp(rest, "+00:00") != 0)
            return false;
        if (hour > 23 || minute > 59 || second > 59)
            return false;
    }
    struct tm tm = {.tm_year = digits(text, 4) - 1900,
                    .tm_mon = digits(text + 5, 2) - 1,
                    .tm_mday = digits(text + 8, 2),
                    .tm_hour = hour,
                    .tm_min = minute,
                    .tm_sec = second};
    time_t t = timegm(&tm);
    if (t <= 0)
        return false;
    *out = (int64_t)t;
    return true;
}

void date_of(int64_t seconds, char out[DATE_TEXT])
{
    time_t t = (time_t)seconds;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, DATE_TEXT, "%Y-%m-%d", &tm);
}

void date_format_utc(int64_t seconds, char out[DATE_UTC_TEXT])
{
    time_t t = (time_t)seconds;
    struct tm tm;
    if (gmtime_r(&t, &tm) == NULL || strftime(out, DATE_UTC_TEXT, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(out, DATE_UTC_TEXT, "%s", "");
}

/* ---- Civil time, without the C library's time zones ---- */

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = floor_div(y, 400);
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

struct civil {
    int64_t year;
    int month, day;   /* 1-12, 1-31 */
    int weekday;      /* 0 Sunday to 6 Saturday */
    int hour, minute; /* 0-23, 0-59 */
};

/* The date and time of t seconds since the epoch (no offset applied). */
static struct civil civil_from_time(int64_t t)
{
    int64_t days = floor_div(t, 86400), secs = t - days * 86400;
    int64_t z = days + 719468;
    int64_t era = floor_div(z, 146097);
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    struct civil c;
    c.day = (int)(doy - (153 * mp + 2) / 5 + 1);
    c.month = (int)(mp < 10 ? mp + 3 : mp - 9);
    c.year = yoe + era * 400 + (c.month <= 2);
    c.weekday = (int)(days + 4 - floor_div(days + 4, 7) * 7); /* 1970-01-01 was a Thursday */
    c.hour = (int)(secs / 3600);
    c.minute = (int)(secs % 3600 / 60);
    return c;
}

/* The day number of the last Sunday of a month that has 31 days (March, October). */
static int64_t last_sunday(int64_t year, int month)
{
    int64_t last = days_from_civil(year, month, 31);
    int64_t weekday = last + 4 - floor_div(last + 4, 7) * 7;
    return last - weekday;
}

int date_uk_offset(int64_t t)
{
    int64_t year = civil_from_time(t).year;
    int64_t starts = last_sunday(year, 3) * 86400 + 3600, ends = last_sunday(year, 10) * 86400 + 3600;
    return t >= starts && t < ends ? 3600 : 0;
}

bool date_uk_to_utc(int64_t local, int64_t *out)
{
    if (date_uk_offset(local - 3600) == 3600) {
        *out = local - 3600;
        return true;
    }
    if (date_uk_offset(local) == 0) {
        *out = local;
        return true;
    }
    return false;
}

static struct civil uk_time(int64_t t)
{
    return civil_from_time(t + date_uk_offset(t));
}

static const char *const weekdays[7] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
static const char *const months[12] = {"January", "February", "March",     "April",   "May",      "June",
                                       "July",    "August",   "September", "October", "November", "December"};

/* "9:00am", "12:30pm" */
static int clock_text(const struct civil *c, char *out, size_t size)
{
    return snprintf(out, size, "%d:%02d%s", c->hour % 12 == 0 ? 12 : c->hour % 12, c->minute,
                    c->hour < 12 ? "am" : "pm");
}

void date_format_uk(int64_t seconds, enum date_style style, char *out, size_t size)
{
    if (size == 0)
        return;
    out[0] = '\0';
    if (seconds <= 0)
        return;
    struct civil c = uk_time(seconds);
    char clock[16];
    clock_text(&c, clock, sizeof(clock));
    switch (style) {
    case DATE_MOMENT: snprintf(out, size, "%d %s %" PRId64 " at %s", c.day, months[c.month - 1], c.year, clock); break;
    case DATE_SHORT:
        snprintf(out, size, "%d\u00a0%.3s\u00a0%" PRId64 " %02d:%02d", c.day, months[c.month - 1], c.year, c.hour,
                 c.minute);
        break;
    case DATE_DAY: snprintf(out, size, "%d %s %" PRId64, c.day, months[c.month - 1], c.year); break;
    case DATE_SHORT_DAY: snprintf(out, size, "%d %.3s %" PRId64, c.day, months[c.month - 1], c.year); break;
    case DATE_WEEKDAY:
        snprintf(out, size, "%s %d %s %" PRId64, weekdays[c.weekday], c.day, months[c.month - 1], c.year);
        break;
    }
}

void date_format_uk_range(int64_t start, int64_t end, char *out, size_t size)
{
    if (size == 0)
        return;
    struct civil from = uk_time(start), to = uk_time(end);
    char from_clock[16], to_clock[16];
    clock_text(&from, from_clock, sizeof(from_clock));
    clock_text(&to, to_clock, sizeof(to_clock));
    int n = snprintf(out, size, "%s %d %s %" PRId64 ", %s to ", weekdays[from.weekday], from.day,
                     months[from.month - 1], from.year, from_clock);
    if (n < 0 || (size_t)n >= size)
        return;
    if (from.year != to.year || from.month != to.month || from.day != to.day)
        snprintf(out + n, size - (size_t)n, "%s %d %s %" PRId64 ", %s", weekdays[to.weekday], to.day,
                 months[to.month - 1], to.year, to_clock);
    else
        snprintf(out + n, size - (size_t)n, "%s", to_clock);
}

void date_format_day(const char *date, bool short_month, char *out, size_t size)
{
    if (size == 0)
        return;
    if (date == NULL || !date_is_valid(date)) {
        snprintf(out, size, "%s", date ? date : "");
        return;
    }
    int y = (date[0] - '0') * 1000 + (date[1] - '0') * 100 + (date[2] - '0') * 10 + (date[3] - '0');
    int m = (date[5] - '0') * 10 + (date[6] - '0'), d = (date[8] - '0') * 10 + (date[9] - '0');
    if (short_month)
        snprintf(out, size, "%d %.3s %d", d, months[m - 1], y);
    else
        snprintf(out, size, "%d %s %d", d, months[m - 1], y);
}
