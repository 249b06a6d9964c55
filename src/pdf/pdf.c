#include "pdf/pdf.h"

#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <string.h>

/* cairo writes the document in pieces as it goes. A piece that would pass the buffer's maximum is
 * noted here: cairo 1.16 carries on after a write error without saying so in any status. */
static cairo_status_t write_piece(void *closure, const unsigned char *data, unsigned int length)
{
    struct pdf *pdf = closure;
    if (!pdf->write_failed && !buf_append(pdf->out, data, length))
        pdf->write_failed = true;
    return pdf->write_failed ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

void pdf_begin(struct pdf *pdf, struct buf *out, double width, double height, const char *title)
{
    pdf->out = out;
    pdf->write_failed = false;
    pdf->surface = cairo_pdf_surface_create_for_stream(write_piece, pdf, width, height);
    cairo_pdf_surface_set_metadata(pdf->surface, CAIRO_PDF_METADATA_TITLE, title);
    cairo_pdf_surface_set_metadata(pdf->surface, CAIRO_PDF_METADATA_CREATOR, "npq");
    pdf->cr = cairo_create(pdf->surface);
    pdf->layout = pango_cairo_create_layout(pdf->cr);
    pdf->font = pango_font_description_new();
    pdf->width = width;
    pdf->height = height;
    pdf->page = 1;
    pdf_colour(pdf, 0, 0, 0);
    pdf_font(pdf, PDF_SANS, 11);
}

void pdf_next_page(struct pdf *pdf)
{
    cairo_show_page(pdf->cr);
    pdf->page++;
}

bool pdf_end(struct pdf *pdf)
{
    cairo_status_t drawn = cairo_status(pdf->cr);
    g_object_unref(pdf->layout);
    pango_font_description_free(pdf->font);
    pdf->layout = NULL;
    pdf->font = NULL;
    cairo_destroy(pdf->cr);
    cairo_surface_finish(pdf->surface);
    cairo_status_t written = cairo_surface_status(pdf->surface);
    cairo_surface_destroy(pdf->surface);
    pdf->cr = NULL;
    pdf->surface = NULL;
    return drawn == CAIRO_STATUS_SUCCESS && written == CAIRO_STATUS_SUCCESS && !pdf->write_failed;
}

void pdf_font(struct pdf *pdf, enum pdf_face face, double size)
{
    bool serif = face == PDF_SERIF || face == PDF_SERIF_BOLD;
    bool bold = face == PDF_SANS_BOLD || face == PDF_SERIF_BOLD;
    /* DejaVu first; fontconfig finds another font (Noto) for any script DejaVu lacks. */
    pango_font_description_set_family(pdf->font, serif ? "DejaVu Serif,Noto Serif,Noto Serif CJK SC,serif"
                                                       : "DejaVu Sans,Noto Sans,Noto Sans CJK SC,sans-serif");
    pango_font_description_set_weight(pdf->font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_absolute_size(pdf->font, size * PANGO_SCALE);
    pango_layout_set_font_description(pdf->layout, pdf->font);
}

void pdf_colour(struct pdf *pdf, double red, double green, double blue)
{
    cairo_set_source_rgb(pdf->cr, red, green, blue);
}

double pdf_text_width(struct pdf *pdf, const char *text)
{
    pango_layout_set_text(pdf->layout, text ? text : "", -1);
    int width, height;
    pango_layout_get_size(pdf->layout, &width, &height);
    return (double)width / PANGO_SCALE;
}

void pdf_text_at(struct pdf *pdf, double x, double y, const char *text)
{
    pango_layout_set_text(pdf->layout, text ? text : "", -1);
    /* Pango draws from the layout's top; y is where the baseline goes. */
    double baseline = (double)pango_layout_get_baseline(pdf->layout) / PANGO_SCALE;
    cairo_move_to(pdf->cr, x, y - baseline);
    pango_cairo_show_layout(pdf->cr, pdf->layout);
}

bool pdf_link_begin(struct pdf *pdf, const char *uri)
{
    /* The address goes inside cairo's quoted attribute, so it may hold no quote or backslash. */
    char attributes[1200];
    if (uri == NULL || strpbrk(uri, "'\\") != NULL ||
        (size_t)snprintf(attributes, sizeof(attributes), "uri='%s'", uri) >= sizeof(attributes))
        return false;
    cairo_tag_begin(pdf->cr, CAIRO_TAG_LINK, attributes);
    return true;
}

void pdf_link_end(struct pdf *pdf)
{
    cairo_tag_end(pdf->cr, CAIRO_TAG_LINK);
}

void pdf_text_centred(struct pdf *pdf, double y, const char *text)
{
    pdf_text_at(pdf, (pdf->width - pdf_text_width(pdf, text)) / 2, y, text);
}

void pdf_text_right(struct pdf *pdf, double right, double y, const char *text)
{
    pdf_text_at(pdf, right - pdf_text_width(pdf, text), y, text);
}

void pdf_text_centred_fit(struct pdf *pdf, enum pdf_face face, double size, double min_size, double max_width, double y,
                          const char *text)
{
    pdf_font(pdf, face, size);
    double width = pdf_text_width(pdf, text);
    if (width > max_width && width > 0) {
        double fitted = size * max_width / width;
        pdf_font(pdf, face, fitted < min_size ? min_size : fitted);
    }
    pdf_text_centred(pdf, y, text);
}

/* The length of the longest start of s[0..len) that is whole UTF-8 characters. */
static size_t utf8_floor(const char *s, size_t len)
{
    while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
        len--;
    return len;
}

/* The length of the longest start of word[0..len), at least one character, that fits width. */
static size_t fitting_prefix(struct pdf *pdf, const char *word, size_t len, double width)
{
    char piece[PDF_LINE_BYTES];
    size_t best = 0;
    for (size_t n = 1; n <= len && n < sizeof(piece); n++) {
        if (n < len && ((unsigned char)word[n] & 0xC0) == 0x80)
            continue; /* inside a character */
        memcpy(piece, word, n);
        piece[n] = '\0';
        if (best > 0 && pdf_text_width(pdf, piece) > width)
            break;
        best = n;
    }
    return best > 0 ? best : utf8_floor(word, len < sizeof(piece) - 1 ? len : sizeof(piece) - 1);
}

size_t pdf_wrap(struct pdf *pdf, const char *text, double width, char lines[][PDF_LINE_BYTES], size_t max_lines)
{
    const char *p = text ? text : "";
    size_t count = 0;
    while (*p == ' ')
        p++;
    while (*p != '\0' && count < max_lines) {
        char *line = lines[count++];
        size_t len = 0;
        line[0] = '\0';
        if (count == max_lines) { /* the last line allowed takes the rest */
            size_t rest = utf8_floor(p, strlen(p) < PDF_LINE_BYTES - 1 ? strlen(p) : PDF_LINE_BYTES - 1);
            memcpy(line, p, rest);
            line[rest] = '\0';
            break;
        }
        while (*p != '\0') {
            const char *word = p;
            while (*p != '\0' && *p != ' ')
                p++;
            size_t word_len = (size_t)(p - word);
            size_t need = len + (len > 0) + word_len;
            bool fits = need < PDF_LINE_BYTES;
            if (fits) {
                char candidate[PDF_LINE_BYTES];
                memcpy(candidate, line, len);
                if (len > 0)
                    candidate[len] = ' ';
                memcpy(candidate + len + (len > 0), word, word_len);
                candidate[need] = '\0';
                fits = pdf_text_width(pdf, candidate) <= width;
                if (fits) {
                    memcpy(line, candidate, need + 1);
                    len = need;
                }
            }
            if (!fits) {
                if (len == 0) { /* a word wider than the line: as much of it as fits */
                    size_t n = fitting_prefix(pdf, word, word_len, width);
                    memcpy(line, word, n);
                    line[n] = '\0';
                    p = word + n;
                } else {
                    p = word;
                }
                break;
            }
            while (*p == ' ')
                p++;
        }
        while (*p == ' ')
            p++;
    }
    return count;
}

double pdf_lines(struct pdf *pdf, double x, double y, double leading, char lines[][PDF_LINE_BYTES], size_t count,
                 bool centred)
{
    for (size_t i = 0; i < count; i++, y += leading) {
        if (centred)
            pdf_text_centred(pdf, y, lines[i]);
        else
            pdf_text_at(pdf, x, y, lines[i]);
    }
    return y;
}

void pdf_rule(struct pdf *pdf, double x0, double y0, double x1, double y1, double line_width)
{
    cairo_set_line_width(pdf->cr, line_width);
    cairo_move_to(pdf->cr, x0, y0);
    cairo_line_to(pdf->cr, x1, y1);
    cairo_stroke(pdf->cr);
}

void pdf_frame(struct pdf *pdf, double x, double y, double width, double height, double line_width)
{
    cairo_set_line_width(pdf->cr, line_width);
    cairo_rectangle(pdf->cr, x, y, width, height);
    cairo_stroke(pdf->cr);
}
