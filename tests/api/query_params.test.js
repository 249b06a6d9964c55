'use strict';
/*
 * Malformed query parameters, black-box: every parameter an endpoint reads (other than the lists'
 * limit and offset) is checked, and a value that is not what it must be is answered 400 with the
 * one error envelope naming the parameter, never quietly replaced by a default. Pages answer the
 * same with a page listing what is wrong with the address. Well-formed values still work.
 *
 *   NPQ_BIN=build/npq node --test --test-concurrency=1 tests/api/query_params.test.js
 */
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');

const { startServer } = require('./helpers');
const { prepareDemoDb, apiAs, signIn, demoEmail } = require('./auth_helpers');

let server;
let demo;
let as;

before(async () => {
  demo = await prepareDemoDb();
  server = await startServer({ db: demo.dbPath, threads: 1 });
  as = Object.fromEntries(Object.entries(demo.tokens).map(([key, token]) => [key, apiAs(server, token, key)]));
});

after(async () => {
  await server?.stop();
});

const show = (r) => `${r.status} ${r.text.slice(0, 600)}`;

/* A 400 in the one envelope, its fields naming param with a message that names it too. */
function expect400(r, param, re, what) {
  assert.equal(r.status, 400, `${what}: expected 400 naming ${param}, got ${show(r)}`);
  const body = r.json();
  assert.equal(body.error.status, 400, `${what}: error.status`);
  assert.equal(body.error.code, 'bad_request', `${what}: error.code`);
  assert.ok(Array.isArray(body.error.fields), `${what}: error.fields is a list: ${r.text}`);
  const hit = body.error.fields.find((f) => f.field === param);
  assert.ok(hit, `${what}: a field error on "${param}"; got ${JSON.stringify(body.error.fields)}`);
  assert.ok(hit.message.startsWith(`${param} `), `${what}: the message names the parameter: ${hit.message}`);
  assert.match(hit.message, re, `${what}: what it must be`);
  assert.match(body.error.message, new RegExp(`^${param} `), `${what}: the message is the first problem`);
  return body;
}

test('record ids in the query are whole numbers, 1 or more', async () => {
  const cases = [
    ['/api/v1/awards?participant_id=abc', 'participant_id'],
    ['/api/v1/coaching-sessions?participant_id=-4', 'participant_id'],
    ['/api/v1/venues?partner_id=1.5', 'partner_id'],
    ['/api/v1/events?cohort_id=seven', 'cohort_id'],
    ['/api/v1/submissions?task_id=0', 'task_id'],
    ['/api/v1/tokens?user_id=12abc', 'user_id'],
    ['/api/v1/audit-events?actor_id=%2012', 'actor_id'],
    ['/api/v1/awards?participant_id=99999999999999999999', 'participant_id'],
  ];
  for (const [url, param] of cases) expect400(await as.admin.get(url), param, /must be a whole number, 1 or more/, `GET ${url}`);
});

test('yes-or-no parameters are true or false', async () => {
  expect400(await as.admin.get('/api/v1/users?include_inactive=yes'), 'include_inactive', /true or false/, 'include_inactive=yes');
  expect400(await as.admin.get('/api/v1/tokens?all=2'), 'all', /true or false/, 'all=2');
  // A preview misread as the real thing would keep the file: nothing is imported.
  const csv = 'urn,name,local_authority,region,phase\r\n399001,Query Test School,Leeds,Yorkshire and the Humber,Primary\r\n';
  const r = await as.admin.post('/api/v1/imports/schools?dry_run=maybe', csv, { contentType: 'text/csv' });
  expect400(r, 'dry_run', /true or false/, 'dry_run=maybe');
  const schools = (await as.admin.json('/api/v1/organisations?kind=school&q=Query%20Test')).organisations;
  assert.equal(schools.length, 0, 'nothing was imported');
});

test('names chosen from a list are one of them', async () => {
  expect400(await as.admin.get('/api/v1/users?role=wizard'), 'role', /one of admin, .*headteacher/, 'role=wizard');
  expect400(await as.admin.get('/api/v1/applications?state=pending'), 'state', /one of draft, .*enrolled/, 'state=pending');
  expect400(await as.admin.get('/api/v1/organisations?kind=club'), 'kind', /provider, delivery_partner, trust or school/, 'kind=club');
  expect400(await as.admin.get('/api/v1/reports/funding?format=xlsx'), 'format', /csv or json/, 'format=xlsx');
});

test('times in the query are dates, UTC times or seconds', async () => {
  expect400(await as.admin.get('/api/v1/audit-events?since=yesterday'), 'since', /date .* UTC time .* seconds/, 'since=yesterday');
  expect400(await as.admin.get('/api/v1/audit-events?until=2026-02-30'), 'until', /date/, 'until: a day that does not exist');
});

test('every malformed parameter is named at once', async () => {
  const r = await as.admin.get('/api/v1/audit-events?actor_id=x&since=soon&until=later');
  const body = expect400(r, 'actor_id', /whole number/, 'three at once');
  assert.deepEqual(body.error.fields.map((f) => f.field), ['actor_id', 'since', 'until']);
});

test('well-formed and empty parameters still work', async () => {
  for (const url of [
    `/api/v1/awards?participant_id=${demo.ids.participant}`,
    '/api/v1/awards?participant_id=',
    '/api/v1/users?include_inactive=true',
    '/api/v1/users?include_inactive=0',
    '/api/v1/users?role=coach',
    '/api/v1/applications?state=draft',
    '/api/v1/tokens?all=1',
    `/api/v1/audit-events?actor_id=${demo.ids.admin}&since=2026-01-01&until=2999-01-01T00:00:00Z`,
    '/api/v1/audit-events?since=0',
    '/api/v1/reports/funding?format=json',
  ])
    await as.admin.json(url);
  const csv = await as.admin.get('/api/v1/reports/funding?format=csv');
  assert.equal(csv.status, 200, show(csv));
  assert.match(csv.headers.get('content-type'), /^text\/csv/);
});

test('a page with a malformed address says what is wrong with it', async () => {
  const admin = await signIn(server, demoEmail('admin'));
  for (const [url, re] of [
    ['/admin/users?include_inactive=maybe', /include_inactive must be true or false/],
    ['/admin/users?role=wizard', /There is no role called &quot;wizard&quot;/],
    ['/admin/organisations?kind=club', /There is no kind of organisation called &quot;club&quot;/],
  ]) {
    const r = await admin.get(url);
    assert.equal(r.status, 400, `GET ${url}: expected 400, got ${r.status}`);
    assert.match(r.text, /<h1 class="govuk-heading-l">There is a problem with this address<\/h1>/, `GET ${url}: the heading`);
    assert.match(r.text, re, `GET ${url}: names the problem`);
  }
  const fine = await admin.get('/admin/users?include_inactive=1&role=coach');
  assert.equal(fine.status, 200, 'a well-formed address still shows the list');
});

test('a query string that cannot be decoded is refused before any handler reads it', async () => {
  for (const url of ['/api/v1/users?q=%zz', '/api/v1/qualifications?x=%4', '/api/v1/events?cohort_id=%']) {
    const r = await as.admin.get(url);
    assert.equal(r.status, 400, `GET ${url}: ${show(r)}`);
    assert.equal(r.json().error.code, 'bad_request', `GET ${url}: the error envelope`);
  }
  const page = await as.admin.get('/admin/users?q=%zz');
  assert.equal(page.status, 400, `a page with a broken query: ${show(page)}`);
  assert.match(page.text, /query string could not be read/);
});
