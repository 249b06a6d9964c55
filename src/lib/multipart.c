/*
 * multipart/form-data, read in one pass over a body already in memory. The parser is strict
 * where browsers are consistent (CRLF line ends, a Content-Disposition naming every part) and
 * bounded everywhere else (parts, header bytes), so hostile input ends in false, never in a
 * crash or an unbounded allocation. Quoted parameter values are taken literally up to the next
 * quote: browsers percent-encode quotes in names rather than escape them with backslashes, and a
 * Windows path in a filename would lose its backslashes if they were read as escapes.
 */
#include "lib/multipart.h"

#include <string.h>

enum {
    BOUNDARY_MAX = 70,          /* RFC 2046 */
    PART_HEADERS_MAX = 8 * 1024 /* the header block of one part */
};

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

static struct str trim(struct str s)
{
    while (s.len > 0 && is_space(s.ptr[0])) {
        s.ptr++;
        s.len--;
    }
    while (s.len > 0 && is_space(s.ptr[s.len - 1]))
        s.len--;
    return s;
}

static void skip_space(struct str *s)
{
    while (s->len > 0 && is_space(s->ptr[0])) {
        s->ptr++;
        s->len--;
    }
}

/* Characters allowed in a parameter name (an RFC 9110 token). */
static bool is_token_char(char c)
{
    return c > 32 && c < 127 && strchr("()<>@,;:\\\"/[]?={}", c) == NULL;
}

/* Splits "type/subtype; a=b" into the trimmed type and the rest, which starts at the ';'. */
static void split_type(struct str header, struct str *type, struct str *params)
{
    const char *semi = memchr(header.ptr, ';', header.len);
    size_t type_len = semi ? (size_t)(semi - header.ptr) : header.len;
    *type = trim((struct str){header.ptr, type_len});
    *params = (struct str){header.ptr + type_len, header.len - type_len};
}

enum param_result { PARAM_FOUND, PARAM_END, PARAM_BAD };

/* Reads the next "; name=value" (value a token or a quoted string) from params. */
static enum param_result param_next(struct str *params, struct str *name, struct str *value)
{
    skip_space(params);
    if (params->len == 0)
        return PARAM_END;
    if (params->ptr[0] != ';')
        return PARAM_BAD;
    params->ptr++;
    params->len--;
    skip_space(params);
    if (params->len == 0)
        return PARAM_END; /* a trailing semicolon */
    size_t n = 0;
    while (n < params->len && is_token_char(params->ptr[n]))
        n++;
    *name = (struct str){params->ptr, n};
    params->ptr += n;
    params->len -= n;
    skip_space(params);
    if (name->len == 0 || params->len == 0 || params->ptr[0] != '=')
        return PARAM_BAD;
    params->ptr++;
    params->len--;
    skip_space(params);
    if (params->len > 0 && params->ptr[0] == '"') {
        const char *close = memchr(params->ptr + 1, '"', params->len - 1);
        if (close == NULL)
            return PARAM_BAD;
        *value = (struct str){params->ptr + 1, (size_t)(close - params->ptr - 1)};
        n = (size_t)(close - params->ptr) + 1;
    } else {
        n = 0;
        while (n < params->len && params->ptr[n] != ';' && !is_space(params->ptr[n]))
            n++;
        if (n == 0)
            return PARAM_BAD;
        *value = (struct str){params->ptr, n};
    }
    params->ptr += n;
    params->len -= n;
    return PARAM_FOUND;
}

bool multipart_is_form_data(struct str content_type)
{
    struct str type, params;
    split_type(content_type, &type, &params);
    return str_eq_nocase(type, STR_LIT("multipart/form-data"));
}

/* The boundary parameter of a multipart/form-data Content-Type whose parameters are well-formed. */
static bool find_boundary(struct str content_type, struct str *boundary)
{
    struct str type, params, name, value;
    split_type(content_type, &type, &params);
    if (!str_eq_nocase(type, STR_LIT("multipart/form-data")))
        return false;
    bool found = false;
    enum param_result r;
    while ((r = param_next(&params, &name, &value)) == PARAM_FOUND) {
        if (!str_eq_nocase(name, STR_LIT("boundary")))
            continue;
        if (found || value.len == 0 || value.len > BOUNDARY_MAX)
            return false;
        for (size_t i = 0; i < value.len; i++)
            if (value.ptr[i] < 32 || value.ptr[i] > 126)
                return false;
        *boundary = value;
        found = true;
    }
    return r == PARAM_END && found;
}

/* What a part's headers say about it. */
struct part {
    bool has_disposition;
    bool has_name;
    bool has_filename;
    struct str name;
    struct str filename;
    struct str content_type;
};

/* Reads "form-data; name=...; filename=..." into part. */
static bool read_disposition(struct str value, struct part *part)
{
    struct str type, params, name, param;
    split_type(value, &type, &params);
    if (part->has_disposition || !str_eq_nocase(type, STR_LIT("form-data")))
        return false;
    part->has_disposition = true;
    enum param_result r;
    while ((r = param_next(&params, &name, &param)) == PARAM_FOUND) {
        if (str_eq_nocase(name, STR_LIT("name"))) {
            part->name = param;
            part->has_name = true;
        } else if (str_eq_nocase(name, STR_LIT("filename"))) {
            part->filename = param;
            part->has_filename = true;
        }
    }
    return r == PARAM_END && part->has_name && part->name.len > 0;
}

