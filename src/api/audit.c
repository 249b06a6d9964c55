/*
 * The audit log: GET /api/v1/audit-events. Read-only by construction: there is no route that
 * changes it, and the database refuses updates and deletes.
 */
#include "api/api.h"

#include "http/paging.h"
#include "http/reply.h"
#include "http/site.h"
#include "lib/date.h"

#include <time.h>

/* A stored summary as JSON, or null. */
static json_t *summary_json(const char *text)
{
    json_t *value = text ? json_loads(text, 0, NULL) : NULL;
    return value ? value : json_null();
}

/* Times may be given as YYYY-MM-DD (the start of that day, UTC), as a UTC time or as seconds;
 * anything else is an error naming the parameter. */
static void query_time(struct form *query, const char *name, int64_t *out, struct errors *errors)
{
    const char *value = form_get(query, name);
    if (value == NULL || *value == '\0')
        return;
    int64_t at;
    if (date_parse_utc(value, true, &at)) {
        *out = at;
        return;
    }
    struct errors ignored = ERRORS_INIT;
    bool seconds = form_read_int(query, name, 0, INT64_MAX, out, &ignored);
    errors_free(&ignored);
    if (!seconds)
        errors_add(errors, name, "%s must be a date (2026-11-23), a UTC time (2026-11-23T09:00:00Z) or seconds", name);
}

void api_audit_list(struct request *request)
{
    struct form *query = request_query(request);
    struct audit_filter filter = {
        .action = form_get(query, "action"),
        .entity = form_get(query, "entity"),
        .entity_id = form_get(query, "entity_id"),
    };
    struct errors errors = ERRORS_INIT;
    struct store_page page;
    paging_read(request, CURSOR_ID, &page, &errors);
    form_read_id(query, "actor_id", &filter.actor_id, &errors);
    query_time(query, "since", &filter.since, &errors);
    query_time(query, "until", &filter.until, &errors);
    if (api_query_refused(request, &errors))
        return;
    struct audit_event *events;
    size_t count, total;
    enum store_status s =
        store_audit_list(request->store, &filter, &page, request_arena(request), &events, &count, &total);
    if (s != STORE_OK) {
        api_reply_store_status(request, s, "event");
        return;
    }
    json_t *array = json_array();
    for (size_t i = 0; i < count; i++) {
        const struct audit_event *e = &events[i];
        json_array_append_new(array,
                              json_pack("{s:I, s:o, s:{s:o, s:s}, s:s, s:s, s:s, s:o, s:o, s:s}", "id",
                                        (json_int_t)e->id, "at", api_time_json(e->at), "actor", "id",
                                        e->actor_id ? json_integer(e->actor_id) : json_null(), "label", e->actor_label,
                                        "action", e->action, "entity", e->entity, "entity_id", e->entity_id, "before",
                                        summary_json(e->before), "after", summary_json(e->after), "client", e->client));
    }
    paging_link(request, &page);
    reply_json(request, 200, json_pack("{s:o, s:I}", "events", array, "total", (json_int_t)total));
}
