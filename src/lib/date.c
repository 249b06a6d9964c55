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

void date_of(int64_t seconds, char out[DATE_TEXT])
{
    time_t t = (time_t)seconds;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, DATE_TEXT, "%Y-%m-%d", &tm);
}
