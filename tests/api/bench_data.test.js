'use strict';
/*
 * npq bench-data: the generated programme holds what its summary claims, read back through the
 * API; its kept progress is what judging every enrolment again gives; the same seed gives the
 * same programme; a database that holds one already is refused.
 *
 *   NPQ_BIN=build/npq node --test tests/api/bench_data.test.js
 */
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');

const { makeTempDir, initDb, runNpq, startServer, newDatabaseLocation } = require('./helpers');
const { createToken, apiAs } = require('./auth_helpers');

const PARTICIPANTS = 200;
let dir;
let dbPath;
let made;
let server;
let admin;

async function generate(db, seed) {
  const r = await runNpq(['bench-data', '--participants', String(PARTICIPANTS), '--seed', String(seed), '--db', db], {
    timeoutMs: 120000,
  });
  assert.equal(r.code, 0, `npq bench-data: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/* Every page of a list, following the Link header. */
async function all(pathname, key) {
  const rows = [];
  let next = pathname;
  while (next) {
    const r = await admin.get(next);
    assert.equal(r.status, 200, `GET ${next} → ${r.status} ${r.text.slice(0, 200)}`);
    rows.push(...r.json()[key]);
    next = /<([^>]+)>;\s*rel="next"/.exec(r.headers.link || '')?.[1];
  }
  return rows;
}

before(async () => {
  dir = await makeTempDir();
  dbPath = newDatabaseLocation(dir);
  await initDb(dbPath);
  made = await generate(dbPath, 7);
  server = await startServer({ db: dbPath });
  admin = apiAs(server, await createToken(dbPath, 'admin@bench.npq.test'));
});

after(async () => {
  await server?.stop();
});

test('bench-data makes the participants, cohorts and records it says', () => {
  assert.equal(made.participants, PARTICIPANTS);
  assert.equal(made.enrolments, PARTICIPANTS);
  for (const key of ['cohorts', 'events', 'bookings', 'attendance', 'coaching_sessions', 'hours_entries', 'content_done', 'learning_records'])
    assert.ok(made[key] > 0, `${key}: ${made[key]}`);
  assert.ok(made.activity_records >= 50 * PARTICIPANTS, `about a hundred records a participant: ${made.activity_records}`);
});

test('the API lists every enrolment with its kept progress, in the cohorts and partners counted', async () => {
  const progress = await all('/api/v1/progress?limit=500', 'progress');
  assert.equal(progress.length, PARTICIPANTS);
  const statuses = new Set(progress.map((p) => p.status));
  assert.ok(statuses.has('on_track') && statuses.has('at_risk'), `a spread of statuses: ${[...statuses]}`);
  const { cohorts } = await admin.json('/api/v1/progress/cohorts');
  assert.equal(cohorts.length, made.cohorts);
  assert.equal(cohorts.reduce((n, c) => n + c.enrolments, 0), PARTICIPANTS);
  const partners = await all('/api/v1/organisations?kind=delivery_partner', 'organisations');
  assert.equal(partners.length, made.delivery_partners);
  const events = await all('/api/v1/events?limit=100', 'events');
  assert.equal(events.length, made.events);
  assert.equal(events.reduce((n, e) => n + e.booked, 0), made.bookings);
  let hours = 0;
  for (const p of progress) hours += (await all(`/api/v1/enrolments/${p.enrolment_id}/activities?limit=500`, 'activities')).length;
  assert.equal(hours, made.hours_entries);
});

test('the kept progress is what judging every enrolment again gives', async () => {
  const judged = (rows) => rows.map((p) => [p.enrolment_id, p.status, p.reasons, p.events_attended, p.modules_completed]);
  const before = judged(await all('/api/v1/progress?limit=500', 'progress'));
  const r = await runNpq(['progress', 'refresh', '--db', dbPath], { timeoutMs: 60000 });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(judged(await all('/api/v1/progress?limit=500', 'progress')), before);
});

test('the same seed gives the same programme, and a second run on one database is refused', async () => {
  const other = newDatabaseLocation(await makeTempDir());
  await initDb(other);
  const again = await generate(other, 7);
  delete again.seconds;
  const first = { ...made };
  delete first.seconds;
  assert.deepEqual(again, first);
  const twice = await runNpq(['bench-data', '--participants', '10', '--db', other]);
  assert.equal(twice.code, 1);
  assert.match(twice.stderr, /holds a generated programme already/);
  const bad = await runNpq(['bench-data', '--participants', 'many', '--db', other]);
  assert.equal(bad.code, 2);
});
