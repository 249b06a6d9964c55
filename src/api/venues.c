/*
 * Venues and delivery partners: /api/v1/venues and /api/v1/delivery-partners. Where face-to-face
 * events happen, kept apart from events.c because a venue outlives the events held at it.
 */
#include "api/api.h"

#include "app/delivery.h"
#include "http/reply.h"
#include "http/site.h"

#include <string.h>

json_t *api_venue_json(const struct venue *v)
{
    return json_pack("{s:I, s:{s:I, s:s}, s:s, s:s, s:s, s:i, s:s, s:o, s:o}", "id", (json_int_t)v->id,
                     "delivery_partner", "id", (json_int_t)v->delivery_partner_id, "name",
                     v->delivery_partner_name ? v->delivery_partner_name : "", "name", v->name, "address",
                     v->address ? v->address : "", "postcode", v->postcode ? v->postcode : "", "capacity", v->capacity,
                     "accessibility", v->accessibility ? v->accessibility : "", "created_at",
                     api_time_json(v->created_at), "updated_at", api_time_json(v->updated_at));
}

static void reply_venue(struct request *request, int status, int64_t id)
{
    struct venue v;
    enum store_status s = store_venue_get(request->store, id, request_arena(request), &v);
    if (s != STORE_OK)
        api_reply_store_status(request, s, "venue");
    else
        reply_json(request, status, api_venue_json(&v));
}

void api_venues_list(struct request *request)
{
    struct venue *list;
    size_t count;
    int64_t partner = 0;
    struct errors errors = ERRORS_INIT;
    form_read_id(request_query(request), "partner_id", &partner, &errors);
    if (api_query_refused(request, &errors))
        return;
    enum store_status s = store_venue_list(request->store, partner, request_arena(request), &list, &count);
    if (s != STORE_OK) {
        api_reply_store_status(request, s, "venue");
        return;
    }
    json_t *array = json_array();
    for (size_t i = 0; i < count; i++)
        json_array_append_new(array, api_venue_json(&list[i]));
    /* A partner's venues, a few each: read whole, paged here. */
    api_reply_page_of(request, json_pack("{s:o}", "venues", array), "venues", "id", CURSOR_ID);
}

/* Fills v from the members body has; a member left out keeps v's value. */
static void read_venue(json_t *body, struct venue *v, bool creating, struct errors *errors)
{
    int64_t number;
    if (creating && api_member_int(body, "delivery_partner_id", &number, errors))
        v->delivery_partner_id = number;
    else if (!creating && json_object_get(body, "delivery_partner_id") != NULL)
        errors_add(errors, "delivery_partner_id", "A venue cannot move to another delivery partner");
    api_member_text(body, "name", &v->name, errors);
    if (api_member_text(body, "address", &v->address, errors) && v->address == NULL)
        v->address = "";
    api_member_text(body, "postcode", &v->postcode, errors);
    if (api_member_int(body, "capacity", &number, errors))
        v->capacity = number > DELIVERY_CAPACITY_MAX ? DELIVERY_CAPACITY_MAX + 1 : (int)number;
    if (api_member_text(body, "accessibility", &v->accessibility, errors) && v->accessibility == NULL)
        v->accessibility = "";
}

static void save_venue(struct request *request, struct venue *v, json_t *body)
{
    struct errors errors = ERRORS_INIT;
    bool creating = v->id == 0;
    read_venue(body, v, creating, &errors);
    if (errors.count > 0) {
        api_reply_invalid(request, &errors);
        errors_free(&errors);
        return;
    }
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    enum app_result s = venues_save(&env, request->caller, v, request_arena(request), &errors);
    if (s == APP_OK)
        reply_venue(request, creating ? 201 : 200, v->id);
    else
        api_reply_result(request, s, &errors, "venue");
    errors_free(&errors);
}

void api_venues_create(struct request *request)
{
    json_t *body = api_read_object(request);
    if (body == NULL)
        return;
    struct venue v = {.address = "", .accessibility = ""};
    save_venue(request, &v, body);
    json_decref(body);
}

void api_venue_get(struct request *request)
{
    reply_venue(request, 200, request_param_id(request, 0));
}

void api_venue_update(struct request *request)
{
    json_t *body = api_read_object(request);
    if (body == NULL)
        return;
    struct venue v;
    enum store_status s = store_venue_get(request->store, request_param_id(request, 0), request_arena(request), &v);
    if (s != STORE_OK)
        api_reply_store_status(request, s, "venue");
    else
        save_venue(request, &v, body);
    json_decref(body);
}

/* "North West; Merseyside" as ["North West", "Merseyside"]. */
static json_t *regions_json(const char *served)
{
    json_t *regions = json_array();
    const char *p = served ? served : "";
    while (*p != '\0') {
        while (*p == ' ')
            p++;
        const char *semi = strchr(p, ';');
        size_t len = semi ? (size_t)(semi - p) : strlen(p);
        while (len > 0 && p[len - 1] == ' ')
            len--;
        if (len > 0)
            json_array_append_new(regions, json_stringn(p, len));
        p = semi ? semi + 1 : p + strlen(p);
    }
    return regions;
}

void api_delivery_partners_list(struct request *request)
{
    struct arena *arena = request_arena(request);
    struct organisation *partners;
    struct venue *venues;
    size_t partner_count, venue_count;
    enum store_status s =
        store_organisation_list(request->store, ORG_DELIVERY_PARTNER, NULL, NULL, arena, &partners, &partner_count);
    if (s == STORE_OK)
        s = store_venue_list(request->store, 0, arena, &venues, &venue_count);
    if (s != STORE_OK) {
        api_reply_store_status(request, s, "delivery partner");
        return;
    }
    json_t *array = json_array();
    for (size_t i = 0; i < partner_count; i++) {
        json_t *own = json_array();
        for (size_t k = 0; k < venue_count; k++)
            if (venues[k].delivery_partner_id == partners[i].id)
                json_array_append_new(own, api_venue_json(&venues[k]));
        json_array_append_new(array, json_pack("{s:I, s:s, s:o, s:o}", "id", (json_int_t)partners[i].id, "name",
                                               partners[i].name, "regions", regions_json(partners[i].regions_served),
                                               "venues", own));
    }
    /* The partners of one provider, a few dozen: read whole, paged here. */
    api_reply_page_of(request, json_pack("{s:o}", "delivery_partners", array), "delivery_partners", "id", CURSOR_ID);
}
