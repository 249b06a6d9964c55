'use strict';
/*
 * Several servers on one database, as behind a load balancer: what one server does, every other
 * sees at once (a session made on one, a token revoked, a name changed), background work is done
 * once across them (a reminder), and with nginx in front of two, killing one loses no write that
 * was acknowledged, while the servers see the real client through the proxy they trust.
 *
 * On PostgreSQL when NPQ_TEST_POSTGRES names a server (make test-postgres-api); otherwise on one
 * SQLite file, which several processes on one machine share just as well.
 */
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const path = require('node:path');

const { request, makeTempDir } = require('./helpers');
const { SESSION_COOKIE, signIn } = require('./auth_helpers');
const { startSmtpSink } = require('../browser/smtp_sink');
const { prepareDb, serve, caller, programme, nowSeconds } = require('./calendar_helpers');

const SERVE_ARGS = ['--reminder-lead-seconds', '5', '--notify-interval-ms', '200', '--trusted-proxy', '127.0.0.1'];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let sink;
let db; // {dir, dbPath, tokens, ids, emails}
let dir;
let one;
let two;
let p;

async function serveLogged(name) {
  const log = path.join(dir, `${name}-access.log`);
  const s = await serve(db.dbPath, ['--smtp-url', sink.url, ...SERVE_ARGS, '--access-log', log]);
  s.accessLog = () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : []);
  return s;
}

before(async () => {
  sink = await startSmtpSink();
  dir = await makeTempDir();
  db = await prepareDb({ second: 'Sam Second-Participant' });
  one = await serveLogged('one');
  two = await serveLogged('two');
  p = await programme(one, db, { code: 'INSTANCES-2027-NW-1' });
  await p.enrol(db.ids.participant, db.ids.second);
});

after(async () => {
  for (const s of [one, two]) if (s) await s.stop();
  if (sink) await sink.stop();
});

test('a session made on one server works on the other, and signing out on the other ends it on both', async () => {
  const s = await signIn(one, db.emails.participant);
  const cookie = `${SESSION_COOKIE}=${s.cookie(SESSION_COOKIE)}`;
  for (const server of [one, two, two, one]) {
    const me = await request(server.url, '/api/v1/me', { headers: { cookie } });
    assert.equal(me.status, 200, `${server.url}: ${me.text}`);
    assert.equal(me.json().email, db.emails.participant);
  }
  const out = await s.post('/sign-out', {});
  assert.equal(out.status, 303, out.text);
  for (const server of [two, one]) assert.equal((await request(server.url, '/api/v1/me', { headers: { cookie } })).status, 401, `signed out on ${server.url}`);
});

test('a change made on one server is seen by the other at once', async () => {
  const mentor = caller(one, db.tokens.mentor);
  const made = await mentor('POST', '/api/v1/tokens', { name: 'two servers' });
  assert.equal(made.status, 201, made.text);
  const { id, token } = made.json();
  const onTwo = caller(two, token);
  for (let i = 0; i < 3; i++) assert.equal((await onTwo('GET', '/api/v1/me')).status, 200, 'the new token works on the other server');
  const revoked = await caller(one, token)('DELETE', `/api/v1/tokens/${id}`);
  assert.equal(revoked.status, 204, revoked.text);
  assert.equal((await onTwo('GET', '/api/v1/me')).status, 401, 'revoked on one, refused by the other at the next request');

  const admin = (server) => caller(server, db.tokens.admin);
  for (let round = 1; round <= 5; round++) {
    const [writer, reader] = round % 2 ? [one, two] : [two, one];
    const name = `Pat Participant ${round}`;
    const changed = await admin(writer)('PATCH', `/api/v1/users/${db.ids.participant}`, { name });
    assert.equal(changed.status, 200, changed.text);
    const seen = await admin(reader)('GET', `/api/v1/users/${db.ids.participant}`);
    assert.equal(seen.json().name, name, `round ${round}: the other server answers the new name`);
  }
});

