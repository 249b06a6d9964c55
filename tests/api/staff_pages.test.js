'use strict';
/*
 * The staff's pages for what the API alone could do before: cohorts added and changed with their
 * staff, venues, and the rest of the programme's running. Each form is driven over HTTP as a
 * browser would (GET the form, POST it with the CSRF token, follow the 303) and what it did is
 * checked through the API; each form is also sent wrong once, and must come back with what was
 * typed and the GOV.UK error summary in the order of its fields, at the form's own address.
 *
 *   NPQ_BIN=build/npq node --test --test-concurrency=1 tests/api/staff_pages.test.js
 *
 * The tests share one server on a demo database and run in order; each says what it relies on.
 */
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');

const { startServer } = require('./helpers');
const { prepareDemoDb, apiAs, signIn } = require('./auth_helpers');

const YEAR = new Date().getUTCFullYear() + 1;

let server;
let demo;
let as; // API callers by key
const pages = {}; // signed-in sessions by key
const org = {};
const made = {}; // records made through the pages

const show = (r) => `${r.status} ${r.text.slice(0, 1500)}`;

function expectStatus(r, status, what) {
  assert.equal(r.status, status, `${what}: expected ${status}, got ${show(r)}`);
  return r.status === 204 || !/json/.test(r.headers.get('content-type') || '') ? r : r.json();
}

function textOf(html) {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

function expectPage(r, status, what) {
  assert.equal(r.status, status, `${what}: expected ${status}, got ${r.status}\n${textOf(r.text).slice(0, 1500)}`);
  assert.match(r.headers.get('content-type') || '', /^text\/html/, `${what}: an HTML page`);
  return r.text;
}

function expectRedirect(r, location, what) {
  assert.equal(r.status, 303, `${what}: expected 303, got ${r.status}\n${textOf(r.text).slice(0, 1500)}`);
  const got = r.headers.get('location');
  if (location instanceof RegExp) assert.match(got, location, `${what}: Location`);
  else assert.equal(got, location, `${what}: Location`);
  return got;
}

/* The error summary's links (field ids), in order. */
function errorFields(html) {
  const box = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html);
  if (!box) return [];
  return [...box[0].matchAll(/<li><a href="#([^"]*)">/g)].map((m) => m[1]);
}

/* The value of a text input, or undefined. */
function inputValue(html, name) {
  const m = new RegExp(`<input[^>]*name="${name}"[^>]*value="([^"]*)"`).exec(html);
  return m ? m[1].replace(/&amp;/g, '&').replace(/&quot;/g, '"') : undefined;
}

/* The chosen option of a select, or undefined. */
function selected(html, name) {
  const select = new RegExp(`<select[^>]*name="${name}"[\\s\\S]*?</select>`).exec(html);
  if (!select) return undefined;
  const m = /<option value="([^"]*)" selected/.exec(select[0]);
  return m ? m[1] : '';
}

before(async () => {
  demo = await prepareDemoDb();
  server = await startServer({ db: demo.dbPath, threads: 2 });
  as = Object.fromEntries(Object.entries(demo.tokens).map(([key, token]) => [key, apiAs(server, token, key)]));
  const orgs = (await as.admin.json('/api/v1/organisations')).organisations;
  org.partner = orgs.find((o) => o.kind === 'delivery_partner' && o.name === 'North West Teaching School Hub').id;
  org.school = orgs.find((o) => o.kind === 'school').id;
  for (const key of ['admin', 'partner_lead', 'facilitator', 'coach', 'participant', 'assessor'])
    pages[key] = await signIn(server, demo.emails[key]);
});

after(async () => {
  await server?.stop();
});

/* ---------------------------------------------------------------- cohorts */

test('an administrator adds a cohort on a page; a wrong form comes back as typed, errors in form order', async () => {
  const form = expectPage(await pages.admin.get('/cohorts/new?target=NPQSL'), 200, 'the form');
  assert.equal(selected(form, 'target'), 'qualification:NPQSL', 'the qualification a dead end named is chosen');
  assert.match(textOf(expectPage(await pages.admin.get('/delivery'), 200, '/delivery')), /Add a cohort/);
  assert.doesNotMatch(textOf(expectPage(await pages.partner_lead.get('/delivery'), 200, '/delivery')), /Add a cohort/);
  expectPage(await pages.partner_lead.get('/cohorts/new'), 403, 'a partner lead may not add cohorts');

  const fields = {
    code: 'NPQSL-PAGES-1',
    target: 'qualification:NPQSL',
    delivery_model: 'blended',
    'starts_on-day': '1',
    'starts_on-month': '9',
    'starts_on-year': String(YEAR),
    'ends_on-day': '31',
    'ends_on-month': '7',
    'ends_on-year': String(YEAR + 1),
    delivery_partner_id: String(org.partner),
  };
  // Wrong: an end date before the start, a date that does not exist, no delivery.
  const bad = await pages.admin.post('/cohorts/new', { ...fields, delivery_model: '', 'starts_on-day': '31', 'starts_on-month': '2', 'ends_on-year': String(YEAR - 2) });
  const html = expectPage(bad, 422, 'a wrong cohort');
  assert.deepEqual(errorFields(html), ['delivery_model', 'starts_on'], 'the summary follows the form');
  assert.match(html, /^[\s\S]*<title>Error: /);
  assert.equal(inputValue(html, 'code'), 'NPQSL-PAGES-1', 'the code is kept');
  assert.equal(inputValue(html, 'starts_on-day'), '31', 'the typed day is kept');
  assert.equal(selected(html, 'delivery_partner_id'), String(org.partner), 'the partner is kept');
  assert.equal((await as.admin.json('/api/v1/cohorts')).cohorts.filter((c) => c.code === 'NPQSL-PAGES-1').length, 0, 'nothing saved');

  const ends = await pages.admin.post('/cohorts/new', { ...fields, 'ends_on-year': String(YEAR - 1) });
  assert.deepEqual(errorFields(expectPage(ends, 422, 'an end before the start')), ['ends_on']);

  const location = expectRedirect(await pages.admin.post('/cohorts/new', fields), /^\/cohorts\/\d+\?notice=cohort_added$/, 'added');
  made.cohort = Number(/\/cohorts\/(\d+)/.exec(location)[1]);
  const c = await as.admin.json(`/api/v1/cohorts/${made.cohort}`);
  assert.equal(c.cohort.code, 'NPQSL-PAGES-1');
  const listed = (await as.admin.json('/api/v1/cohorts')).cohorts.find((x) => x.id === made.cohort);
  assert.deepEqual(
    [listed.target, listed.delivery_model, listed.starts_on, listed.ends_on, listed.delivery_partner.id],
    ['NPQSL', 'blended', `${YEAR}-09-01`, `${YEAR + 1}-07-31`, org.partner],
  );
  assert.match(textOf(expectPage(await pages.admin.get(location), 200, 'the new cohort')), /Cohort added/);

  const again = await pages.admin.post('/cohorts/new', fields);
  assert.deepEqual(errorFields(expectPage(again, 422, 'a code taken')), ['code']);
});

