'use strict';
/*
 * What browsers, proxies and HTTP clients expect of every answer: nothing a signed-in person was
 * shown may be kept by a shared cache or a back button, and every status carries its reason
 * phrase (a 202 read "Unknown" once), and text travels compressed to clients that accept it.
 *
 *   NPQ_BIN=build/npq node --test --test-concurrency=1 tests/api/conventions.test.js
 */
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const zlib = require('node:zlib');

const { startServer, request } = require('./helpers');
const { prepareDemoDb, apiAs, signIn, demoEmail } = require('./auth_helpers');

let server;
let as;

before(async () => {
  const demo = await prepareDemoDb();
  server = await startServer({ db: demo.dbPath, threads: 1 });
  as = Object.fromEntries(Object.entries(demo.tokens).map(([key, token]) => [key, apiAs(server, token, key)]));
});

after(async () => {
  await server?.stop();
});

/* The status line as sent, which fetch does not show for HTTP/1.1 reliably. */
function statusLine(method, pathname, headers = {}, body) {
  return new Promise((resolve, reject) => {
    const url = new URL(pathname, server.url);
    const req = http.request(url, { method, headers: { connection: 'close', ...headers } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, reason: res.statusMessage }));
    });
    req.on('error', reject);
    if (body) req.end(body);
    else req.end();
  });
}

test('answers for a signed-in person are never stored by a cache', async () => {
  for (const pathname of ['/api/v1/me', '/api/v1/users', '/api/v1/enrolments']) {
    const r = await as.admin.get(pathname);
    assert.equal(r.status, 200, `GET ${pathname}`);
    assert.equal(r.headers.get('cache-control'), 'no-store', `GET ${pathname} with a token: cache-control`);
  }
  const refused = await as.participant.get('/api/v1/audit-events');
  assert.equal(refused.status, 403, 'a participant may not read the audit log');
  assert.equal(refused.headers.get('cache-control'), 'no-store', 'a refusal to a signed-in caller too');

  const page = await signIn(server, demoEmail('participant'));
  const account = await page.get('/account');
  assert.equal(account.status, 200);
  assert.equal(account.headers.get('cache-control'), 'no-store', 'a signed-in page');
});

test('public answers keep their own caching', async () => {
  const catalogue = await request(server.url, '/api/v1/qualifications/NPQSL');
  assert.equal(catalogue.status, 200);
  assert.notEqual(catalogue.headers.get('cache-control'), 'no-store', 'the public catalogue may be cached');
  const signInPage = await request(server.url, '/sign-in');
  assert.notEqual(signInPage.headers.get('cache-control'), 'no-store', 'an anonymous page is not marked');
});

test('every status carries its reason phrase', async () => {
  const token = as.admin.token;
  const auth = { authorization: `Bearer ${token}` };
  const email = `reason-${process.pid}@example.org`;
  const created = await as.admin.post('/api/v1/users', { email, name: 'Rae Reason', role: 'participant' });
  assert.equal(created.status, 201, created.text);
  const id = created.json().id;
  const cases = [
    ['GET', '/api/v1/me', 200, 'OK'],
    ['POST', `/api/v1/users/${id}/invitation`, 202, 'Accepted'],
    ['GET', '/api/v1/nothing-here', 404, 'Not Found'],
    ['DELETE', '/api/v1/me', 405, 'Method Not Allowed'],
  ];
  for (const [method, pathname, status, reason] of cases) {
    const got = await statusLine(method, pathname, auth);
    assert.deepEqual(got, { status, reason }, `${method} ${pathname}`);
  }
});

/* The raw answer, without fetch's own decompression. */
function rawGet(pathname, headers = {}) {
  return new Promise((resolve, reject) => {
    http
      .get(new URL(pathname, server.url), { headers: { connection: 'close', ...headers } }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

test('text over 1 KiB is gzipped for clients that accept it, and only for them', async () => {
  const plain = await rawGet('/api/v1/openapi.json');
  assert.equal(plain.headers['content-encoding'], undefined, 'no encoding unless asked');
  const zipped = await rawGet('/api/v1/openapi.json', { 'accept-encoding': 'gzip, br' });
  assert.equal(zipped.headers['content-encoding'], 'gzip');
  assert.match(zipped.headers.vary ?? '', /accept-encoding/i, 'caches keep the two apart');
  assert.ok(zipped.body.length * 5 < plain.body.length, `much smaller: ${zipped.body.length} of ${plain.body.length}`);
  assert.ok(zlib.gunzipSync(zipped.body).equals(plain.body), 'the same document once unzipped');
  const page = await rawGet('/sign-in', { 'accept-encoding': 'gzip' });
  assert.equal(page.headers['content-encoding'], 'gzip', 'pages too');
  const image = await rawGet('/assets/images/govuk-icon-180.png', { 'accept-encoding': 'gzip' });
  assert.equal(image.headers['content-encoding'], undefined, 'an image is sent as it is');
  const tiny = await rawGet('/api/v1/health', { 'accept-encoding': 'gzip' });
  assert.equal(tiny.headers['content-encoding'], undefined, 'a small answer is not worth it');
});
