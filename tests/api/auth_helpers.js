'use strict';
/*
 * Shared code for the accounts, roles and sign-in tests (authz_matrix.test.js, auth.test.js):
 * the demo people with an API token each, browser-like sessions that keep cookies and send CSRF
 * tokens, API callers with bearer tokens, a server started with extra `npq serve` options, and
 * the emails a server without --smtp-url prints on its standard output.
 *
 * Builds on helpers.js (startServer, runNpq...) without changing it.
 */
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const path = require('node:path');

const { NPQ_BIN, makeTempDir, newDatabaseLocation, initDb, runNpq, startServer, request, poll } = require('./helpers');

const DEMO_PASSWORD = 'blended-learning-at-local-venues';
const ROLES = ['admin', 'partner_lead', 'facilitator', 'coach', 'assessor', 'participant', 'mentor', 'headteacher'];
const SESSION_COOKIE = 'npq_session';
const VISITOR_COOKIE = 'npq_visitor';

function demoEmail(role) {
  return role === 'partner_lead' ? 'partner.lead@demo.npq.test' : `${role}@demo.npq.test`;
}

/* ---------------------------------------------------------------- cookies and sessions */

/* Parses one Set-Cookie header into {name, value, attrs (lower-case keys), raw}. */
function parseSetCookie(raw) {
  const [pair, ...rest] = raw.split(';');
  const eq = pair.indexOf('=');
  const attrs = {};
  for (const part of rest) {
    const p = part.trim();
    if (!p) continue;
    const i = p.indexOf('=');
    if (i === -1) attrs[p.toLowerCase()] = true;
    else attrs[p.slice(0, i).trim().toLowerCase()] = p.slice(i + 1).trim();
  }
  return { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), attrs, raw };
}

/* Every Set-Cookie of a response (the headers of helpers.request or of fetch). */
function setCookies(headers) {
  const list = typeof headers.getSetCookie === 'function' ? headers.getSetCookie() : [];
  return list.map(parseSetCookie);
}

/* The Set-Cookie for name in a response, or undefined. */
function findSetCookie(response, name) {
  return setCookies(response.headers).find((c) => c.name === name);
}

/* The hidden csrf_token of the first form in an HTML page, or null. */
function csrfFromHtml(html) {
  const m = /<input[^>]*name="csrf_token"[^>]*value="([^"]*)"/.exec(html) || /<input[^>]*value="([^"]*)"[^>]*name="csrf_token"/.exec(html);
  return m ? m[1] : null;
}

function formBody(fields) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(fields || {})) {
    if (v === undefined || v === null) continue;
    for (const one of Array.isArray(v) ? v : [v]) params.append(k, String(one)); /* a list: checkboxes */
  }
  return params.toString();
}

/*
 * A browser-like visitor of one server: keeps the cookies it is given (a Set-Cookie with an empty
 * value or Max-Age=0 removes one), never follows redirects, and puts a CSRF token in its form POSTs
 * (read from a page with a form: /account when signed in, else /sign-in) unless told not to.
 */
class Session {
  constructor(server, label = 'visitor') {
    this.server = server;
    this.label = label;
    this.cookies = new Map();
    this.csrfCache = new Map(); // binding cookie value -> token
  }

  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  cookie(name) {
    return this.cookies.get(name);
  }

  /* A new session object with a copy of these cookies: "another tab", or a stolen cookie. */
  clone(label = `${this.label} (copy)`) {
    const s = new Session(this.server, label);
    for (const [k, v] of this.cookies) s.cookies.set(k, v);
    return s;
  }

