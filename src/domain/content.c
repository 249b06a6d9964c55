/*
 * The content library's rules (content.h). Tags are read strictly, as "kind:rest" with '/' between
 * the parts, so that one written form stands for one place in the catalogue and the store can
 * find items by tag with an exact match.
 */
#include "domain/content.h"

#include "lib/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct text_name kinds[CONTENT_KIND_COUNT] = {
    {"reading", "Reading"},
    {"video", "Video"},
    {"audio", "Audio"},
    {"case_study", "Case study"},
    {"tool_or_template", "Tool or template"},
    {"research_summary", "Research summary"},
    {"activity", "Activity"},
};

const char *content_kind_name(enum content_kind kind)
{
    return (unsigned)kind < CONTENT_KIND_COUNT ? kinds[kind].name : "";
}

const char *content_kind_title(enum content_kind kind)
{
    return (unsigned)kind < CONTENT_KIND_COUNT ? kinds[kind].title : "";
}

bool content_kind_parse(const char *name, enum content_kind *kind)
{
    int i;
    if (!text_name_find(kinds, CONTENT_KIND_COUNT, name, &i))
        return false;
    *kind = (enum content_kind)i;
    return true;
}

bool content_kind_plays(enum content_kind kind)
{
    return kind == CONTENT_VIDEO || kind == CONTENT_AUDIO;
}

/* https:// then a host, no spaces or control characters: a link the page may load media from. */
static bool https_url_valid(const char *url)
{
    static const char scheme[] = "https://";
    size_t len = strlen(url);
    if (len > CONTENT_URL_MAX || len <= sizeof(scheme) - 1 || strncasecmp(url, scheme, sizeof(scheme) - 1) != 0)
        return false;
    const char *host = url + sizeof(scheme) - 1;
    if (*host == '/' || *host == '?' || *host == '#' || *host == ':')
        return false;
    for (const char *p = url; *p != '\0'; p++)
        if ((unsigned char)*p <= ' ' || *p == 0x7F || *p == '"' || *p == '<' || *p == '>' || *p == '\\')
            return false;
    return true;
}

static void check_title(const char *title, struct errors *errors)
{
    if (!text_has_words(title))
        errors_add(errors, "title", "Enter a title");
    else if (text_characters(title) > CONTENT_TITLE_MAX)
        errors_add(errors, "title", "The title must be %d characters or fewer", CONTENT_TITLE_MAX);
    else if (!text_is_one_line(title))
        errors_add(errors, "title", "The title must be one line of plain text");
}

static void check_note(const char *note, bool revising, struct errors *errors)
{
    if (revising && !text_has_words(note))
        errors_add(errors, "change_note", "Say what changed, so that people who studied it know");
    else if (text_characters(note) > CONTENT_NOTE_MAX)
        errors_add(errors, "change_note", "The change note must be %d characters or fewer", CONTENT_NOTE_MAX);
}

bool content_input_check(const struct content_input *in, bool revising, struct errors *errors)
{
    size_t before = errors->count;
    if ((unsigned)in->kind >= CONTENT_KIND_COUNT)
        errors_add(errors, "kind",
                   "Choose the kind of item: reading, video, audio, case_study, tool_or_template, "
                   "research_summary or activity");
    check_title(in->title, errors);
    if (text_characters(in->body) > CONTENT_BODY_MAX)
        errors_add(errors, "body", "The text must be %d characters or fewer", CONTENT_BODY_MAX);
    if (in->minutes < 1 || in->minutes > CONTENT_MINUTES_MAX)
        errors_add(errors, "minutes", "Enter the estimated time in minutes, from 1 to %d", CONTENT_MINUTES_MAX);
    bool plays = content_kind_plays(in->kind);
    if (text_has_words(in->media_url)) {
        if (!https_url_valid(in->media_url))
            errors_add(errors, "media_url",
                       "The media link must be a full web address starting with https://, like "
                       "https://media.example.org/talk.mp4");
    } else if (plays)
        errors_add(errors, "media_url", "Enter the link to the %s, starting with https://",
                   in->kind == CONTENT_VIDEO ? "video" : "audio");
    if (text_has_words(in->captions_url)) {
        if (!plays)
            errors_add(errors, "captions_url", "Only a video or audio item has captions");
        else if (!https_url_valid(in->captions_url))
            errors_add(errors, "captions_url", "The captions link must be a full web address starting with https://");
    }
    if (text_characters(in->transcript) > CONTENT_TRANSCRIPT_MAX)
        errors_add(errors, "transcript", "The transcript must be %d characters or fewer", CONTENT_TRANSCRIPT_MAX);
    check_note(in->change_note, revising, errors);
    return errors->count == before;
}

