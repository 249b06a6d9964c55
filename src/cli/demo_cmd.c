/*
 * npq demo: a provider, a delivery partner, a trust, a school and one person for every role, all
 * sharing one password, so a new installation can be explored signed in as anyone. Safe to run
 * twice: people who exist already are left as they are.
 */
#include "cli/cli.h"

#include "app/accounts.h"
#include "lib/clock.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DEMO_PASSWORD "blended-learning-at-local-venues"

static const struct actor demo_actor = {0, "command line", ""};

/* The id of the organisation named name, creating it if needed. */
static int64_t organisation(struct store *store, struct organisation o, int64_t now)
{
    struct arena arena = ARENA_INIT;
    struct organisation *list;
    size_t count;
    int64_t id = 0;
    if (store_organisation_list(store, (int)o.kind, o.name, &arena, &list, &count) == STORE_OK)
        for (size_t i = 0; i < count && id == 0; i++)
            if (strcmp(list[i].name, o.name) == 0)
                id = list[i].id;
    arena_release(&arena);
    if (id == 0 && store_organisation_create(store, &demo_actor, &o, now) == STORE_OK)
        id = o.id;
    return id;
}

/* The id of the person with email, creating them with role and the demo password if needed. */
static int64_t person(const struct accounts_env *env, const char *email, const char *name, enum role role,
                      int64_t organisation_id, int64_t role_organisation_id)
{
    struct arena arena = ARENA_INIT;
    struct user existing;
    int64_t id = 0;
    if (store_user_find_by_email(env->store, email, &arena, &existing, NULL) == STORE_OK)
        id = existing.id;
    arena_release(&arena);
    if (id != 0)
        return id;
    struct errors errors = ERRORS_INIT;
    if (accounts_create_person(env, email, name, organisation_id, role, role_organisation_id, &id, &errors) != APP_OK ||
        accounts_set_password(env, id, DEMO_PASSWORD, &errors) != APP_OK) {
        for (size_t i = 0; i < errors.count; i++)
            fprintf(stderr, "npq: %s: %s: %s\n", email, errors.items[i].where, errors.items[i].message);
        id = 0;
    }
    errors_free(&errors);
    return id;
}

int cli_demo(int argc, char **argv)
{
    const char *db = argc == 3 && strcmp(argv[1], "--db") == 0 ? argv[2] : cli_default_db();
    if (argc != 1 && argc != 3) {
        fprintf(stderr, "usage: npq demo [--db PATH]\n");
        return 2;
    }
    struct store *store = cli_open_store(db);
    if (store == NULL)
        return 1;
    int64_t now = clock_now();
    char base_url[512];
    accounts_base_url(store, base_url, sizeof(base_url));
    struct accounts_env env = {store, &demo_actor, base_url, now};

    organisation(store, (struct organisation){.kind = ORG_PROVIDER, .name = "Demo NPQ Provider"}, now);
    int64_t partner = organisation(store,
                                   (struct organisation){.kind = ORG_DELIVERY_PARTNER,
                                                         .name = "North West Teaching School Hub",
                                                         .regions_served = "North West; Merseyside"},
                                   now);
    int64_t trust = organisation(store, (struct organisation){.kind = ORG_TRUST, .name = "Mersey Learning Trust"}, now);
    int64_t school = organisation(store,
                                  (struct organisation){.kind = ORG_SCHOOL,
                                                        .name = "Riverside Primary School",
                                                        .urn = "100001",
                                                        .local_authority = "Liverpool",
                                                        .region = "North West",
                                                        .phase = "Primary",
                                                        .trust_id = trust},
                                  now);
    static const struct {
        const char *email, *name;
        enum role role;
        char where; /* 'p' the partner, 's' the school, 0 none */
    } people[] = {
        {"admin@demo.npq.test", "Ada Administrator", ROLE_ADMIN, 0},
        {"partner.lead@demo.npq.test", "Priya Partner-Lead", ROLE_PARTNER_LEAD, 'p'},
        {"facilitator@demo.npq.test", "Femi Facilitator", ROLE_FACILITATOR, 'p'},
        {"coach@demo.npq.test", "Carys Coach", ROLE_COACH, 0},
        {"assessor@demo.npq.test", "Arun Assessor", ROLE_ASSESSOR, 0},
        {"participant@demo.npq.test", "Pat Participant", ROLE_PARTICIPANT, 's'},
        {"mentor@demo.npq.test", "Morgan Mentor", ROLE_MENTOR, 's'},
        {"headteacher@demo.npq.test", "Hana Headteacher", ROLE_HEADTEACHER, 's'},
    };
    int64_t ids[sizeof(people) / sizeof(people[0])];
    int rc = 0;
    for (size_t i = 0; i < sizeof(people) / sizeof(people[0]); i++) {
        int64_t org = people[i].where == 'p' ? partner : people[i].where == 's' ? school : 0;
        enum organisation_kind kind;
        ids[i] = person(&env, people[i].email, people[i].name, people[i].role, org,
                        role_scope_kind(people[i].role, &kind) ? org : 0);
        if (ids[i] == 0)
            rc = 1;
    }
    /* The participant's coach and mentor look after them. */
    int64_t id;
    if (ids[3] && ids[5])
        store_assignment_create(store, &demo_actor, ROLE_COACH, ids[3], ids[5], now, &id);
    if (ids[6] && ids[5])
        store_assignment_create(store, &demo_actor, ROLE_MENTOR, ids[6], ids[5], now, &id);
    store_close(store);
    if (rc == 0) {
        printf("Demo sign-ins (password for all: %s)\n", DEMO_PASSWORD);
        for (size_t i = 0; i < sizeof(people) / sizeof(people[0]); i++)
            printf("  %-24s %s\n", role_title(people[i].role), people[i].email);
    }
    return rc;
}
