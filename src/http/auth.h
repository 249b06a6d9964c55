/*
 * Who is asking: API tokens, session cookies and CSRF tokens.
 *
 * An API client sends "Authorization: Bearer TOKEN"; a browser carries the session cookie
 * (HttpOnly, SameSite=Lax, Secure when the site is served over TLS). Forms carry a CSRF token
 * that is an HMAC of the session (or, before signing in, of a visitor cookie) under the server's
 * secret, so it needs no storage and is the same on every server sharing the database.
 */
#ifndef NPQ_HTTP_AUTH_H
#define NPQ_HTTP_AUTH_H

#include "http/request.h"

#include <stdbool.h>

#define AUTH_SESSION_COOKIE "npq_session"
#define AUTH_VISITOR_COOKIE "npq_visitor"
#define AUTH_CSRF_FIELD "csrf_token"
#define AUTH_CSRF_HEADER "x-csrf-token"

enum auth_result {
    AUTH_ANONYMOUS,     /* no credentials */
    AUTH_OK,            /* request->caller is set */
    AUTH_INVALID_TOKEN, /* a bearer token was sent and is not valid: answer 401 */
    AUTH_ERROR,         /* the database failed */
    AUTH_UNKNOWN,       /* auth_authenticate_cached: not known without the database */
};

struct caller_cache;

/* Authenticates the request from its bearer token or session cookie, asking the database. An
 * expired or unknown session cookie leaves the request anonymous and clears the cookie. What was
 * found is left in request->credential_found for the loop's cache. */
enum auth_result auth_authenticate(struct request *request);

/*
 * The same from the loop's cache: AUTH_OK for a caller it knows, AUTH_ANONYMOUS when there are no
 * credentials, AUTH_UNKNOWN for anything the database must decide. A cached caller counts only
 * while the access revision is the one it was found under: read from revisions, a connection that
 * never waits (when it cannot answer at once, the database decides), so that a token revoked or a
 * role removed by any process is refused from the next request on.
 */
enum auth_result auth_authenticate_cached(struct request *request, struct caller_cache *cache, struct store *revisions);

/* The CSRF token forms of this request must carry; sets the visitor cookie if needed. */
const char *auth_csrf_token(struct request *request);

/* Whether an unsafe request carries a valid CSRF token (form field or X-CSRF-Token header).
 * Requests authenticated by a bearer token, and API requests with no cookies at all, carry no
 * ambient credentials and need none. */
bool auth_csrf_valid(struct request *request);

/* Starts a session for user_id: stores it and sets the cookie. Returns false on failure. */
bool auth_sign_in(struct request *request, int64_t user_id);

/* Ends the request's session and clears the cookie. */
void auth_sign_out(struct request *request);

#endif
