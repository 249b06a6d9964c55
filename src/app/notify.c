/*
 * Composing and queueing notifications about events. The background thread that calls notify_run
 * every so often is src/mail/notifier.c; which notifications are due is a query of the store
 * (store_notifications_due); whether a reminder is due is the delivery rule.
 */
#include "app/notify.h"

#include "lib/date.h"

#include "lib/secret.h"

#include "domain/delivery.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* ---- Words shared with calendars ---- */

const char *notify_location(const struct calendar_entry *e, struct arena *arena)
{
    if (e->subject == CALENDAR_COACHING_SESSION)
        return e->place;
    const char *parts[3] = {e->venue_name, e->venue_address, e->venue_postcode};
    struct buf b;
    buf_init(&b, 4096);
    for (size_t i = 0; i < 3; i++)
        if (parts[i][0] != '\0')
            buf_appendf(&b, "%s%s", b.len > 0 ? ", " : "", parts[i]);
    const char *location = arena_strdup(arena, b.data ? b.data : "");
    buf_free(&b);
    return location;
}

const char *notify_title(const struct calendar_entry *e, int64_t viewer_id, struct arena *arena)
{
    if (e->subject == CALENDAR_EVENT)
        return e->title;
    const char *other = viewer_id == e->participant_id ? e->lead_name : e->participant_name;
    size_t size = strlen(other) + 32;
    char *title = arena_alloc(arena, size);
    snprintf(title, size, "Coaching session with %s", other);
    return title;
}

/* ---- Emails ---- */

static const char *kind_title(const struct calendar_entry *e)
{
    enum delivery_event_kind kind;
    enum delivery_coaching_mode mode;
    if (e->subject == CALENDAR_EVENT)
        return delivery_event_kind_parse(e->kind, &kind) ? delivery_event_kind_title(kind) : "Event";
    return delivery_coaching_mode_parse(e->kind, &mode) ? delivery_coaching_mode_title(mode) : "Coaching session";
}

bool notify_compose(enum notification_kind kind, const struct calendar_entry *e, const char *name, const char *base_url,
                    struct buf *subject, struct buf *body)
{
    static const char *const subject_words[NOTIFICATION_KIND_COUNT] = {"Booked", "Changed", "Cancelled", "Reminder"};
    static const char *const openings[NOTIFICATION_KIND_COUNT] = {
        "You are booked on this event of your National Professional Qualification programme.",
        "An event you are booked on has changed. This is how it is now.",
        ("An event you were booked on has been cancelled, so it will not take place. Please take it out of "
         "your calendar."),
        "This is a reminder of an event you are booked on.",
    };
    if ((unsigned)kind >= NOTIFICATION_KIND_COUNT)
        return false;
    char day[DATE_HUMAN_TEXT], when[DATE_HUMAN_TEXT];
    date_format_uk(e->starts_at, DATE_WEEKDAY, day, sizeof(day));
    date_format_uk_range(e->starts_at, e->ends_at, when, sizeof(when));
    struct arena arena = ARENA_INIT;
    const char *where = notify_location(e, &arena);

    bool ok = buf_appendf(subject, "%s: %s, %s", subject_words[kind], e->title, day);

    ok = ok && buf_appendf(body, "Dear %s,\n\n%s\n\n%s\n\nWhen: %s (UK time)\n", name, openings[kind], e->title, when);
    if (ok && where[0] != '\0')
        ok = buf_appendf(body, "Where: %s\n", where);
    if (ok && e->joining_url[0] != '\0')
        ok = buf_appendf(body, "Join online: %s\n", e->joining_url);
    else if (ok && where[0] == '\0')
        ok = buf_append_str(body, "Where: online; the joining link will follow\n");
    ok = ok && buf_appendf(body, "Type: %s\n", kind_title(e));
    if (ok && e->cohort_code[0] != '\0')
        ok = buf_appendf(body, "Cohort: %s\n", e->cohort_code);
    if (ok && e->lead_name[0] != '\0')
        ok = buf_appendf(body, "Facilitator: %s\n", e->lead_name);
    if (ok)
        ok = buf_appendf(body,
                         /* A page, not the calendar file itself: a mail reader has no sign-in to fetch it. */
                         kind == NOTIFICATION_CANCELLATION
                             ? "\nSee the event, and remove it from your calendar from there (you will be asked to "
                               "sign in):\n%s/events/%" PRId64 "\n"
                             : "\nSee the event, and add it to your calendar from there (you will be asked to sign "
                               "in):\n%s/events/%" PRId64 "\n",
                         base_url, e->id);
    ok = ok && buf_append_str(body, "\nYou are getting this email because you have a place on this event.\n");
    arena_release(&arena);
    return ok;
}

