/*
 * The learning pages (content.h says what each route is). No rule lives here: making, revising,
 * variants and marking as done go through app/content.h exactly as the JSON API does, and which
 * partner's variant a person sees is the use case's answer. What is here is reading forms,
 * choosing what to offer the caller and rendering with html_printf. Pages are built for a phone
 * held in one hand: the course is a GOV.UK task list, each item a full-width row, and media play
 * in the page at the screen's width.
 */
#include "pages/content.h"

#include "app/content.h"
#include "http/reply.h"
#include "http/site.h"
#include "lib/date.h"
#include "lib/file_type.h"
#include "lib/form.h"
#include "lib/multipart.h"
#include "lib/text.h"
#include "pages/forms.h"
#include "pages/html.h"
#include "pages/layout.h"
#include "pages/widgets.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

enum { TAGS_TYPED_MAX = CONTENT_TAGS_MAX + 1 };

static const char *id_text(struct request *request, int64_t id)
{
    return request_printf(request, "%" PRId64, id);
}

static void begin(struct page *page, const char *title, const struct errors *errors)
{
    page_begin(page, title, SECTION_LEARNING);
    page->has_errors = errors != NULL && errors->count > 0;
}

static const char *notice_of(struct request *request, const char *const names[][2], size_t count)
{
    const char *name = form_get(request_query(request), "notice");
    for (size_t i = 0; name != NULL && i < count; i++)
        if (strcmp(name, names[i][0]) == 0)
            return names[i][1];
    return NULL;
}

static const char *minutes_text(struct request *request, int minutes)
{
    if (minutes < 60)
        return request_printf(request, "%d minute%s", minutes, minutes == 1 ? "" : "s");
    if (minutes % 60 == 0)
        return request_printf(request, "%d hour%s", minutes / 60, minutes == 60 ? "" : "s");
    return request_printf(request, "%d hour%s %d minutes", minutes / 60, minutes < 120 ? "" : "s", minutes % 60);
}

/* ---- The item, as anyone sees it ---- */

/* The player for video and audio, captions and transcript, or a link to what a reading points at. */
static void media(struct buf *b, const struct content_item *item)
{
    const struct content_version *v = &item->current;
    if (*v->media_url && content_kind_plays(item->kind)) {
        const char *tag = item->kind == CONTENT_VIDEO ? "video" : "audio";
        html_printf(b, "<div class=\"npq-media\"><%R controls preload=\"metadata\" src=\"%s\"%R data-testid=\"media\">",
                    tag, v->media_url, *v->captions_url ? " crossorigin=\"anonymous\"" : "");
        if (*v->captions_url)
            html_printf(b, "<track kind=\"captions\" src=\"%s\" srclang=\"en\" label=\"English\" default>",
                        v->captions_url);
        html_printf(b,
                    "<p class=\"govuk-body\">Your browser cannot play this here. <a class=\"govuk-link\" "
                    "href=\"%s\">Open the %R</a>.</p></%R></div>",
                    v->media_url, tag, tag);
    } else if (*v->media_url)
        html_printf(b,
                    "<p class=\"govuk-body\"><a class=\"govuk-link govuk-!-text-break-word\" href=\"%s\" "
                    "rel=\"noopener\">Open the linked resource</a></p>",
                    v->media_url);
    if (*v->transcript)
        html_printf(b,
                    "<details class=\"govuk-details\"><summary class=\"govuk-details__summary\"><span "
                    "class=\"govuk-details__summary-text\">Transcript</span></summary><div "
                    "class=\"govuk-details__text npq-transcript\">%s</div></details>",
                    v->transcript);
}

/* The tags in the framework's words. */
static void tags_list(struct buf *b, const struct catalogue *c, const struct content_item *item)
{
    if (item->tag_count == 0)
        return;
    html_printf(b, "<h2 class=\"govuk-heading-m\">What this covers</h2><ul class=\"govuk-list govuk-list--bullet\">");
    for (size_t i = 0; i < item->tag_count; i++) {
        struct content_tag tag;
        struct errors none = ERRORS_INIT;
        char prefix[64] = "";
        const char *text = content_tag_parse(c, item->tags[i], &tag, &none, "tags")
                               ? content_tag_describe(c, &tag, prefix, sizeof(prefix))
                               : NULL;
        errors_free(&none);
        html_printf(b, "<li data-testid=\"tag\"><span class=\"govuk-!-font-weight-bold\">%s</span>%s</li>", prefix,
                    text ? text : item->tags[i]);
    }
    html_printf(b, "</ul>");
}

static const char *file_href(struct request *request, const struct stored_file *f)
{
    return request_printf(request, "/api/v1/content/%" PRId64 "/files/%" PRId64, f->record_id, f->id);
}

/* The item's files: video and audio play in the page (the browser fetches them by byte range),
 * images show, everything else is a download with its size. */
static void attachments(struct request *request, struct buf *b, const struct content_view *view)
{
    if (view->file_count == 0)
        return;
    html_printf(b, "<h2 class=\"govuk-heading-m\" id=\"files\">Files</h2><ul class=\"govuk-list\">");
    for (size_t i = 0; i < view->file_count; i++) {
        const struct stored_file *f = &view->files[i];
        const struct file_type *type = file_type_of_media_type(f->media_type);
        const char *href = file_href(request, f);
        html_printf(b, "<li data-testid=\"attachment\">");
        if (type != NULL && (type->kind == FILE_VIDEO || type->kind == FILE_AUDIO)) {
            const char *tag = type->kind == FILE_VIDEO ? "video" : "audio";
            html_printf(b,
                        "<div class=\"npq-media\"><%R controls preload=\"metadata\" src=\"%s\" "
                        "data-testid=\"attached-media\" aria-label=\"%s\"><p class=\"govuk-body\">Your browser cannot "
                        "play this here.</p></%R></div>",
                        tag, href, f->name, tag);
        } else if (type != NULL && type->kind == FILE_IMAGE) {
            html_printf(b, "<img class=\"npq-attached-image\" src=\"%s\" alt=\"%s\">", href, f->name);
        }
        html_printf(b,
                    "<a class=\"govuk-link govuk-!-text-break-word\" href=\"%s\" download>%s</a> <span "
                    "class=\"govuk-hint govuk-!-font-size-16\">%s, %s</span></li>",
                    href, f->name, type ? type->title : "File", page_bytes_text(request, f->size));
    }
    html_printf(b, "</ul>");
}

