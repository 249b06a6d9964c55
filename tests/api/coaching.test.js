'use strict';
/*
 * Coaching sessions and the learning-hours log, black-box: the real binary on a demo database
 * (`npq demo`: coach@ is the assigned coach of participant@, mentor@ their mentor), an API token
 * for every role, one more coach and one more participant, and an NPQSL enrolment for the demo
 * participant made through the application flow.
 *
 *   NPQ_BIN=build/npq node --test --test-concurrency=1 tests/api/coaching.test.js
 *
 * The tests share one server and run in order; each says what it relies on. Every GET answer is
 * checked against the schema the OpenAPI document gives for it, strictly (no undeclared fields).
 */
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');

const { startDemoServer, apiAs } = require('./auth_helpers');

/* ---------------------------------------------------------------- fixtures */

const SL_ELECTIVES = ['improving-the-quality-of-teaching', 'school-self-evaluation'];
const DAY = 86400 * 1000;

let server;
let demo; // {dbPath, tokens, ids, emails}
let as; // callers by key: the demo roles, coach2 (a coach of no one), other (another participant)
let doc; // the OpenAPI document
const shared = {}; // records later tests build on: enrolment, session, partner, cohort

const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const dateOn = (offsetDays) => new Date(Date.now() + offsetDays * DAY).toISOString().slice(0, 10);

/* ---------------------------------------------------------------- assertions */

function show(r) {
  return `${r.status} ${r.text.slice(0, 1500)}`;
}

function expectStatus(r, status, what) {
  assert.equal(r.status, status, `${what}: expected ${status}, got ${show(r)}`);
  return r.status === 204 ? null : r.json();
}

function expect422(r, field, re, what) {
  assert.equal(r.status, 422, `${what}: expected 422 on ${field}, got ${show(r)}`);
  const body = r.json();
  assert.equal(body.error.code, 'invalid', `${what}: error code`);
  const hit = body.error.fields.find((f) => f.field === field && re.test(f.message));
  assert.ok(hit, `${what}: a field error on "${field}" matching ${re}; got ${JSON.stringify(body.error.fields)}`);
  return body;
}

function expectError(r, status, code, what) {
  assert.equal(r.status, status, `${what}: expected ${status}, got ${show(r)}`);
  assert.equal(r.json().error.code, code, `${what}: error code`);
  return r.json();
}

/* ---------------------------------------------------------------- the OpenAPI schemas */

const typeOf = (v) => (v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v);

function resolve(ref) {
  return ref
    .slice(2)
    .split('/')
    .reduce((node, part) => (node ? node[part] : undefined), doc);
}

