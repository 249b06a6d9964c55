/*
 * The content library and the course view as use cases: making and revising items (a new version
 * each time, with a change note), partners' local variants, the units of a module's course, a
 * participant's course per enrolment with what is done, what changed since and what comes next,
 * and marking an item as done. Opening and completing an item are recorded as learning activity
 * (store.h's learning_record, shaped as xAPI statements).
 *
 * Rules come from domain/content.h; these functions decide who may take each step: the provider's
 * administrators write items and units, a partner lead writes the variants of the partner they
 * lead (an administrator any), and only the participant marks their own learning as done. A
 * variant is shown to the participants of the partner's cohorts, and to nobody else but that
 * partner's people and administrators.
 */
#ifndef NPQ_APP_CONTENT_H
#define NPQ_APP_CONTENT_H

#include "app/accounts.h"
#include "domain/content.h"

#include <stdbool.h>
#include <stdint.h>

/* An item as sent. For a revision, NULL strings, kind -1 and minutes 0 keep what the item has;
 * tags NULL keeps its tags. Tags are written forms (content_tag_parse), at most CONTENT_TAGS_MAX. */
struct content_change {
    int kind; /* an enum content_kind, or -1 */
    const char *title;
    const char *body;
    const char *media_url;
    const char *captions_url;
    const char *transcript;
    int minutes;
    const char *change_note;
    const char *const *tags;
    size_t tag_count;
    bool has_tags;
};

/* Makes an item (administrators). Errors name the fields; "tags" for a tag the catalogue lacks. */
enum app_result content_create(const struct accounts_env *env, const struct catalogue *catalogue,
                               const struct caller *caller, const struct content_change *change, struct arena *arena,
                               struct content_item *out, struct errors *errors);

/* Makes the next version of an item (administrators): the change merged over the current
 * version, which must say what changed. Fills *out with the item as it now is. */
enum app_result content_revise(const struct accounts_env *env, const struct catalogue *catalogue,
                               const struct caller *caller, int64_t id, const struct content_change *change,
                               struct arena *arena, struct content_item *out, struct errors *errors);

/* An item as one person sees it. Arrays in arena. */
struct content_view {
    struct content_item item;
    struct content_version *versions; /* newest first: the change notes */
    size_t version_count;
    int64_t partner_id; /* whose variant is shown, 0 for none */
    bool has_variant;   /* the partner has a variant: its title and body replace the item's */
    struct content_variant variant;
    struct content_variant *variants; /* the variants the caller may manage: all (admins), their partner's */
    size_t variant_count;
    struct stored_file *files; /* attached files, oldest first */
    size_t file_count;
};

/* Files attached to an item (a handout, a template, a video played in the page): documents,
 * text, images, audio and video, told by their content, each at most limit bytes (the server's
 * --content-file-limit), at most CONTENT_FILES_MAX an item. Only administrators attach and
 * remove them; whoever reads the item reads its files. */
enum { CONTENT_FILES_MAX = 20 };
enum app_result content_file_attach(const struct accounts_env *env, const struct caller *caller, int64_t item_id,
                                    const char *name, const void *data, size_t len, int64_t limit, struct arena *arena,
                                    struct stored_file *out, struct errors *errors);
enum app_result content_file_remove(const struct accounts_env *env, const struct caller *caller, int64_t item_id,
                                    int64_t file_id, struct errors *errors);
/* The item's files, oldest first. */
enum app_result content_files(const struct accounts_env *env, int64_t item_id, struct arena *arena,
                              struct stored_file **out, size_t *count);
/* One of the item's files (APP_NOT_FOUND for another record's). */
enum app_result content_file_read(const struct accounts_env *env, int64_t item_id, int64_t file_id, struct arena *arena,
                                  struct stored_file *out);

/*
 * Reads an item for caller. partner_id names whose variant to show: -1 for the caller's own
 * partner (store_content_person_partner), as the library shows it; a course passes its cohort's.
 */
enum app_result content_read(const struct accounts_env *env, const struct caller *caller, int64_t id,
                             int64_t partner_id, struct arena *arena, struct content_view *out);