/* The item's heading, media and text: the variant's title and text where there is one. */
static void item_body(struct request *request, struct buf *b, const struct catalogue *c,
                      const struct content_view *view, const char *caption)
{
    const struct content_item *item = &view->item;
    const char *title = view->has_variant ? view->variant.title : item->current.title;
    html_printf(
        b, "<span class=\"govuk-caption-l\">%s</span><h1 class=\"govuk-heading-l govuk-!-text-break-word\">%s</h1>",
        caption, title);
    html_printf(b, "<p class=\"govuk-body\">%R %s</p>", page_tag(request, "blue", content_kind_title(item->kind)),
                minutes_text(request, item->current.minutes));
    if (view->has_variant)
        html_printf(b, "<div class=\"govuk-inset-text\" data-testid=\"local-variant\">The local version for %s.</div>",
                    view->variant.partner_name);
    media(b, item);
    page_markdown(b, view->has_variant ? view->variant.body : item->current.body, false);
    attachments(request, b, view);
    tags_list(b, c, item);
}

/* What changed, newest first. */
static void changes(struct request *request, struct buf *b, const struct content_view *view)
{
    if (view->version_count < 2 && !(view->has_variant && view->variant.version > 1))
        return;
    html_printf(b, "<h2 class=\"govuk-heading-m\">Changes</h2><ul class=\"govuk-list\">");
    if (view->has_variant && *view->variant.change_note)
        html_printf(b, "<li data-testid=\"change\">%s (local version %d): %s</li>",
                    page_time(request, view->variant.updated_at, DATE_DAY), view->variant.version,
                    view->variant.change_note);
    for (size_t i = 0; i + 1 < view->version_count; i++)
        html_printf(b, "<li data-testid=\"change\">%s (version %d): %s</li>",
                    page_time(request, view->versions[i].created_at, DATE_DAY), view->versions[i].version,
                    view->versions[i].change_note);
    html_printf(b, "</ul>");
}

/* ---- The library ---- */

void page_content_library(struct request *request)
{
    const struct catalogue *c = page_catalogue(request);
    if (c == NULL)
        return;
    const struct form *query = request_query(request);
    const char *q = form_get(query, "q"), *tag = form_get(query, "tag");
    struct arena *arena = request_arena(request);
    struct content_item *items;
    size_t count;
    enum store_status s = store_content_list(request->store, tag, q, &(struct store_page){.limit = STORE_PAGE_MAX},
                                             arena, &items, &count);
    struct enrolment *enrolments = NULL;
    size_t enrolment_count = 0;
    if (s == STORE_OK && caller_has(request->caller, ROLE_PARTICIPANT))
        s = store_enrolment_list_for(request->store, request->caller->user_id, arena, &enrolments, &enrolment_count);
    if (s != STORE_OK) {
        page_store_failed(request, s);
        return;
    }
    struct page page;
    begin(&page, "Learning", NULL);
    static const char *const notices[][2] = {{"unit_added", "Unit added to the course"}};
    const char *notice = notice_of(request, notices, 1);
    if (notice != NULL)
        page_notice(&page, "success", notice);
    struct buf *b = &page.body;
    html_printf(b, "<h1 class=\"govuk-heading-l\">Learning</h1>");
    if (enrolment_count > 0) {
        html_printf(b, "<h2 class=\"govuk-heading-m\">Your courses</h2><ul class=\"govuk-list\">");
        for (size_t i = 0; i < enrolment_count; i++)
            html_printf(
                b, "<li><a class=\"govuk-link\" href=\"/enrolments/%s/course\" data-testid=\"course-link\">%s</a></li>",
                id_text(request, enrolments[i].id), study_title(c, enrolments[i].kind, enrolments[i].target));
        html_printf(b, "</ul>");
    }
    html_printf(b, "<h2 class=\"govuk-heading-m\">Content library</h2>");
    if (caller_has(request->caller, ROLE_ADMIN))
        html_printf(b, "<div class=\"govuk-button-group\"><a class=\"govuk-button\" href=\"/content/new\" "
                       "data-module=\"govuk-button\">Add an item</a><a class=\"govuk-button govuk-button--secondary\" "
                       "href=\"/content/units/new\" data-module=\"govuk-button\">Add a unit to a course</a></div>");
    html_printf(b,
                "<form method=\"get\" action=\"/content\" class=\"govuk-!-margin-bottom-6\"><div "
                "class=\"govuk-form-group\"><label class=\"govuk-label\" for=\"q\">Search titles</label><input "
                "class=\"govuk-input\" id=\"q\" name=\"q\" type=\"search\" value=\"%s\"></div>",
                q ? q : "");
    if (tag != NULL)
        html_printf(b, "<input type=\"hidden\" name=\"tag\" value=\"%s\">", tag);
    html_printf(
        b,
        "<button class=\"govuk-button govuk-button--secondary\" data-module=\"govuk-button\">Search</button></form>");
    if (count == 0)
        html_printf(b, "<p class=\"govuk-body\">No items%s.</p>", q || tag ? " match" : " yet");
    else {
        html_printf(b, "<ul class=\"govuk-list\">");
        for (size_t i = 0; i < count; i++)
            html_printf(b,
                        "<li class=\"govuk-!-margin-bottom-4\" data-testid=\"item\"><a class=\"govuk-link "
                        "govuk-!-font-weight-bold govuk-!-text-break-word\" href=\"/content/%s\">%s</a><br><span "
                        "class=\"govuk-hint govuk-!-font-size-16\">%s, %s</span></li>",
                        id_text(request, items[i].id), items[i].current.title, content_kind_title(items[i].kind),
                        minutes_text(request, items[i].current.minutes));
        html_printf(b, "</ul>");
    }
    page_send(request, &page, 200);
}