  keep(response) {
    for (const c of setCookies(response.headers)) {
      if (c.value === '' || c.attrs['max-age'] === '0') this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    return response;
  }

  /* Any request with this session's cookies; headers and body as helpers.request takes them. */
  async request(method, pathname, { headers = {}, body } = {}) {
    const h = { ...headers };
    if (this.cookies.size > 0 && h.cookie === undefined) h.cookie = this.cookieHeader();
    return this.keep(await request(this.server.url, pathname, { method, headers: h, body }));
  }

  get(pathname, opts) {
    return this.request('GET', pathname, opts);
  }

  /* The CSRF token that goes with the current cookies, from a page with a form. */
  async csrfToken({ fresh = false } = {}) {
    const binding = this.cookie(SESSION_COOKIE) || this.cookie(VISITOR_COOKIE);
    if (!fresh && binding && this.csrfCache.has(binding)) return this.csrfCache.get(binding);
    const page = this.cookie(SESSION_COOKIE) ? '/account' : '/sign-in';
    let r = await this.get(page);
    if (r.status === 303) r = await this.get('/sign-in'); // the session ended: a visitor's form
    const token = csrfFromHtml(r.text);
    assert.ok(token, `${this.label}: GET ${page} (${r.status}) has a form with a csrf_token`);
    const now = this.cookie(SESSION_COOKIE) || this.cookie(VISITOR_COOKIE);
    if (now) this.csrfCache.set(now, token);
    return token;
  }

  /*
   * A form POST (application/x-www-form-urlencoded). csrf: true (read it from a page), false (send
   * none), or a string to send as it is.
   */
  async post(pathname, fields = {}, { csrf = true, headers = {} } = {}) {
    const f = { ...fields };
    if (csrf === true) f.csrf_token = await this.csrfToken();
    else if (typeof csrf === 'string') f.csrf_token = csrf;
    return this.request('POST', pathname, {
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: formBody(f),
    });
  }

  /*
   * A JSON API call with the session cookie: X-CSRF-Token is sent on unsafe methods unless
   * csrf is false (or a string to send instead).
   */
  async api(method, pathname, { body, csrf = true, headers = {}, contentType } = {}) {
    const h = { ...headers };
    const unsafe = !['GET', 'HEAD', 'OPTIONS'].includes(method);
    if (unsafe && csrf === true) h['x-csrf-token'] = await this.csrfToken();
    else if (unsafe && typeof csrf === 'string') h['x-csrf-token'] = csrf;
    let payload = body;
    if (body !== undefined) {
      if (typeof body !== 'string' && !Buffer.isBuffer(body)) payload = JSON.stringify(body);
      h['content-type'] = contentType || 'application/json';
    }
    return this.request(method, pathname, { headers: h, body: payload });
  }

  /* Whether the session cookie still signs in: GET /api/v1/me answers 200. */
  async signedIn() {
    const r = await this.get('/api/v1/me');
    return r.status === 200;
  }
}

/* A visitor who has opened the sign-in page: a visitor cookie, no session. */
async function visitor(server, label = 'visitor') {
  const s = new Session(server, label);
  await s.csrfToken();
  return s;
}

/* Submits the sign-in form from session s; resolves the response. */
async function submitSignIn(s, email, password, extra = {}) {
  return s.post('/sign-in', { email, password, next: '/account', ...extra });
}

/* Signs in through the form; resolves a Session holding the session cookie (asserts 303). */
async function signIn(server, email, password = DEMO_PASSWORD, label = email) {
  const s = await visitor(server, label);
  const r = await submitSignIn(s, email, password);
  assert.equal(r.status, 303, `sign in as ${email}: status ${r.status}\n${r.text.slice(0, 400)}`);
  assert.ok(s.cookie(SESSION_COOKIE), `sign in as ${email} set ${SESSION_COOKIE}`);
  s.lastSignIn = r;
  return s;
}

/* ---------------------------------------------------------------- API callers */

/*
 * A caller of the JSON API with a bearer token (null: anonymous, no credentials at all).
 * Bodies that are not strings or Buffers are sent as JSON.
 */
function apiAs(server, token, label = token ? 'token' : 'anonymous') {
  async function call(method, pathname, { body, headers = {}, contentType } = {}) {
    const h = { ...headers };
    if (token) h.authorization = `Bearer ${token}`;
    let payload = body;
    if (body !== undefined) {
      if (typeof body !== 'string' && !Buffer.isBuffer(body)) payload = JSON.stringify(body);
      h['content-type'] = contentType || 'application/json';
    }
    return request(server.url, pathname, { method, headers: h, body: payload });
  }
  return {
    label,
    token,
    request: call,
    get: (p, o) => call('GET', p, o),
    post: (p, body, o = {}) => call('POST', p, { ...o, body }),
    patch: (p, body, o = {}) => call('PATCH', p, { ...o, body }),
    put: (p, body, o = {}) => call('PUT', p, { ...o, body }),
    delete: (p, o) => call('DELETE', p, o),
    /* GET and assert 200 JSON; returns the parsed body. */
    async json(p) {
      const r = await call('GET', p);
      assert.equal(r.status, 200, `${label}: GET ${p} → ${r.status} ${r.text.slice(0, 300)}`);
      return r.json();
    },
  };
}

/* ---------------------------------------------------------------- the demo people */

/* `npq token create`; resolves the token text (the only thing on stdout). */
async function createToken(dbPath, email, name = 'tests') {
  const r = await runNpq(['token', 'create', '--db', dbPath, '--email', email, '--name', name]);
  assert.equal(r.code, 0, `npq token create for ${email}: ${r.stderr}`);
  const token = r.stdout.trim();
  assert.match(token, /^npq_\S+$/, `npq token create printed only a token: ${JSON.stringify(r.stdout)}`);
  return token;
}

/* `npq user add ... --password-stdin`; resolves the new id. */
async function addUser(dbPath, { email, name, role, organisation, password = DEMO_PASSWORD }) {
  const args = ['user', 'add', '--db', dbPath, '--email', email, '--name', name, '--role', role, '--password-stdin'];
  if (organisation) args.push('--organisation', String(organisation));
  const r = await runNpq(args, { input: `${password}\n` });
  assert.equal(r.code, 0, `npq user add ${email}: ${r.stderr}`);
  return Number(r.stdout.trim());
}

/* `npq user list`: {email: {id, name, active, roles}}. */
async function listUsers(dbPath) {
  const r = await runNpq(['user', 'list', '--db', dbPath]);
  assert.equal(r.code, 0, r.stderr);
  const out = {};
  for (const line of r.stdout.split('\n').filter(Boolean)) {
    const [id, email, name, state, roles] = line.split('\t');
    out[email] = { id: Number(id), name, active: state === 'active', roles: roles ? roles.split(',') : [] };
  }
  return out;
}

/*
 * A new database with the demo people (`npq demo`), any extra people ({key: {email, name, role,
 * organisation?}}), and an API token for every demo role and extra person. Resolves
 * {dir, dbPath, tokens: {key: token}, ids: {key: id}, emails: {key: email}}.
 */
async function prepareDemoDb({ extraUsers = {} } = {}) {
  const dir = await makeTempDir();
  const dbPath = newDatabaseLocation(dir);
  await initDb(dbPath);
  const demo = await runNpq(['demo', '--db', dbPath]);
  assert.equal(demo.code, 0, `npq demo: ${demo.stderr}`);
  const emails = Object.fromEntries(ROLES.map((r) => [r, demoEmail(r)]));
  for (const [key, u] of Object.entries(extraUsers)) {
    await addUser(dbPath, u);
    emails[key] = u.email;
  }
  const tokens = {};
  await Promise.all(
    Object.entries(emails).map(async ([key, email]) => {
      tokens[key] = await createToken(dbPath, email, `matrix ${key}`);
    }),
  );
  const users = await listUsers(dbPath);
  const ids = Object.fromEntries(Object.entries(emails).map(([k, e]) => [k, users[e].id]));
  return { dir, dbPath, tokens, ids, emails };
}

/* prepareDemoDb, then a server on it (startServer's options, or serveArgs for extra flags). */
async function startDemoServer({ extraUsers, serveArgs, ...opts } = {}) {
  const demo = await prepareDemoDb({ extraUsers });
  const server = serveArgs ? await startServerWithArgs(serveArgs, { ...opts, db: demo.dbPath }) : await startServer({ ...opts, db: demo.dbPath });
  return { server, ...demo };
}

/* ---------------------------------------------------------------- serve with extra options */

const LISTENING = /^npq: listening on (http:\/\/\S+?)\/ with (\d+) threads/m;
const SANITIZER_REPORT = /ERROR: (Address|Leak|Undefined|Thread)Sanitizer|runtime error: |SUMMARY: \w+Sanitizer/;
const SANITIZER_ENV = {
  ASAN_OPTIONS: 'abort_on_error=0:exitcode=86',
  UBSAN_OPTIONS: 'halt_on_error=1:print_stacktrace=1',
  LSAN_OPTIONS: `suppressions=${path.join(__dirname, '../lsan.supp')}`,
};

/*
 * `npq serve` with extra arguments (--session-idle, --secure-cookies...), which startServer does
 * not pass. Same shape of result as startServer: {url, dbPath, stdout(), stderr(), stop()}.
 */
async function startServerWithArgs(extraArgs, { db, threads = 2, env } = {}) {
  let dbPath = db;
  const dir = await makeTempDir();
  if (!dbPath) {
    dbPath = newDatabaseLocation(dir);
    await initDb(dbPath);
  }
  const args = ['serve', '--db', dbPath, '--listen', '127.0.0.1:0', '--access-log', 'off', '--threads', String(threads), ...extraArgs];
  const fullEnv = { ...process.env };
  for (const [k, v] of Object.entries(SANITIZER_ENV)) if (!fullEnv[k]) fullEnv[k] = v;
  delete fullEnv.NPQ_DB;
  delete fullEnv.NPQ_LISTEN;
  Object.assign(fullEnv, env || {});
  const proc = spawn(NPQ_BIN, args, { env: fullEnv, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
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
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`npq ${args.join(' ')} did not start in 10 s\n${stdout}\n${stderr}`));
    }, 10000);
    const onData = () => {
      const m = LISTENING.exec(stdout);
      if (m) {
        clearTimeout(timer);
        proc.stdout.off('data', onData);
        resolve(m[1]);
      }
    };
    proc.stdout.on('data', onData);
    proc.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`npq ${args.join(' ')} exited with ${code} (${signal}) before listening\n${stdout}\n${stderr}`));
    });
  });
  for (const h of [proc, proc.stdout, proc.stderr]) h.unref();
  let stopping = null;
  return {
    url,
    port: Number(new URL(url).port),
    dbPath,
    dir,
    proc,
    stdout: () => stdout,
    stderr: () => stderr,
    stop() {
      if (stopping) return stopping;
      stopping = (async () => {
        for (const h of [proc, proc.stdout, proc.stderr]) h.ref();
        if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
        const result = await exited;
        process.off('exit', killOnExit);
        assert.doesNotMatch(stderr, SANITIZER_REPORT, `npq serve reported a sanitizer error\n${stderr}`);
        assert.equal(result.code, 0, `npq serve exited with ${result.code} (${result.signal})\n${stderr}`);
        return { ...result, stdout, stderr };
      })();
      return stopping;
    },
  };
}

