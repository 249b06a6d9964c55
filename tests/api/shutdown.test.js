'use strict';
/*
 * Graceful shutdown: on SIGTERM (or SIGINT) the server stops accepting, finishes the requests it
 * has, exits 0 and says so; nothing is cut short.
 */
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const net = require('node:net');

const { startServer, request, poll } = require('./helpers');

/* Parses one HTTP/1.1 response from raw bytes; complete is false when the body is short. */
function parseResponse(buf) {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return { complete: false, headersComplete: false, raw: buf.toString('latin1', 0, 200) };
  const head = buf.toString('latin1', 0, end).split('\r\n');
  const status = Number(head[0].split(' ')[1]);
  const headers = {};
  for (const line of head.slice(1)) {
    const i = line.indexOf(':');
    headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  const body = buf.subarray(end + 4);
  const length = Number(headers['content-length']);
  return { status, headers, body, headersComplete: true, complete: Number.isFinite(length) && body.length === length };
}

/* Opens a raw connection; resolves once connected. `done` resolves with everything read until close. */
function connect(port) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks = [];
    socket.on('data', (d) => chunks.push(d));
    const done = new Promise((res) => {
      socket.on('close', () => res(Buffer.concat(chunks)));
    });
    socket.on('error', reject); // before connecting; later errors end in 'close' and show in `done`
    socket.once('connect', () => resolve({ socket, done }));
  });
}

const refused = (port) =>
  new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', (e) => resolve(e.code === 'ECONNREFUSED'));
  });

test('SIGTERM during a burst: every answered request is whole, exit 0, "npq: stopped"', async (t) => {
  const server = await startServer({ threads: 2, accessLog: 'access.log' });
  const path = '/api/v1/frameworks/npqsl';
  const reference = await request(server.url, path);
  assert.equal(reference.status, 200);

  const outcomes = Array.from({ length: 50 }, () =>
    fetch(new URL(path, server.url), { headers: { connection: 'close' } }).then(
      async (res) => {
        try {
          const body = Buffer.from(await res.arrayBuffer());
          return { kind: 'response', status: res.status, body };
        } catch (e) {
          return { kind: 'truncated', status: res.status, error: e };
        }
      },
      (e) => ({ kind: 'no-response', error: e }),
    ),
  );
  // Some requests are on the wire, some answered, some not yet connected.
  await new Promise((r) => setTimeout(r, 5));
  server.proc.kill('SIGTERM');
  const results = await Promise.all(outcomes);
  const { stdout } = await server.stop();

  const truncated = results.filter((r) => r.kind === 'truncated');
  assert.deepEqual(truncated.map((r) => `${r.status}: ${r.error?.message} ${r.error?.cause?.message ?? ''}`), [], 'no response is cut short');
  const answered = results.filter((r) => r.kind === 'response');
  t.diagnostic(`${answered.length} of ${results.length} answered before the server stopped`);
  for (const r of answered) {
    assert.equal(r.status, 200);
    assert.ok(r.body.equals(reference.body), `a whole body (${r.body.length} of ${reference.body.length} bytes)`);
  }
  // Whatever was not answered never got a response at all: refused or reset before it was accepted.
  for (const r of results.filter((x) => x.kind === 'no-response'))
    assert.match(`${r.error?.cause?.code ?? ''} ${r.error?.cause?.message ?? r.error?.message}`, /ECONNREFUSED|ECONNRESET|other side closed|socket/i, String(r.error?.cause ?? r.error));

  assert.match(stdout, /^npq: SIGTERM received/m);
  assert.match(stdout, /^npq: stopped$/m);
  assert.ok(await refused(server.port), 'new connections are refused after the server stopped');

  // Every request the server says it answered, the client received whole.
  const logged = fs
    .readFileSync(server.accessLogPath, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l))
    .filter((e) => e.path === path && e.status === 200);
  assert.equal(logged.length, answered.length + 1, `the server logged ${logged.length} answers, the client received ${answered.length} (+1 reference)`);
});