/* ---- Writing an item ---- */

/* What was typed, kept for the form when it is shown again. */
struct item_form {
    const char *kind, *title, *minutes, *body, *media_url, *captions_url, *transcript, *tags, *change_note;
};

static struct item_form item_form_read(struct request *request)
{
    return (struct item_form){
        forms_text(request, "kind"),       forms_text(request, "title"),     forms_text(request, "minutes"),
        forms_text(request, "body"),       forms_text(request, "media_url"), forms_text(request, "captions_url"),
        forms_text(request, "transcript"), forms_text(request, "tags"),      forms_text(request, "change_note")};
}

/* The form's words as a change: tags one a line; minutes that are not a number become -1, which
 * the rule refuses. */
static void change_of(struct request *request, const struct item_form *f, struct content_change *change)
{
    memset(change, 0, sizeof(*change));
    enum content_kind kind;
    change->kind = content_kind_parse(f->kind, &kind) ? (int)kind : CONTENT_KIND_COUNT;
    change->title = f->title;
    change->body = f->body;
    change->media_url = f->media_url;
    change->captions_url = f->captions_url;
    change->transcript = f->transcript;
    change->change_note = f->change_note;
    int minutes = 0;
    const char *p = f->minutes;
    for (; *p >= '0' && *p <= '9' && minutes < 100000; p++)
        minutes = minutes * 10 + (*p - '0');
    change->minutes = *f->minutes && *p == '\0' && minutes > 0 ? minutes : -1;
    const char **tags = request_alloc(request, sizeof(*tags) * TAGS_TYPED_MAX);
    size_t n = 0;
    const char *line = f->tags;
    while (*line && n < TAGS_TYPED_MAX) {
        size_t len = strcspn(line, "\r\n");
        const char *start = line;
        size_t l = len;
        while (l > 0 && (*start == ' ' || *start == '\t'))
            start++, l--;
        while (l > 0 && (start[l - 1] == ' ' || start[l - 1] == '\t'))
            l--;
        if (l > 0)
            tags[n++] = request_printf(request, "%.*s", (int)l, start);
        line += len;
        line += strspn(line, "\r\n");
    }
    change->tags = tags;
    change->tag_count = n;
    change->has_tags = true;
}

/* The edit page's files: each with a remove button, and the form that attaches one (a file's own
 * upload, apart from the version's form, so neither loses the other's typing). */
static void files_section(struct request *request, struct buf *b, int64_t id, const struct errors *errors)
{
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct stored_file *files = NULL;
    size_t count = 0;
    if (content_files(&env, id, request_arena(request), &files, &count) != APP_OK)
        count = 0;
    html_printf(b, "<h2 class=\"govuk-heading-m govuk-!-margin-top-8\" id=\"files\">Files</h2>");
    if (count == 0)
        html_printf(b, "<p class=\"govuk-body\">No files attached.</p>");
    else
        html_printf(b, "<ul class=\"govuk-list\">");
    for (size_t i = 0; i < count; i++) {
        html_printf(b,
                    "<li data-testid=\"attachment\"><a class=\"govuk-link govuk-!-text-break-word\" href=\"%s\" "
                    "download>%s</a> <span class=\"govuk-hint govuk-!-font-size-16\">%s</span>",
                    file_href(request, &files[i]), files[i].name, page_bytes_text(request, files[i].size));
        page_post_button(b, request,
                         request_printf(request, "/content/%" PRId64 "/files/%" PRId64 "/remove", id, files[i].id),
                         "Remove", files[i].name, "warning");
        html_printf(b, "</li>");
    }
    if (count > 0)
        html_printf(b, "</ul>");
    const char *error = forms_field_error(errors, "file");
    char limit_words[32];
    text_bytes(request->settings->content_file_limit, limit_words);
    html_printf(b, "<form method=\"post\" action=\"%s\" enctype=\"multipart/form-data\" novalidate>",
                request_printf(request, "/content/%" PRId64 "/files", id));
    forms_csrf(b, request);
    html_printf(b,
                "<div class=\"govuk-form-group%R\"><label class=\"govuk-label\" for=\"file\">Attach a file</label>"
                "<div id=\"file-hint\" class=\"govuk-hint\">Up to %s: %s. Video and audio play in the page."
                "</div>",
                error ? " govuk-form-group--error" : "", limit_words, file_type_known_list());
    if (error != NULL)
        html_printf(b,
                    "<p id=\"file-error\" class=\"govuk-error-message\"><span class=\"govuk-visually-hidden\">Error:"
                    "</span> %s</p>",
                    error);
    html_printf(b,
                "<input class=\"govuk-file-upload%R\" id=\"file\" name=\"file\" type=\"file\" aria-describedby="
                "\"file-hint%R\" accept=\"%s\"></div>",
                error ? " govuk-file-upload--error" : "", error ? " file-error" : "", file_type_accept_list());
    forms_button(b, "Upload file", "secondary");
    forms_end(b);
}

