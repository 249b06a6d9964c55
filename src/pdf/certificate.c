#include "pdf/certificate.h"

#include "pdf/pdf.h"

#include <stdio.h>

/* The certificate's ink: a deep teal for the frame and the names, near-black for the rest. */
#define INK_ACCENT 0.0, 0.30, 0.35
#define INK_TEXT 0.11, 0.11, 0.11
#define INK_QUIET 0.33, 0.33, 0.33

bool pdf_certificate(const struct certificate *c, struct buf *out)
{
    struct pdf pdf;
    char title[256];
    snprintf(title, sizeof(title), "Certificate %s", c->number ? c->number : "");
    pdf_begin(&pdf, out, PDF_A4_LONG, PDF_A4_SHORT, title);
    const double w = pdf.width, h = pdf.height, text_width = w - 2 * 90;

    pdf_colour(&pdf, INK_ACCENT);
    pdf_frame(&pdf, 24, 24, w - 48, h - 48, 3);
    pdf_frame(&pdf, 33, 33, w - 66, h - 66, 0.75);

    pdf_text_centred_fit(&pdf, PDF_SERIF_BOLD, 22, 12, text_width, 105, c->provider);
    pdf_rule(&pdf, w / 2 - 60, 122, w / 2 + 60, 122, 0.75);

    pdf_colour(&pdf, INK_TEXT);
    pdf_font(&pdf, PDF_SANS, 15);
    pdf_text_centred(&pdf, 178, "This is to certify that");

    pdf_colour(&pdf, INK_ACCENT);
    pdf_text_centred_fit(&pdf, PDF_SERIF_BOLD, 34, 16, text_width, 234, c->name);

    pdf_colour(&pdf, INK_TEXT);
    pdf_font(&pdf, PDF_SANS, 15);
    pdf_text_centred(&pdf, 284, "has been awarded the");

    /* A qualification's title is long ("National Professional Qualification for ..."): two
     * lines at most. */
    pdf_colour(&pdf, INK_ACCENT);
    pdf_font(&pdf, PDF_SERIF_BOLD, 24);
    char lines[3][PDF_LINE_BYTES];
    size_t n = pdf_wrap(&pdf, c->qualification, text_width, lines, 3);
    if (n == 3) { /* too long for two lines at 24: a size smaller */
        pdf_font(&pdf, PDF_SERIF_BOLD, 19);
        n = pdf_wrap(&pdf, c->qualification, text_width, lines, 2);
    } else if (n == 2) {
        /* Balanced lines read better than a full line and a stray word: the narrowest measure
         * that still takes two lines. */
        double measure = text_width;
        while (measure > 100 && pdf_wrap(&pdf, c->qualification, measure - 10, lines, 3) == 2)
            measure -= 10;
        n = pdf_wrap(&pdf, c->qualification, measure, lines, 2);
    }
    double y = pdf_lines(&pdf, 0, 334, 32, lines, n, true);

    pdf_colour(&pdf, INK_TEXT);
    pdf_font(&pdf, PDF_SANS, 15);
    char on[64];
    snprintf(on, sizeof(on), "on %s", c->awarded_on ? c->awarded_on : "");
    pdf_text_centred(&pdf, y + 14, on);

    pdf_colour(&pdf, INK_QUIET);
    pdf_font(&pdf, PDF_SANS, 11);
    char number[128];
    snprintf(number, sizeof(number), "Certificate number %s", c->number ? c->number : "");
    pdf_text_centred(&pdf, h - 92, number);
    char verify[1024];
    snprintf(verify, sizeof(verify), "Verify this certificate at %s", c->verify_url ? c->verify_url : "");
    /* The address must stay on one line to be copied whole: it shrinks rather than wraps. */
    bool linked = pdf_link_begin(&pdf, c->verify_url);
    pdf_text_centred_fit(&pdf, PDF_SANS, 10, 5, w - 2 * 50, h - 72, verify);
    if (linked)
        pdf_link_end(&pdf);

    return pdf_end(&pdf);
}
