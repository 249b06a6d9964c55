/*
 * The audit log: GET /api/v1/audit-events. Read-only by construction: there is no route that
 * changes it, and the database refuses updates and deletes.
 */
#include "api/api.h"

#include "http/reply.h"
#include "http/site.h"

#include <time.h>

/* A stored summary as JSON, or null. */
static json_t *summary_json(const char *text)
{
    json_t *value = text ? json_loads(text, 0, NULL) : NULL;
    return value ? value : json_null();
}

/* Dates may be given as seconds or as YYYY-MM-DD (start of that day, UTC). */
static int64_t query_time(struct form *query, const char *name)
{
    const char *value = form_get(query, name);
    if (value == NULL || *value == '\0')
        return 0;
    struct tm tm = {0};
    const char *end = strptime(value, "%Y-%m-%d", &tm);
    if (end != NULL && *end == '\0')
        return (int64_t)timegm(&tm);
    return api_query_int(query, name, 0);
}

void api_audit_list(struct request *request)
{
    struct form *query = request_query(request);
    struct audit_filter filter = {
        .actor_id = api_query_int(query, "actor_id", 0),
        .action = form_get(query, "action"),
        .entity = form_get(query, "entity"),
        .entity_id = form_get(query, "entity_id"),
        .since = query_time(query, "since"),
        .until = query_time(query, "until"),
        .limit = (size_t)api_query_int(query, "limit", 100),
        .offset = (size_t)api_query_int(query, "offset", 0),
    };
    struct audit_event *events;
    size_t count, total;
    enum store_status s = store_audit_list(request->store, &filter, request_arena(request), &events, &count, &total);
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
    reply_json(request, 200, json_pack("{s:o, s:I}", "events", array, "total", (json_int_t)total));
}
