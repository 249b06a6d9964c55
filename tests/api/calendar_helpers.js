'use strict';
/*
 * Shared by calendar.test.js and notifications.test.js: a server with the demo people started
 * with extra `npq serve` options, API callers with bearer tokens, and a programme to put in
 * calendars (a cohort, a venue, events, bookings, a coaching session).
 *
 * Everything is made the way people make it: the demo people and tokens with `npq` commands, the
 * rest through the API (the application flow enrols, the events API schedules and books, the
 * coaching API books sessions), so a flow that breaks fails the tests that depend on it.
 */
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const path = require('node:path');
const fs = require('node:fs');
const os = require('node:os');

const { NPQ_BIN, request } = require('./helpers');
const { prepareDemoDb } = require('./auth_helpers');

const SANITIZER_REPORT = /ERROR: (Address|Leak|Undefined|Thread)Sanitizer|runtime error: |SUMMARY: \w+Sanitizer/;
const LISTENING = /^npq: listening on (http:\/\/\S+?)\/ with (\d+) threads/m;

function sanitizerEnv() {
  const env = { ...process.env };
  const defaults = {
    ASAN_OPTIONS: 'abort_on_error=0:exitcode=86',
    UBSAN_OPTIONS: 'halt_on_error=1:print_stacktrace=1',
    LSAN_OPTIONS: `suppressions=${path.join(__dirname, '../lsan.supp')}`,
  };
  for (const [k, v] of Object.entries(defaults)) if (!env[k]) env[k] = v;
  delete env.NPQ_DB;
  delete env.NPQ_LISTEN;
  delete env.NPQ_SMTP_URL;
  return env;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);
const iso = (seconds) => new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');

/* ---------------------------------------------------------------- the server */

/*
 * A new database with the demo people (`npq demo`) and more participants ({key: name}, added with
 * `npq user add`), and an API token for every demo role and each extra. Resolves
 * {dir, dbPath, tokens, ids, emails}.
 */
async function prepareDb(extra = {}) {
  const extraUsers = {};
  for (const [key, name] of Object.entries(extra)) extraUsers[key] = { email: `${key}@calendar.npq.test`, name, role: 'participant' };
  return prepareDemoDb({ extraUsers });
}

/*
 * `npq serve --db dbPath --listen 127.0.0.1:0 ...extraArgs` with stdout and stderr kept.
 * Resolves {url, proc, stdout(), stderr(), stop()}; stop asserts a clean exit without sanitizer
 * reports.
 */