test('a cohort is changed on a page and through the API alike; what it studies stays', async () => {
  // Relies on: the cohort added above.
  const url = `/cohorts/${made.cohort}/edit`;
  const form = expectPage(await pages.admin.get(url), 200, 'the edit form');
  assert.equal(inputValue(form, 'code'), 'NPQSL-PAGES-1');
  assert.equal(inputValue(form, 'starts_on-month'), '9', 'the stored date in three boxes');
  expectPage(await pages.partner_lead.get(url), 403, 'a partner lead may not change cohorts');

  const fields = {
    code: 'NPQSL-PAGES-ONLINE',
    delivery_model: 'online',
    'starts_on-day': '2',
    'starts_on-month': '9',
    'starts_on-year': String(YEAR),
    'ends_on-day': '30',
    'ends_on-month': '6',
    'ends_on-year': String(YEAR + 1),
    delivery_partner_id: String(org.partner),
  };
  const bad = expectPage(await pages.admin.post(url, { ...fields, code: '', 'ends_on-month': '13' }), 422, 'a wrong change');
  assert.deepEqual(errorFields(bad), ['code', 'ends_on']);
  expectRedirect(await pages.admin.post(url, fields), `/cohorts/${made.cohort}?notice=cohort_changed`, 'changed');
  let listed = (await as.admin.json('/api/v1/cohorts')).cohorts.find((x) => x.id === made.cohort);
  assert.deepEqual([listed.code, listed.delivery_model, listed.starts_on, listed.ends_on], ['NPQSL-PAGES-ONLINE', 'online', `${YEAR}-09-02`, `${YEAR + 1}-06-30`]);

  const api = `/api/v1/cohorts/${made.cohort}`;
  listed = expectStatus(await as.admin.patch(api, { delivery_model: 'blended' }), 200, 'the API changes one member');
  assert.deepEqual([listed.code, listed.delivery_model], ['NPQSL-PAGES-ONLINE', 'blended']);
  const refused = expectStatus(await as.admin.patch(api, { target: 'NPQH' }), 422, 'what it studies cannot change');
  assert.deepEqual(refused.error.fields.map((f) => f.field), ['target']);
  expectStatus(await as.partner_lead.patch(api, { code: 'X' }), 403, 'partner leads may not');
});

test("a cohort's staff are added and removed on its page, by those who manage its delivery", async () => {
  // Relies on: the cohort added above (the demo's partner), the demo's facilitator and coach.
  const url = `/cohorts/${made.cohort}`;
  const html = expectPage(await pages.partner_lead.get(url), 200, 'the cohort');
  assert.match(html, new RegExp(`<option value="facilitator:${demo.ids.facilitator}"`), 'facilitators to choose from');
  const bad = expectPage(await pages.partner_lead.post(`${url}/staff`, { staff: `facilitator:${demo.ids.coach}` }), 422, 'a coach as a facilitator');
  assert.deepEqual(errorFields(bad), ['staff']);
  assert.match(textOf(bad), /is not a facilitator/);
  expectRedirect(await pages.partner_lead.post(`${url}/staff`, { staff: `facilitator:${demo.ids.facilitator}` }), `${url}?notice=staff_added#staff`, 'added');
  expectRedirect(await pages.admin.post(`${url}/staff`, { staff: `coach:${demo.ids.coach}` }), `${url}?notice=staff_added#staff`, 'added');
  let staff = (await as.admin.json(`/api/v1/cohorts/${made.cohort}`)).staff.map((s) => `${s.role}:${s.user.id}`).sort();
  assert.deepEqual(staff, [`coach:${demo.ids.coach}`, `facilitator:${demo.ids.facilitator}`]);
  expectRedirect(await pages.partner_lead.post(`${url}/staff/${demo.ids.coach}/coach/remove`), `${url}?notice=staff_removed#staff`, 'removed');
  staff = (await as.admin.json(`/api/v1/cohorts/${made.cohort}`)).staff.map((s) => s.role);
  assert.deepEqual(staff, ['facilitator']);
  expectPage(await pages.facilitator.post(`${url}/staff`, { staff: `coach:${demo.ids.coach}` }), 403, 'a facilitator may not');
});

