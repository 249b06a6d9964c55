/*
 * Route matching against a small table, and the real table's own consistency.
 */
#include "../test_support.h"

#include "http/router.h"

#include <stdio.h>
#include <string.h>

static void handler(struct request *request)
{
    (void)request;
}

static const struct route table[] = {
    {"GET", "/api/v1/things", handler, PERM_PUBLIC, RESOURCE_NONE, ROUTE_API, "list", NULL, NULL, 0, false, false},
    {"POST", "/api/v1/things", handler, PERM_PUBLIC, RESOURCE_NONE, ROUTE_API, "create", NULL, NULL, 0, false, false},
    {"GET", "/api/v1/things/{id}", handler, PERM_PUBLIC, RESOURCE_NONE, ROUTE_API, "get", NULL, NULL, 0, false, false},
    {"POST", "/api/v1/things/{id}/{step}", handler, PERM_PUBLIC, RESOURCE_NONE, ROUTE_API, "step", NULL, NULL, 0, false,
     false},
    /* Listed after the row with a parameter in its place, and still reached. */
    {"POST", "/api/v1/things/{id}/parts", handler, PERM_PUBLIC, RESOURCE_NONE, ROUTE_API, "parts", NULL, NULL, 0, false,
     false},
    {"GET", "/api/v1/things/{id}/parts", handler, PERM_PUBLIC, RESOURCE_NONE, ROUTE_API, "list parts", NULL, NULL, 0,
     false, false},
    {"GET", "/assets/{path*}", handler, PERM_PUBLIC, RESOURCE_NONE, ROUTE_ASSET, "assets", NULL, NULL, 0, true, false},
};

static enum route_result match(const char *method, const char *path, struct route_match *m)
{
    return router_match(table, sizeof(table) / sizeof(table[0]), str_of(method), str_of(path), m);
}

static void literal_and_parameter_routes_match(void **state)
{
    (void)state;
    struct route_match m;
    assert_int_equal(match("GET", "/api/v1/things", &m), ROUTE_FOUND);
    assert_ptr_equal(m.route, &table[0]);
    assert_int_equal(match("POST", "/api/v1/things", &m), ROUTE_FOUND);
    assert_ptr_equal(m.route, &table[1]);
    assert_int_equal(match("GET", "/api/v1/things/NPQSL", &m), ROUTE_FOUND);
    assert_int_equal(m.param_count, 1);
    assert_true(str_eq(m.params[0], STR_LIT("NPQSL")));
    assert_int_equal(match("POST", "/api/v1/things/7/submit", &m), ROUTE_FOUND);
    assert_int_equal(m.param_count, 2);
    assert_true(str_eq(m.params[1], STR_LIT("submit")));
}

static void a_literal_segment_beats_a_parameter(void **state)
{
    (void)state;
    struct route_match m;
    assert_int_equal(match("POST", "/api/v1/things/7/parts", &m), ROUTE_FOUND);
    assert_ptr_equal(m.route, &table[4]);
    assert_int_equal(m.param_count, 1);
    assert_true(str_eq(m.params[0], STR_LIT("7")));
    assert_int_equal(match("POST", "/api/v1/things/7/submit", &m), ROUTE_FOUND);
    assert_ptr_equal(m.route, &table[3]);
    assert_int_equal(match("GET", "/api/v1/things/7/parts", &m), ROUTE_FOUND);
    assert_ptr_equal(m.route, &table[5]);
    assert_int_equal(match("DELETE", "/api/v1/things/7/parts", &m), ROUTE_METHOD_NOT_ALLOWED);
    assert_string_equal(m.allow, "POST, GET, HEAD");
}

static void head_is_served_by_get(void **state)
{
    (void)state;
    struct route_match m;
    assert_int_equal(match("HEAD", "/api/v1/things/1", &m), ROUTE_FOUND);
    assert_ptr_equal(m.route, &table[2]);
}

static void unknown_paths_are_not_found(void **state)
{
    (void)state;
    struct route_match m;
    assert_int_equal(match("GET", "/api/v1/thing", &m), ROUTE_NOT_FOUND);
    assert_int_equal(match("GET", "/api/v1/things/", &m), ROUTE_NOT_FOUND);
    assert_int_equal(match("GET", "/api/v1/things/1/2/3", &m), ROUTE_NOT_FOUND);
    assert_int_equal(match("GET", "", &m), ROUTE_NOT_FOUND);
    assert_int_equal(match("GET", "/assets/", &m), ROUTE_NOT_FOUND);
}

static void wrong_method_lists_what_is_allowed(void **state)
{
    (void)state;
    struct route_match m;
    assert_int_equal(match("DELETE", "/api/v1/things", &m), ROUTE_METHOD_NOT_ALLOWED);
    assert_string_equal(m.allow, "GET, HEAD, POST");
    assert_int_equal(match("PUT", "/api/v1/things/1", &m), ROUTE_METHOD_NOT_ALLOWED);
    assert_string_equal(m.allow, "GET, HEAD");
}

static void rest_parameter_takes_slashes(void **state)
{
    (void)state;
    struct route_match m;
    assert_int_equal(match("GET", "/assets/fonts/bold.woff2", &m), ROUTE_FOUND);
    assert_true(str_eq(m.params[0], STR_LIT("fonts/bold.woff2")));
}