static void item_form_show(struct request *request, const char *heading, const char *action, const struct item_form *f,
                           int64_t id, bool revising, const struct errors *errors, int status)
{
    struct page page;
    begin(&page, heading, errors);
    static const char *const notices[][2] = {{"file_added", "File attached"}, {"file_removed", "File removed"}};
    const char *notice = id > 0 && errors == NULL ? notice_of(request, notices, 2) : NULL;
    if (notice != NULL)
        page_notice(&page, "success", notice);
    page_breadcrumbs(&page, request, "/content", "Learning", NULL, NULL);
    struct buf *b = &page.body;
    forms_error_summary(b, errors);
    html_printf(b,
                "<h1 class=\"govuk-heading-l\">%s</h1><div class=\"govuk-grid-row\"><div "
                "class=\"govuk-grid-column-two-thirds\">",
                heading);
    forms_begin(b, request, action);
    struct form_option kinds[CONTENT_KIND_COUNT + 1] = {{"", "Choose a kind"}};
    for (int k = 0; k < CONTENT_KIND_COUNT; k++)
        kinds[k + 1] =
            (struct form_option){content_kind_name((enum content_kind)k), content_kind_title((enum content_kind)k)};
    forms_select(b, "kind", "Kind", kinds, CONTENT_KIND_COUNT + 1, f->kind, NULL, errors);
    forms_input(b, "title", "Title", "text", f->title, NULL, "off", errors);
    forms_input(b, "minutes", "Estimated time in minutes", "text", f->minutes, "From 1 to 600", "off", errors);
    forms_textarea(b, "body", "Text", f->body, "You can use Markdown", 12, errors);
    forms_input(b, "media_url", "Video, audio or resource link (optional for readings)", "url", f->media_url,
                "Starting with https://", "off", errors);
    forms_input(b, "captions_url", "Captions link (WebVTT, optional)", "url", f->captions_url,
                "For video and audio, starting with https://", "off", errors);
    forms_textarea(b, "transcript", "Transcript (optional)", f->transcript, NULL, 5, errors);
    forms_textarea(b, "tags", "Tags (one a line)", f->tags,
                   "module:leading-teaching, area:npqsl/3 or statement:npqsl/3/learn-that/2", 4, errors);
    if (revising)
        forms_textarea(b, "change_note", "What changed", f->change_note,
                       "People who studied this item see this note beside it", 3, errors);
    forms_button(b, revising ? "Save the new version" : "Add the item", NULL);
    forms_end(b);
    if (id > 0)
        files_section(request, b, id, errors);
    html_printf(b, "</div></div>");
    page_send(request, &page, status);
}

static bool admin_only(struct request *request)
{
    if (caller_has(request->caller, ROLE_ADMIN))
        return true;
    struct errors errors = ERRORS_INIT;
    errors_add(&errors, "id", "Only the provider's administrators write the content library");
    page_refusal(request, APP_FORBIDDEN, &errors);
    errors_free(&errors);
    return false;
}

void page_content_new(struct request *request)
{
    if (!admin_only(request))
        return;
    struct item_form f = {"reading", "", "", "", "", "", "", "", ""};
    item_form_show(request, "Add an item", "/content/new", &f, 0, false, NULL, 200);
}

void page_content_create(struct request *request)
{
    const struct catalogue *c = page_catalogue(request);
    if (c == NULL)
        return;
    struct item_form f = item_form_read(request);
    struct content_change change;
    change_of(request, &f, &change);
    struct errors errors = ERRORS_INIT;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct content_item item;
    enum app_result r = content_create(&env, c, request->caller, &change, request_arena(request), &item, &errors);
    if (r == APP_OK)
        reply_redirect(request, request_printf(request, "/content/%" PRId64 "?notice=added", item.id));
    else if (r == APP_INVALID)
        item_form_show(request, "Add an item", "/content/new", &f, 0, false, &errors, 422);
    else
        page_refusal(request, r, &errors);
    errors_free(&errors);
}

/* ---- A unit of a module's course ---- */

/* The form for a unit: which module's course, its title, and its items from the library in the
 * order ticked (the library's order). */
static void unit_form_show(struct request *request, const char *module, const char *title, const char *const *items,
                           size_t item_count, const struct errors *errors, int status)
{
    const struct catalogue *c = page_catalogue(request);
    if (c == NULL)
        return;
    struct content_item *library;
    size_t count;
    enum store_status s = store_content_list(request->store, NULL, NULL, &(struct store_page){.limit = STORE_PAGE_MAX},
                                             request_arena(request), &library, &count);
    if (s != STORE_OK) {
        page_store_failed(request, s);
        return;
    }
    struct page page;
    begin(&page, "Add a unit to a course", errors);
    page_breadcrumbs(&page, request, "/content", "Learning", NULL, NULL);
    struct buf *b = &page.body;
    forms_error_summary(b, errors);
    html_printf(b, "<h1 class=\"govuk-heading-l\">Add a unit to a course</h1><div class=\"govuk-grid-row\"><div "
                   "class=\"govuk-grid-column-two-thirds\"><p class=\"govuk-body\">A unit goes at the end of the "
                   "module's course, for everyone who studies the module.</p>");
    forms_begin(b, request, "/content/units/new");
    struct form_option *modules = request_alloc(request, sizeof(*modules) * (c->module_count + 1));
    modules[0] = (struct form_option){"", "Choose a module"};
    for (size_t i = 0; i < c->module_count; i++)
        modules[i + 1] = (struct form_option){c->modules[i].code, c->modules[i].title};
    forms_select(b, "module", "Module", modules, c->module_count + 1, module, NULL, errors);
    forms_input(b, "title", "Title of the unit", "text", title, NULL, "off", errors);
    struct form_option *options = request_alloc(request, sizeof(*options) * (count + 1));
    for (size_t i = 0; i < count; i++)
        options[i] = (struct form_option){id_text(request, library[i].id),
                                          request_printf(request, "%s (%s, %s)", library[i].current.title,
                                                         content_kind_title(library[i].kind),
                                                         minutes_text(request, library[i].current.minutes))};
    if (count == 0)
        html_printf(b, "<p class=\"govuk-body\">The library has no items yet. <a class=\"govuk-link\" "
                       "href=\"/content/new\">Add an item</a> first.</p>");
    else
        forms_checkboxes(b, request, "items", "Items", "In the order they are listed", options, count, items,
                         item_count, errors);
    forms_button(b, "Add the unit", NULL);
    forms_end(b);
    html_printf(b, "</div></div>");
    page_send(request, &page, status);
}