/* ---------------------------------------------------------------- mail printed on stdout */

/*
 * The mails a server without --smtp-url printed so far: [{to, subject, body, links}], in order.
 * links are the paths of this site's one-time links in the body (/invitation/T, /password-reset/T).
 */
function printedMails(server) {
  const text = server.stdout();
  const mails = [];
  const re = /^npq: mail to (\S+): (.*)\n([\s\S]*?)^-{20,}$/gm;
  let m;
  while ((m = re.exec(text)) !== null) {
    const body = m[3];
    const links = [...body.matchAll(/https?:\/\/\S+?(\/(?:invitation|password-reset)\/[A-Za-z0-9_-]+)/g)].map((x) => x[1]);
    mails.push({ to: m[1], subject: m[2], body, links });
  }
  return mails;
}

/* How many mails to email so far carry a link of kind ('invitation' or 'password-reset'). */
function countLinks(server, email, kind) {
  return printedMails(server).filter((m) => m.to === email && m.links.some((l) => l.startsWith(`/${kind}/`))).length;
}

/*
 * Waits until more than `before` mails to email carry a link of kind, and resolves the path of the
 * newest such link (/invitation/TOKEN). Take `before` from countLinks just before the action that
 * sends the mail, so an older link is never mistaken for the new one.
 */
async function waitForLink(server, email, kind, before = 0, timeoutMs = 5000) {
  const found = await poll(
    () => {
      const mails = printedMails(server).filter((m) => m.to === email && m.links.some((l) => l.startsWith(`/${kind}/`)));
      return mails.length > before ? mails[mails.length - 1].links.find((l) => l.startsWith(`/${kind}/`)) : null;
    },
    { timeoutMs, intervalMs: 50 },
  );
  assert.ok(found, `a mail to ${email} with a /${kind}/ link is printed on stdout within ${timeoutMs} ms\nstdout:\n${server.stdout().slice(-2000)}`);
  return found;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

module.exports = {
  DEMO_PASSWORD,
  ROLES,
  SESSION_COOKIE,
  VISITOR_COOKIE,
  demoEmail,
  parseSetCookie,
  setCookies,
  findSetCookie,
  csrfFromHtml,
  formBody,
  Session,
  visitor,
  submitSignIn,
  signIn,
  apiAs,
  createToken,
  addUser,
  listUsers,
  prepareDemoDb,
  startDemoServer,
  startServerWithArgs,
  printedMails,
  countLinks,
  waitForLink,
  sleep,
};