test('requests still being sent when SIGTERM arrives are answered in full', async () => {
  const server = await startServer({ threads: 2 });
  const paths = ['/api/v1/frameworks/npqsl', '/api/v1/qualifications/NPQSL', '/qualifications/NPQSL', '/assets/govuk-frontend.min.css'];
  const expected = {};
  for (const p of paths) expected[p] = (await request(server.url, p)).body;

  // Accepted connections, each halfway through its request headers.
  const conns = [];
  for (let i = 0; i < 12; i++) {
    const p = paths[i % paths.length];
    const c = await connect(server.port);
    c.socket.write(`GET ${p} HTTP/1.1\r\nHost: 127.0.0.1\r\n`);
    conns.push({ p, ...c });
  }
  await new Promise((r) => setTimeout(r, 100)); // let the workers accept them
  server.proc.kill('SIGTERM');
  await poll(() => /SIGTERM received/.test(server.stdout()), { timeoutMs: 2000, intervalMs: 10 });
  await new Promise((r) => setTimeout(r, 300)); // the workers (waking every 100 ms) have stopped accepting
  assert.ok(await refused(server.port), 'no new connections once stopping');

  for (const c of conns) c.socket.write('Accept: */*\r\n\r\n');
  const responses = await Promise.all(conns.map((c) => c.done));
  for (const [i, raw] of responses.entries()) {
    const r = parseResponse(raw);
    assert.ok(r.headersComplete, `${conns[i].p}: a response (got ${raw.length} bytes: ${r.raw ?? ''})`);
    assert.equal(r.status, 200, conns[i].p);
    assert.ok(r.complete, `${conns[i].p}: whole body (${r.body.length} of ${r.headers['content-length']} bytes)`);
    assert.ok(r.body.equals(expected[conns[i].p]), `${conns[i].p}: the right body`);
  }
  const { stdout } = await server.stop();
  assert.match(stdout, /^npq: stopped$/m);
});

test('a large response read slowly after SIGTERM is delivered whole', async () => {
  const server = await startServer({ threads: 1 });
  const p = '/assets/govuk-frontend.min.css';
  const expected = (await request(server.url, p)).body;
  assert.ok(expected.length > 64 * 1024, 'big enough to fill the socket buffers');

  const c = await connect(server.port);
  c.socket.pause(); // do not read: the response waits in the server's send buffer
  c.socket.write(`GET ${p} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
  await new Promise((r) => setTimeout(r, 200));
  server.proc.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 300));
  c.socket.resume();
  const r = parseResponse(await c.done);
  assert.equal(r.status, 200);
  assert.ok(r.complete, `whole body (${r.body?.length} of ${r.headers?.['content-length']} bytes)`);
  assert.ok(r.body.equals(expected));
  const { stdout } = await server.stop();
  assert.match(stdout, /^npq: stopped$/m);
});

test('SIGINT stops the server the same way', async () => {
  const server = await startServer({ threads: 2 });
  assert.equal((await request(server.url, '/api/v1/health')).status, 200);
  const { stdout } = await server.stop({ signal: 'SIGINT' });
  assert.match(stdout, /^npq: SIGINT received/m);
  assert.match(stdout, /^npq: stopped$/m);
  assert.ok(await refused(server.port));
});

test('an idle keep-alive connection does not hold up shutdown', async () => {
  const server = await startServer({ threads: 1 });
  const c = await connect(server.port);
  // One request on a persistent connection, answered; then the client keeps it open, idle.
  c.socket.write('GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
  await poll(() => c.socket.bytesRead > 0, { timeoutMs: 2000, intervalMs: 10 });
  assert.ok(c.socket.bytesRead > 0, 'the request was answered');

  const t0 = Date.now();
  server.proc.kill('SIGTERM');
  const exitedInTime = await Promise.race([server.exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 3000))]);
  const waited = Date.now() - t0;
  c.socket.destroy(); // let a server that is still waiting go, so the test ends promptly either way
  const { stdout } = await server.stop();
  assert.match(stdout, /^npq: stopped$/m);
  assert.ok(exitedInTime, `with no request in flight the server should exit promptly; it was still running ${waited} ms after SIGTERM, waiting on an idle keep-alive connection`);
});