bool content_variant_check(const char *title, const char *body, const char *change_note, bool revising,
                           struct errors *errors)
{
    size_t before = errors->count;
    check_title(title, errors);
    if (!text_has_words(body))
        errors_add(errors, "body", "Enter the local text: contacts, data or case studies for your region");
    else if (text_characters(body) > CONTENT_BODY_MAX)
        errors_add(errors, "body", "The text must be %d characters or fewer", CONTENT_BODY_MAX);
    check_note(change_note, revising, errors);
    return errors->count == before;
}

/* Reads a number of 1 to 3 digits from *p up to the next '/' or the end, moving *p past it. */
static int read_number(const char **p)
{
    int value = 0, digits = 0;
    while (**p >= '0' && **p <= '9' && digits < 3) {
        value = value * 10 + (**p - '0');
        (*p)++;
        digits++;
    }
    if (digits == 0 || (**p != '\0' && **p != '/'))
        return -1;
    if (**p == '/')
        (*p)++;
    return value;
}

static const struct catalogue_area *area_find(const struct catalogue_framework *f, int number)
{
    for (size_t i = 0; f != NULL && i < f->area_count; i++)
        if (f->areas[i].number == number)
            return &f->areas[i];
    return NULL;
}

static const struct catalogue_statement *statement_find(const struct catalogue_area *a,
                                                        enum content_statement_kind kind, int number)
{
    if (a == NULL)
        return NULL;
    const struct catalogue_statement *list = kind == CONTENT_LEARN_THAT ? a->learn_that : a->learn_how_to;
    size_t count = kind == CONTENT_LEARN_THAT ? a->learn_that_count : a->learn_how_to_count;
    for (size_t i = 0; i < count; i++)
        if (list[i].number == number)
            return &list[i];
    return NULL;
}

bool content_tag_parse(const struct catalogue *catalogue, const char *text, struct content_tag *out,
                       struct errors *errors, const char *where)
{
    memset(out, 0, sizeof(*out));
    const char *colon = text ? strchr(text, ':') : NULL;
    if (colon == NULL || strlen(text) > CONTENT_TAG_MAX) {
        errors_add(errors, where,
                   "Write a tag as module:CODE, area:FRAMEWORK/NUMBER or "
                   "statement:FRAMEWORK/AREA/learn-that/NUMBER (or learn-how-to)");
        return false;
    }
    size_t kind_len = (size_t)(colon - text);
    const char *rest = colon + 1;
    if (kind_len == 6 && strncasecmp(text, "module", 6) == 0) {
        const struct catalogue_module *m = catalogue_module_find(catalogue, rest, strlen(rest));
        if (m == NULL) {
            errors_add(errors, where, "There is no module %s in the catalogue", rest);
            return false;
        }
        out->kind = CONTENT_TAG_MODULE;
        snprintf(out->code, sizeof(out->code), "%s", m->code);
        return true;
    }
    bool is_area = kind_len == 4 && strncasecmp(text, "area", 4) == 0;
    bool is_statement = kind_len == 9 && strncasecmp(text, "statement", 9) == 0;
    const char *slash = strchr(rest, '/');
    if ((!is_area && !is_statement) || slash == NULL) {
        errors_add(errors, where,
                   "Write a tag as module:CODE, area:FRAMEWORK/NUMBER or "
                   "statement:FRAMEWORK/AREA/learn-that/NUMBER (or learn-how-to)");
        return false;
    }
    const struct catalogue_framework *f = catalogue_framework_find(catalogue, rest, (size_t)(slash - rest));
    if (f == NULL) {
        errors_add(errors, where, "There is no framework %.*s in the catalogue", (int)(slash - rest), rest);
        return false;
    }
    const char *p = slash + 1;
    int area = read_number(&p);
    const struct catalogue_area *a = area > 0 ? area_find(f, area) : NULL;
    if (a == NULL) {
        errors_add(errors, where, "The framework %s has no area %s", f->code, area > 0 ? "of that number" : "there");
        return false;
    }
    snprintf(out->code, sizeof(out->code), "%s", f->code);
    out->area = area;
    if (is_area) {
        if (*p != '\0' || p[-1] == '/') {
            errors_add(errors, where, "Write an area's tag as area:FRAMEWORK/NUMBER, like area:%s/%d", f->code, area);
            return false;
        }
        out->kind = CONTENT_TAG_AREA;
        return true;
    }
    if (strncasecmp(p, "learn-that/", 11) == 0) {
        out->statement_kind = CONTENT_LEARN_THAT;
        p += 11;
    } else if (strncasecmp(p, "learn-how-to/", 13) == 0) {
        out->statement_kind = CONTENT_LEARN_HOW_TO;
        p += 13;
    } else {
        errors_add(errors, where,
                   "Say whether the statement is learn-that or learn-how-to, like statement:%s/%d/learn-that/1",
                   f->code, area);
        return false;
    }
    const char *number_at = p;
    int number = read_number(&p);
    if (number <= 0 || *p != '\0' || p[-1] == '/' || p == number_at) {
        errors_add(errors, where, "End a statement's tag with its number, like statement:%s/%d/learn-that/1", f->code,
                   area);
        return false;
    }
    if (statement_find(a, out->statement_kind, number) == NULL) {
        errors_add(errors, where, "Area %d of %s has no %s statement %d", area, f->code,
                   out->statement_kind == CONTENT_LEARN_THAT ? "learn-that" : "learn-how-to", number);
        return false;
    }
    out->kind = CONTENT_TAG_STATEMENT;
    out->number = number;
    return true;
}