/* ---- Sending ---- */

/* Whether n still stands now that the entry has been read again under the write lock: the
 * candidates were found outside it, and the event may have changed in between. */
static bool still_due(const struct notify_env *env, const struct notification *n, const struct calendar_entry *e,
                      const struct user *person)
{
    if (!person->active || e->starts_at <= env->now)
        return false;
    if (n->kind == NOTIFICATION_CANCELLATION)
        return e->cancelled_at != 0;
    if (e->cancelled_at != 0 || e->sequence != n->sequence)
        return false; /* the next pass sees the change and tells of it */
    return n->kind != NOTIFICATION_REMINDER || delivery_reminder_due(e->starts_at, env->now, env->reminder_lead);
}

/* Records n and queues its email in one transaction. APP_NOT_FOUND or APP_CONFLICT when there is
 * nothing to send after all (no longer due, or recorded by another server first). */
static enum app_result send_one(const struct notify_env *env, const struct notification *n)
{
    if (store_begin(env->store) != STORE_OK)
        return APP_UNAVAILABLE;
    struct arena arena = ARENA_INIT;
    struct buf subject, body;
    buf_init(&subject, 1024);
    buf_init(&body, 64 * 1024);
    struct calendar_entry e;
    struct user person = {0};
    enum store_status status = store_calendar_entry_get(env->store, n->subject, n->subject_id, &arena, &e);
    if (status == STORE_OK)
        status = store_user_get(env->store, n->user_id, &arena, &person);
    if (status == STORE_OK && !still_due(env, n, &e, &person))
        status = STORE_NOT_FOUND;
    if (status == STORE_OK)
        status = store_notification_record(env->store, n, env->now);
    enum app_result result = app_result_of_store(status);
    if (result == APP_OK && !notify_compose(n->kind, &e, person.name, env->base_url, &subject, &body))
        result = app_broken("a notification email outgrew its buffer");
    if (result == APP_OK)
        result = app_result_of_store(store_mail_enqueue(env->store, person.email, subject.data, body.data, env->now));
    result = app_transaction_end(env->store, result);
    buf_free(&subject);
    buf_free(&body);
    arena_release(&arena);
    return result;
}

enum app_result notify_run(const struct notify_env *env, size_t *sent)
{
    *sent = 0;
    struct arena arena = ARENA_INIT;
    struct notification *due;
    size_t count;
    enum app_result result = app_result_of_store(
        store_notifications_due(env->store, env->now, env->reminder_lead, NOTIFY_BATCH, &arena, &due, &count));
    bool broken = false;
    for (size_t i = 0; result == APP_OK && i < count; i++) {
        if (due[i].kind == NOTIFICATION_REMINDER &&
            !delivery_reminder_due(due[i].starts_at, env->now, env->reminder_lead))
            continue;
        enum app_result one = send_one(env, &due[i]);
        if (one == APP_OK)
            (*sent)++;
        else if (one == APP_UNAVAILABLE)
            result = APP_UNAVAILABLE;
        else if (one == APP_BROKEN)
            broken = true; /* logged; the others are still sent */
    }
    arena_release(&arena);
    return result == APP_OK && broken ? APP_BROKEN : result;
}

enum app_result notify_calendar_feed_create(struct store *store, const struct actor *actor, int64_t user_id,
                                            const char *base_url, int64_t now, char *url, size_t size)
{
    char token[SECRET_TOKEN_TEXT];
    secret_token_new(token);
    unsigned char hash[SECRET_HASH_BYTES];
    secret_token_hash(token, hash);
    enum store_status status = store_calendar_feed_create(store, actor, user_id, hash, now);
    if (status != STORE_OK)
        return app_result_of_store(status);
    size_t base_len = strlen(base_url);
    while (base_len > 0 && base_url[base_len - 1] == '/')
        base_len--;
    snprintf(url, size, "%.*s/calendar/%s.ics", (int)base_len, base_url, token);
    return APP_OK;
}
