/*
 * Calendars: a person's private feed (/api/v1/calendar-feed to make, look at and revoke it;
 * /calendar/TOKEN.ics to subscribe to it) and one event as an .ics download.
 *
 * A feed's address is its own credential, because calendar clients subscribe without cookies or
 * tokens: it carries a random secret of which the database keeps only the hash, is shown once,
 * and stops working when revoked or replaced. Every calendar is written by lib/ical.
 */
#include "api/api.h"

#include "app/notify.h"
#include "http/reply.h"
#include "http/site.h"
#include "lib/ical.h"
#include "lib/secret.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

enum {
    FEED_PAST_SECONDS = 366 * 86400, /* a feed keeps a year of past entries */
    FEED_MAX_ENTRIES = 2000,
    FEED_REFRESH_MINUTES = 60, /* changes reach a subscriber within the hour */
    CALENDAR_MAX_BYTES = 16 * 1024 * 1024,
};

static const char CALENDAR_TYPE[] = "text/calendar; charset=utf-8";

/* ---- Entries as iCalendar events ---- */

/* A link or address that can go into a URI property as it is: printable ASCII, no spaces. */
static bool plain_uri(const char *s)
{
    if (s == NULL || *s == '\0')
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p <= 0x20 || *p >= 0x7F)
            return false;
    return true;
}

static const char *describe(const struct calendar_entry *e, struct arena *arena)
{
    enum delivery_event_kind kind;
    enum delivery_coaching_mode mode;
    struct buf b;
    buf_init(&b, 8192);
    if (e->subject == CALENDAR_EVENT) {
        buf_appendf(&b, "%s", delivery_event_kind_parse(e->kind, &kind) ? delivery_event_kind_title(kind) : "Event");
        if (e->cohort_code[0] != '\0')
            buf_appendf(&b, " for cohort %s", e->cohort_code);
        buf_append_str(&b, ".");
        if (e->lead_name[0] != '\0')
            buf_appendf(&b, "\nFacilitator: %s", e->lead_name);
    } else {
        buf_appendf(&b, "%s coaching session.\nCoach: %s\nParticipant: %s",
                    delivery_coaching_mode_parse(e->kind, &mode) ? delivery_coaching_mode_title(mode) : "A",
                    e->lead_name, e->participant_name);
    }
    if (e->joining_url[0] != '\0')
        buf_appendf(&b, "\nJoin online: %s", e->joining_url);
    if (e->cancelled_at != 0)
        buf_append_str(&b, "\nThis has been cancelled.");
    const char *text = arena_strdup(arena, b.data ? b.data : "");
    buf_free(&b);
    return text;
}

/* The host of the site's address ("npq.example.org" of "https://npq.example.org:8443/"), which makes
 * UIDs unique to this site as RFC 5545 asks; "localhost" when the address has none. */
static const char *site_host(const char *base_url, struct arena *arena)
{
    const char *start = strstr(base_url ? base_url : "", "://");
    start = start != NULL ? start + 3 : "";
    size_t len = strcspn(start, ":/?#");
    return len > 0 ? arena_strndup(arena, start, len) : "localhost";
}

static struct ical_event to_ical(const struct request *request, const struct calendar_entry *e, int64_t viewer_id,
                                 struct arena *arena)
{
    const char *host = site_host(request->settings->base_url, arena);
    size_t uid_size = strlen(host) + 40;
    char *uid = arena_alloc(arena, uid_size);
    snprintf(uid, uid_size, "%s-%" PRId64 "@%s", e->subject == CALENDAR_EVENT ? "event" : "coaching", e->id, host);
    const char *location = notify_location(e, arena);
    return (struct ical_event){
        .uid = uid,
        .sequence = e->sequence,
        .stamp = request->now,
        .modified = e->updated_at,
        .start = e->starts_at,
        .end = e->ends_at,
        .summary = notify_title(e, viewer_id, arena),
        .description = describe(e, arena),
        .location = location[0] != '\0' ? location : NULL,
        .url = plain_uri(e->joining_url) ? e->joining_url : NULL,
        .cancelled = e->cancelled_at != 0,
    };
}

/*
 * Writes a calendar of the entries into out. An entry the writer refuses (a time or SEQUENCE out
 * of its range) is left out rather than losing the whole calendar. False when even that fails
 * (the calendar is too large).
 */
static bool write_calendar(const struct request *request, struct buf *out, const char *name,
                           const struct calendar_entry *entries, size_t count, int64_t viewer_id, struct arena *arena)
{
    struct ical_event *events = arena_alloc(arena, (count ? count : 1) * sizeof(*events));
    for (size_t i = 0; i < count; i++)
        events[i] = to_ical(request, &entries[i], viewer_id, arena);
    const struct ical_calendar feed = {.name = name, .refresh_minutes = FEED_REFRESH_MINUTES};
    if (ical_write_calendar(out, &feed, events, count))
        return true;
    size_t kept = 0;
    struct buf scratch;
    buf_init(&scratch, CALENDAR_MAX_BYTES);
    for (size_t i = 0; i < count; i++) {
        buf_reset(&scratch);
        if (ical_write_calendar(&scratch, &feed, &events[i], 1))
            events[kept++] = events[i];
        else
            fprintf(stderr, "npq: calendar: %s cannot be written as iCalendar; left out\n", events[i].uid);
    }
    buf_free(&scratch);
    return ical_write_calendar(out, &feed, events, kept);
}

/* ---- The feed ---- */