void content_tag_format(const struct content_tag *tag, char *out, size_t size)
{
    switch (tag->kind) {
    case CONTENT_TAG_MODULE: snprintf(out, size, "module:%s", tag->code); return;
    case CONTENT_TAG_AREA: snprintf(out, size, "area:%s/%d", tag->code, tag->area); return;
    case CONTENT_TAG_STATEMENT:
        snprintf(out, size, "statement:%s/%d/%s/%d", tag->code, tag->area,
                 tag->statement_kind == CONTENT_LEARN_THAT ? "learn-that" : "learn-how-to", tag->number);
        return;
    }
    snprintf(out, size, "%s", "");
}

const char *content_tag_describe(const struct catalogue *catalogue, const struct content_tag *tag, char *prefix,
                                 size_t size)
{
    snprintf(prefix, size, "%s", "");
    if (tag->kind == CONTENT_TAG_MODULE) {
        const struct catalogue_module *m = catalogue_module_find(catalogue, tag->code, strlen(tag->code));
        snprintf(prefix, size, "Module: ");
        return m ? m->title : NULL;
    }
    const struct catalogue_framework *f = catalogue_framework_find(catalogue, tag->code, strlen(tag->code));
    const struct catalogue_area *a = area_find(f, tag->area);
    if (a == NULL)
        return NULL;
    if (tag->kind == CONTENT_TAG_AREA) {
        snprintf(prefix, size, "Area %d: ", a->number);
        return a->title;
    }
    const struct catalogue_statement *s = statement_find(a, tag->statement_kind, tag->number);
    if (s == NULL)
        return NULL;
    snprintf(prefix, size, "%s %d.%d: ", tag->statement_kind == CONTENT_LEARN_THAT ? "Learn that" : "Learn how to",
             a->number, s->number);
    return s->text;
}

bool content_completion_outdated(int completed_item, int completed_variant, int current_item, int current_variant)
{
    return current_item > completed_item || current_variant > completed_variant;
}

int content_suggested_quarter_hours(int minutes)
{
    if (minutes <= 0)
        return 1;
    int quarters = (minutes + 14) / 15;
    return quarters > 48 ? 48 : quarters;
}

enum delivery_activity content_activity_of(enum content_kind kind)
{
    switch (kind) {
    case CONTENT_READING:
    case CONTENT_CASE_STUDY:
    case CONTENT_RESEARCH_SUMMARY: return DELIVERY_ACTIVITY_READING;
    case CONTENT_ACTIVITY: return DELIVERY_ACTIVITY_WORKPLACE_LEARNING;
    case CONTENT_VIDEO:
    case CONTENT_AUDIO:
    case CONTENT_TOOL:
    case CONTENT_KIND_COUNT: break;
    }
    return DELIVERY_ACTIVITY_ONLINE_LEARNING;
}

long content_next_step(const struct content_step *steps, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (!steps[i].done || steps[i].outdated)
            return (long)i;
    return -1;
}