/* Two rows with the same method and pattern would make the second unreachable. */
static void real_table_has_no_duplicates_and_every_row_is_complete(void **state)
{
    (void)state;
    for (size_t i = 0; i < routes_count; i++) {
        assert_non_null(routes[i].handler);
        assert_non_null(routes[i].summary);
        assert_true(routes[i].pattern[0] == '/');
        for (size_t j = 0; j < i; j++)
            if (strcmp(routes[i].method, routes[j].method) == 0 && strcmp(routes[i].pattern, routes[j].pattern) == 0)
                fail_msg("route %s %s is listed twice", routes[i].method, routes[i].pattern);
        if (routes[i].kind == ROUTE_API)
            assert_true(strncmp(routes[i].pattern, "/api/v1/", 8) == 0);
    }
}

/* Both answers alike, route, parameters and Allow header. */
static void assert_same_answer(const struct route *t, size_t count, const struct router *index, const char *method,
                               const char *path)
{
    struct route_match scanned, found;
    enum route_result a = router_match(t, count, str_of(method), str_of(path), &scanned);
    enum route_result b = router_find(index, str_of(method), str_of(path), &found);
    if (a != b || scanned.route != found.route || strcmp(scanned.allow, found.allow) != 0)
        fail_msg("%s %s: the index answers %d (%s) where the scan answers %d (%s)", method, path, b, found.allow, a,
                 scanned.allow);
    if (a == ROUTE_FOUND) {
        assert_int_equal(scanned.param_count, found.param_count);
        for (size_t i = 0; i < scanned.param_count; i++)
            assert_true(str_eq(scanned.params[i], found.params[i]));
    }
}

/* Every row's pattern made into a path ({id} as 7, {rest*} as a/b), with a segment more and one
 * fewer, under every method: the index finds what the full scan finds. */
static void the_index_answers_as_the_full_scan(void **state)
{
    (void)state;
    static const char *const methods[] = {"GET", "HEAD", "POST", "PATCH", "PUT", "DELETE"};
    static const char *const odd[] = {"",
                                      "/",
                                      "//",
                                      "/api",
                                      "/api/",
                                      "/api/v1",
                                      "/api/v1/",
                                      "/api/v1//",
                                      "x",
                                      "/assets",
                                      "/assets/",
                                      "/api/v1/me/home/",
                                      "/api/v1/users/7/roles/7/x"};
    /* rows of one path under different keys, so the merge must put them back in table order */
    static const struct route mixed[] = {
        {"PUT", "/api/v1/{kind}", handler, PERM_PUBLIC, RESOURCE_NONE, ROUTE_API, "put", NULL, NULL, 0, false, false},
        {"GET", "/api/v1/things", handler, PERM_PUBLIC, RESOURCE_NONE, ROUTE_API, "list", NULL, NULL, 0, false, false},
        {"POST", "/api/{v}/things", handler, PERM_PUBLIC, RESOURCE_NONE, ROUTE_API, "post", NULL, NULL, 0, false,
         false},
        {"PATCH", "/api/v1/{kind}", handler, PERM_PUBLIC, RESOURCE_NONE, ROUTE_API, "patch", NULL, NULL, 0, false,
         false},
    };
    struct {
        const struct route *table;
        size_t count;
    } tables[] = {
        {table, sizeof(table) / sizeof(table[0])}, {mixed, sizeof(mixed) / sizeof(mixed[0])}, {routes, routes_count}};
    for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++) {
        struct router *index = router_new(tables[t].table, tables[t].count);
        assert_non_null(index);
        for (size_t r = 0; r < tables[t].count; r++) {
            char path[512];
            size_t n = 0;
            for (const char *p = tables[t].table[r].pattern; *p && n + 8 < sizeof(path); p++) {
                if (*p != '{') {
                    path[n++] = *p;
                    continue;
                }
                const char *close = strchr(p, '}');
                const char *value = close[-1] == '*' ? "a/b" : "7";
                memcpy(path + n, value, strlen(value));
                n += strlen(value);
                p = close;
            }
            path[n] = '\0';
            char longer[600], shorter[512];
            snprintf(longer, sizeof(longer), "%s/more", path);
            snprintf(shorter, sizeof(shorter), "%s", path);
            char *cut = strrchr(shorter, '/');
            if (cut != NULL)
                *cut = '\0';
            for (size_t m = 0; m < sizeof(methods) / sizeof(methods[0]); m++) {
                assert_same_answer(tables[t].table, tables[t].count, index, methods[m], path);
                assert_same_answer(tables[t].table, tables[t].count, index, methods[m], longer);
                assert_same_answer(tables[t].table, tables[t].count, index, methods[m], shorter);
            }
        }
        for (size_t o = 0; o < sizeof(odd) / sizeof(odd[0]); o++)
            for (size_t m = 0; m < sizeof(methods) / sizeof(methods[0]); m++)
                assert_same_answer(tables[t].table, tables[t].count, index, methods[m], odd[o]);
        router_free(index);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(literal_and_parameter_routes_match),
        cmocka_unit_test(a_literal_segment_beats_a_parameter),
        cmocka_unit_test(head_is_served_by_get),
        cmocka_unit_test(unknown_paths_are_not_found),
        cmocka_unit_test(wrong_method_lists_what_is_allowed),
        cmocka_unit_test(rest_parameter_takes_slashes),
        cmocka_unit_test(real_table_has_no_duplicates_and_every_row_is_complete),
        cmocka_unit_test(the_index_answers_as_the_full_scan),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
