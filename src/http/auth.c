#include "http/auth.h"

#include "http/reply.h"
#include "http/worker.h"
#include "lib/secret.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* The value of cookie name in the Cookie header(s), or NULL. */
static const char *cookie_value(struct request *request, const char *name)
{
    size_t name_len = strlen(name);
    h2o_headers_t *headers = &request->req->headers;
    for (ssize_t i = -1; (i = h2o_find_header(headers, H2O_TOKEN_COOKIE, i)) != -1;) {
        h2o_iovec_t v = headers->entries[i].value;
        const char *p = v.base, *end = v.base + v.len;
        while (p < end) {
            while (p < end && (*p == ' ' || *p == ';'))
                p++;
            const char *semi = memchr(p, ';', (size_t)(end - p));
            const char *item_end = semi ? semi : end;
            if ((size_t)(item_end - p) > name_len && memcmp(p, name, name_len) == 0 && p[name_len] == '=')
                return request_strndup(request, (struct str){p + name_len + 1, (size_t)(item_end - p - name_len - 1)});
            p = item_end;
        }
    }
    return NULL;
}

static void set_cookie(struct request *request, const char *name, const char *value, int64_t max_age)
{
    const struct site_settings *settings = request->settings;
    char *header = request_alloc(request, 256);
    snprintf(header, 256, "%s=%s; Path=/; Max-Age=%lld; HttpOnly; SameSite=Lax%s", name, value, (long long)max_age,
             settings->secure_cookies ? "; Secure" : "");
    reply_header(request, "set-cookie", header);
}

static int64_t now_seconds(void)
{
    return (int64_t)time(NULL);
}

enum auth_result auth_authenticate(struct request *request)
{
    struct worker *w = request->worker;
    struct str authorization = request_header(request, H2O_TOKEN_AUTHORIZATION);
    if (authorization.len > 0) {
        if (authorization.len <= 7 || strncasecmp(authorization.ptr, "Bearer ", 7) != 0)
            return AUTH_INVALID_TOKEN;
        char *token = request_strndup(request, (struct str){authorization.ptr + 7, authorization.len - 7});
        unsigned char hash[SECRET_HASH_BYTES];
        secret_token_hash(token, hash);
        struct caller *caller = request_alloc(request, sizeof(*caller));
        enum store_status status =
            store_token_authenticate(w->store, hash, now_seconds(), request_arena(request), caller);
        if (status == STORE_NOT_FOUND)
            return AUTH_INVALID_TOKEN;
        if (status != STORE_OK) {
            fprintf(stderr, "npq: token check failed: %s\n", store_last_error(w->store));
            return AUTH_ERROR;
        }
        request->caller = caller;
        request->via_bearer_token = true;
        return AUTH_OK;
    }
    request->visitor_token = cookie_value(request, AUTH_VISITOR_COOKIE);
    const char *session = cookie_value(request, AUTH_SESSION_COOKIE);
    if (session == NULL)
        return AUTH_ANONYMOUS;
    unsigned char hash[SECRET_HASH_BYTES];
    secret_token_hash(session, hash);
    struct caller *caller = request_alloc(request, sizeof(*caller));
    enum store_status status =
        store_session_authenticate(w->store, hash, now_seconds(), w->settings->session_idle_seconds,
                                   request_arena(request), caller, &request->session_id);
    if (status == STORE_NOT_FOUND) {
        set_cookie(request, AUTH_SESSION_COOKIE, "", 0);
        return AUTH_ANONYMOUS;
    }
    if (status != STORE_OK) {
        fprintf(stderr, "npq: session check failed: %s\n", store_last_error(w->store));
        return AUTH_ERROR;
    }
    request->caller = caller;
    request->session_token = session;
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
    bool has_cookies = h2o_find_header(&request->req->headers, H2O_TOKEN_COOKIE, -1) != -1;
    if (!has_cookies && request->route != NULL && request->route->kind == ROUTE_API)
        return true;
    if (request->session_token == NULL && request->visitor_token == NULL)
        return false;
    const char *submitted = form_get(request->form, AUTH_CSRF_FIELD);
    if (submitted == NULL) {
        ssize_t i = h2o_find_header_by_str(&request->req->headers, H2O_STRLIT(AUTH_CSRF_HEADER), -1);
        if (i != -1)
            submitted = request_strndup(request, (struct str){request->req->headers.entries[i].value.base,
                                                              request->req->headers.entries[i].value.len});
    }
    if (submitted == NULL)
        return false;
    /* auth_csrf_token would mint a visitor cookie if there were none; there is one here. */
    return secret_equal(auth_csrf_token(request), submitted);
}

bool auth_sign_in(struct request *request, int64_t user_id)
{
    struct worker *w = request->worker;
    char token[SECRET_TOKEN_TEXT];
    secret_token_new(token);
    unsigned char hash[SECRET_HASH_BYTES];
    secret_token_hash(token, hash);
    int64_t now = now_seconds(), id;
    if (store_session_create(w->store, user_id, hash, now, now + w->settings->session_max_seconds,
                             request_client(request), &id) != STORE_OK)
        return false;
    set_cookie(request, AUTH_SESSION_COOKIE, token, w->settings->session_max_seconds);
    request->session_id = id;
    request->session_token = request_strndup(request, str_of(token));
    return true;
}

void auth_sign_out(struct request *request)
{
    if (request->session_id != 0)
        store_session_revoke(request->store, request->session_id, now_seconds());
    set_cookie(request, AUTH_SESSION_COOKIE, "", 0);
    request->session_id = 0;
    request->session_token = NULL;
    request->caller = NULL;
}
