/*
 * multipart/form-data bodies (RFC 7578), the encoding browsers use for forms that upload files.
 *
 * Separate from form.c because the two encodings share nothing but their result: text parts
 * become the same name/value pairs a urlencoded form gives, so handlers read both alike, and file
 * parts are described without copying their contents.
 */
#ifndef NPQ_LIB_MULTIPART_H
#define NPQ_LIB_MULTIPART_H

#include "lib/arena.h"
#include "lib/form.h"
#include "lib/str.h"

#include <stdbool.h>
#include <stddef.h>

/* More parts than any of our forms has; a body with more is refused. */
enum { MULTIPART_MAX_PARTS = 64 };

/* An uploaded file. Strings are copies in the arena; data points into the body, which must
 * outlive the file, and is not NUL-terminated. */
struct multipart_file {
    const char *field;        /* the form field's name */
    const char *filename;     /* as the browser sent it; "" when no file was chosen */
    const char *content_type; /* the part's Content-Type, or "" when it had none */
    const char *data;
    size_t len;
};

/* Whether a Content-Type header value is multipart/form-data (any case, any parameters). */
bool multipart_is_form_data(struct str content_type);

/*
 * Parses body, whose Content-Type header value is content_type (its boundary parameter quoted or
 * not). Text parts are copied into fields as NUL-terminated values; parts with a filename
 * parameter become files (an array in arena, *file_count long). Returns false, with the outputs
 * unspecified, on a missing or bad boundary, malformed part headers, a missing closing
 * delimiter, a text part holding a NUL byte, or more than MULTIPART_MAX_PARTS parts.
 */
bool multipart_parse(struct str content_type, const char *body, size_t len, struct arena *arena, struct form *fields,
                     struct multipart_file **files, size_t *file_count);

#endif
