'use strict';
/*
 * Shared by calendar.test.js and notifications.test.js: a server with the demo people started
 * with extra `npq serve` options, API callers with bearer tokens, and a programme to put in
 * calendars (a cohort, a venue, events, bookings, a coaching session).
 *
 * Events are scheduled, changed, cancelled and booked through the events API when the server has
 * one (it is built beside calendars), and otherwise by writing the rows the API would write with
 * Debian's sqlite3 command: calendars and notifications read the tables, not the API, so either
 * way tests them. The cohort always comes from POST /api/v1/cohorts.
 */
const assert = require('node:assert/strict');
const { spawn, spawnSync } = require('node:child_process');
const path = require('node:path');

const { NPQ_BIN, makeTempDir, initDb, runNpq, request } = require('./helpers');

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

/* ---------------------------------------------------------------- the database */

/* Runs SQL on the database with the sqlite3 command; returns the rows as objects (-json). */
function sql(dbPath, text) {
  const r = spawnSync('sqlite3', ['-json', dbPath], { input: `.timeout 10000\n${text}\n`, encoding: 'utf8' });
  if (r.error && r.error.code === 'ENOENT') assert.fail('the sqlite3 command is missing: apt-get install -y sqlite3');
  assert.equal(r.status, 0, `sqlite3 ${dbPath}: ${r.stderr}\n${text}`);
  const out = r.stdout.trim();
  return out ? JSON.parse(out) : [];
}

/* A SQL string literal. */
function q(value) {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number') return String(Math.trunc(value));
  return `'${String(value).replace(/'/g, "''")}'`;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);
const iso = (seconds) => new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');

/* ---------------------------------------------------------------- the server */

/*
 * A new database with the demo people and more participants ({key: name}), and an API token for
 * admin, participant, facilitator, coach and each extra. Resolves {dir, dbPath, tokens, ids}.
 */
async function prepareDb(extra = {}) {
  const dir = await makeTempDir();
  const dbPath = path.join(dir, 'npq.db');
  await initDb(dbPath);
  const demo = await runNpq(['demo', '--db', dbPath]);
  assert.equal(demo.code, 0, `npq demo: ${demo.stderr}`);
  const emails = {
    admin: 'admin@demo.npq.test',
    participant: 'participant@demo.npq.test',
    facilitator: 'facilitator@demo.npq.test',
    coach: 'coach@demo.npq.test',
  };
  for (const [key, name] of Object.entries(extra)) {
    const email = `${key}@calendar.npq.test`;
    const r = await runNpq(
      ['user', 'add', '--db', dbPath, '--email', email, '--name', name, '--role', 'participant', '--password-stdin'],
      { input: 'blended-learning-at-local-venues\n' },
    );
    assert.equal(r.code, 0, `npq user add ${email}: ${r.stderr}`);
    emails[key] = email;
  }
  const tokens = {};
  const ids = {};
  for (const [key, email] of Object.entries(emails)) {
    const r = await runNpq(['token', 'create', '--db', dbPath, '--email', email, '--name', 'calendar tests']);
    assert.equal(r.code, 0, `npq token create for ${email}: ${r.stderr}`);
    tokens[key] = r.stdout.trim();
    ids[key] = sql(dbPath, `SELECT id FROM users WHERE email = ${q(email)}`)[0].id;
  }
  return { dir, dbPath, tokens, ids, emails };
}

/*
 * `npq serve --db dbPath --listen 127.0.0.1:0 ...extraArgs` with stdout and stderr kept.
 * Resolves {url, proc, stdout(), stderr(), stop()}; stop asserts a clean exit without sanitizer
 * reports.
 */