void page_content_unit_new(struct request *request)
{
    if (admin_only(request))
        unit_form_show(request, "", "", NULL, 0, NULL, 200);
}

void page_content_unit_create(struct request *request)
{
    const struct catalogue *c = page_catalogue(request);
    if (c == NULL)
        return;
    const char *module = forms_text(request, "module"), *title = forms_text(request, "title");
    const char *ticked[CONTENT_UNIT_ITEMS_MAX + 1];
    size_t ticked_count = form_get_all(request->form, "items", ticked, CONTENT_UNIT_ITEMS_MAX + 1);
    struct errors errors = ERRORS_INIT;
    int64_t *ids = request_alloc(request, sizeof(*ids) * (ticked_count + 1));
    for (size_t i = 0; i < ticked_count; i++) {
        char *end;
        long long id = strtoll(ticked[i], &end, 10);
        if (*end != '\0' || id <= 0) {
            errors_add(&errors, "items", "Choose items from the library");
            break;
        }
        ids[i] = id;
    }
    int64_t unit = 0;
    enum app_result r = APP_INVALID;
    if (errors.count == 0) {
        struct actor actor;
        struct accounts_env env = request_accounts_env(request, &actor);
        r = content_unit_add(&env, c, request->caller, module, title, ids, ticked_count, &unit, &errors);
    }
    if (r == APP_OK)
        reply_redirect(request, "/content?notice=unit_added");
    else if (r == APP_INVALID)
        unit_form_show(request, module ? module : "", title ? title : "", ticked, ticked_count, &errors, 422);
    else
        page_refusal(request, r, &errors);
    errors_free(&errors);
}

void page_content_item(struct request *request)
{
    const struct catalogue *c = page_catalogue(request);
    if (c == NULL)
        return;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct content_view view;
    int64_t id = request_param_id(request, 0);
    enum app_result r = content_read(&env, request->caller, id, -1, request_arena(request), &view);
    if (r != APP_OK) {
        page_refusal(request, r, NULL);
        return;
    }
    struct page page;
    begin(&page, view.has_variant ? view.variant.title : view.item.current.title, NULL);
    page_breadcrumbs(&page, request, "/content", "Learning", NULL, NULL);
    static const char *const notices[][2] = {
        {"added", "Item added"}, {"revised", "New version saved"}, {"variant", "Local variant saved"}};
    const char *notice = notice_of(request, notices, 3);
    if (notice != NULL)
        page_notice(&page, "success", notice);
    struct buf *b = &page.body;
    item_body(request, b, c, &view, "Content library");
    changes(request, b, &view);
    const char *self = request_printf(request, "/content/%" PRId64, id);
    if (caller_has(request->caller, ROLE_ADMIN))
        html_printf(b,
                    "<a class=\"govuk-button govuk-button--secondary\" href=\"%s/edit\" "
                    "data-module=\"govuk-button\">Make a new version</a>",
                    self);
    /* The variants the caller manages, and the way to write their partner's. */
    if (view.variant_count > 0) {
        html_printf(b, "<h2 class=\"govuk-heading-m\">Local variants</h2><ul class=\"govuk-list\">");
        for (size_t i = 0; i < view.variant_count; i++)
            html_printf(b, "<li><a class=\"govuk-link\" href=\"%s/variants/%s\">%s</a>: %s (version %d)</li>", self,
                        id_text(request, view.variants[i].partner_id), view.variants[i].partner_name,
                        view.variants[i].title, view.variants[i].version);
        html_printf(b, "</ul>");
    }
    for (size_t i = 0; i < request->caller->grant_count; i++) {
        const struct role_grant *g = &request->caller->grants[i];
        if (g->role != ROLE_PARTNER_LEAD || g->organisation_id <= 0)
            continue;
        bool has = false;
        for (size_t k = 0; k < view.variant_count; k++)
            has = has || view.variants[k].partner_id == g->organisation_id;
        if (!has)
            html_printf(b,
                        "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"%s/variants/%s\">Write a local "
                        "variant for %s</a></p>",
                        self, id_text(request, g->organisation_id), g->organisation_name ? g->organisation_name : "");
    }
    page_send(request, &page, 200);
}

static void revise_show(struct request *request, int64_t id, const struct item_form *f, const struct errors *errors,
                        int status)
{
    item_form_show(request, "Make a new version", request_printf(request, "/content/%" PRId64 "/edit", id), f, id, true,
                   errors, status);
}

