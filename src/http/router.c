/*
 * Route matching: a path against each pattern, segment by segment. router_match scans every row
 * and is the rule; router_find gives the same answer from an index that scans only the few rows
 * a path could match (the table has hundreds of rows, and a full scan was a sixth of the cost of
 * an authenticated read).
 */
#include "http/router.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Matches path against pattern, filling params. */
static bool pattern_match(const char *pattern, struct str path, struct route_match *match)
{
    const char *p = pattern;
    size_t i = 0;
    match->param_count = 0;
    while (*p != '\0') {
        if (*p == '{') {
            const char *close = strchr(p, '}');
            bool rest = close[-1] == '*';
            size_t start = i;
            if (rest)
                i = path.len;
            else
                while (i < path.len && path.ptr[i] != '/')
                    i++;
            if (i == start || match->param_count == ROUTE_MAX_PARAMS)
                return false;
            match->params[match->param_count++] = (struct str){path.ptr + start, i - start};
            p = close + 1;
            continue;
        }
        if (i >= path.len || path.ptr[i] != *p)
            return false;
        p++;
        i++;
    }
    return i == path.len;
}

static bool method_accepts(const char *route_method, struct str method)
{
    if (str_eq(method, str_of(route_method)))
        return true;
    return strcmp(route_method, "GET") == 0 && str_eq(method, STR_LIT("HEAD"));
}

static void allow_add(char *allow, size_t size, const char *method)
{
    if (strstr(allow, method) != NULL)
        return;
    size_t len = strlen(allow);
    size_t need = strlen(method) + (len ? 2 : 0);
    if (len + need + 1 > size)
        return;
    if (len)
        memcpy(allow + len, ", ", 2), len += 2;
    memcpy(allow + len, method, strlen(method) + 1);
}

/* What a scan over rows in table order has found so far. */
struct scan {
    struct route_match best;
    bool path_known; /* some row's pattern matched with another method */
};

static void scan_row(const struct route *table, size_t row, struct str method, struct str path, struct scan *scan,
                     struct route_match *match)
{
    struct route_match candidate;
    if (!pattern_match(table[row].pattern, path, &candidate))
        return;
    if (method_accepts(table[row].method, method)) {
        /* The most specific pattern wins: fewer parameters, so "/enrolments/{id}/activities"
         * is not taken by an earlier "/enrolments/{id}/{step}"; on a tie, the first row. */
        if (scan->best.route == NULL || candidate.param_count < scan->best.param_count) {
            scan->best = candidate;
            scan->best.route = &table[row];
        }
        return;
    }
    scan->path_known = true;
    allow_add(match->allow, sizeof(match->allow), table[row].method);
    if (strcmp(table[row].method, "GET") == 0)
        allow_add(match->allow, sizeof(match->allow), "HEAD");
}

static enum route_result scan_end(struct scan *scan, struct route_match *match)
{
    if (scan->best.route != NULL) {
        *match = scan->best;
        match->allow[0] = '\0';
        return ROUTE_FOUND;
    }
    match->route = NULL;
    return scan->path_known ? ROUTE_METHOD_NOT_ALLOWED : ROUTE_NOT_FOUND;
}

enum route_result router_match(const struct route *table, size_t count, struct str method, struct str path,
                               struct route_match *match)
{
    struct scan scan = {.best.route = NULL};
    match->allow[0] = '\0';
    for (size_t i = 0; i < count; i++)
        scan_row(table, i, method, path, &scan, match);
    return scan_end(&scan, match);
}

/*
 * The index. A row's key is the start of its pattern that every path it matches begins with, cut
 * at a '/' (or the whole pattern when it has no parameter), and at most KEY_SEGMENTS segments
 * long: "/api/v1/users/{id}/roles" has the key "/api/v1/users", "/" has "/". A path can then be
 * matched only by rows whose key is one of its own few such starts, so a lookup hashes those and
 * scans their rows, merged back into table order so that ties and the Allow header come out as
 * the full scan gives them.
 */
enum { KEY_SEGMENTS = 3, MAX_STARTS = KEY_SEGMENTS + 2 };

struct router_slot {
    struct str key; /* key.ptr NULL: the slot is empty */
    size_t *rows;   /* ascending */
    size_t row_count;
};

