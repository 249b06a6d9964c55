'use strict';
/*
 * Delivery, black-box: venues and delivery partners, the staff and plan of a cohort, events and
 * who may see and schedule them, bookings (also many at the same moment) and the register. The
 * real binary runs on a demo database (`npq demo`) with twenty more participants, and every
 * caller uses an API token.
 *
 *   NPQ_BIN=build/npq node --test --test-concurrency=1 tests/api/events.test.js
 *
 * The tests share one server and run in order: later ones use the venue, cohorts and enrolments
 * earlier ones made, and each says what it relies on.
 */
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');

const { startServer } = require('./helpers');
const { prepareDemoDb, apiAs, createToken } = require('./auth_helpers');

/* ---------------------------------------------------------------- fixtures */

const CROWD = 20; // participants booking at once
const crowdKeys = Array.from({ length: CROWD }, (_, i) => `p${String(i + 1).padStart(2, '0')}`);
const YEAR = new Date().getUTCFullYear() + 1;
const SL_ELECTIVES = ['improving-the-quality-of-teaching', 'school-self-evaluation'];

let server;
let demo; // {dbPath, tokens, ids, emails}
let as; // callers by key: the demo roles, p01..p20, outsider, otherLead
const org = {}; // partner, school, otherPartner
const cohort = {}; // sl (blended NPQSL), online (online NPQSL)
const venue = {}; // hub (our partner's), elsewhere (the other partner's)

/* ---------------------------------------------------------------- assertions */

const show = (r) => `${r.status} ${r.text.slice(0, 1500)}`;

function expectStatus(r, status, what) {
  assert.equal(r.status, status, `${what}: expected ${status}, got ${show(r)}`);
  return r.status === 204 ? null : r.json();
}

/* A 422 naming field with a message matching re. */
function expect422(r, field, re, what) {
  assert.equal(r.status, 422, `${what}: expected 422 on ${field}, got ${show(r)}`);
  const body = r.json();
  assert.equal(body.error.code, 'invalid', `${what}: error code`);
  const hit = body.error.fields.find((f) => f.field === field && re.test(f.message));
  assert.ok(hit, `${what}: a field error on "${field}" matching ${re}; got ${JSON.stringify(body.error.fields)}`);
  return body;
}

function expect409(r, re, what) {
  assert.equal(r.status, 409, `${what}: expected 409, got ${show(r)}`);
  const body = r.json();
  assert.equal(body.error.code, 'conflict', `${what}: error code`);
  assert.match(body.error.message, re, `${what}: message`);
  return body;
}

function expectDenied(r, status, what) {
  assert.equal(r.status, status, `${what}: expected ${status}, got ${show(r)}`);
  assert.equal(r.json().error.code, status === 403 ? 'forbidden' : 'not_found', `${what}: error code`);
}

/* ---------------------------------------------------------------- times */

/* ISO 8601 UTC to the second, as the API takes and gives times. */
const iso = (ms) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;
/* A day next year at a given hour, for events that must be in the future. */
const nextYear = (month, day, hour) => `${YEAR}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00Z`;

/* ---------------------------------------------------------------- OpenAPI schemas */

let doc; // the OpenAPI document

function resolve(ref) {
  return ref.slice(2).split('/').reduce((node, part) => (node ? node[part] : undefined), doc);
}
const typeOf = (v) => (v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v);

/* Strict: every property sent must be declared (as openapi.test.js checks the public reads). */
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
    if (!types.includes(t) && !(t === 'integer' && types.includes('number'))) {
      errors.push(`${where}: ${t} where the schema says ${types.join(' or ')}`);
      return errors;
    }
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

/* GET as caller, assert 200 and that the answer matches the schema the document gives the route. */
async function getChecked(caller, url, pattern) {
  const body = await caller.json(url);
  const op = doc.paths[pattern]?.get;
  assert.ok(op, `GET ${pattern} is documented`);
  const schema = op.responses['200'].content['application/json'].schema;
  assert.deepEqual(validate(schema, body, `GET ${url}`), [], `GET ${url} against ${schema.$ref}`);
  return body;
}

/* ---------------------------------------------------------------- API steps */

async function addVenue(caller, fields, what = 'add a venue') {
  return expectStatus(await caller.post('/api/v1/venues', fields), 201, `${caller.label}: ${what}`);
}

function eventFields(extra = {}) {
  return {
    cohort_id: cohort.sl.id,
    kind: 'face_to_face',
    title: 'Leading culture: day 1',
    venue_id: venue.hub.id,
    starts_at: nextYear(3, 10, 9),
    ends_at: nextYear(3, 10, 16),
    ...extra,
  };
}

async function addEvent(extra, caller = as.partner_lead, what = 'schedule an event') {
  return expectStatus(await caller.post('/api/v1/events', eventFields(extra)), 201, `${caller.label}: ${what}`);
}

async function book(caller, eventId, body) {
  return caller.post(`/api/v1/events/${eventId}/bookings`, body);
}

async function putMarks(caller, eventId, marks) {
  return caller.put(`/api/v1/events/${eventId}/attendance`, { marks });
}

