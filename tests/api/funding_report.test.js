'use strict';
/*
 * The funding report streams as JSON as it does as CSV: read a batch of 500 rows at a time, each
 * sent before the next is read. Over more than one batch (501 schools, each with a school-funded
 * enrolment), the JSON document is whole and valid, holds every row once in the CSV's order, and
 * totals the routes over every batch.
 */
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');

const { prepareDemoDb, startServerWithArgs, apiAs } = require('./auth_helpers');

const SCHOOLS = 501; /* one more than a batch */
let server;
let as;
let ids;

before(async () => {
  const demo = await prepareDemoDb();
  ids = demo.ids;
  server = await startServerWithArgs([], { db: demo.dbPath });
  as = apiAs(server, demo.tokens.admin, 'admin');
  const csv = (pathname, text) => as.post(pathname, text, { contentType: 'text/csv' });
  const pad = (i) => String(i).padStart(3, '0');
  let schools = 'name,urn,local_authority,region,phase\n';
  let people = 'email,name,role\n';
  for (let i = 0; i < SCHOOLS; i++) {
    schools += `Batch School ${pad(i)},${700000 + i},Leeds,Yorkshire and the Humber,Primary\n`;
    people += `batch${i}@funding.test,Batch Person ${pad(i)},participant\n`;
  }
  assert.equal((await csv('/api/v1/imports/schools', schools)).status, 201, 'the schools');
  assert.equal((await csv('/api/v1/imports/users', people)).status, 201, 'the people');
  const all = async (address, key) => {
    const out = [];
    for (let url = address; url; ) {
      const r = await as.get(url);
      assert.equal(r.status, 200, r.text);
      out.push(...r.json()[key]);
      url = /^<([^>]+)>; rel="next"$/.exec(r.headers.get('link') || '')?.[1];
    }
    return out;
  };
  const urns = new Map((await all('/api/v1/organisations?kind=school&limit=500', 'organisations')).map((o) => [o.urn, o.id]));
  const users = new Map((await all('/api/v1/users?role=participant&limit=500', 'users')).map((u) => [u.email, u.id]));
  const cohort = await as.post('/api/v1/cohorts', {
    code: 'NPQSL-FUNDING-1', kind: 'qualification', target: 'NPQSL', starts_on: '2027-01-11', ends_on: '2028-07-14',
    delivery_model: 'blended', delivery_partner_id: (await as.json('/api/v1/delivery-partners')).delivery_partners[0].id,
  });
  assert.equal(cohort.status, 201, cohort.text);
  for (let i = 0; i < SCHOOLS; i++) {
    const draft = await as.post('/api/v1/applications', {
      participant_id: users.get(`batch${i}@funding.test`), kind: 'qualification', target: 'NPQSL',
      electives: ['school-self-evaluation', 'leading-change-for-improvement'], school_id: urns.get(String(700000 + i)),
      sponsor_id: ids.admin, job_role: 'Deputy head', delivery_model: 'blended', funding_route: 'school',
    });
    assert.equal(draft.status, 201, draft.text);
    const id = draft.json().id;
    for (const [step, body] of [['submit'], ['approve'], ['accept'], ['enrol', { cohort_id: cohort.json().id }]]) {
      const r = await as.post(`/api/v1/applications/${id}/${step}`, body);
      assert.equal(r.status, 200, `${step}: ${r.text}`);
    }
  }
});
after(async () => server?.stop());

test('the JSON report over more than one batch is whole, in the CSV\'s order, with totals of every batch', async () => {
  /* Uncompressed, so that a document built whole would carry its Content-Length. */
  const r = await as.get('/api/v1/reports/funding', { headers: { 'accept-encoding': 'identity' } });
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^application\/json/);
  assert.equal(r.headers.get('content-encoding'), null);
  assert.equal(r.headers.get('content-length'), null, 'streamed, not built whole');
  assert.equal(r.headers.get('transfer-encoding'), 'chunked');
  const report = JSON.parse(r.text);
  assert.deepEqual(Object.keys(report).sort(), ['by_funding_route', 'by_school']);
  const batch = report.by_school.filter((row) => row.school.startsWith('Batch School '));
  assert.equal(batch.length, SCHOOLS, 'every school once');
  assert.ok(report.by_school.length > 500, `more than one batch: ${report.by_school.length} rows`);
  assert.ok(batch.every((row) => row.funding_route === 'school' && row.enrolments === 1));
  assert.equal(new Set(report.by_school.map((row) => `${row.funding_route}|${row.school_id}`)).size, report.by_school.length, 'no row twice');

  const totals = {};
  for (const row of report.by_school) totals[row.funding_route] = (totals[row.funding_route] || 0) + row.enrolments;
  assert.deepEqual(report.by_funding_route, totals, 'the routes total every row of every batch');
  assert.ok(report.by_funding_route.school >= SCHOOLS);

  const csv = (await as.get('/api/v1/reports/funding?format=csv')).text.trim().split(/\r\n/).slice(1);
  assert.deepEqual(
    csv.map((line) => line.split(',')[0] + '|' + (line.split(',')[1] || '0')),
    report.by_school.map((row) => `${row.funding_route}|${row.school_id ?? 0}`),
    'the same rows in the same order as the CSV',
  );
});
