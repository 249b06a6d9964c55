'use strict';
/*
 * The per-client request rate (--rate-limit): a client over it is answered 429 with Retry-After
 * (JSON under /api/, a page elsewhere) while another client is served as before, and it is let
 * through again once the wait is over. Loopback is exempt by default, so a reverse proxy on the
 * machine is never limited as one client. Clients are told apart by address: 127.0.0.1, .2, .3.
 */
const { test, describe, before, after } = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');

const { startServerWithArgs } = require('./auth_helpers');

/* One request from localAddress on a connection of its own. */
function get(port, path, localAddress, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path, localAddress, headers, agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('--rate-limit 2 --rate-limit-exempt none (bursts of 20)', () => {
  let server;
  before(async () => {
    server = await startServerWithArgs(['--rate-limit', '2', '--rate-limit-exempt', 'none']);
  });
  after(async () => server?.stop());

  test('a client over its rate is answered 429 and others are not', async () => {
    const statuses = [];
    for (let i = 0; i < 25; i++) statuses.push((await get(server.port, '/api/v1/health', '127.0.0.2')).status);
    const first429 = statuses.indexOf(429);
    assert.ok(first429 >= 20 && first429 <= 21, `the burst of 20 is served first: ${statuses.join(' ')}`);
    assert.ok(statuses.slice(first429).filter((s) => s === 429).length >= 3, statuses.join(' '));

    const refused = await get(server.port, '/api/v1/qualifications', '127.0.0.2');
    assert.equal(refused.status, 429);
    assert.match(refused.headers['retry-after'], /^[1-9]\d*$/);
    assert.match(refused.headers['content-type'], /^application\/json/);
    const error = JSON.parse(refused.body).error;
    assert.equal(error.status, 429);
    assert.equal(error.code, 'too_many_requests');

    const page = await get(server.port, '/', '127.0.0.2', { accept: 'text/html' });
    assert.equal(page.status, 429);
    assert.match(page.headers['content-type'], /^text\/html/);
    assert.match(page.body, /Too many requests/);

    const other = await get(server.port, '/api/v1/health', '127.0.0.3');
    assert.equal(other.status, 200, 'another address is served while the first is held back');
  });

  test('after Retry-After the client is let through again', async () => {
    let refused;
    for (let i = 0; i < 30 && !(refused && refused.status === 429); i++)
      refused = await get(server.port, '/api/v1/health', '127.0.0.2');
    assert.equal(refused.status, 429);
    await new Promise((r) => setTimeout(r, Number(refused.headers['retry-after']) * 1000 + 100));
    assert.equal((await get(server.port, '/api/v1/health', '127.0.0.2')).status, 200);
  });
});

describe('the default rate limit', () => {
  let server;
  before(async () => {
    server = await startServerWithArgs(['--rate-limit', '1']);
  });
  after(async () => server?.stop());

  test('loopback is exempt', async () => {
    for (let i = 0; i < 40; i++) assert.equal((await get(server.port, '/api/v1/health', '127.0.0.1')).status, 200);
  });

  test('a bad exempt list or rate stops serve with a message', async () => {
    const { runNpq } = require('./helpers');
    for (const args of [
      ['--rate-limit-exempt', '10.0.0.0/33'],
      ['--rate-limit', '0'],
      ['--rate-limit', 'fast'],
    ]) {
      const r = await runNpq(['serve', '--listen', '127.0.0.1:0', '--db', server.dbPath, ...args]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /--rate-limit/);
    }
  });
});