/* The keywords the document uses, strictly: a field the server sends must be declared. */
function validate(schema, value, where, errors = []) {
  if (schema.$ref) {
    const target = resolve(schema.$ref);
    if (!target) return errors.push(`${where}: unresolved ${schema.$ref}`), errors;
    return validate(target, value, where, errors);
  }
  if (schema.enum && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value)))
    errors.push(`${where}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  if (schema.type) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    const t = typeOf(value);
    if (!types.includes(t) && !(t === 'integer' && types.includes('number')))
      return errors.push(`${where}: ${t} where the schema says ${types.join(' or ')}`), errors;
  }
  if (typeOf(value) === 'object') {
    for (const r of schema.required || []) if (!(r in value)) errors.push(`${where}: "${r}" is missing`);
    for (const [k, v] of Object.entries(value)) {
      if (schema.properties?.[k]) validate(schema.properties[k], v, `${where}.${k}`, errors);
      else if (schema.properties) errors.push(`${where}.${k}: sent but not in the schema`);
    }
  }
  if (typeOf(value) === 'array' && schema.items) value.forEach((v, i) => validate(schema.items, v, `${where}[${i}]`, errors));
  return errors;
}

/* Asserts body matches the response schema OpenAPI documents for "METHOD /pattern". */
function matchesSchema(key, body) {
  const [method, pattern] = key.split(' ');
  const op = doc.paths[pattern]?.[method.toLowerCase()];
  assert.ok(op, `${key} is in the OpenAPI document`);
  const success = ['200', '201'].find((c) => op.responses[c]);
  const schema = op.responses[success].content['application/json'].schema;
  assert.deepEqual(validate(schema, body, key), [], `${key} answers as its schema ${schema.$ref} says`);
  return body;
}

/* GET as caller, assert 200 and the documented schema. */
async function getChecked(caller, url, key) {
  const r = await caller.get(url);
  return matchesSchema(key, expectStatus(r, 200, `${caller.label}: GET ${url}`));
}

/* ---------------------------------------------------------------- steps */

const sessionsUrl = '/api/v1/coaching-sessions';
const activitiesUrl = () => `/api/v1/enrolments/${shared.enrolment.id}/activities`;

function booking(extra = {}) {
  const start = Date.now() + 7 * DAY;
  return {
    participant_id: demo.ids.participant,
    starts_at: iso(start),
    ends_at: iso(start + 3600 * 1000),
    mode: 'online',
    place: 'https://meet.example.org/coaching/pat',
    ...extra,
  };
}

async function logHours(caller, entry, what) {
  return expectStatus(await caller.post(activitiesUrl(), entry), 201, `${caller.label}: ${what}`);
}

async function logUpTo(module, hours, type = 'reading') {
  for (let left = hours; left > 0; left -= Math.min(12, left))
    await logHours(as.participant, { module, type, done_on: dateOn(-3), hours: Math.min(12, left) }, `log ${module}`);
}

function moduleTotal(log, module) {
  const t = log.totals.by_module.find((m) => m.module === module);
  assert.ok(t, `the totals list ${module}: ${JSON.stringify(log.totals.by_module.map((m) => m.module))}`);
  return t;
}

/* ---------------------------------------------------------------- the server */

before(async () => {
  ({ server, ...demo } = await startDemoServer({
    threads: 4,
    extraUsers: {
      coach2: { email: 'coach.two@demo.npq.test', name: 'Cai Coach-Two', role: 'coach' },
      other: { email: 'other.participant@demo.npq.test', name: 'Olu Other', role: 'participant' },
    },
  }));
  as = Object.fromEntries(Object.entries(demo.tokens).map(([key, token]) => [key, apiAs(server, token, key)]));
  doc = await as.admin.json('/api/v1/openapi.json');

  const orgs = (await as.admin.json('/api/v1/organisations')).organisations;
  const school = orgs.find((o) => o.kind === 'school' && o.urn === '100001').id;
  shared.partner = orgs.find((o) => o.kind === 'delivery_partner').id;
  shared.cohort = expectStatus(
    await as.admin.post('/api/v1/cohorts', {
      code: 'NPQSL-COACHING-1',
      kind: 'qualification',
      target: 'NPQSL',
      delivery_model: 'blended',
      starts_on: dateOn(-60),
      ends_on: dateOn(600),
      delivery_partner_id: shared.partner,
    }),
    201,
    'add a cohort',
  );

  // The application flow: admin drafts for the participant and submits, the headteacher approves,
  // admin accepts and enrols.
  const draft = expectStatus(
    await as.admin.post('/api/v1/applications', {
      participant_id: demo.ids.participant,
      kind: 'qualification',
      target: 'NPQSL',
      electives: SL_ELECTIVES,
      school_id: school,
      sponsor_id: demo.ids.headteacher,
      job_role: 'Assistant head',
      delivery_model: 'blended',
      funding_route: 'school',
    }),
    201,
    'draft an application',
  );
  const step = async (caller, name, body) =>
    expectStatus(await caller.post(`/api/v1/applications/${draft.id}/${name}`, body), 200, `${caller.label}: ${name}`);
  await step(as.admin, 'submit');
  await step(as.headteacher, 'approve');
  await step(as.admin, 'accept');
  const enrolled = await step(as.admin, 'enrol', { cohort_id: shared.cohort.id });
  shared.enrolment = await as.admin.json(`/api/v1/enrolments/${enrolled.enrolment_id}`);

  // The demo facilitator works with the cohort, added as its delivery partner would.
  expectStatus(
    await as.partner_lead.post(`/api/v1/cohorts/${shared.cohort.id}/staff`, { user_id: demo.ids.facilitator, role: 'facilitator' }),
    201,
    'the partner lead adds the facilitator to the cohort',
  );
});

after(async () => {
  if (server) await server.stop();
});

/* ---------------------------------------------------------------- coaching sessions */

test('a coach books a session for the participant assigned to them', async () => {
  const body = booking();
  const s = expectStatus(await as.coach.post(sessionsUrl, body), 201, 'coach books');
  matchesSchema('POST /api/v1/coaching-sessions', s);
  assert.equal(s.coach.id, demo.ids.coach);
  assert.equal(s.participant.id, demo.ids.participant);
  assert.equal(s.mode, 'online');
  assert.equal(s.place, 'https://meet.example.org/coaching/pat');
  assert.equal(s.sequence, 0);
  assert.equal(s.status, 'upcoming');
  assert.equal(s.cancelled_at, null);
  assert.deepEqual([s.notes, s.actions], [[], []]);
  assert.deepEqual([s.starts_at, s.ends_at], [body.starts_at, body.ends_at], 'times come back as they were sent');
  shared.session = s;

  const got = await getChecked(as.participant, `${sessionsUrl}/${s.id}`, 'GET /api/v1/coaching-sessions/{id}');
  assert.equal(got.id, s.id, 'the participant sees the session booked with them');

  // In person: a location, not a link.
  const inPerson = expectStatus(
    await as.coach.post(sessionsUrl, booking({ mode: 'in_person', place: 'Riverside Primary, room 4' })),
    201,
    'book in person',
  );
  assert.equal(inPerson.mode, 'in_person');
});

test('booking is checked: times, mode and place, named by field', async () => {
  expect422(await as.coach.post(sessionsUrl, booking({ place: 'http://meet.example.org/x' })), 'place', /https/, 'an http link');
  expect422(await as.coach.post(sessionsUrl, booking({ place: '' })), 'place', /joining link/, 'no link');
  expect422(await as.coach.post(sessionsUrl, booking({ mode: 'in_person', place: 'x'.repeat(201) })), 'place', /200 characters/, 'a long location');
  const b = booking();
  expect422(await as.coach.post(sessionsUrl, { ...b, ends_at: b.starts_at }), 'ends_at', /end after it starts/, 'ends at the start');
  expect422(await as.coach.post(sessionsUrl, { ...b, ends_at: iso(Date.parse(b.starts_at) + 13 * 3600 * 1000) }), 'ends_at', /12 hours/, 'longer than 12 hours');
  expect422(await as.coach.post(sessionsUrl, { ...b, starts_at: 'next Tuesday' }), 'starts_at', /UTC/, 'not a time');
  expect422(await as.coach.post(sessionsUrl, { ...b, starts_at: '2026-02-30T10:00:00Z' }), 'starts_at', /UTC/, 'no such day');
  expect422(await as.coach.post(sessionsUrl, { ...b, mode: 'telepathy' }), 'mode', /online or in_person/, 'an unknown mode');
  expect422(await as.coach.post(sessionsUrl, { ...b, mode: undefined }), 'mode', /online or in_person/, 'no mode');
  expect422(await as.admin.post(sessionsUrl, { ...b, participant_id: undefined }), 'participant_id', /participant/, 'no participant');
});

test('a coach cannot book for a participant they do not coach; a participant books only with their own coach', async () => {
  expectError(await as.coach2.post(sessionsUrl, booking()), 403, 'forbidden', 'an unassigned coach');
  expectError(await as.coach.post(sessionsUrl, booking({ participant_id: demo.ids.other })), 403, 'forbidden', 'the coach, for a participant not theirs');
  expectError(await as.coach.post(sessionsUrl, booking({ coach_id: demo.ids.coach2 })), 403, 'forbidden', 'the coach, naming another coach');
  expectError(await as.participant.post(sessionsUrl, booking({ participant_id: demo.ids.other })), 403, 'forbidden', 'the participant, for someone else');
  expectError(await as.mentor.post(sessionsUrl, booking()), 403, 'forbidden', 'the mentor');

  // An administrator books with the assigned coach, but not with a coach who is not assigned.
  const s = expectStatus(await as.admin.post(sessionsUrl, booking()), 201, 'admin books');
  assert.equal(s.coach.id, demo.ids.coach, 'the participant\'s one coach');
  expect422(await as.admin.post(sessionsUrl, booking({ coach_id: demo.ids.coach2 })), 'coach_id', /not assigned/, 'admin names an unassigned coach');
  expect422(await as.admin.post(sessionsUrl, booking({ participant_id: demo.ids.other })), 'coach_id', /no coach/, 'admin books for someone with no coach');

  // The participant books with their own coach, as an administrator would for them.
  const own = expectStatus(await as.participant.post(sessionsUrl, booking()), 201, 'the participant books');
  assert.deepEqual([own.coach.id, own.participant.id], [demo.ids.coach, demo.ids.participant]);
  expect422(await as.participant.post(sessionsUrl, booking({ coach_id: demo.ids.coach2 })), 'coach_id', /not assigned/, 'the participant names a coach not theirs');
});

test('a private note is the coach\'s alone; a shared note reaches the participant, rendered safely', async () => {
  const id = shared.session.id;
  const url = `${sessionsUrl}/${id}/notes`;
  const secret = 'Private: seems anxious about the budget meeting';
  const priv = expectStatus(await as.coach.post(url, { body: secret, visibility: 'private' }), 201, 'private note');
  matchesSchema('POST /api/v1/coaching-sessions/{id}/notes', priv);
  assert.equal(priv.visibility, 'private');

  const markdown =
    '**Agreed** next steps\n\n<script>alert("x")</script>\n\n[notes](javascript:alert(1)) and [the plan](https://example.org/plan)\n\n<img src=x onerror=alert(1)>';
  const sharedNote = expectStatus(await as.coach.post(url, { body: markdown, visibility: 'shared' }), 201, 'shared note');
  assert.equal(sharedNote.body, markdown, 'the Markdown is kept as written');
  for (const html of [sharedNote.body_html]) {
    assert.match(html, /<strong>Agreed<\/strong>/);
    assert.doesNotMatch(html, /<script/i, 'no script');
    assert.doesNotMatch(html, /<img/i, 'no raw HTML');
    assert.doesNotMatch(html, /onerror/i);
    assert.doesNotMatch(html, /="javascript:/i, 'no javascript: address');
    assert.match(html, /<a href="">notes<\/a>/, 'the javascript: link lost its address');
    assert.match(html, /<a href="https:\/\/example.org\/plan">the plan<\/a>/);
  }

  // The participant: the shared note only; the private one is not in the JSON at all.
  const r = await as.participant.get(`${sessionsUrl}/${id}`);
  const seen = matchesSchema('GET /api/v1/coaching-sessions/{id}', expectStatus(r, 200, 'participant reads'));
  assert.deepEqual(seen.notes.map((n) => n.id), [sharedNote.id]);
  assert.ok(!r.text.includes('anxious'), 'the private note\'s text is nowhere in the participant\'s answer');
  assert.ok(!r.text.includes('"private"'), 'nor is any private note');
  assert.equal(seen.notes[0].body_html, sharedNote.body_html);

  // The coach and an administrator see both.
  for (const caller of [as.coach, as.admin]) {
    const all = await getChecked(caller, `${sessionsUrl}/${id}`, 'GET /api/v1/coaching-sessions/{id}');
    assert.deepEqual(all.notes.map((n) => [n.id, n.visibility]), [[priv.id, 'private'], [sharedNote.id, 'shared']], caller.label);
    assert.equal(all.notes[0].body, secret);
  }

  // Only the coach writes notes.
  for (const caller of [as.participant, as.admin])
    expectError(await caller.post(url, { body: 'x', visibility: 'shared' }), 403, 'forbidden', `${caller.label} writes a note`);
  expect422(await as.coach.post(url, { body: '  ', visibility: 'shared' }), 'body', /Write the note/, 'an empty note');
  expect422(await as.coach.post(url, { body: 'x', visibility: 'public' }), 'visibility', /private|shared/, 'an unknown visibility');
  expect422(await as.coach.post(url, { body: 'x'.repeat(20001), visibility: 'private' }), 'body', /20000 characters/, 'a long note');
});

test('actions: added by either side, ticked off by the participant, counted in the history', async () => {
  const id = shared.session.id;
  const url = `${sessionsUrl}/${id}/actions`;
  const a1 = expectStatus(await as.coach.post(url, { text: 'Draft the pupil premium plan', due_on: dateOn(14) }), 201, 'coach adds');
  matchesSchema('POST /api/v1/coaching-sessions/{id}/actions', a1);
  assert.deepEqual([a1.done, a1.done_at, a1.due_on], [false, null, dateOn(14)]);
  const a2 = expectStatus(await as.participant.post(url, { text: 'Observe two lessons' }), 201, 'participant adds');
  assert.equal(a2.due_on, null);

  expect422(await as.coach.post(url, { text: '' }), 'text', /Enter the action/, 'no text');
  expect422(await as.coach.post(url, { text: 'x', due_on: '2026-13-01' }), 'due_on', /YYYY-MM-DD/, 'a bad date');
  expectError(await as.mentor.post(url, { text: 'x' }), 404, 'not_found', 'the mentor cannot reach the session');

  const done = expectStatus(await as.participant.post(`${url}/${a1.id}/done`), 200, 'participant ticks off');
  matchesSchema('POST /api/v1/coaching-sessions/{id}/actions/{action}/done', done);
  assert.equal(done.done, true);
  assert.ok(done.done_at);
  const again = expectStatus(await as.participant.post(`${url}/${a1.id}/done`), 200, 'ticking twice');
  assert.equal(again.done_at, done.done_at, 'ticking again keeps when it was done');
  expectStatus(await as.coach.post(`${url}/${a2.id}/done`), 200, 'the coach ticks off too');
  const undone = expectStatus(await as.coach.post(`${url}/${a2.id}/undone`), 200, 'and opens it again');
  assert.deepEqual([undone.done, undone.done_at], [false, null]);
  expectError(await as.participant.post(`${url}/999999/done`), 404, 'not_found', 'an action of no session');

  const got = await getChecked(as.participant, `${sessionsUrl}/${id}`, 'GET /api/v1/coaching-sessions/{id}');
  assert.deepEqual(got.actions.map((a) => [a.text, a.done]), [['Draft the pupil premium plan', true], ['Observe two lessons', false]]);
  assert.deepEqual([got.action_count, got.actions_done], [2, 1]);

  // A past session too: the history lists past and future, both sides.
  const past = Date.now() - 10 * DAY;
  const old = expectStatus(await as.coach.post(sessionsUrl, booking({ starts_at: iso(past), ends_at: iso(past + 3600e3) })), 201, 'a past session');
  for (const caller of [as.coach, as.participant]) {
    const list = await getChecked(caller, `${sessionsUrl}?participant_id=${demo.ids.participant}`, 'GET /api/v1/coaching-sessions');
    const mine = list.sessions.find((s) => s.id === id);
    assert.deepEqual([mine.action_count, mine.actions_done, mine.status], [2, 1, 'upcoming'], caller.label);
    assert.equal(list.sessions.find((s) => s.id === old.id).status, 'past', caller.label);
    assert.ok(list.sessions.every((s) => s.participant.id === demo.ids.participant));
  }
});

test('another participant, an unassigned coach and the mentor cannot see the session', async () => {
  const id = shared.session.id;
  for (const caller of [as.other, as.coach2, as.mentor, as.headteacher]) {
    expectError(await caller.get(`${sessionsUrl}/${id}`), 404, 'not_found', `${caller.label} reads the session`);
    const list = await getChecked(caller, sessionsUrl, 'GET /api/v1/coaching-sessions');
    assert.deepEqual(list.sessions, [], `${caller.label}'s list is empty`);
    const filtered = await getChecked(caller, `${sessionsUrl}?participant_id=${demo.ids.participant}`, 'GET /api/v1/coaching-sessions');
    assert.deepEqual(filtered.sessions, [], `${caller.label} cannot list the participant's history`);
  }
  expectError(await as.other.post(`${sessionsUrl}/${id}/actions`, { text: 'x' }), 404, 'not_found', 'another participant adds an action');
  const all = await getChecked(as.admin, sessionsUrl, 'GET /api/v1/coaching-sessions');
  assert.ok(all.sessions.some((s) => s.id === id), 'administrators see every session');
});

