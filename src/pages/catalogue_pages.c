/*
 * The catalogue in pages: the home of people not signed in, qualifications, a qualification, a module, the frameworks.
 */
#include "domain/dfe.h"
#include "domain/rules.h"
#include "http/site.h"
#include "pages/html.h"
#include "pages/layout.h"
#include "pages/widgets.h"
#include "pages/pages.h"

#include <stdio.h>
#include <string.h>

static const char *level_title(const struct catalogue *c, int number)
{
    const struct catalogue_level *level = catalogue_level_find(c, number);
    return level ? level->title : "";
}

/* Where a qualification sits: its 2012 level, or the DfE course it is. */
static void qualification_placing(const struct catalogue *c, const struct catalogue_qualification *q, char *out,
                                  size_t size)
{
    const struct dfe_code *group = dfe_code_find(&dfe_course_groups, q->course_group);
    if (q->level != 0)
        snprintf(out, size, "Level %d: %s", q->level, level_title(c, q->level));
    else if (group != NULL)
        snprintf(out, size, "%s course, DfE course %s", group->title, q->dfe_course);
    else
        snprintf(out, size, "Qualification");
}

void page_catalogue_home(struct request *request)
{
    const struct catalogue *c = page_catalogue(request);
    if (c == NULL)
        return;
    struct page page;
    page_begin(&page, "National Professional Qualifications", SECTION_HOME);
    struct buf *b = &page.body;
    html_printf(b,
                "<h1 class=\"govuk-heading-xl\">National Professional Qualifications</h1>"
                "<p class=\"govuk-body-l\">Leadership qualifications for teachers and school leaders, built from "
                "modules that can be combined into a qualification or studied alone and counted later.</p>"
                "<h2 class=\"govuk-heading-l\">The modular curriculum</h2>"
                "<table class=\"govuk-table\"><caption class=\"govuk-table__caption govuk-table__caption--m\">"
                "Levels and qualifications</caption><thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">"
                "<th scope=\"col\" class=\"govuk-table__header\">Level</th>"
                "<th scope=\"col\" class=\"govuk-table__header\">Qualification</th></tr></thead>"
                "<tbody class=\"govuk-table__body\">");
    for (size_t i = c->level_count; i-- > 0;) {
        const struct catalogue_level *level = &c->levels[i];
        html_printf(b,
                    "<tr class=\"govuk-table__row\"><th scope=\"row\" class=\"govuk-table__header\">Level %d: %s</th>"
                    "<td class=\"govuk-table__cell\">",
                    level->number, level->title);
        bool any = false;
        for (size_t q = 0; q < c->qualification_count; q++) {
            const struct catalogue_qualification *qual = &c->qualifications[q];
            if (qual->level != level->number)
                continue;
            char modules[128];
            rules_describe_modules(&qual->rule, modules, sizeof(modules));
            html_printf(b, "<a class=\"govuk-link\" href=\"/qualifications/%s\">%s</a> (%s): %s<br>", qual->code,
                        qual->title, qual->code, modules);
            any = true;
        }
        if (!any)
            html_printf(b, "Modules for this level are being developed.");
        html_printf(b, "</td></tr>");
    }
    html_printf(b,
                "</tbody></table>"
                "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"/qualifications\">See all qualifications</a> "
                "or <a class=\"govuk-link\" href=\"/frameworks\">the frameworks</a>.</p>");
    page_send(request, &page, 200);
}

void page_qualifications(struct request *request)
{
    const struct catalogue *c = page_catalogue(request);
    if (c == NULL)
        return;
    struct page page;
    page_begin(&page, "Qualifications", SECTION_QUALIFICATIONS);
    struct buf *b = &page.body;
    html_printf(b, "<h1 class=\"govuk-heading-xl\">Qualifications</h1>");
    for (size_t i = 0; i < c->qualification_count; i++) {
        const struct catalogue_qualification *q = &c->qualifications[i];
        char modules[128], placing[192];
        rules_describe_modules(&q->rule, modules, sizeof(modules));
        qualification_placing(c, q, placing, sizeof(placing));
        html_printf(b,
                    "<h2 class=\"govuk-heading-m\"><a class=\"govuk-link\" href=\"/qualifications/%s\">%s (%s)</a></h2>"
                    "<p class=\"govuk-body\">%s. %s.</p>",
                    q->code, q->title, q->code, placing, modules);
    }
    page_send(request, &page, 200);
}