/* ---------------------------------------------------------------- venues */

test('venues are listed, added and changed on pages; wrong forms keep what was typed', async () => {
  const list = textOf(expectPage(await pages.facilitator.get('/venues'), 200, 'a facilitator sees venues'));
  assert.doesNotMatch(list, /Add a venue/, 'but cannot add one');
  expectPage(await pages.facilitator.get('/venues/new'), 403, 'a facilitator may not add venues');
  expectPage(await pages.partner_lead.get('/venues/new'), 200, 'the form');
  const fields = { delivery_partner_id: String(org.partner), name: 'Pages Hall', address: '2 Deansgate, Manchester', postcode: 'm3 1aa', capacity: '40', accessibility: 'Step-free' };
  const bad = expectPage(await pages.partner_lead.post('/venues/new', { ...fields, name: '', postcode: 'nowhere', capacity: 'lots' }), 422, 'a wrong venue');
  assert.deepEqual(errorFields(bad), ['name', 'postcode', 'capacity']);
  assert.equal(inputValue(bad, 'postcode'), 'nowhere');
  assert.equal(inputValue(bad, 'capacity'), 'lots');
  expectRedirect(await pages.partner_lead.post('/venues/new', fields), '/venues?notice=venue_added', 'added');
  const venue = (await as.admin.json('/api/v1/venues')).venues.find((v) => v.name === 'Pages Hall');
  assert.deepEqual([venue.postcode, venue.capacity, venue.delivery_partner.id], ['M3 1AA', 40, org.partner]);
  made.venue = venue.id;

  const url = `/venues/${venue.id}/edit`;
  assert.equal(inputValue(expectPage(await pages.partner_lead.get(url), 200, 'the edit form'), 'name'), 'Pages Hall');
  const badEdit = expectPage(await pages.partner_lead.post(url, { ...fields, capacity: '0' }), 422, 'no places');
  assert.deepEqual(errorFields(badEdit), ['capacity']);
  expectRedirect(await pages.partner_lead.post(url, { ...fields, name: 'Pages Hall East', capacity: '35' }), '/venues?notice=venue_changed', 'changed');
  const changed = await as.admin.json(`/api/v1/venues/${venue.id}`);
  assert.deepEqual([changed.name, changed.capacity], ['Pages Hall East', 35]);
  expectPage(await pages.facilitator.post(url, fields), 403, 'a facilitator may not change venues');
});

/* ---------------------------------------------------------------- events */

test('an event is changed on its page against the version shown; wrong changes come back in form order', async () => {
  // Relies on: the cohort (blended, the demo partner's) and the venue added above.
  const event = expectStatus(
    await as.partner_lead.post('/api/v1/events', {
      cohort_id: made.cohort,
      kind: 'face_to_face',
      title: 'Pages day one',
      venue_id: made.venue,
      starts_at: `${YEAR}-10-06T08:30:00Z`,
      ends_at: `${YEAR}-10-06T15:00:00Z`,
      capacity: 20,
    }),
    201,
    'an event',
  );
  made.event = event.id;
  const url = `/events/${event.id}/edit`;
  assert.match(textOf(expectPage(await pages.partner_lead.get(`/events/${event.id}`), 200, 'the event')), /Change the event/);
  const form = expectPage(await pages.partner_lead.get(url), 200, 'the edit form');
  assert.equal(inputValue(form, 'title'), 'Pages day one');
  assert.deepEqual(['date-day', 'date-month', 'starts_at', 'ends_at', 'capacity'].map((n) => inputValue(form, n)), ['6', '10', '9:30', '16:00', '20'], 'UK time in October');
  expectPage(await pages.facilitator.get(url), 403, 'a facilitator may not change events');

  const fields = {
    sequence: inputValue(form, 'sequence'),
    kind: 'face_to_face',
    title: 'Pages day one (moved)',
    module: '',
    framework_area: '',
    venue_id: String(made.venue),
    joining_url: '',
    'date-day': '7',
    'date-month': '10',
    'date-year': String(YEAR),
    starts_at: '10am',
    ends_at: '4pm',
    capacity: '18',
    facilitator_id: '',
  };
  const bad = expectPage(await pages.partner_lead.post(url, { ...fields, title: '', ends_at: 'late' }), 422, 'a wrong change');
  assert.deepEqual(errorFields(bad), ['title', 'ends_at'], 'the summary follows the form');
  assert.equal(inputValue(bad, 'ends_at'), 'late', 'what was typed is kept');
  expectRedirect(await pages.partner_lead.post(url, fields), `/events/${event.id}?notice=changed`, 'changed');
  const changed = await as.admin.json(`/api/v1/events/${event.id}`);
  assert.deepEqual([changed.title, changed.starts_at, changed.ends_at, changed.capacity], ['Pages day one (moved)', `${YEAR}-10-07T09:00:00Z`, `${YEAR}-10-07T15:00:00Z`, 18]);

  const stale = expectPage(await pages.partner_lead.post(url, { ...fields, title: 'An older form' }), 409, 'a form older than the event');
  assert.match(textOf(stale), /Someone else changed this event/);
  assert.equal((await as.admin.json(`/api/v1/events/${event.id}`)).title, 'Pages day one (moved)', 'nothing saved');
});