test('rescheduling and cancelling bump the sequence; a cancelled session stays cancelled', async () => {
  const s = expectStatus(await as.coach.post(sessionsUrl, booking()), 201, 'book');
  const url = `${sessionsUrl}/${s.id}`;
  const later = Date.parse(s.starts_at) + DAY;
  expectError(await as.participant.patch(url, { starts_at: iso(later) }), 403, 'forbidden', 'the participant reschedules');
  expect422(await as.coach.patch(url, { starts_at: iso(later) }), 'ends_at', /end after it starts/, 'a start after the end');
  const moved = expectStatus(await as.coach.patch(url, { starts_at: iso(later), ends_at: iso(later + 1800e3) }), 200, 'reschedule');
  matchesSchema('PATCH /api/v1/coaching-sessions/{id}', moved);
  assert.deepEqual([moved.starts_at, moved.sequence], [iso(later), 1]);
  const inPerson = expectStatus(await as.admin.patch(url, { mode: 'in_person', place: 'Room 4' }), 200, 'admin changes the place');
  assert.deepEqual([inPerson.mode, inPerson.place, inPerson.sequence], ['in_person', 'Room 4', 2]);

  const cancelled = expectStatus(await as.coach.post(`${url}/cancel`), 200, 'cancel');
  matchesSchema('POST /api/v1/coaching-sessions/{id}/cancel', cancelled);
  assert.deepEqual([cancelled.status, cancelled.sequence], ['cancelled', 3]);
  assert.ok(cancelled.cancelled_at);
  expectError(await as.coach.post(`${url}/cancel`), 409, 'conflict', 'cancel twice');
  expectError(await as.coach.patch(url, { starts_at: iso(later + DAY) }), 409, 'conflict', 'move a cancelled session');
});