/* The edit page with the item as stored, and errors (a refused upload) at status. */
static void edit_page(struct request *request, const struct errors *errors, int status)
{
    struct arena *arena = request_arena(request);
    struct content_item item;
    int64_t id = request_param_id(request, 0);
    enum store_status s = store_content_get(request->store, id, arena, &item);
    if (s != STORE_OK) {
        page_store_failed(request, s);
        return;
    }
    struct buf tags;
    buf_init(&tags, 64 * 1024);
    for (size_t i = 0; i < item.tag_count; i++) {
        buf_append_str(&tags, item.tags[i]);
        buf_append_str(&tags, "\n");
    }
    const char *tag_text = request_printf(request, "%.*s", (int)tags.len, tags.data ? tags.data : "");
    buf_free(&tags);
    const struct content_version *v = &item.current;
    struct item_form f = {content_kind_name(item.kind),
                          v->title,
                          request_printf(request, "%d", v->minutes),
                          v->body,
                          v->media_url,
                          v->captions_url,
                          v->transcript,
                          tag_text,
                          ""};
    revise_show(request, id, &f, errors, status);
}

void page_content_edit(struct request *request)
{
    if (admin_only(request))
        edit_page(request, NULL, 200);
}

void page_content_file_add(struct request *request)
{
    if (!admin_only(request))
        return;
    int64_t id = request_param_id(request, 0);
    const struct multipart_file *upload = NULL;
    for (size_t i = 0; i < request->file_count; i++)
        if (strcmp(request->files[i].field, "file") == 0 && *request->files[i].filename)
            upload = &request->files[i];
    struct errors errors = ERRORS_INIT;
    enum app_result r;
    if (upload == NULL) {
        errors_add(&errors, "file", "Choose a file to attach");
        r = APP_INVALID;
    } else {
        struct actor actor;
        struct accounts_env env = request_accounts_env(request, &actor);
        struct stored_file f;
        r = content_file_attach(&env, request->caller, id, page_upload_name(request, upload->filename), upload->data,
                                upload->len, request->settings->content_file_limit, request_arena(request), &f,
                                &errors);
    }
    if (r == APP_OK)
        reply_redirect(request, request_printf(request, "/content/%" PRId64 "/edit?notice=file_added#files", id));
    else if (r == APP_INVALID || r == APP_TOO_LARGE)
        edit_page(request, &errors, page_status(r));
    else
        page_refusal(request, r, &errors);
    errors_free(&errors);
}

void page_content_file_remove(struct request *request)
{
    if (!admin_only(request))
        return;
    int64_t id = request_param_id(request, 0), file_id = request_param_id(request, 1);
    struct errors errors = ERRORS_INIT;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    enum app_result r = file_id > 0 ? content_file_remove(&env, request->caller, id, file_id, &errors) : APP_NOT_FOUND;
    if (r == APP_OK)
        reply_redirect(request, request_printf(request, "/content/%" PRId64 "/edit?notice=file_removed#files", id));
    else
        page_refusal(request, r, &errors);
    errors_free(&errors);
}

void page_content_revise(struct request *request)
{
    const struct catalogue *c = page_catalogue(request);
    if (c == NULL)
        return;
    int64_t id = request_param_id(request, 0);
    struct item_form f = item_form_read(request);
    struct content_change change;
    change_of(request, &f, &change);
    struct errors errors = ERRORS_INIT;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct content_item item;
    enum app_result r = content_revise(&env, c, request->caller, id, &change, request_arena(request), &item, &errors);
    if (r == APP_OK)
        reply_redirect(request, request_printf(request, "/content/%" PRId64 "?notice=revised", id));
    else if (r == APP_INVALID)
        revise_show(request, id, &f, &errors, 422);
    else
        page_refusal(request, r, &errors);
    errors_free(&errors);
}

/* ---- A partner's local variant ---- */

/* The variant's form; title and body NULL show the variant as stored (or an empty form). */
static void variant_show(struct request *request, int64_t id, int64_t partner, const char *title, const char *body,
                         const char *note, const struct errors *errors, int status)
{
    struct content_item item;
    struct content_variant v;
    enum store_status s = store_content_get(request->store, id, request_arena(request), &item);
    enum store_status vs =
        s == STORE_OK ? store_content_variant_get(request->store, id, partner, request_arena(request), &v) : s;
    bool exists = vs == STORE_OK;
    if (vs == STORE_NOT_FOUND && s == STORE_OK)
        vs = STORE_OK;
    if (title == NULL) {
        title = exists ? v.title : "";
        body = exists ? v.body : "";
    }
    if (s != STORE_OK || vs != STORE_OK) {
        s = s != STORE_OK ? s : vs;
        page_store_failed(request, s);
        return;
    }
    struct page page;
    begin(&page, "Local variant", errors);
    page_breadcrumbs(&page, request, "/content", "Learning", request_printf(request, "/content/%" PRId64, id),
                     item.current.title);
    struct buf *b = &page.body;
    forms_error_summary(b, errors);
    html_printf(b,
                "<span class=\"govuk-caption-l govuk-!-text-break-word\">%s</span><h1 class=\"govuk-heading-l\">"
                "Local variant</h1><p class=\"govuk-body\">Your participants see this title and text in place of the "
                "item's: add local contacts, local data and local case studies.</p><div class=\"govuk-grid-row\">"
                "<div class=\"govuk-grid-column-two-thirds\">",
                item.current.title);
    forms_begin(b, request, request_printf(request, "/content/%" PRId64 "/variants/%" PRId64, id, partner));
    forms_input(b, "title", "Title", "text", title, NULL, "off", errors);
    forms_textarea(b, "body", "Local text", body, "You can use Markdown", 12, errors);
    if (exists)
        forms_textarea(b, "change_note", "What changed", note, NULL, 3, errors);
    forms_button(b, "Save the local variant", NULL);
    forms_end(b);
    html_printf(b, "</div></div>");
    page_send(request, &page, status);
}

