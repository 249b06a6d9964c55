#include "pdf/transcript.h"
#include "domain/delivery.h"
#include "lib/date.h"

#include "pdf/pdf.h"

#include <stdio.h>
#include <string.h>

#define INK_ACCENT 0.0, 0.30, 0.35
#define INK_TEXT 0.11, 0.11, 0.11
#define INK_QUIET 0.40, 0.40, 0.40
#define INK_RULE 0.75, 0.75, 0.75

enum { CELL_LINES = 8 };

static const double MARGIN = 56, TOP = 64, BOTTOM = 70, LEADING = 13;

/* The table's columns: left edges and widths, across the page between the margins. */
static const struct {
    const char *heading;
    double x, width;
} columns[] = {
    {"Module", 56, 200},
    {"Completed", 262, 86},
    {"Hours logged", 354, 86},
    {"Master's credits", 446, 93},
};
enum { COLUMNS = sizeof(columns) / sizeof(columns[0]) };

struct layout {
    struct pdf pdf;
    const struct transcript *t;
    double y; /* the next baseline */
    bool in_table;
};

static void footer(struct layout *l)
{
    char issued[DATE_HUMAN_TEXT], text[512];
    date_format_day(l->t->generated_on, false, issued, sizeof(issued));
    snprintf(text, sizeof(text), "%s, transcript issued %s by %s. Page %d.", l->t->name, issued, l->t->provider,
             l->pdf.page);
    pdf_colour(&l->pdf, INK_QUIET);
    pdf_text_centred_fit(&l->pdf, PDF_SANS, 8, 5, l->pdf.width - 2 * MARGIN, l->pdf.height - 36, text);
}

static void table_heading(struct layout *l)
{
    pdf_colour(&l->pdf, INK_QUIET);
    pdf_font(&l->pdf, PDF_SANS_BOLD, 9);
    for (size_t i = 0; i < COLUMNS; i++)
        pdf_text_at(&l->pdf, columns[i].x, l->y, columns[i].heading);
    pdf_colour(&l->pdf, INK_RULE);
    pdf_rule(&l->pdf, MARGIN, l->y + 5, l->pdf.width - MARGIN, l->y + 5, 0.75);
    l->y += LEADING + 6;
}

/* Starts a new page when what follows, height points of it, would not fit on this one. */
static void room_for(struct layout *l, double height)
{
    if (l->y + height <= l->pdf.height - BOTTOM)
        return;
    footer(l);
    pdf_next_page(&l->pdf);
    l->y = TOP;
    if (l->in_table)
        table_heading(l);
}

static void heading(struct layout *l, const char *text)
{
    room_for(l, 48);
    l->y += 10;
    pdf_colour(&l->pdf, INK_ACCENT);
    pdf_font(&l->pdf, PDF_SANS_BOLD, 13);
    pdf_text_at(&l->pdf, MARGIN, l->y, text);
    l->y += LEADING + 8;
}

static void paragraph(struct layout *l, enum pdf_face face, double size, const char *text)
{
    char lines[CELL_LINES][PDF_LINE_BYTES];
    pdf_font(&l->pdf, face, size);
    size_t n = pdf_wrap(&l->pdf, text, l->pdf.width - 2 * MARGIN, lines, CELL_LINES);
    room_for(l, (double)n * LEADING);
    pdf_colour(&l->pdf, INK_TEXT);
    pdf_font(&l->pdf, face, size);
    l->y = pdf_lines(&l->pdf, MARGIN, l->y, LEADING, lines, n, false);
}

static void module_row(struct layout *l, const struct transcript_module *m)
{
    char cells[COLUMNS][2][PDF_LINE_BYTES / 2]; /* each cell: a main text and a quieter second one */
    char total[DELIVERY_HOURS_TEXT], verified[DELIVERY_HOURS_TEXT];
    delivery_hours_number(m->verified_quarter_hours + m->unverified_quarter_hours, total);
    delivery_hours_number(m->verified_quarter_hours, verified);
    snprintf(cells[0][0], sizeof(cells[0][0]), "%s", m->title);
    snprintf(cells[0][1], sizeof(cells[0][1]), "%s", m->code);
    date_format_day(m->completed_on, false, cells[1][0], sizeof(cells[1][0]));
    cells[1][1][0] = '\0';
    if (m->verified_quarter_hours + m->unverified_quarter_hours == 0) {
        snprintf(cells[2][0], sizeof(cells[2][0]), "None logged");
        cells[2][1][0] = '\0';
    } else {
        snprintf(cells[2][0], sizeof(cells[2][0]), "%s", total);
        if (m->unverified_quarter_hours == 0)
            snprintf(cells[2][1], sizeof(cells[2][1]), "all verified");
        else
            snprintf(cells[2][1], sizeof(cells[2][1]), "%s verified", verified);
    }
    if (m->has_credit) {
        snprintf(cells[3][0], sizeof(cells[3][0]), "%d", m->credits);
        snprintf(cells[3][1], sizeof(cells[3][1]), "%s", m->awarding_body);
    } else {
        snprintf(cells[3][0], sizeof(cells[3][0]), "None set");
        cells[3][1][0] = '\0';
    }

    /* Lay every cell out first: the row is as tall as its tallest cell. */
    char lines[COLUMNS][2][CELL_LINES][PDF_LINE_BYTES];
    size_t counts[COLUMNS][2];
    double tallest = 0;
    for (size_t c = 0; c < COLUMNS; c++) {
        pdf_font(&l->pdf, c == 0 ? PDF_SANS_BOLD : PDF_SANS, 10); /* measured as drawn below */
        counts[c][0] = pdf_wrap(&l->pdf, cells[c][0], columns[c].width - 8, lines[c][0], CELL_LINES);
        pdf_font(&l->pdf, PDF_SANS, 8.5);
        counts[c][1] = pdf_wrap(&l->pdf, cells[c][1], columns[c].width - 8, lines[c][1], CELL_LINES);
        double height = (double)(counts[c][0] + counts[c][1]) * LEADING;
        if (height > tallest)
            tallest = height;
    }
    room_for(l, tallest + 4);
    for (size_t c = 0; c < COLUMNS; c++) {
        pdf_colour(&l->pdf, INK_TEXT);
        pdf_font(&l->pdf, c == 0 ? PDF_SANS_BOLD : PDF_SANS, 10);
        double y = pdf_lines(&l->pdf, columns[c].x, l->y, LEADING, lines[c][0], counts[c][0], false);
        pdf_colour(&l->pdf, INK_QUIET);
        pdf_font(&l->pdf, PDF_SANS, 8.5);
        pdf_lines(&l->pdf, columns[c].x, y, LEADING, lines[c][1], counts[c][1], false);
    }
    l->y += tallest - LEADING + 7;
    pdf_colour(&l->pdf, INK_RULE);
    pdf_rule(&l->pdf, MARGIN, l->y, l->pdf.width - MARGIN, l->y, 0.5);
    l->y += LEADING + 3;
}

