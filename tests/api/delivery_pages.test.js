'use strict';
/*
 * The delivery pages, black-box: /delivery, a cohort's page with its plan and the form that
 * schedules an event (UK time in, UTC stored), an event's page with booking until it is full,
 * the register, coaching sessions with notes and actions, the learning-hours log with its cap,
 * and the calendar address. Each page is asked as the people who may see it and as some who may
 * not. Three delivery rules the pages rely on are checked through the API as well: a change of
 * places alone does not raise an event's SEQUENCE while a change of time does; renaming a venue
 * raises it for coming events there; withdrawing gives up the participant's coming places.
 *
 * The real binary runs on a demo database (`npq demo`) with a few more participants; pages are
 * used through signed-in sessions (cookies and CSRF tokens, as a browser would), the setup
 * through the API with tokens.
 *
 *   NPQ_BIN=build/npq node --test --test-concurrency=1 tests/api/delivery_pages.test.js
 *
 * The tests share one server and run in order; each says what it relies on.
 */
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');

const { startServer, request } = require('./helpers');
const { prepareDemoDb, apiAs, createToken, signIn, addUser } = require('./auth_helpers');

const YEAR = new Date().getUTCFullYear() + 1;
const SL_ELECTIVES = ['improving-the-quality-of-teaching', 'school-self-evaluation'];
const EXTRA = ['p1', 'p2', 'p3'];

let server;
let demo; // {dbPath, tokens, ids, emails}
let as; // API callers by key
const pages = {}; // signed-in page sessions by key
const org = {};
const cohort = {};
const venue = {};
const enrolment = {}; // enrolment ids by participant key

/* ---------------------------------------------------------------- helpers */

const show = (r) => `${r.status} ${r.text.slice(0, 1500)}`;

function expectStatus(r, status, what) {
  assert.equal(r.status, status, `${what}: expected ${status}, got ${show(r)}`);
  return r.status === 204 || !/json/.test(r.headers.get('content-type') || '') ? r : r.json();
}

/* The visible text of a page: tags dropped, entities decoded, white space collapsed. */
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

/* The error summary's messages, in order. */
function errorSummary(html) {
  const box = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html);
  if (!box) return [];
  return [...box[0].matchAll(/<li><a href="#([^"]*)">([\s\S]*?)<\/a><\/li>/g)].map((m) => ({ href: m[1], text: textOf(m[2]) }));
}

const titleOf = (html) => textOf(/<title>([\s\S]*?)<\/title>/.exec(html)[1]);

const nextYear = (month, day, hour, minute = 0) =>
  `${YEAR}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00Z`;