void page_content_variant(struct request *request)
{
    int64_t id = request_param_id(request, 0), partner = request_param_id(request, 1);
    if (!content_may_write_variant(request->caller, partner)) {
        struct errors errors = ERRORS_INIT;
        errors_add(&errors, "partner", "Only the partner's lead, or an administrator, writes its local variants");
        page_refusal(request, APP_FORBIDDEN, &errors);
        errors_free(&errors);
        return;
    }
    variant_show(request, id, partner, NULL, NULL, "", NULL, 200);
}

void page_content_variant_save(struct request *request)
{
    int64_t id = request_param_id(request, 0), partner = request_param_id(request, 1);
    const char *title = forms_text(request, "title"), *body = forms_text(request, "body");
    const char *note = forms_text(request, "change_note");
    struct errors errors = ERRORS_INIT;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct content_variant v;
    enum app_result r = content_variant_save(&env, request->caller, id, partner, title, body, note,
                                             request_arena(request), &v, &errors);
    if (r == APP_OK)
        reply_redirect(request, request_printf(request, "/content/%" PRId64 "?notice=variant", id));
    else if (r == APP_INVALID)
        variant_show(request, id, partner, title, body, note, &errors, 422);
    else
        page_refusal(request, r, &errors);
    errors_free(&errors);
}

/* ---- The course ---- */

static const char *course_url(struct request *request, int64_t enrolment_id)
{
    return request_printf(request, "/enrolments/%" PRId64 "/course", enrolment_id);
}

static const char *status_tag(struct request *request, const struct course_entry *e)
{
    if (e->outdated)
        return page_tag(request, "yellow", "Updated");
    if (e->done)
        return page_tag(request, "green", "Done");
    return page_tag(request, "grey", "To do");
}

void page_course(struct request *request)
{
    const struct catalogue *c = page_catalogue(request);
    if (c == NULL)
        return;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct course course;
    int64_t id = request_param_id(request, 0);
    enum app_result r = course_read(&env, c, id, request_arena(request), &course);
    if (r != APP_OK) {
        page_refusal(request, r, NULL);
        return;
    }
    const struct enrolment *en = &course.enrolment;
    bool own = request->caller->user_id == en->participant_id;
    struct page page;
    begin(&page, own ? "Your course" : request_printf(request, "Course: %s", en->participant_name), NULL);
    page_breadcrumbs(&page, request, "/content", "Learning", NULL, NULL);
    struct buf *b = &page.body;
    html_printf(b, "<span class=\"govuk-caption-l\">%s, %s</span><h1 class=\"govuk-heading-l\">%s</h1>",
                en->participant_name, study_title(c, en->kind, en->target), own ? "Your course" : "Course");
    html_printf(b, "<p class=\"govuk-body\" data-testid=\"progress\">%zu of %zu items done.</p>", course.items_done,
                course.items);
    const char *self = course_url(request, id);
    if (course.next != NULL)
        html_printf(b,
                    "<div class=\"govuk-inset-text\" data-testid=\"next\"><span class=\"govuk-!-font-weight-bold\">"
                    "Next:</span> <a class=\"govuk-link\" href=\"%s/%s\">%s</a> (%s, %s)</div>",
                    self, id_text(request, course.next->item.item_id), course.next->item.title,
                    content_kind_title(course.next->item.kind), minutes_text(request, course.next->item.minutes));
    else if (course.items > 0)
        html_printf(b, "<div class=\"govuk-inset-text\" data-testid=\"next\">You have done every item.</div>");
    bool any = false;
    for (size_t m = 0; m < course.module_count; m++) {
        const struct course_module *cm = &course.modules[m];
        if (cm->unit_count == 0)
            continue;
        any = true;
        char hours[32];
        delivery_hours_format((double)cm->logged_quarter_hours / 4, hours, sizeof(hours));
        html_printf(b,
                    "<h2 class=\"govuk-heading-m govuk-!-margin-top-8\" data-testid=\"module\">%s</h2><p "
                    "class=\"govuk-body-s\">%s of %s studied. <a class=\"govuk-link\" href=\"/enrolments/%s/hours\">%s "
                    "logged</a> of the module's %d hours.</p>",
                    cm->module->title, minutes_text(request, cm->minutes_done), minutes_text(request, cm->minutes),
                    id_text(request, id), hours, cm->hours_cap);
        for (size_t u = 0; u < cm->unit_count; u++) {
            const struct course_unit_view *uv = &cm->units[u];
            html_printf(b, "<h3 class=\"govuk-heading-s\">%s</h3><ul class=\"govuk-task-list\">", uv->unit->title);
            for (size_t i = 0; i < uv->count; i++) {
                const struct course_entry *e = &uv->entries[i];
                const char *item_id = id_text(request, e->item.item_id);
                html_printf(b,
                            "<li class=\"govuk-task-list__item govuk-task-list__item--with-link\" "
                            "data-testid=\"course-item\"><div class=\"govuk-task-list__name-and-hint\"><a "
                            "class=\"govuk-link govuk-task-list__link govuk-!-text-break-word\" href=\"%s/%s\" "
                            "aria-describedby=\"item-%s-status\">%s</a><div class=\"govuk-task-list__hint\">%s, %s",
                            self, item_id, item_id, e->item.title, content_kind_title(e->item.kind),
                            minutes_text(request, e->item.minutes));
                if (e->outdated && e->change_note && *e->change_note)
                    html_printf(b, "<br>Changed since you did it: %s", e->change_note);
                html_printf(b, "</div></div><div class=\"govuk-task-list__status\" id=\"item-%s-status\">%R</div></li>",
                            item_id, status_tag(request, e));
            }
            html_printf(b, "</ul>");
        }
    }
    if (!any)
        html_printf(b, "<p class=\"govuk-body\">There is no course content for these modules yet.</p>");
    page_send(request, &page, 200);
}