async function serve(dbPath, extraArgs = [], { threads = 2 } = {}) {
  const args = ['serve', '--db', dbPath, '--listen', '127.0.0.1:0', '--access-log', 'off', '--threads', String(threads), ...extraArgs];
  const proc = spawn(NPQ_BIN, args, { env: sanitizerEnv(), cwd: fs.existsSync(path.dirname(dbPath)) ? path.dirname(dbPath) : os.tmpdir(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  proc.stdout.setEncoding('utf8');
  proc.stderr.setEncoding('utf8');
  proc.stdout.on('data', (d) => (stdout += d));
  proc.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise((resolve) => proc.on('close', (code, signal) => resolve({ code, signal })));
  const killOnExit = () => proc.kill('SIGKILL');
  process.on('exit', killOnExit);
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npq serve did not start in 10 s\n${stdout}\n${stderr}`)), 10000);
    const onData = () => {
      const m = LISTENING.exec(stdout);
      if (m) {
        clearTimeout(timer);
        proc.stdout.off('data', onData);
        resolve(m[1]);
      }
    };
    proc.stdout.on('data', onData);
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`npq serve exited (${code}, ${signal}) before listening\n${stdout}\n${stderr}`));
    });
  });
  let stopping = null;
  return {
    url,
    proc,
    stdout: () => stdout,
    stderr: () => stderr,
    stop() {
      stopping ||= (async () => {
        proc.kill('SIGTERM');
        const result = await exited;
        process.off('exit', killOnExit);
        assert.doesNotMatch(stderr, SANITIZER_REPORT, `npq serve reported a sanitizer error:\n${stderr}`);
        assert.equal(result.code, 0, `npq serve exited with ${result.code} (${result.signal})\n${stderr}`);
        return result;
      })();
      return stopping;
    },
  };
}

/* An API caller with a bearer token: call(method, path, body) resolves helpers.request's reply. */
function caller(server, token) {
  return (method, pathname, body) => {
    const headers = { authorization: `Bearer ${token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    return request(server.url, pathname, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  };
}

/* ---------------------------------------------------------------- a programme */

const SL_ELECTIVES = ['improving-the-quality-of-teaching', 'school-self-evaluation'];

/*
 * The programme a test works with, all of it made through the API: a cohort and a venue of the
 * demo delivery partner (by the administrator), and the operations on it, each resolving when
 * done and failing the test when the API refuses: enrolling people (the application flow),
 * cohort staff, events, bookings, changes, cancellations and coaching sessions.
 */
async function programme(server, db, { code = 'CAL-2027-NW-1' } = {}) {
  let current = server; // useServer(s) after a restart
  const as = (key) => (...args) => caller(current, db.tokens[key])(...args);
  const admin = as('admin');

  async function expect(status, r, what) {
    assert.equal(r.status, status, `${what}: ${r.status} ${r.text}`);
    return r.json();
  }

  const orgs = (await expect(200, await admin('GET', '/api/v1/organisations'), 'GET /api/v1/organisations')).organisations;
  const partner = orgs.find((o) => o.kind === 'delivery_partner');
  const school = orgs.find((o) => o.kind === 'school' && o.urn === '100001');
  assert.ok(partner && school, `npq demo made a delivery partner and school 100001: ${JSON.stringify(orgs)}`);
  const cohort = await expect(
    201,
    await admin('POST', '/api/v1/cohorts', {
      code,
      kind: 'qualification',
      target: 'NPQSL',
      delivery_partner_id: partner.id,
      delivery_model: 'blended',
      starts_on: '2026-01-01',
      ends_on: '2028-12-31',
    }),
    'POST /api/v1/cohorts',
  );
  const cohortId = cohort.id;
  const venue = await expect(
    201,
    await admin('POST', '/api/v1/venues', {
      delivery_partner_id: partner.id,
      name: 'Mersey Hub, Room 2',
      address: '1 Dock Road, Liverpool',
      postcode: 'L3 4AA',
      capacity: 40,
    }),
    'POST /api/v1/venues',
  );
  const venueId = venue.id;

  /*
   * Enrols participants in the cohort (booking needs it, and so does reading an event) as they
   * would be: the administrator drafts and submits an application with the demo headteacher as
   * sponsor, who approves it; the administrator accepts it and enrols them. Several people go
   * through at the same time; resolves their enrolment ids in the order given.
   */
  async function enrolOne(userId) {
    const draft = await expect(
      201,
      await admin('POST', '/api/v1/applications', {
        participant_id: userId,
        kind: 'qualification',
        target: 'NPQSL',
        electives: SL_ELECTIVES,
        school_id: school.id,
        sponsor_id: db.ids.headteacher,
        job_role: 'Assistant head',
        delivery_model: 'blended',
        funding_route: 'school',
      }),
      `draft an application for ${userId}`,
    );
    const steps = [
      ['admin', 'submit'],
      ['headteacher', 'approve'],
      ['admin', 'accept'],
      ['admin', 'enrol', { cohort_id: cohortId }],
    ];
    let application;
    for (const [key, step, body] of steps)
      application = await expect(200, await as(key)('POST', `/api/v1/applications/${draft.id}/${step}`, body), `${key}: ${step} application ${draft.id}`);
    assert.equal(application.state, 'enrolled', `application ${draft.id} ends enrolled`);
    return application.enrolment_id;
  }

  const enrol = (...userIds) => Promise.all(userIds.map(enrolOne));

  /* Schedules an event: {title, kind, starts_at, ends_at (UTC seconds), venue (bool), joining_url, facilitator_id}. */
  async function createEvent(e) {
    const kind = e.kind || (e.venue ? 'face_to_face' : 'virtual_live');
    const body = { cohort_id: cohortId, kind, title: e.title, starts_at: iso(e.starts_at), ends_at: iso(e.ends_at), capacity: 30 };
    if (e.venue) body.venue_id = venueId;
    if (e.joining_url) body.joining_url = e.joining_url;
    if (e.facilitator_id) body.facilitator_id = e.facilitator_id;
    return (await expect(201, await admin('POST', '/api/v1/events', body), `POST /api/v1/events ${e.title}`)).id;
  }

  /* Changes an event's title and times; the server raises its SEQUENCE by one. */
  async function changeEvent(id, { title, starts_at, ends_at }) {
    const body = {};
    if (title !== undefined) body.title = title;
    if (starts_at !== undefined) body.starts_at = iso(starts_at);
    if (ends_at !== undefined) body.ends_at = iso(ends_at);
    await expect(200, await admin('PATCH', `/api/v1/events/${id}`, body), `PATCH /api/v1/events/${id}`);
  }

  async function cancelEvent(id) {
    await expect(200, await admin('POST', `/api/v1/events/${id}/cancel`), `POST /api/v1/events/${id}/cancel`);
  }

  /* Books people on an event (they must be enrolled in the cohort). */
  async function book(eventId, userIds) {
    for (const userId of userIds)
      await expect(201, await admin('POST', `/api/v1/events/${eventId}/bookings`, { user_id: userId }), `booking ${userId} on ${eventId}`);
  }

  /* Adds a facilitator or coach (who holds that role) to the cohort's staff. */
  async function addStaff(userId, role) {
    await expect(201, await admin('POST', `/api/v1/cohorts/${cohortId}/staff`, { user_id: userId, role }), `add ${userId} as ${role}`);
  }

  /* Books a coaching session {coach_id, participant_id, starts_at, ends_at, mode, place} (the coach
   * must be assigned to the participant); resolves its id. */
  async function createSession(s) {
    const body = { coach_id: s.coach_id, participant_id: s.participant_id, starts_at: iso(s.starts_at), ends_at: iso(s.ends_at), mode: s.mode || 'online' };
    if (s.place) body.place = s.place;
    return (await expect(201, await admin('POST', '/api/v1/coaching-sessions', body), 'POST /api/v1/coaching-sessions')).id;
  }

  function useServer(s) {
    current = s;
  }

  return { cohortId, venueId, enrol, createEvent, changeEvent, cancelEvent, book, addStaff, createSession, useServer };
}

/* ---------------------------------------------------------------- UK time, as emails write it */

/* "Sunday 10 January 2027, 9:00am", for a UTC time in seconds, in Europe/London time. */
function ukDateTime(seconds) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/London',
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(seconds * 1000))
      .map((p) => [p.type, p.value]),
  );
  const hour = Number(parts.hour);
  const clock = `${hour % 12 === 0 ? 12 : hour % 12}:${parts.minute}${hour < 12 ? 'am' : 'pm'}`;
  return { date: `${parts.weekday} ${parts.day} ${parts.month} ${parts.year}`, clock };
}

/* notify_time_range's sentence: "Sunday 10 January 2027, 9:00am to 4:00pm". */
function ukRange(start, end) {
  const a = ukDateTime(start);
  const b = ukDateTime(end);
  return a.date === b.date ? `${a.date}, ${a.clock} to ${b.clock}` : `${a.date}, ${a.clock} to ${b.date}, ${b.clock}`;
}

module.exports = { nowSeconds, iso, prepareDb, serve, caller, programme, ukDateTime, ukRange };