async function addEvent(fields, caller = as.partner_lead) {
  const body = {
    cohort_id: cohort.sl.id,
    kind: 'face_to_face',
    title: 'Culture day',
    venue_id: venue.hub.id,
    starts_at: nextYear(3, 10, 9),
    ends_at: nextYear(3, 10, 16),
    ...fields,
  };
  return expectStatus(await caller.post('/api/v1/events', body), 201, `schedule ${body.title}`);
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

/* ---------------------------------------------------------------- the server */

before(async () => {
  const extraUsers = { outsider: { email: 'outsider@pages.npq.test', name: 'Orla Outsider', role: 'participant' } };
  EXTRA.forEach((key, i) => {
    extraUsers[key] = { email: `${key}@pages.npq.test`, name: `Page Participant ${i + 1}`, role: 'participant' };
  });
  demo = await prepareDemoDb({ extraUsers });
  server = await startServer({ db: demo.dbPath, threads: 2 });
  as = Object.fromEntries(Object.entries(demo.tokens).map(([key, token]) => [key, apiAs(server, token, key)]));

  const orgs = (await as.admin.json('/api/v1/organisations')).organisations;
  org.school = orgs.find((o) => o.kind === 'school' && o.urn === '100001').id;
  org.partner = orgs.find((o) => o.kind === 'delivery_partner' && o.name === 'North West Teaching School Hub').id;
  org.otherPartner = expectStatus(
    await as.admin.post('/api/v1/organisations', { kind: 'delivery_partner', name: 'Midlands Learning Partnership', regions_served: ['West Midlands'] }),
    201,
    'a second delivery partner',
  ).id;
  // Another partner's lead, with a password for the pages and a token for the API.
  demo.ids.otherLead = await addUser(demo.dbPath, { email: 'lead@midlands.npq.test', name: 'Mo Midlands-Lead', role: 'partner_lead', organisation: org.otherPartner });
  demo.emails.otherLead = 'lead@midlands.npq.test';
  as.otherLead = apiAs(server, await createToken(demo.dbPath, 'lead@midlands.npq.test', 'pages'), 'otherLead');

  cohort.sl = expectStatus(
    await as.admin.post('/api/v1/cohorts', {
      code: 'NPQSL-NW-PAGES',
      target: 'NPQSL',
      delivery_model: 'blended',
      delivery_partner_id: org.partner,
      starts_on: `${YEAR}-01-04`,
      ends_on: `${YEAR + 1}-07-31`,
    }),
    201,
    'the cohort',
  );
  venue.hub = expectStatus(
    await as.partner_lead.post('/api/v1/venues', { name: 'Hub Conference Centre', address: '1 Oxford Road, Manchester', postcode: 'M1 1AE', capacity: 30 }),
    201,
    'a venue',
  );
  venue.other = expectStatus(
    await as.partner_lead.post('/api/v1/venues', { name: 'Salford Quays Rooms', postcode: 'M50 3AZ', capacity: 20 }),
    201,
    'a second venue',
  );
  const staff = `/api/v1/cohorts/${cohort.sl.id}/staff`;
  expectStatus(await as.admin.post(staff, { user_id: demo.ids.facilitator, role: 'facilitator' }), 201, 'the facilitator joins');
  expectStatus(await as.admin.post(staff, { user_id: demo.ids.coach, role: 'coach' }), 201, 'the coach joins');
  for (const key of ['participant', ...EXTRA]) await enrol(demo.ids[key]);
  const c = await as.admin.json(`/api/v1/cohorts/${cohort.sl.id}`);
  for (const key of ['participant', ...EXTRA]) enrolment[key] = c.participants.find((p) => p.id === demo.ids[key]).enrolment_id;

  for (const key of ['admin', 'partner_lead', 'facilitator', 'coach', 'participant', 'assessor', ...EXTRA])
    pages[key] = await signIn(server, demo.emails[key]);
  pages.outsider = await signIn(server, demo.emails.outsider);
  pages.otherLead = await signIn(server, demo.emails.otherLead);
});

after(async () => {
  await server?.stop();
});

/* ---------------------------------------------------------------- navigation and scope */

test('the navigation offers Delivery to staff, their events, hours, pathway and transcript to participants, and Coaching to participants and coaches', async () => {
  const nav = async (key) => {
    const html = expectPage(await pages[key].get('/account'), 200, `${key}: /account`);
    const list = /<ul class="govuk-service-navigation__list"[\s\S]*?<\/ul>/.exec(html)[0];
    return [...list.matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
  };
  for (const key of ['admin', 'partner_lead', 'facilitator', 'coach']) assert.ok((await nav(key)).includes('/delivery'), `${key} has Delivery`);
  assert.ok(!(await nav('assessor')).includes('/delivery'), 'assessor has no Delivery');
  const participantNav = await nav('participant');
  for (const href of ['/delivery', '/hours', `/participants/${demo.ids.participant}/pathway`, `/participants/${demo.ids.participant}/transcript`])
    assert.ok(participantNav.includes(href), `participant's menu reaches ${href}: ${participantNav.join(' ')}`);
  assert.match(expectPage(await pages.participant.get('/account'), 200, 'participant: /account'), /href="\/delivery">Events</, 'a participant\'s /delivery is called Events');
  for (const key of ['admin', 'facilitator', 'coach', 'assessor']) assert.ok(!(await nav(key)).includes('/hours'), `${key} has no Hours`);
  for (const key of ['participant', 'coach']) assert.ok((await nav(key)).includes('/coaching'), `${key} has Coaching`);
  for (const key of ['admin', 'facilitator']) assert.ok(!(await nav(key)).includes('/coaching'), `${key} has no Coaching`);

  const anonymous = await request(server.url, '/delivery');
  expectRedirect(anonymous, '/sign-in?next=/delivery', 'anonymous: /delivery sends to sign in');
});

test("/delivery lists the caller's cohorts with their plan, and a cohort is refused outside its partner", async () => {
  // Relies on: the cohort with its staff and four participants, no events yet.
  for (const key of ['admin', 'partner_lead', 'facilitator', 'coach', 'participant']) {
    const text = textOf(expectPage(await pages[key].get('/delivery'), 200, `${key}: /delivery`));
    assert.match(text, /NPQSL-NW-PAGES/, `${key} sees the cohort`);
    assert.match(text, /No face-to-face events planned, 4 required: plan 4 more/, `${key} sees the plan`);
    assert.match(text, /Short of events/, `${key} sees the warning tag`);
  }
  for (const key of ['outsider', 'otherLead', 'assessor']) {
    const text = textOf(expectPage(await pages[key].get('/delivery'), 200, `${key}: /delivery`));
    assert.doesNotMatch(text, /NPQSL-NW-PAGES/, `${key} does not see the cohort`);
    assert.match(text, /You do not work with or study in any cohort yet/);
  }

  const url = `/cohorts/${cohort.sl.id}`;
  for (const key of ['admin', 'partner_lead', 'facilitator', 'coach', 'participant']) {
    const html = expectPage(await pages[key].get(url), 200, `${key}: ${url}`);
    const text = textOf(html);
    assert.match(text, /Blended/);
    assert.match(text, /North West Teaching School Hub/);
    assert.match(text, /Femi Facilitator, Facilitator/);
    assert.match(text, /Pat Participant/);
    assert.match(html, /class="govuk-warning-text"[\s\S]*NPQSL asks for 4 face-to-face events in blended delivery, and this cohort has 0: plan 4 more/);
    const manager = ['admin', 'partner_lead'].includes(key);
    assert.equal(/Schedule an event/.test(text), manager, `${key}: the form is for managers only`);
  }
  expectPage(await pages.otherLead.get(url), 404, "another partner's lead: the cohort");
  expectPage(await pages.outsider.get(url), 404, 'a participant of no cohort: the cohort');
  expectPage(await pages.otherLead.get('/cohorts/999999'), 404, 'no such cohort');
});

/* ---------------------------------------------------------------- scheduling with the form */

test('adding an event through the form: UK time in, UTC stored, the plan counts it; errors re-render with 422', async () => {
  const url = `/cohorts/${cohort.sl.id}`;
  const form = {
    kind: 'face_to_face',
    title: 'Leading culture: day 1',
    module: 'closing-the-gap',
    framework_area: '1',
    venue_id: String(venue.hub.id),
    joining_url: '',
    'date-day': '15',
    'date-month': '7',
    'date-year': String(YEAR),
    starts_at: '9:30am',
    ends_at: '16:00',
    capacity: '',
    facilitator_id: String(demo.ids.facilitator),
  };
  expectRedirect(await pages.partner_lead.post(`${url}/events`, form), `${url}?notice=event_added#events`, 'schedule in summer');
  expectRedirect(
    await pages.admin.post(`${url}/events`, { ...form, title: 'Leading culture: day 2', 'date-day': '12', 'date-month': '1', starts_at: '2pm', ends_at: '5:15pm', capacity: '12' }),
    `${url}?notice=event_added#events`,
    'schedule in winter',
  );
  const events = (await as.admin.json(`/api/v1/events?cohort_id=${cohort.sl.id}`)).events;
  const summer = events.find((e) => e.title === 'Leading culture: day 1');
  const winter = events.find((e) => e.title === 'Leading culture: day 2');
  assert.equal(summer.starts_at, `${YEAR}-07-15T08:30:00Z`, '9:30am in British Summer Time is 8:30 UTC');
  assert.equal(summer.ends_at, `${YEAR}-07-15T15:00:00Z`);
  assert.equal(summer.capacity, 30, 'no places given: the venue holds 30');
  assert.equal(summer.module, 'closing-the-gap');
  assert.equal(summer.framework_area, 1);
  assert.equal(summer.facilitator.id, demo.ids.facilitator);
  assert.equal(winter.starts_at, `${YEAR}-01-12T14:00:00Z`, '2pm in winter is 14:00 UTC');
  assert.equal(winter.ends_at, `${YEAR}-01-12T17:15:00Z`);
  assert.equal(winter.capacity, 12);

  const page = expectPage(await pages.partner_lead.get(`${url}?notice=event_added`), 200, 'the cohort after');
  const text = textOf(page);
  assert.match(text, /Success Event scheduled/, 'the fixed notice');
  assert.match(text, /2 face-to-face events planned, 4 required: plan 2 more/);
  assert.match(text, new RegExp(`15 July ${YEAR}, 9:30am to 4:00pm`), 'the table shows UK time');
  assert.match(text, new RegExp(`12 January ${YEAR}, 2:00pm to 5:15pm`));
  const echoed = expectPage(await pages.partner_lead.get(`${url}?notice=<b>owned</b>`), 200, 'an unknown notice');
  assert.doesNotMatch(echoed, /owned/, 'query text is never echoed');

  // Wrong answers: every problem at once, values kept, nothing stored.
  const bad = await pages.partner_lead.post(`${url}/events`, {
    ...form,
    kind: 'webinar',
    title: '',
    venue_id: String(venue.hub.id),
    joining_url: 'http://insecure.example.org',
    'date-day': '31',
    'date-month': '4',
    starts_at: 'soon',
    capacity: 'lots',
  });
  const html = expectPage(bad, 422, 'a wrong form');
  assert.match(titleOf(html), /^Error: /, 'the title starts "Error: "');
  const errors = errorSummary(html);
  const fields = errors.map((e) => e.href);
  for (const f of ['date', 'starts_at', 'capacity', 'title', 'venue_id', 'joining_url']) assert.ok(fields.includes(f), `an error at ${f}: ${JSON.stringify(errors)}`);
  assert.ok(errors.some((e) => /Enter a real date/.test(e.text)));
  assert.ok(errors.some((e) => /webinar takes place online, so it has no venue/i.test(e.text)), 'the rule in its words');
  assert.match(html, /value="http:\/\/insecure.example.org"/, 'what was typed is kept');
  assert.match(html, /id="date" name="date-day" type="text" inputmode="numeric" value="31"/);
  assert.equal((await as.admin.json(`/api/v1/events?cohort_id=${cohort.sl.id}`)).events.length, 2, 'nothing was stored');

  // A webinar that is right, and a time the clocks skip.
  const skipped = await pages.partner_lead.post(`${url}/events`, {
    ...form,
    kind: 'webinar',
    title: 'Evening webinar',
    venue_id: '',
    joining_url: 'https://meet.example.org/npq',
    capacity: '100',
    'date-day': String(lastSunday(YEAR, 3)),
    'date-month': '3',
    starts_at: '1:30am',
    ends_at: '3am',
  });
  assert.ok(errorSummary(expectPage(skipped, 422, 'a time that does not exist')).some((e) => e.href === 'starts_at' && /clocks go forward/.test(e.text)));

  // Those who may not schedule: the facilitator by role, another partner's lead by scope.
  expectPage(await pages.facilitator.post(`${url}/events`, form), 403, 'the facilitator schedules');
  expectPage(await pages.otherLead.post(`${url}/events`, form), 404, "another partner's lead schedules");
});

function lastSunday(year, month) {
  const last = new Date(Date.UTC(year, month, 0));
  return last.getUTCDate() - last.getUTCDay();
}

/* ---------------------------------------------------------------- booking */

test("booking through the page until it is full shows the domain's words; giving a place back frees it", async () => {
  const e = await addEvent({ title: 'Small group session', capacity: 2, venue_id: venue.other.id, starts_at: nextYear(4, 20, 9), ends_at: nextYear(4, 20, 12) });
  const url = `/events/${e.id}`;
  let html = expectPage(await pages.p1.get(url), 200, 'p1 sees the event');
  let text = textOf(html);
  assert.match(text, /2 places left/);
  assert.match(text, /0 of 2 booked, 2 left/);
  assert.match(html, new RegExp(`href="/api/v1/events/${e.id}/ics"`), 'Add to calendar');
  const ics = await pages.p1.get(`/api/v1/events/${e.id}/ics`);
  assert.equal(ics.status, 200);
  assert.match(ics.headers.get('content-type'), /^text\/calendar/);

  expectRedirect(await pages.p1.post(`${url}/book`), `${url}?notice=booked`, 'p1 books');
  text = textOf(expectPage(await pages.p1.get(`${url}?notice=booked`), 200, 'p1 after booking'));
  assert.match(text, /You have a place on this event/);
  assert.match(text, /Cancel my place/);
  expectRedirect(await pages.p2.post(`${url}/book`), `${url}?notice=booked`, 'p2 books');

  html = expectPage(await pages.p3.get(url), 200, 'p3 sees a full event');
  text = textOf(html);
  assert.match(text, /This event is full: all 2 places are taken\./, "the domain's words");
  assert.doesNotMatch(text, /Book a place/, 'no button to press');
  const refused = expectPage(await pages.p3.post(`${url}/book`), 409, 'p3 books anyway');
  assert.deepEqual(errorSummary(refused).map((x) => x.text), ['This event is full: all 2 places are taken']);
  assert.match(titleOf(refused), /^Error: /);

  expectRedirect(await pages.p1.post(`${url}/unbook`), `${url}?notice=unbooked`, 'p1 gives the place back');
  const again = expectPage(await pages.p1.post(`${url}/unbook`), 409, 'p1 gives it back again');
  assert.deepEqual(errorSummary(again).map((x) => x.text), ['You have no place on this event']);
  expectRedirect(await pages.p3.post(`${url}/book`), `${url}?notice=booked`, 'p3 takes it');
  const bookings = (await as.admin.json(`/api/v1/events/${e.id}/bookings`)).bookings.map((b) => b.user.id).sort();
  assert.deepEqual(bookings, [demo.ids.p2, demo.ids.p3].sort());

  // Who may book: participants of the cohort (the gate), not staff nor outsiders.
  expectPage(await pages.outsider.post(`${url}/book`), 404, 'a participant elsewhere');
  assert.doesNotMatch(textOf(expectPage(await pages.facilitator.get(url), 200, 'the facilitator sees it')), /Book a place|Your place/);
  // Booking is any signed-in person's permission, but this event is not the facilitator's to book:
  // the gate answers as for a record outside their scope.
  expectPage(await pages.facilitator.post(`${url}/book`), 404, 'the facilitator books');

  // Cancelling: for those who manage it, once.
  assert.doesNotMatch(textOf(expectPage(await pages.facilitator.get(url), 200, 'facilitator')), /Cancel this event/);
  assert.match(textOf(expectPage(await pages.partner_lead.get(url), 200, 'lead')), /Cancel this event/);
  expectPage(await pages.facilitator.post(`${url}/cancel`), 403, 'the facilitator cancels');
  expectRedirect(await pages.partner_lead.post(`${url}/cancel`), `${url}?notice=cancelled`, 'the lead cancels');
  text = textOf(expectPage(await pages.p2.get(url), 200, 'p2 sees it cancelled'));
  assert.match(text, /This event has been cancelled/);
  assert.equal((await as.admin.json(`/api/v1/events/${e.id}`)).cancelled, true);
  assert.deepEqual(errorSummary(expectPage(await pages.partner_lead.post(`${url}/cancel`), 409, 'cancel again')).map((x) => x.text), ['This event is already cancelled']);
});

test("an administrator books a cohort's participants on an event from its page, up to its places, and gives a place back", async () => {
  const e = await addEvent({ title: 'Booked by the office', capacity: 1, venue_id: venue.other.id, starts_at: nextYear(4, 22, 9), ends_at: nextYear(4, 22, 12) });
  const url = `/events/${e.id}`;
  let html = expectPage(await pages.admin.get(url), 200, 'the administrator sees the event');
  assert.match(html, /<select[^>]*name="user_id"/, 'a choice of participants');
  assert.match(html, new RegExp(`<option value="${demo.ids.p1}">Page Participant 1</option>`), 'the cohort\'s participants are offered');
  assert.doesNotMatch(html, /Orla Outsider/, 'someone outside the cohort is not offered');

  // Nobody chosen, and someone not in the cohort: the form says so, in the use case's words.
  assert.deepEqual(errorSummary(expectPage(await pages.admin.post(`${url}/places`, { user_id: '' }), 422, 'nobody chosen')).map((x) => x.href), ['places']);
  const outside = expectPage(await pages.admin.post(`${url}/places`, { user_id: String(demo.ids.outsider) }), 422, 'an outsider');
  assert.deepEqual(errorSummary(outside).map((x) => x.text), ['Only participants enrolled in cohort NPQSL-NW-PAGES can be booked on its events']);

  expectRedirect(await pages.admin.post(`${url}/places`, { user_id: String(demo.ids.p1) }), `${url}?notice=place_added`, 'the administrator books p1');
  html = expectPage(await pages.admin.get(`${url}?notice=place_added`), 200, 'after booking');
  assert.match(textOf(html), /Page Participant 1 Remove/);
  assert.doesNotMatch(html, new RegExp(`<option value="${demo.ids.p1}">`), 'p1 is no longer offered');
  const full = expectPage(await pages.admin.post(`${url}/places`, { user_id: String(demo.ids.p2) }), 409, 'past its places');
  assert.deepEqual(errorSummary(full).map((x) => x.text), ['This event is full: its only place is taken']);
  assert.deepEqual((await as.admin.json(`/api/v1/events/${e.id}/bookings`)).bookings.map((b) => b.user.id), [demo.ids.p1]);

  // Only an administrator books for others: booking is not the lead's at all (the gate answers as for
  // a record outside their scope), and a participant may not give back someone else's place.
  assert.doesNotMatch(expectPage(await pages.partner_lead.get(url), 200, 'the lead'), /name="user_id"/);
  expectPage(await pages.partner_lead.post(`${url}/places`, { user_id: String(demo.ids.p2) }), 404, 'the lead books p2');
  expectPage(await pages.p2.post(`${url}/places`, { user_id: String(demo.ids.p3) }), 403, 'p2 books p3');
  expectPage(await pages.p2.post(`${url}/places/${demo.ids.p1}/remove`), 403, "p2 gives back p1's place");

  expectRedirect(await pages.admin.post(`${url}/places/${demo.ids.p1}/remove`), `${url}?notice=place_removed`, 'the administrator gives it back');
  assert.deepEqual((await as.admin.json(`/api/v1/events/${e.id}/bookings`)).bookings, []);
  assert.equal(expectPage(await pages.admin.post(`${url}/places/${demo.ids.p1}/remove`), 409, 'twice').length > 0, true);
});

/* ---------------------------------------------------------------- the register */

test('the register: for the facilitator and managers only; too early is refused in the rule\'s words', async () => {
  const e = await addEvent({ title: 'Register check', facilitator_id: demo.ids.facilitator, starts_at: nextYear(5, 5, 9), ends_at: nextYear(5, 5, 12) });
  expectStatus(await as.participant.post(`/api/v1/events/${e.id}/bookings`), 201, 'the participant books');
  const url = `/events/${e.id}/register`;
  expectPage(await pages.participant.get(url), 403, 'a participant opens the register');
  expectPage(await pages.coach.get(url), 403, 'a coach opens the register');
  expectPage(await pages.otherLead.get(url), 404, "another partner's lead opens it");
  for (const key of ['facilitator', 'partner_lead', 'admin']) expectPage(await pages[key].get(url), 200, `${key} opens it`);
  const html = expectPage(await pages.facilitator.get(url), 200, 'the register');
  assert.match(textOf(html), /The register opens on 5 May/);
  for (const mark of ['present', 'late', 'absent', 'excused'])
    assert.match(html, new RegExp(`name="mark-${demo.ids.participant}"[^>]*value="${mark}"`), `a ${mark} radio`);
  const early = expectPage(await pages.facilitator.post(url, { [`mark-${demo.ids.participant}`]: 'present' }), 422, 'marking too early');
  assert.deepEqual(errorSummary(early), [
    { href: `mark-${demo.ids.participant}`, text: 'Pat Participant: Attendance can be recorded from 30 minutes before the event starts' },
  ]);
  assert.match(early, /name="mark-\d+" type="radio" value="present" checked/, 'the choice is kept');
  expectPage(await pages.participant.post(url, { [`mark-${demo.ids.participant}`]: 'present' }), 403, 'a participant marks');
  const none = expectPage(await pages.facilitator.post(url, {}), 422, 'saving with no mark chosen');
  assert.deepEqual(errorSummary(none), [{ href: `mark-${demo.ids.participant}`, text: 'Give at least one mark' }]);
  assert.match(none, new RegExp(`id="mark-${demo.ids.participant}-error" class="govuk-error-message"`), 'the message at the question too');
});

/* ---------------------------------------------------------------- coaching */

test('coaching: sessions listed for both sides; private notes for the coach only; Markdown made safe; actions ticked off', async () => {
  const session = expectStatus(
    await as.coach.post('/api/v1/coaching-sessions', {
      participant_id: demo.ids.participant,
      starts_at: nextYear(2, 3, 16),
      ends_at: nextYear(2, 3, 17),
      mode: 'online',
      place: 'https://meet.example.org/coaching',
    }),
    201,
    'the coach books a session',
  );
  for (const key of ['coach', 'participant']) {
    const text = textOf(expectPage(await pages[key].get('/coaching'), 200, `${key}: /coaching`));
    assert.match(text, /Coming up/);
    assert.match(text, key === 'coach' ? /Pat Participant/ : /Carys Coach/, `${key} sees who it is with`);
  }
  assert.match(textOf(expectPage(await pages.participant.get('/coaching'), 200, 'participant')), /Your learning hours for National Professional Qualification for Senior Leadership/);

  const url = `/coaching/${session.id}`;
  expectRedirect(await pages.coach.post(`${url}/notes`, { visibility: 'private', body: 'Seems *tired*; ask about workload.' }), `${url}?notice=note_added`, 'a private note');
  expectRedirect(
    await pages.coach.post(`${url}/notes`, { visibility: 'shared', body: 'We agreed **three** things.\n\n<script>alert(1)</script>\n\n[bad](javascript:alert(2))' }),
    `${url}?notice=note_added`,
    'a shared note',
  );
  const coachView = expectPage(await pages.coach.get(url), 200, 'the coach reads');
  assert.match(coachView, /<em>tired<\/em>/, 'the private note, rendered');
  const participantView = expectPage(await pages.participant.get(url), 200, 'the participant reads');
  assert.doesNotMatch(participantView, /tired/, 'no private note for the participant');
  assert.match(participantView, /<strong>three<\/strong>/, 'the shared note, rendered');
  assert.doesNotMatch(participantView, /<script>alert/, 'raw HTML is left out');
  assert.doesNotMatch(participantView, /javascript:/, 'unsafe links lose their address');
  assert.doesNotMatch(textOf(participantView), /Write a note/, 'only the coach writes notes');
  expectPage(await pages.participant.post(`${url}/notes`, { visibility: 'shared', body: 'Me too' }), 403, 'the participant writes a note');
  const empty = expectPage(await pages.coach.post(`${url}/notes`, { visibility: 'shared', body: '  ' }), 422, 'an empty note');
  assert.deepEqual(errorSummary(empty), [{ href: 'body', text: 'Write the note' }]);

  expectRedirect(await pages.participant.post(`${url}/actions`, { text: 'Read the workload guidance', 'due-day': '1', 'due-month': '3', 'due-year': String(YEAR) }), `${url}?notice=action_added`, 'the participant adds an action');
  const badDue = expectPage(await pages.coach.post(`${url}/actions`, { text: 'Something', 'due-day': '30', 'due-month': '2', 'due-year': String(YEAR) }), 422, 'a due date that does not exist');
  assert.ok(errorSummary(badDue).some((e) => e.href === 'due_on'));
  const actions = (await as.coach.json(`/api/v1/coaching-sessions/${session.id}`)).actions;
  assert.equal(actions.length, 1);
  assert.equal(actions[0].due_on, `${YEAR}-03-01`);
  expectRedirect(await pages.participant.post(`${url}/actions/${actions[0].id}/done`), `${url}?notice=action_done`, 'ticked off');
  assert.match(textOf(expectPage(await pages.coach.get(url), 200, 'coach')), /Read the workload guidance Done/);
  expectRedirect(await pages.coach.post(`${url}/actions/${actions[0].id}/undone`), `${url}?notice=action_undone`, 'opened again');
  assert.equal((await as.coach.json(`/api/v1/coaching-sessions/${session.id}`)).actions[0].done, false);

  expectPage(await pages.p1.get(url), 404, 'another participant');
  expectPage(await pages.facilitator.get(url), 404, 'a facilitator');
  expectPage(await pages.admin.get(url), 200, 'an administrator');
  assert.doesNotMatch(textOf(expectPage(await pages.admin.get(url), 200, 'admin')), /Mark as done/, 'an administrator only reads');
});

/* ---------------------------------------------------------------- learning hours */

test('learning hours: logged through the form up to the cap, which refuses in its words; verified by the facilitator', async () => {
  const url = `/enrolments/${enrolment.participant}/hours`;
  const today = new Date();
  const entry = (hours, extra = {}) => ({
    module: 'closing-the-gap',
    type: 'reading',
    'date-day': String(today.getUTCDate()),
    'date-month': String(today.getUTCMonth() + 1),
    'date-year': String(today.getUTCFullYear()),
    hours,
    reflection: '',
    ...extra,
  });
  let html = expectPage(await pages.participant.get(url), 200, 'the participant opens their log');
  assert.match(textOf(html), /Closing the gap 0 of 50 hours 50 hours left/);
  for (const t of ['Workplace learning', 'Face-to-face activity', 'Peer learning', 'Facilitated learning', 'Reading', 'Reflection', 'Online learning'])
    assert.match(html, new RegExp(`<label class="govuk-label govuk-radios__label" for="type[-0-9]*">${t}</label>`), `a radio for ${t}`);

  for (let i = 0; i < 4; i++) expectRedirect(await pages.participant.post(url, entry('12', i === 0 ? { reflection: 'Read **two** papers <img src=x onerror=alert(1)>' } : {})), `${url}?notice=logged`, `12 hours, ${i + 1}`);
  const over = expectPage(await pages.participant.post(url, entry('2.5')), 422, 'over the cap');
  assert.deepEqual(errorSummary(over), [
    { href: 'hours', text: 'This would take your hours for Closing the gap to 50.5, over its 50-hour limit. You can log up to 2 more hours' },
  ]);
  assert.match(titleOf(over), /^Error: /);
  assert.match(over, /id="hours" name="hours" type="text" value="2.5"/, 'the hours typed are kept');
  const notNumber = expectPage(await pages.participant.post(url, entry('two', { 'date-day': '' })), 422, 'not a number, no day');
  assert.deepEqual(errorSummary(notNumber).map((e) => e.href).sort(), ['done_on', 'hours']);
  expectRedirect(await pages.participant.post(url, entry('2', { type: 'peer_learning' })), `${url}?notice=logged`, 'up to the cap exactly');

  html = expectPage(await pages.participant.get(url), 200, 'the log');
  let text = textOf(html);
  assert.match(text, /Closing the gap 50 of 50 hours 0 hours left/);
  assert.match(text, /Reading 48 hours/);
  assert.match(text, /Peer learning 2 hours/);
  assert.match(html, /Read <strong>two<\/strong> papers/, 'the reflection, rendered');
  assert.doesNotMatch(html, /onerror/, 'raw HTML is left out of the reflection');
  assert.doesNotMatch(text, /Verify/, 'the participant does not verify');

  // A page of the log holds what it was asked for; the totals are always of the whole log.
  const api = `/api/v1/enrolments/${enrolment.participant}/activities`;
  const two = await as.participant.get(`${api}?limit=2`);
  assert.equal(two.status, 200, two.text);
  assert.equal(two.json().activities.length, 2);
  assert.equal(two.json().totals.hours, 50, 'the whole log, not the page');
  const next = /^<([^>]+)>; rel="next"$/.exec(two.headers.get('link') || '');
  assert.ok(next, 'a Link to the rest');
  const after = new URL(next[1], server.url).searchParams.get('after');
  const rest = textOf(expectPage(await pages.participant.get(`${url}?after=${after}`), 200, 'the log after two entries'));
  assert.match(rest, /Closing the gap 50 of 50 hours/, 'the totals on every page');
  assert.equal((rest.match(/Not verified/g) || []).length, 3, 'the three entries after the first two');
  assert.match(expectPage(await pages.participant.get(`${url}?after=${after}`), 200, 'again'), new RegExp(`href="${url}" rel="first"`));
  expectPage(await pages.participant.get(`${url}?after=garbage`), 400, 'a malformed position');

  // The facilitator of the cohort verifies; the participant and outsiders cannot.
  html = expectPage(await pages.facilitator.get(url), 200, 'the facilitator opens the log');
  const verify = /action="(\/enrolments\/\d+\/hours\/\d+\/verify)"/.exec(html);
  assert.ok(verify, 'a verify button');
  expectPage(await pages.participant.post(verify[1]), 403, 'the participant verifies their own');
  expectRedirect(await pages.facilitator.post(verify[1]), `${url}?notice=verified`, 'the facilitator verifies');
  assert.match(textOf(expectPage(await pages.facilitator.get(`${url}?notice=verified`), 200, 'after')), /Entry verified[\s\S]*Verified by Femi Facilitator/);
  expectPage(await pages.facilitator.post(verify[1]), 409, 'verify again');
  assert.doesNotMatch(textOf(expectPage(await pages.facilitator.get(url), 200, 'facilitator')), /Log learning hours/, 'only the participant logs');

  expectPage(await pages.otherLead.get(url), 404, "another partner's lead");
  expectPage(await pages.p1.get(url), 404, 'another participant');
  expectPage(await pages.p1.post(url, entry('1')), 404, 'another participant logs');
});

/* ---------------------------------------------------------------- the calendar address */

test('the calendar page makes an address that serves text/calendar, shown once, and revokes it', async () => {
  // Relies on: p3 booked on a (cancelled) event and p2 too; the participant on "Register check".
  let html = expectPage(await pages.participant.get('/account/calendar'), 200, 'the calendar page');
  assert.match(textOf(html), /You do not have a calendar address/);
  const made = await pages.participant.post('/account/calendar');
  html = expectPage(made, 201, 'make an address');
  assert.equal(made.headers.get('cache-control'), 'no-store');
  const url = /data-testid="calendar-url">([^<]+)</.exec(html)[1];
  const path = new URL(url).pathname;
  assert.match(path, /^\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
  const feed = await request(server.url, path);
  assert.equal(feed.status, 200);
  assert.match(feed.headers.get('content-type'), /^text\/calendar/);
  assert.match(feed.text, /BEGIN:VCALENDAR/);
  assert.match(feed.text, /SUMMARY:Register check/, 'the event they are booked on');
  assert.match(feed.text, /Coaching session with Carys Coach/, 'their coaching session');

  html = expectPage(await pages.participant.get('/account/calendar'), 200, 'later');
  assert.doesNotMatch(html, /data-testid="calendar-url"/, 'the address is not shown again');
  assert.match(textOf(html), /You made a calendar address on/);
  expectRedirect(await pages.participant.post('/account/calendar/revoke'), '/account/calendar?notice=revoked', 'revoke');
  assert.equal((await request(server.url, path)).status, 404, 'the address stops working');
  assert.match(textOf(expectPage(await pages.participant.get('/account/calendar?notice=revoked'), 200, 'after')), /Your calendar address is revoked/);
  expectRedirect(await pages.participant.post('/account/calendar/revoke'), '/account/calendar?notice=none', 'revoke again');

  for (const page of ['/delivery', '/coaching', `/events/${(await as.admin.json(`/api/v1/events?cohort_id=${cohort.sl.id}`)).events[0].id}`])
    assert.match(expectPage(await pages.participant.get(page), 200, page), /href="\/account\/calendar"/, `${page} links to the calendar page`);
  expectRedirect(await request(server.url, '/account/calendar'), '/sign-in?next=/account/calendar', 'anonymous');
});

/* ---------------------------------------------------------------- rules the pages rely on */

test("an event's SEQUENCE: not raised by a change of places alone, raised by a change of time", async () => {
  const e = await addEvent({ title: 'Sequence check', starts_at: nextYear(6, 1, 9), ends_at: nextYear(6, 1, 12), capacity: 20 });
  const before = (await as.admin.json(`/api/v1/events/${e.id}`)).sequence;
  expectStatus(await as.partner_lead.patch(`/api/v1/events/${e.id}`, { capacity: 25 }), 200, 'more places');
  const afterCapacity = await as.admin.json(`/api/v1/events/${e.id}`);
  assert.equal(afterCapacity.capacity, 25);
  assert.equal(afterCapacity.sequence, before, 'places alone: nobody\'s diary changes');
  expectStatus(await as.partner_lead.patch(`/api/v1/events/${e.id}`, { starts_at: nextYear(6, 1, 10), ends_at: nextYear(6, 1, 13) }), 200, 'a later time');
  assert.equal((await as.admin.json(`/api/v1/events/${e.id}`)).sequence, before + 1, 'a new time is news');
});

test('renaming a venue raises the SEQUENCE of the coming events there, not of others', async () => {
  const there = await addEvent({ title: 'At the quays', venue_id: venue.other.id, capacity: 10, starts_at: nextYear(9, 1, 9), ends_at: nextYear(9, 1, 12) });
  const elsewhere = await addEvent({ title: 'At the hub', venue_id: venue.hub.id, starts_at: nextYear(9, 2, 9), ends_at: nextYear(9, 2, 12) });
  const seq = async (id) => (await as.admin.json(`/api/v1/events/${id}`)).sequence;
  const [a, b] = [await seq(there.id), await seq(elsewhere.id)];
  expectStatus(await as.partner_lead.patch(`/api/v1/venues/${venue.other.id}`, { name: 'Salford Quays Studios' }), 200, 'rename the venue');
  assert.equal(await seq(there.id), a + 1, 'the event at the renamed venue');
  assert.equal(await seq(elsewhere.id), b, 'an event at another venue');
  assert.match(textOf(expectPage(await pages.partner_lead.get(`/events/${there.id}`), 200, 'the event page')), /Salford Quays Studios/);
});

test("withdrawing cancels the participant's bookings on the cohort's coming events", async () => {
  const e = await addEvent({ title: 'Withdrawal check', starts_at: nextYear(10, 6, 9), ends_at: nextYear(10, 6, 12) });
  for (const key of ['p1', 'p2']) expectStatus(await as[key].post(`/api/v1/events/${e.id}/bookings`), 201, `${key} books`);
  const booked = async () => (await as.admin.json(`/api/v1/events/${e.id}/bookings`)).bookings.map((x) => x.user.id).sort();
  assert.deepEqual(await booked(), [demo.ids.p1, demo.ids.p2].sort());
  expectStatus(await as.admin.post(`/api/v1/enrolments/${enrolment.p1}/withdraw`, { reason: 'Moved to another school' }), 200, 'withdraw p1');
  assert.deepEqual(await booked(), [demo.ids.p2], 'p1 no longer holds a place');
  assert.equal((await as.admin.json(`/api/v1/events/${e.id}`)).booked, 1);
  // Their log is kept, read-only.
  const text = textOf(expectPage(await pages.admin.get(`/enrolments/${enrolment.p1}/hours`), 200, 'the withdrawn log'));
  assert.match(text, /This enrolment was withdrawn: its log can be read but not changed/);
  assert.doesNotMatch(text, /Log learning hours/);
});
