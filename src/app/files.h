/*
 * Keeping an uploaded file: the one path every use of files takes (submissions, the content
 * library). What a file is comes from its bytes (lib/file_type.h), never from the sender's
 * claim; each use says which kinds it accepts and how large a file may be; the bytes go to the
 * blob store (store/blob.h) in chunks, once however many records hold them.
 */
#ifndef NPQ_APP_FILES_H
#define NPQ_APP_FILES_H

#include "app/accounts.h"
#include "app/result.h"
#include "lib/errors.h"
#include "lib/file_type.h"
#include "store/blob.h"

enum { FILE_NAME_MAX = 255 /* bytes */ };

/* One use of files: what they are for (in a message: "an assessor can open"), the kinds it
 * accepts, and the largest file it takes. */
struct file_use {
    const char *for_whom;
    unsigned kinds;
    int64_t max_bytes;
};

/* The largest request body that may carry an upload: the largest file any use takes (the content
 * library's content_file_limit, or a task's own, at most TASK_FILE_BYTES_MAX) and room for a form
 * around it. The server refuses a larger body before any handler runs; every smaller one reaches
 * files_keep, which holds each use to its own limit. */
size_t files_body_max(int64_t content_file_limit);

/* Whether name may be kept and shown: no path, one line, no mark that reverses how text reads. */
bool files_name_ok(const char *name);

/*
 * Checks len bytes of data against use (size, not empty, a known kind it accepts) and keeps them
 * as a blob inside the caller's write transaction: *out is the blob (an existing one when the
 * same bytes are kept already) and *type what they are. APP_TOO_LARGE over use's limit (checked
 * before anything is written) and APP_INVALID otherwise, with errors at "file".
 */
enum app_result files_keep(const struct accounts_env *env, const struct file_use *use, const char *name,
                           const void *data, size_t len, struct blob *out, const struct file_type **type,
                           struct errors *errors);

#endif
