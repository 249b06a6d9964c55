/*
 * Learning communities as rules: the kinds of forum (a cohort's, a module's, the provider's),
 * who belongs to each and who moderates it, what a thread, a post and a report must hold, which
 * members a post mentions, what a subscription sends, and when a daily digest is due.
 *
 * Membership is never stored. It follows from what a person is to the forum's cohort or module,
 * which the store reads as facts (struct relation) and policy.c turns into a forum_standing:
 *   - a cohort's forum: the participants enrolled in the cohort, its facilitators, the coaches of
 *     its participants (or on its staff), the lead of its delivery partner, and administrators;
 *   - a module's forum: the people enrolled in a qualification with that module (or in the
 *     module), the facilitators of cohorts studying it, the coaches of those participants, and
 *     administrators;
 *   - the provider's forum: every active account holding a role.
 * Moderators are administrators everywhere, and in a cohort's forum its facilitators and its
 * partner's lead.
 *
 * Pure functions over plain values: no clock, no store. A check returns true when it added no
 * error; every refusal is a sentence at the field it concerns.
 */
#ifndef NPQ_DOMAIN_FORUM_H
#define NPQ_DOMAIN_FORUM_H

#include "lib/errors.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
    FORUM_TITLE_MAX = 200,   /* characters in a thread's title */
    FORUM_BODY_MAX = 20000,  /* characters of Markdown in a post */
    FORUM_REASON_MAX = 1000, /* characters in a report's reason */
    FORUM_MENTIONS_MAX = 20, /* people one post may notify by mentioning them */
    FORUM_DAY_TEXT = 11,     /* "2027-01-31" and its NUL, as DATE_TEXT */
};

/* FORUM_KIND_NONE is what a record that is no forum's has (struct relation starts zeroed). */
enum forum_kind { FORUM_KIND_NONE, FORUM_COHORT, FORUM_MODULE, FORUM_PROVIDER };

/* "cohort", "module", "provider"; parse returns false for anything else. */
const char *forum_kind_name(enum forum_kind kind);
bool forum_kind_parse(const char *name, enum forum_kind *out);

/* What a person is to one forum, each fact already weighed against the role it needs. */
struct forum_standing {
    enum forum_kind kind;
    bool admin;        /* holds the administrator role */
    bool has_role;     /* holds any role at all (an active account: the signed-in are active) */
    bool participant;  /* enrolled in the cohort, or in a qualification with the module, or the module */
    bool facilitator;  /* a facilitator of the cohort (or of a cohort studying the module) */
    bool coach;        /* a coach of one of its participants, or on the cohort's staff as coach */
    bool partner_lead; /* leads the cohort's delivery partner */
};

/* Whether the person belongs to the forum: sees it, reads it, posts, replies, reports, subscribes. */
bool forum_member(const struct forum_standing *s);

/* Whether the person moderates the forum: hides and shows posts, locks and pins threads, works
 * the queue of its reports. Every moderator is a member. */
bool forum_moderator(const struct forum_standing *s);

/* Who belongs to a forum of kind, and who moderates it, in words for its page. Static strings. */
const char *forum_members_in_words(enum forum_kind kind);
const char *forum_moderators_in_words(enum forum_kind kind);

/* A thread's title (one line, 1 to FORUM_TITLE_MAX characters), a post's body (some words, at
 * most FORUM_BODY_MAX characters) and a report's reason (1 to FORUM_REASON_MAX characters). NULL
 * counts as empty. The errors are at field. */
bool forum_check_title(const char *title, const char *field, struct errors *errors);
bool forum_check_body(const char *body, const char *field, struct errors *errors);
bool forum_check_reason(const char *reason, const char *field, struct errors *errors);

/* How a subscription tells: an email for each new post, or one a day listing them. */
enum forum_delivery { FORUM_EACH_POST, FORUM_DAILY_DIGEST, FORUM_DELIVERY_COUNT };
const char *forum_delivery_name(enum forum_delivery d); /* "each_post", "daily_digest" */
const char *forum_delivery_title(enum forum_delivery d);
bool forum_delivery_parse(const char *name, enum forum_delivery *out);

/*
 * Which of names (the forum's members, count of them) body mentions: "@" then a member's name,
 * letters compared without regard to case, at the start of the text or after a character that is
 * not part of a word, and not followed by a letter or digit. Where several names fit at one "@"
 * the longest is meant ("@Sam Lee" is Sam Lee, not Sam). Sets mentioned[i] for each name found
 * and returns how many there are. Names that are not members can never be mentioned: the caller
 * passes members only.
 */
size_t forum_mentions(const char *body, const char *const *names, size_t count, bool *mentioned);

/*
 * The daily digest: one a day (UTC), listing the posts made before the day began that the last
 * digest did not cover. day_start is the start of now's UTC day; day is its date ("2027-01-31").
 * A digest is due when the day has none yet and posts were made in [covered_from, day_start).
 */
int64_t forum_digest_day_start(int64_t now);
void forum_digest_day(int64_t now, char day[FORUM_DAY_TEXT]);

#endif
