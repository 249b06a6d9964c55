'use strict';
/*
 * Calendars: the private feed a person subscribes to (made, shown once, served without any
 * cookie or token, revoked) and the .ics download of one event, read back with ical.js, the
 * parser Thunderbird uses, as a calendar client would.
 */
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');

const ICAL = require('ical.js');

const { request } = require('./helpers');
const { prepareDb, serve, caller, programme, iso } = require('./calendar_helpers');

let db;
let server;
let p;
const people = {};
const ids = {};

/* 2027-01-10 is a Sunday in GMT; 2027-06-15 a Tuesday in BST. Times are UTC seconds. */
const T = (text) => Date.parse(text) / 1000;
const DAY_ONE = { starts_at: T('2027-01-10T09:00:00Z'), ends_at: T('2027-01-10T16:00:00Z') };
const WEBINAR = { starts_at: T('2027-06-15T15:30:00Z'), ends_at: T('2027-06-15T17:00:00Z') };
const SESSION = { starts_at: T('2027-02-01T16:00:00Z'), ends_at: T('2027-02-01T17:00:00Z') };
const JOINING_URL = 'https://meet.example.org/npq/webinar-1?pwd=a1b2';

/* Parses a calendar; returns {calendar, events: Map uid -> {vevent, event (ICAL.Event)}}. */
function parseCalendar(text) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  assert.equal(calendar.name, 'vcalendar');
  const events = new Map();
  for (const vevent of calendar.getAllSubcomponents('vevent')) {
    const event = new ICAL.Event(vevent);
    assert.ok(!events.has(event.uid), `UID ${event.uid} appears twice`);
    events.set(event.uid, { vevent, event });
  }
  return { calendar, events };
}

const utc = (icalTime) => icalTime.toJSDate().toISOString().replace('.000Z', 'Z');

async function feedOf(key) {
  const made = await people[key]('POST', '/api/v1/calendar-feed');
  assert.equal(made.status, 201, `POST /api/v1/calendar-feed as ${key}: ${made.status} ${made.text}`);
  return made.json().url;
}

/* GET a feed address with nothing but the address: no cookie, no token. */
async function fetchFeed(url) {
  const r = await request(url, url);
  return r;
}

before(async () => {
  db = await prepareDb({ other: 'Olu Other-Participant' });
  server = await serve(db.dbPath);
  for (const key of Object.keys(db.tokens)) people[key] = caller(server, db.tokens[key]);
  p = await programme(server, db);
  await p.enrol(db.ids.participant, db.ids.other);
  await p.addStaff(db.ids.coach, 'coach');
  ids.dayOne = await p.createEvent({ title: 'Day 1: Leading with integrity', venue: true, facilitator_id: db.ids.facilitator, ...DAY_ONE });
  ids.webinar = await p.createEvent({ title: 'Webinar: Data, “evidence” & you; part 1', kind: 'webinar', joining_url: JOINING_URL, ...WEBINAR });
  ids.othersOnly = await p.createEvent({ title: 'Day 2 (the other group)', venue: true, starts_at: DAY_ONE.starts_at + 86400, ends_at: DAY_ONE.ends_at + 86400 });
  await p.book(ids.dayOne, [db.ids.participant, db.ids.other]);
  await p.book(ids.webinar, [db.ids.participant]);
  await p.book(ids.othersOnly, [db.ids.other]);
  ids.session = await p.createSession({ coach_id: db.ids.coach, participant_id: db.ids.participant, mode: 'in_person', place: 'Riverside Primary, the library', ...SESSION });
});

after(async () => {
  if (server) await server.stop();
});

test('the feed address is shown once, when it is made, and only its existence afterwards', async () => {
  const before = await people.participant('GET', '/api/v1/calendar-feed');
  assert.equal(before.status, 200);
  assert.deepEqual(before.json(), { exists: false, created_at: null });

  const made = await people.participant('POST', '/api/v1/calendar-feed');
  assert.equal(made.status, 201, made.text);
  const body = made.json();
  const m = new RegExp(`^${server.url.replace(/[.]/g, '\\.')}/calendar/([A-Za-z0-9_-]{43})\\.ics$`).exec(body.url);
  assert.ok(m, `the feed address is BASE_URL/calendar/TOKEN.ics: ${body.url}`);
  assert.match(made.headers.get('cache-control') || '', /no-store/);
  const token = m[1];

  const after = await people.participant('GET', '/api/v1/calendar-feed');
  assert.equal(after.status, 200);
  assert.equal(after.json().exists, true);
  assert.equal(after.json().created_at, body.created_at);
  assert.ok(!after.text.includes(token), 'GET /api/v1/calendar-feed never shows the token');

  const audit = await people.admin('GET', '/api/v1/audit-events?entity=user');
  assert.equal(audit.status, 200);
  assert.ok(!audit.text.includes(token), 'the audit log does not hold the token');
  assert.ok(audit.json().events.some((e) => e.action === 'calendar_feed.create'), 'making a feed is audited');

  const anonymous = await request(server.url, '/api/v1/calendar-feed', { method: 'POST' });
  assert.equal(anonymous.status, 401, 'only a signed-in person has a feed');
});

