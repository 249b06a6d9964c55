'use strict';
/*
 * The authorization matrix: for every route of `npq routes`, who may use it.
 *
 *   NPQ_BIN=build/npq node --test --test-concurrency=1 tests/api/authz_matrix.test.js
 *
 * EXPECTED below is the policy written down a second time, by hand: for each route, which of the
 * callers (anonymous and one demo person per role) are allowed; a caller not in the list is
 * denied. The test asks the real server as each of them and compares. A route in `npq routes` without a row here fails the test, so a new
 * route cannot ship without someone deciding who may use it; a row for a route that no longer
 * exists fails too.
 *
 * How a request is judged (the gate's order is route, method, authentication, CSRF, the record's
 * scope, the handler):
 *   denied   401, 403, a 303 to /sign-in?next=..., or 404 for a record outside the caller's scope
 *   allowed  anything else (200, 201, 204, 303 elsewhere, 409, 422...), except a 404 for a record
 *            that exists and is in the caller's scope, which is a failure; 5xx is always a failure
 * API routes are called with the caller's API token, pages with their signed-in session (and its
 * CSRF token); anonymous has neither (on pages a visitor cookie, so public forms can be posted).
 *
 * Routes that touch one record (resource user, token, organisation, application, enrolment,
 * venue, cohort, event, coaching session, submission, assignment, task, award) are asked twice
 * per caller: with a record in the caller's scope ("mine") and one outside it ("other"), chosen
 * per caller in TARGETS. Every route with an {id} names its kind of record, so the gate decides
 * (a row could name a handler-scoped one as `record`; none does today). Unsafe requests carry bodies that are
 * invalid or harmless, so a row cannot disturb the next; the few that destroy something (revoking
 * roles and tokens, ending assignments, signing out everywhere) use records made for the purpose
 * where they can, and run last, with the administrator after everyone else.
 */
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');

const { spawn } = require('node:child_process');
const path = require('node:path');

const { NPQ_BIN, REPO } = require('./helpers');
const { demoEmail, ROLES, visitor, signIn, apiAs, startDemoServer, countLinks, waitForLink } = require('./auth_helpers');

const CALLERS = ['anonymous', ...ROLES];

/* Who is allowed, by the permission names of policy.h. */
const EVERYONE = CALLERS;
const SIGNED_IN = ROLES;
const ADMIN = ['admin'];
const ADMIN_PL = ['admin', 'partner_lead'];
const NOBODY = [];
/* Those who watch over participants' progress (each sees only their own: tests/api/progress_lists.test.js). */
const WATCHERS = ['admin', 'partner_lead', 'coach', 'mentor', 'headteacher'];

/* Forum records for each caller: their cohort's (1) and another's (2); people on no cohort have
 * everyone's forum (p) as theirs. */
function forumTargets(prefix) {
  const cohort = { mine: `${prefix}1`, other: `${prefix}2` };
  const provider = { mine: `${prefix}p`, other: `${prefix}1` };
  return {
    anonymous: cohort,
    admin: cohort,
    partner_lead: cohort,
    facilitator: cohort,
    coach: cohort,
    assessor: provider,
    participant: cohort,
    mentor: provider,
    headteacher: provider,
  };
}

/*
 * The records each caller is tested with, for routes that touch one: "mine" is in their scope,
 * "other" is outside it (null: there is none to test). Keys name people (ids), applications and
 * enrolments made in before().
 */
const TARGETS = {
  user: {
    anonymous: { mine: 'participant', other: 'elsewhere' },
    admin: { mine: 'participant', other: 'elsewhere' }, // administrators see everyone
    partner_lead: { mine: 'facilitator', other: 'participant' }, // a facilitator of their partner; a participant elsewhere
    facilitator: { mine: 'facilitator', other: 'partner_lead' }, // themselves; not even their own partner lead
    coach: { mine: 'participant', other: 'elsewhere' }, // the participant they coach; one they do not
    assessor: { mine: 'assessor', other: 'participant' },
    participant: { mine: 'participant', other: 'headteacher' }, // themselves; not their own headteacher
    mentor: { mine: 'participant', other: 'elsewhere' }, // their mentee; someone else
    headteacher: { mine: 'participant', other: 'elsewhere' }, // a participant at their school; one elsewhere
  },
  application: {
    anonymous: { mine: 'a1', other: 'a2' },
    admin: { mine: 'a1', other: 'a2' },
    partner_lead: { mine: 'a1', other: 'a2' }, // a1 prefers their partner
    facilitator: { mine: 'af', other: 'a1' }, // their own draft; not their partner's applicants
    coach: { mine: 'a1', other: 'a2' }, // a1 is their coachee's
    assessor: { mine: 'aa', other: 'a1' },
    participant: { mine: 'a1', other: 'a2' },
    mentor: { mine: 'a1', other: 'a2' },
    headteacher: { mine: 'a1', other: 'a2' }, // a1 is at their school, and they are its sponsor
  },
  enrolment: {
    anonymous: { mine: 'e1', other: 'e2' },
    admin: { mine: 'e1', other: 'e2' },
    partner_lead: { mine: 'e1', other: 'e2' }, // e1's cohort is their partner's
    facilitator: { mine: null, other: 'e1' },
    coach: { mine: 'e1', other: 'e2' },
    assessor: { mine: null, other: 'e1' },
    participant: { mine: 'e1', other: 'e2' },
    mentor: { mine: 'e1', other: 'e2' },
    headteacher: { mine: 'e1', other: 'e2' },
  },
  venue: Object.fromEntries(CALLERS.map((c) => [c, { mine: 'v1', other: 'v2' }])), // v1 is the demo partner's
  // c1 is the demo partner's cohort (staff: the demo facilitator and coach; the demo participant
  // enrolled), c2 another partner's; ev1 and ev2 are events of each.
  cohort: {
    anonymous: { mine: 'c1', other: 'c2' },
    admin: { mine: 'c1', other: 'c2' },
    partner_lead: { mine: 'c1', other: 'c2' },
    facilitator: { mine: 'c1', other: 'c2' },
    coach: { mine: 'c1', other: 'c2' },
    assessor: { mine: null, other: 'c1' },
    participant: { mine: 'c1', other: 'c2' },
    mentor: { mine: null, other: 'c1' }, // a participant's mentor is not on their cohort
    headteacher: { mine: null, other: 'c1' },
  },
  event: {
    anonymous: { mine: 'ev1', other: 'ev2' },
    admin: { mine: 'ev1', other: 'ev2' },
    partner_lead: { mine: 'ev1', other: 'ev2' },
    facilitator: { mine: 'ev1', other: 'ev2' },
    coach: { mine: 'ev1', other: 'ev2' },
    assessor: { mine: null, other: 'ev1' },
    participant: { mine: 'ev1', other: 'ev2' },
    mentor: { mine: null, other: 'ev1' },
    headteacher: { mine: null, other: 'ev1' },
  },
  // cs1: the demo coach with the demo participant; cs2: another coach with someone elsewhere.
  coaching_session: {
    anonymous: { mine: 'cs1', other: 'cs2' },
    admin: { mine: 'cs1', other: 'cs2' },
    partner_lead: { mine: null, other: 'cs1' },
    facilitator: { mine: null, other: 'cs1' },
    coach: { mine: 'cs1', other: 'cs2' },
    assessor: { mine: null, other: 'cs1' },
    participant: { mine: 'cs1', other: 'cs2' },
    mentor: { mine: null, other: 'cs1' },
    headteacher: { mine: null, other: 'cs1' },
  },
  // s1: the demo participant's work (submitted, with a file f1), which the demo coach coaches;
  // s2: someone else's (submitted, with a file f2). Assessors and administrators see all work.
  submission: {
    anonymous: { mine: 's1', other: 's2' },
    admin: { mine: 's1', other: 's2' },
    partner_lead: { mine: null, other: 's1' },
    facilitator: { mine: null, other: 's1' },
    coach: { mine: 's1', other: 's2' },
    assessor: { mine: 's1', other: 's2' }, // both are theirs to see: "other" only names the second one
    participant: { mine: 's1', other: 's2' },
    mentor: { mine: null, other: 's1' }, // a mentor, or a headteacher, is not shown a mentee's work
    headteacher: { mine: null, other: 's1' },
  },
  // Awards: aw1 is the demo participant's, aw2 someone else's. Only administrators and the
  // person awarded open one.
  award: {
    anonymous: { mine: 'aw1', other: 'aw2' },
    admin: { mine: 'aw1', other: 'aw2' },
    partner_lead: { mine: null, other: 'aw1' },
    facilitator: { mine: null, other: 'aw1' },
    coach: { mine: null, other: 'aw1' }, // they see the person, not the award
    assessor: { mine: null, other: 'aw1' },
    participant: { mine: 'aw1', other: 'aw2' },
    mentor: { mine: null, other: 'aw1' },
    headteacher: { mine: null, other: 'aw1' },
  },
  // Assignments and tasks have no scope: who may use them is decided by role alone.
  assignment: Object.fromEntries(CALLERS.map((c) => [c, { mine: 'as1', other: null }])),
  task: Object.fromEntries(CALLERS.map((c) => [c, { mine: 't1', other: null }])),
  // Content items are everyone's to read: who may change one is decided by role alone.
  content_item: Object.fromEntries(CALLERS.map((c) => [c, { mine: 'ci1', other: null }])),
  // Forums: f1 is c1's (its participant, facilitator, coach and partner lead belong; the facilitator
  // and the lead moderate), f2 is c2's, fp everyone's (moderated by administrators only). Threads
  // t1, t2, tp and posts p1 (by the demo participant), p2, pp (by the administrator) are in each;
  // reports r1 of p1 and r2 of p2.
  forum: forumTargets('f'),
  forum_thread: forumTargets('t'),
  forum_post: forumTargets('p'),
  forum_report: {
    anonymous: { mine: 'r1', other: 'r2' },
    admin: { mine: 'r1', other: 'r2' },
    partner_lead: { mine: 'r1', other: 'r2' },
    facilitator: { mine: 'r1', other: 'r2' },
    coach: { mine: null, other: 'r1' },
    assessor: { mine: null, other: 'r1' },
    participant: { mine: null, other: 'r1' },
    mentor: { mine: null, other: 'r1' },
    headteacher: { mine: null, other: 'r1' },
  },
  // Organisations have no scope: who may read them is decided by role alone.
  organisation: Object.fromEntries(CALLERS.map((c) => [c, { mine: 'school', other: null }])),
  // A token of the caller's own ("mine") and one of someone else's, made per route in before().
  token: Object.fromEntries(CALLERS.map((c) => [c, { mine: 'mine', other: 'other' }])),
};

/*
 * A partner's local variant is scoped by its handler: vMine is an item with a variant for the demo
 * partner (whose people and cohort participants read it), vOther another item with one for the
 * other partner.
 */
const VARIANT_TARGETS = {
  anonymous: { mine: 'vMine', other: 'vOther' },
  admin: { mine: 'vMine', other: 'vOther' },
  partner_lead: { mine: 'vMine', other: 'vOther' },
  facilitator: { mine: 'vMine', other: 'vOther' },
  coach: { mine: null, other: 'vMine' }, // cohort staff, but no role at the partner
  assessor: { mine: null, other: 'vMine' },
  participant: { mine: 'vMine', other: 'vOther' },
  mentor: { mine: null, other: 'vMine' },
  headteacher: { mine: null, other: 'vMine' },
};

/* Targets of the administrator for rows that change the person: people made to be changed. */
const ADMIN_ON_SPARES = { admin: { mine: 'spare1', other: 'spare2' } };

/* A learning log is open to the facilitators of the enrolment's cohort too (e1 is in c1). */
const ACTIVITY_TARGETS = { facilitator: { mine: 'e1', other: 'e2' } };

/* Booking is for the cohort's participants: its staff see the event, but for booking it is not theirs. */
const BOOKING_TARGETS = Object.fromEntries(['partner_lead', 'facilitator', 'coach'].map((c) => [c, { mine: null, other: 'ev1' }]));

const FUTURE = { starts_at: '2027-03-01T09:00:00Z', ends_at: '2027-03-01T10:00:00Z' };

/*
 * One row a route: the permission and resource `npq routes` must declare, who is allowed (for
 * routes with a record, separately with "mine" and "other"), URL parameters beyond the record,
 * and a body for unsafe methods. last: run after every other row.
 */
