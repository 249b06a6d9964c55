#include "http/auth.h"

#include "http/reply.h"
#include "http/caller_cache.h"
#include "http/site.h"
#include "lib/clock.h"
#include "lib/cookie.h"
#include "lib/secret.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* The value of cookie name in the Cookie header(s), or NULL. */
static const char *cookie_value(struct request *request, const char *name)
{
    for (size_t i = 0; i < request->header_count; i++) {
        struct str value;
        if (request->headers[i].token == H2O_TOKEN_COOKIE && cookie_find(request->headers[i].value, name, &value))
            return request_strndup(request, value);
    }
    return NULL;
}

static void set_cookie(struct request *request, const char *name, const char *value, int64_t max_age)
{
    const struct site_settings *settings = request->settings;
    char *header = request_alloc(request, 256);
    snprintf(header, 256, "%s=%s; Path=/; Max-Age=%lld; HttpOnly; SameSite=Lax%s", name, value, (long long)max_age,
             settings->secure_cookies || request->forwarded_https ? "; Secure" : "");
    reply_header(request, "set-cookie", header);
}

/* The credentials a request presents. */
struct presented {
    bool malformed;     /* an Authorization header that is not "Bearer TOKEN" */
    bool bearer;        /* secret is an API token; otherwise a session cookie's value */
    const char *secret; /* NULL when none was sent */
};

static struct presented presented_credentials(struct request *request)
{
    struct str authorization = request_header(request, H2O_TOKEN_AUTHORIZATION);
    if (authorization.len > 0) {
        if (authorization.len <= 7 || strncasecmp(authorization.ptr, "Bearer ", 7) != 0)
            return (struct presented){.malformed = true};
        return (struct presented){
            .bearer = true,
            .secret = request_strndup(request, (struct str){authorization.ptr + 7, authorization.len - 7})};
    }
    request->visitor_token = cookie_value(request, AUTH_VISITOR_COOKIE);
    return (struct presented){.secret = cookie_value(request, AUTH_SESSION_COOKIE)};
}

/* Uses of a session or token are noted at most once a minute (or a quarter of the idle limit,
 * if shorter), so that a signed-in read stays a read. */
static int64_t use_interval(const struct request *request, bool session)
{
    int64_t idle = request->settings->session_idle_seconds;
    return session && idle / 4 < 60 ? idle / 4 : 60;
}

static void note_use_if_due(struct request *request, bool session, struct credential *credential)
{
    if (request->now - credential->last_used_at < use_interval(request, session))
        return;
    struct credential_use use = {.session = session, .id = credential->id, .at = request->now};
    site_note_use(request->site, &use);
    credential->last_used_at = request->now;
}

static void accept_caller(struct request *request, const struct presented *p, struct caller *caller,
                          const struct credential *credential)
{
    request->caller = caller;
    if (p->bearer) {
        request->via_bearer_token = true;
    } else {
        request->session_id = credential->id;
        request->session_token = p->secret;
    }
}

enum auth_result auth_authenticate_cached(struct request *request, struct caller_cache *cache, struct store *revisions)
{
    struct presented p = presented_credentials(request);
    if (p.malformed)
        return AUTH_UNKNOWN;
    if (p.secret == NULL)
        return AUTH_ANONYMOUS;
    unsigned char hash[SECRET_HASH_BYTES];
    secret_token_hash(p.secret, hash);
    int64_t revision;
    if (store_access_revision(revisions, &revision) != STORE_OK)
        return AUTH_UNKNOWN;
    struct caller_cache_entry *entry =
        caller_cache_find(cache, hash, !p.bearer, revision, request->now, request->settings->session_idle_seconds);
    if (entry == NULL)
        return AUTH_UNKNOWN;
    note_use_if_due(request, !p.bearer, &entry->credential);
    accept_caller(request, &p, entry->caller, &entry->credential);
    request->caller_entry = entry;
    return AUTH_OK;
}