/* UIDs name the site's host (RFC 5545's advice), so they are unique beyond this server. */
const uidHost = () => new URL(server.url).hostname;

test('the feed is served to anyone with the address, with the person’s events and coaching sessions', async () => {
  const url = await feedOf('participant');
  const r = await fetchFeed(url);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.headers.get('content-type'), 'text/calendar; charset=utf-8');
  assert.equal(r.headers.get('cache-control'), 'private, no-store');
  assert.equal(r.headers.get('set-cookie'), null, 'a calendar client is given no cookie');

  const { calendar, events } = parseCalendar(r.text);
  assert.equal(calendar.getFirstPropertyValue('method'), 'PUBLISH');
  assert.equal(calendar.getFirstPropertyValue('refresh-interval')?.toString(), 'PT60M', 'a feed says how often to fetch it');
  assert.match(r.text, /\r\nX-PUBLISHED-TTL:PT60M\r\n/);

  const dayOne = events.get(`event-${ids.dayOne}@${uidHost()}`);
  assert.ok(dayOne, `the event they are booked on is in the feed: ${[...events.keys()]}`);
  assert.equal(dayOne.event.summary, 'Day 1: Leading with integrity');
  assert.equal(utc(dayOne.event.startDate), iso(DAY_ONE.starts_at));
  assert.equal(utc(dayOne.event.endDate), iso(DAY_ONE.ends_at));
  assert.equal(dayOne.event.sequence, 0);
  const stamp = dayOne.vevent.getFirstPropertyValue('dtstamp').toJSDate().getTime();
  assert.ok(Math.abs(stamp - Date.now()) < 120000, `DTSTAMP is when the feed was made: ${new Date(stamp).toISOString()}`);
  assert.ok(dayOne.vevent.getFirstPropertyValue('last-modified'), 'LAST-MODIFIED says when the event changed');
  assert.equal(dayOne.vevent.getFirstPropertyValue('status'), 'CONFIRMED');
  assert.equal(dayOne.event.location, 'Mersey Hub, Room 2, 1 Dock Road, Liverpool, L3 4AA');
  assert.match(dayOne.event.description, /Femi Facilitator/);

  const webinar = events.get(`event-${ids.webinar}@${uidHost()}`);
  assert.ok(webinar, 'the webinar is in the feed');
  assert.equal(webinar.event.summary, 'Webinar: Data, “evidence” & you; part 1');
  assert.equal(webinar.vevent.getFirstPropertyValue('url'), JOINING_URL);
  assert.equal(utc(webinar.event.startDate), iso(WEBINAR.starts_at));
  assert.equal(webinar.event.location, null, 'an online event has no LOCATION');

  const session = events.get(`coaching-${ids.session}@${uidHost()}`);
  assert.ok(session, 'the coaching session is in the feed');
  assert.equal(session.event.summary, 'Coaching session with Carys Coach');
  assert.equal(utc(session.event.startDate), iso(SESSION.starts_at));
  assert.equal(utc(session.event.endDate), iso(SESSION.ends_at));
  assert.equal(session.event.location, 'Riverside Primary, the library');

  assert.ok(!events.has(`event-${ids.othersOnly}@${uidHost()}`), 'an event only another person is booked on is not in the feed');
  assert.equal(events.size, 3, `exactly the person’s entries: ${[...events.keys()]}`);
});

test('another person’s feed has their events and not this person’s', async () => {
  const { events } = parseCalendar((await fetchFeed(await feedOf('other'))).text);
  assert.deepEqual([...events.keys()].sort(), [`event-${ids.dayOne}@${uidHost()}`, `event-${ids.othersOnly}@${uidHost()}`].sort());
});