test('a reminder is sent once, whichever server finds it due', async () => {
  const starts = nowSeconds() + 4;
  const id = await p.createEvent({ title: 'Twin webinar: data', kind: 'webinar', joining_url: 'https://meet.example.org/npq/twin', starts_at: starts, ends_at: starts + 3600 });
  await p.book(id, [db.ids.participant, db.ids.second]);
  const reminders = () => sink.messages().filter((m) => m.subject.startsWith('Reminder: Twin webinar: data'));
  const until = Date.now() + 15000;
  while (reminders().length < 2 && Date.now() < until) await sleep(100);
  await sleep(1500); // both servers look again, several times
  assert.deepEqual(
    reminders().map((m) => m.header('To')).sort(),
    [db.emails.participant, db.emails.second].sort(),
    'one reminder to each booked person, from either server, never two',
  );
});

/* ---------------------------------------------------------------- behind nginx */

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function startNginx(upstreams) {
  const probe = spawnSync('nginx', ['-v']);
  assert.ok(!probe.error, 'nginx is installed (scripts/install-deps.sh)');
  const home = await makeTempDir();
  fs.chmodSync(home, 0o755);
  const port = await freePort();
  const conf = path.join(home, 'nginx.conf');
  fs.writeFileSync(
    conf,
    `daemon off;
worker_processes 1;
pid ${home}/nginx.pid;
error_log ${home}/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${home}/body;
  proxy_temp_path ${home}/proxy;
  fastcgi_temp_path ${home}/fastcgi;
  uwsgi_temp_path ${home}/uwsgi;
  scgi_temp_path ${home}/scgi;
  upstream npq {
${upstreams.map((u) => `    server ${new URL(u).host} max_fails=1 fail_timeout=30s;`).join('\n')}
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://npq;
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_next_upstream error timeout;
    }
  }
}
`,
  );
  const proc = spawn('nginx', ['-c', conf, '-p', home, '-e', `${home}/error.log`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d) => (stderr += d));
  const killOnExit = () => proc.kill('SIGKILL');
  process.on('exit', killOnExit);
  const until = Date.now() + 10000;
  for (;;) {
    const up = await new Promise((resolve) => {
      const c = net.connect(port, '127.0.0.1', () => {
        c.end();
        resolve(true);
      });
      c.on('error', () => resolve(false));
    });
    if (up) break;
    assert.ok(proc.exitCode === null && Date.now() < until, `nginx did not start: ${stderr}`);
    await sleep(50);
  }
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      proc.kill('SIGQUIT');
      await new Promise((resolve) => (proc.exitCode !== null ? resolve() : proc.on('close', resolve)));
      process.off('exit', killOnExit);
    },
  };
}