async function enrol(participantId) {
  const draft = expectStatus(
    await as.admin.post('/api/v1/applications', {
      participant_id: participantId,
      kind: 'qualification',
      target: 'NPQSL',
      electives: SL_ELECTIVES,
      school_id: org.school,
      sponsor_id: demo.ids.headteacher,
      job_role: 'Assistant head',
      delivery_model: 'blended',
      funding_route: 'school',
    }),
    201,
    `draft an application for ${participantId}`,
  );
  const steps = [
    [as.admin, 'submit'],
    [as.headteacher, 'approve'],
    [as.admin, 'accept'],
    [as.admin, 'enrol', { cohort_id: cohort.sl.id }],
  ];
  for (const [caller, step, body] of steps)
    expectStatus(await caller.post(`/api/v1/applications/${draft.id}/${step}`, body), 200, `${step} application ${draft.id}`);
}

async function audit(query) {
  return (await as.admin.json(`/api/v1/audit-events?${new URLSearchParams(query)}`)).events;
}

/* ---------------------------------------------------------------- the server */

before(async () => {
  const extraUsers = { outsider: { email: 'outsider@events.npq.test', name: 'Orla Outsider', role: 'participant' } };
  crowdKeys.forEach((key, i) => {
    extraUsers[key] = { email: `${key}@events.npq.test`, name: `Crowd Participant ${String(i + 1).padStart(2, '0')}`, role: 'participant' };
  });
  demo = await prepareDemoDb({ extraUsers });
  server = await startServer({ db: demo.dbPath, threads: 2 });
  as = Object.fromEntries(Object.entries(demo.tokens).map(([key, token]) => [key, apiAs(server, token, key)]));
  doc = await as.admin.json('/api/v1/openapi.json');

  const orgs = (await as.admin.json('/api/v1/organisations')).organisations;
  org.school = orgs.find((o) => o.kind === 'school' && o.urn === '100001').id;
  org.partner = orgs.find((o) => o.kind === 'delivery_partner' && o.name === 'North West Teaching School Hub').id;
  org.otherPartner = expectStatus(
    await as.admin.post('/api/v1/organisations', { kind: 'delivery_partner', name: 'Midlands Learning Partnership', regions_served: ['West Midlands'] }),
    201,
    'add a second delivery partner',
  ).id;
  const lead = expectStatus(
    await as.admin.post('/api/v1/users', { email: 'lead@midlands.npq.test', name: 'Mo Midlands-Lead', role: 'partner_lead', organisation_id: org.otherPartner, role_organisation_id: org.otherPartner }),
    201,
    'invite the other partner lead',
  );
  demo.ids.otherLead = lead.id;
  as.otherLead = apiAs(server, await createToken(demo.dbPath, 'lead@midlands.npq.test', 'events'), 'otherLead');

  const cohorts = {
    sl: { code: 'NPQSL-NW-EVENTS', delivery_model: 'blended' },
    online: { code: 'NPQSL-NW-ONLINE', delivery_model: 'online' },
  };
  for (const [key, c] of Object.entries(cohorts))
    cohort[key] = expectStatus(
      await as.admin.post('/api/v1/cohorts', {
        code: c.code,
        target: 'NPQSL',
        delivery_model: c.delivery_model,
        delivery_partner_id: org.partner,
        starts_on: `${YEAR}-01-04`,
        ends_on: `${YEAR + 1}-07-31`,
      }),
      201,
      `add cohort ${c.code}`,
    );
});

after(async () => {
  await server?.stop();
});

/* ---------------------------------------------------------------- venues */