static void module_list(struct buf *b, const struct catalogue *c, const char **codes, size_t count, const char *strand,
                        const char *label)
{
    size_t shown = 0;
    for (size_t i = 0; i < count; i++) {
        const struct catalogue_module *m = catalogue_module_find(c, codes[i], strlen(codes[i]));
        if (m == NULL || strcmp(m->strand, strand) != 0)
            continue;
        if (shown++ == 0)
            html_printf(b, "<h4 class=\"govuk-heading-s\">%s</h4><ul class=\"govuk-list govuk-list--bullet\">", label);
        html_printf(b, "<li><a class=\"govuk-link\" href=\"/modules/%s\">%s</a></li>", m->code, m->title);
    }
    if (shown > 0)
        html_printf(b, "</ul>");
}

void page_qualification(struct request *request)
{
    const struct catalogue *c = page_catalogue(request);
    if (c == NULL)
        return;
    struct str code = request->params[0];
    const struct catalogue_qualification *q = catalogue_qualification_find(c, code.ptr, code.len);
    if (q == NULL) {
        page_error(request, 404, "Page not found", "There is no qualification with that code.");
        return;
    }
    const struct catalogue_rule *rule = &q->rule;
    char modules[128], events[160];
    rules_describe_modules(rule, modules, sizeof(modules));
    rules_describe_events(rule, events, sizeof(events));

    struct page page;
    page_begin(&page, q->title, SECTION_QUALIFICATIONS);
    page_breadcrumbs(&page, request, "/qualifications", "Qualifications", NULL, NULL);
    struct buf *b = &page.body;
    char placing[192];
    qualification_placing(c, q, placing, sizeof(placing));
    html_printf(b, "<span class=\"govuk-caption-l\">%s</span><h1 class=\"govuk-heading-xl\">%s</h1>", placing,
                q->title);
    if (*q->summary)
        html_printf(b, "<p class=\"govuk-body-l\">%s</p>", q->summary);
    html_printf(b,
                "<h2 class=\"govuk-heading-l\">What it takes</h2><dl class=\"govuk-summary-list\">"
                "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">Modules</dt>"
                "<dd class=\"govuk-summary-list__value\" data-testid=\"rule\">%s</dd></div>",
                modules);
    html_printf(b,
                "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">Final assessment</dt>"
                "<dd class=\"govuk-summary-list__value\">%s</dd></div>",
                rule->final_assessment ? "Required" : "Not required");
    if (*events)
        html_printf(b,
                    "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">Events</dt>"
                    "<dd class=\"govuk-summary-list__value\">%s</dd></div>",
                    events);
    if (q->framework != NULL) {
        const struct catalogue_framework *f = catalogue_framework_find(c, q->framework, strlen(q->framework));
        html_printf(b,
                    "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">Framework</dt>"
                    "<dd class=\"govuk-summary-list__value\"><a class=\"govuk-link\" href=\"/frameworks/%s\">%s</a>"
                    "</dd></div>",
                    q->framework, f ? f->title : q->framework);
    }
    html_printf(b, "</dl><h2 class=\"govuk-heading-l\">Modules by strand</h2>");
    for (size_t i = 0; i < c->strand_count; i++) {
        const struct catalogue_strand *s = &c->strands[i];
        html_printf(b, "<section class=\"npq-strand\" data-strand=\"%s\"><h3 class=\"govuk-heading-m\">%s</h3>",
                    s->code, s->title);
        module_list(b, c, rule->essential, rule->essential_count, s->code, "Essential");
        module_list(b, c, rule->elective_from, rule->elective_from_count, s->code, "Elective");
        html_printf(b, "</section>");
    }
    html_printf(b,
                "<p class=\"govuk-body\">Choose %d elective %s. Each module is up to 50 hours of blended learning "
                "and can be studied alone and counted later.</p>",
                rule->elective_count, rule->elective_count == 1 ? "module" : "modules");
    page_send(request, &page, 200);
}

void page_module(struct request *request)
{
    const struct catalogue *c = page_catalogue(request);
    if (c == NULL)
        return;
    struct str code = request->params[0];
    const struct catalogue_module *m = catalogue_module_find(c, code.ptr, code.len);
    if (m == NULL) {
        page_error(request, 404, "Page not found", "There is no module with that code.");
        return;
    }
    const struct catalogue_strand *strand = catalogue_strand_find(c, m->strand);
    struct page page;
    page_begin(&page, m->title, SECTION_QUALIFICATIONS);
    page_breadcrumbs(&page, request, "/qualifications", "Qualifications", NULL, NULL);
    struct buf *b = &page.body;
    html_printf(b,
                "<span class=\"govuk-caption-l\">Module</span><h1 class=\"govuk-heading-xl\">%s</h1>"
                "<dl class=\"govuk-summary-list\">"
                "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">Strand</dt>"
                "<dd class=\"govuk-summary-list__value\">%s</dd></div>"
                "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">Level</dt>"
                "<dd class=\"govuk-summary-list__value\">Level %d: %s</dd></div>"
                "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">Learning</dt>"
                "<dd class=\"govuk-summary-list__value\">Up to %d hours of blended learning</dd></div></dl>"
                "<h2 class=\"govuk-heading-m\">Counts towards</h2><ul class=\"govuk-list govuk-list--bullet\">",
                m->title, strand ? strand->title : m->strand, m->level, level_title(c, m->level), m->hours_cap);
    for (size_t i = 0; i < c->qualification_count; i++) {
        const struct catalogue_qualification *q = &c->qualifications[i];
        enum catalogue_module_role role = catalogue_rule_module_role(&q->rule, m->code);
        if (role != MODULE_ROLE_NONE)
            html_printf(b, "<li><a class=\"govuk-link\" href=\"/qualifications/%s\">%s</a> (%s)</li>", q->code,
                        q->title, role == MODULE_ROLE_ESSENTIAL ? "essential" : "elective");
    }
    html_printf(b, "</ul><p class=\"govuk-body\">This module can be studied alone and counted later towards any of "
                   "these qualifications.</p>");
    page_send(request, &page, 200);
}

