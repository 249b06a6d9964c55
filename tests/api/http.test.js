'use strict';
/*
 * HTTP behaviour: health, caching validators, HEAD, 404 and 405, security headers, assets, pages,
 * the access log and concurrency.
 */
const { test, describe, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const { REPO, startServer, request, getJson, poll } = require('./helpers');

const GOVUK = 'node_modules/govuk-frontend/dist/govuk';

/* Each asset, the file it is built from, and the type it must be served with. */
const ASSETS = [
  ['/assets/govuk-frontend.min.css', `${GOVUK}/govuk-frontend.min.css`, /^text\/css\b/],
  ['/assets/govuk-frontend.min.js', `${GOVUK}/govuk-frontend.min.js`, /^text\/javascript\b/],
  ['/assets/app.js', 'assets/app.js', /^text\/javascript\b/],
  ['/assets/app.css', 'assets/app.css', /^text\/css\b/],
  ['/assets/fonts/bold-b542beb274-v2.woff2', `${GOVUK}/assets/fonts/bold-b542beb274-v2.woff2`, /^font\/woff2$/],
  ['/assets/fonts/light-f591b13f7d-v2.woff', `${GOVUK}/assets/fonts/light-f591b13f7d-v2.woff`, /^font\/woff$/],
  ['/assets/images/favicon.svg', `${GOVUK}/assets/images/favicon.svg`, /^image\/svg\+xml$/],
  ['/assets/images/govuk-icon-180.png', `${GOVUK}/assets/images/govuk-icon-180.png`, /^image\/png$/],
  ['/assets/manifest.json', `${GOVUK}/assets/manifest.json`, /^application\/manifest\+json\b/],
];

/* Every response, whatever its kind, carries these. */
function assertSecurityHeaders(r, what) {
  const csp = r.headers.get('content-security-policy');
  assert.ok(csp, `${what}: content-security-policy is set`);
  assert.doesNotMatch(csp, /'unsafe-inline'/, `${what}: CSP allows no inline script or style`);
  assert.doesNotMatch(csp, /'unsafe-eval'/, `${what}: CSP allows no eval`);
  assert.match(csp, /(^|;)\s*frame-ancestors 'none'\s*(;|$)/, `${what}: CSP forbids framing`);
  assert.match(csp, /(^|;)\s*default-src 'self'/, `${what}: CSP default-src 'self'`);
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff', `${what}: x-content-type-options`);
  assert.ok(
    ['no-referrer', 'same-origin', 'strict-origin', 'strict-origin-when-cross-origin'].includes(r.headers.get('referrer-policy')),
    `${what}: referrer-policy is a safe value, not ${r.headers.get('referrer-policy')}`,
  );
}

describe('one server', () => {
  let server;
  before(async () => {
    server = await startServer({ threads: 2 });
  });
  after(async () => {
    await server?.stop();
  });

  test('health', async () => {
    const r = await request(server.url, '/api/v1/health');
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'application/json; charset=utf-8');
    const body = r.json();
    assert.equal(body.status, 'ok');
    assert.ok(Number.isInteger(body.catalogue_revision) && body.catalogue_revision >= 1, `revision ${body.catalogue_revision}`);
    assert.equal(Number(r.headers.get('content-length')), r.body.length);
    // A query string does not change the route.
    const q = await request(server.url, '/api/v1/health?verbose=1');
    assert.equal(q.status, 200);
    assert.equal(q.json().status, 'ok');
  });

  test('catalogue reads have a strong ETag and answer 304 to a matching If-None-Match', async () => {
    for (const p of [
      '/api/v1/qualifications',
      '/api/v1/qualifications/NPQSL',
      '/api/v1/modules',
      '/api/v1/modules/closing-the-gap',
      '/api/v1/frameworks',
      '/api/v1/frameworks/npqsl',
      '/api/v1/openapi.json',
    ]) {
      const first = await request(server.url, p);
      assert.equal(first.status, 200, p);
      const etag = first.headers.get('etag');
      assert.match(etag || '', /^"[^"]+"$/, `${p}: a strong ETag, not ${etag}`);

      const again = await request(server.url, p);
      assert.equal(again.headers.get('etag'), etag, `${p}: the ETag is stable`);
      assert.equal(again.text, first.text, `${p}: the body is stable`);

      const notModified = await request(server.url, p, { headers: { 'if-none-match': etag } });
      assert.equal(notModified.status, 304, `${p}: If-None-Match ${etag}`);
      assert.equal(notModified.body.length, 0, `${p}: a 304 has no body`);
      assert.equal(notModified.headers.get('etag'), etag, `${p}: a 304 repeats the ETag`);
      assertSecurityHeaders(notModified, `304 ${p}`);

      const listed = await request(server.url, p, { headers: { 'if-none-match': `"0000000000000000", ${etag}` } });
      assert.equal(listed.status, 304, `${p}: If-None-Match with a list containing the tag`);

      const other = await request(server.url, p, { headers: { 'if-none-match': '"0000000000000000"' } });
      assert.equal(other.status, 200, `${p}: a non-matching If-None-Match`);
      assert.equal(other.text, first.text);
    }
    // Different documents have different tags.
    const a = await request(server.url, '/api/v1/qualifications/NPQSL');
    const b = await request(server.url, '/api/v1/qualifications/NPQH');
    assert.notEqual(a.headers.get('etag'), b.headers.get('etag'));
  });

  test('HEAD answers the headers GET would, without a body', async () => {
    for (const p of ['/api/v1/health', '/api/v1/qualifications/NPQSL', '/api/v1/frameworks/npqsl', '/', '/qualifications/NPQSL', '/assets/app.js', '/api/v1/nope', '/nope']) {
      const get = await request(server.url, p);
      const head = await request(server.url, p, { method: 'HEAD' });
      assert.equal(head.status, get.status, `HEAD ${p}`);
      assert.equal(head.body.length, 0, `HEAD ${p} has no body`);
      assert.equal(head.headers.get('content-type'), get.headers.get('content-type'), `HEAD ${p} content-type`);
      assert.equal(head.headers.get('content-length'), String(get.body.length), `HEAD ${p} content-length`);
      assert.equal(head.headers.get('etag'), get.headers.get('etag'), `HEAD ${p} etag`);
      assertSecurityHeaders(head, `HEAD ${p}`);
    }
  });

  test('a method the route does not take is 405 with Allow, as JSON under /api/', async () => {
    for (const [method, p] of [
      ['POST', '/api/v1/health'],
      ['DELETE', '/api/v1/health'],
      ['POST', '/api/v1/qualifications'],
      ['PUT', '/api/v1/qualifications/NPQSL'],
      ['DELETE', '/api/v1/qualifications/NPQSL'],
      ['PATCH', '/api/v1/modules/closing-the-gap'],
      ['DELETE', '/api/v1/frameworks/npqsl'],
      ['POST', '/api/v1/openapi.json'],
    ]) {
      const r = await request(server.url, p, { method, body: method === 'DELETE' ? undefined : '{}', headers: { 'content-type': 'application/json' } });
      assert.equal(r.status, 405, `${method} ${p}`);
      assert.equal(r.headers.get('allow'), 'GET, HEAD', `${method} ${p}: Allow`);
      assert.match(r.headers.get('content-type'), /^application\/json\b/);
      const body = r.json();
      assert.deepEqual(Object.keys(body), ['error']);
      assert.equal(body.error.status, 405);
      assert.equal(body.error.code, 'method_not_allowed');
      assert.equal(typeof body.error.message, 'string');
      assert.ok(body.error.message.length > 0);
      assertSecurityHeaders(r, `${method} ${p}`);
    }
  });

  test('a method a page does not take is 405 with Allow, as HTML', async () => {
    for (const p of ['/', '/qualifications/NPQSL', '/assets/app.js']) {
      const r = await request(server.url, p, { method: 'POST', body: 'x=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      assert.equal(r.status, 405, `POST ${p}`);
      assert.equal(r.headers.get('allow'), 'GET, HEAD');
      assert.match(r.headers.get('content-type'), /^text\/html\b/);
      assertSecurityHeaders(r, `POST ${p}`);
    }
  });

  test('an unknown /api path is a 404 JSON error', async () => {
    for (const p of ['/api/v1/nope', '/api/v1/', '/api/v2/health', '/api/v1/qualifications/NPQSL/modules', '/api/v1/health/x', '/api/']) {
      const r = await request(server.url, p);
      assert.equal(r.status, 404, `GET ${p}`);
      assert.equal(r.headers.get('content-type'), 'application/json; charset=utf-8', `GET ${p}`);
      assert.deepEqual(r.json(), { error: { status: 404, code: 'not_found', message: 'There is no API resource at this address.' } }, `GET ${p}`);
      assertSecurityHeaders(r, `GET ${p}`);
    }
    // A method on an unknown path is still 404, not 405.
    const post = await request(server.url, '/api/v1/nope', { method: 'POST', body: '{}' });
    assert.equal(post.status, 404);
    assert.equal(post.json().error.code, 'not_found');
  });

  test('an unknown page is a 404 HTML page', async () => {
    for (const p of ['/nope', '/qualifications/NPQX', '/modules/no-such-module', '/frameworks/nope', '/assets/', '/assets/nope.css']) {
      const r = await request(server.url, p);
      assert.equal(r.status, 404, `GET ${p}`);
      assertSecurityHeaders(r, `GET ${p}`);
      if (p === '/assets/nope.css') continue; // a missing asset is plain text
      assert.equal(r.headers.get('content-type'), 'text/html; charset=utf-8', `GET ${p}`);
      assert.match(r.text, /^<!DOCTYPE html>/);
      assert.match(r.text, /Page not found/);
    }
  });

  test('security headers on JSON, HTML and asset responses', async () => {
    for (const p of ['/api/v1/health', '/api/v1/qualifications', '/api/v1/openapi.json', '/', '/qualifications', '/frameworks/npqsl', '/assets/govuk-frontend.min.css', '/assets/images/favicon.svg']) {
      const r = await request(server.url, p);
      assert.equal(r.status, 200, p);
      assertSecurityHeaders(r, p);
    }
  });

  test('assets: the built files, their types, cached for a year', async () => {
    for (const [p, file, type] of ASSETS) {
      const r = await request(server.url, p);
      assert.equal(r.status, 200, p);
      assert.match(r.headers.get('content-type') || '', type, `${p}: content-type ${r.headers.get('content-type')}`);
      const cc = r.headers.get('cache-control') || '';
      assert.match(cc, /\bmax-age=31536000\b/, `${p}: cache-control ${cc}`);
      assert.match(cc, /\bimmutable\b/, `${p}: cache-control ${cc}`);
      assert.match(r.headers.get('etag') || '', /^"[^"]+"$/, `${p}: etag`);
      const onDisk = fs.readFileSync(path.join(REPO, file));
      assert.ok(r.body.equals(onDisk), `${p} is ${file} byte for byte (${r.body.length} vs ${onDisk.length} bytes)`);
      const again = await request(server.url, p, { headers: { 'if-none-match': r.headers.get('etag') } });
      assert.equal(again.status, 304, `${p}: If-None-Match`);
    }
  });

  test('pages contain the catalogue', async () => {
    const home = await request(server.url, '/');
    assert.equal(home.status, 200);
    assert.equal(home.headers.get('content-type'), 'text/html; charset=utf-8');
    for (const s of ['National Professional Qualifications', 'href="/qualifications/NPQSL"', 'href="/qualifications/NPQML"', 'href="/qualifications/NPQH"', 'Leading beyond an organisation'])
      assert.ok(home.text.includes(s), `/ contains ${s}`);

    const list = await request(server.url, '/qualifications');
    assert.equal(list.status, 200);
    for (const s of [
      'National Professional Qualification for Senior Leadership',
      'National Professional Qualification for Middle Leadership',
      'National Professional Qualification for Headship',
      '2 essential and 1 elective module',
      '3 essential and 2 elective modules',
    ])
      assert.ok(list.text.includes(s), `/qualifications contains ${s}`);

    for (const code of ['NPQSL', 'npqsl']) {
      const q = await request(server.url, `/qualifications/${code}`);
      assert.equal(q.status, 200, `/qualifications/${code}`);
      for (const s of [
        'National Professional Qualification for Senior Leadership',
        '2 essential and 2 elective modules',
        'Closing the gap',
        'Succeeding in senior leadership',
        'Effective partnership working',
        'Educational excellence',
        'Operational management',
        'Strategic leadership',
        'href="/modules/closing-the-gap"',
        'href="/frameworks/npqsl"',
        '4 face-to-face events',
      ])
        assert.ok(q.text.includes(s), `/qualifications/${code} contains ${s}`);
    }

    const m = await request(server.url, '/modules/closing-the-gap');
    assert.equal(m.status, 200);
    for (const s of ['Closing the gap', 'Educational excellence', 'Level 2: Leading across an organisation', 'National Professional Qualification for Senior Leadership', 'National Professional Qualification for Headship', '(essential)', '(elective)'])
      assert.ok(m.text.includes(s), `/modules/closing-the-gap contains ${s}`);

    const fl = await request(server.url, '/frameworks');
    assert.equal(fl.status, 200);
    assert.ok(fl.text.includes('href="/frameworks/npqsl"'));

    const f = await request(server.url, '/frameworks/npqsl');
    assert.equal(f.status, 200);
    for (const s of ['School Culture', 'Teaching', 'Curriculum and Assessment', 'Governance and Accountability', 'Incomplete in source'])
      assert.ok(f.text.includes(s), `/frameworks/npqsl contains ${s}`);

    // Pages load only same-origin scripts and styles, never inline ones (the CSP would block them).
    for (const page of [home, list, f]) {
      assert.doesNotMatch(page.text, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline <script>');
      assert.doesNotMatch(page.text, /<style\b/, 'no inline <style>');
      assert.doesNotMatch(page.text, /\sstyle="/, 'no style attributes');
      assert.doesNotMatch(page.text, /\son[a-z]+="/, 'no inline event handlers');
    }
  });

  test('200 concurrent requests all succeed', async () => {
    const paths = ['/api/v1/frameworks/npqsl', '/api/v1/qualifications/NPQSL', '/api/v1/modules', '/qualifications/NPQH', '/assets/govuk-frontend.min.css'];
    const expected = {};
    for (const p of paths) expected[p] = (await request(server.url, p)).body;
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => {
        const p = paths[i % paths.length];
        return request(server.url, p).then(
          (r) => ({ p, r }),
          (e) => ({ p, e }),
        );
      }),
    );
    const failures = results.filter(({ p, r, e }) => e || r.status !== 200 || !r.body.equals(expected[p]));
    assert.equal(failures.length, 0, failures.slice(0, 5).map(({ p, r, e }) => `${p}: ${e ? e.message : `${r.status}, ${r.body.length} bytes`}`).join('\n'));
  });
});

test('the access log has one JSON line per request', async () => {
  const server = await startServer({ threads: 2, accessLog: 'access.log' });
  const made = [];
  const hit = async (method, p, status, headers) => {
    const r = await request(server.url, p, { method, headers });
    assert.equal(r.status, status, `${method} ${p}`);
    made.push({ method, path: p, status, bytes: method === 'HEAD' ? null : r.body.length });
  };
  let etag;
  try {
    await hit('GET', '/api/v1/health', 200);
    await hit('GET', '/api/v1/qualifications/NPQSL', 200);
    etag = (await request(server.url, '/api/v1/frameworks')).headers.get('etag');
    made.push({ method: 'GET', path: '/api/v1/frameworks', status: 200, bytes: null });
    await hit('GET', '/api/v1/frameworks', 304, { 'if-none-match': etag });
    await hit('HEAD', '/', 200);
    await hit('GET', '/qualifications', 200);
    await hit('GET', '/assets/app.css', 200);
    await hit('DELETE', '/api/v1/health', 405);
    await hit('GET', '/api/v1/nope', 404);
    await hit('GET', '/nope', 404);
  } finally {
    await server.stop();
  }
  // The log is flushed at shutdown; give the file a moment to show it.
  const lines = await poll(
    () => {
      const text = fs.existsSync(server.accessLogPath) ? fs.readFileSync(server.accessLogPath, 'utf8') : '';
      const l = text.split('\n').filter(Boolean);
      return l.length >= made.length ? l : null;
    },
    { timeoutMs: 2000, intervalMs: 50 },
  );
  const text = fs.existsSync(server.accessLogPath) ? fs.readFileSync(server.accessLogPath, 'utf8') : '';
  assert.ok(lines, `expected ${made.length} lines in the access log, got:\n${text}`);
  assert.ok(text.endsWith('\n'), 'every line ends with a newline');
  assert.equal(lines.length, made.length, `one line per request:\n${text}`);

  const entries = lines.map((l) => {
    try {
      return JSON.parse(l);
    } catch (e) {
      assert.fail(`access log line is not JSON: ${l}`);
    }
  });
  for (const e of entries) {
    assert.deepEqual(Object.keys(e).sort(), ['bytes', 'client', 'duration_us', 'method', 'path', 'status', 'time'], `fields of ${JSON.stringify(e)}`);
    assert.match(e.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/, `time ${e.time}`);
    assert.ok(Math.abs(Date.parse(e.time) - Date.now()) < 5 * 60 * 1000, `time ${e.time} is now`);
    assert.ok(Number.isInteger(e.status));
    assert.ok(Number.isInteger(e.bytes) && e.bytes >= 0, `bytes ${e.bytes}`);
    assert.ok(Number.isInteger(e.duration_us) && e.duration_us >= 0, `duration_us ${e.duration_us}`);
    assert.equal(e.client, '127.0.0.1');
  }
  // Same requests, whatever order the two workers flushed them in.
  const key = (x) => `${x.method} ${x.path} ${x.status}`;
  assert.deepEqual(entries.map(key).sort(), made.map(key).sort());
  for (const m of made) {
    if (m.bytes === null) continue;
    const e = entries.find((x) => key(x) === key(m));
    assert.equal(e.bytes, m.bytes, `${key(m)}: bytes is the body length`);
  }
});

test('--access-log off writes nothing and - writes to standard error', async () => {
  const quiet = await startServer({ threads: 1, accessLog: 'off' });
  await request(quiet.url, '/api/v1/health');
  const q = await quiet.stop();
  assert.doesNotMatch(q.stderr, /"path":"\/api\/v1\/health"/);

  const loud = await startServer({ threads: 1, accessLog: '-' });
  await request(loud.url, '/api/v1/health');
  const l = await loud.stop();
  const line = l.stderr.split('\n').find((x) => x.includes('"path":"/api/v1/health"'));
  assert.ok(line, `stderr has the access log line:\n${l.stderr}`);
  assert.equal(JSON.parse(line).status, 200);
});

test('--threads is honoured', async () => {
  const server = await startServer({ threads: 3 });
  try {
    assert.equal(server.threads, 3);
    assert.match(server.stdout(), /with 3 threads/);
    assert.equal((await getJson(server.url, '/api/v1/health')).status, 'ok');
  } finally {
    await server.stop();
  }
});