test('cancelling an event asks first, then cancels', async () => {
  // Relies on: the event changed above.
  const url = `/events/${made.event}`;
  const page = expectPage(await pages.partner_lead.get(url), 200, 'the event');
  assert.match(page, new RegExp(`<a class="govuk-button govuk-button--warning" href="${url}/cancel">`), 'a link to the question, not a button that cancels');
  const confirm = expectPage(await pages.partner_lead.get(`${url}/cancel`), 200, 'the question');
  assert.match(textOf(confirm), /Are you sure you want to cancel this event\? .* This cannot be undone/);
  assert.equal((await as.admin.json(`/api/v1/events/${made.event}`)).cancelled_at ?? null, null, 'asking cancels nothing');
  expectPage(await pages.facilitator.get(`${url}/cancel`), 403, 'a facilitator is not asked');
  expectRedirect(await pages.partner_lead.post(`${url}/cancel`), `${url}?notice=cancelled`, 'cancelled');
  assert.ok((await as.admin.json(`/api/v1/events/${made.event}`)).cancelled_at, 'the API sees it cancelled');
  expectPage(await pages.partner_lead.get(`${url}/cancel`), 409, 'cancelled already');
  expectPage(await pages.partner_lead.get(`${url}/edit`), 409, 'a cancelled event cannot be changed');
});

/* ---------------------------------------------------------------- fees, reports, completions, awards */

test('fees are set on a page in pounds and read through the API in pence', async () => {
  expectPage(await pages.partner_lead.get('/programme/fees'), 403, 'partner leads do not set fees');
  const form = textOf(expectPage(await pages.admin.get('/programme/fees'), 200, 'the fees'));
  assert.match(form, /National Professional Qualification for Senior Leadership \(NPQSL\) To be confirmed/);
  const bad = expectPage(await pages.admin.post('/programme/fees', { code: '', amount_pence: 'lots' }), 422, 'a wrong fee');
  assert.deepEqual(errorFields(bad), ['code', 'amount_pence']);
  assert.equal(inputValue(bad, 'amount_pence'), 'lots', 'what was typed is kept');
  expectRedirect(await pages.admin.post('/programme/fees', { code: 'qualification:NPQSL', amount_pence: '£1,250.50' }), '/programme/fees?notice=fee_set', 'set');
  const fee = (await as.admin.json('/api/v1/fees')).fees.find((f) => f.kind === 'qualification' && f.code === 'NPQSL');
  assert.equal(fee.amount_pence, 125050);
  assert.match(textOf(expectPage(await pages.admin.get('/programme/fees?notice=fee_set'), 200, 'the fees')), /Fee saved .*Senior Leadership \(NPQSL\) £1,250\.50/);
  expectRedirect(await pages.admin.post('/programme/fees', { code: 'qualification:NPQSL', amount_pence: '' }), '/programme/fees?notice=fee_set', 'back to to be confirmed');
  assert.equal((await as.admin.json('/api/v1/fees')).fees.find((f) => f.code === 'NPQSL').amount_pence, null);
});

test('the funding report is a page, and its CSV links work from the signed-in session', async () => {
  // The demo participant enrolled in the cohort added above, for this test and the ones after.
  const draft = expectStatus(
    await as.admin.post('/api/v1/applications', {
      participant_id: demo.ids.participant,
      kind: 'qualification',
      target: 'NPQSL',
      electives: ['improving-the-quality-of-teaching', 'school-self-evaluation'],
      school_id: org.school,
      sponsor_id: demo.ids.headteacher,
      job_role: 'Assistant head',
      delivery_model: 'blended',
      funding_route: 'school',
    }),
    201,
    'a draft',
  );
  for (const [caller, step, body] of [[as.admin, 'submit'], [as.headteacher, 'approve'], [as.admin, 'accept'], [as.admin, 'enrol', { cohort_id: made.cohort }]])
    expectStatus(await caller.post(`/api/v1/applications/${draft.id}/${step}`, body), 200, step);

  expectPage(await pages.partner_lead.get('/programme/reports'), 403, 'partner leads do not see the report');
  const html = expectPage(await pages.admin.get('/programme/reports'), 200, 'the report');
  const report = await as.admin.json('/api/v1/reports/funding');
  const schoolTotal = report.by_funding_route.school ?? 0;
  assert.ok(schoolTotal >= 1, JSON.stringify(report));
  assert.match(textOf(html), new RegExp(`School-funded ${schoolTotal} enrolments? `), 'the totals are those of the API');
  const links = [...html.matchAll(/href="(\/api\/v1\/[^"]+)" download/g)].map((m) => m[1].replace(/&amp;/g, '&'));
  assert.deepEqual(links, ['/api/v1/reports/funding?format=csv', '/api/v1/exports/applications.csv', '/api/v1/exports/enrolments.csv']);
  for (const link of links) {
    const r = await pages.admin.get(link);
    assert.equal(r.status, 200, `${link}: ${r.status}`);
    assert.match(r.headers.get('content-type'), /^text\/csv/, link);
  }
});

