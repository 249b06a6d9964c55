/*
 * Keeping an uploaded file (see files.h).
 */
#include "app/files.h"

#include "domain/assessment.h"
#include "lib/text.h"

#include <string.h>

size_t files_body_max(int64_t content_file_limit)
{
    int64_t largest = content_file_limit > TASK_FILE_BYTES_MAX ? content_file_limit : TASK_FILE_BYTES_MAX;
    return (size_t)largest + 1024 * 1024; /* a multipart form's other fields and boundaries */
}

bool files_name_ok(const char *name)
{
    size_t len = name ? strlen(name) : 0;
    if (len == 0 || len > FILE_NAME_MAX || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
        return false;
    return strpbrk(name, "/\\") == NULL && text_is_one_line(name) && text_has_words(name);
}

enum app_result files_keep(const struct accounts_env *env, const struct file_use *use, const char *name,
                           const void *data, size_t len, struct blob *out, const struct file_type **type,
                           struct errors *errors)
{
    *type = NULL;
    if ((int64_t)len > use->max_bytes) {
        char limit[32];
        text_bytes(use->max_bytes, limit);
        errors_add(errors, "file", "A file must be %s or smaller", limit);
        return APP_TOO_LARGE;
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