test('venues: a partner lead adds one for their partner; postcodes are checked and normalised', async () => {
  const hub = await addVenue(as.partner_lead, {
    name: 'Hub Conference Centre',
    address: '1 Oxford Road, Manchester',
    postcode: ' m1  1ae ',
    capacity: 30,
    accessibility: 'Step-free entrance; hearing loop in the main hall',
  });
  assert.equal(hub.postcode, 'M1 1AE', 'upper case with one space');
  assert.equal(hub.delivery_partner.id, org.partner, 'the lead of one partner need not name it');
  assert.equal(hub.capacity, 30);
  venue.hub = hub;

  for (const postcode of ['M1', '12345', 'ABC DEF', 'M1 1AEX', 'M1 AAE', '1M 1AE', 'EC1A-1BB', ''])
    expect422(await as.partner_lead.post('/api/v1/venues', { name: 'Somewhere', postcode, capacity: 10 }), 'postcode', /postcode/i, `postcode ${JSON.stringify(postcode)}`);
  for (const [postcode, normal] of [['sw1a2aa', 'SW1A 2AA'], ['EC1A 1BB', 'EC1A 1BB'], ['w1a 0ax', 'W1A 0AX'], ['B338TH', 'B33 8TH'], ['cr2 6xh', 'CR2 6XH'], ['DN55 1PT', 'DN55 1PT']]) {
    const v = await addVenue(as.admin, { delivery_partner_id: org.partner, name: `Venue at ${normal}`, postcode, capacity: 12 }, `postcode ${postcode}`);
    assert.equal(v.postcode, normal, `${postcode} is written ${normal}`);
  }

  const bad = expect422(await as.partner_lead.post('/api/v1/venues', { postcode: 'M1 1AE', capacity: 0 }), 'capacity', /1 to 1000/, 'no places');
  assert.ok(bad.error.fields.some((f) => f.field === 'name'), 'every problem at once: the name too');
  expect422(await as.partner_lead.post('/api/v1/venues', { name: 'Huge', postcode: 'M1 1AE', capacity: 1001 }), 'capacity', /1 to 1000/, 'too many places');
  expect422(await as.partner_lead.post('/api/v1/venues', { name: 'Text', postcode: 'M1 1AE', capacity: '30' }), 'capacity', /whole number/, 'capacity as text');
  expect422(await as.admin.post('/api/v1/venues', { delivery_partner_id: org.school, name: 'School hall', postcode: 'L1 8JQ', capacity: 40 }), 'delivery_partner_id', /delivery partner/, 'a school is not a delivery partner');

  // Changing it: the postcode is normalised again, a bad one refused.
  const changed = expectStatus(await as.partner_lead.patch(`/api/v1/venues/${hub.id}`, { postcode: 'm15 4fn', capacity: 25 }), 200, 'change the venue');
  assert.equal(changed.postcode, 'M15 4FN');
  assert.equal(changed.capacity, 25);
  assert.equal(changed.name, hub.name, 'what was not sent is kept');
  expect422(await as.partner_lead.patch(`/api/v1/venues/${hub.id}`, { postcode: 'not a postcode' }), 'postcode', /UK postcode/, 'a bad postcode in a change');
  venue.hub = changed;

  // Anyone signed in may see where events happen; only the partner's lead or an admin changes it.
  const seen = await getChecked(as.participant, `/api/v1/venues/${hub.id}`, '/api/v1/venues/{id}');
  assert.equal(seen.postcode, 'M15 4FN');
  expectDenied(await as.participant.post('/api/v1/venues', { name: 'Mine', postcode: 'M1 1AE', capacity: 5 }), 403, 'a participant adds a venue');
  expectDenied(await as.facilitator.patch(`/api/v1/venues/${hub.id}`, { capacity: 5 }), 403, 'a facilitator changes a venue');

  // Another partner's lead: not for our partner, not our venue; their own is fine.
  expectDenied(await as.otherLead.post('/api/v1/venues', { delivery_partner_id: org.partner, name: 'Sneaky', postcode: 'M1 1AE', capacity: 5 }), 403, 'another partner lead adds a venue for our partner');
  expectDenied(await as.otherLead.patch(`/api/v1/venues/${hub.id}`, { capacity: 5 }), 404, "another partner lead changes our partner's venue");
  venue.elsewhere = await addVenue(as.otherLead, { name: 'Birmingham Hub', postcode: 'B1 1BB', capacity: 50 }, 'their own venue');
  assert.equal(venue.elsewhere.delivery_partner.id, org.otherPartner);

  // Lists: by partner, and the partners with their regions and venues.
  const ours = await getChecked(as.coach, `/api/v1/venues?partner_id=${org.partner}`, '/api/v1/venues');
  assert.ok(ours.venues.length >= 7 && ours.venues.every((v) => v.delivery_partner.id === org.partner), 'only our partner\'s venues');
  const partners = await getChecked(as.participant, '/api/v1/delivery-partners', '/api/v1/delivery-partners');
  const nw = partners.delivery_partners.find((p) => p.id === org.partner);
  assert.deepEqual(nw.regions, ['North West', 'Merseyside']);
  assert.ok(nw.venues.some((v) => v.id === hub.id));
  const mid = partners.delivery_partners.find((p) => p.id === org.otherPartner);
  assert.deepEqual(mid.venues.map((v) => v.id), [venue.elsewhere.id]);

  const events = await audit({ entity: 'venue', entity_id: String(hub.id) });
  assert.deepEqual(events.map((e) => e.action).sort(), ['venue.create', 'venue.update']);
  const update = events.find((e) => e.action === 'venue.update');
  assert.equal(update.before.postcode, 'M1 1AE');
  assert.equal(update.after.postcode, 'M15 4FN');
});

/* ---------------------------------------------------------------- cohort staff */

test('cohort staff: facilitators and coaches who hold the role, added once, removed', async () => {
  const url = `/api/v1/cohorts/${cohort.sl.id}/staff`;
  const f = expectStatus(await as.partner_lead.post(url, { user_id: demo.ids.facilitator, role: 'facilitator' }), 201, 'add the facilitator');
  assert.equal(f.user.id, demo.ids.facilitator);
  assert.equal(f.role, 'facilitator');
  expect409(await as.partner_lead.post(url, { user_id: demo.ids.facilitator, role: 'facilitator' }), /already a facilitator/, 'add them twice');
  expect422(await as.partner_lead.post(url, { user_id: demo.ids.coach, role: 'facilitator' }), 'user_id', /not a facilitator/, 'a coach as facilitator');
  expect422(await as.partner_lead.post(url, { user_id: demo.ids.coach, role: 'assessor' }), 'role', /facilitator or coach/, 'another role');
  expectStatus(await as.admin.post(url, { user_id: demo.ids.coach, role: 'coach' }), 201, 'add the coach');
  expectStatus(await as.partner_lead.delete(`${url}/${demo.ids.coach}/coach`), 204, 'remove the coach');
  expectDenied(await as.partner_lead.delete(`${url}/${demo.ids.coach}/coach`), 404, 'remove them again');
  expectStatus(await as.partner_lead.post(url, { user_id: demo.ids.coach, role: 'coach' }), 201, 'add the coach back');

  expectDenied(await as.otherLead.post(url, { user_id: demo.ids.facilitator, role: 'facilitator' }), 404, "another partner's lead");
  expectDenied(await as.facilitator.post(url, { user_id: demo.ids.facilitator, role: 'facilitator' }), 403, 'a facilitator');

  const c = await getChecked(as.facilitator, `/api/v1/cohorts/${cohort.sl.id}`, '/api/v1/cohorts/{id}');
  assert.deepEqual(
    c.staff.map((s) => [s.user.id, s.role]),
    [
      [demo.ids.facilitator, 'facilitator'],
      [demo.ids.coach, 'coach'],
    ],
  );
  const actions = (await audit({ entity: 'cohort', entity_id: String(cohort.sl.id), action: 'cohort.staff' })).map((e) => e.action);
  assert.deepEqual(actions.sort(), ['cohort.staff_add', 'cohort.staff_add', 'cohort.staff_add', 'cohort.staff_remove']);
});

