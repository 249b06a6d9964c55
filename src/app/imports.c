#include "app/imports.h"

#include "domain/roster.h"

#include <string.h>

void imports_run(const struct accounts_env *env, enum import_kind kind, const char *csv, size_t len, bool dry_run,
                 struct arena *arena, struct import_report *report)
{
    memset(report, 0, sizeof(*report));
    report->errors = (struct errors)ERRORS_INIT;
    struct roster *roster = kind == IMPORT_SCHOOLS ? roster_parse_schools(csv, len, &report->errors)
                                                   : roster_parse_users(csv, len, &report->errors);
    if (roster == NULL) {
        report->result = APP_INVALID;
        return;
    }
    report->rows = kind == IMPORT_SCHOOLS ? roster->school_count : roster->user_count;
    struct import_summary summary = {0};
    /* The invitations go in the same transaction, so a failure sends nobody anything. A dry
     * run, or an import with any error, is rolled back by the store itself. */
    enum store_status status = store_begin(env->store);
    if (status == STORE_OK)
        status = kind == IMPORT_SCHOOLS ? store_import_schools(env->store, env->actor, roster, dry_run, env->now,
                                                               &report->errors, &summary)
                                        : store_import_users(env->store, env->actor, roster, dry_run, env->now, arena,
                                                             &report->errors, &summary);
    /* A conflict is the store's checks against the database refusing rows: errors say which. */
    enum app_result result = status == STORE_CONFLICT ? APP_INVALID : app_result_of_store(status);
    if (result == APP_OK && !dry_run) {
        for (size_t i = 0; result == APP_OK && kind == IMPORT_USERS && i < summary.created; i++)
            result = accounts_send_invitation(env, summary.new_user_ids[i]);
        if (result == APP_OK)
            result = app_result_of_store(store_commit(env->store));
    }
    store_rollback(env->store); /* ends whatever is still open after a failure */
    report->result = result;
    report->created = summary.created;
    report->updated = summary.updated;
    roster_free(roster);
}

void imports_report_free(struct import_report *report)
{
    errors_free(&report->errors);
}
