'use strict';
/*
 * Building a programme through the API, for the tests that need people enrolled before they can
 * look at what follows (progress, its lists and its exports): one way to check an answer, to add
 * a person with a token, and to take a participant from application to enrolment.
 */
const assert = require('node:assert/strict');

const { runNpq } = require('./helpers');
const { apiAs, DEMO_PASSWORD } = require('./auth_helpers');

/* An answer in words for an assertion's message. */
const show = (r) => `${r.status} ${r.text.slice(0, 800)}`;

/*
 * A deadline n calendar days from today, at noon UTC. Progress counts days by calendar date, so
 * "now plus n days" would be n + 1 days away when a test runs in the hour before midnight.
 */
function noonInDays(n) {
  const noon = new Date();
  noon.setUTCHours(12, 0, 0, 0);
  return new Date(noon.getTime() + n * 24 * 3600 * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/* Asserts r has status; resolves its JSON (null for a 204). */
function ok(r, status, what) {
  assert.equal(r.status, status, `${what}: ${show(r)}`);
  return r.status === 204 ? null : r.json();
}

/* Adds a person by `npq user add` (the demo password) with a token; resolves {id, as}. */
async function addPerson(ctx, email, name, role, organisation) {
  const args = ['user', 'add', '--db', ctx.dbPath, '--email', email, '--name', name, '--role', role, '--password-stdin'];
  if (organisation) args.push('--organisation', String(organisation));
  const r = await runNpq(args, { input: `${DEMO_PASSWORD}\n` });
  assert.equal(r.code, 0, `npq user add ${email}: ${r.stderr}`);
  const t = await runNpq(['token', 'create', '--db', ctx.dbPath, '--email', email, '--name', 'lists']);
  assert.equal(t.code, 0, t.stderr);
  return { id: Number(r.stdout.trim()), as: apiAs(ctx.server, t.stdout.trim(), email) };
}

/* Takes as[who] from an NPQSL application at school, sponsored by sponsor (sponsorAs approving),
 * to an enrolment in cohort; resolves the enrolment's id. */
async function enrolNpqsl(as, cohort, who, school, sponsor, sponsorAs) {
  const application = ok(
    await as[who].post('/api/v1/applications', {
      kind: 'qualification',
      target: 'NPQSL',
      electives: ['improving-the-quality-of-teaching', 'school-self-evaluation'],
      school_id: school,
      sponsor_id: sponsor,
      job_role: 'Assistant head',
      delivery_model: 'blended',
      funding_route: 'school',
    }),
    201,
    `${who}'s application`,
  );
  ok(await as[who].post(`/api/v1/applications/${application.id}/submit`), 200, 'submit');
  ok(await sponsorAs.post(`/api/v1/applications/${application.id}/approve`), 200, 'approve');
  ok(await as.admin.post(`/api/v1/applications/${application.id}/accept`), 200, 'accept');
  return ok(await as.admin.post(`/api/v1/applications/${application.id}/enrol`, { cohort_id: cohort }), 200, 'enrol').enrolment_id;
}

module.exports = { show, ok, addPerson, enrolNpqsl, noonInDays };
