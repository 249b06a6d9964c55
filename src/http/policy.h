/*
 * Permissions: what a route needs before its handler may run.
 *
 * Each route names one permission; the gate decides it for the caller before the handler runs,
 * denying by default. The catalogue is public; accounts add the permissions that need a
 * signed-in caller and a scope (a partner's cohorts, a coach's participants...).
 */
#ifndef NPQ_HTTP_POLICY_H
#define NPQ_HTTP_POLICY_H

enum permission {
    PERM_PUBLIC, /* anyone, signed in or not: the catalogue, health, assets */
};

/* The permission's name as documented (OpenAPI x-permission, the authorization tests). */
const char *permission_name(enum permission permission);

#endif
