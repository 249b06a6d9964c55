#include "lib/file_type.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

static const struct file_type PDF = {"application/pdf", "PDF", FILE_DOCUMENT, false};
static const struct file_type DOCX = {"application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                                      "Word document", FILE_DOCUMENT, false};
static const struct file_type XLSX = {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                      "Excel spreadsheet", FILE_DOCUMENT, false};
static const struct file_type PPTX = {"application/vnd.openxmlformats-officedocument.presentationml.presentation",
                                      "PowerPoint presentation", FILE_DOCUMENT, false};
static const struct file_type DOC = {"application/msword", "Word 97-2003 document", FILE_DOCUMENT, false};
static const struct file_type XLS = {"application/vnd.ms-excel", "Excel 97-2003 spreadsheet", FILE_DOCUMENT, false};
static const struct file_type PPT = {"application/vnd.ms-powerpoint", "PowerPoint 97-2003 presentation", FILE_DOCUMENT,
                                     false};
static const struct file_type ODT = {"application/vnd.oasis.opendocument.text", "OpenDocument text", FILE_DOCUMENT,
                                     false};
static const struct file_type ODS = {"application/vnd.oasis.opendocument.spreadsheet", "OpenDocument spreadsheet",
                                     FILE_DOCUMENT, false};
static const struct file_type ODP = {"application/vnd.oasis.opendocument.presentation", "OpenDocument presentation",
                                     FILE_DOCUMENT, false};
static const struct file_type RTF = {"application/rtf", "Rich Text", FILE_DOCUMENT, false};
static const struct file_type TEXT = {"text/plain; charset=utf-8", "Plain text", FILE_TEXT, false};
static const struct file_type CSV = {"text/csv; charset=utf-8", "CSV", FILE_TEXT, false};
static const struct file_type MARKDOWN = {"text/markdown; charset=utf-8", "Markdown", FILE_TEXT, false};
static const struct file_type PNG = {"image/png", "PNG image", FILE_IMAGE, true};
static const struct file_type JPEG = {"image/jpeg", "JPEG image", FILE_IMAGE, true};
static const struct file_type GIF = {"image/gif", "GIF image", FILE_IMAGE, true};
static const struct file_type WEBP = {"image/webp", "WebP image", FILE_IMAGE, true};
static const struct file_type MP3 = {"audio/mpeg", "MP3 audio", FILE_AUDIO, true};
static const struct file_type M4A = {"audio/mp4", "M4A audio", FILE_AUDIO, true};
static const struct file_type WAV = {"audio/wav", "WAV audio", FILE_AUDIO, true};
static const struct file_type OGG = {"audio/ogg", "Ogg audio", FILE_AUDIO, true};
static const struct file_type FLAC = {"audio/flac", "FLAC audio", FILE_AUDIO, true};
static const struct file_type MP4 = {"video/mp4", "MP4 video", FILE_VIDEO, true};
static const struct file_type MOV = {"video/quicktime", "QuickTime video", FILE_VIDEO, true};
static const struct file_type WEBM = {"video/webm", "WebM video", FILE_VIDEO, true};

static const struct file_type *const known[] = {&PDF, &DOCX, &XLSX, &PPTX, &DOC,      &XLS, &PPT,  &ODT, &ODS,
                                                &ODP, &RTF,  &TEXT, &CSV,  &MARKDOWN, &PNG, &JPEG, &GIF, &WEBP,
                                                &MP3, &M4A,  &WAV,  &OGG,  &FLAC,     &MP4, &MOV,  &WEBM};

const struct file_type *file_type_of_media_type(const char *media_type)
{
    for (size_t i = 0; media_type != NULL && i < sizeof(known) / sizeof(known[0]); i++)
        if (strcmp(known[i]->media_type, media_type) == 0)
            return known[i];
    return NULL;
}

const char *file_kind_name(enum file_kind kind)
{
    static const char *const names[] = {"document", "text", "image", "audio", "video"};
    return (size_t)kind < sizeof(names) / sizeof(names[0]) ? names[kind] : "document";
}

const char *file_type_known_list(void)
{
    return "PDF, Word, Excel, PowerPoint, OpenDocument, RTF, plain text or CSV, an image (PNG, JPEG, GIF, WebP), "
           "audio (MP3, M4A, WAV, Ogg, FLAC) or video (MP4, MOV, WebM)";
}

const char *file_type_accept_list(void)
{
    return ".pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.odt,.ods,.odp,.rtf,.txt,.csv,.md,.png,.jpg,.jpeg,.gif,.webp,"
           ".mp3,.m4a,.wav,.ogg,.oga,.flac,.mp4,.m4v,.mov,.webm";
}

static bool starts(const unsigned char *p, size_t len, size_t at, const char *magic, size_t n)
{
    return len >= at + n && memcmp(p + at, magic, n) == 0;
}

#define STARTS(p, len, at, magic) starts(p, len, at, magic, sizeof(magic) - 1)

static bool name_ends(const char *name, const char *suffix)
{
    size_t n = name ? strlen(name) : 0, s = strlen(suffix);
    return n >= s && strcasecmp(name + n - s, suffix) == 0;
}

static uint32_t le16(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t le32(const unsigned char *p)
{
    return le16(p) | le16(p + 2) << 16;
}

/* An Office Open XML package: a ZIP whose central directory lists [Content_Types].xml and the
 * application's own folder. Read from the end record back, so a file's order does not matter. */
static const struct file_type *office_open_xml(const unsigned char *p, size_t len)
{
    enum { EOCD = 22, MAX_COMMENT = 65535, ENTRY = 46 };
    if (len < EOCD)
        return NULL;
    size_t floor = len > EOCD + MAX_COMMENT ? len - EOCD - MAX_COMMENT : 0;
    size_t end = SIZE_MAX;
    for (size_t at = len - EOCD + 1; at-- > floor;)
        if (memcmp(p + at, "PK\x05\x06", 4) == 0) {
            end = at;
            break;
        }
    if (end == SIZE_MAX)
        return NULL;
    size_t entries = le16(p + end + 10), offset = le32(p + end + 16), size = le32(p + end + 12);
    if (offset > end || size > end - offset)
        return NULL;
    bool types = false, word = false, sheet = false, slides = false;
    for (size_t at = offset, i = 0; i < entries; i++) {
        if (at + ENTRY > offset + size || memcmp(p + at, "PK\x01\x02", 4) != 0)
            return NULL;
        size_t name_len = le16(p + at + 28), extra = le16(p + at + 30), comment = le16(p + at + 32);
        if (at + ENTRY + name_len > offset + size)
            return NULL;
        const char *name = (const char *)p + at + ENTRY;
        types |= name_len == 19 && memcmp(name, "[Content_Types].xml", 19) == 0;
        word |= name_len > 5 && memcmp(name, "word/", 5) == 0;
        sheet |= name_len > 3 && memcmp(name, "xl/", 3) == 0;
        slides |= name_len > 4 && memcmp(name, "ppt/", 4) == 0;
        at += ENTRY + name_len + extra + comment;
    }
    if (!types || word + sheet + slides != 1)
        return NULL;
    return word ? &DOCX : sheet ? &XLSX : &PPTX;
}

/* An OpenDocument file: a ZIP whose first entry, stored uncompressed, is "mimetype". */
static const struct file_type *open_document(const unsigned char *p, size_t len)
{
    static const char prefix[] = "application/vnd.oasis.opendocument.";
    if (!STARTS(p, len, 30, "mimetype") || !STARTS(p, len, 38, prefix))
        return NULL;
    size_t at = 38 + sizeof(prefix) - 1;
    if (STARTS(p, len, at, "text") && !STARTS(p, len, at + 4, "-"))
        return &ODT;
    if (STARTS(p, len, at, "spreadsheet") && !STARTS(p, len, at + 11, "-"))
        return &ODS;
    if (STARTS(p, len, at, "presentation") && !STARTS(p, len, at + 12, "-"))
        return &ODP;
    return NULL;
}

/* Well-formed UTF-8 with no control characters but tab, carriage return and line feed. */
static bool is_text(const unsigned char *p, size_t len)
{
    if (len == 0)
        return false;
    for (size_t i = 0; i < len;) {
        unsigned char c = p[i];
        if (c < 0x80) {
            if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7f)
                return false;
            i++;
            continue;
        }
        size_t n = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
        if (n == 0 || i + n > len)
            return false;
        for (size_t k = 1; k < n; k++)
            if ((p[i + k] & 0xc0) != 0x80)
                return false;
        /* No overlong forms, surrogates or code points past U+10FFFF. */
        if ((c == 0xe0 && p[i + 1] < 0xa0) || (c == 0xed && p[i + 1] > 0x9f) || (c == 0xf0 && p[i + 1] < 0x90) ||
            (c == 0xf4 && p[i + 1] > 0x8f))
            return false;
        i += n;
    }
    return true;
}

/* ISO base media (MP4, M4A, MOV): a "ftyp" box first, whose major brand says which. */
static const struct file_type *iso_media(const unsigned char *p, size_t len)
{
    if (!STARTS(p, len, 4, "ftyp") || len < 12)
        return NULL;
    const unsigned char *brand = p + 8;
    if (memcmp(brand, "M4A ", 4) == 0 || memcmp(brand, "M4B ", 4) == 0)
        return &M4A;
    if (memcmp(brand, "qt  ", 4) == 0)
        return &MOV;
    return &MP4;
}

const struct file_type *file_type_detect(const void *data, size_t len, const char *name)
{
    const unsigned char *p = data;
    if (p == NULL || len == 0)
        return NULL;
    if (STARTS(p, len, 0, "%PDF-"))
        return &PDF;
    if (STARTS(p, len, 0, "\x89PNG\r\n\x1a\n"))
        return &PNG;
    if (STARTS(p, len, 0, "\xff\xd8\xff"))
        return &JPEG;
    if (STARTS(p, len, 0, "GIF87a") || STARTS(p, len, 0, "GIF89a"))
        return &GIF;
    if (STARTS(p, len, 0, "RIFF") && STARTS(p, len, 8, "WEBP"))
        return &WEBP;
    if (STARTS(p, len, 0, "RIFF") && STARTS(p, len, 8, "WAVE"))
        return &WAV;
    if (STARTS(p, len, 0, "OggS"))
        return &OGG;
    if (STARTS(p, len, 0, "fLaC"))
        return &FLAC;
    /* An ID3 tag, or an MPEG audio frame's sync word with a layer III header. */
    if (STARTS(p, len, 0, "ID3") || (len >= 2 && p[0] == 0xff && (p[1] & 0xe6) == 0xe2))
        return &MP3;
    if (STARTS(p, len, 0, "\x1a\x45\xdf\xa3"))
        return &WEBM;
    const struct file_type *media = iso_media(p, len);
    if (media != NULL)
        return media;
    if (STARTS(p, len, 0, "{\\rtf"))
        return &RTF;
    if (STARTS(p, len, 0, "PK\x03\x04")) {
        const struct file_type *document = open_document(p, len);
        return document != NULL ? document : office_open_xml(p, len);
    }
    /* A legacy Office file is an OLE compound file; only its name says which application. */
    if (STARTS(p, len, 0, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"))
        return name_ends(name, ".doc") ? &DOC : name_ends(name, ".xls") ? &XLS : name_ends(name, ".ppt") ? &PPT : NULL;
    size_t bom = STARTS(p, len, 0, "\xef\xbb\xbf") ? 3 : 0;
    if (is_text(p + bom, len - bom))
        return name_ends(name, ".csv") ? &CSV : name_ends(name, ".md") ? &MARKDOWN : &TEXT;
    return NULL;
}
