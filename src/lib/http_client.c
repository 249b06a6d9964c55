/*
 * One HTTP request over libcurl, its answer kept in memory up to a limit, and the wait before
 * trying again.
 */
#include "lib/http_client.h"

#include "lib/die.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static void curl_start(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

struct body {
    char *data;
    size_t len, cap;
    bool too_large;
};

static size_t on_body(char *ptr, size_t size, size_t nmemb, void *arg)
{
    struct body *b = arg;
    size_t n = size * nmemb;
    if (b->len + n > HTTP_CLIENT_MAX_BODY) {
        b->too_large = true;
        return 0; /* curl stops with CURLE_WRITE_ERROR */
    }
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *grown = realloc(b->data, cap);
        if (grown == NULL)
            die("out of memory");
        b->data = grown;
        b->cap = cap;
    }
    memcpy(b->data + b->len, ptr, n);
    b->len += n;
    b->data[b->len] = '\0';
    return n;
}

static int64_t monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

bool http_client_send(const struct http_client_request *request, struct http_client_response *response)
{
    pthread_once(&curl_once, curl_start);
    memset(response, 0, sizeof(*response));
    response->retry_after = -1;
    struct body body = {0};
    CURL *curl = curl_easy_init();
    if (curl == NULL) {
        snprintf(response->error, sizeof(response->error), "cannot start an HTTP request");
        response->body = strdup("");
        return false;
    }
    struct curl_slist *headers = curl_slist_append(NULL, "Accept: application/json");
    if (request->body != NULL)
        headers = curl_slist_append(headers, "Content-Type: application/json");
    char authorization[1024];
    if (request->bearer != NULL) {
        snprintf(authorization, sizeof(authorization), "Authorization: Bearer %s", request->bearer);
        headers = curl_slist_append(headers, authorization);
    }
    curl_easy_setopt(curl, CURLOPT_URL, request->url);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request->method);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L); /* a thread of a server: no SIGALRM for timeouts */
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, request->timeout_ms > 0 ? request->timeout_ms : 30000L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
    if (request->body != NULL) {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request->body);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)strlen(request->body));
    }
    int64_t started = monotonic_ms();
    CURLcode rc = curl_easy_perform(curl);
    response->duration_ms = monotonic_ms() - started;
    if (rc == CURLE_OK) {
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response->status);
        curl_off_t wait = -1;
        if (curl_easy_getinfo(curl, CURLINFO_RETRY_AFTER, &wait) == CURLE_OK && wait >= 0)
            response->retry_after = (long)wait;
    } else {
        snprintf(response->error, sizeof(response->error), "%s",
                 body.too_large ? "the answer was too large" : curl_easy_strerror(rc));
    }
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    response->body = body.data ? body.data : strdup("");
    if (response->body == NULL)
        die("out of memory");
    response->body_len = body.len;
    return rc == CURLE_OK;
}

void http_client_response_free(struct http_client_response *response)
{
    free(response->body);
    response->body = NULL;
}

bool http_client_retryable(long status)
{
    return status == 0 || status == 408 || status == 429 || status >= 500;
}

int64_t http_client_backoff_ms(int attempt, long retry_after, int64_t base_ms, int64_t max_ms, uint32_t random)
{
    if (retry_after >= 0)
        return (int64_t)(retry_after < HTTP_CLIENT_RETRY_AFTER_MAX ? retry_after : HTTP_CLIENT_RETRY_AFTER_MAX) * 1000;
    int64_t ceiling = base_ms;
    for (int i = 1; i < attempt && ceiling < max_ms; i++)
        ceiling *= 2;
    if (ceiling > max_ms)
        ceiling = max_ms;
    return ceiling > 0 ? (int64_t)(random % (uint64_t)(ceiling + 1)) : 0;
}