const EXPECTED = {
  /* Catalogue and health: public. */
  'GET /api/v1/health': { perm: 'public', allow: EVERYONE },
  'GET /api/v1/openapi.json': { perm: 'public', allow: EVERYONE },
  'GET /api/v1/qualifications': { perm: 'public', allow: EVERYONE },
  'GET /api/v1/qualifications/{code}': { perm: 'public', allow: EVERYONE, params: { code: 'NPQSL' } },
  'GET /api/v1/modules': { perm: 'public', allow: EVERYONE },
  'GET /api/v1/modules/{code}': { perm: 'public', allow: EVERYONE, params: { code: 'leading-teaching' } },
  'GET /api/v1/frameworks': { perm: 'public', allow: EVERYONE },
  'GET /api/v1/frameworks/{code}': { perm: 'public', allow: EVERYONE, params: { code: 'npqsl' } },

  /* People. */
  'GET /api/v1/me': { perm: 'signed_in', allow: SIGNED_IN },
  'GET /api/v1/me/home': { perm: 'signed_in', allow: SIGNED_IN },
  'GET /api/v1/users': { perm: 'users.read', allow: SIGNED_IN },
  'POST /api/v1/users': { perm: 'users.manage', allow: ADMIN, body: { email: 'not-an-email', name: '', role: 'participant' } },
  'GET /api/v1/users/{id}': { perm: 'users.read', resource: 'user', mine: SIGNED_IN, other: ADMIN },
  'PATCH /api/v1/users/{id}': {
    perm: 'users.manage',
    resource: 'user',
    mine: ADMIN,
    other: ADMIN,
    body: (ctx, key) => ({ name: ctx.names[key] }), // the name it has: no change
  },
  'POST /api/v1/users/{id}/roles': { perm: 'users.manage', resource: 'user', mine: ADMIN, other: ADMIN, body: { role: 'not-a-role' } },
  'DELETE /api/v1/users/{id}/roles/{grant}': {
    perm: 'users.manage',
    resource: 'user',
    mine: ADMIN,
    other: ADMIN,
    params: { grant: (ctx, key) => ctx.grants[key] }, // the person's real role: destructive when allowed
    targets: ADMIN_ON_SPARES,
    last: true,
  },
  'POST /api/v1/users/{id}/invitation': { perm: 'users.manage', resource: 'user', mine: ADMIN, other: ADMIN, targets: ADMIN_ON_SPARES },
  'GET /api/v1/users/{id}/assignments': { perm: 'users.read', resource: 'user', mine: SIGNED_IN, other: ADMIN },
  'POST /api/v1/assignments': { perm: 'users.manage', allow: ADMIN, body: { kind: 'coach' } },
  'DELETE /api/v1/assignments/{id}': { perm: 'users.manage', resource: 'assignment', mine: ADMIN, other: ADMIN, last: true },

  /* Organisations and imports. */
  'GET /api/v1/organisations': { perm: 'organisations.read', allow: ADMIN_PL },
  'POST /api/v1/organisations': { perm: 'organisations.manage', allow: ADMIN, body: { kind: 'school', name: 'Matrix School', urn: '12' } },
  'GET /api/v1/organisations/{id}': { perm: 'organisations.read', resource: 'organisation', mine: ADMIN_PL, other: NOBODY },
  'PATCH /api/v1/organisations/{id}': { perm: 'organisations.manage', resource: 'organisation', mine: ADMIN, other: NOBODY, body: {} },
  'POST /api/v1/imports/schools': {
    perm: 'organisations.manage',
    allow: ADMIN,
    query: '?dry_run=true',
    body: 'name,urn\nMatrix Academy,123\n',
    contentType: 'text/csv',
  },
  'POST /api/v1/imports/users': {
    perm: 'users.manage',
    allow: ADMIN,
    query: '?dry_run=true',
    body: 'email,name,role\nnot-an-email,Nobody,participant\n',
    contentType: 'text/csv',
  },

  /* Applications, enrolments, pathways and the programme. */
  'GET /api/v1/applications': { perm: 'applications', allow: SIGNED_IN },
  'POST /api/v1/applications': { perm: 'applications', allow: SIGNED_IN, body: { kind: 'qualification', target: 'NOT-A-QUALIFICATION' } },
  'GET /api/v1/applications/{id}': { perm: 'applications', resource: 'application', mine: SIGNED_IN, other: ADMIN },
  // Only the applicant (or an administrator) may change answers; those who may only see it are refused.
  'PATCH /api/v1/applications/{id}': {
    perm: 'applications',
    resource: 'application',
    mine: ['admin', 'facilitator', 'assessor', 'participant'],
    other: ADMIN,
    body: {},
  },
  // Approving is for the named sponsor (the headteacher of a1) and administrators.
  'POST /api/v1/applications/{id}/{step}': {
    perm: 'applications',
    resource: 'application',
    mine: ['admin', 'headteacher'],
    other: ADMIN,
    params: { step: 'approve' },
  },
  'GET /api/v1/enrolments': { perm: 'enrolments.read', allow: SIGNED_IN },
  'GET /api/v1/enrolments/{id}': { perm: 'enrolments.read', resource: 'enrolment', mine: SIGNED_IN, other: ADMIN },
  'GET /api/v1/enrolments/{id}/declarations': {
    perm: 'enrolments.manage',
    resource: 'enrolment',
    mine: ADMIN_PL,
    other: ADMIN,
  },
  // The DfE's records and the sync: administrators alone. Bodies name no declaration: 422.
  'GET /api/v1/enrolments/{id}/declarations/made': { perm: 'programme.manage', resource: 'enrolment', mine: ADMIN, other: ADMIN },
  'POST /api/v1/enrolments/{id}/declarations': { perm: 'programme.manage', resource: 'enrolment', mine: ADMIN, other: ADMIN, body: {} },
  'POST /api/v1/enrolments/{id}/declarations/void': { perm: 'programme.manage', resource: 'enrolment', mine: ADMIN, other: ADMIN, body: {} },
  'POST /api/v1/enrolments/{id}/declarations/retry': { perm: 'programme.manage', resource: 'enrolment', mine: ADMIN, other: ADMIN, body: {} },
  'GET /api/v1/dfe': { perm: 'programme.manage', allow: ADMIN },
  'GET /api/v1/dfe/declarations': { perm: 'programme.manage', allow: ADMIN },
  'POST /api/v1/dfe/sync': { perm: 'programme.manage', allow: ADMIN }, // 409: not configured
  'GET /api/v1/dfe/sync-log': { perm: 'programme.manage', allow: ADMIN },
  'POST /api/v1/enrolments/{id}/schedule': {
    perm: 'enrolments.manage',
    resource: 'enrolment',
    mine: ADMIN_PL,
    other: ADMIN,
    body: {}, // no schedule named: 422 for whoever may try
  },
  'POST /api/v1/enrolments/{id}/{step}': {
    perm: 'enrolments.manage',
    resource: 'enrolment',
    mine: ADMIN_PL,
    other: ADMIN,
    params: { step: 'resume' }, // an active enrolment cannot resume: 409 for whoever may try
    body: {},
  },
  'GET /api/v1/participants/{id}/pathway': { perm: 'users.read', resource: 'user', mine: SIGNED_IN, other: ADMIN },
  'POST /api/v1/participants/{id}/completions': {
    perm: 'programme.manage',
    resource: 'user',
    mine: ADMIN,
    other: ADMIN,
    body: { module: 'not-a-module' },
  },
  'GET /api/v1/cohorts': { perm: 'cohorts.read', allow: SIGNED_IN },
  'POST /api/v1/cohorts': { perm: 'programme.manage', allow: ADMIN, body: {} },
  'GET /api/v1/fees': { perm: 'public', allow: EVERYONE },
  'PUT /api/v1/fees': { perm: 'programme.manage', allow: ADMIN, body: {} },
  'GET /api/v1/reports/funding': { perm: 'programme.manage', allow: ADMIN },
  'GET /api/v1/exports/applications.csv': { perm: 'programme.manage', allow: ADMIN },
  'GET /api/v1/exports/enrolments.csv': { perm: 'programme.manage', allow: ADMIN },

  /* API tokens and the audit log. */
  'GET /api/v1/tokens': { perm: 'signed_in', allow: SIGNED_IN },
  'POST /api/v1/tokens': { perm: 'signed_in', allow: SIGNED_IN, body: { name: 'matrix' } },
  'DELETE /api/v1/tokens/{id}': { perm: 'signed_in', resource: 'token', mine: SIGNED_IN, other: ADMIN, last: true },
  'GET /api/v1/audit-events': { perm: 'audit.read', allow: ADMIN },

  /* Public pages. */
  'GET /': { perm: 'public', allow: EVERYONE },
  'GET /qualifications': { perm: 'public', allow: EVERYONE },
  'GET /qualifications/{code}': { perm: 'public', allow: EVERYONE, params: { code: 'NPQSL' } },
  'GET /modules/{code}': { perm: 'public', allow: EVERYONE, params: { code: 'leading-teaching' } },
  'GET /frameworks': { perm: 'public', allow: EVERYONE },
  'GET /frameworks/{code}': { perm: 'public', allow: EVERYONE, params: { code: 'npqsl' } },
  'GET /assets/{path*}': { perm: 'public', kind: 'asset', allow: EVERYONE, params: { path: 'app.js' } },

  /* Signing in, links from emails, the account page. */
  'GET /sign-in': { perm: 'public', allow: EVERYONE },
  'POST /sign-in': { perm: 'public', allow: EVERYONE, form: { email: '', password: '' } }, // 422: nobody signs in or out
  'POST /sign-out': { perm: 'signed_in', allow: SIGNED_IN, freshSession: true },
  'GET /password-reset': { perm: 'public', allow: EVERYONE },
  'POST /password-reset': { perm: 'public', allow: EVERYONE, form: { email: 'nobody@example.test' } },
  'GET /password-reset/{token}': { perm: 'public', allow: EVERYONE, params: { token: (ctx) => ctx.resetToken } },
  'POST /password-reset/{token}': {
    perm: 'public',
    allow: EVERYONE,
    params: { token: (ctx) => ctx.resetToken },
    form: { password: 'short', confirmation: 'short' }, // refused: the link stays unused
  },
  'GET /invitation/{token}': { perm: 'public', allow: EVERYONE, params: { token: (ctx) => ctx.inviteToken } },
  'POST /invitation/{token}': {
    perm: 'public',
    allow: EVERYONE,
    params: { token: (ctx) => ctx.inviteToken },
    form: { password: 'short', confirmation: 'short' },
  },
  'GET /account': { perm: 'signed_in', allow: SIGNED_IN },
  'GET /hours': { perm: 'signed_in', allow: SIGNED_IN },
  'POST /account/tokens': { perm: 'signed_in', allow: SIGNED_IN, form: { name: 'matrix page' } },
  'POST /account/tokens/{id}/revoke': { perm: 'signed_in', resource: 'token', mine: SIGNED_IN, other: ADMIN, last: true },
  // Ends every session of the caller, the matrix's own included: the very last row.
  'POST /account/sign-out-everywhere': { perm: 'signed_in', allow: SIGNED_IN, freshSession: true, last: 2 },

  /* Administration pages. */
  'GET /admin/users': { perm: 'users.read', allow: SIGNED_IN },
  'GET /admin/users/new': { perm: 'users.manage', allow: ADMIN },
  'POST /admin/users/new': { perm: 'users.manage', allow: ADMIN, form: { email: 'not-an-email', name: '', role: '' } },
  'GET /admin/users/{id}': { perm: 'users.read', resource: 'user', mine: SIGNED_IN, other: ADMIN },
  'POST /admin/users/{id}/roles': { perm: 'users.manage', resource: 'user', mine: ADMIN, other: ADMIN, form: { role: '' } },
  'POST /admin/users/{id}/roles/{grant}/revoke': {
    perm: 'users.manage',
    resource: 'user',
    mine: ADMIN,
    other: ADMIN,
    params: { grant: (ctx, key) => ctx.grants[key] },
    targets: ADMIN_ON_SPARES,
    last: true,
  },
  'POST /admin/users/{id}/active': { perm: 'users.manage', resource: 'user', mine: ADMIN, other: ADMIN, form: { active: '' } },
  'POST /admin/users/{id}/invitation': { perm: 'users.manage', resource: 'user', mine: ADMIN, other: ADMIN, targets: ADMIN_ON_SPARES },
  'POST /admin/users/{id}/assignments': { perm: 'users.manage', resource: 'user', mine: ADMIN, other: ADMIN, form: { kind: '' } },
  'POST /admin/users/{id}/assignments/{assignment}/delete': {
    perm: 'users.manage',
    resource: 'user',
    mine: ADMIN,
    other: ADMIN,
    params: { assignment: '999999' }, // none such: "already removed"
  },
  'GET /admin/organisations': { perm: 'organisations.read', allow: ADMIN_PL },
  'GET /admin/organisations/new': { perm: 'organisations.manage', allow: ADMIN },
  'POST /admin/organisations/new': { perm: 'organisations.manage', allow: ADMIN, form: { kind: '' } },
  'GET /admin/organisations/{id}': { perm: 'organisations.read', resource: 'organisation', mine: ADMIN_PL, other: NOBODY },
  'POST /admin/organisations/{id}': { perm: 'organisations.manage', resource: 'organisation', mine: ADMIN, other: NOBODY, form: {} },
  'GET /admin/imports': { perm: 'users.manage', allow: ADMIN },
  'POST /admin/imports': { perm: 'users.manage', allow: ADMIN, form: { action: '' } },
  'GET /admin/audit': { perm: 'audit.read', allow: ADMIN },
  'GET /admin/awards': { perm: 'assessment.manage', allow: ADMIN },
  'GET /admin/dfe': { perm: 'programme.manage', allow: ADMIN },
  'POST /admin/dfe/sync': { perm: 'programme.manage', allow: ADMIN, form: {} }, // 409: not configured
  'POST /admin/dfe/enrolments/{id}/declarations': { perm: 'programme.manage', resource: 'enrolment', mine: ADMIN, other: ADMIN, form: {} },
  'POST /admin/dfe/enrolments/{id}/declarations/void': { perm: 'programme.manage', resource: 'enrolment', mine: ADMIN, other: ADMIN, form: {} },
  'POST /admin/dfe/enrolments/{id}/declarations/retry': { perm: 'programme.manage', resource: 'enrolment', mine: ADMIN, other: ADMIN, form: {} },

  /* Applications, enrolments and pathways as pages. */
  'GET /apply': { perm: 'applications', allow: SIGNED_IN },
  'POST /apply': { perm: 'applications', allow: SIGNED_IN, form: { choice: 'NOT-A-QUALIFICATION' } }, // 422: no draft made
  'GET /applications': { perm: 'applications', allow: SIGNED_IN },
  'GET /applications/{id}': { perm: 'applications', resource: 'application', mine: SIGNED_IN, other: ADMIN },
  // Answers are the applicant's (or an administrator's) to see in the form and change.
  'GET /applications/{id}/edit': {
    perm: 'applications',
    resource: 'application',
    mine: ['admin', 'facilitator', 'assessor', 'participant'],
    other: ADMIN,
  },
  'POST /applications/{id}/edit': {
    perm: 'applications',
    resource: 'application',
    mine: ['admin', 'facilitator', 'assessor', 'participant'],
    other: ADMIN,
    form: { job_role: 'Matrix tester' },
  },
  'GET /applications/{id}/check': {
    perm: 'applications',
    resource: 'application',
    mine: ['admin', 'facilitator', 'assessor', 'participant'],
    other: ADMIN,
  },
  'POST /applications/{id}/{step}': {
    perm: 'applications',
    resource: 'application',
    mine: ['admin', 'headteacher'],
    other: ADMIN,
    params: { step: 'approve' },
  },
  'GET /enrolments/{id}': { perm: 'enrolments.read', resource: 'enrolment', mine: SIGNED_IN, other: ADMIN },
  'POST /enrolments/{id}/schedule': {
    perm: 'enrolments.manage',
    resource: 'enrolment',
    mine: ADMIN_PL,
    other: ADMIN,
    form: {},
  },
  'GET /enrolments/{id}/complete': { perm: 'enrolments.manage', resource: 'enrolment', mine: ADMIN_PL, other: ADMIN },
  'POST /enrolments/{id}/{step}': {
    perm: 'enrolments.manage',
    resource: 'enrolment',
    mine: ADMIN_PL,
    other: ADMIN,
    params: { step: 'resume' },
  },
  'GET /participants/{id}/pathway': { perm: 'users.read', resource: 'user', mine: SIGNED_IN, other: ADMIN },
  'GET /participants/{id}/completions': { perm: 'programme.manage', resource: 'user', mine: ADMIN, other: ADMIN },
  'POST /participants/{id}/completions': { perm: 'programme.manage', resource: 'user', mine: ADMIN, other: ADMIN, form: {} },
  'GET /programme/fees': { perm: 'programme.manage', allow: ADMIN },
  'POST /programme/fees': { perm: 'programme.manage', allow: ADMIN, form: {} },
  'GET /programme/reports': { perm: 'programme.manage', allow: ADMIN },
  'GET /programme/credits': { perm: 'assessment.manage', allow: ADMIN },
  'POST /programme/credits': { perm: 'assessment.manage', allow: ADMIN, form: {} },
  'GET /enrolments/{id}/award': { perm: 'assessment.manage', resource: 'enrolment', mine: ADMIN, other: ADMIN },
  // Not ready to award: 422, nothing made.
  'POST /enrolments/{id}/award': { perm: 'assessment.manage', resource: 'enrolment', mine: ADMIN, other: ADMIN, form: {} },

  /* Delivery: venues, cohorts and their staff, events, bookings and attendance. */
  'GET /api/v1/venues': { perm: 'delivery.read', allow: SIGNED_IN },
  'POST /api/v1/venues': { perm: 'delivery.manage', allow: ADMIN_PL, body: {} },
  'GET /api/v1/venues/{id}': { perm: 'delivery.read', resource: 'venue', mine: SIGNED_IN, other: SIGNED_IN }, // no secret
  'PATCH /api/v1/venues/{id}': { perm: 'delivery.manage', resource: 'venue', mine: ADMIN_PL, other: ADMIN, body: {} },
  'GET /api/v1/delivery-partners': { perm: 'delivery.read', allow: SIGNED_IN },
  'GET /api/v1/cohorts/{id}': {
    perm: 'delivery.read',
    resource: 'cohort',
    mine: ['admin', 'partner_lead', 'facilitator', 'coach', 'participant'],
    other: ADMIN,
  },
  'POST /api/v1/cohorts/{id}/staff': { perm: 'delivery.manage', resource: 'cohort', mine: ADMIN_PL, other: ADMIN, body: { role: 'wizard' } },
  'DELETE /api/v1/cohorts/{id}/staff/{user}/{role}': {
    perm: 'delivery.manage',
    resource: 'cohort',
    mine: ADMIN_PL,
    other: ADMIN,
    // A coach put on the cohort for each caller who may remove one.
    params: { user: (ctx, key, caller) => ctx.removableStaff[key][caller] ?? ctx.removableStaff[key].admin, role: 'coach' },
    last: true,
  },
  // An empty change changes nothing.
  'PATCH /api/v1/cohorts/{id}': { perm: 'programme.manage', resource: 'cohort', mine: ADMIN, other: ADMIN, body: {} },
  'GET /api/v1/events': { perm: 'delivery.read', allow: SIGNED_IN },
  'POST /api/v1/events': { perm: 'delivery.manage', allow: ADMIN_PL, body: {} },
  'GET /api/v1/events/{id}': {
    perm: 'delivery.read',
    resource: 'event',
    mine: ['admin', 'partner_lead', 'facilitator', 'coach', 'participant'],
    other: ADMIN,
  },
  'GET /api/v1/events/{id}/ics': {
    perm: 'delivery.read',
    resource: 'event',
    mine: ['admin', 'partner_lead', 'facilitator', 'coach', 'participant'],
    other: ADMIN,
  },
  'PATCH /api/v1/events/{id}': { perm: 'delivery.manage', resource: 'event', mine: ADMIN_PL, other: ADMIN, body: {} },
  'POST /api/v1/events/{id}/cancel': { perm: 'delivery.manage', resource: 'event', mine: ADMIN_PL, other: ADMIN, last: true },
  // The register: the cohort's staff (not its coaches) and the partner.
  'GET /api/v1/events/{id}/bookings': { perm: 'attendance', resource: 'event', mine: ['admin', 'partner_lead', 'facilitator'], other: ADMIN },
  'GET /api/v1/events/{id}/attendance': { perm: 'attendance', resource: 'event', mine: ['admin', 'partner_lead', 'facilitator'], other: ADMIN },
  'PUT /api/v1/events/{id}/attendance': {
    perm: 'attendance',
    resource: 'event',
    mine: ['admin', 'partner_lead', 'facilitator'],
    other: ADMIN,
    body: { marks: [] },
  },
  // Booking a place: participants of the cohort, and administrators.
  'POST /api/v1/events/{id}/bookings': {
    perm: 'booking',
    resource: 'event',
    mine: ['admin', 'participant'],
    other: ADMIN,
    targets: BOOKING_TARGETS,
    body: {},
  },
  'DELETE /api/v1/events/{id}/bookings/{user}': {
    perm: 'booking',
    resource: 'event',
    mine: ['admin', 'participant'],
    other: ADMIN,
    params: { user: (ctx, key) => ctx.booked[key] }, // the participant's own booking; the administrator cancels ev2's
    targets: { ...BOOKING_TARGETS, admin: { mine: 'ev2', other: null } },
    last: true,
  },

  /* Calendar feeds. */
  'GET /api/v1/calendar-feed': { perm: 'signed_in', allow: SIGNED_IN },
  'POST /api/v1/calendar-feed': { perm: 'signed_in', allow: SIGNED_IN },
  'DELETE /api/v1/calendar-feed': { perm: 'signed_in', allow: SIGNED_IN }, // after POST: each caller has one
  'GET /calendar/{token}': { perm: 'public', allow: EVERYONE, params: { token: (ctx) => ctx.feedToken } },

  /* Coaching: sessions are their coach's and participant's (and administrators' to see). */
  'GET /api/v1/coaching-sessions': { perm: 'coaching', allow: SIGNED_IN },
  'POST /api/v1/coaching-sessions': {
    perm: 'coaching',
    allow: ['admin', 'coach', 'participant'], // a coach with the participants they coach; a participant with their coach
    body: (ctx) => ({ participant_id: ctx.ids.participant, ...FUTURE, mode: 'online', place: 'https://meet.example.test/matrix' }),
  },
  'GET /api/v1/coaching-sessions/{id}': { perm: 'coaching', resource: 'coaching_session', mine: ['admin', 'coach', 'participant'], other: ADMIN },
  'PATCH /api/v1/coaching-sessions/{id}': { perm: 'coaching', resource: 'coaching_session', mine: ['admin', 'coach'], other: ADMIN, body: {} },
  'POST /api/v1/coaching-sessions/{id}/cancel': {
    perm: 'coaching',
    resource: 'coaching_session',
    mine: ['admin', 'coach', 'participant'],
    other: ADMIN,
    last: true,
  },
  // Notes are the session coach's own, not even an administrator's to write.
  'POST /api/v1/coaching-sessions/{id}/notes': {
    perm: 'coaching',
    resource: 'coaching_session',
    mine: ['coach'],
    other: NOBODY,
    body: { body: 'Matrix note', visibility: 'private' },
  },
  // Actions are agreed between the coach and the participant.
  'POST /api/v1/coaching-sessions/{id}/actions': {
    perm: 'coaching',
    resource: 'coaching_session',
    mine: ['coach', 'participant'],
    other: NOBODY,
    body: { text: 'Read chapter two' },
  },
  'POST /api/v1/coaching-sessions/{id}/actions/{action}/done': {
    perm: 'coaching',
    resource: 'coaching_session',
    mine: ['coach', 'participant'],
    other: NOBODY,
    params: { action: (ctx, key) => ctx.actions[key] },
  },
  'POST /api/v1/coaching-sessions/{id}/actions/{action}/undone': {
    perm: 'coaching',
    resource: 'coaching_session',
    mine: ['coach', 'participant'],
    other: NOBODY,
    params: { action: (ctx, key) => ctx.actions[key] },
  },

  /* Learning logs: read by those who see the participant, written by the participant. */
  'GET /api/v1/enrolments/{id}/activities': {
    perm: 'activities',
    resource: 'enrolment',
    mine: ['admin', 'partner_lead', 'facilitator', 'coach', 'participant', 'mentor', 'headteacher'],
    other: ADMIN,
    targets: ACTIVITY_TARGETS,
  },
  'POST /api/v1/enrolments/{id}/activities': {
    perm: 'activities',
    resource: 'enrolment',
    mine: ['admin', 'participant'],
    other: ADMIN,
    targets: ACTIVITY_TARGETS,
    body: (ctx) => ({ module: 'closing-the-gap', type: 'reading', done_on: ctx.today, hours: 0.25 }),
  },
  'PATCH /api/v1/enrolments/{id}/activities/{activity}': {
    perm: 'activities',
    resource: 'enrolment',
    mine: ['admin', 'participant'],
    other: ADMIN,
    targets: ACTIVITY_TARGETS,
    params: { activity: (ctx, key) => ctx.activities[key] },
    body: { hours: 0.5 },
  },
  'DELETE /api/v1/enrolments/{id}/activities/{activity}': {
    perm: 'activities',
    resource: 'enrolment',
    mine: ['admin', 'participant'],
    other: ADMIN,
    targets: ACTIVITY_TARGETS,
    params: { activity: (ctx, key, caller) => ctx.spareActivities.remove[key][caller] },
    last: true,
  },
  // Verifying hours is for those responsible for the participant's learning, never themselves.
  'POST /api/v1/enrolments/{id}/activities/{activity}/verify': {
    perm: 'activities',
    resource: 'enrolment',
    mine: ['admin', 'partner_lead', 'facilitator', 'coach'],
    other: ADMIN,
    targets: ACTIVITY_TARGETS,
    params: { activity: (ctx, key, caller) => ctx.spareActivities.verify[key][caller] },
    last: true,
  },

  /* The content library: read by everyone signed in, written by administrators; a partner's local
   * variant by its lead, and read by its people and its cohorts' participants. Courses are read by
   * whoever sees the enrolment, and only the participant marks an item done. */
  'GET /api/v1/content': { perm: 'content.read', allow: SIGNED_IN },
  'POST /api/v1/content': { perm: 'content.manage', allow: ADMIN, body: {} },
  'GET /api/v1/content/{id}': { perm: 'content.read', resource: 'content_item', mine: SIGNED_IN, other: NOBODY },
  'PATCH /api/v1/content/{id}': { perm: 'content.manage', resource: 'content_item', mine: ADMIN, other: NOBODY, body: {} },
  'GET /api/v1/content/{id}/variants/{partner}': {
    perm: 'content.read',
    resource: 'content_item',
    targets: VARIANT_TARGETS,
    mine: ['admin', 'partner_lead', 'facilitator', 'participant'],
    other: ADMIN,
    params: { partner: (ctx, key) => ctx.content.partnerOf[key] },
  },
  'PUT /api/v1/content/{id}/variants/{partner}': {
    perm: 'content.manage',
    resource: 'content_item',
    mine: ADMIN_PL,
    other: NOBODY,
    params: { partner: (ctx) => ctx.content.partner },
    body: {},
  },
  // An item's files: read with the item, attached and removed by administrators ({} names no file: 422).
  'GET /api/v1/content/{id}/files': { perm: 'content.read', resource: 'content_item', mine: SIGNED_IN, other: NOBODY },
  'POST /api/v1/content/{id}/files': { perm: 'content.manage', resource: 'content_item', mine: ADMIN, other: NOBODY, body: {} },
  'GET /api/v1/content/{id}/files/{file}': {
    perm: 'content.read',
    resource: 'content_item',
    mine: SIGNED_IN,
    other: NOBODY,
    params: { file: (ctx) => ctx.content.files.read },
  },
  'DELETE /api/v1/content/{id}/files/{file}': {
    perm: 'content.manage',
    resource: 'content_item',
    mine: ADMIN,
    other: NOBODY,
    params: { file: (ctx) => ctx.content.files.api },
    last: true,
  },
  'POST /api/v1/content-units': { perm: 'content.manage', allow: ADMIN, body: {} },
  'GET /api/v1/enrolments/{id}/course': { perm: 'enrolments.read', resource: 'enrolment', mine: SIGNED_IN, other: ADMIN },
  'GET /api/v1/enrolments/{id}/progress': { perm: 'enrolments.read', resource: 'enrolment', mine: SIGNED_IN, other: ADMIN },
  'GET /api/v1/progress': { perm: 'progress.read', allow: WATCHERS },
  'GET /api/v1/progress/cohorts': { perm: 'progress.read', allow: WATCHERS },
  'POST /api/v1/progress/updates': { perm: 'programme.manage', allow: ADMIN },
  'GET /api/v1/enrolments/{id}/coverage': { perm: 'enrolments.read', resource: 'enrolment', mine: SIGNED_IN, other: ADMIN },
  'GET /api/v1/cohorts/{id}/coverage': {
    perm: 'delivery.read',
    resource: 'cohort',
    mine: ['admin', 'partner_lead', 'facilitator', 'coach', 'participant'],
    other: ADMIN,
  },
  /* Support plans: read by those who see the participant and cohort staff, agreed by those who support them. */
  'GET /api/v1/enrolments/{id}/support-plan': {
    perm: 'support.read',
    resource: 'enrolment',
    mine: ['admin', 'partner_lead', 'facilitator', 'coach', 'participant', 'mentor', 'headteacher'],
    other: ADMIN,
    targets: ACTIVITY_TARGETS,
  },
  'PUT /api/v1/enrolments/{id}/support-plan': {
    perm: 'support.manage',
    resource: 'enrolment',
    mine: ['admin', 'partner_lead', 'facilitator', 'coach'],
    other: ADMIN,
    targets: ACTIVITY_TARGETS,
    body: { supporter_id: 0 }, // 409 or 422: nothing is kept
  },
  'GET /api/v1/me/progress-updates': { perm: 'signed_in', allow: SIGNED_IN },
  'PUT /api/v1/me/progress-updates': { perm: 'signed_in', allow: SIGNED_IN, body: { subscribed: 'maybe' } }, // 422: nothing changes
  'GET /api/v1/enrolments/{id}/course/{item}': {
    perm: 'enrolments.read',
    resource: 'enrolment',
    mine: SIGNED_IN,
    other: ADMIN,
    params: { item: (ctx) => ctx.content.item },
  },
  'POST /api/v1/enrolments/{id}/course/{item}/done': {
    perm: 'enrolments.read',
    resource: 'enrolment',
    mine: ['participant'],
    other: NOBODY,
    params: { item: (ctx) => ctx.content.item },
  },
  'GET /api/v1/enrolments/{id}/learning-records': { perm: 'enrolments.read', resource: 'enrolment', mine: SIGNED_IN, other: ADMIN },
  'GET /content': { perm: 'content.read', allow: SIGNED_IN },
  'GET /content/new': { perm: 'content.manage', allow: ADMIN },
  'POST /content/new': { perm: 'content.manage', allow: ADMIN, form: {} },
  'GET /content/units/new': { perm: 'content.manage', allow: ADMIN },
  'POST /content/units/new': { perm: 'content.manage', allow: ADMIN, form: {} },
  'GET /content/{id}': { perm: 'content.read', resource: 'content_item', mine: SIGNED_IN, other: NOBODY },
  'GET /content/{id}/edit': { perm: 'content.manage', resource: 'content_item', mine: ADMIN, other: NOBODY },
  'POST /content/{id}/edit': { perm: 'content.manage', resource: 'content_item', mine: ADMIN, other: NOBODY, form: {} },
  'POST /content/{id}/files': {
    perm: 'content.manage',
    resource: 'content_item',
    mine: ADMIN,
    other: NOBODY,
    upload: { name: 'matrix.txt', type: 'text/plain', data: 'matrix upload' },
  },
  'POST /content/{id}/files/{file}/remove': {
    perm: 'content.manage',
    resource: 'content_item',
    mine: ADMIN,
    other: NOBODY,
    params: { file: (ctx) => ctx.content.files.page },
    last: true,
  },
  'GET /content/{id}/variants/{partner}': {
    perm: 'content.manage',
    resource: 'content_item',
    mine: ADMIN_PL,
    other: NOBODY,
    params: { partner: (ctx) => ctx.content.partner },
  },
  'POST /content/{id}/variants/{partner}': {
    perm: 'content.manage',
    resource: 'content_item',
    mine: ADMIN_PL,
    other: NOBODY,
    params: { partner: (ctx) => ctx.content.partner },
    form: {},
  },
  'GET /enrolments/{id}/course': { perm: 'enrolments.read', resource: 'enrolment', mine: SIGNED_IN, other: ADMIN },
  'GET /enrolments/{id}/progress': { perm: 'enrolments.read', resource: 'enrolment', mine: SIGNED_IN, other: ADMIN },
  'GET /progress': { perm: 'progress.read', allow: WATCHERS },
  'GET /progress/cohorts': { perm: 'progress.read', allow: WATCHERS },
  'POST /progress/updates': { perm: 'programme.manage', allow: ADMIN },
  'GET /enrolments/{id}/coverage': { perm: 'enrolments.read', resource: 'enrolment', mine: SIGNED_IN, other: ADMIN },
  'GET /cohorts/{id}/coverage': {
    perm: 'delivery.read',
    resource: 'cohort',
    mine: ['admin', 'partner_lead', 'facilitator', 'coach', 'participant'],
    other: ADMIN,
  },
  'GET /enrolments/{id}/support-plan': {
    perm: 'support.read',
    resource: 'enrolment',
    mine: ['admin', 'partner_lead', 'facilitator', 'coach', 'participant', 'mentor', 'headteacher'],
    other: ADMIN,
    targets: ACTIVITY_TARGETS,
  },
  'POST /enrolments/{id}/support-plan': {
    perm: 'support.manage',
    resource: 'enrolment',
    mine: ['admin', 'partner_lead', 'facilitator', 'coach'],
    other: ADMIN,
    targets: ACTIVITY_TARGETS,
    form: { supporter_id: '' },
  },
  'GET /account/progress-updates': { perm: 'signed_in', allow: SIGNED_IN },
  'POST /account/progress-updates': { perm: 'signed_in', allow: SIGNED_IN, form: { subscribed: 'maybe' } }, // 422: nothing changes
  'GET /enrolments/{id}/course/{item}': {
    perm: 'enrolments.read',
    resource: 'enrolment',
    mine: SIGNED_IN,
    other: ADMIN,
    params: { item: (ctx) => ctx.content.item },
  },
  'POST /enrolments/{id}/course/{item}/done': {
    perm: 'enrolments.read',
    resource: 'enrolment',
    mine: ['participant'],
    other: NOBODY,
    params: { item: (ctx) => ctx.content.item },
    form: {},
  },

  /* Delivery pages: what the API above allows, as pages (forms of {} are refused with 422). */
  'GET /delivery': { perm: 'delivery.read', allow: SIGNED_IN },
  'GET /cohorts/{id}': {
    perm: 'delivery.read',
    resource: 'cohort',
    mine: ['admin', 'partner_lead', 'facilitator', 'coach', 'participant'],
    other: ADMIN,
  },
  'POST /cohorts/{id}/events': { perm: 'delivery.manage', resource: 'cohort', mine: ADMIN_PL, other: ADMIN, form: {} },
  'GET /cohorts/new': { perm: 'programme.manage', allow: ADMIN },
  'POST /cohorts/new': { perm: 'programme.manage', allow: ADMIN, form: {} },
  'GET /cohorts/{id}/edit': { perm: 'programme.manage', resource: 'cohort', mine: ADMIN, other: ADMIN },
  'POST /cohorts/{id}/edit': { perm: 'programme.manage', resource: 'cohort', mine: ADMIN, other: ADMIN, form: {} },
  'POST /cohorts/{id}/staff': { perm: 'delivery.manage', resource: 'cohort', mine: ADMIN_PL, other: ADMIN, form: {} },
  // Somebody who is not on the staff: 409, nothing removed.
  'POST /cohorts/{id}/staff/{user}/{role}/remove': {
    perm: 'delivery.manage',
    resource: 'cohort',
    mine: ADMIN_PL,
    other: ADMIN,
    params: { user: (ctx) => ctx.ids.participant, role: 'coach' },
  },
  'GET /venues': { perm: 'delivery.read', allow: SIGNED_IN },
  'GET /venues/new': { perm: 'delivery.manage', allow: ADMIN_PL },
  'POST /venues/new': { perm: 'delivery.manage', allow: ADMIN_PL, form: {} },
  'GET /venues/{id}/edit': { perm: 'delivery.manage', resource: 'venue', mine: ADMIN_PL, other: ADMIN },
  'POST /venues/{id}/edit': { perm: 'delivery.manage', resource: 'venue', mine: ADMIN_PL, other: ADMIN, form: {} },
  'GET /events/{id}': {
    perm: 'delivery.read',
    resource: 'event',
    mine: ['admin', 'partner_lead', 'facilitator', 'coach', 'participant'],
    other: ADMIN,
  },
  // The participant has a place on ev1 already (409); an administrator is on no cohort (422).
  'POST /events/{id}/book': { perm: 'booking', resource: 'event', mine: ['admin', 'participant'], other: ADMIN, targets: BOOKING_TARGETS },
  // Gives the participant's own place back (or 409: none); administrators have none to give (409).
  'POST /events/{id}/unbook': {
    perm: 'booking',
    resource: 'event',
    mine: ['admin', 'participant'],
    other: ADMIN,
    targets: BOOKING_TARGETS,
    last: true,
  },
  // Nobody chosen: 422 from the form for anyone the gate lets in (the use case refuses a participant).
  'POST /events/{id}/places': { perm: 'booking', resource: 'event', mine: ['admin', 'participant'], other: ADMIN, targets: BOOKING_TARGETS, form: {} },
  'POST /events/{id}/places/{user}/remove': {
    perm: 'booking',
    resource: 'event',
    mine: ['admin', 'participant'],
    other: ADMIN,
    params: { user: (ctx, key) => ctx.booked[key] },
    targets: { ...BOOKING_TARGETS, admin: { mine: 'ev2', other: null } },
    last: true,
  },
  'GET /events/{id}/edit': { perm: 'delivery.manage', resource: 'event', mine: ADMIN_PL, other: ADMIN },
  'POST /events/{id}/edit': { perm: 'delivery.manage', resource: 'event', mine: ADMIN_PL, other: ADMIN, form: {} },
  'GET /events/{id}/cancel': { perm: 'delivery.manage', resource: 'event', mine: ADMIN_PL, other: ADMIN },
  'POST /events/{id}/cancel': { perm: 'delivery.manage', resource: 'event', mine: ADMIN_PL, other: ADMIN, last: true },
  'GET /events/{id}/register': { perm: 'attendance', resource: 'event', mine: ['admin', 'partner_lead', 'facilitator'], other: ADMIN },
  'POST /events/{id}/register': {
    perm: 'attendance',
    resource: 'event',
    mine: ['admin', 'partner_lead', 'facilitator'],
    other: ADMIN,
    form: {}, // no marks: 422
  },
  'GET /coaching': { perm: 'coaching', allow: SIGNED_IN },
  'GET /coaching/new': { perm: 'coaching', allow: SIGNED_IN },
  'POST /coaching/new': { perm: 'coaching', allow: SIGNED_IN, form: {} }, // nobody chosen: 422
  'GET /coaching/{id}': { perm: 'coaching', resource: 'coaching_session', mine: ['admin', 'coach', 'participant'], other: ADMIN },
  'GET /coaching/{id}/edit': { perm: 'coaching', resource: 'coaching_session', mine: ['admin', 'coach'], other: ADMIN },
  'POST /coaching/{id}/edit': { perm: 'coaching', resource: 'coaching_session', mine: ['admin', 'coach'], other: ADMIN, form: {} },
  'GET /coaching/{id}/cancel': { perm: 'coaching', resource: 'coaching_session', mine: ['admin', 'coach', 'participant'], other: ADMIN },
  'POST /coaching/{id}/cancel': { perm: 'coaching', resource: 'coaching_session', mine: ['admin', 'coach', 'participant'], other: ADMIN, last: true },
  'POST /coaching/{id}/notes': { perm: 'coaching', resource: 'coaching_session', mine: ['coach'], other: NOBODY, form: {} },
  'POST /coaching/{id}/actions': {
    perm: 'coaching',
    resource: 'coaching_session',
    mine: ['coach', 'participant'],
    other: NOBODY,
    form: {},
  },
  'POST /coaching/{id}/actions/{action}/done': {
    perm: 'coaching',
    resource: 'coaching_session',
    mine: ['coach', 'participant'],
    other: NOBODY,
    params: { action: (ctx, key) => ctx.actions[key] },
  },
  'POST /coaching/{id}/actions/{action}/undone': {
    perm: 'coaching',
    resource: 'coaching_session',
    mine: ['coach', 'participant'],
    other: NOBODY,
    params: { action: (ctx, key) => ctx.actions[key] },
  },
  'GET /enrolments/{id}/hours': {
    perm: 'activities',
    resource: 'enrolment',
    mine: ['admin', 'partner_lead', 'facilitator', 'coach', 'participant', 'mentor', 'headteacher'],
    other: ADMIN,
    targets: ACTIVITY_TARGETS,
  },
  'POST /enrolments/{id}/hours': {
    perm: 'activities',
    resource: 'enrolment',
    mine: ['admin', 'participant'],
    other: ADMIN,
    targets: ACTIVITY_TARGETS,
    form: {},
  },
  'POST /enrolments/{id}/hours/{activity}/verify': {
    perm: 'activities',
    resource: 'enrolment',
    mine: ['admin', 'partner_lead', 'facilitator', 'coach'],
    other: ADMIN,
    targets: ACTIVITY_TARGETS,
    params: { activity: (ctx, key, caller) => ctx.spareActivities.pageVerify[key][caller] },
    last: true,
  },
  'GET /account/calendar': { perm: 'signed_in', allow: SIGNED_IN },
  'POST /account/calendar': { perm: 'signed_in', allow: SIGNED_IN },
  'POST /account/calendar/revoke': { perm: 'signed_in', allow: SIGNED_IN },

  /* Assessment: tasks are set by administrators and read by everyone signed in. */
  'GET /api/v1/assessment-tasks': { perm: 'submissions', allow: SIGNED_IN },
  'POST /api/v1/assessment-tasks': { perm: 'assessment.manage', allow: ADMIN, body: {} },
  'GET /api/v1/assessment-tasks/{id}': { perm: 'submissions', resource: 'task', mine: SIGNED_IN, other: NOBODY },
  'PATCH /api/v1/assessment-tasks/{id}': { perm: 'assessment.manage', resource: 'task', mine: ADMIN, other: NOBODY, body: {} },
  // Lists are filtered (checked below); starting work is in one's own enrolment: {} is 422 for all.
  'GET /api/v1/submissions': { perm: 'submissions', allow: SIGNED_IN },
  'POST /api/v1/submissions': { perm: 'submissions', allow: SIGNED_IN, body: {} },
  // Work is seen by its participant, their coach, assessors and administrators.
  'GET /api/v1/submissions/{id}': {
    perm: 'submissions',
    resource: 'submission',
    mine: ['admin', 'coach', 'assessor', 'participant'],
    other: ['admin', 'assessor'],
  },
  // Only the participant drafts, attaches, removes and submits; s1 is submitted, so they get 409 (or
  // 422 for a file without a name), and nothing changes.
  'PATCH /api/v1/submissions/{id}': { perm: 'submissions', resource: 'submission', mine: ['participant'], other: NOBODY, body: { text: 'Matrix' } },
  'POST /api/v1/submissions/{id}/files': { perm: 'submissions', resource: 'submission', mine: ['participant'], other: NOBODY, body: {} },
  // A submitted version's file: whoever sees the work.
  'GET /api/v1/submissions/{id}/files/{file}': {
    perm: 'submissions',
    resource: 'submission',
    mine: ['admin', 'coach', 'assessor', 'participant'],
    other: ['admin', 'assessor'],
    params: { file: (ctx, key) => ctx.files[key] },
  },
  'DELETE /api/v1/submissions/{id}/files/{file}': {
    perm: 'submissions',
    resource: 'submission',
    mine: ['participant'],
    other: NOBODY,
    params: { file: (ctx, key) => ctx.files[key] },
  },
  'POST /api/v1/submissions/{id}/submit': { perm: 'submissions', resource: 'submission', mine: ['participant'], other: NOBODY },
  // Formative feedback is the participant's coach's alone ({} is 422 for them).
  'POST /api/v1/submissions/{id}/feedback': { perm: 'submissions', resource: 'submission', mine: ['coach'], other: NOBODY, body: {} },
  'POST /api/v1/submissions/{id}/marks': {
    perm: 'marking',
    resource: 'submission',
    mine: ['admin', 'assessor'],
    other: ['admin', 'assessor'],
    body: {}, // no outcome: 422
  },
  'POST /api/v1/submissions/{id}/release': { perm: 'assessment.manage', resource: 'submission', mine: ADMIN, other: ADMIN }, // not marked: 409
  'GET /api/v1/marking-queue': { perm: 'marking', allow: ['admin', 'assessor'] },

  /* Assessment pages: the same rules as the API above. */
  'GET /assessment': { perm: 'submissions', allow: SIGNED_IN },
  'POST /assessment/start': { perm: 'submissions', allow: SIGNED_IN, form: {} }, // no task: 422
  'GET /submissions/{id}': {
    perm: 'submissions',
    resource: 'submission',
    mine: ['admin', 'coach', 'assessor', 'participant'],
    other: ['admin', 'assessor'],
  },
  'POST /submissions/{id}/save': { perm: 'submissions', resource: 'submission', mine: ['participant'], other: NOBODY, form: { text: 'Matrix' } },
  // A real file, so that who may attach one is decided (s1 is submitted: 409 for its participant).
  'POST /submissions/{id}/files': {
    perm: 'submissions',
    resource: 'submission',
    mine: ['participant'],
    other: NOBODY,
    upload: { name: 'matrix.txt', type: 'text/plain', data: 'matrix upload' },
  },
  'POST /submissions/{id}/files/{file}/remove': {
    perm: 'submissions',
    resource: 'submission',
    mine: ['participant'],
    other: NOBODY,
    params: { file: (ctx, key) => ctx.files[key] },
  },
  'POST /submissions/{id}/submit': { perm: 'submissions', resource: 'submission', mine: ['participant'], other: NOBODY },
  'POST /submissions/{id}/feedback': { perm: 'submissions', resource: 'submission', mine: ['coach'], other: NOBODY, form: {} },
  'GET /submissions/{id}/mark': { perm: 'marking', resource: 'submission', mine: ['admin', 'assessor'], other: ['admin', 'assessor'] },
  'POST /submissions/{id}/mark': {
    perm: 'marking',
    resource: 'submission',
    mine: ['admin', 'assessor'],
    other: ['admin', 'assessor'],
    form: {}, // no outcome: 422
  },
  'POST /submissions/{id}/release': { perm: 'assessment.manage', resource: 'submission', mine: ADMIN, other: ADMIN },
  'GET /assessment/tasks': { perm: 'assessment.manage', allow: ADMIN },
  'GET /assessment/tasks/new': { perm: 'assessment.manage', allow: ADMIN },
  'POST /assessment/tasks/new': { perm: 'assessment.manage', allow: ADMIN, form: {} },
  'GET /assessment/tasks/{id}/edit': { perm: 'assessment.manage', resource: 'task', mine: ADMIN, other: NOBODY },
  'POST /assessment/tasks/{id}/edit': { perm: 'assessment.manage', resource: 'task', mine: ADMIN, other: NOBODY, form: {} },
  'GET /assessment/release': { perm: 'assessment.manage', allow: ADMIN },
  'GET /marking': { perm: 'marking', allow: ['admin', 'assessor'] },

  /* Learning communities: members read and write; moderators (administrators, and in a cohort's
   * forum its facilitators and partner lead) hide, lock, pin and work the queue; authors alone
   * change their posts. */
  'GET /api/v1/forums': { perm: 'forums', allow: SIGNED_IN },
  'GET /api/v1/forums/search': { perm: 'forums', allow: SIGNED_IN },
  'GET /api/v1/search': { perm: 'content.read', allow: SIGNED_IN, query: '?q=reading' },
  'GET /api/v1/forums/reports': { perm: 'forums.moderate', allow: ['admin', 'partner_lead', 'facilitator'] },
  'GET /api/v1/forums/{id}': { perm: 'forums', resource: 'forum', mine: SIGNED_IN, other: ADMIN },
  'POST /api/v1/forums/{id}/threads': { perm: 'forums', resource: 'forum', mine: SIGNED_IN, other: ADMIN, body: {} },
  'PUT /api/v1/forums/{id}/subscription': { perm: 'forums', resource: 'forum', mine: SIGNED_IN, other: ADMIN, body: {} },
  'DELETE /api/v1/forums/{id}/subscription': { perm: 'forums', resource: 'forum', mine: SIGNED_IN, other: ADMIN },
  'GET /api/v1/forum-threads/{id}': { perm: 'forums', resource: 'forum_thread', mine: SIGNED_IN, other: ADMIN },
  'PATCH /api/v1/forum-threads/{id}': { perm: 'forums.moderate', resource: 'forum_thread', mine: ['admin', 'partner_lead', 'facilitator'], other: ADMIN, body: {} },
  'POST /api/v1/forum-threads/{id}/posts': { perm: 'forums', resource: 'forum_thread', mine: SIGNED_IN, other: ADMIN, body: {} },
  'GET /api/v1/forum-posts/{id}': { perm: 'forums', resource: 'forum_post', mine: SIGNED_IN, other: ADMIN },
  'PATCH /api/v1/forum-posts/{id}': { perm: 'forums', resource: 'forum_post', mine: SIGNED_IN, other: ADMIN, body: {} },
  'POST /api/v1/forum-posts/{id}/reports': { perm: 'forums', resource: 'forum_post', mine: SIGNED_IN, other: ADMIN, body: {} },
  'POST /api/v1/forums/reports/{id}/resolve': { perm: 'forums.moderate', resource: 'forum_report', mine: ['admin', 'partner_lead', 'facilitator'], other: ADMIN, body: {} },
  'GET /forums': { perm: 'forums', allow: SIGNED_IN },
  'GET /forums/search': { perm: 'forums', allow: SIGNED_IN },
  'GET /search': { perm: 'content.read', allow: SIGNED_IN },
  'GET /forums/moderation': { perm: 'forums.moderate', allow: ['admin', 'partner_lead', 'facilitator'] },
  'GET /forums/{id}': { perm: 'forums', resource: 'forum', mine: SIGNED_IN, other: ADMIN },
  'POST /forums/{id}/threads': { perm: 'forums', resource: 'forum', mine: SIGNED_IN, other: ADMIN, form: {} },
  'POST /forums/{id}/subscription': { perm: 'forums', resource: 'forum', mine: SIGNED_IN, other: ADMIN, form: {} },
  'GET /forums/threads/{id}': { perm: 'forums', resource: 'forum_thread', mine: SIGNED_IN, other: ADMIN },
  'POST /forums/threads/{id}/posts': { perm: 'forums', resource: 'forum_thread', mine: SIGNED_IN, other: ADMIN, form: {} },
  'POST /forums/threads/{id}/moderate': { perm: 'forums.moderate', resource: 'forum_thread', mine: ['admin', 'partner_lead', 'facilitator'], other: ADMIN, form: {} },
  'GET /forums/posts/{id}/edit': { perm: 'forums', resource: 'forum_post', mine: ['participant'], other: NOBODY },
  'POST /forums/posts/{id}/edit': { perm: 'forums', resource: 'forum_post', mine: ['participant'], other: NOBODY, form: {} },
  'GET /forums/posts/{id}/hide': { perm: 'forums.moderate', resource: 'forum_post', mine: ['admin', 'partner_lead', 'facilitator'], other: ADMIN },
  'POST /forums/posts/{id}/hide': { perm: 'forums.moderate', resource: 'forum_post', mine: ['admin', 'partner_lead', 'facilitator'], other: ADMIN, form: {} },
  'GET /forums/posts/{id}/report': { perm: 'forums', resource: 'forum_post', mine: SIGNED_IN, other: ADMIN },
  'POST /forums/posts/{id}/report': { perm: 'forums', resource: 'forum_post', mine: SIGNED_IN, other: ADMIN, form: {} },
  'POST /forums/reports/{id}/resolve': { perm: 'forums.moderate', resource: 'forum_report', mine: ['admin', 'partner_lead', 'facilitator'], other: ADMIN, form: {} },

  /* Awards, verification and transcripts. */
  'GET /api/v1/enrolments/{id}/award-check': { perm: 'enrolments.read', resource: 'enrolment', mine: SIGNED_IN, other: ADMIN },
  'GET /api/v1/awards': { perm: 'assessment.manage', allow: ADMIN },
  'POST /api/v1/awards': { perm: 'assessment.manage', allow: ADMIN, body: {} },
  // Any signed-in person may ask; the policy shows an award only to its person and administrators.
  'GET /api/v1/awards/{id}': { perm: 'signed_in', resource: 'award', mine: ['admin', 'participant'], other: ADMIN },
  'GET /api/v1/awards/{id}/certificate.pdf': { perm: 'signed_in', resource: 'award', mine: ['admin', 'participant'], other: ADMIN },
  // A real certificate's code: anyone holding it may check it.
  'GET /api/v1/verify/{code}': { perm: 'public', allow: EVERYONE, params: { code: (ctx) => ctx.verificationCode } },
  'GET /verify/{code}': { perm: 'public', allow: EVERYONE, params: { code: (ctx) => ctx.verificationCode } },
  'GET /api/v1/module-credits': { perm: 'public', allow: EVERYONE },
  'PUT /api/v1/module-credits': { perm: 'assessment.manage', allow: ADMIN, body: {} },
  // A transcript is for whoever may see the person, as their pathway is.
  'GET /api/v1/participants/{id}/transcript': { perm: 'users.read', resource: 'user', mine: SIGNED_IN, other: ADMIN },
  'GET /participants/{id}/transcript': { perm: 'users.read', resource: 'user', mine: SIGNED_IN, other: ADMIN },
  'GET /participants/{id}/transcript.pdf': { perm: 'users.read', resource: 'user', mine: SIGNED_IN, other: ADMIN },
};