/* Reads one header line (without its CRLF) of a part. */
static bool read_header(struct str line, struct part *part)
{
    const char *colon = memchr(line.ptr, ':', line.len);
    if (colon == NULL || colon == line.ptr || memchr(line.ptr, '\0', line.len) != NULL)
        return false;
    struct str name = {line.ptr, (size_t)(colon - line.ptr)};
    struct str value = trim((struct str){colon + 1, line.len - name.len - 1});
    for (size_t i = 0; i < name.len; i++)
        if (!is_token_char(name.ptr[i]))
            return false;
    if (str_eq_nocase(name, STR_LIT("content-disposition")))
        return read_disposition(value, part);
    if (str_eq_nocase(name, STR_LIT("content-type")))
        part->content_type = value;
    return true;
}

/* Reads a part's header block from *pos up to and including its blank line. */
static bool read_headers(const char *body, size_t len, size_t *pos, struct part *part)
{
    *part = (struct part){.content_type = STR_LIT("")};
    size_t start = *pos;
    for (;;) {
        size_t avail = len - *pos;
        if (avail > PART_HEADERS_MAX)
            avail = PART_HEADERS_MAX;
        const char *crlf = memmem(body + *pos, avail, "\r\n", 2);
        if (crlf == NULL || (size_t)(crlf - body) - start > PART_HEADERS_MAX)
            return false;
        struct str line = {body + *pos, (size_t)(crlf - (body + *pos))};
        *pos += line.len + 2;
        if (line.len == 0)
            return part->has_disposition;
        if (!read_header(line, part))
            return false;
    }
}

/* Adds a part to the fields or the files. */
static bool keep_part(const struct part *part, const char *data, size_t len, struct arena *arena, struct form *fields,
                      struct multipart_file *files, size_t *file_count)
{
    const char *name = arena_strndup(arena, part->name.ptr, part->name.len);
    if (part->has_filename) {
        files[(*file_count)++] = (struct multipart_file){
            .field = name,
            .filename = arena_strndup(arena, part->filename.ptr, part->filename.len),
            .content_type = arena_strndup(arena, part->content_type.ptr, part->content_type.len),
            .data = data,
            .len = len,
        };
        return true;
    }
    if (memchr(data, '\0', len) != NULL)
        return false; /* text fields are C strings, as in form_parse */
    fields->fields[fields->count++] = (struct form_field){name, arena_strndup(arena, data, len)};
    return true;
}

/* Where the first part starts: after the first delimiter, which may open the body (without the
 * CRLF that precedes later ones) or follow a preamble. */
static bool first_delimiter(const char *body, size_t len, const char *delim, size_t dlen, size_t *pos)
{
    if (len >= dlen - 2 && memcmp(body, delim + 2, dlen - 2) == 0) {
        *pos = dlen - 2;
        return true;
    }
    const char *d = memmem(body, len, delim, dlen);
    if (d == NULL)
        return false;
    *pos = (size_t)(d - body) + dlen;
    return true;
}

bool multipart_parse(struct str content_type, const char *body, size_t len, struct arena *arena, struct form *fields,
                     struct multipart_file **files, size_t *file_count)
{
    fields->fields = arena_alloc(arena, sizeof(*fields->fields) * MULTIPART_MAX_PARTS);
    fields->count = 0;
    *files = arena_alloc(arena, sizeof(**files) * MULTIPART_MAX_PARTS);
    *file_count = 0;
    struct str boundary = {NULL, 0};
    if (body == NULL || !find_boundary(content_type, &boundary))
        return false;
    size_t dlen = boundary.len + 4; /* CRLF "--" boundary */
    char *delim = arena_alloc(arena, dlen + 1);
    memcpy(delim, "\r\n--", 4);
    memcpy(delim + 4, boundary.ptr, boundary.len);
    size_t pos;
    if (!first_delimiter(body, len, delim, dlen, &pos))
        return false;
    for (size_t parts = 0;; parts++) {
        if (len - pos >= 2 && body[pos] == '-' && body[pos + 1] == '-')
            return true; /* the close delimiter; the epilogue is ignored */
        while (pos < len && is_space(body[pos]))
            pos++; /* transport padding */
        if (len - pos < 2 || body[pos] != '\r' || body[pos + 1] != '\n' || parts == MULTIPART_MAX_PARTS)
            return false;
        pos += 2;
        struct part part;
        if (!read_headers(body, len, &pos, &part))
            return false;
        const char *next = memmem(body + pos, len - pos, delim, dlen);
        if (next == NULL)
            return false;
        size_t part_len = (size_t)(next - (body + pos));
        if (!keep_part(&part, body + pos, part_len, arena, fields, *files, file_count))
            return false;
        pos += part_len + dlen;
    }
}
