/*
 * Coaching and the learning-hours log as use cases: booking, rescheduling and cancelling a
 * coaching session, its notes and agreed actions; logging, changing, removing and verifying
 * learning hours. Rules come from domain/delivery.h (times, places, actions, hours and caps) and
 * the facts of domain/policy.h; these functions decide who may take each step, gather the facts
 * (the enrolment's modules and state, the hours already logged) and store the outcome.
 *
 * The gate has already checked that the caller may see the record; what these add is who may
 * change it: only the session's coach writes notes, only the participant (or an administrator)
 * logs hours, and only someone responsible for the participant verifies them.
 */
#ifndef NPQ_APP_COACHING_H
#define NPQ_APP_COACHING_H

#include "app/accounts.h"

#include <stdbool.h>
#include <stdint.h>

enum { COACHING_NOTE_MAX = 20000, ACTIVITY_REFLECTION_MAX = 10000 }; /* characters */

/* Coaching sessions */

/*
 * Books s (participant_id, starts_at, ends_at, mode, place; coach_id may be 0) as caller: a coach
 * for a participant assigned to them (coach_id is then the caller), the participant themselves or
 * an administrator, for whom coach_id must name a coach assigned to the participant and may be
 * left 0 when there is exactly one. Checks the session with delivery_coaching_check; errors name the request's fields
 * ("place" for the joining link or location). Sets s->id. The coach and the participant are emailed
 * (in the same transaction), as they are when it is rescheduled or cancelled.
 */
enum app_result coaching_session_book(const struct accounts_env *env, const struct caller *caller,
                                      struct coaching_session *s, struct errors *errors);

/* A change of time or place: fields left 0, -1 or NULL keep their value. */
struct coaching_change {
    int64_t starts_at;
    int64_t ends_at;
    int mode; /* an enum delivery_coaching_mode, or -1 */
    const char *place;
};

/* Reschedules a session (its coach or an administrator), bumping its sequence. A cancelled session
 * cannot be moved (APP_CONFLICT). */
enum app_result coaching_session_reschedule(const struct accounts_env *env, const struct caller *caller, int64_t id,
                                            const struct coaching_change *change, struct errors *errors);

/* Cancels a session (its coach, its participant or an administrator); APP_CONFLICT when already
 * cancelled. */
enum app_result coaching_session_cancel(const struct accounts_env *env, const struct caller *caller, int64_t id,
                                        struct errors *errors);

/* Adds a note written by the session's coach: body is Markdown of 1 to COACHING_NOTE_MAX
 * characters ("body"). Sets note->id. */
enum app_result coaching_note_add(const struct accounts_env *env, const struct caller *caller,
                                  struct coaching_note *note, struct errors *errors);

/* Records an action agreed in a session, by its coach or its participant (delivery_action_check).
 * Sets action->id. */
enum app_result coaching_action_add(const struct accounts_env *env, const struct caller *caller,
                                    struct coaching_action *action, struct errors *errors);

/* Ticks an action off, or opens it again, as the session's participant or coach. */
enum app_result coaching_action_set_done(const struct accounts_env *env, const struct caller *caller,
                                         int64_t session_id, int64_t action_id, bool done, struct errors *errors);

/* The learning-hours log */

/* An entry as sent: for a new entry every field but reflection is needed; for a change, NULL
 * (or has_hours false) keeps the value. Strings are borrowed. */
struct activity_input {
    const char *module; /* a module code of the enrolment, any case */
    const char *type;   /* an activity name: "reading", "peer_learning"... */
    const char *done_on;
    double hours;
    bool has_hours;
    const char *reflection; /* Markdown, at most ACTIVITY_REFLECTION_MAX characters */
};

/* One module of an enrolment, with what is logged for it. */
struct activity_module_total {
    const struct catalogue_module *module; /* NULL for a code no longer in the catalogue */
    const char *code;
    int64_t quarter_hours;
    int64_t verified_quarter_hours;
    int hours_cap;     /* the catalogue's, or the default */
    bool in_enrolment; /* false for a module logged before the enrolment's electives changed */
};

/* An enrolment's log: a page of its entries and the totals of the whole log. Arrays in arena. */
struct activity_log {
    struct enrolment enrolment;
    bool read_only;           /* a withdrawn enrolment's log */
    struct activity *entries; /* a page, latest date first */
    size_t count;
    struct activity_module_total *modules; /* the enrolment's modules, then any other module logged */
    size_t module_count;
    int64_t by_type[DELIVERY_ACTIVITY_COUNT]; /* quarter hours */
    int64_t total_quarter_hours;
};

/*
 * The modules an enrolment's hours may be logged against: a qualification's essential modules and
 * the enrolment's electives, or the one module studied alone. Fills out (up to max) with catalogue
 * entries and returns how many there are.
 */
size_t activities_modules(const struct catalogue *catalogue, const struct enrolment *enrolment,
                          const struct catalogue_module **out, size_t max);

/* Reads an enrolment's totals, added up over the whole log, and the page of its entries that page
 * names (store_activity_list's; NULL for the totals alone). */
enum app_result activities_read(const struct accounts_env *env, const struct catalogue *catalogue, int64_t enrolment_id,
                                struct store_page *page, struct arena *arena, struct activity_log *out);

/*
 * Logs hours as caller (the participant, or an administrator) in an enrolment that is not
 * withdrawn. Checks the module, the type, the reflection and, with delivery_hours_check, the hours,
 * the date and the module's cap; the hours already logged are read in the same write transaction
 * as the entry is added, so two entries at once cannot together pass the cap. Fills *out.
 */
enum app_result activities_add(const struct accounts_env *env, const struct catalogue *catalogue,
                               const struct caller *caller, int64_t enrolment_id, const struct activity_input *input,
                               struct arena *arena, struct activity *out, struct errors *errors);

/* Changes an unverified entry (the participant or an administrator), with the same checks. */
enum app_result activities_change(const struct accounts_env *env, const struct catalogue *catalogue,
                                  const struct caller *caller, int64_t enrolment_id, int64_t activity_id,
                                  const struct activity_input *input, struct arena *arena, struct activity *out,
                                  struct errors *errors);

/* Removes an unverified entry (the participant or an administrator). */
enum app_result activities_remove(const struct accounts_env *env, const struct caller *caller, int64_t enrolment_id,
                                  int64_t activity_id, struct errors *errors);

/* Verifies an entry: the participant's coach, a facilitator of their cohort, the partner lead of
 * the cohort's partner or an administrator; never the participant. */
enum app_result activities_verify(const struct accounts_env *env, const struct caller *caller, int64_t enrolment_id,
                                  int64_t activity_id, struct errors *errors);

#endif