void api_calendar_feed_create(struct request *request)
{
    struct actor actor = request_actor(request);
    int64_t now = request->now;
    char url[1024];
    enum app_result r = notify_calendar_feed_create(request->store, &actor, request->caller->user_id,
                                                    request->settings->base_url, now, url, sizeof(url));
    if (r != APP_OK) {
        api_reply_result(request, r, NULL, "person");
        return;
    }
    reply_header(request, "cache-control", "no-store");
    reply_json(request, 201,
               json_pack("{s:s, s:o, s:s}", "url", url, "created_at", api_time_json(now), "note",
                         "Copy the address now: it is not shown again. Anyone who has it can read your calendar; "
                         "make a new one to stop the old address working."));
}

void api_calendar_feed_get(struct request *request)
{
    int64_t created_at = 0;
    enum store_status s = store_calendar_feed_get(request->store, request->caller->user_id, &created_at);
    if (s != STORE_OK && s != STORE_NOT_FOUND) {
        api_reply_store_status(request, s, "calendar feed");
        return;
    }
    reply_json(
        request, 200,
        json_pack("{s:b, s:o}", "exists", s == STORE_OK, "created_at", api_time_json(s == STORE_OK ? created_at : 0)));
}

void api_calendar_feed_revoke(struct request *request)
{
    struct actor actor = request_actor(request);
    enum store_status s = store_calendar_feed_revoke(request->store, &actor, request->caller->user_id, request->now);
    if (s != STORE_OK)
        api_reply_store_status(request, s, "live calendar feed");
    else
        reply_body(request, 204, "text/plain; charset=utf-8", "", 0);
}

/* The token in "/calendar/TOKEN.ics", copied into token; false when the path has no such shape. */
static bool feed_token(const struct request *request, char token[SECRET_TOKEN_TEXT])
{
    static const char suffix[] = ".ics";
    if (request->param_count != 1)
        return false;
    struct str p = request->params[0];
    size_t n = sizeof(suffix) - 1;
    if (p.len != SECRET_TOKEN_TEXT - 1 + n || memcmp(p.ptr + p.len - n, suffix, n) != 0)
        return false;
    memcpy(token, p.ptr, SECRET_TOKEN_TEXT - 1);
    token[SECRET_TOKEN_TEXT - 1] = '\0';
    return true;
}

void calendar_feed_serve(struct request *request)
{
    struct store *store = request->store;
    char token[SECRET_TOKEN_TEXT];
    unsigned char hash[SECRET_HASH_BYTES];
    int64_t user_id = 0;
    enum store_status s = STORE_NOT_FOUND;
    if (feed_token(request, token)) {
        secret_token_hash(token, hash);
        s = store_calendar_feed_owner(store, hash, &user_id);
    }
    reply_header(request, "cache-control", "private, no-store");
    if (s == STORE_NOT_FOUND) {
        static const char gone[] = "There is no calendar at this address, or it has been revoked.\n";
        reply_body(request, 404, "text/plain; charset=utf-8", gone, sizeof(gone) - 1);
        return;
    }
    struct arena *arena = request_arena(request);
    struct user person;
    struct calendar_entry *entries = NULL;
    size_t count = 0;
    int64_t now = request->now;
    if (s == STORE_OK)
        s = store_user_get(store, user_id, arena, &person);
    if (s == STORE_OK)
        s = store_calendar_entries(store, user_id, now - FEED_PAST_SECONDS, FEED_MAX_ENTRIES, arena, &entries, &count);
    if (s != STORE_OK) {
        static const char busy[] = "The calendar cannot be read right now. Try again shortly.\n";
        reply_body(request, 503, "text/plain; charset=utf-8", busy, sizeof(busy) - 1);
        return;
    }
    size_t name_size = strlen(person.name) + 8;
    char *name = arena_alloc(arena, name_size);
    snprintf(name, name_size, "NPQ: %s", person.name);
    struct buf out;
    buf_init(&out, CALENDAR_MAX_BYTES);
    if (write_calendar(request, &out, name, entries, count, user_id, arena))
        reply_body(request, 200, CALENDAR_TYPE, out.data, out.len);
    else {
        static const char large[] = "The calendar is too large to send.\n";
        reply_body(request, 503, "text/plain; charset=utf-8", large, sizeof(large) - 1);
    }
    buf_free(&out);
}

/* ---- One event ---- */

void api_event_ics(struct request *request)
{
    int64_t id = request_param_id(request, 0);
    struct arena *arena = request_arena(request);
    struct calendar_entry entry;
    enum store_status s = store_calendar_entry_get(request->store, CALENDAR_EVENT, id, arena, &entry);
    if (s != STORE_OK) {
        api_reply_store_status(request, s, "event");
        return;
    }
    struct ical_event event = to_ical(request, &entry, request->caller->user_id, arena);
    const struct ical_calendar file = {.cancel = event.cancelled};
    struct buf out;
    buf_init(&out, CALENDAR_MAX_BYTES);
    if (!ical_write_calendar(&out, &file, &event, 1)) {
        buf_free(&out);
        api_reply_reason(request, APP_UNAVAILABLE, "This event cannot be written as a calendar file.");
        return;
    }
    char *disposition = request_alloc(request, 64);
    snprintf(disposition, 64, "attachment; filename=\"event-%" PRId64 ".ics\"", id);
    reply_header(request, "content-disposition", disposition);
    reply_header(request, "cache-control", "private, no-store");
    reply_body(request, 200, CALENDAR_TYPE, out.data, out.len);
    buf_free(&out);
}
