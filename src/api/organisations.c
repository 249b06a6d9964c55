/*
 * Organisations: /api/v1/organisations (schools, trusts, delivery partners, the provider).
 */
#include "api/api.h"

#include "http/paging.h"

#include "http/reply.h"
#include "http/site.h"
#include "lib/buf.h"

#include <string.h>

static void reply_organisation(struct request *request, int status, int64_t id)
{
    struct organisation o;
    enum store_status s = store_organisation_get(request->store, id, request_arena(request), &o);
    if (s != STORE_OK)
        api_reply_store_status(request, s, "organisation");
    else
        reply_json(request, status, api_organisation_json(&o));
}

void api_organisations_list(struct request *request)
{
    struct form *query = request_query(request);
    const char *kind_text = form_get(query, "kind");
    int kind = -1;
    struct errors errors = ERRORS_INIT;
    struct store_page page;
    paging_read(request, CURSOR_TEXT, &page, &errors);
    if (kind_text != NULL && *kind_text) {
        enum organisation_kind k;
        if (organisation_kind_parse(kind_text, &k))
            kind = (int)k;
        else
            errors_add(&errors, "kind", "kind must be provider, delivery_partner, trust or school");
    }
    if (api_query_refused(request, &errors))
        return;
    struct organisation *list;
    size_t count;
    enum store_status s = store_organisation_list(request->store, kind, form_get(query, "q"), &page,
                                                  request_arena(request), &list, &count);
    if (s != STORE_OK) {
        api_reply_store_status(request, s, "organisation");
        return;
    }
    json_t *array = json_array();
    for (size_t i = 0; i < count; i++)
        json_array_append_new(array, api_organisation_json(&list[i]));
    paging_link(request, &page);
    reply_json(request, 200, json_pack("{s:o}", "organisations", array));
}

/* Joins a JSON array of region names into "A; B" in request memory. */
static const char *regions_text(struct request *request, json_t *regions, struct errors *errors)
{
    if (regions == NULL || json_is_null(regions))
        return NULL;
    if (!json_is_array(regions)) {
        errors_add(errors, "regions_served", "Must be a list of region names");
        return NULL;
    }
    struct buf b;
    buf_init(&b, 4096);
    size_t i;
    json_t *item;
    json_array_foreach(regions, i, item)
    {
        const char *name = json_string_value(item);
        if (name == NULL || strchr(name, ';') != NULL || *name == '\0') {
            errors_add(errors, "regions_served", "Each region must be a name without semicolons");
            break;
        }
        buf_appendf(&b, "%s%s", i ? "; " : "", name);
    }
    if (buf_failed(&b)) /* far over what account_organisation_validate allows: never saved cut short */
        errors_add(errors, "regions_served", "Must be 1000 characters or fewer");
    const char *text = request_strndup(request, (struct str){b.data ? b.data : "", b.len});
    buf_free(&b);
    return text;
}

/* Fills o from body: every field present replaces the one in o. */
static bool read_organisation(struct request *request, json_t *body, struct organisation *o, struct errors *errors)
{
    const char *keys[] = {"name", "urn", "local_authority", "region", "phase", "dfe_delivery_partner_id"};
    const char **fields[] = {&o->name,   &o->urn,   &o->local_authority,
                             &o->region, &o->phase, &o->dfe_delivery_partner_id};
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        json_t *value = json_object_get(body, keys[i]);
        if (value == NULL)
            continue;
        if (json_is_null(value))
            *fields[i] = NULL;
        else if (json_is_string(value))
            *fields[i] = json_string_value(value);
        else
            errors_add(errors, keys[i], "Must be a string");
    }
    json_t *regions = json_object_get(body, "regions_served");
    if (regions != NULL)
        o->regions_served = regions_text(request, regions, errors);
    json_t *trust = json_object_get(body, "trust_id");
    if (trust != NULL) {
        if (json_is_null(trust))
            o->trust_id = 0;
        else if (json_is_integer(trust) && json_integer_value(trust) > 0 && o->kind == ORG_SCHOOL)
            o->trust_id = json_integer_value(trust);
        else
            errors_add(errors, "trust_id", "Only a school can belong to a trust; give the trust's id");
    }
    account_organisation_validate(o, errors);
    return errors->count == 0;
}

void api_organisations_create(struct request *request)
{
    json_t *body = api_read_object(request);
    if (body == NULL)
        return;
    struct errors errors = ERRORS_INIT;
    struct organisation o = {0};
    const char *kind = json_string_value(json_object_get(body, "kind"));
    if (kind == NULL || !organisation_kind_parse(kind, &o.kind))
        errors_add(&errors, "kind", "Kind must be provider, delivery_partner, trust or school");
    if (errors.count == 0 && read_organisation(request, body, &o, &errors)) {
        struct actor actor = request_actor(request);
        enum store_status s = store_organisation_create(request->store, &actor, &o, request->now);
        if (s == STORE_CONFLICT)
            errors_add(&errors, "urn", "A school with this URN already exists");
        else if (s != STORE_OK)
            api_reply_store_status(request, s, "organisation");
        else
            reply_organisation(request, 201, o.id);
        if (s != STORE_CONFLICT)
            goto out;
    }
    api_reply_invalid(request, &errors);
out:
    errors_free(&errors);
    json_decref(body);
}

void api_organisation_get(struct request *request)
{
    reply_organisation(request, 200, request_param_id(request, 0));
}

void api_organisation_update(struct request *request)
{
    json_t *body = api_read_object(request);
    if (body == NULL)
        return;
    struct errors errors = ERRORS_INIT;
    struct organisation o;
    enum store_status s =
        store_organisation_get(request->store, request_param_id(request, 0), request_arena(request), &o);
    if (s != STORE_OK) {
        api_reply_store_status(request, s, "organisation");
        goto out;
    }
    if (json_object_get(body, "kind") != NULL)
        errors_add(&errors, "kind", "The kind of an organisation cannot change");
    if (errors.count == 0 && read_organisation(request, body, &o, &errors)) {
        struct actor actor = request_actor(request);
        s = store_organisation_update(request->store, &actor, &o, request->now);
        if (s == STORE_CONFLICT)
            errors_add(&errors, "urn", "A school with this URN already exists");
        else if (s != STORE_OK)
            api_reply_store_status(request, s, "organisation");
        else
            reply_organisation(request, 200, o.id);
        if (s != STORE_CONFLICT)
            goto out;
    }
    api_reply_invalid(request, &errors);
out:
    errors_free(&errors);
    json_decref(body);
}