test('the participant cancels their own session, but not another\'s, and moves none', async () => {
  const s = expectStatus(await as.participant.post(sessionsUrl, booking()), 201, 'the participant books with their coach');
  const url = `${sessionsUrl}/${s.id}`;
  expectError(await as.other.post(`${url}/cancel`), 404, 'not_found', 'another participant cancels it');
  expectError(await as.participant.patch(url, { place: 'https://meet.example.test/elsewhere' }), 403, 'forbidden', 'the participant moves it');
  const cancelled = expectStatus(await as.participant.post(`${url}/cancel`), 200, 'the participant cancels it');
  assert.equal(cancelled.status, 'cancelled');
  expectError(await as.coach.post(`${url}/cancel`), 409, 'conflict', 'the coach cancels it again');
});

/* ---------------------------------------------------------------- the learning-hours log */

test('hours are logged against the enrolment\'s modules and totalled per module and per type', async () => {
  const a = await logHours(as.participant, { module: 'closing-the-gap', type: 'reading', done_on: dateOn(-2), hours: 2.5, reflection: 'Read *the EEF guide*' }, 'log reading');
  matchesSchema('POST /api/v1/enrolments/{id}/activities', a);
  assert.deepEqual([a.module, a.type, a.hours, a.hours_text, a.verified], ['closing-the-gap', 'reading', 2.5, '2.5 hours', false]);
  assert.match(a.reflection_html, /<em>the EEF guide<\/em>/);
  await logHours(as.participant, { module: 'CLOSING-THE-GAP', type: 'peer_learning', done_on: dateOn(-1), hours: 1.25 }, 'any case');
  await logHours(as.participant, { module: 'succeeding-in-senior-leadership', type: 'reading', done_on: dateOn(0), hours: 3 }, 'today');
  await logHours(as.participant, { module: 'improving-the-quality-of-teaching', type: 'workplace_learning', done_on: dateOn(-5), hours: 1 }, 'an elective');

  const log = await getChecked(as.participant, activitiesUrl(), 'GET /api/v1/enrolments/{id}/activities');
  assert.equal(log.activities.length, 4);
  assert.equal(log.totals.hours, 7.75);
  assert.equal(log.read_only, false);
  const ctg = moduleTotal(log, 'closing-the-gap');
  assert.deepEqual([ctg.hours, ctg.hours_cap, ctg.hours_left, ctg.verified_hours], [3.75, 50, 46.25, 0]);
  assert.equal(moduleTotal(log, 'succeeding-in-senior-leadership').hours, 3);
  assert.equal(moduleTotal(log, 'school-self-evaluation').hours, 0, 'every module of the enrolment is listed');
  assert.deepEqual(
    log.totals.by_module.map((m) => m.module).sort(),
    ['closing-the-gap', 'succeeding-in-senior-leadership', ...SL_ELECTIVES].sort(),
    'the essential modules and the electives',
  );
  const byType = Object.fromEntries(log.totals.by_type.map((t) => [t.type, t.hours]));
  assert.deepEqual(byType, {
    workplace_learning: 1,
    face_to_face: 0,
    peer_learning: 1.25,
    facilitated_learning: 0,
    reading: 5.5,
    reflection: 0,
    online_learning: 0,
  });
});

