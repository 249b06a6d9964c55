/*
 * The page frame every HTML page shares: GOV.UK Design System template, header, navigation and
 * footer, and the hand-off of the finished page to reply_body.
 */
#ifndef NPQ_PAGES_LAYOUT_H
#define NPQ_PAGES_LAYOUT_H

#include "http/request.h"
#include "lib/buf.h"

#include <stdbool.h>

enum { PAGE_MAX_BYTES = 4 * 1024 * 1024 };

/* Which navigation item is current. */
enum page_section {
    SECTION_HOME,
    SECTION_QUALIFICATIONS,
    SECTION_FRAMEWORKS,
    SECTION_APPLICATIONS,
    SECTION_PEOPLE,
    SECTION_ORGANISATIONS,
    SECTION_AUDIT,
    SECTION_ACCOUNT,
    SECTION_DELIVERY,
    SECTION_COACHING,
    SECTION_ASSESSMENT,
    SECTION_EVENTS,
    SECTION_HOURS,
    SECTION_PATHWAY,
    SECTION_TRANSCRIPT,
    SECTION_LEARNING,
    SECTION_FORUMS,
    SECTION_PROGRESS,
    SECTION_SEARCH,
    SECTION_NONE
};

struct page {
    const char *title; /* the <title> and nothing else: headings are in the body */
    enum page_section section;
    const char *breadcrumbs; /* markup from page_breadcrumbs, or NULL */
    const char *notice;      /* markup from page_notice, or NULL */
    bool has_errors;         /* the page shows form errors: its title starts "Error: ", as GOV.UK asks */
    struct buf notice_buf;
    struct buf body; /* the main content, written with html_printf */
};

/* A page ready for content. */
void page_begin(struct page *page, const char *title, enum page_section section);

/* Adds a notification banner above the content ("success" or "important"). */
void page_notice(struct page *page, const char *kind, const char *message);

/* Wraps the body in the frame, sends it with status and frees the page. The header shows the
 * navigation the caller may use and, when signed in, their name and a sign-out button. */
void page_send(struct request *request, struct page *page, int status);

/* The page for a database that could not complete a request (503). */
void page_unavailable(struct request *request);

/* An error page with a heading and one paragraph. */
void page_error(struct request *request, int status, const char *heading, const char *message);

#endif