/* Whether caller may write partner's variants: an administrator, or a partner lead of it. */
bool content_may_write_variant(const struct caller *caller, int64_t partner_id);

/* Reads one partner's variant: administrators, that partner's people, and participants whose
 * partner it is; APP_NOT_FOUND for anyone else and for a partner with none. */
enum app_result content_variant_read(const struct accounts_env *env, const struct caller *caller, int64_t item_id,
                                     int64_t partner_id, struct arena *arena, struct content_variant *out);

/* Makes or changes a partner's variant (content_may_write_variant); a change needs a change note.
 * APP_NOT_FOUND for no such item or partner. Fills *out. */
enum app_result content_variant_save(const struct accounts_env *env, const struct caller *caller, int64_t item_id,
                                     int64_t partner_id, const char *title, const char *body, const char *change_note,
                                     struct arena *arena, struct content_variant *out, struct errors *errors);

enum { CONTENT_UNIT_ITEMS_MAX = 100 };

/* Adds a unit at the end of a module's course (administrators): the module must be in the
 * catalogue ("module"), the title 1 to 200 characters ("title"), the items 1 to
 * CONTENT_UNIT_ITEMS_MAX that exist, none twice ("items"). Sets *id. */
enum app_result content_unit_add(const struct accounts_env *env, const struct catalogue *catalogue,
                                 const struct caller *caller, const char *module, const char *title,
                                 const int64_t *items, size_t item_count, int64_t *id, struct errors *errors);

/* The course view */

/* One item of a course as its participant stands with it. */
struct course_entry {
    struct course_item item;
    const char *module; /* the unit's module */
    bool done;
    bool outdated;           /* done, and changed since */
    const char *change_note; /* outdated: the newest note of what changed (the variant's or the item's) */
    int64_t completed_at;
};

struct course_unit_view {
    const struct course_unit *unit;
    struct course_entry *entries;
    size_t count;
};

struct course_module {
    const struct catalogue_module *module;
    struct course_unit_view *units;
    size_t unit_count;
    int minutes; /* the estimated time of every item */
    int minutes_done;
    int64_t logged_quarter_hours; /* in the learning-hours log */
    int hours_cap;
};

struct course {
    struct enrolment enrolment;
    bool read_only; /* a withdrawn enrolment: nothing can be marked */
    struct course_module *modules;
    size_t module_count;
    size_t items, items_done;
    const struct course_entry *next; /* the first not done (or changed since), NULL when none */
};

/* An enrolment's course: its modules (as the hours log has them), their units and items with
 * the partner's variants, what is done and what comes next. */
enum app_result course_read(const struct accounts_env *env, const struct catalogue *catalogue, int64_t enrolment_id,
                            struct arena *arena, struct course *out);

/* The entry of item in course, or NULL when the course does not include it. */
const struct course_entry *course_find(const struct course *course, int64_t item_id);

/* The entry after entry in the course's order, or NULL at the end. */
const struct course_entry *course_after(const struct course *course, const struct course_entry *entry);

/*
 * Opens an item of an enrolment's course: its course and the item with the cohort partner's
 * variant. When caller is the participant, records that they experienced it. APP_NOT_FOUND when
 * the course does not include the item.
 */
enum app_result course_item_open(const struct accounts_env *env, const struct catalogue *catalogue,
                                 const struct caller *caller, int64_t enrolment_id, int64_t item_id,
                                 struct arena *arena, struct course *course, struct content_view *view,
                                 const struct course_entry **entry);

/* The learning-hours log entry a completion suggests: the module, kind of learning, day and time. */
struct course_hours_offer {
    const char *module;
    enum delivery_activity type;
    char done_on[11];
    int quarter_hours;
};

/*
 * Marks an item of the course done as its participant (APP_FORBIDDEN for anyone else, APP_CONFLICT
 * for a withdrawn enrolment), at the versions they see now, and records the completion. Marking it
 * again after it changed acknowledges the change. Fills *offer for the hours log.
 */
enum app_result course_item_done(const struct accounts_env *env, const struct catalogue *catalogue,
                                 const struct caller *caller, int64_t enrolment_id, int64_t item_id,
                                 struct arena *arena, struct course_hours_offer *offer, struct errors *errors);

#endif