test('entries are checked: module, type, quarter hours, dates, reflection length', async () => {
  const ok = { module: 'closing-the-gap', type: 'reading', done_on: dateOn(-1), hours: 1 };
  const post = (entry) => as.participant.post(activitiesUrl(), { ...ok, ...entry });
  expect422(await post({ module: 'leading-teaching' }), 'module', /modules of this enrolment/, 'a module of another qualification');
  expect422(await post({ module: 'no-such-module' }), 'module', /modules of this enrolment/, 'no such module');
  expect422(await post({ type: 'napping' }), 'type', /kind of learning/, 'an unknown type');
  for (const hours of [1.1, 0.3, 2.6])
    expect422(await post({ hours }), 'hours', /quarter hours/, `${hours} hours`);
  expect422(await post({ hours: 0 }), 'hours', /more than 0/, 'no hours');
  expect422(await post({ hours: -1 }), 'hours', /more than 0/, 'negative hours');
  expect422(await post({ hours: 12.25 }), 'hours', /at most 12/, 'more than a day');
  expect422(await post({ hours: '2' }), 'hours', /number/, 'hours as text');
  expect422(await post({ done_on: dateOn(1) }), 'done_on', /future/, 'tomorrow');
  expect422(await post({ done_on: '2025-02-29' }), 'done_on', /not a real date/, 'no such day');
  expect422(await post({ done_on: '14/03/2025' }), 'done_on', /YYYY-MM-DD/, 'another date format');
  expect422(await post({ reflection: 'é'.repeat(10001) }), 'reflection', /10000 characters/, 'a long reflection');
  await logHours(as.participant, { ...ok, hours: 0.25, reflection: 'é'.repeat(10000) }, '10000 characters (not bytes) is allowed');
  const several = await post({ module: 'x', type: 'y', hours: 0.1 });
  assert.deepEqual(several.json().error.fields.map((f) => f.field).sort(), ['hours', 'module', 'type'], 'every problem at once');
});

