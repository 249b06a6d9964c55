/*
 * The rules of learning communities (forum.h says what each decides). Mention matching lives
 * here rather than in the store because it is a rule about text: which members a post names.
 */
#include "domain/forum.h"

#include "lib/date.h"
#include "lib/text.h"

#include <ctype.h>
#include <string.h>

static const struct text_name kinds[] = {
    {"cohort", "Cohort"},
    {"module", "Module"},
    {"provider", "Everyone"},
};

const char *forum_kind_name(enum forum_kind kind)
{
    return kind >= FORUM_COHORT && kind <= FORUM_PROVIDER ? kinds[kind - FORUM_COHORT].name : "none";
}

bool forum_kind_parse(const char *name, enum forum_kind *out)
{
    int i;
    if (!text_name_find(kinds, 3, name, &i))
        return false;
    *out = (enum forum_kind)(FORUM_COHORT + i);
    return true;
}

bool forum_member(const struct forum_standing *s)
{
    if (s == NULL)
        return false;
    switch (s->kind) {
    case FORUM_COHORT: return s->admin || s->participant || s->facilitator || s->coach || s->partner_lead;
    case FORUM_MODULE: return s->admin || s->participant || s->facilitator || s->coach;
    case FORUM_PROVIDER: return s->has_role;
    case FORUM_KIND_NONE: break;
    }
    return false;
}

bool forum_moderator(const struct forum_standing *s)
{
    if (s == NULL || s->kind == FORUM_KIND_NONE)
        return false;
    /* A partner's lead and facilitators look after their own cohorts; the rest is the provider's. */
    return s->admin || (s->kind == FORUM_COHORT && (s->facilitator || s->partner_lead));
}

const char *forum_members_in_words(enum forum_kind kind)
{
    switch (kind) {
    case FORUM_COHORT:
        return "The participants of this cohort, its facilitators, their coaches, the delivery partner's lead and "
               "the provider's administrators.";
    case FORUM_MODULE:
        return "Everyone studying this module, the facilitators of cohorts studying it, their coaches and the "
               "provider's administrators.";
    case FORUM_PROVIDER: return "Everyone with a role in the programme.";
    case FORUM_KIND_NONE: break;
    }
    return "";
}

const char *forum_moderators_in_words(enum forum_kind kind)
{
    return kind == FORUM_COHORT ? "The cohort's facilitators, the delivery partner's lead and the provider's "
                                  "administrators moderate it."
                                : "The provider's administrators moderate it.";
}

bool forum_check_title(const char *title, const char *field, struct errors *errors)
{
    if (!text_has_words(title)) {
        errors_add(errors, field, "Enter a title for the thread");
        return false;
    }
    if (text_characters(title) > FORUM_TITLE_MAX) {
        errors_add(errors, field, "The title must be %d characters or fewer", FORUM_TITLE_MAX);
        return false;
    }
    if (!text_is_one_line(title)) {
        errors_add(errors, field, "The title must be one line of text");
        return false;
    }
    return true;
}

bool forum_check_body(const char *body, const char *field, struct errors *errors)
{
    if (!text_has_words(body)) {
        errors_add(errors, field, "Enter what you want to say");
        return false;
    }
    if (text_characters(body) > FORUM_BODY_MAX) {
        errors_add(errors, field, "A post must be %d characters or fewer", FORUM_BODY_MAX);
        return false;
    }
    return true;
}

bool forum_check_reason(const char *reason, const char *field, struct errors *errors)
{
    if (!text_has_words(reason)) {
        errors_add(errors, field, "Say why you are reporting this post");
        return false;
    }
    if (text_characters(reason) > FORUM_REASON_MAX) {
        errors_add(errors, field, "The reason must be %d characters or fewer", FORUM_REASON_MAX);
        return false;
    }
    return true;
}

static const struct text_name deliveries[FORUM_DELIVERY_COUNT] = {
    {"each_post", "An email for each new post"},
    {"daily_digest", "One email a day listing new posts"},
};

const char *forum_delivery_name(enum forum_delivery d)
{
    return (unsigned)d < FORUM_DELIVERY_COUNT ? deliveries[d].name : "";
}

const char *forum_delivery_title(enum forum_delivery d)
{
    return (unsigned)d < FORUM_DELIVERY_COUNT ? deliveries[d].title : "";
}

bool forum_delivery_parse(const char *name, enum forum_delivery *out)
{
    int i;
    if (!text_name_find(deliveries, FORUM_DELIVERY_COUNT, name, &i))
        return false;
    *out = (enum forum_delivery)i;
    return true;
}

/* Bytes of UTF-8 beyond ASCII count as letters: names such as "Zoë" end in one. */
static bool word_byte(unsigned char c)
{
    return isalnum(c) || c == '_' || c >= 0x80;
}

static bool name_at(const char *p, const char *name, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (p[i] == '\0' || tolower((unsigned char)p[i]) != tolower((unsigned char)name[i]))
            return false;
    return !word_byte((unsigned char)p[len]);
}

size_t forum_mentions(const char *body, const char *const *names, size_t count, bool *mentioned)
{
    for (size_t i = 0; i < count; i++)
        mentioned[i] = false;
    size_t found = 0;
    for (const char *p = body ? strchr(body, '@') : NULL; p != NULL; p = strchr(p + 1, '@')) {
        /* An address such as sam@example.org mentions nobody. */
        if (p > body && word_byte((unsigned char)p[-1]))
            continue;
        size_t best = count, best_len = 0;
        for (size_t i = 0; i < count; i++) {
            size_t len = names[i] ? strlen(names[i]) : 0;
            if (len > best_len && name_at(p + 1, names[i], len))
                best = i, best_len = len;
        }
        if (best < count && !mentioned[best]) {
            mentioned[best] = true;
            found++;
        }
    }
    return found;
}

int64_t forum_digest_day_start(int64_t now)
{
    int64_t day = now / 86400;
    if (now < 0 && now % 86400 != 0)
        day--;
    return day * 86400;
}

void forum_digest_day(int64_t now, char day[FORUM_DAY_TEXT])
{
    date_of(now, day);
}