enum auth_result auth_authenticate(struct request *request)
{
    struct presented p = presented_credentials(request);
    if (p.malformed)
        return AUTH_INVALID_TOKEN;
    if (p.secret == NULL)
        return AUTH_ANONYMOUS;
    struct credential_found *found = &request->credential_found;
    secret_token_hash(p.secret, found->key);
    found->session = !p.bearer;
    /* Read before the lookup: a change committed meanwhile makes the cached copy stale at once. */
    if (store_access_revision(request->store, &found->access_revision) != STORE_OK) {
        fprintf(stderr, "npq: reading the access revision: %s\n", store_last_error(request->store));
        return AUTH_ERROR;
    }
    struct caller *caller = request_alloc(request, sizeof(*caller));
    enum store_status status = p.bearer
                                   ? store_token_authenticate(request->store, found->key, request->now,
                                                              request_arena(request), caller, &found->credential)
                                   : store_session_authenticate(request->store, found->key, request->now,
                                                                request->settings->session_idle_seconds,
                                                                request_arena(request), caller, &found->credential);
    if (status == STORE_NOT_FOUND) {
        if (p.bearer)
            return AUTH_INVALID_TOKEN;
        set_cookie(request, AUTH_SESSION_COOKIE, "", 0);
        return AUTH_ANONYMOUS;
    }
    if (status != STORE_OK) {
        fprintf(stderr, "npq: %s check failed: %s\n", p.bearer ? "token" : "session", store_last_error(request->store));
        return AUTH_ERROR;
    }
    note_use_if_due(request, found->session, &found->credential);
    found->found = true;
    accept_caller(request, &p, caller, &found->credential);
    return AUTH_OK;
}

const char *auth_csrf_token(struct request *request)
{
    const char *binding = request->session_token ? request->session_token : request->visitor_token;
    if (binding == NULL) {
        char *visitor = request_alloc(request, SECRET_TOKEN_TEXT);
        secret_token_new(visitor);
        set_cookie(request, AUTH_VISITOR_COOKIE, visitor, 365 * 86400);
        request->visitor_token = binding = visitor;
    }
    char message[SECRET_TOKEN_TEXT + 8];
    snprintf(message, sizeof(message), "csrf:%s", binding);
    char *token = request_alloc(request, SECRET_TOKEN_TEXT);
    secret_mac(request->settings->secret, message, token);
    return token;
}

bool auth_csrf_valid(struct request *request)
{
    if (request->via_bearer_token)
        return true;
    bool has_cookies = request_header(request, H2O_TOKEN_COOKIE).len > 0;
    if (!has_cookies && request->route != NULL && request->route->kind == ROUTE_API)
        return true;
    if (request->session_token == NULL && request->visitor_token == NULL)
        return false;
    const char *submitted = form_get(request->form, AUTH_CSRF_FIELD);
    if (submitted == NULL) {
        struct str header = request_header_named(request, AUTH_CSRF_HEADER);
        if (header.len > 0)
            submitted = request_strndup(request, header);
    }
    if (submitted == NULL)
        return false;
    /* auth_csrf_token would mint a visitor cookie if there were none; there is one here. */
    return secret_equal(auth_csrf_token(request), submitted);
}

bool auth_sign_in(struct request *request, int64_t user_id)
{
    char token[SECRET_TOKEN_TEXT];
    secret_token_new(token);
    unsigned char hash[SECRET_HASH_BYTES];
    secret_token_hash(token, hash);
    /* Now, not when the request arrived: checking the password took a while, and under load a
     * while can be a good part of the idle limit. */
    int64_t now = clock_now(), id;
    int64_t max_age = request->settings->session_max_seconds;
    if (store_session_create(request->store, user_id, hash, now, now + max_age, request_client(request), &id) !=
        STORE_OK)
        return false;
    set_cookie(request, AUTH_SESSION_COOKIE, token, max_age);
    request->session_id = id;
    request->session_token = request_strndup(request, str_of(token));
    return true;
}

void auth_sign_out(struct request *request)
{
    if (request->session_id != 0)
        store_session_revoke(request->store, request->session_id, request->now);
    set_cookie(request, AUTH_SESSION_COOKIE, "", 0);
    request->session_id = 0;
    request->session_token = NULL;
    request->caller = NULL;
}
