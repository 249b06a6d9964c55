/*
 * How a use case ends.
 *
 * Every use case in src/app/ returns an enum app_result, and struct errors says why: field by
 * field for APP_INVALID and APP_BAD_REQUEST, the reason (at "state", or the record it is about)
 * for a refusal. The result itself says which kind of failure it is, so no caller ever looks at
 * the errors to find out. The store's enum store_status stays between the store and the use
 * cases: app_result_of_store converts it, once, where a use case calls the store.
 *
 * Each result becomes HTTP in exactly two places: api_reply_result (src/api/api.c) for the JSON
 * API, and page_refused (src/pages/widgets.c) for pages. The statuses in the comments are theirs.
 */
#ifndef NPQ_APP_RESULT_H
#define NPQ_APP_RESULT_H

#include "store/store.h"

enum app_result {
    APP_OK = 0,
    APP_INVALID,         /* 422: what was sent breaks a rule; errors name the fields */
    APP_BAD_REQUEST,     /* 400: the request itself is malformed (a query parameter); errors name it */
    APP_UNAUTHENTICATED, /* 401: the email and password are not those of an active account */
    APP_FORBIDDEN,       /* 403: the caller may see the record but not take this step; errors say why */
    APP_NOT_FOUND,       /* 404: there is no such record, or it is not the caller's to see */
    APP_CONFLICT,        /* 409: the record's state forbids it now (or it exists already); errors say why */
    APP_TOO_LARGE,       /* 413: an upload is over its use's limit; errors name the field and the limit */
    APP_TOO_MANY,        /* 429: too many attempts lately (signing in) */
    APP_UNAVAILABLE,     /* 503: the database failed; trying again may work */
    APP_BROKEN,          /* 500: an invariant of our own failed (a document outgrew its buffer); logged */
};

/* STORE_OK, STORE_NOT_FOUND, STORE_CONFLICT and STORE_ERROR as APP_OK, APP_NOT_FOUND,
 * APP_CONFLICT and APP_UNAVAILABLE. */
enum app_result app_result_of_store(enum store_status status);

/* Ends a transaction begun with store_begin: commits when result is APP_OK (APP_UNAVAILABLE when
 * the commit fails), otherwise rolls back and returns result. Inside a caller's transaction the
 * commit only closes this level, so a use case may run inside another's. */
enum app_result app_transaction_end(struct store *store, enum app_result result);

/* The stable machine name of a result ("ok", "invalid", "bad_request", "unauthenticated",
 * "forbidden", "not_found", "conflict", "too_large", "too_many_requests", "unavailable", "internal_error"), the
 * code of the API's error envelope. */
const char *app_result_code(enum app_result result);

/* Logs "npq: BUG: " and what (a broken invariant: never bad input) and returns APP_BROKEN. */
enum app_result app_broken(const char *what);

#endif