test('a completed module is recorded on a page; the pathway says so', async () => {
  const id = demo.ids.participant;
  const url = `/participants/${id}/completions`;
  assert.match(expectPage(await pages.admin.get(`/participants/${id}/pathway`), 200, 'the pathway'), new RegExp(`href="${url}"`), 'a link to the form');
  assert.doesNotMatch(expectPage(await pages.coach.get(`/participants/${id}/pathway`), 200, 'the coach sees the pathway'), new RegExp(`href="${url}"`), 'but no link');
  expectPage(await pages.admin.get(url), 200, 'the form');
  expectPage(await pages.coach.get(url), 403, 'a coach may not record completions');
  const bad = expectPage(await pages.admin.post(url, { module: '', 'completed_on-day': '31', 'completed_on-month': '2', 'completed_on-year': '2026', note: 'Seen' }), 422, 'a wrong completion');
  assert.deepEqual(errorFields(bad), ['module', 'completed_on']);
  assert.equal(inputValue(bad, 'completed_on-day'), '31');
  assert.match(bad, /<textarea[^>]*name="note"[^>]*>Seen<\/textarea>/, 'the note is kept');
  const fields = { module: 'closing-the-gap', 'completed_on-day': '20', 'completed_on-month': '3', 'completed_on-year': '2026', note: '' };
  expectRedirect(await pages.admin.post(url, fields), `/participants/${id}/pathway?notice=completed`, 'recorded');
  const pathway = await as.admin.json(`/api/v1/participants/${id}/pathway`);
  assert.ok(pathway.completed_modules.some((m) => (m.module ?? m.code) === 'closing-the-gap' && m.completed_on === '2026-03-20'), JSON.stringify(pathway.completed_modules));
  const again = expectPage(await pages.admin.post(url, fields), 409, 'recorded already');
  assert.match(textOf(again), /Closing the gap is already recorded as completed/);
});

test('the award decision says in words what remains, and refuses to award before it is met', async () => {
  // Relies on: the demo participant's NPQSL enrolment, with one module completed above.
  const enrolments = (await as.admin.json('/api/v1/enrolments')).enrolments;
  const enrolment = enrolments.find((e) => (e.participant?.id ?? e.participant_id) === demo.ids.participant && e.target === 'NPQSL');
  assert.ok(enrolment, JSON.stringify(enrolments).slice(0, 500));
  const check = await as.admin.json(`/api/v1/enrolments/${enrolment.id}/award-check`);
  assert.equal(check.eligible, false);
  const url = `/enrolments/${enrolment.id}/award`;
  assert.match(expectPage(await pages.admin.get(`/enrolments/${enrolment.id}`), 200, 'the enrolment'), new RegExp(`href="${url}"`), 'a link to the decision');
  const html = expectPage(await pages.admin.get(url), 200, 'the decision');
  assert.match(textOf(html), new RegExp(`Not ready to award: Pat Participant ${check.why.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.`), 'the API\'s words');
  assert.match(check.why, /needs .*more/, 'words like "needs 1 more elective"');
  assert.doesNotMatch(html, /Award the NPQSL to/, 'no button while not met');
  const refused = expectPage(await pages.admin.post(url), 422, 'awarding too soon');
  assert.deepEqual(errorFields(refused), ['award']);
  assert.equal((await as.admin.json(`/api/v1/enrolments/${enrolment.id}/award-check`)).award, null, 'nothing awarded');
  expectPage(await pages.participant.get(url), 403, 'the participant does not decide');
});

/* ---------------------------------------------------------------- assessment tasks and release */

