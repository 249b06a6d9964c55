/*
 * PDF documents drawn with cairo into a struct buf: the page, fonts, and text laid out in lines
 * (centred, shrunk to fit, wrapped at word boundaries). Shared by the certificate and the
 * transcript, which hold only their own layout.
 *
 * Text is UTF-8, laid out by Pango: DejaVu (fonts-dejavu-core) first, and through fontconfig's
 * fallback Noto for the scripts DejaVu lacks (fonts-noto-core; fonts-noto-cjk for Chinese,
 * Japanese and Korean names), so every name prints. cairo embeds the glyphs it uses, so documents
 * look the same everywhere and their text can be copied and searched.
 */
#ifndef NPQ_PDF_PDF_H
#define NPQ_PDF_PDF_H

#include "lib/buf.h"

#include <cairo.h>
#include <pango/pango.h>
#include <stdbool.h>
#include <stddef.h>

enum {
    PDF_MAX_BYTES = 8 * 1024 * 1024, /* what a document may grow to */
    PDF_LINE_BYTES = 512,            /* one laid-out line of text */
};

/* Page sizes in points (1/72 inch). */
#define PDF_A4_SHORT 595.276
#define PDF_A4_LONG 841.890

enum pdf_face { PDF_SANS, PDF_SANS_BOLD, PDF_SERIF, PDF_SERIF_BOLD };

struct pdf {
    cairo_surface_t *surface;
    cairo_t *cr;
    PangoLayout *layout;        /* one line of text at a time */
    PangoFontDescription *font; /* as pdf_font chose */
    struct buf *out;
    bool write_failed; /* out refused a piece: cairo does not report it in its own status */
    double width, height;
    int page; /* the page being drawn, from 1 */
};

/* Starts a document of pages width by height points, written into out (which the caller
 * initialised, with a maximum). title goes in the document's properties. pdf must stay where it
 * is until pdf_end: cairo writes through it. */
void pdf_begin(struct pdf *pdf, struct buf *out, double width, double height, const char *title);

/* Ends the page being drawn and starts another. */
void pdf_next_page(struct pdf *pdf);

/* Finishes the document and releases cairo's objects. False when drawing failed or out would have
 * grown past its maximum: out is then not a whole document. */
bool pdf_end(struct pdf *pdf);

/* Chooses the face and size (points) of the text that follows, and its colour (0 to 1). */
void pdf_font(struct pdf *pdf, enum pdf_face face, double size);
void pdf_colour(struct pdf *pdf, double red, double green, double blue);

/* How wide text is in the current font. */
double pdf_text_width(struct pdf *pdf, const char *text);

/* Draws text with its baseline at y, starting at x / centred on the page / ending at x. */
void pdf_text_at(struct pdf *pdf, double x, double y, const char *text);
void pdf_text_centred(struct pdf *pdf, double y, const char *text);
void pdf_text_right(struct pdf *pdf, double right, double y, const char *text);

/* What is drawn between the two is a link to uri. pdf_link_begin is false, and nothing is a link
 * (call no pdf_link_end), when uri is NULL, too long, or holds a quote mark or backslash. */
bool pdf_link_begin(struct pdf *pdf, const char *uri);
void pdf_link_end(struct pdf *pdf);

/* Draws text centred on one line, in face at size or smaller (down to min_size) so that it fits
 * within max_width; below min_size it is drawn at min_size and may overflow. */
void pdf_text_centred_fit(struct pdf *pdf, enum pdf_face face, double size, double min_size, double max_width, double y,
                          const char *text);

/*
 * Lays text out in lines no wider than width in the current font, breaking at spaces (and inside
 * a word only when the word alone is too wide, never inside a character). Returns the number of
 * lines, at most max_lines (the last then holds what fits of the rest).
 */
size_t pdf_wrap(struct pdf *pdf, const char *text, double width, char lines[][PDF_LINE_BYTES], size_t max_lines);

/* Draws lines from pdf_wrap, the first baseline at y, one every leading points; centred on the
 * page when centred, else from x. Returns the baseline below the last line. */
double pdf_lines(struct pdf *pdf, double x, double y, double leading, char lines[][PDF_LINE_BYTES], size_t count,
                 bool centred);

/* A straight line, and a rectangle's outline, of the given width in the current colour. */
void pdf_rule(struct pdf *pdf, double x0, double y0, double x1, double y1, double line_width);
void pdf_frame(struct pdf *pdf, double x, double y, double width, double height, double line_width);

#endif
