'use strict';
/*
 * The soak: a mixed load like a programme's working day, at 256 connections for a bounded time,
 * against a server of its own on the demo programme (`npq demo --programme`). Each connection is
 * a person doing one thing after another: signing in, opening their home page, reading lists,
 * logging and removing hours, booking and giving up a place, saving a draft. It reports
 * throughput, p50/p99 latency per kind and overall, and the server's peak memory, and fails
 * (exit 1) on any error, any 5xx or any answer other than the one the action expects.
 *
 *   node bench/soak.js                 (make soak)
 *   SOAK_SECONDS=120 SOAK_CONNECTIONS=256 NPQ_BIN=build/npq node bench/soak.js
 *
 * It targets 127.0.0.1 only (spread over 127.0.0.1 to .8, under the per-client connection cap)
 * and stops its server by itself.
 */
const http = require('node:http');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn, execFileSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..');
const NPQ = process.env.NPQ_BIN ? path.resolve(process.env.NPQ_BIN) : path.join(ROOT, 'build/npq');
const SECONDS = Number(process.env.SOAK_SECONDS || 60);
const CONNECTIONS = Number(process.env.SOAK_CONNECTIONS || 256);
const ADDRESSES = 8;
const DEMO_PASSWORD = 'blended-learning-at-local-venues';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'npq-soak-'));
const db = path.join(work, 'npq.db');
const npq = (...args) => execFileSync(NPQ, [...args, '--db', db], { encoding: 'utf8' });

function startServer() {
  return new Promise((resolve, reject) => {
    const proc = spawn(NPQ, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--threads', '2', '--access-log', 'off'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NPQ_SMTP_URL: 'log' },
    });
    let out = '';
    proc.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+?)\//.exec(out);
      if (m) resolve({ proc, base: new URL(m[1]) });
    });
    proc.stderr.on('data', (d) => process.stderr.write(d));
    proc.on('exit', (code) => reject(new Error(`npq serve exited with ${code}`)));
  });
}

let base;
const agents = Array.from({ length: ADDRESSES }, (_, i) => new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS, localAddress: `127.0.0.${i + 1}` }));

/* One request; resolves {status, text, headers, ms}. Never rejects: a failure is status 0. */
function send(agent, method, pathname, { headers = {}, body } = {}) {
  const started = process.hrtime.bigint();
  return new Promise((resolve) => {
    const req = http.request({ host: base.hostname, port: base.port, method, path: pathname, agent, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString('utf8'), ms: Number(process.hrtime.bigint() - started) / 1e6 }),
      );
      res.on('error', (e) => resolve({ status: 0, error: e.message, ms: 0 }));
    });
    req.on('error', (e) => resolve({ status: 0, error: e.message, ms: 0 }));
    if (body !== undefined) req.end(body);
    else req.end();
  });
}

const json = (token, method, pathname, value) =>
  (agent) => send(agent, method, pathname, {
    headers: { authorization: `Bearer ${token}`, ...(value !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: value !== undefined ? JSON.stringify(value) : undefined,
  });

function cookiesOf(headers, jar) {
  for (const c of headers['set-cookie'] || []) {
    const [pair] = c.split(';');
    const at = pair.indexOf('=');
    jar[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return jar;
}
const cookieHeader = (jar) => Object.entries(jar).map(([k, v]) => `${k}=${v}`).join('; ');

/* Signing in through the form, as a browser does: the page, then the POST with its CSRF token. */
async function signIn(agent, email) {
  const page = await send(agent, 'GET', '/sign-in');
  const jar = cookiesOf(page.headers, {});
  const csrf = /name="csrf_token" value="([^"]+)"/.exec(page.text)?.[1];
  const form = new URLSearchParams({ email, password: DEMO_PASSWORD, csrf_token: csrf || '', next: '/' }).toString();
  const r = await send(agent, 'POST', '/sign-in', { headers: { cookie: cookieHeader(jar), 'content-type': 'application/x-www-form-urlencoded' }, body: form });
  cookiesOf(r.headers, jar);
  return { page, r, jar };
}

const stats = new Map(); /* kind -> {ms: [], bad: [{status, text}]} */
function record(kind, r, expected) {
  if (!stats.has(kind)) stats.set(kind, { ms: [], bad: [] });
  const s = stats.get(kind);
  if (expected.includes(r.status)) s.ms.push(r.ms);
  else if (s.bad.length < 5 || r.status >= 500 || r.status === 0) s.bad.push({ status: r.status, text: (r.error || r.text || '').slice(0, 200) });
  else s.bad.push({ status: r.status });
}

const percentile = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] : 0);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