async function serve(dbPath, extraArgs = [], { threads = 2 } = {}) {
  const args = ['serve', '--db', dbPath, '--listen', '127.0.0.1:0', '--access-log', 'off', '--threads', String(threads), ...extraArgs];
  const proc = spawn(NPQ_BIN, args, { env: sanitizerEnv(), cwd: path.dirname(dbPath), stdio: ['ignore', 'pipe', 'pipe'] });
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

/*
 * The programme a test works with: a cohort made through the API (by the admin), a venue of the
 * demo delivery partner, and the operations on events, each resolving when done. api is true when
 * the server has the events API and they use it (as the administrator); otherwise they write rows.
 */
async function programme(server, db, { code = 'CAL-2027-NW-1' } = {}) {
  let current = server; // useServer(s) after a restart
  const admin = (...args) => caller(current, db.tokens.admin)(...args);
  const partner = sql(db.dbPath, "SELECT id FROM organisations WHERE kind = 'delivery_partner' ORDER BY id LIMIT 1")[0].id;
  const made = await admin('POST', '/api/v1/cohorts', {
    code,
    kind: 'qualification',
    target: 'NPQSL',
    delivery_partner_id: partner,
    delivery_model: 'blended',
    starts_on: '2026-01-01',
    ends_on: '2028-12-31',
  });
  assert.equal(made.status, 201, `POST /api/v1/cohorts: ${made.status} ${made.text}`);
  const cohortId = made.json().id;
  const t = nowSeconds();
  sql(
    db.dbPath,
    `INSERT INTO venues (delivery_partner_id, name, address, postcode, capacity, created_at, updated_at)
     VALUES (${partner}, 'Mersey Hub, Room 2', '1 Dock Road, Liverpool', 'L3 4AA', 40, ${t}, ${t})`,
  );
  const venueId = sql(db.dbPath, 'SELECT max(id) AS id FROM venues')[0].id;

  /* Enrols people in the cohort (booking needs it, and so does reading an event). */
  function enrol(userId) {
    const t = nowSeconds();
    sql(
      db.dbPath,
      `INSERT INTO enrolments (participant_id, kind, target, cohort_id, delivery_model, funding_route, state, created_at, updated_at)
       VALUES (${userId}, 'qualification', 'NPQSL', ${cohortId}, 'blended', 'school', 'active', ${t}, ${t})`,
    );
  }

  /* Whether the server has the events API (scheduling, changing, cancelling, booking).
   * NPQ_CALENDAR_TESTS_SQL=1 writes the rows even so, to test the other way too. */
  const paths = (await admin('GET', '/api/v1/openapi.json')).json().paths || {};
  const api = !process.env.NPQ_CALENDAR_TESTS_SQL && Boolean(
    paths['/api/v1/events']?.post &&
      paths['/api/v1/events/{id}']?.patch &&
      paths['/api/v1/events/{id}/cancel']?.post &&
      paths['/api/v1/events/{id}/bookings']?.post,
  );

  async function expect(status, r, what) {
    assert.equal(r.status, status, `${what}: ${r.status} ${r.text}`);
    return r.json();
  }

  /* Schedules an event: {title, kind, starts_at, ends_at (UTC seconds), venue (bool), joining_url, facilitator_id}. */
  async function createEvent(e) {
    const kind = e.kind || (e.venue ? 'face_to_face' : 'virtual_live');
    if (api) {
      const body = { cohort_id: cohortId, kind, title: e.title, starts_at: iso(e.starts_at), ends_at: iso(e.ends_at), capacity: 30 };
      if (e.venue) body.venue_id = venueId;
      if (e.joining_url) body.joining_url = e.joining_url;
      if (e.facilitator_id) body.facilitator_id = e.facilitator_id;
      return (await expect(201, await admin('POST', '/api/v1/events', body), `POST /api/v1/events ${e.title}`)).id;
    }
    const t = nowSeconds();
    sql(
      db.dbPath,
      `INSERT INTO events (cohort_id, kind, title, venue_id, joining_url, starts_at, ends_at, capacity, facilitator_id, created_at, updated_at)
       VALUES (${cohortId}, ${q(kind)}, ${q(e.title)}, ${e.venue ? venueId : 'NULL'}, ${q(e.joining_url)}, ${e.starts_at},
               ${e.ends_at}, 30, ${q(e.facilitator_id)}, ${t}, ${t})`,
    );
    return sql(db.dbPath, 'SELECT max(id) AS id FROM events')[0].id;
  }

  /* Changes an event's title and times; SEQUENCE goes up by one (the API does that itself). */
  async function changeEvent(id, { title, starts_at, ends_at }) {
    if (api) {
      const body = {};
      if (title !== undefined) body.title = title;
      if (starts_at !== undefined) body.starts_at = iso(starts_at);
      if (ends_at !== undefined) body.ends_at = iso(ends_at);
      await expect(200, await admin('PATCH', `/api/v1/events/${id}`, body), `PATCH /api/v1/events/${id}`);
      return;
    }
    const sets = [];
    if (title !== undefined) sets.push(`title = ${q(title)}`);
    if (starts_at !== undefined) sets.push(`starts_at = ${starts_at}`);
    if (ends_at !== undefined) sets.push(`ends_at = ${ends_at}`);
    sql(db.dbPath, `UPDATE events SET ${sets.join(', ')}, sequence = sequence + 1, updated_at = ${nowSeconds()} WHERE id = ${id}`);
  }

  async function cancelEvent(id) {
    if (api) {
      await expect(200, await admin('POST', `/api/v1/events/${id}/cancel`), `POST /api/v1/events/${id}/cancel`);
      return;
    }
    const t = nowSeconds();
    sql(db.dbPath, `UPDATE events SET cancelled_at = ${t}, sequence = sequence + 1, updated_at = ${t} WHERE id = ${id}`);
  }

  /* Books people on an event (they must be enrolled in the cohort). */
  async function book(eventId, userIds) {
    if (api) {
      for (const userId of userIds)
        await expect(201, await admin('POST', `/api/v1/events/${eventId}/bookings`, { user_id: userId }), `booking ${userId} on ${eventId}`);
      return;
    }
    const t = nowSeconds();
    sql(db.dbPath, `INSERT INTO bookings (event_id, user_id, created_at) VALUES ${userIds.map((u) => `(${eventId}, ${u}, ${t})`).join(', ')}`);
  }

  function addStaff(userId, role) {
    sql(db.dbPath, `INSERT INTO cohort_staff (cohort_id, user_id, role, created_at) VALUES (${cohortId}, ${userId}, ${q(role)}, ${nowSeconds()})`);
  }

  /* A coaching session {coach_id, participant_id, starts_at, ends_at, mode, place}. */
  function createSession(s) {
    const t = nowSeconds();
    sql(
      db.dbPath,
      `INSERT INTO coaching_sessions (coach_id, participant_id, starts_at, ends_at, mode, place, created_at, updated_at)
       VALUES (${s.coach_id}, ${s.participant_id}, ${s.starts_at}, ${s.ends_at}, ${q(s.mode || 'online')}, ${q(s.place || '')}, ${t}, ${t})`,
    );
    return sql(db.dbPath, 'SELECT max(id) AS id FROM coaching_sessions')[0].id;
  }

  function useServer(s) {
    current = s;
  }

  return { cohortId, venueId, enrol, createEvent, changeEvent, cancelEvent, book, addStaff, createSession, useServer, api };
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

module.exports = { sql, q, nowSeconds, iso, prepareDb, serve, caller, programme, ukDateTime, ukRange };
