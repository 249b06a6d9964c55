#include "domain/password.h"

#include "lib/embedded.h"
#include "lib/text.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

/* Binary search in the embedded sorted list, one password a line. */
static bool is_common(const char *lower, size_t len)
{
    const struct embedded_file *list =
        embedded_find(embedded_data, embedded_data_count, "common-passwords.txt", strlen("common-passwords.txt"));
    if (list == NULL || len == 0)
        return false;
    const char *data = (const char *)list->data;
    size_t lo = 0, hi = list->size;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        size_t start = mid;
        while (start > 0 && data[start - 1] != '\n')
            start--;
        const char *nl = memchr(data + start, '\n', list->size - start);
        size_t end = nl ? (size_t)(nl - data) : list->size;
        size_t wlen = end - start;
        int cmp = memcmp(lower, data + start, len < wlen ? len : wlen);
        if (cmp == 0)
            cmp = len < wlen ? -1 : len > wlen ? 1 : 0;
        if (cmp == 0)
            return true;
        if (cmp < 0)
            hi = start;
        else
            lo = end + 1;
    }
    return false;
}

/* The password in lower case with leading and trailing digits and symbols removed, so that
 * "Password2024!" is recognised as "password". */
static size_t core_of(const char *lower, char *out, size_t size)
{
    const char *start = lower, *end = lower + strlen(lower);
    while (start < end && !isalpha((unsigned char)*start))
        start++;
    while (end > start && !isalpha((unsigned char)end[-1]))
        end--;
    size_t n = (size_t)(end - start);
    if (n >= size)
        n = size - 1;
    memcpy(out, start, n);
    out[n] = '\0';
    return n;
}

/* A run along a keyboard row or the alphabet ("qwertyuiopasdf", "abcdefghijkl", "987654321098"):
 * not in the common list, but the first thing a guesser tries. */
static bool is_sequence(const char *lower)
{
    static const char *const runs[] = {"qwertyuiopasdfghjklzxcvbnm", "abcdefghijklmnopqrstuvwxyz",
                                       "12345678901234567890",       "mnbvcxzlkjhgfdsapoiuytrewq",
                                       "zyxwvutsrqponmlkjihgfedcba", "09876543210987654321"};
    for (size_t i = 0; i < sizeof(runs) / sizeof(runs[0]); i++)
        if (strstr(runs[i], lower) != NULL)
            return true;
    return false;
}

static bool contains_nocase(const char *haystack, const char *needle, size_t needle_len)
{
    for (const char *p = haystack; *p; p++)
        if (strncasecmp(p, needle, needle_len) == 0)
            return true;
    return false;
}

void password_check(const char *password, const char *email, const char *name, struct errors *errors)
{
    if (password == NULL || *password == '\0') {
        errors_add(errors, "password", "Enter a password");
        return;
    }
    if (text_characters(password) < PASSWORD_MIN_CHARACTERS) {
        errors_add(errors, "password", "Password must be %d characters or more", PASSWORD_MIN_CHARACTERS);
        return;
    }
    size_t len = strlen(password);
    if (len > PASSWORD_MAX_BYTES) {
        errors_add(errors, "password", "Password must be %d characters or fewer", PASSWORD_MAX_BYTES);
        return;
    }
    char lower[PASSWORD_MAX_BYTES + 1];
    for (size_t i = 0; i <= len; i++)
        lower[i] = (char)tolower((unsigned char)password[i]);
    char core[PASSWORD_MAX_BYTES + 1];
    size_t core_len = core_of(lower, core, sizeof(core));
    bool repeated = true;
    for (size_t i = 1; i < len && repeated; i++)
        repeated = password[i] == password[0];
    if (repeated || is_sequence(lower) || is_common(lower, len) || (core_len >= 4 && is_common(core, core_len))) {
        errors_add(errors, "password",
                   "This password is too common and easy to guess. Choose another, such as "
                   "three random words");
        return;
    }
    if (email != NULL) {
        const char *at = strchr(email, '@');
        size_t local = at ? (size_t)(at - email) : strlen(email);
        if (local >= 4 && contains_nocase(password, email, local)) {
            errors_add(errors, "password", "Password must not contain your email address");
            return;
        }
    }
    if (name != NULL) {
        /* Any word of the name of 4 letters or more. */
        const char *p = name;
        while (*p) {
            while (*p == ' ')
                p++;
            const char *word = p;
            while (*p && *p != ' ')
                p++;
            if ((size_t)(p - word) >= 4 && contains_nocase(password, word, (size_t)(p - word))) {
                errors_add(errors, "password", "Password must not contain your name");
                return;
            }
        }
    }
}