test('a module\'s cap holds at exactly 50 hours', async () => {
  const module = 'school-self-evaluation';
  await logUpTo(module, 49.75);
  let log = await as.participant.json(activitiesUrl());
  assert.deepEqual([moduleTotal(log, module).hours, moduleTotal(log, module).hours_left], [49.75, 0.25]);

  const entry = (hours) => ({ module, type: 'reflection', done_on: dateOn(0), hours });
  expect422(await as.participant.post(activitiesUrl(), entry(0.5)), 'hours', /to 50\.25, over its 50-hour limit\. You can log up to 0\.25 more hours/, '49.75 + 0.5');
  await logHours(as.participant, entry(0.25), '49.75 + 0.25 reaches 50 exactly');
  log = await as.participant.json(activitiesUrl());
  assert.deepEqual([moduleTotal(log, module).hours, moduleTotal(log, module).hours_left], [50, 0]);
  expect422(await as.participant.post(activitiesUrl(), entry(0.25)), 'hours', /already logged 50 hours for School self-evaluation, its limit/, '50 + 0.25');
});

test('two entries sent together that would pass the cap: one is logged, the other refused', async () => {
  const module = 'improving-the-quality-of-teaching';
  const logged = moduleTotal(await as.participant.json(activitiesUrl()), module).hours;
  await logUpTo(module, 49 - logged);
  const entry = { module, type: 'online_learning', done_on: dateOn(0), hours: 0.75 }; // 49 + 0.75 fits, twice does not
  const results = await Promise.all(Array.from({ length: 12 }, () => as.participant.post(activitiesUrl(), entry)));
  const statuses = results.map((r) => r.status).sort();
  assert.deepEqual(statuses, [201, ...Array(11).fill(422)], `exactly one fits: ${results.map(show).join('\n')}`);
  for (const r of results.filter((x) => x.status === 422)) expect422(r, 'hours', /over its 50-hour limit/, 'the refused one');
  const log = await as.participant.json(activitiesUrl());
  assert.equal(moduleTotal(log, module).hours, 49.75, 'the total never passed the cap');
});