test('participants: the demo participant and twenty more are enrolled in the blended cohort', async () => {
  await enrol(demo.ids.participant);
  for (const key of crowdKeys) await enrol(demo.ids[key]);
  const c = await getChecked(as.partner_lead, `/api/v1/cohorts/${cohort.sl.id}`, '/api/v1/cohorts/{id}');
  assert.equal(c.participants.length, CROWD + 1);
  assert.equal(c.cohort.participants, CROWD + 1);
  assert.ok(c.participants.some((p) => p.id === demo.ids.participant && p.state === 'active'));
  assert.ok(!c.participants.some((p) => p.id === demo.ids.outsider), 'the outsider is not in it');
});

/* ---------------------------------------------------------------- the plan */

test("the plan: NPQSL blended needs 4 face-to-face events; online counts virtual live ones; cancelled ones don't count", async () => {
  const planOf = async (key) => (await getChecked(as.partner_lead, `/api/v1/cohorts/${cohort[key].id}`, '/api/v1/cohorts/{id}'));
  let c = await planOf('sl');
  assert.equal(c.plan.sentence, 'No face-to-face events planned, 4 required: plan 4 more');
  assert.match(c.warning, /NPQSL .*4 face-to-face events.*plan 4 more/);

  for (let day = 1; day <= 3; day++) await addEvent({ title: `Face-to-face day ${day}`, starts_at: nextYear(2, day, 9), ends_at: nextYear(2, day, 16) });
  // Events of the other kinds do not count in the blended model.
  await addEvent({ kind: 'virtual_live', title: 'Online catch-up', venue_id: null, joining_url: 'https://meet.example.org/npqsl', capacity: 40, starts_at: nextYear(2, 4, 16), ends_at: nextYear(2, 4, 17) });
  await addEvent({ kind: 'webinar', title: 'Webinar', venue_id: null, joining_url: 'https://meet.example.org/webinar', capacity: 200, starts_at: nextYear(2, 5, 16), ends_at: nextYear(2, 5, 17) });
  c = await planOf('sl');
  assert.equal(c.plan.sentence, '3 face-to-face events planned, 4 required: plan 1 more');
  assert.equal(c.plan.short_by, 1);
  assert.equal(c.plan.enough, false);
  assert.match(c.warning, /plan 1 more/);

  const fourth = await addEvent({ title: 'Face-to-face day 4', starts_at: nextYear(2, 8, 9), ends_at: nextYear(2, 8, 16) });
  c = await planOf('sl');
  assert.equal(c.plan.sentence, '4 face-to-face events planned, 4 required');
  assert.equal(c.plan.enough, true);
  assert.equal(c.warning, null);
  assert.equal(c.events.length, 6);

  // A cancelled event no longer counts.
  expectStatus(await as.partner_lead.post(`/api/v1/events/${fourth.id}/cancel`), 200, 'cancel day 4');
  c = await planOf('sl');
  assert.equal(c.plan.sentence, '3 face-to-face events planned, 4 required: plan 1 more');
  assert.ok(c.events.find((e) => e.id === fourth.id).cancelled, 'the cancelled event is still listed, marked');
  await addEvent({ title: 'Face-to-face day 4 (rearranged)', starts_at: nextYear(2, 9, 9), ends_at: nextYear(2, 9, 16) });
  assert.equal((await planOf('sl')).plan.sentence, '4 face-to-face events planned, 4 required');

  // Online only: virtual live events replace face-to-face ones; face-to-face and webinars do not count.
  const online = { cohort_id: cohort.online.id };
  await addEvent({ ...online, title: 'Launch day', starts_at: nextYear(2, 1, 9), ends_at: nextYear(2, 1, 16) });
  await addEvent({ ...online, kind: 'webinar', title: 'Webinar', venue_id: null, joining_url: 'https://meet.example.org/w', capacity: 100 });
  c = await planOf('online');
  assert.equal(c.plan.kind, 'virtual live');
  assert.equal(c.plan.sentence, 'No virtual live events planned, 4 required: plan 4 more');
  for (let n = 1; n <= 4; n++)
    await addEvent({ ...online, kind: 'virtual_live', title: `Live session ${n}`, venue_id: null, joining_url: 'https://meet.example.org/live', capacity: 30, starts_at: nextYear(4, n, 16), ends_at: nextYear(4, n, 18) });
  c = await planOf('online');
  assert.equal(c.plan.sentence, '4 virtual live events planned, 4 required');
  assert.equal(c.warning, null);
});

/* ---------------------------------------------------------------- event rules */