const SANITIZER_REPORT = /ERROR: (Address|Leak|Undefined|Thread)Sanitizer|runtime error: |SUMMARY: \w+Sanitizer/;

/*
 * `npq routes`, run here rather than with runNpq so that a sanitizer report fails one test
 * (with the report) instead of stopping the whole matrix. Resolves {code, stdout, stderr}.
 */
function npqRoutes() {
  const env = {
    ASAN_OPTIONS: 'abort_on_error=0:exitcode=86',
    UBSAN_OPTIONS: 'halt_on_error=1:print_stacktrace=1',
    LSAN_OPTIONS: `suppressions=${path.join(REPO, 'tests/lsan.supp')}`,
    ...process.env,
  };
  return new Promise((resolve, reject) => {
    const proc = spawn(NPQ_BIN, ['routes'], { env, cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d) => (stdout += d));
    proc.stderr.on('data', (d) => (stderr += d));
    proc.on('error', reject);
    proc.on('close', (code, signal) => resolve({ code: code ?? signal, stdout, stderr }));
  });
}

const UNSAFE = (method) => !['GET', 'HEAD', 'OPTIONS'].includes(method);

/* What a response says about the gate's decision: 'allow', 'deny' or 'error: ...'. */
function verdict(r, target) {
  if (r.status >= 500) return `error: ${r.status}`;
  if (r.status === 401 || r.status === 403) return 'deny';
  if (r.status === 303 && /^\/sign-in\?next=/.test(r.headers.get('location') || '')) return 'deny';
  if (r.status === 404) return target === 'other' ? 'deny' : target === 'mine' ? 'error: 404 for a record in scope' : 'error: 404';
  return 'allow';
}