(async () => {
  execFileSync(NPQ, ['init', '--db', db], { stdio: 'ignore' });
  execFileSync(NPQ, ['demo', '--programme', '--db', db], { stdio: 'ignore' });
  const people = npq('user', 'list').trim().split('\n').map((line) => {
    const [id, email, name, state, role] = line.split('\t');
    return { id: Number(id), email, name, state, role };
  });
  for (const p of people) p.token = /\b(npq_[A-Za-z0-9_-]+)/.exec(npq('token', 'create', '--email', p.email, '--name', 'soak'))[1];

  const { proc, base: url } = await startServer();
  base = url;
  const agent0 = agents[0];
  const admin = people.find((p) => p.role === 'admin');
  const participants = people.filter((p) => p.role === 'participant');
  const today = new Date().toISOString().slice(0, 10);

  /* What each participant can do: their enrolment, a future event of their cohort with room, a draft. */
  const events = JSON.parse((await json(admin.token, 'GET', '/api/v1/events?limit=200')(agent0)).text);
  const eventList = events.events;
  for (const p of participants) {
    const enrolments = JSON.parse((await json(p.token, 'GET', '/api/v1/enrolments')(agent0)).text);
    const list = enrolments.enrolments;
    const live = list.find((e) => e.state === 'active');
    p.enrolment = live?.id;
    p.cohort = live?.cohort?.id;
    p.module = live?.electives?.[0];
    p.event = eventList.find((e) => e.cohort?.id === p.cohort && Date.parse(e.starts_at) > Date.now() && !e.cancelled && e.places_left > 0);
    const subs = JSON.parse((await json(p.token, 'GET', '/api/v1/submissions')(agent0)).text);
    p.draft = subs.submissions.find((s) => s.state === 'draft');
  }
  const actors = participants.filter((p) => p.enrolment && p.module);

  /* The actions, by weight. Each returns after its requests; a pair (add, remove) keeps the data steady. */
  const actions = [
    [20, 'home page', async (agent, vu) => record('home page', await send(agent, 'GET', '/', { headers: { cookie: cookieHeader(vu.jar) } }), [200])],
    [15, 'me/home', async (agent, vu) => record('me/home', await json(vu.person.token, 'GET', '/api/v1/me/home')(agent), [200])],
    [15, 'list', async (agent) => {
      const which = ['/api/v1/events?limit=50', '/api/v1/users?limit=50', '/api/v1/enrolments?limit=50', '/api/v1/applications?limit=50'][Math.floor(Math.random() * 4)];
      record('list', await json(admin.token, 'GET', which)(agent), [200]);
    }],
    [10, 'page list', async (agent, vu) => {
      const page = ['/delivery', `/enrolments/${vu.person.enrolment}/hours`, '/coaching', `/enrolments/${vu.person.enrolment}/course`][Math.floor(Math.random() * 4)];
      const r = await send(agent, 'GET', page, { headers: { cookie: cookieHeader(vu.jar) } });
      record('page list', r.status === 200 ? r : { ...r, text: `${page}: ${r.headers?.location || r.text}` }, [200]);
    }],
    [12, 'hours', async (agent, vu) => {
      const p = vu.person;
      const made = await json(p.token, 'POST', `/api/v1/enrolments/${p.enrolment}/activities`, { module: p.module, type: 'reading', done_on: today, hours: 0.25 })(agent);
      record('hours', made, [201]);
      if (made.status === 201) record('hours', await json(p.token, 'DELETE', `/api/v1/enrolments/${p.enrolment}/activities/${JSON.parse(made.text).id}`)(agent), [200, 204]);
    }],
    [10, 'booking', async (agent, vu) => {
      const p = vu.person;
      if (!p.event) return;
      const booked = await json(p.token, 'POST', `/api/v1/events/${p.event.id}/bookings`, {})(agent);
      record('booking', booked, [200, 201, 409]); /* 409: another of this person's connections holds it */
      if (booked.status !== 409) record('booking', await json(p.token, 'DELETE', `/api/v1/events/${p.event.id}/bookings/${p.id}`)(agent), [200, 204, 404]);
    }],
    [8, 'draft', async (agent, vu) => {
      const p = vu.person;
      if (!p.draft) return;
      record('draft', await json(p.token, 'PATCH', `/api/v1/submissions/${p.draft.id}`, { text: `Draft saved at ${Date.now()}: what we did and what we found.` })(agent), [200]);
    }],
    [2, 'sign-in', async (agent, vu) => {
      const { r, jar } = await signIn(agent, vu.person.email);
      record('sign-in', r, [303]);
      if (r.status === 303) vu.jar = jar;
    }],
  ];
  const totalWeight = actions.reduce((n, [w]) => n + w, 0);
  const pick = () => {
    let x = Math.random() * totalWeight;
    for (const a of actions) if ((x -= a[0]) < 0) return a;
    return actions[0];
  };

  /* Memory, sampled while the load runs. */
  const memory = () => {
    const status = fs.readFileSync(`/proc/${proc.pid}/status`, 'utf8');
    return (name) => Math.round(Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)[1]) / 1024);
  };
  const rssBefore = memory()('VmRSS');

  const vus = [];
  for (let i = 0; i < CONNECTIONS; i++) {
    const person = actors[i % actors.length];
    const agent = agents[i % ADDRESSES];
    const { r, jar } = await signIn(agent, person.email);
    if (r.status !== 303) throw new Error(`set-up: signing in as ${person.email} answered ${r.status}`);
    vus.push({ person, agent, jar });
  }

  const started = Date.now();
  const until = started + SECONDS * 1000;
  let requests = 0;
  const countRequests = () => [...stats.values()].reduce((n, s) => n + s.ms.length + s.bad.length, 0);
  await Promise.all(
    vus.map(async (vu) => {
      while (Date.now() < until) await pick()[2](vu.agent, vu);
    }),
  );
  const elapsed = (Date.now() - started) / 1000;
  requests = countRequests();
  const mem = memory();
  const peak = mem('VmHWM');
  const rssAfter = mem('VmRSS');
  proc.kill('SIGTERM');
  await new Promise((r) => proc.on('exit', r));
  for (const a of agents) a.destroy();

  const all = [];
  let bad = 0;
  const lines = [];
  for (const [kind, s] of [...stats.entries()].sort()) {
    const sorted = s.ms.slice().sort((a, b) => a - b);
    all.push(...s.ms);
    bad += s.bad.length;
    lines.push(`  ${kind.padEnd(10)} ${String(s.ms.length).padStart(8)} ok ${String(s.bad.length).padStart(5)} bad   p50 ${percentile(sorted, 50).toFixed(1).padStart(6)} ms   p99 ${percentile(sorted, 99).toFixed(1).padStart(6)} ms`);
  }
  all.sort((a, b) => a - b);
  console.log(`soak: ${CONNECTIONS} connections for ${elapsed.toFixed(0)} s, ${actors.length} participants and ${people.length - actors.length} staff of the demo programme`);
  console.log(`  requests   ${requests} (${Math.round(requests / elapsed)}/s), ${bad} bad`);
  console.log(`  latency    p50 ${percentile(all, 50).toFixed(1)} ms, p99 ${percentile(all, 99).toFixed(1)} ms`);
  console.log(`  memory     ${rssBefore} MiB before, peak ${peak} MiB, ${rssAfter} MiB at the end`);
  console.log(lines.join('\n'));
  for (const [kind, s] of stats) for (const b of s.bad.slice(0, 5)) console.log(`  bad ${kind}: ${b.status} ${b.text || ''}`);
  fs.rmSync(work, { recursive: true, force: true });
  process.exit(bad === 0 && requests > 0 ? 0 : 1);
})().catch((e) => {
  console.error(`soak: ${e.stack || e}`);
  process.exit(1);
});