test('event rules: venue, joining link, times, capacity against the venue, module and area', async () => {
  expect422(await as.partner_lead.post('/api/v1/events', eventFields({ venue_id: null })), 'venue_id', /Choose the venue/, 'face-to-face without a venue');
  expect422(
    await as.partner_lead.post('/api/v1/events', eventFields({ kind: 'virtual_live', venue_id: null, joining_url: 'http://meet.example.org/x', capacity: 20 })),
    'joining_url',
    /https:\/\//,
    'an http joining link',
  );
  expect422(await as.partner_lead.post('/api/v1/events', eventFields({ kind: 'virtual_live', joining_url: 'https://meet.example.org/x', capacity: 20 })), 'venue_id', /online/, 'an online event at a venue');
  expect422(await as.partner_lead.post('/api/v1/events', eventFields({ starts_at: nextYear(3, 10, 16), ends_at: nextYear(3, 10, 9) })), 'ends_at', /end after it starts/, 'ends before it starts');
  expect422(await as.partner_lead.post('/api/v1/events', eventFields({ starts_at: nextYear(3, 10, 6), ends_at: nextYear(3, 10, 20) })), 'ends_at', /12 hours/, 'longer than 12 hours');
  expect422(await as.partner_lead.post('/api/v1/events', eventFields({ capacity: 26 })), 'capacity', /holds 25 people/, 'more places than the venue holds');
  expect422(await as.partner_lead.post('/api/v1/events', eventFields({ starts_at: '10/03/2027 09:00' })), 'starts_at', /YYYY-MM-DDTHH:MM:SSZ/, 'a time in another format');
  expect422(await as.partner_lead.post('/api/v1/events', eventFields({ starts_at: `${YEAR}-02-30T09:00:00Z` })), 'starts_at', /UTC/, 'a day that does not exist');
  expect422(await as.partner_lead.post('/api/v1/events', eventFields({ title: '' })), 'title', /title/, 'no title');
  expect422(await as.admin.post('/api/v1/events', eventFields({ venue_id: venue.elsewhere.id })), 'venue_id', /not of North West Teaching School Hub/, "another partner's venue");
  expect422(await as.partner_lead.post('/api/v1/events', eventFields({ module: 'leading-teaching' })), 'module', /not part of NPQSL/, 'a module of another qualification');
  expect422(await as.partner_lead.post('/api/v1/events', eventFields({ framework_area: 99 })), 'framework_area', /no area 99/, 'an area the framework lacks');
  expect422(await as.partner_lead.post('/api/v1/events', eventFields({ facilitator_id: demo.ids.coach })), 'facilitator_id', /not an active facilitator/, 'a coach as facilitator');
  expect422(await as.partner_lead.post('/api/v1/events', eventFields({ kind: 'lecture' })), 'kind', /face-to-face, virtual live or a webinar/, 'an unknown kind');

  // The capacity defaults to the venue's; the module is spelled as the catalogue does.
  const e = await addEvent({ module: 'CLOSING-THE-GAP', framework_area: 1, facilitator_id: demo.ids.facilitator });
  assert.equal(e.capacity, 25);
  assert.equal(e.places_left, 25);
  assert.equal(e.module, 'closing-the-gap');
  assert.equal(e.facilitator.id, demo.ids.facilitator);
  assert.equal(e.starts_at, nextYear(3, 10, 9));
  assert.equal(e.sequence, 0);

  // Any change bumps the sequence; sending what it already has changes nothing.
  let changed = expectStatus(await as.partner_lead.patch(`/api/v1/events/${e.id}`, { title: 'Culture and climate', starts_at: nextYear(3, 10, 10) }), 200, 'change the event');
  assert.equal(changed.sequence, 1);
  assert.equal(changed.title, 'Culture and climate');
  assert.equal(changed.starts_at, nextYear(3, 10, 10));
  changed = expectStatus(await as.partner_lead.patch(`/api/v1/events/${e.id}`, { title: 'Culture and climate' }), 200, 'change nothing');
  assert.equal(changed.sequence, 1);
  expect422(await as.partner_lead.patch(`/api/v1/events/${e.id}`, { capacity: 30 }), 'capacity', /holds 25/, 'a change past the venue');
  expect422(await as.partner_lead.patch(`/api/v1/events/${e.id}`, { cohort_id: cohort.online.id }), 'cohort_id', /another cohort/, 'moving cohort');
  changed = expectStatus(await as.partner_lead.patch(`/api/v1/events/${e.id}`, { kind: 'virtual_live', venue_id: null, joining_url: 'https://meet.example.org/cc' }), 200, 'move it online');
  assert.equal(changed.venue, null);
  assert.equal(changed.sequence, 2);
  expectDenied(await as.facilitator.patch(`/api/v1/events/${e.id}`, { title: 'Mine' }), 403, 'a facilitator changes an event');

  // A venue is not made smaller than an upcoming event at it.
  expect422(await as.partner_lead.patch(`/api/v1/venues/${venue.hub.id}`, { capacity: 20 }), 'capacity', /offers 25 places/, 'shrink the venue');

  const entries = await audit({ entity: 'event', entity_id: String(e.id), action: 'event.' });
  assert.deepEqual(entries.map((x) => x.action).sort(), ['event.create', 'event.update', 'event.update']);
  const first = entries.filter((x) => x.action === 'event.update').at(-1);
  assert.equal(first.before.title, 'Leading culture: day 1');
  assert.equal(first.after.title, 'Culture and climate');
});

/* ---------------------------------------------------------------- scope */

