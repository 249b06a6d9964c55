/*
 * The content library as rules: the kinds of item people study, what an item must hold (a title,
 * an estimated time, safe links to its media), its tags to the curriculum (modules, framework
 * areas and single statements, checked against the catalogue), when a participant's completion is
 * out of date because the item changed since, what comes next in a course, and the hours a
 * completion suggests for the learning-hours log.
 *
 * Pure functions over plain values, like delivery.h: no clock, no store. A check returns true when
 * it added no error; every refusal is a sentence at the form field it concerns.
 */
#ifndef NPQ_DOMAIN_CONTENT_H
#define NPQ_DOMAIN_CONTENT_H

#include "domain/catalogue.h"
#include "domain/delivery.h" /* enum delivery_activity: the log's kinds of learning */
#include "lib/errors.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
    CONTENT_TITLE_MAX = 200,         /* characters */
    CONTENT_BODY_MAX = 100000,       /* characters of Markdown */
    CONTENT_TRANSCRIPT_MAX = 100000, /* characters */
    CONTENT_NOTE_MAX = 500,          /* characters in a change note */
    CONTENT_URL_MAX = 2000,          /* bytes in a media or captions link */
    CONTENT_MINUTES_MAX = 600,       /* an item takes at most ten hours */
    CONTENT_TAGS_MAX = 64,           /* tags on one item */
    CONTENT_TAG_MAX = 200,           /* bytes in one tag */
};

enum content_kind {
    CONTENT_READING,
    CONTENT_VIDEO,
    CONTENT_AUDIO,
    CONTENT_CASE_STUDY,
    CONTENT_TOOL,
    CONTENT_RESEARCH_SUMMARY,
    CONTENT_ACTIVITY,
    CONTENT_KIND_COUNT
};

/* "reading", "video", "audio", "case_study", "tool_or_template", "research_summary", "activity" and
 * their titles for people; parse accepts names only and leaves *kind alone when it returns false. */
const char *content_kind_name(enum content_kind kind);
const char *content_kind_title(enum content_kind kind);
bool content_kind_parse(const char *name, enum content_kind *kind);

/* Whether an item of this kind plays in the page (video and audio). */
bool content_kind_plays(enum content_kind kind);

/* An item's version as written. Strings are borrowed; NULL counts as empty. */
struct content_input {
    enum content_kind kind;
    const char *title;
    const char *body;         /* Markdown */
    const char *media_url;    /* https://, needed for video and audio, optional otherwise */
    const char *captions_url; /* https:// WebVTT captions for video or audio, optional */
    const char *transcript;   /* plain text, optional */
    int minutes;              /* estimated time, 1 to CONTENT_MINUTES_MAX */
    const char *change_note;  /* what changed: needed for every version after the first */
};

/* Checks a version of an item: title ("title"), time ("minutes"), body and transcript length,
 * links ("media_url", "captions_url"), and the change note ("change_note") when revising. */
bool content_input_check(const struct content_input *in, bool revising, struct errors *errors);

/* A local variant's text as written by a delivery partner: a title and a body replace the item's. */
bool content_variant_check(const char *title, const char *body, const char *change_note, bool revising,
                           struct errors *errors);

/* Tags: what an item teaches, in the curriculum's own terms. */
enum content_tag_kind { CONTENT_TAG_MODULE, CONTENT_TAG_AREA, CONTENT_TAG_STATEMENT };
enum content_statement_kind { CONTENT_LEARN_THAT, CONTENT_LEARN_HOW_TO };

struct content_tag {
    enum content_tag_kind kind;
    char code[96]; /* the module's or the framework's code, as the catalogue spells it */
    int area;      /* the area's number (areas and statements) */
    enum content_statement_kind statement_kind;
    int number; /* the statement's number within its area and kind */
};

/*
 * Reads a tag written "module:leading-teaching", "area:npqsl/3" or "statement:npqsl/3/learn-that/2"
 * (also "learn-how-to") and checks it against the catalogue: the module, framework, area and
 * statement must exist. Codes match in any case and are stored as the catalogue spells them.
 * On refusal adds a sentence at where and returns false.
 */
bool content_tag_parse(const struct catalogue *catalogue, const char *text, struct content_tag *out,
                       struct errors *errors, const char *where);

/* The tag's one written form, as content_tag_parse reads it, into out (at least CONTENT_TAG_MAX). */
void content_tag_format(const struct content_tag *tag, char *out, size_t size);

/* The words a tag stands for: the module's title, "Area 3: Teaching", or the statement's text with
 * "Learn that 3.2: " before it. NULL when the catalogue no longer has it. The text is the
 * catalogue's; prefix (at least 64 bytes) receives the label part. */
const char *content_tag_describe(const struct catalogue *catalogue, const struct content_tag *tag, char *prefix,
                                 size_t size);

/*
 * Whether a completion needs an "updated" mark: the participant completed item_version (and, when
 * their partner had a variant, variant_version) and the item or the variant they see has a later
 * version now. current_variant is 0 when there is no variant.
 */
bool content_completion_outdated(int completed_item, int completed_variant, int current_item, int current_variant);

/* The learning-hours log entry a completion suggests: the item's estimate rounded up to quarter
 * hours, at most 12 hours (48 quarters, one entry's limit), and the kind of learning it is. */
int content_suggested_quarter_hours(int minutes);
enum delivery_activity content_activity_of(enum content_kind kind);

/* One item in a course's order, for choosing what comes next. */
struct content_step {
    bool done;
    bool outdated; /* done, but changed since */
};

/* The index of the first step not done (an outdated one counts as not done), or -1 when all are. */
long content_next_step(const struct content_step *steps, size_t count);

#endif