test('verification: the coach, a facilitator of the cohort and the partner lead verify; the participant cannot', async () => {
  const module = 'succeeding-in-senior-leadership';
  const e1 = await logHours(as.participant, { module, type: 'face_to_face', done_on: dateOn(-4), hours: 2 }, 'e1');
  const e2 = await logHours(as.participant, { module, type: 'facilitated_learning', done_on: dateOn(-4), hours: 1.5 }, 'e2');
  const e3 = await logHours(as.participant, { module, type: 'reading', done_on: dateOn(-4), hours: 0.5 }, 'e3');
  const verify = (caller, e) => caller.post(`${activitiesUrl()}/${e.id}/verify`);

  expectError(await verify(as.participant, e1), 403, 'forbidden', 'the participant verifies their own entry');
  expectError(await verify(as.mentor, e1), 403, 'forbidden', 'the mentor');
  expectError(await verify(as.headteacher, e1), 403, 'forbidden', 'the headteacher');
  expectError(await verify(as.coach2, e1), 404, 'not_found', 'a coach of someone else');

  const v1 = expectStatus(await verify(as.coach, e1), 200, 'the coach verifies');
  matchesSchema('POST /api/v1/enrolments/{id}/activities/{activity}/verify', v1);
  assert.deepEqual([v1.verified, v1.verified_by.id], [true, demo.ids.coach]);
  assert.ok(v1.verified_at);
  const v2 = expectStatus(await verify(as.facilitator, e2), 200, 'a facilitator of the cohort verifies');
  assert.equal(v2.verified_by.id, demo.ids.facilitator);
  expectStatus(await verify(as.partner_lead, e3), 200, 'the partner lead verifies');
  expectError(await verify(as.admin, e1), 409, 'conflict', 'verify twice');

  // Verified entries are as verified.
  const url = `${activitiesUrl()}/${e1.id}`;
  expectError(await as.participant.patch(url, { hours: 3 }), 409, 'conflict', 'change a verified entry');
  expectError(await as.participant.delete(url), 409, 'conflict', 'remove a verified entry');

  // Unverified ones can be changed, against the same rules, and removed.
  const e4 = await logHours(as.participant, { module, type: 'reading', done_on: dateOn(-1), hours: 1 }, 'e4');
  const changed = expectStatus(await as.participant.patch(`${activitiesUrl()}/${e4.id}`, { hours: 1.75, reflection: 'More' }), 200, 'change');
  matchesSchema('PATCH /api/v1/enrolments/{id}/activities/{activity}', changed);
  assert.deepEqual([changed.hours, changed.type, changed.reflection], [1.75, 'reading', 'More']);
  expect422(await as.participant.patch(`${activitiesUrl()}/${e4.id}`, { hours: 1.3 }), 'hours', /quarter hours/, 'change to a bad amount');
  expect422(await as.participant.patch(`${activitiesUrl()}/${e4.id}`, { module: 'school-self-evaluation' }), 'hours', /already logged 50 hours/, 'move into a full module');
  expectError(await as.coach.patch(`${activitiesUrl()}/${e4.id}`, { hours: 2 }), 403, 'forbidden', 'the coach changes an entry');
  expectStatus(await as.participant.delete(`${activitiesUrl()}/${e4.id}`), 204, 'remove');
  expectError(await as.participant.delete(`${activitiesUrl()}/${e4.id}`), 404, 'not_found', 'remove twice');

  const log = await as.participant.json(activitiesUrl());
  assert.equal(moduleTotal(log, module).verified_hours, 4);
});

