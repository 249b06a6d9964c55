/*
 * Keeping an uploaded file (see files.h).
 */
#include "app/files.h"

#include "lib/text.h"

#include <string.h>

bool files_name_ok(const char *name)
{
    size_t len = name ? strlen(name) : 0;
    if (len == 0 || len > FILE_NAME_MAX || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
        return false;
    return strpbrk(name, "/\\") == NULL && text_is_one_line(name) && text_has_words(name);
}

/* The size in words: "20 MiB", "512 KiB". */
static void size_words(int64_t bytes, char *out, size_t cap)
{
    if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0)
        snprintf(out, cap, "%lld MiB", (long long)(bytes / (1024 * 1024)));
    else if (bytes >= 1024)
        snprintf(out, cap, "%lld KiB", (long long)(bytes / 1024));
    else
        snprintf(out, cap, "%lld bytes", (long long)bytes);
}

enum app_result files_keep(const struct accounts_env *env, const struct file_use *use, const char *name,
                           const void *data, size_t len, struct blob *out, const struct file_type **type,
                           struct errors *errors)
{
    char limit[32];
    size_words(use->max_bytes, limit, sizeof(limit));
    *type = NULL;
    if ((int64_t)len > use->max_bytes) {
        errors_add(errors, "file", "A file must be %s or smaller", limit);
        return APP_INVALID;
    }
    if (len == 0) {
        errors_add(errors, "file", "The file is empty");
        return APP_INVALID;
    }
    const struct file_type *t = file_type_detect(data, len, name);
    if (!file_type_allowed(t, use->kinds)) {
        errors_add(errors, "file", "%s is not a file %s. Send %s", files_name_ok(name) ? name : "This", use->for_whom,
                   file_type_known_list());
        return APP_INVALID;
    }
    struct blob_writer w;
    enum store_status status = blob_write_begin(env->store, &w, env->now);
    /* Written a chunk at a time: the database never sees the whole file in one piece. */
    const unsigned char *p = data;
    for (size_t at = 0; status == STORE_OK && at < len; at += BLOB_CHUNK_BYTES)
        status = blob_write(&w, p + at, len - at < BLOB_CHUNK_BYTES ? len - at : BLOB_CHUNK_BYTES);
    if (status == STORE_OK)
        status = blob_write_end(&w, t->media_type, out);
    else
        blob_write_abandon(&w);
    if (status == STORE_OK)
        *type = t;
    return app_result_of_store(status);
}