test('scope: who sees and who schedules the events of a cohort', async () => {
  const e = await addEvent({ title: 'Scoped event', starts_at: nextYear(5, 3, 9), ends_at: nextYear(5, 3, 12) });
  const inCohort = (list) => list.events.filter((x) => x.cohort.id === cohort.sl.id);

  // Another partner's lead can neither schedule nor see; a facilitator sees but does not schedule.
  const r = await as.otherLead.post('/api/v1/events', eventFields({ venue_id: venue.elsewhere.id }));
  assert.ok([403, 404].includes(r.status), `another partner's lead schedules in our cohort: ${show(r)}`);
  expectDenied(await as.otherLead.get(`/api/v1/events/${e.id}`), 404, "another partner's lead reads our event");
  expectDenied(await as.otherLead.get(`/api/v1/events?cohort_id=${cohort.sl.id}`), 404, "another partner's lead lists our cohort's events");
  assert.deepEqual(inCohort(await as.otherLead.json('/api/v1/events')), [], "another partner's lead's list has none of ours");
  expectDenied(await as.otherLead.get(`/api/v1/cohorts/${cohort.sl.id}`), 404, "another partner's lead reads our cohort");
  expectDenied(await as.facilitator.post('/api/v1/events', eventFields()), 403, 'a facilitator schedules');

  // A participant not in the cohort sees nothing of it.
  expectDenied(await as.outsider.get(`/api/v1/events/${e.id}`), 404, 'an outsider reads the event');
  expectDenied(await as.outsider.get(`/api/v1/events?cohort_id=${cohort.sl.id}`), 404, "an outsider lists the cohort's events");
  expectDenied(await as.outsider.get(`/api/v1/cohorts/${cohort.sl.id}`), 404, 'an outsider reads the cohort');
  assert.deepEqual((await as.outsider.json('/api/v1/events')).events, [], "an outsider's list is empty");
  expectDenied(await book(as.outsider, e.id), 404, 'an outsider books');

  // The cohort's participants, facilitator, coach and partner lead see its events; admins see all.
  for (const key of ['participant', 'p01', 'facilitator', 'coach', 'partner_lead', 'admin']) {
    const list = await getChecked(as[key], '/api/v1/events', '/api/v1/events');
    assert.ok(inCohort(list).some((x) => x.id === e.id), `${key} lists the event`);
    await getChecked(as[key], `/api/v1/events/${e.id}`, '/api/v1/events/{id}');
  }
  for (const key of ['mentor', 'headteacher', 'assessor']) assert.deepEqual(inCohort(await as[key].json('/api/v1/events')), [], `${key} lists none`);

  // Filters: a cohort, and a window of start times.
  const may = await as.participant.json(`/api/v1/events?cohort_id=${cohort.sl.id}&from=${YEAR}-05-01&to=${YEAR}-06-01`);
  assert.deepEqual(may.events.map((x) => x.id), [e.id]);
  const times = await as.participant.json(`/api/v1/events?from=${nextYear(5, 3, 9)}&to=${nextYear(5, 3, 10)}`);
  assert.deepEqual(times.events.map((x) => x.id), [e.id]);
  expect422(await as.participant.get('/api/v1/events?from=yesterday'), 'from', /date/, 'a bad from');
  const sorted = (await as.admin.json('/api/v1/events')).events.map((x) => x.starts_at);
  assert.deepEqual(sorted, [...sorted].sort(), 'soonest first');
});

/* ---------------------------------------------------------------- bookings */

test('capacity: twenty participants booking five places at the same moment get exactly five', async () => {
  const e = await addEvent({ title: 'Small group', capacity: 5, starts_at: nextYear(6, 1, 9), ends_at: nextYear(6, 1, 12) });
  assert.equal(e.capacity, 5);
  const replies = await Promise.all(crowdKeys.map((key) => book(as[key], e.id)));
  const created = replies.filter((r) => r.status === 201);
  const refused = replies.filter((r) => r.status === 409);
  assert.equal(created.length, 5, `5 bookings made: ${replies.map((r) => r.status).join(' ')}`);
  assert.equal(refused.length, CROWD - 5, `the rest refused: ${replies.map((r) => r.status).join(' ')}`);
  for (const r of refused) expect409(r, /This event is full: all 5 places are taken/, 'a booking past capacity');
  for (const r of created) {
    const b = r.json();
    assert.equal(b.event_id, e.id);
    assert.deepEqual(validate({ $ref: '#/components/schemas/Booking' }, b, 'Booking'), []);
  }

  const after = await getChecked(as.participant, `/api/v1/events/${e.id}`, '/api/v1/events/{id}');
  assert.equal(after.booked, 5);
  assert.equal(after.places_left, 0);
  const list = await getChecked(as.facilitator, `/api/v1/events/${e.id}/bookings`, '/api/v1/events/{id}/bookings');
  assert.equal(list.bookings.length, 5);
  const winners = new Set(created.map((r) => r.json().user.id));
  assert.deepEqual(new Set(list.bookings.map((b) => b.user.id)), winners, 'the list holds those answered 201');
  assert.equal((await audit({ entity: 'event', entity_id: String(e.id), action: 'booking.create' })).length, 5, 'each booking audited');

  // A place given back can be taken again, once.
  const leaver = crowdKeys.find((k) => winners.has(demo.ids[k]));
  expectStatus(await as[leaver].delete(`/api/v1/events/${e.id}/bookings/${demo.ids[leaver]}`), 204, 'give a place back');
  const waiting = crowdKeys.filter((k) => !winners.has(demo.ids[k])).slice(0, 4);
  const second = await Promise.all(waiting.map((key) => book(as[key], e.id)));
  assert.deepEqual(second.map((r) => r.status).sort(), [201, 409, 409, 409]);
  assert.equal((await as.admin.json(`/api/v1/events/${e.id}`)).booked, 5);
});