/* The offer to log an item's time: the hours log's own form, filled in, posted to its page. */
static void hours_offer(struct request *request, struct buf *b, int64_t enrolment_id, const struct course_entry *e)
{
    int quarters = content_suggested_quarter_hours(e->item.minutes);
    char today[DATE_TEXT], hours[32];
    date_of(request->now + date_uk_offset(request->now), today);
    delivery_hours_format((double)quarters / 4, hours, sizeof(hours));
    html_printf(b,
                "<div class=\"govuk-inset-text\" data-testid=\"hours-offer\"><p class=\"govuk-body\">Add %s to your "
                "learning-hours log for this module?</p>",
                hours);
    forms_begin(b, request, request_printf(request, "/enrolments/%" PRId64 "/hours", enrolment_id));
    html_printf(b,
                "<input type=\"hidden\" name=\"module\" value=\"%s\"><input type=\"hidden\" name=\"type\" "
                "value=\"%s\"><input type=\"hidden\" name=\"date-year\" value=\"%s\"><input type=\"hidden\" "
                "name=\"date-month\" value=\"%s\"><input type=\"hidden\" name=\"date-day\" value=\"%s\"><input "
                "type=\"hidden\" name=\"hours\" value=\"%s\"><input type=\"hidden\" name=\"reflection\" value=\"%s\">",
                e->module, delivery_activity_name(content_activity_of(e->item.kind)),
                request_printf(request, "%.4s", today), request_printf(request, "%.2s", today + 5),
                request_printf(request, "%.2s", today + 8),
                request_printf(request, "%d.%02d", quarters / 4, (quarters % 4) * 25),
                request_printf(request, "Studied: %s", e->item.title));
    forms_button(b, "Add to my hours log", "secondary");
    forms_end(b);
    html_printf(b, "</div>");
}

void page_course_item(struct request *request)
{
    const struct catalogue *c = page_catalogue(request);
    if (c == NULL)
        return;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct course course;
    struct content_view view;
    const struct course_entry *e = NULL;
    int64_t id = request_param_id(request, 0), item_id = request_param_id(request, 1);
    enum app_result r = item_id > 0 ? course_item_open(&env, c, request->caller, id, item_id, request_arena(request),
                                                       &course, &view, &e)
                                    : APP_NOT_FOUND;
    if (r != APP_OK) {
        page_refusal(request, r, NULL);
        return;
    }
    bool own = request->caller->user_id == course.enrolment.participant_id;
    struct page page;
    begin(&page, view.has_variant ? view.variant.title : view.item.current.title, NULL);
    const char *course_href = course_url(request, id);
    page_breadcrumbs(&page, request, "/content", "Learning", course_href, own ? "Your course" : "Course");
    bool just_done = false;
    static const char *const notices[][2] = {{"done", "Marked as done"}};
    if (notice_of(request, notices, 1) != NULL && e->done && !e->outdated) {
        page_notice(&page, "success", "Marked as done");
        just_done = true;
    }
    struct buf *b = &page.body;
    item_body(request, b, c, &view, page_module_title(c, e->module));
    if (e->outdated)
        html_printf(
            b,
            "<div class=\"govuk-warning-text\" data-testid=\"updated\"><span class=\"govuk-warning-text__icon\" "
            "aria-hidden=\"true\">!</span><strong class=\"govuk-warning-text__text\"><span "
            "class=\"govuk-visually-hidden\">Warning</span>This changed since you marked it as done: %s"
            "</strong></div>",
            e->change_note ? e->change_note : "");
    changes(request, b, &view);
    if (own && !course.read_only) {
        if (e->done && !e->outdated)
            html_printf(b, "<p class=\"govuk-body\">%R You marked this as done.</p>",
                        page_tag(request, "green", "Done"));
        else
            page_post_button(b, request, request_printf(request, "%s/%" PRId64 "/done", course_href, item_id),
                             "Mark as done", NULL, NULL);
        if (just_done)
            hours_offer(request, b, id, e);
    }
    const struct course_entry *after = course_after(&course, e);
    if (after != NULL)
        html_printf(b,
                    "<p class=\"govuk-body govuk-!-margin-top-6\" data-testid=\"after\"><a class=\"govuk-link "
                    "govuk-!-font-weight-bold\" href=\"%s/%s\">Next: %s</a></p>",
                    course_href, id_text(request, after->item.item_id), after->item.title);
    html_printf(b, "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"%s\">Back to the course</a></p>",
                course_href);
    page_send(request, &page, 200);
}

void page_course_item_done(struct request *request)
{
    const struct catalogue *c = page_catalogue(request);
    if (c == NULL)
        return;
    struct errors errors = ERRORS_INIT;
    struct actor actor;
    struct accounts_env env = request_accounts_env(request, &actor);
    struct course_hours_offer offer;
    int64_t id = request_param_id(request, 0), item_id = request_param_id(request, 1);
    enum app_result r =
        item_id > 0 ? course_item_done(&env, c, request->caller, id, item_id, request_arena(request), &offer, &errors)
                    : APP_NOT_FOUND;
    if (r == APP_OK)
        reply_redirect(request,
                       request_printf(request, "/enrolments/%" PRId64 "/course/%" PRId64 "?notice=done", id, item_id));
    else
        page_refusal(request, r, &errors);
    errors_free(&errors);
}