/* A request from a loopback address of our choosing, so a proxy has a client to name. */
function requestFrom(localAddress, url, { method = 'GET', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers: { connection: 'close', ...headers }, localAddress }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('through nginx the servers see the real client, and a client talking to them directly cannot pass for another', async () => {
  const nginx = await startNginx([one.url, two.url]);
  try {
    for (let i = 0; i < 4; i++) {
      const r = await requestFrom('127.0.0.2', `${nginx.url}/api/v1/qualifications?through=nginx`, { headers: { 'x-forwarded-for': '203.0.113.66' } });
      assert.equal(r.status, 200, r.text);
    }
    const direct = await requestFrom('127.0.0.3', `${two.url}/api/v1/qualifications?through=none`, { headers: { 'x-forwarded-for': '203.0.113.77' } });
    assert.equal(direct.status, 200, direct.text);
    // Each loop writes its access log at most once a second, when a request ends: nudge them.
    let seen = [];
    for (let round = 0; round < 10 && seen.filter((e) => /through=/.test(e.path)).length < 5; round++) {
      await sleep(400);
      for (const server of [one, two]) for (let i = 0; i < 4; i++) await request(server.url, '/api/v1/qualifications?flush=1');
      seen = [...one.accessLog(), ...two.accessLog()];
    }
    const proxied = seen.filter((e) => e.path.includes('through=nginx'));
    assert.equal(proxied.length, 4, JSON.stringify(seen.slice(-8)));
    assert.ok(new Set(proxied.map((e) => e.client)).size === 1 && proxied[0].client === '127.0.0.2', `the client nginx saw, not nginx nor what the client wrote: ${JSON.stringify(proxied)}`);
    const notProxied = seen.filter((e) => e.path.includes('through=none'));
    assert.deepEqual(notProxied.map((e) => e.client), ['127.0.0.3'], 'a forwarded address from a peer that is not a trusted proxy is ignored');
  } finally {
    await nginx.stop();
  }
});

test('killing one of two servers behind nginx loses no acknowledged write', async () => {
  const third = await serveLogged('three');
  const nginx = await startNginx([one.url, third.url]);
  try {
    const admin = (pathname, body) =>
      request(nginx.url, pathname, {
        method: body ? 'POST' : 'GET',
        headers: { authorization: `Bearer ${db.tokens.admin}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
    const orgs = (await admin('/api/v1/organisations')).json().organisations;
    const partner = orgs.find((o) => o.kind === 'delivery_partner');
    const acknowledged = [];
    let refused = 0;
    let killed = false;
    const writers = Array.from({ length: 4 }, async (_, w) => {
      for (let i = 0; i < 40; i++) {
        if (w === 0 && i === 10 && !killed) {
          killed = true;
          third.proc.kill('SIGKILL');
        }
        const name = `Room ${w}-${i}`;
        let r;
        try {
          r = await admin('/api/v1/venues', { delivery_partner_id: partner.id, name, address: '2 Quay Street, Manchester', postcode: 'M3 3JE', capacity: 20 });
        } catch {
          refused++;
          continue;
        }
        if (r.status === 201) acknowledged.push({ id: r.json().id, name });
        else refused++;
      }
    });
    await Promise.all(writers);
    assert.ok(killed, 'one server was killed mid-way');
    assert.ok(acknowledged.length >= 100, `most writes were acknowledged (${acknowledged.length}, ${refused} not)`);
    const listed = await caller(one, db.tokens.admin)('GET', `/api/v1/venues?partner_id=${partner.id}&limit=500`);
    assert.equal(listed.status, 200, listed.text);
    const stored = new Map(listed.json().venues.map((v) => [v.id, v.name]));
    for (const { id, name } of acknowledged) assert.equal(stored.get(id), name, `acknowledged venue ${id} (${name}) is stored`);
  } finally {
    await nginx.stop();
    if (third.proc.exitCode === null && third.proc.signalCode === null) await third.stop();
  }
});

test('the public base URL is configuration: a server started without --base-url keeps the one given before', async () => {
  const fresh = await prepareDb();
  const base = 'https://npq.example.org';
  const feedUrl = async (server) => {
    const made = await caller(server, fresh.tokens.participant)('POST', '/api/v1/calendar-feed');
    assert.equal(made.status, 201, made.text);
    return made.json().url;
  };
  const first = await serve(fresh.dbPath, ['--base-url', base]);
  try {
    assert.ok((await feedUrl(first)).startsWith(`${base}/calendar/`));
  } finally {
    await first.stop();
  }
  // Two more instances on their own ports, neither told the address: both use the configured one.
  const started = [];
  try {
    for (let i = 0; i < 2; i++) started.push(await serve(fresh.dbPath));
    for (const server of [...started, started[0]]) {
      const url = await feedUrl(server);
      assert.ok(url.startsWith(`${base}/calendar/`), `${server.url} links to ${base}, not to itself: ${url}`);
    }
  } finally {
    for (const server of started) await server.stop();
  }
});