test('staff see the events they facilitate, of cohorts they work with, and the sessions they coach', async () => {
  const facilitator = parseCalendar((await fetchFeed(await feedOf('facilitator'))).text).events;
  assert.deepEqual([...facilitator.keys()], [`event-${ids.dayOne}@${uidHost()}`], 'the facilitator of one event');

  const coach = parseCalendar((await fetchFeed(await feedOf('coach'))).text).events;
  for (const uid of [`event-${ids.dayOne}@${uidHost()}`, `event-${ids.webinar}@${uidHost()}`, `event-${ids.othersOnly}@${uidHost()}`, `coaching-${ids.session}@${uidHost()}`])
    assert.ok(coach.has(uid), `the cohort's coach sees ${uid}`);
  assert.equal(coach.get(`coaching-${ids.session}@${uidHost()}`).event.summary, 'Coaching session with Pat Participant');
});

test('a changed event comes back with a higher SEQUENCE, a cancelled one with STATUS:CANCELLED', async () => {
  const url = await feedOf('participant');
  const moved = { starts_at: DAY_ONE.starts_at + 3600, ends_at: DAY_ONE.ends_at + 3600 };
  await p.changeEvent(ids.dayOne, { title: 'Day 1: Leading with integrity (moved)', ...moved });
  await p.cancelEvent(ids.webinar);

  const { events } = parseCalendar((await fetchFeed(url)).text);
  const dayOne = events.get(`event-${ids.dayOne}@${uidHost()}`);
  assert.equal(dayOne.event.sequence, 1, 'SEQUENCE went up with the change');
  assert.equal(dayOne.event.summary, 'Day 1: Leading with integrity (moved)');
  assert.equal(utc(dayOne.event.startDate), iso(moved.starts_at));
  assert.equal(dayOne.vevent.getFirstPropertyValue('status'), 'CONFIRMED');

  const webinar = events.get(`event-${ids.webinar}@${uidHost()}`);
  assert.ok(webinar, 'a cancelled event stays in the feed, so clients remove it');
  assert.equal(webinar.vevent.getFirstPropertyValue('status'), 'CANCELLED');
  assert.equal(webinar.event.sequence, 1);

  const own = await people.participant('GET', `/api/v1/events/${ids.webinar}/ics`);
  assert.equal(own.status, 200, own.text);
  assert.equal(parseCalendar(own.text).calendar.getFirstPropertyValue('method'), 'CANCEL', 'a cancelled event’s own file cancels it');
  const live = await people.participant('GET', `/api/v1/events/${ids.dayOne}/ics`);
  assert.equal(parseCalendar(live.text).calendar.getFirstPropertyValue('method'), 'PUBLISH');
});

test('one event downloads as an .ics file that parses', async () => {
  const r = await people.participant('GET', `/api/v1/events/${ids.dayOne}/ics`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.headers.get('content-type'), 'text/calendar; charset=utf-8');
  assert.equal(r.headers.get('content-disposition'), `attachment; filename="event-${ids.dayOne}.ics"`);
  const { events } = parseCalendar(r.text);
  assert.deepEqual([...events.keys()], [`event-${ids.dayOne}@${uidHost()}`]);
  assert.equal(events.get(`event-${ids.dayOne}@${uidHost()}`).event.location, 'Mersey Hub, Room 2, 1 Dock Road, Liverpool, L3 4AA');

  const anonymous = await request(server.url, `/api/v1/events/${ids.dayOne}/ics`);
  assert.equal(anonymous.status, 401);
  const missing = await people.admin('GET', '/api/v1/events/999999/ics');
  assert.equal(missing.status, 404);
});

test('revoking or replacing a feed makes its address answer 404', async () => {
  const first = await feedOf('participant');
  assert.equal((await fetchFeed(first)).status, 200);
  const second = await feedOf('participant');
  assert.notEqual(second, first);
  assert.equal((await fetchFeed(first)).status, 404, 'a replaced address stops working');
  assert.equal((await fetchFeed(second)).status, 200);

  const revoked = await people.participant('DELETE', '/api/v1/calendar-feed');
  assert.equal(revoked.status, 204);
  const gone = await fetchFeed(second);
  assert.equal(gone.status, 404);
  assert.doesNotMatch(gone.text, /BEGIN:VCALENDAR/);
  assert.deepEqual((await people.participant('GET', '/api/v1/calendar-feed')).json(), { exists: false, created_at: null });
  assert.equal((await people.participant('DELETE', '/api/v1/calendar-feed')).status, 404, 'nothing left to revoke');

  for (const bad of ['/calendar/nothing.ics', `/calendar/${'A'.repeat(43)}.ics`, `/calendar/${new URL(second).pathname.slice(10, -4)}`])
    assert.equal((await request(server.url, bad)).status, 404, bad);
});
