#include "http/static_assets.h"

#include "http/file_reply.h"
#include "http/reply.h"
#include "lib/embedded.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

static struct cached_response *assets;
static char version[17];
static pthread_once_t assets_once = PTHREAD_ONCE_INIT;

static const struct {
    const char *extension;
    const char *type;
} mime_types[] = {
    {".css", "text/css; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".json", "application/manifest+json"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".woff2", "font/woff2"},
    {".woff", "font/woff"},
    {".map", "application/json"},
    {".txt", "text/plain; charset=utf-8"},
};

const char *static_assets_mime_type(const char *name)
{
    const char *dot = strrchr(name, '.');
    for (size_t i = 0; dot != NULL && i < sizeof(mime_types) / sizeof(mime_types[0]); i++)
        if (strcmp(dot, mime_types[i].extension) == 0)
            return mime_types[i].type;
    return "application/octet-stream";
}

static void assets_load(void)
{
    assets = calloc(embedded_assets_count + 1, sizeof(*assets));
    if (assets == NULL)
        abort();
    crypto_generichash_state all;
    crypto_generichash_init(&all, NULL, 0, 8);
    for (size_t i = 0; i < embedded_assets_count; i++) {
        const struct embedded_file *f = &embedded_assets[i];
        assets[i] = (struct cached_response){.body = (const char *)f->data,
                                             .len = f->size,
                                             .content_type = static_assets_mime_type(f->name),
                                             .cache_control = "public, max-age=31536000, immutable"};
        cached_response_set_etag(&assets[i]);
        crypto_generichash_update(&all, (const unsigned char *)assets[i].etag, strlen(assets[i].etag));
    }
    unsigned char hash[8];
    crypto_generichash_final(&all, hash, sizeof(hash));
    sodium_bin2hex(version, sizeof(version), hash, sizeof(hash));
}

const char *static_assets_version(void)
{
    pthread_once(&assets_once, assets_load);
    return version;
}

void static_assets_serve(struct request *request)
{
    pthread_once(&assets_once, assets_load);
    struct str name = request->params[0];
    for (size_t i = 0; i < embedded_assets_count; i++) {
        const struct embedded_file *f = &embedded_assets[i];
        if (strlen(f->name) == name.len && memcmp(f->name, name.ptr, name.len) == 0) {
            /* With ranges and If-Range like any file (a font or image fetched in part resumes). */
            file_reply_static(request, assets[i].body, assets[i].len, assets[i].content_type, assets[i].etag,
                              assets[i].cache_control);
            return;
        }
    }
    reply_body(request, 404, "text/plain; charset=utf-8", "Not found\n", 10);
}