test('who reads and who writes the log: the mentor and headteacher read, only the participant writes', async () => {
  const entry = { module: 'closing-the-gap', type: 'reading', done_on: dateOn(-1), hours: 1 };
  for (const caller of [as.mentor, as.headteacher, as.coach, as.facilitator, as.partner_lead, as.admin])
    await getChecked(caller, activitiesUrl(), 'GET /api/v1/enrolments/{id}/activities');
  for (const caller of [as.mentor, as.headteacher, as.coach, as.facilitator, as.partner_lead])
    expectError(await caller.post(activitiesUrl(), entry), 403, 'forbidden', `${caller.label} logs hours`);
  for (const caller of [as.other, as.coach2, as.assessor])
    expectError(await caller.get(activitiesUrl()), 404, 'not_found', `${caller.label} reads the log`);
  expectStatus(await as.admin.post(activitiesUrl(), entry), 201, 'an administrator logs for the participant');
});

test('every write is in the audit log', async () => {
  const events = (await as.admin.json('/api/v1/audit-events?limit=500')).events || [];
  const actions = new Set(events.map((e) => e.action));
  for (const a of [
    'coaching_session.create',
    'coaching_session.reschedule',
    'coaching_session.cancel',
    'coaching_note.create',
    'coaching_action.create',
    'coaching_action.done',
    'coaching_action.undone',
    'activity.create',
    'activity.update',
    'activity.delete',
    'activity.verify',
  ])
    assert.ok(actions.has(a), `the audit log has ${a}: ${[...actions].join(', ')}`);
  const note = events.find((e) => e.action === 'coaching_note.create');
  assert.ok(!JSON.stringify(note).includes('anxious'), 'a note\'s text is not copied into the audit log');
});

test('a withdrawn enrolment\'s log can be read but not changed', async () => {
  const log = await as.participant.json(activitiesUrl());
  const unverified = log.activities.find((a) => !a.verified);
  expectStatus(await as.admin.post(`/api/v1/enrolments/${shared.enrolment.id}/withdraw`, { reason: 'Moved abroad' }), 200, 'withdraw');
  const after1 = await getChecked(as.participant, activitiesUrl(), 'GET /api/v1/enrolments/{id}/activities');
  assert.equal(after1.read_only, true);
  assert.equal(after1.activities.length, log.activities.length, 'the entries are all still there');
  const entry = { module: 'closing-the-gap', type: 'reading', done_on: dateOn(-1), hours: 1 };
  expectError(await as.participant.post(activitiesUrl(), entry), 409, 'conflict', 'log after withdrawal');
  expectError(await as.participant.patch(`${activitiesUrl()}/${unverified.id}`, { hours: 2 }), 409, 'conflict', 'change after withdrawal');
  expectError(await as.participant.delete(`${activitiesUrl()}/${unverified.id}`), 409, 'conflict', 'remove after withdrawal');
  expectError(await as.coach.post(`${activitiesUrl()}/${unverified.id}/verify`), 409, 'conflict', 'verify after withdrawal');
});

test('the new routes sit beside /enrolments/{id}/{step} without being taken by it', async () => {
  // Shows the router prefers the literal "activities" over the step parameter for POST.
  const r = await as.mentor.post(activitiesUrl(), {});
  assert.notEqual(r.status, 404, `POST .../activities reaches the log, not the step route: ${show(r)}`);
  const steps = await as.admin.post(`/api/v1/enrolments/${shared.enrolment.id}/frobnicate`, {});
  expectError(steps, 404, 'not_found', 'an unknown step is still the step route\'s 404');
  assert.match(steps.json().error.message, /no step/);
});