struct router {
    const struct route *table;
    size_t slot_mask; /* slot count - 1, a power of two */
    struct router_slot *slots;
};

static size_t key_hash(struct str key)
{
    size_t h = 14695981039346656037u; /* FNV-1a */
    for (size_t i = 0; i < key.len; i++)
        h = (h ^ (unsigned char)key.ptr[i]) * 1099511628211u;
    return h;
}

static struct str row_key(const char *pattern)
{
    size_t literal = strcspn(pattern, "{");
    size_t end = literal;
    if (pattern[literal] == '{')
        while (end > 0 && pattern[end] != '/')
            end--;
    size_t slashes = 0;
    for (size_t i = 0; i < end; i++)
        if (pattern[i] == '/' && ++slashes > KEY_SEGMENTS) {
            end = i;
            break;
        }
    return (struct str){pattern, end};
}

/* The starts of path a key can be: empty, up to each of its first slashes, and the whole path
 * when it has no more than KEY_SEGMENTS of them. */
static size_t path_starts(struct str path, struct str starts[MAX_STARTS])
{
    size_t n = 0, slashes = 0;
    starts[n++] = (struct str){path.ptr, 0};
    for (size_t i = 0; i < path.len; i++) {
        if (path.ptr[i] != '/')
            continue;
        if (i > 0)
            starts[n++] = (struct str){path.ptr, i};
        if (++slashes > KEY_SEGMENTS)
            return n;
    }
    if (path.len > 0)
        starts[n++] = path;
    return n;
}

static struct router_slot *slot_find(const struct router *router, struct str key)
{
    for (size_t i = key_hash(key) & router->slot_mask;; i = (i + 1) & router->slot_mask) {
        struct router_slot *slot = &router->slots[i];
        if (slot->key.ptr == NULL || str_eq(slot->key, key))
            return slot;
    }
}

struct router *router_new(const struct route *table, size_t count)
{
    struct router *router = calloc(1, sizeof(*router));
    size_t slot_count = 16;
    while (slot_count < 2 * count)
        slot_count *= 2;
    if (router != NULL)
        router->slots = calloc(slot_count, sizeof(*router->slots));
    if (router == NULL || router->slots == NULL) {
        free(router);
        return NULL;
    }
    router->table = table;
    router->slot_mask = slot_count - 1;
    for (size_t i = 0; i < count; i++) {
        struct str key = row_key(table[i].pattern);
        struct router_slot *slot = slot_find(router, key);
        size_t *rows = realloc(slot->rows, (slot->row_count + 1) * sizeof(*rows));
        if (rows == NULL) {
            router_free(router);
            return NULL;
        }
        slot->key = key;
        slot->rows = rows;
        slot->rows[slot->row_count++] = i;
    }
    return router;
}

void router_free(struct router *router)
{
    if (router == NULL)
        return;
    for (size_t i = 0; i <= router->slot_mask; i++)
        free(router->slots[i].rows);
    free(router->slots);
    free(router);
}

enum route_result router_find(const struct router *router, struct str method, struct str path,
                              struct route_match *match)
{
    struct str starts[MAX_STARTS];
    size_t start_count = path_starts(path, starts);
    const struct router_slot *slots[MAX_STARTS];
    size_t next[MAX_STARTS], lists = 0;
    for (size_t i = 0; i < start_count; i++) {
        const struct router_slot *slot = slot_find(router, starts[i]);
        if (slot->key.ptr != NULL) {
            slots[lists] = slot;
            next[lists++] = 0;
        }
    }
    struct scan scan = {.best.route = NULL};
    match->allow[0] = '\0';
    for (;;) { /* merge the slots' ascending rows back into table order */
        size_t pick = lists;
        for (size_t l = 0; l < lists; l++)
            if (next[l] < slots[l]->row_count &&
                (pick == lists || slots[l]->rows[next[l]] < slots[pick]->rows[next[pick]]))
                pick = l;
        if (pick == lists)
            break;
        scan_row(router->table, slots[pick]->rows[next[pick]++], method, path, &scan, match);
    }
    return scan_end(&scan, match);
}

bool route_is_list(const struct route *route)
{
    size_t len = route->response ? strlen(route->response) : 0;
    return route->kind == ROUTE_API && strcmp(route->method, "GET") == 0 && len > 4 &&
           strcmp(route->response + len - 4, "List") == 0;
}
