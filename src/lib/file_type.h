/*
 * What a file is, decided by its content: the uploader's Content-Type and name are claims, and a
 * file that is served must be served as what it is (a "text/javascript" upload served as such
 * would run as script; an .exe named "plan.pdf" is still a program).
 *
 * The types known are the ones people open without special software: documents (PDF, Word,
 * Excel, PowerPoint, OpenDocument, RTF), plain UTF-8 text (with CSV and Markdown told apart by
 * the name), images (PNG, JPEG, GIF, WebP), audio (MP3, M4A, WAV, Ogg, FLAC) and video (MP4, MOV,
 * WebM). Anything else (programs, archives, scripts, HTML, SVG) is unknown, so a use that
 * accepts only known kinds refuses it.
 */
#ifndef NPQ_LIB_FILE_TYPE_H
#define NPQ_LIB_FILE_TYPE_H

#include <stdbool.h>
#include <stddef.h>

enum file_kind { FILE_DOCUMENT, FILE_TEXT, FILE_IMAGE, FILE_AUDIO, FILE_VIDEO };

struct file_type {
    const char *media_type; /* "application/pdf", "text/plain; charset=utf-8" ... as it is served */
    const char *title;      /* "PDF", "Word document" ... for people */
    enum file_kind kind;
    bool inline_safe; /* may be shown in the page (images, audio, video); everything else is a download */
};

/*
 * The type of len bytes of data, or NULL when it is none of the known types. name (may be NULL)
 * only tells apart what the bytes cannot: a legacy Office file's application, CSV or Markdown
 * from plain text.
 */
const struct file_type *file_type_detect(const void *data, size_t len, const char *name);

/* The known type served as media_type, or NULL: a type kept with a file is trusted only when
 * it is one of these (files kept before types were checked carry the sender's claim). */
const struct file_type *file_type_of_media_type(const char *media_type);

/* An allow-list of kinds for one use of files: FILE_KINDS(FILE_IMAGE, FILE_VIDEO ...). */
#define FILE_KIND_BIT(kind) (1u << (kind))
#define FILE_KINDS_ALL                                                                                                 \
    (FILE_KIND_BIT(FILE_DOCUMENT) | FILE_KIND_BIT(FILE_TEXT) | FILE_KIND_BIT(FILE_IMAGE) | FILE_KIND_BIT(FILE_AUDIO) | \
     FILE_KIND_BIT(FILE_VIDEO))

static inline bool file_type_allowed(const struct file_type *type, unsigned kinds)
{
    return type != NULL && (kinds & FILE_KIND_BIT(type->kind)) != 0;
}

/* "document", "text", "image", "audio" or "video". */
const char *file_kind_name(enum file_kind kind);

/* One line naming every known type, for a message that says what may be sent. */
const char *file_type_known_list(void);

/* The usual file name endings of the known types, for a file input's accept attribute (a hint
 * to the browser's picker; the content still decides). */
const char *file_type_accept_list(void);

#endif