test('bookings: one place per person even when asked twice at once; who may book whom', async () => {
  const e = await addEvent({ title: 'Booked twice', capacity: 10, starts_at: nextYear(6, 2, 9), ends_at: nextYear(6, 2, 12) });
  const both = await Promise.all([book(as.participant, e.id), book(as.participant, e.id)]);
  assert.deepEqual(both.map((r) => r.status).sort(), [201, 409], `one of two at once: ${both.map(show).join(' | ')}`);
  expect409(both.find((r) => r.status === 409), /already booked/, 'the second of two at once');
  expect409(await book(as.participant, e.id), /already booked/, 'booking again later');
  assert.equal((await as.admin.json(`/api/v1/events/${e.id}`)).booked, 1);

  // Administrators book someone; participants only themselves; only the cohort's participants.
  const b = expectStatus(await book(as.admin, e.id, { user_id: demo.ids.p02 }), 201, 'an admin books a participant');
  assert.equal(b.user.id, demo.ids.p02);
  expectDenied(await book(as.p03, e.id, { user_id: demo.ids.p04 }), 403, 'a participant books someone else');
  expect422(await book(as.admin, e.id, { user_id: demo.ids.outsider }), 'user_id', /enrolled in cohort NPQSL-NW-EVENTS/, 'an admin books someone outside the cohort');
  expectDenied(await book(as.facilitator, e.id, { user_id: demo.ids.p05 }), 404, 'a facilitator books (not theirs to book)');

  // Giving places back: one's own, or an admin for anyone.
  expectDenied(await as.p02.delete(`/api/v1/events/${e.id}/bookings/${demo.ids.participant}`), 403, "giving back someone else's place");
  expectStatus(await as.admin.delete(`/api/v1/events/${e.id}/bookings/${demo.ids.p02}`), 204, 'an admin gives a place back');
  expectDenied(await as.p02.delete(`/api/v1/events/${e.id}/bookings/${demo.ids.p02}`), 404, 'giving back a place not held');
  assert.equal((await as.admin.json(`/api/v1/events/${e.id}`)).booked, 1);

  // An event that has started cannot be booked.
  const started = await addEvent({ title: 'Already going', starts_at: iso(Date.now() - HOUR), ends_at: iso(Date.now() + HOUR) });
  expect409(await book(as.participant, started.id), /already started/, 'booking an event that has started');
});

/* ---------------------------------------------------------------- attendance */

test('attendance: the facilitator takes the register from 30 minutes before; corrections need a reason and are audited', async () => {
  const soon = await addEvent({ title: 'Starting soon', capacity: 10, starts_at: iso(Date.now() + 20 * 60 * 1000), ends_at: iso(Date.now() + 3 * HOUR) });
  for (const key of ['participant', 'p01', 'p02']) expectStatus(await book(as[key], soon.id), 201, `${key} books`);
  const url = `/api/v1/events/${soon.id}/attendance`;

  // Participants and coaches do not take registers.
  expectDenied(await putMarks(as.participant, soon.id, [{ user_id: demo.ids.participant, mark: 'present' }]), 403, 'a participant marks themselves');
  expectDenied(await as.participant.get(url), 403, 'a participant reads the register');
  expectDenied(await as.coach.get(url), 403, 'a coach reads the register');
  expectDenied(await as.otherLead.get(url), 404, "another partner's lead reads the register");

  let register = await getChecked(as.facilitator, url, '/api/v1/events/{id}/attendance');
  assert.deepEqual(register.register.map((l) => [l.user.id, l.mark]).sort(), [
    [demo.ids.participant, null],
    [demo.ids.p01, null],
    [demo.ids.p02, null],
  ].sort());

  // Every mark is checked, and none is written unless all are good.
  let bad = await putMarks(as.facilitator, soon.id, [
    { user_id: demo.ids.p02, mark: 'present' },
    { user_id: demo.ids.p03, mark: 'present' },
    { user_id: demo.ids.p01, mark: 'asleep' },
  ]);
  expect422(bad, 'marks[1].user_id', /Only people booked/, 'a person not booked');
  expect422(bad, 'marks[2].mark', /present, late, absent or excused/, 'an unknown mark');
  assert.ok(!bad.json().error.fields.some((f) => f.field.startsWith('marks[0]')), 'the good mark has no error');
  register = await as.facilitator.json(url);
  assert.ok(register.register.every((l) => l.mark === null), 'all or none: nothing was recorded');

  register = expectStatus(await putMarks(as.facilitator, soon.id, [
    { user_id: demo.ids.participant, mark: 'present' },
    { user_id: demo.ids.p01, mark: 'late' },
  ]), 200, 'the facilitator marks two');
  const line = (reg, id) => reg.register.find((l) => l.user.id === id);
  assert.equal(line(register, demo.ids.participant).mark, 'present');
  assert.equal(line(register, demo.ids.participant).recorded_by.id, demo.ids.facilitator);
  assert.equal(line(register, demo.ids.p01).mark_title, 'Late');
  assert.equal(line(register, demo.ids.p02).mark, null);

  // Sending the same mark again is no correction; changing one needs a reason.
  expectStatus(await putMarks(as.facilitator, soon.id, [{ user_id: demo.ids.participant, mark: 'present' }]), 200, 'the same mark again');
  expect422(await putMarks(as.facilitator, soon.id, [{ user_id: demo.ids.participant, mark: 'absent' }]), 'marks[0].reason', /reason/, 'a correction without a reason');
  expect422(await putMarks(as.facilitator, soon.id, [{ user_id: demo.ids.participant, mark: 'absent', reason: '   ' }]), 'marks[0].reason', /reason/, 'a blank reason');
  register = expectStatus(
    await putMarks(as.partner_lead, soon.id, [{ user_id: demo.ids.participant, mark: 'absent', reason: 'Signed in by mistake; left before the start' }]),
    200,
    'a correction with a reason',
  );
  assert.equal(line(register, demo.ids.participant).mark, 'absent');
  assert.equal(line(register, demo.ids.participant).reason, 'Signed in by mistake; left before the start');
  const corrections = await audit({ entity: 'event', entity_id: String(soon.id), action: 'attendance.correct' });
  assert.equal(corrections.length, 1, 'one correction audited');
  assert.deepEqual(corrections[0].before, { user_id: demo.ids.participant, mark: 'present' });
  assert.deepEqual(corrections[0].after, { user_id: demo.ids.participant, mark: 'absent', reason: 'Signed in by mistake; left before the start' });
  assert.equal(corrections[0].actor.id, demo.ids.partner_lead);
  assert.equal((await audit({ entity: 'event', entity_id: String(soon.id), action: 'attendance.record' })).length, 2, 'first marks audited too');

  // Too early: attendance opens 30 minutes before the start.
  const tomorrow = await addEvent({ title: 'Tomorrow', capacity: 10, starts_at: iso(Date.now() + DAY), ends_at: iso(Date.now() + DAY + 2 * HOUR) });
  expectStatus(await book(as.participant, tomorrow.id), 201, 'book tomorrow');
  expect422(await putMarks(as.facilitator, tomorrow.id, [{ user_id: demo.ids.participant, mark: 'present' }]), 'marks[0].mark', /30 minutes before/, 'marking too early');
  expect422(await putMarks(as.facilitator, tomorrow.id, []), 'marks', /at least one/, 'no marks');
  expect422(await as.facilitator.put(`/api/v1/events/${tomorrow.id}/attendance`, { marks: [{ mark: 'present' }] }), 'marks[0].user_id', /whose/, 'a mark for nobody');
});

