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
};

/* Authenticates the request from its bearer token or session cookie. An expired or unknown
 * session cookie leaves the request anonymous and clears the cookie. */
enum auth_result auth_authenticate(struct request *request);

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