/* The URL of a route with its parameters filled in. */
function fillPattern(pattern, values) {
  return pattern.replace(/\{([a-z_]+)\*?\}/g, (_, name) => {
    assert.ok(values[name] !== undefined && values[name] !== null, `no value for {${name}} in ${pattern}`);
    return encodeURIComponent(String(values[name])).replace(/%2F/g, '/');
  });
}

/* The kind of record a row is asked about: the route's resource, or one its handler scopes. */
function recordOf(row) {
  return row.resource || row.record;
}

function valueOf(v, ctx, key, caller) {
  return typeof v === 'function' ? v(ctx, key, caller) : v;
}

describe('authorization matrix', () => {
  let routes; // from `npq routes`
  let routesRun; // how `npq routes` ran: {code, stdout, stderr}
  let ctx; // the server and the records the rows use
  const results = []; // every request made, for the report

  before(async () => {
    routesRun = await npqRoutes();
    try {
      routes = JSON.parse(routesRun.stdout);
    } catch {
      // Reported by the first test; the rows still run, on the patterns EXPECTED names.
      routes = Object.keys(EXPECTED).map((k) => {
        const [method, pattern] = k.split(' ');
        return { method, pattern, kind: EXPECTED[k].kind || (pattern.startsWith('/api/') ? 'api' : 'page') };
      });
      routesRun.unparsed = true;
    }

    const extraUsers = {
      elsewhere: { email: 'pip.elsewhere@example.test', name: 'Pip Elsewhere', role: 'participant' },
      spare1: { email: 'spare.one@example.test', name: 'Sid Spare', role: 'assessor' },
      spare2: { email: 'spare.two@example.test', name: 'Sal Spare', role: 'assessor' },
      resetme: { email: 'reset.me@example.test', name: 'Rey Reset', role: 'participant' },
      coach2: { email: 'coach.two@example.test', name: 'Cam Coach', role: 'coach' }, // coaches elsewhere's cohort
      coach3: { email: 'coach.three@example.test', name: 'Cy Coach', role: 'coach' }, // staff to remove
      coach4: { email: 'coach.four@example.test', name: 'Cleo Coach', role: 'coach' },
    };
    const demo = await startDemoServer({ extraUsers });
    const { server, tokens, ids } = demo;
    ctx = { server, tokens, ids, names: {}, grants: {} };
    const as = (who) => apiAs(server, tokens[who], who);
    const admin = as('admin');

    // People: names and first role grant of everyone a row may touch.
    for (const key of Object.keys(ids)) {
      const u = await admin.json(`/api/v1/users/${ids[key]}`);
      ctx.names[key] = u.name;
      ctx.grants[key] = u.roles[0].id;
    }
    const orgs = (await admin.json('/api/v1/organisations')).organisations;
    const school = orgs.find((o) => o.kind === 'school' && o.urn === '100001').id;
    const partner = orgs.find((o) => o.kind === 'delivery_partner').id;
    ctx.records = { organisation: { school } };

    // One-time links from the printed mail: an invitation and a password reset, used by nobody.
    const inviteBefore = countLinks(server, 'invitee@example.test', 'invitation');
    const invited = await admin.post('/api/v1/users', { email: 'invitee@example.test', name: 'Ina Invitee', role: 'participant' });
    assert.equal(invited.status, 201, invited.text);
    ctx.inviteToken = (await waitForLink(server, 'invitee@example.test', 'invitation', inviteBefore)).split('/').pop();
    const resetBefore = countLinks(server, 'reset.me@example.test', 'password-reset');
    const asked = await (await visitor(server)).post('/password-reset', { email: 'reset.me@example.test' });
    assert.equal(asked.status, 200, asked.text.slice(0, 300));
    ctx.resetToken = (await waitForLink(server, 'reset.me@example.test', 'password-reset', resetBefore)).split('/').pop();

    // An assignment to end.
    const assignment = await admin.post('/api/v1/assignments', { kind: 'coach', staff_id: ids.coach, participant_id: ids.spare1 });
    assert.equal(assignment.status, 201, assignment.text);
    ctx.assignment = assignment.json().id;
    ctx.records.assignment = { as1: ctx.assignment };

    // Applications and enrolments: a1/e1 the demo participant's (school, sponsor headteacher, the
    // demo partner's cohort), a2/e2 someone elsewhere's, af and aa drafts of a facilitator and an assessor.
    const cohort = async (code, partnerId) => {
      const r = await admin.post('/api/v1/cohorts', {
        code,
        kind: 'qualification',
        target: 'NPQSL',
        starts_on: '2027-01-11',
        ends_on: '2028-07-14',
        delivery_model: 'blended',
        ...(partnerId ? { delivery_partner_id: partnerId } : {}),
      });
      assert.equal(r.status, 201, `cohort ${code}: ${r.text}`);
      return r.json().id;
    };
    const cohortPartner = await cohort('NPQSL-MATRIX-NW', partner);
    const otherPartner = await admin.post('/api/v1/organisations', { kind: 'delivery_partner', name: 'Thames Teaching Hub', regions_served: ['London'] });
    assert.equal(otherPartner.status, 201, otherPartner.text);
    const cohortOther = await cohort('NPQSL-MATRIX-LONDON', otherPartner.json().id);
    const answers = { kind: 'qualification', target: 'NPQSL', electives: ['school-self-evaluation', 'leading-change-for-improvement'], funding_route: 'school', delivery_model: 'blended', job_role: 'Deputy head' };
    const apply = async (who, extra) => {
      const r = await as(who).post('/api/v1/applications', { ...answers, ...extra });
      assert.equal(r.status, 201, `${who} applies: ${r.text}`);
      return r.json().id;
    };
    const step = async (who, id, name, body) => {
      const r = await as(who).post(`/api/v1/applications/${id}/${name}`, body);
      assert.equal(r.status, 200, `${who} ${name}s application ${id}: ${r.text}`);
      return r.json();
    };
    const a1 = await apply('participant', { school_id: school, sponsor_id: ids.headteacher, preferred_partner_id: partner });
    await step('participant', a1, 'submit');
    await step('headteacher', a1, 'approve');
    await step('admin', a1, 'accept');
    const e1 = (await step('admin', a1, 'enrol', { cohort_id: cohortPartner })).enrolment_id;
    const a2 = await apply('elsewhere', { sponsor_id: ids.admin });
    await step('elsewhere', a2, 'submit');
    await step('admin', a2, 'approve');
    await step('admin', a2, 'accept');
    const e2 = (await step('admin', a2, 'enrol', { cohort_id: cohortOther })).enrolment_id;
    const af = await apply('facilitator', {});
    const aa = await apply('assessor', {});
    ctx.records.application = { a1, a2, af, aa };
    ctx.records.enrolment = { e1, e2 };
    // A content item in a unit of an essential module of both enrolments, with the demo partner's variant.
    const contentItem = await admin.post('/api/v1/content', { kind: 'reading', title: 'Closing the gap: a reading', minutes: 10, tags: ['module:closing-the-gap'] });
    assert.equal(contentItem.status, 201, contentItem.text);
    const contentUnit = await admin.post('/api/v1/content-units', { module: 'closing-the-gap', title: 'Start here', items: [contentItem.json().id] });
    assert.equal(contentUnit.status, 201, contentUnit.text);
    const contentVariant = await as('partner_lead').put(`/api/v1/content/${contentItem.json().id}/variants/${partner}`, { title: 'Closing the gap locally', body: 'Local contacts.' });
    assert.equal(contentVariant.status, 200, contentVariant.text);
    const otherItem = await admin.post('/api/v1/content', { kind: 'reading', title: 'Another reading', minutes: 5 });
    assert.equal(otherItem.status, 201, otherItem.text);
    const otherVariant = await admin.put(`/api/v1/content/${otherItem.json().id}/variants/${otherPartner.json().id}`, { title: 'Thames only', body: 'Local.' });
    assert.equal(otherVariant.status, 200, otherVariant.text);
    // Its files: one to read, one for each way of removing one.
    const contentFiles = {};
    for (const use of ['read', 'api', 'page']) {
      const f = await admin.request('POST', `/api/v1/content/${contentItem.json().id}/files`, {
        body: Buffer.from(`matrix handout: ${use}`),
        contentType: 'text/plain',
        headers: { 'x-file-name': `${use}.txt` },
      });
      assert.equal(f.status, 201, f.text);
      contentFiles[use] = f.json().id;
    }
    ctx.content = { item: contentItem.json().id, partner, partnerOf: { vMine: partner, vOther: otherPartner.json().id }, files: contentFiles };
    ctx.records.content_item = { ci1: contentItem.json().id, vMine: contentItem.json().id, vOther: otherItem.json().id };
    ctx.records.cohort = { c1: cohortPartner, c2: cohortOther };

    // Delivery: staff on both cohorts, a venue and an event each, bookings, coaching sessions with
    // an action each, learning-log entries, and a calendar feed of someone the rows leave alone.
    const ok = async (r, what, status = 201) => {
      const res = await r;
      assert.equal(res.status, status, `${what}: ${res.text.slice(0, 300)}`);
      return res.status === 204 ? null : res.json();
    };
    const pl = as('partner_lead');
    await ok(pl.post(`/api/v1/cohorts/${cohortPartner}/staff`, { user_id: ids.facilitator, role: 'facilitator' }), 'c1 facilitator');
    await ok(pl.post(`/api/v1/cohorts/${cohortPartner}/staff`, { user_id: ids.coach, role: 'coach' }), 'c1 coach');
    await ok(admin.post(`/api/v1/cohorts/${cohortOther}/staff`, { user_id: ids.coach2, role: 'coach' }), 'c2 coach');
    ctx.removableStaff = { c1: { partner_lead: ids.coach3, admin: ids.coach4 }, c2: { admin: ids.coach3 } };
    for (const [cohortKey, byCaller] of Object.entries(ctx.removableStaff))
      for (const user of Object.values(byCaller))
        await ok(admin.post(`/api/v1/cohorts/${ctx.records.cohort[cohortKey]}/staff`, { user_id: user, role: 'coach' }), `${cohortKey} staff to remove`);
    const venue = (partnerId, name) => ({ delivery_partner_id: partnerId, name, address: '1 High Street', postcode: 'L1 8JQ', capacity: 40 });
    const v1 = (await ok(pl.post('/api/v1/venues', venue(partner, 'Hub Hall')), 'v1')).id;
    const v2 = (await ok(admin.post('/api/v1/venues', venue(otherPartner.json().id, 'Thames Hall')), 'v2')).id;
    ctx.records.venue = { v1, v2 };
    const ev1 = (await ok(pl.post('/api/v1/events', { cohort_id: cohortPartner, kind: 'face_to_face', title: 'Day one', venue_id: v1, ...FUTURE, capacity: 30, facilitator_id: ids.facilitator }), 'ev1')).id;
    const ev2 = (await ok(admin.post('/api/v1/events', { cohort_id: cohortOther, kind: 'webinar', title: 'Webinar', joining_url: 'https://meet.example.test/w', ...FUTURE, capacity: 30 }), 'ev2')).id;
    ctx.records.event = { ev1, ev2 };
    await ok(as('participant').post(`/api/v1/events/${ev1}/bookings`, {}), 'participant books ev1');
    await ok(as('elsewhere').post(`/api/v1/events/${ev2}/bookings`, {}), 'elsewhere books ev2');
    ctx.booked = { ev1: ids.participant, ev2: ids.elsewhere };
    await ok(admin.post('/api/v1/assignments', { kind: 'coach', staff_id: ids.coach2, participant_id: ids.elsewhere }), 'coach2 coaches elsewhere');
    const session = { ...FUTURE, mode: 'online', place: 'https://meet.example.test/coaching' };
    const cs1 = (await ok(as('coach').post('/api/v1/coaching-sessions', { participant_id: ids.participant, ...session }), 'cs1')).id;
    const cs2 = (await ok(as('coach2').post('/api/v1/coaching-sessions', { participant_id: ids.elsewhere, ...session }), 'cs2')).id;
    ctx.records.coaching_session = { cs1, cs2 };
    // Forums: a thread with a post and a report in c1's, c2's and everyone's.
    const forumOf = async (who, kind) => (await as(who).json('/api/v1/forums')).forums.find((f) => f.kind === kind).id;
    const forums = { f1: await forumOf('participant', 'cohort'), f2: await forumOf('elsewhere', 'cohort'), fp: await forumOf('participant', 'provider') };
    const thread = async (who, forum) => (await ok(as(who).post(`/api/v1/forums/${forum}/threads`, { title: 'Hello', body: 'First post' }), `a thread in ${forum}`)).posts[0];
    const posts = { p1: await thread('participant', forums.f1), p2: await thread('elsewhere', forums.f2), pp: await thread('admin', forums.fp) };
    ctx.records.forum = forums;
    ctx.records.forum_thread = { t1: posts.p1.thread_id, t2: posts.p2.thread_id, tp: posts.pp.thread_id };
    ctx.records.forum_post = { p1: posts.p1.id, p2: posts.p2.id, pp: posts.pp.id };
    ctx.records.forum_report = {
      r1: (await ok(as('coach').post(`/api/v1/forum-posts/${posts.p1.id}/reports`, { reason: 'Off topic' }), 'r1')).id,
      r2: (await ok(admin.post(`/api/v1/forum-posts/${posts.p2.id}/reports`, { reason: 'Off topic' }), 'r2')).id,
    };
    ctx.actions = {
      cs1: (await ok(as('coach').post(`/api/v1/coaching-sessions/${cs1}/actions`, { text: 'Plan a lesson study' }), 'cs1 action')).id,
      cs2: (await ok(as('coach2').post(`/api/v1/coaching-sessions/${cs2}/actions`, { text: 'Read a paper' }), 'cs2 action')).id,
    };
    ctx.today = new Date().toISOString().slice(0, 10);
    const logOf = { e1: as('participant'), e2: as('elsewhere') };
    const logEntry = async (enrolmentKey) =>
      (await ok(logOf[enrolmentKey].post(`/api/v1/enrolments/${ctx.records.enrolment[enrolmentKey]}/activities`, { module: 'closing-the-gap', type: 'reading', done_on: ctx.today, hours: 0.25 }), `an entry in ${enrolmentKey}'s log`)).id;
    ctx.activities = { e1: await logEntry('e1'), e2: await logEntry('e2') };
    ctx.spareActivities = { remove: { e1: {}, e2: {} }, verify: { e1: {}, e2: {} }, pageVerify: { e1: {}, e2: {} } };
    for (const use of Object.keys(ctx.spareActivities))
      for (const enrolmentKey of ['e1', 'e2'])
        for (const caller of CALLERS) ctx.spareActivities[use][enrolmentKey][caller] = await logEntry(enrolmentKey);
    const feed = await ok(as('elsewhere').post('/api/v1/calendar-feed', {}), 'a calendar feed');
    ctx.feedToken = feed.url.split('/').pop();

    // Assessment: a task of a module both e1 and e2 study; s1 the demo participant's work in e1
    // (which the demo coach coaches), s2 elsewhere's in e2, each submitted with a file.
    ctx.task = (
      await ok(
        admin.post('/api/v1/assessment-tasks', {
          kind: 'module',
          target: 'closing-the-gap',
          title: 'Matrix task',
          deadline: '2030-01-01T00:00:00Z',
          criteria: [{ title: 'Analyses the gap' }],
        }),
        'an assessment task',
      )
    ).id;
    const work = async (who, enrolmentKey) => {
      const author = as(who);
      const { id } = await ok(author.post('/api/v1/submissions', { task_id: ctx.task, enrolment_id: ctx.records.enrolment[enrolmentKey] }), `${who} starts work`);
      await ok(author.patch(`/api/v1/submissions/${id}`, { activity: 'A reading intervention', text: 'What we did and what we found.' }), `${who} writes`, 200);
      const file = await ok(
        author.request('POST', `/api/v1/submissions/${id}/files`, { body: Buffer.from('matrix evidence'), contentType: 'text/plain', headers: { 'x-file-name': 'evidence.txt' } }),
        `${who} attaches a file`,
      );
      await ok(author.post(`/api/v1/submissions/${id}/submit`), `${who} submits`, 200);
      return { id, file: file.id };
    };
    const s1 = await work('participant', 'e1');
    const s2 = await work('elsewhere', 'e2');
    ctx.records.submission = { s1: s1.id, s2: s2.id };
    ctx.records.task = { t1: ctx.task };
    ctx.files = { s1: s1.file, s2: s2.file };

    // Awards: NPQML (two essential modules and an elective, no final assessment, no events) for the
    // demo participant (aw1) and for elsewhere (aw2), in a cohort of no partner's.
    const cohortMl = (
      await ok(
        admin.post('/api/v1/cohorts', { code: 'NPQML-MATRIX', kind: 'qualification', target: 'NPQML', starts_on: '2027-01-11', ends_on: '2028-07-14', delivery_model: 'blended' }),
        'an NPQML cohort',
      )
    ).id;
    const ml = { kind: 'qualification', target: 'NPQML', electives: ['leading-an-effective-team'], funding_route: 'school', delivery_model: 'blended', job_role: 'Head of year' };
    const awardOf = async (who, sponsor, extra) => {
      const draft = await ok(as(who).post('/api/v1/applications', { ...ml, sponsor_id: ids[sponsor], ...extra }), `${who} applies for NPQML`);
      await step(who, draft.id, 'submit');
      await step(sponsor, draft.id, 'approve');
      await step('admin', draft.id, 'accept');
      const enrolmentId = (await step('admin', draft.id, 'enrol', { cohort_id: cohortMl })).enrolment_id;
      for (const module of ['leading-teaching', 'managing-systems-and-processes', 'leading-an-effective-team'])
        await ok(admin.post(`/api/v1/participants/${ids[who]}/completions`, { module, completed_on: ctx.today, enrolment_id: enrolmentId }), `${who} completes ${module}`);
      return ok(admin.post('/api/v1/awards', { enrolment_id: enrolmentId }), `${who} is awarded NPQML`);
    };
    const aw1 = await awardOf('participant', 'headteacher', { school_id: school });
    const aw2 = await awardOf('elsewhere', 'admin', {});
    ctx.records.award = { aw1: aw1.id, aw2: aw2.id };
    ctx.verificationCode = aw1.verification_code;

    // Tokens to revoke: for each token route and caller, one of their own and one of someone else's.
    ctx.records.token = {};
    for (const key of Object.keys(EXPECTED).filter((k) => EXPECTED[k].resource === 'token')) {
      ctx.records.token[key] = {};
      for (const caller of CALLERS) {
        const owner = caller === 'anonymous' ? 'resetme' : caller;
        const mine = await as(owner).post('/api/v1/tokens', { name: `${key} mine` });
        const other = await as('elsewhere').post('/api/v1/tokens', { name: `${key} for ${caller}` });
        assert.equal(mine.status, 201, mine.text);
        assert.equal(other.status, 201, other.text);
        ctx.records.token[key][caller] = { mine: mine.json().id, other: other.json().id };
      }
    }

    // Who calls: tokens for the API, sessions for pages.
    ctx.api = Object.fromEntries(CALLERS.map((c) => [c, apiAs(server, c === 'anonymous' ? null : tokens[c], c)]));
    ctx.pages = { anonymous: await visitor(server, 'anonymous') };
    for (const role of ROLES) ctx.pages[role] = await signIn(server, demoEmail(role));
  });

  after(async () => {
    await ctx?.server.stop();
  });

  test('npq routes runs cleanly and lists each route once, with a known permission, resource and kind', () => {
    assert.doesNotMatch(routesRun.stderr, SANITIZER_REPORT, `npq routes reported a sanitizer error:\n${routesRun.stderr}`);
    assert.equal(routesRun.code, 0, `npq routes exited with ${routesRun.code}:\n${routesRun.stderr}`);
    assert.ok(!routesRun.unparsed, `npq routes did not print JSON:\n${routesRun.stdout.slice(0, 500)}`);
    const seen = new Set();
    const bad = [];
    for (const r of routes) {
      const key = `${r.method} ${r.pattern}`;
      if (seen.has(key)) bad.push(`${key}: listed twice`);
      seen.add(key);
      if (typeof r.permission !== 'string' || !/^[a-z_]+(\.[a-z_]+)?$/.test(r.permission) || r.permission === 'unknown')
        bad.push(`${key}: permission is "${r.permission}"`);
      // A new kind of record needs TARGETS here: which of them each caller is tested with.
      if (r.resource !== 'none' && !TARGETS[r.resource]) bad.push(`${key}: resource is "${r.resource}", which has no TARGETS`);
      if (!['api', 'page', 'asset'].includes(r.kind)) bad.push(`${key}: kind is "${r.kind}"`);
      if (r.pattern.startsWith('/api/') !== (r.kind === 'api')) bad.push(`${key}: kind "${r.kind}" does not match its path`);
    }
    assert.deepEqual(bad, [], `npq routes:\n  ${bad.join('\n  ')}`);
  });

  test('every route in npq routes has a row in EXPECTED', () => {
    const missing = routes.map((r) => `${r.method} ${r.pattern}`).filter((k) => !(k in EXPECTED));
    assert.deepEqual(missing, [], `routes without a policy decision in EXPECTED (add a row saying who may use each):\n  ${missing.join('\n  ')}`);
  });

  test('every row of EXPECTED is a route in npq routes', () => {
    const keys = new Set(routes.map((r) => `${r.method} ${r.pattern}`));
    const stale = Object.keys(EXPECTED).filter((k) => !keys.has(k));
    assert.deepEqual(stale, [], `rows of EXPECTED for routes that no longer exist:\n  ${stale.join('\n  ')}`);
  });

  test('each route declares the permission and resource its row expects', () => {
    const wrong = [];
    for (const r of routes) {
      const row = EXPECTED[`${r.method} ${r.pattern}`];
      if (!row) continue;
      if (row.perm !== r.permission) wrong.push(`${r.method} ${r.pattern}: permission ${r.permission}, expected ${row.perm}`);
      const resource = row.resource || 'none';
      if (resource !== r.resource) wrong.push(`${r.method} ${r.pattern}: resource ${r.resource}, expected ${resource}`);
      if ((row.kind || (r.pattern.startsWith('/api/') ? 'api' : 'page')) !== r.kind) wrong.push(`${r.method} ${r.pattern}: kind ${r.kind}`);
    }
    assert.deepEqual(wrong, [], wrong.join('\n'));
  });

  test('each row is self-consistent', () => {
    for (const [key, row] of Object.entries(EXPECTED)) {
      const kind = recordOf(row);
      const lists = kind ? [row.mine, row.other] : [row.allow];
      for (const list of lists) {
        assert.ok(Array.isArray(list), `${key}: ${kind ? 'mine and other' : 'allow'} must be lists of callers`);
        for (const c of list) assert.ok(CALLERS.includes(c), `${key}: unknown caller ${c}`);
      }
      if (kind) assert.ok(TARGETS[kind], `${key}: no TARGETS for ${kind}`);
      assert.ok(!kind || !row.allow, `${key}: a row with a record says mine and other, not allow`);
      assert.ok(!(row.resource && row.record), `${key}: a row names its record as resource (the gate's) or record (the handler's), not both`);
    }
  });

  test("a record outside the caller's scope answers exactly like one that does not exist", async () => {
    const participant = ctx.api.participant;
    const pairs = [
      [`/api/v1/users/${ctx.ids.elsewhere}`, '/api/v1/users/999999'],
      [`/api/v1/users/${ctx.ids.elsewhere}/assignments`, '/api/v1/users/999999/assignments'],
      [`/api/v1/applications/${ctx.records.application.a2}`, '/api/v1/applications/999999'],
      [`/api/v1/enrolments/${ctx.records.enrolment.e2}`, '/api/v1/enrolments/999999'],
      [`/api/v1/participants/${ctx.ids.elsewhere}/pathway`, '/api/v1/participants/999999/pathway'],
      [`/api/v1/participants/${ctx.ids.elsewhere}/transcript`, '/api/v1/participants/999999/transcript'],
      [`/api/v1/cohorts/${ctx.records.cohort.c2}`, '/api/v1/cohorts/999999'],
      [`/api/v1/events/${ctx.records.event.ev2}`, '/api/v1/events/999999'],
      [`/api/v1/coaching-sessions/${ctx.records.coaching_session.cs2}`, '/api/v1/coaching-sessions/999999'],
      [`/api/v1/submissions/${ctx.records.submission.s2}`, '/api/v1/submissions/999999'],
      [`/api/v1/submissions/${ctx.records.submission.s2}/files/${ctx.files.s2}`, `/api/v1/submissions/999999/files/${ctx.files.s2}`],
      [`/api/v1/awards/${ctx.records.award.aw2}`, '/api/v1/awards/999999'],
      [`/api/v1/awards/${ctx.records.award.aw2}/certificate.pdf`, '/api/v1/awards/999999/certificate.pdf'],
    ];
    for (const [outside, missing] of pairs) {
      const a = await participant.get(outside);
      const b = await participant.get(missing);
      assert.equal(a.status, 404, `${outside} as participant`);
      assert.equal(b.status, 404, `${missing} as participant`);
      assert.equal(a.text, b.text, `${outside} and ${missing} give the same body`);
    }
    const page = ctx.pages.participant;
    const a = await page.get(`/admin/users/${ctx.ids.elsewhere}`);
    const b = await page.get('/admin/users/999999');
    assert.equal(a.status, 404);
    assert.equal(b.status, 404);
    const strip = (t) => t.replace(/name="csrf_token" value="[^"]*"/g, '');
    assert.equal(strip(a.text), strip(b.text), 'the page too');
  });

  /*
   * Lists are filtered by the same scopes as single records (the store's queries repeat the
   * policy): everyone a caller's list shows, they may open, and no one else.
   */
  test('lists show exactly the records each caller may open', async () => {
    const admin = ctx.api.admin;
    const lists = [
      ['/api/v1/users?limit=500', 'users', (id) => `/api/v1/users/${id}`],
      ['/api/v1/applications?limit=500', 'applications', (id) => `/api/v1/applications/${id}`],
      ['/api/v1/enrolments?limit=500', 'enrolments', (id) => `/api/v1/enrolments/${id}`],
      ['/api/v1/events', 'events', (id) => `/api/v1/events/${id}`],
      ['/api/v1/coaching-sessions', 'sessions', (id) => `/api/v1/coaching-sessions/${id}`],
      ['/api/v1/submissions', 'submissions', (id) => `/api/v1/submissions/${id}`],
    ];
    const wrong = [];
    for (const [listPath, member, one] of lists) {
      const everything = (await admin.json(listPath))[member].map((x) => x.id);
      assert.ok(everything.length >= 2, `${listPath} as admin lists records`);
      for (const role of ROLES) {
        const api = ctx.api[role];
        const listed = new Set((await api.json(listPath))[member].map((x) => x.id));
        for (const id of everything) {
          const r = await api.get(one(id));
          if ((r.status === 200) !== listed.has(id))
            wrong.push(`${role}: ${one(id)} answers ${r.status} but ${listPath} ${listed.has(id) ? 'lists' : 'leaves out'} ${id}`);
        }
        for (const id of listed) if (!everything.includes(id)) wrong.push(`${role}: ${listPath} lists ${id}, which the administrator does not see`);
      }
    }
    assert.deepEqual(wrong, [], wrong.join('\n'));
  });

  /*
   * The same of the pages that list records: /delivery shows the cohorts the caller works with or
   * studies in and their events coming up, /coaching the sessions the caller is part of. (The API's
   * cohort list is the public list of cohorts to apply to, so it is not one of these.) Administrators
   * may open every session but /coaching lists only their own, so for them it is checked one way.
   */
  test('the delivery and coaching pages list exactly the cohorts, events and sessions each caller may open', async () => {
    const admin = ctx.api.admin;
    const now = Date.now();
    const all = {
      cohorts: (await admin.json('/api/v1/cohorts')).cohorts.map((c) => c.id),
      events: (await admin.json('/api/v1/events')).events.filter((e) => Date.parse(e.starts_at) > now).map((e) => e.id),
      coaching: (await admin.json('/api/v1/coaching-sessions')).sessions.map((x) => x.id),
    };
    for (const [kind, ids] of Object.entries(all)) assert.ok(ids.length >= 2, `there are ${kind} to list (${ids.length})`);
    const pages = [
      ['/delivery', 'cohorts', all.cohorts],
      ['/delivery', 'events', all.events],
      ['/coaching', 'coaching', all.coaching],
    ];
    const wrong = [];
    for (const role of ROLES) {
      const session = ctx.pages[role];
      for (const [listPath, kind, everything] of pages) {
        const page = await session.get(listPath);
        assert.equal(page.status, 200, `${role}: GET ${listPath}`);
        const listed = new Set([...page.text.matchAll(new RegExp(`href="/${kind}/(\\d+)"`, 'g'))].map((m) => Number(m[1])));
        for (const id of everything) {
          const r = await session.get(`/${kind}/${id}`);
          const oneWay = role === 'admin' && kind === 'coaching'; // their own sessions only
          if (r.status !== 200 && r.status !== 404) wrong.push(`${role}: /${kind}/${id} answers ${r.status}`);
          else if ((r.status === 200) !== listed.has(id) && !(oneWay && r.status === 200))
            wrong.push(`${role}: /${kind}/${id} answers ${r.status} but ${listPath} ${listed.has(id) ? 'lists' : 'leaves out'} it`);
        }
        for (const id of listed) if (!everything.includes(id)) wrong.push(`${role}: ${listPath} lists /${kind}/${id}, which the administrator does not see`);
      }
    }
    assert.deepEqual(wrong, [], wrong.join('\n'));
  });

  /* The requests of one row: [{caller, target ('mine', 'other' or undefined), expected}]. */
  function casesOf(row) {
    const cases = [];
    for (const caller of CALLERS) {
      const kind = recordOf(row);
      if (!kind) {
        cases.push({ caller, expected: row.allow.includes(caller) ? 'allow' : 'deny' });
        continue;
      }
      for (const target of ['mine', 'other']) {
        const key = (row.targets?.[caller] ?? TARGETS[kind][caller])[target];
        if (key === null || key === undefined) continue;
        cases.push({ caller, target, key, expected: row[target].includes(caller) ? 'allow' : 'deny' });
      }
    }
    // The administrator last: their requests succeed, and some destroy what they touch.
    return [...cases.filter((c) => c.caller !== 'admin'), ...cases.filter((c) => c.caller === 'admin')];
  }

  async function ask(routeKey, route, row, c) {
    const values = {};
    for (const [name, v] of Object.entries(row.params || {})) values[name] = valueOf(v, ctx, c.key, c.caller);
    const kind = recordOf(row);
    if (kind) {
      const first = route.pattern.match(/\{([a-z_]+)\}/)[1];
      if (kind === 'user') values[first] = ctx.ids[c.key];
      else if (kind === 'token') values[first] = ctx.records.token[routeKey][c.caller][c.key];
      else values[first] = ctx.records[kind][c.key];
      assert.ok(values[first], `${routeKey}: no ${kind} record "${c.key}"`);
    }
    const url = fillPattern(route.pattern, values) + (row.query || '');
    const body = valueOf(row.body, ctx, c.key, c.caller);
    if (route.kind === 'api') {
      const api = ctx.api[c.caller];
      const unsafe = UNSAFE(route.method);
      return api.request(route.method, url, unsafe ? { body: body ?? {}, contentType: row.contentType } : {});
    }
    let session = ctx.pages[c.caller];
    if (row.freshSession && c.caller !== 'anonymous') session = await signIn(ctx.server, demoEmail(c.caller));
    if (route.method === 'GET') return session.get(url);
    if (row.upload) {
      // multipart/form-data, as a browser sends a file, with the CSRF token as a field before it
      const boundary = 'matrix-upload-boundary';
      const part = (headers) => Buffer.from(`--${boundary}\r\n${headers}\r\n\r\n`);
      const body = Buffer.concat([
        part('Content-Disposition: form-data; name="csrf_token"'),
        Buffer.from(`${await session.csrfToken()}\r\n`),
        part(`Content-Disposition: form-data; name="file"; filename="${row.upload.name}"\r\nContent-Type: ${row.upload.type}`),
        Buffer.from(row.upload.data),
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      return session.request('POST', url, { headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, body });
    }
    return session.post(url, valueOf(row.form, ctx, c.key, c.caller) || {});
  }

  describe('each route, as each caller', () => {
    // Rows run in the order of EXPECTED, except that those marked last run after the others, and
    // those marked last: 2 after those.
    const phase = (k) => (EXPECTED[k].last === 2 ? 2 : EXPECTED[k].last ? 1 : 0);
    const ordered = Object.keys(EXPECTED).sort((a, b) => phase(a) - phase(b)); // a stable sort
    for (const routeKey of ordered) {
      test(routeKey, async (t) => {
        const route = routes.find((r) => `${r.method} ${r.pattern}` === routeKey);
        if (!route) {
          t.skip('not in npq routes (reported above)');
          return;
        }
        const row = EXPECTED[routeKey];
        const wrong = [];
        for (const c of casesOf(row)) {
          const r = await ask(routeKey, route, row, c);
          const got = verdict(r, c.target);
          results.push({ routeKey, ...c, status: r.status, got });
          if (got !== c.expected) {
            const who = c.target ? `${c.caller} on ${c.target} (${c.key})` : c.caller;
            wrong.push(`${who}: expected ${c.expected}, got ${got} (${r.status}${r.status === 303 ? ` → ${r.headers.get('location')}` : ''}) ${r.text.replace(/\s+/g, ' ').slice(0, 160)}`);
          }
        }
        assert.deepEqual(wrong, [], `${routeKey}:\n  ${wrong.join('\n  ')}`);
      });
    }
  });

  test('the matrix asked every caller about every route', () => {
    const asked = new Set(results.map((r) => `${r.routeKey}|${r.caller}`));
    const missing = [];
    for (const r of routes) {
      const key = `${r.method} ${r.pattern}`;
      if (!(key in EXPECTED)) continue;
      for (const caller of CALLERS) if (!asked.has(`${key}|${caller}`)) missing.push(`${key} as ${caller}`);
    }
    assert.deepEqual(missing, []);
  });
});
