/*
 * Bulk imports of schools and people: every row checked against the database, then all kept or
 * none. Rows were already checked on their own (domain/roster.c); here are the checks that need
 * the database, reported at the row and column they concern.
 *
 * A store operation that refuses inside the import's transaction rolls all of it back (an inner
 * failure dooms the transaction), after which nothing may go on in it: later rows would each be
 * committed on their own. So every refusal a row can meet is checked before the write, and a
 * write refused anyway (a race with another import) ends the import.
 */
#include "store/store_internal.h"

#include "domain/roster.h"

#include <stdio.h>
#include <string.h>

static const char SQL_ORGANISATION_BY_NAME[] =
    "SELECT id FROM organisations WHERE kind = ?1 AND lower(name) = lower(?2) ORDER BY id LIMIT 1";
static const char SQL_ORGANISATION_BY_URN[] = "SELECT id FROM organisations WHERE urn = ?1";

static int64_t find_id(struct store *store, const char *sql, const char *a, const char *b)
{
    struct db_stmt *stmt = db_prepare(store->db, sql);
    if (stmt == NULL)
        return -1;
    db_bind_text(stmt, 1, a);
    if (b != NULL)
        db_bind_text(stmt, 2, b);
    enum db_result r = db_step(stmt);
    if (r == DB_DONE)
        return 0;
    if (r != DB_ROW)
        return -1;
    int64_t id = db_column_int64(stmt, 0);
    db_reset(stmt);
    return id;
}

static void row_error(struct errors *errors, size_t row, const char *column, const char *message)
{
    char where[64];
    snprintf(where, sizeof(where), "row %zu, column %s", row, column);
    errors_add(errors, where, "%s", message);
}

/* Ends an import: kept when there were no errors and it was not a dry run. */
static enum store_status finish(struct store *store, bool dry_run, size_t errors_before, const struct errors *errors,
                                enum store_status status)
{
    if (status == STORE_OK && errors->count > errors_before)
        status = STORE_CONFLICT;
    if (status != STORE_OK || dry_run) {
        store_tx_rollback(store);
        return status;
    }
    return store_tx_commit(store) ? STORE_OK : STORE_ERROR;
}

enum store_status store_import_schools(struct store *store, const struct actor *actor, const struct roster *roster,
                                       bool dry_run, int64_t now, struct errors *errors, struct import_summary *summary)
{
    memset(summary, 0, sizeof(*summary));
    size_t before = errors->count;
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_OK;
    for (size_t i = 0; i < roster->school_count && status == STORE_OK; i++) {
        const struct roster_school *row = &roster->schools[i];
        int64_t taken = find_id(store, SQL_ORGANISATION_BY_URN, row->urn, NULL);
        if (taken < 0) {
            status = STORE_ERROR;
            break;
        }
        if (taken > 0) {
            row_error(errors, row->row, "urn", "A school with this URN is already registered");
            continue;
        }
        int64_t trust_id = 0;
        if (*row->trust) {
            trust_id = find_id(store, SQL_ORGANISATION_BY_NAME, organisation_kind_name(ORG_TRUST), row->trust);
            if (trust_id == 0) { /* a trust named for the first time is added with its school */
                struct organisation trust = {.kind = ORG_TRUST, .name = row->trust};
                status = store_organisation_create(store, actor, &trust, now);
                trust_id = trust.id;
                summary->created++;
            } else if (trust_id < 0) {
                status = STORE_ERROR;
            }
        }
        struct organisation school = {.kind = ORG_SCHOOL,
                                      .name = row->name,
                                      .urn = row->urn,
                                      .local_authority = row->local_authority,
                                      .region = row->region,
                                      .phase = row->phase,
                                      .trust_id = trust_id};
        if (status == STORE_OK)
            status = store_organisation_create(store, actor, &school, now);
        if (status == STORE_CONFLICT) /* registered meanwhile: the transaction is gone */
            row_error(errors, row->row, "urn", "A school with this URN is already registered");
        else if (status == STORE_OK)
            summary->created++;
    }
    return finish(store, dry_run, before, errors, status);
}

/* Whether a person already holds role with this scope (0 for none). */
static bool holds(const struct user *u, enum role role, int64_t scope)
{
    for (size_t i = 0; i < u->role_count; i++)
        if (u->roles[i].role == role && u->roles[i].organisation_id == scope)
            return true;
    return false;
}

enum store_status store_import_users(struct store *store, const struct actor *actor, const struct roster *roster,
                                     bool dry_run, int64_t now, struct arena *arena, struct errors *errors,
                                     struct import_summary *summary)
{
    memset(summary, 0, sizeof(*summary));
    summary->new_user_ids = arena_alloc(arena, sizeof(int64_t) * (roster->user_count + 1));
    size_t before = errors->count;
    if (!store_tx_begin(store))
        return STORE_ERROR;
    enum store_status status = STORE_OK;
    struct arena scratch = ARENA_INIT;
    for (size_t i = 0; i < roster->user_count && status == STORE_OK; i++) {
        const struct roster_user *row = &roster->users[i];
        int64_t school_id = 0, partner_id = 0;
        if (*row->school_urn) {
            school_id = find_id(store, SQL_ORGANISATION_BY_URN, row->school_urn, NULL);
            if (school_id == 0)
                row_error(errors, row->row, "school_urn", "No school with this URN is registered; import it first");
        }
        if (*row->partner) {
            partner_id =
                find_id(store, SQL_ORGANISATION_BY_NAME, organisation_kind_name(ORG_DELIVERY_PARTNER), row->partner);
            if (partner_id == 0)
                row_error(errors, row->row, "partner", "No delivery partner has this name");
        }
        if (school_id < 0 || partner_id < 0) {
            status = STORE_ERROR;
            break;
        }
        if ((*row->school_urn && school_id == 0) || (*row->partner && partner_id == 0))
            continue;
        struct user existing;
        enum store_status found = store_user_find_by_email(store, row->email, &scratch, &existing, NULL);
        int64_t user_id;
        if (found == STORE_OK) {
            user_id = existing.id;
            summary->updated++;
        } else if (found == STORE_NOT_FOUND) {
            status = store_user_create(store, actor, row->email, row->name, school_id ? school_id : partner_id, now,
                                       &user_id);
            if (status != STORE_OK)
                break;
            summary->new_user_ids[summary->created++] = user_id;
        } else {
            status = STORE_ERROR;
            break;
        }
        enum organisation_kind scope_kind;
        int64_t scope = 0;
        if (role_scope_kind(row->role, &scope_kind))
            scope = scope_kind == ORG_SCHOOL ? school_id : partner_id;
        if (found == STORE_OK && holds(&existing, row->role, scope)) {
            row_error(errors, row->row, "role", "This person already has this role");
            continue;
        }
        int64_t grant_id;
        status = store_role_grant(store, actor, user_id, row->role, scope, now, &grant_id);
        if (status == STORE_CONFLICT) /* granted meanwhile, or earlier in this file: the transaction is gone */
            row_error(errors, row->row, "role", "This person already has this role");
    }
    arena_release(&scratch);
    return finish(store, dry_run, before, errors, status);
}