void page_frameworks(struct request *request)
{
    const struct catalogue *c = page_catalogue(request);
    if (c == NULL)
        return;
    struct page page;
    page_begin(&page, "Frameworks", SECTION_FRAMEWORKS);
    struct buf *b = &page.body;
    html_printf(b, "<h1 class=\"govuk-heading-xl\">Frameworks</h1><ul class=\"govuk-list\">");
    for (size_t i = 0; i < c->framework_count; i++)
        html_printf(b, "<li><a class=\"govuk-link\" href=\"/frameworks/%s\">%s</a> (%zu areas)</li>",
                    c->frameworks[i].code, c->frameworks[i].title, c->frameworks[i].area_count);
    html_printf(b, "</ul>");
    page_send(request, &page, 200);
}

static void statement_list(struct buf *b, const struct catalogue_statement *statements, size_t count, bool numbered)
{
    if (count == 0) {
        html_printf(b, "<p class=\"govuk-body\">None in the source text.</p>");
        return;
    }
    html_printf(b, "<ul class=\"govuk-list npq-statements\">");
    for (size_t i = 0; i < count; i++) {
        const struct catalogue_statement *s = &statements[i];
        html_printf(b, "<li>");
        if (numbered)
            html_printf(b, "<span class=\"npq-statement-number\">%d.</span> ", s->number);
        html_printf(b, "%s", s->text);
        if (s->incomplete)
            html_printf(b, " <strong class=\"govuk-tag govuk-tag--grey\">Incomplete in source</strong>");
        if (s->practice_count > 0) {
            html_printf(b, "<ul class=\"govuk-list govuk-list--bullet\">");
            for (size_t p = 0; p < s->practice_count; p++)
                html_printf(b, "<li>%s%R</li>", s->practices[p].text,
                            s->practices[p].incomplete
                                ? " <strong class=\"govuk-tag govuk-tag--grey\">Incomplete in source</strong>"
                                : "");
            html_printf(b, "</ul>");
        }
        html_printf(b, "</li>");
    }
    html_printf(b, "</ul>");
}

void page_framework(struct request *request)
{
    const struct catalogue *c = page_catalogue(request);
    if (c == NULL)
        return;
    struct str code = request->params[0];
    const struct catalogue_framework *f = catalogue_framework_find(c, code.ptr, code.len);
    if (f == NULL) {
        page_error(request, 404, "Page not found", "There is no framework with that code.");
        return;
    }
    struct page page;
    page_begin(&page, f->title, SECTION_FRAMEWORKS);
    page_breadcrumbs(&page, request, "/frameworks", "Frameworks", NULL, NULL);
    struct buf *b = &page.body;
    html_printf(b,
                "<h1 class=\"govuk-heading-xl\">%s</h1><h2 class=\"govuk-heading-m\">Areas</h2>"
                "<ol class=\"govuk-list govuk-list--number\">",
                f->title);
    for (size_t a = 0; a < f->area_count; a++)
        html_printf(b, "<li><a class=\"govuk-link\" href=\"#area-%d\">%s</a></li>", f->areas[a].number,
                    f->areas[a].title);
    html_printf(b, "</ol>");
    for (size_t a = 0; a < f->area_count; a++) {
        const struct catalogue_area *area = &f->areas[a];
        html_printf(b,
                    "<section class=\"npq-area\" id=\"area-%d\"><h2 class=\"govuk-heading-l\">%d. %s</h2>"
                    "<h3 class=\"govuk-heading-m\">Learn that…</h3>",
                    area->number, area->number, area->title);
        statement_list(b, area->learn_that, area->learn_that_count, true);
        html_printf(b, "<h3 class=\"govuk-heading-m\">Learn how to…</h3>");
        statement_list(b, area->learn_how_to, area->learn_how_to_count, false);
        html_printf(b, "</section>");
    }
    page_send(request, &page, 200);
}