/* ---------------------------------------------------------------- cancelling */

test('cancelling an event: once only, bookings refused, no more changes', async () => {
  const e = await addEvent({ title: 'To be cancelled', capacity: 10, starts_at: nextYear(7, 1, 9), ends_at: nextYear(7, 1, 12) });
  expectStatus(await book(as.participant, e.id), 201, 'book before the cancellation');
  expectDenied(await as.facilitator.post(`/api/v1/events/${e.id}/cancel`), 403, 'a facilitator cancels');
  const cancelled = expectStatus(await as.partner_lead.post(`/api/v1/events/${e.id}/cancel`), 200, 'cancel');
  assert.equal(cancelled.cancelled, true);
  assert.equal(cancelled.sequence, e.sequence + 1);
  assert.equal(cancelled.places_left, 0);
  assert.match(cancelled.cancelled_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  expect409(await as.partner_lead.post(`/api/v1/events/${e.id}/cancel`), /already cancelled/, 'cancel twice');
  expect409(await book(as.p06, e.id), /cancelled/, 'book a cancelled event');
  expect409(await as.partner_lead.patch(`/api/v1/events/${e.id}`, { title: 'Back on' }), /cancelled/, 'change a cancelled event');
  assert.equal((await as.admin.json(`/api/v1/events/${e.id}`)).sequence, e.sequence + 1, 'refusals changed nothing');
  const entries = await audit({ entity: 'event', entity_id: String(e.id), action: 'event.cancel' });
  assert.equal(entries.length, 1);
});

test('the delivery answers match their documented schemas', async () => {
  const e = (await as.admin.json(`/api/v1/events?cohort_id=${cohort.sl.id}`)).events[0];
  await getChecked(as.admin, '/api/v1/venues', '/api/v1/venues');
  await getChecked(as.admin, `/api/v1/cohorts/${cohort.online.id}`, '/api/v1/cohorts/{id}');
  await getChecked(as.admin, `/api/v1/events/${e.id}/bookings`, '/api/v1/events/{id}/bookings');
  await getChecked(as.partner_lead, `/api/v1/events/${e.id}/attendance`, '/api/v1/events/{id}/attendance');
  for (const [pattern, method] of [
    ['/api/v1/venues', 'post'],
    ['/api/v1/events', 'post'],
    ['/api/v1/events/{id}', 'patch'],
    ['/api/v1/events/{id}/bookings', 'post'],
    ['/api/v1/events/{id}/attendance', 'put'],
    ['/api/v1/cohorts/{id}/staff', 'post'],
    ['/api/v1/cohorts/{id}/staff/{user}/{role}', 'delete'],
    ['/api/v1/events/{id}/bookings/{user}', 'delete'],
  ])
    assert.ok(doc.paths[pattern]?.[method], `${method.toUpperCase()} ${pattern} is documented`);
});