static void award_entry(struct layout *l, const struct transcript_award *a)
{
    char on[DATE_HUMAN_TEXT], text[512];
    date_format_day(a->awarded_on, false, on, sizeof(on));
    room_for(l, 4 * LEADING + 10);
    paragraph(l, PDF_SANS_BOLD, 11, a->qualification_title);
    snprintf(text, sizeof(text), "Awarded on %s. Certificate number %s.", on, a->certificate_number);
    paragraph(l, PDF_SANS, 10, text);
    if (a->verify_url == NULL) { /* not this reader's to share */
        l->y += 10;
        return;
    }
    char verify[1024];
    snprintf(verify, sizeof(verify), "Verify at %s", a->verify_url);
    pdf_colour(&l->pdf, INK_QUIET);
    pdf_font(&l->pdf, PDF_SANS, 9);
    /* The address stays on one line so it can be copied whole: it shrinks instead of wrapping. */
    double width = pdf_text_width(&l->pdf, verify), room = l->pdf.width - 2 * MARGIN;
    if (width > room)
        pdf_font(&l->pdf, PDF_SANS, 9 * room / width < 5 ? 5 : 9 * room / width);
    bool linked = pdf_link_begin(&l->pdf, a->verify_url);
    pdf_text_at(&l->pdf, MARGIN, l->y, verify);
    if (linked)
        pdf_link_end(&l->pdf);
    l->y += LEADING + 10;
}

bool pdf_transcript(const struct transcript *t, struct buf *out)
{
    struct layout l = {.t = t, .y = TOP};
    char title[512];
    snprintf(title, sizeof(title), "Transcript: %s", t->name);
    pdf_begin(&l.pdf, out, PDF_A4_SHORT, PDF_A4_LONG, title);

    pdf_colour(&l.pdf, INK_QUIET);
    pdf_font(&l.pdf, PDF_SANS_BOLD, 11);
    pdf_text_at(&l.pdf, MARGIN, l.y, t->provider);
    l.y += 34;
    pdf_colour(&l.pdf, INK_ACCENT);
    pdf_font(&l.pdf, PDF_SERIF_BOLD, 26);
    pdf_text_at(&l.pdf, MARGIN, l.y, "Transcript");
    l.y += 30;
    paragraph(&l, PDF_SANS_BOLD, 15, t->name);
    l.y += 4;
    char issued[DATE_HUMAN_TEXT], text[256];
    date_format_day(t->generated_on, false, issued, sizeof(issued));
    snprintf(text, sizeof(text),
             "Issued on %s. Hours are those logged in the learning-hours log; verified hours "
             "have been confirmed by a coach, facilitator or the provider.",
             issued);
    paragraph(&l, PDF_SANS, 9.5, text);

    heading(&l, "Modules completed");
    if (t->module_count == 0) {
        paragraph(&l, PDF_SANS, 10, "No modules are recorded as completed yet.");
    } else {
        table_heading(&l);
        l.in_table = true;
        for (size_t i = 0; i < t->module_count; i++)
            module_row(&l, &t->modules[i]);
        l.in_table = false;
        if (t->total_credits > 0) {
            snprintf(text, sizeof(text), "Master's credits in total: %d.", t->total_credits);
            paragraph(&l, PDF_SANS_BOLD, 10, text);
        }
    }

    heading(&l, "Qualifications awarded");
    if (t->award_count == 0)
        paragraph(&l, PDF_SANS, 10, "No qualification has been awarded yet.");
    for (size_t i = 0; i < t->award_count; i++)
        award_entry(&l, &t->awards[i]);

    footer(&l);
    return pdf_end(&l.pdf);
}
