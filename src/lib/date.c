#include "lib/date.h"

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