test('a task with its brief and criteria is set and changed on pages; the API reads what was typed', async () => {
  expectPage(await pages.assessor.get('/assessment/tasks/new'), 403, 'assessors do not set tasks');
  assert.match(expectPage(await pages.admin.get('/assessment'), 200, 'assessment'), /href="\/assessment\/tasks"/);
  expectPage(await pages.admin.get('/assessment/tasks/new'), 200, 'the form');
  const fields = {
    target: 'module:closing-the-gap',
    title: 'Closing the gap: a case study',
    brief: '# The task\r\n\r\nWrite about **one** intervention.',
    'deadline-day': '30',
    'deadline-month': '4',
    'deadline-year': String(YEAR),
    deadline_time: '5pm',
    word_limit: '2500',
    max_resubmissions: '1',
    moderation_percent: '0',
    max_file_mib: '20',
    criteria: 'Evidence: uses data on attainment\r\n\r\nPlanning: sets out the change and its measures\r\n',
  };
  assert.equal(inputValue(expectPage(await pages.admin.get('/assessment/tasks/new'), 200, 'the form'), 'max_file_mib'), '50', '50 MiB unless changed');
  const bad = expectPage(
    await pages.admin.post('/assessment/tasks/new', { ...fields, title: '', deadline_time: 'teatime', word_limit: 'many', max_file_mib: '2000', criteria: '' }),
    422,
    'a wrong task',
  );
  assert.deepEqual(errorFields(bad), ['title', 'deadline_time', 'word_limit', 'max_file_mib', 'criteria'], 'every problem at once, in form order');
  assert.equal(inputValue(bad, 'max_file_mib'), '2000', 'the limit as typed');
  const words = expectPage(await pages.admin.post('/assessment/tasks/new', { ...fields, max_file_mib: 'lots' }), 422, 'a limit in words');
  assert.deepEqual(errorFields(words), ['max_file_mib']);
  assert.equal(inputValue(bad, 'deadline_time'), 'teatime');
  assert.match(bad, /<textarea[^>]*name="brief"[^>]*># The task/, 'the brief is kept');
  expectRedirect(await pages.admin.post('/assessment/tasks/new', fields), '/assessment/tasks?notice=task_set', 'set');
  const task = (await as.admin.json('/api/v1/assessment-tasks?target=closing-the-gap')).tasks.find((t) => t.title === fields.title);
  assert.ok(task, 'the API lists it');
  assert.equal(task.deadline, `${YEAR}-04-30T16:00:00Z`, '5pm in British Summer Time');
  assert.equal(task.word_limit, 2500);
  assert.equal(task.max_file_bytes, 20 * 1024 * 1024, 'the limit typed in MiB');
  assert.deepEqual(task.criteria.map((c) => [c.title, c.descriptor]), [['Evidence', 'uses data on attainment'], ['Planning', 'sets out the change and its measures']]);
  assert.match(task.brief, /Write about \*\*one\*\* intervention/);
  made.task = task.id;

  const url = `/assessment/tasks/${task.id}/edit`;
  const form = expectPage(await pages.admin.get(url), 200, 'the edit form');
  assert.equal(inputValue(form, 'deadline_time'), '17:00');
  assert.match(form, /<textarea[^>]*name="criteria"[^>]*>Evidence: uses data on attainment\nPlanning: sets out/);
  const badEdit = expectPage(await pages.admin.post(url, { ...fields, moderation_percent: '120' }), 422, 'too much moderation');
  assert.deepEqual(errorFields(badEdit), ['moderation_percent']);
  expectRedirect(await pages.admin.post(url, { ...fields, title: 'Closing the gap: case study', moderation_percent: '0' }), '/assessment/tasks?notice=task_changed', 'changed');
  assert.equal((await as.admin.json(`/api/v1/assessment-tasks/${task.id}`)).title, 'Closing the gap: case study');
  // A limit set through the API that is no whole number of MiB is kept exactly when the form is saved as shown.
  expectStatus(await as.admin.patch(`/api/v1/assessment-tasks/${task.id}`, { max_file_bytes: 512 * 1024 }), 200, 'half a MiB');
  const half = expectPage(await pages.admin.get(url), 200, 'the edit form');
  assert.equal(inputValue(half, 'max_file_mib'), '0.5');
  expectRedirect(await pages.admin.post(url, { ...fields, title: 'Closing the gap: case study', max_file_mib: '0.5' }), '/assessment/tasks?notice=task_changed', 'saved as shown');
  assert.equal((await as.admin.json(`/api/v1/assessment-tasks/${task.id}`)).max_file_bytes, 512 * 1024, 'kept exactly');
  expectRedirect(await pages.admin.post(url, { ...fields, title: 'Closing the gap: case study', max_file_mib: '30' }), '/assessment/tasks?notice=task_changed', 'a new limit');
  assert.equal((await as.admin.json(`/api/v1/assessment-tasks/${task.id}`)).max_file_bytes, 30 * 1024 * 1024);
  assert.match(textOf(expectPage(await pages.admin.get('/assessment/tasks'), 200, 'tasks')), /Up to 30 MiB each/, 'the list says it in words');
});

test('the release queue lists marked work ready for release, and only that', async () => {
  // Relies on: the task above (no moderation) and the demo participant's enrolment in the cohort.
  const empty = expectPage(await pages.admin.get('/assessment/release'), 200, 'the queue');
  assert.match(textOf(empty), /No results are waiting for release/);
  expectPage(await pages.assessor.get('/assessment/release'), 403, 'assessors do not release');
  const enrolment = (await as.admin.json('/api/v1/enrolments')).enrolments.find((e) => (e.participant?.id ?? e.participant_id) === demo.ids.participant);
  const sub = expectStatus(await as.participant.post('/api/v1/submissions', { task_id: made.task, enrolment_id: enrolment.id }), 201, 'a draft');
  expectStatus(await as.participant.patch(`/api/v1/submissions/${sub.id}`, { activity: 'Reading in Year 7', text: 'What we did and what changed.' }), 200, 'saved');
  expectStatus(await as.participant.post(`/api/v1/submissions/${sub.id}/submit`), 200, 'submitted');
  assert.match(textOf(expectPage(await pages.admin.get('/assessment/release'), 200, 'the queue')), /No results are waiting/, 'not before it is marked');
  expectStatus(
    await as.assessor.post(`/api/v1/submissions/${sub.id}/marks`, { outcome: 'pass', criteria: [{ met: true, comment: 'Yes' }, { met: true, comment: 'Yes' }], feedback: 'Clear.' }),
    201,
    'marked',
  );
  const queue = expectPage(await pages.admin.get('/assessment/release'), 200, 'the queue');
  assert.match(textOf(queue), /Pat Participant: Closing the gap: case study/);
  assert.match(queue, new RegExp(`href="/submissions/${sub.id}">Check and release`));
  expectRedirect(await pages.admin.post(`/submissions/${sub.id}/release`), new RegExp(`^/submissions/${sub.id}`), 'released');
  assert.match(textOf(expectPage(await pages.admin.get('/assessment/release'), 200, 'the queue')), /No results are waiting/, 'gone once released');
});

/* ---------------------------------------------------------------- coaching */

test('a coach or a participant books a coaching session on a page; a wrong form keeps what was typed', async () => {
  // Relies on: the demo's coach assigned to the demo participant.
  const pair = `${demo.ids.coach}:${demo.ids.participant}`;
  assert.match(expectPage(await pages.coach.get('/coaching'), 200, 'coaching'), /href="\/coaching\/new"/);
  const coachForm = expectPage(await pages.coach.get('/coaching/new'), 200, 'the coach\'s form');
  assert.match(coachForm, new RegExp(`<option value="${pair}">Pat Participant</option>`));
  const own = expectPage(await pages.participant.get('/coaching/new'), 200, 'the participant\'s form');
  assert.match(own, new RegExp(`<option value="${pair}">[^<]*, your coach</option>`));

  const fields = { pair, 'date-day': '12', 'date-month': '5', 'date-year': String(YEAR), starts_at: '4pm', ends_at: '5pm', mode: 'online', place: 'https://meet.example.test/pat' };
  const bad = expectPage(await pages.coach.post('/coaching/new', { ...fields, pair: '', 'date-day': '32', mode: '' }), 422, 'a wrong booking');
  assert.deepEqual(errorFields(bad), ['pair', 'date', 'mode']);
  assert.equal(inputValue(bad, 'place'), fields.place, 'the link is kept');
  const early = expectPage(await pages.coach.post('/coaching/new', { ...fields, ends_at: '3pm' }), 422, 'an end before the start');
  assert.deepEqual(errorFields(early), ['ends_at']);

  const location = expectRedirect(await pages.coach.post('/coaching/new', fields), /^\/coaching\/\d+\?notice=booked$/, 'the coach books');
  const id = Number(/\/coaching\/(\d+)/.exec(location)[1]);
  const session = await as.admin.json(`/api/v1/coaching-sessions/${id}`);
  assert.equal(session.starts_at, `${YEAR}-05-12T15:00:00Z`, '4pm in British Summer Time');
  assert.match(textOf(expectPage(await pages.coach.get(location), 200, 'the session')), /Session booked/);

  const mine = expectRedirect(await pages.participant.post('/coaching/new', { ...fields, 'date-day': '19' }), /^\/coaching\/\d+\?notice=booked$/, 'the participant books');
  const theirs = await as.admin.json(`/api/v1/coaching-sessions/${/\/coaching\/(\d+)/.exec(mine)[1]}`);
  assert.equal(theirs.coach?.id ?? theirs.coach_id, demo.ids.coach, 'with their coach');
  const other = expectPage(await pages.participant.post('/coaching/new', { ...fields, pair: `${demo.ids.coach}:${demo.ids.mentor}` }), 403, 'for someone else');
  assert.deepEqual(errorFields(other), ['pair']);
});

/* ---------------------------------------------------------------- a person's page */

test("a participant's page links to each page about their programme", async () => {
  // Relies on: the demo participant's application, enrolment and submission made above.
  const id = demo.ids.participant;
  const html = expectPage(await pages.admin.get(`/admin/users/${id}`), 200, 'their page');
  const programme = /<h2 class="govuk-heading-l" id="programme">[\s\S]*?(?=<h2 class="govuk-heading-l">History|$)/.exec(html)?.[0] ?? '';
  const links = [...programme.matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
  const enrolment = (await as.admin.json('/api/v1/enrolments')).enrolments.find((e) => (e.participant?.id ?? e.participant_id) === id);
  const application = (await as.admin.json('/api/v1/applications')).applications.find((a) => (a.participant?.id ?? a.participant_id) === id);
  const submission = (await as.admin.json('/api/v1/submissions')).submissions.find((s) => (s.participant?.id ?? s.participant_id) === id);
  for (const href of [
    `/participants/${id}/pathway`,
    `/participants/${id}/transcript`,
    `/applications/${application.id}`,
    `/enrolments/${enrolment.id}`,
    `/enrolments/${enrolment.id}/hours`,
    `/enrolments/${enrolment.id}/award`,
    `/submissions/${submission.id}`,
  ])
    assert.ok(links.includes(href), `links to ${href}: ${links.join(' ')}`);
  for (const href of links) expectPage(await pages.admin.get(href), 200, `the administrator opens ${href}`);
  const coachView = expectPage(await pages.coach.get(`/admin/users/${id}`), 200, 'their coach sees the page');
  assert.doesNotMatch(coachView, /\/award"/, 'but not the award decision');
});

test('accepting an application with no cohort for it links an administrator to adding one', async () => {
  const npqh = await as.admin.json('/api/v1/qualifications/NPQH');
  const draft = expectStatus(
    await as.admin.post('/api/v1/applications', {
      participant_id: demo.ids.participant,
      kind: 'qualification',
      target: 'NPQH',
      electives: npqh.rule.electives.from.slice(0, npqh.rule.electives.count),
      school_id: org.school,
      sponsor_id: demo.ids.headteacher,
      job_role: 'Deputy head',
      delivery_model: 'online',
      funding_route: 'school',
    }),
    201,
    'an NPQH draft',
  );
  for (const [caller, step] of [[as.admin, 'submit'], [as.headteacher, 'approve'], [as.admin, 'accept']])
    expectStatus(await caller.post(`/api/v1/applications/${draft.id}/${step}`), 200, step);
  const html = expectPage(await pages.admin.get(`/applications/${draft.id}`), 200, 'the accepted application');
  assert.match(textOf(html), /There is no cohort for the NPQH yet\. Add a cohort ?, then enrol the participant in it/);
  const link = /<a class="govuk-link" href="(\/cohorts\/new\?target=[^"]+)">Add a cohort<\/a>/.exec(html)?.[1];
  assert.equal(link, '/cohorts/new?target=qualification:NPQH');
  assert.equal(selected(expectPage(await pages.admin.get(link), 200, 'the form it leads to'), 'target'), 'qualification:NPQH');
});

test('once every requirement is met, the award decision page awards, once', async () => {
  // Relies on: the demo participant's NPQSL enrolment in the cohort, Closing the gap completed.
  const id = demo.ids.participant;
  const enrolment = (await as.admin.json('/api/v1/enrolments')).enrolments.find((e) => (e.participant?.id ?? e.participant_id) === id && e.target === 'NPQSL');
  const iso = (ms) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  for (const module of ['succeeding-in-senior-leadership', 'improving-the-quality-of-teaching', 'school-self-evaluation'])
    expectStatus(await as.admin.post(`/api/v1/participants/${id}/completions`, { module, completed_on: '2026-03-21', enrolment_id: enrolment.id }), 201, module);
  const rule = (await as.admin.json('/api/v1/qualifications/NPQSL')).rule;
  for (let n = 1; n <= rule.min_face_to_face_events; n++) {
    const start = Date.now() + 10 * 60 * 1000;
    const event = expectStatus(
      await as.admin.post('/api/v1/events', { cohort_id: made.cohort, kind: 'face_to_face', title: `Day ${n}`, venue_id: made.venue, starts_at: iso(start), ends_at: iso(start + 3600 * 1000) }),
      201,
      `event ${n}`,
    );
    expectStatus(await as.admin.post(`/api/v1/events/${event.id}/bookings`, { user_id: id }), 201, `book ${n}`);
    expectStatus(await as.admin.put(`/api/v1/events/${event.id}/attendance`, { marks: [{ user_id: id, mark: 'present' }] }), 200, `attend ${n}`);
  }
  const final = expectStatus(
    await as.admin.post('/api/v1/assessment-tasks', {
      kind: 'final',
      target: 'NPQSL',
      title: 'Final assessment',
      brief: 'Lead an improvement.',
      deadline: iso(Date.now() + 30 * 24 * 3600 * 1000),
      moderation_percent: 0,
      criteria: [{ title: 'Leads an improvement', descriptor: '' }],
    }),
    201,
    'the final assessment',
  );
  const sub = expectStatus(await as.participant.post('/api/v1/submissions', { task_id: final.id, enrolment_id: enrolment.id }), 201, 'a draft');
  expectStatus(await as.participant.patch(`/api/v1/submissions/${sub.id}`, { activity: 'Attendance', text: 'What I led.' }), 200, 'saved');
  expectStatus(await as.participant.post(`/api/v1/submissions/${sub.id}/submit`), 200, 'submitted');
  expectStatus(await as.assessor.post(`/api/v1/submissions/${sub.id}/marks`, { outcome: 'pass', criteria: [{ met: true, comment: 'Yes' }], feedback: 'Well led.' }), 201, 'marked');
  expectStatus(await as.admin.post(`/api/v1/submissions/${sub.id}/release`), 200, 'released');

  const url = `/enrolments/${enrolment.id}/award`;
  const ready = expectPage(await pages.admin.get(url), 200, 'the decision');
  assert.match(textOf(ready), /Every requirement of the NPQSL is met/);
  assert.match(ready, /Award the NPQSL to Pat Participant<\/button>/);
  expectRedirect(await pages.admin.post(url), `${url}?notice=awarded`, 'awarded');
  const check = await as.admin.json(`/api/v1/enrolments/${enrolment.id}/award-check`);
  assert.ok(check.award?.certificate_number, 'the API sees the award');
  const done = expectPage(await pages.admin.get(`${url}?notice=awarded`), 200, 'the award');
  assert.match(textOf(done), new RegExp(`Awarded Certificate ${check.award.certificate_number}`));
  assert.match(done, new RegExp(`href="/api/v1/awards/${check.award.id}/certificate.pdf"`));
  const again = expectPage(await pages.admin.post(url), 409, 'awarding twice');
  assert.deepEqual(errorFields(again), ['award']);
});

test("a module's Master's credits are set on a page, as the API sets them", async () => {
  expectPage(await pages.partner_lead.get('/programme/credits'), 403, 'partner leads do not set credits');
  assert.match(expectPage(await pages.admin.get('/programme/reports'), 200, 'reports'), /href="\/programme\/credits"/);
  const bad = expectPage(await pages.admin.post('/programme/credits', { module: '', credits: '200', awarding_body: 'Northern University' }), 422, 'wrong credits');
  assert.deepEqual(errorFields(bad), ['module', 'credits']);
  assert.equal(inputValue(bad, 'awarding_body'), 'Northern University', 'what was typed is kept');
  expectRedirect(await pages.admin.post('/programme/credits', { module: 'closing-the-gap', credits: '30', awarding_body: 'Northern University' }), '/programme/credits?notice=credits_set', 'set');
  const credit = (await as.admin.json('/api/v1/module-credits')).module_credits.find((c) => c.module === 'closing-the-gap');
  assert.deepEqual([credit.credits, credit.awarding_body], [30, 'Northern University']);
  assert.match(textOf(expectPage(await pages.admin.get('/programme/credits'), 200, 'credits')), /Closing the gap 30 credits, Northern University/);
});
