/*
 * Use case results (see result.h): the store's statuses converted, the machine names, and the
 * log line of a broken invariant.
 */
#include "app/result.h"

#include <stdio.h>

enum app_result app_transaction_end(struct store *store, enum app_result result)
{
    if (result != APP_OK) {
        store_rollback(store);
        return result;
    }
    return store_commit(store) == STORE_OK ? APP_OK : APP_UNAVAILABLE;
}

enum app_result app_result_of_store(enum store_status status)
{
    switch (status) {
    case STORE_OK: return APP_OK;
    case STORE_NOT_FOUND: return APP_NOT_FOUND;
    case STORE_CONFLICT: return APP_CONFLICT;
    case STORE_ERROR: break;
    }
    return APP_UNAVAILABLE;
}

const char *app_result_code(enum app_result result)
{
    switch (result) {
    case APP_OK: return "ok";
    case APP_INVALID: return "invalid";
    case APP_BAD_REQUEST: return "bad_request";
    case APP_UNAUTHENTICATED: return "unauthenticated";
    case APP_FORBIDDEN: return "forbidden";
    case APP_NOT_FOUND: return "not_found";
    case APP_CONFLICT: return "conflict";
    case APP_TOO_LARGE: return "too_large";
    case APP_TOO_MANY: return "too_many_requests";
    case APP_UNAVAILABLE: return "unavailable";
    case APP_BROKEN: break;
    }
    return "internal_error";
}

enum app_result app_broken(const char *what)
{
    fprintf(stderr, "npq: BUG: %s\n", what);
    return APP_BROKEN;
}
