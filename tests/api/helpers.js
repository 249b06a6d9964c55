'use strict';
/*
 * Shared helpers for the black-box API tests: run the real binary on a temporary database.
 *
 *   NPQ_BIN=build/npq      node --test --test-concurrency=1 tests/api/
 *   NPQ_BIN=build-asan/npq node --test --test-concurrency=1 tests/api/
 *
 * NPQ_BIN is resolved against the repository root, so the suite can be started from anywhere.
 *
 * NPQ_TEST_POSTGRES=postgresql://USER@HOST:PORT runs every server on a new database of that
 * PostgreSQL server instead of a SQLite file (`make test-postgres-api`, through
 * scripts/with-postgres.sh): npq creates a database it is given and does not find.
 */
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const fsp = require('node:fs/promises');
const os = require('node:os');
const path = require('node:path');

const REPO = path.join(__dirname, '../..');
const NPQ_BIN = path.resolve(REPO, process.env.NPQ_BIN || 'build/npq');
const DEFAULT_CATALOGUE = path.join(REPO, 'catalogue/default.json');

/*
 * Sanitizer settings, as `make test` sets them, unless the caller set their own: stop at the first
 * UBSan error, make ASan failures exit non-zero, and suppress only the memory libh2o keeps for its
 * event loops until exit (tests/lsan.supp). Harmless for the plain build.
 */
const SANITIZER_ENV = {
  ASAN_OPTIONS: 'abort_on_error=0:exitcode=86',
  UBSAN_OPTIONS: 'halt_on_error=1:print_stacktrace=1',
  LSAN_OPTIONS: `suppressions=${path.join(REPO, 'tests/lsan.supp')}`,
};

/* What ASan, LSan and UBSan print when they find something. */
const SANITIZER_REPORT = /ERROR: (Address|Leak|Undefined|Thread)Sanitizer|runtime error: |SUMMARY: \w+Sanitizer/;

function npqEnv(extra) {
  const env = { ...process.env };
  for (const [k, v] of Object.entries(SANITIZER_ENV)) if (!env[k]) env[k] = v;
  // The tests choose --db and --listen themselves unless they pass these on purpose.
  delete env.NPQ_DB;
  delete env.NPQ_LISTEN;
  for (const [k, v] of Object.entries(extra || {})) {
    if (v === undefined || v === null) delete env[k];
    else env[k] = String(v);
  }
  return env;
}

/*
 * NPQ_RECORD_RESPONSES=FILE appends every JSON answer from /api/v1 that this process receives
 * (method, path, status, body) to FILE, one line each, for tests/conformance/ to check against the
 * OpenAPI document. The copy is read beside the test's own reading and never delays it.
 */
if (process.env.NPQ_RECORD_RESPONSES) {
  const record = process.env.NPQ_RECORD_RESPONSES;
  const plainFetch = globalThis.fetch;
  globalThis.fetch = async (resource, init) => {
    const res = await plainFetch(resource, init);
    const url = new URL(resource instanceof Request ? resource.url : String(resource));
    const method = (init?.method || (resource instanceof Request ? resource.method : 'GET')).toUpperCase();
    if (url.pathname.startsWith('/api/v1/') && /^application\/json\b/.test(res.headers.get('content-type') || '')) {
      res
        .clone()
        .text()
        .then((text) => {
          const line = JSON.stringify({ method, path: url.pathname, status: res.status, body: JSON.parse(text) });
          fs.appendFileSync(record, line + '\n');
        })
        .catch(() => {}); // a body cut short or not JSON: the test itself reports that
    }
    return res;
  };
}

/* Temporary directories and live servers, cleaned up when the test process exits whatever happens. */
const tempDirs = new Set();
const liveProcs = new Set();
process.on('exit', () => {
  for (const proc of liveProcs) {
    try {
      proc.kill('SIGKILL');
    } catch {
      /* already gone */
    }
  }
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

const POSTGRES = process.env.NPQ_TEST_POSTGRES || '';
let databasesMade = 0;

/* Where a test's new database is: a file in dir, or a database of its own on NPQ_TEST_POSTGRES. */
function newDatabaseLocation(dir) {
  if (!POSTGRES) return path.join(dir, 'npq.db');
  databasesMade += 1;
  return `${POSTGRES.replace(/\/+$/, '')}/npq_api_${process.pid}_${databasesMade}`;
}

async function makeTempDir() {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'npq-api-'));
  tempDirs.add(dir);
  return dir;
}

function assertBinary() {
  assert.ok(fs.existsSync(NPQ_BIN), `${NPQ_BIN} does not exist: build it (ninja -C build, or build-asan) or set NPQ_BIN`);
}

/* Runs npq with args; resolves {code, signal, stdout, stderr}. Never rejects on a non-zero exit. */
function runNpq(args, { input, env, cwd, timeoutMs = 20000 } = {}) {
  assertBinary();
  return new Promise((resolve, reject) => {
    const proc = spawn(NPQ_BIN, args, { env: npqEnv(env), cwd: cwd || REPO, stdio: ['pipe', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    proc.stdout.on('data', (d) => out.push(d));
    proc.stderr.on('data', (d) => err.push(d));
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`npq ${args.join(' ')} did not finish in ${timeoutMs} ms`));
    }, timeoutMs);
    proc.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    proc.on('close', (code, signal) => {
      clearTimeout(timer);
      const stderr = Buffer.concat(err).toString('utf8');
      if (SANITIZER_REPORT.test(stderr)) {
        reject(new Error(`npq ${args.join(' ')} reported a sanitizer error (exit ${code}):\n${stderr}`));
        return;
      }
      resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr });
    });
    proc.stdin.on('error', () => {}); // the process may exit before reading all of it
    if (input !== undefined) proc.stdin.end(input);
    else proc.stdin.end();
  });
}

/* npq init on a new database in dir; fails the test with npq's stderr when it does not work. */
async function initDb(dbPath) {
  const r = await runNpq(['init', '--db', dbPath]);
  assert.equal(r.code, 0, `npq init --db ${dbPath} exited with ${r.code} (${r.signal})\nstderr:\n${r.stderr}`);
  return r;
}

const LISTENING = /^npq: listening on (http:\/\/\S+?)\/ with (\d+) threads/m;

/*
 * Starts `npq serve` on a fresh, initialised database and a free port.
 *   threads    --threads (default 2)
 *   env        extra environment for serve, or a function ({dir, dbPath}) => environment
 *   accessLog  FILE, '-' or 'off' (default 'off'); a relative FILE is taken inside the temp dir
 *   passDb     pass --db (default true); false leaves it to NPQ_DB in env
 *   passListen pass --listen 127.0.0.1:0 (default true); false leaves it to NPQ_LISTEN in env
 *   db         serve this existing database instead of a freshly initialised one
 * Resolves {url, port, threads, dbPath, dir, accessLogPath, proc, stdout(), stderr(), exited, stop()}.
 */
async function startServer({ threads = 2, env, accessLog = 'off', passDb = true, passListen = true, db } = {}) {
  assertBinary();
  const dir = await makeTempDir();
  const dbPath = db || newDatabaseLocation(dir);
  if (!db) await initDb(dbPath);

  let accessLogPath = null;
  let accessLogArg = accessLog;
  if (accessLog !== 'off' && accessLog !== '-') {
    accessLogPath = path.isAbsolute(accessLog) ? accessLog : path.join(dir, accessLog);
    accessLogArg = accessLogPath;
  }
  const args = ['serve'];
  if (passDb) args.push('--db', dbPath);
  if (passListen) args.push('--listen', '127.0.0.1:0');
  args.push('--access-log', accessLogArg);
  if (threads !== null && threads !== undefined) args.push('--threads', String(threads));

  const serveEnv = typeof env === 'function' ? env({ dir, dbPath }) : env;
  const proc = spawn(NPQ_BIN, args, { env: npqEnv(serveEnv), cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  liveProcs.add(proc);
  let stdout = '';
  let stderr = '';
  proc.stdout.setEncoding('utf8');
  proc.stderr.setEncoding('utf8');
  proc.stdout.on('data', (d) => (stdout += d));
  proc.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise((resolve) => {
    proc.on('close', (code, signal) => {
      liveProcs.delete(proc);
      resolve({ code, signal });
    });
  });
  // A test that forgets to stop its server must not keep the test file alive; stop() re-references.
  const setRef = (on) => {
    for (const h of [proc, proc.stdout, proc.stderr]) {
      if (on) h.ref();
      else h.unref();
    }
  };

  const listening = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      proc.kill('SIGKILL');
      reject(new Error(`npq ${args.join(' ')} did not print its listening line in 10 s\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, 10000);
    const onData = () => {
      const m = LISTENING.exec(stdout);
      if (m) {
        cleanup();
        resolve({ url: m[1], threads: Number(m[2]) });
      }
    };
    const onExit = (code, signal) => {
      cleanup();
      reject(new Error(`npq ${args.join(' ')} exited with ${code} (${signal}) before listening\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    };
    function cleanup() {
      clearTimeout(timer);
      proc.stdout.off('data', onData);
      proc.off('exit', onExit);
    }
    proc.stdout.on('data', onData);
    proc.on('exit', onExit);
  });
  setRef(false);

  let stopping = null;
  const server = {
    url: listening.url,
    port: Number(new URL(listening.url).port),
    threads: listening.threads,
    dbPath,
    dir,
    accessLogPath,
    proc,
    exited,
    stdout: () => stdout,
    stderr: () => stderr,
    /* SIGTERM, wait for exit, assert it was clean. Resolves {code, signal, stdout, stderr}. */
    stop({ signal = 'SIGTERM', timeoutMs = 20000 } = {}) {
      if (stopping) return stopping;
      stopping = (async () => {
        setRef(true);
        if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
        let timer;
        const timeout = new Promise((resolve) => {
          timer = setTimeout(() => resolve(null), timeoutMs);
        });
        const result = await Promise.race([exited, timeout]);
        clearTimeout(timer);
        if (result === null) {
          proc.kill('SIGKILL');
          await exited;
          assert.fail(`npq serve did not exit within ${timeoutMs} ms of ${signal}\nstdout:\n${stdout}\nstderr:\n${stderr}`);
        }
        assert.doesNotMatch(stderr, SANITIZER_REPORT, `npq serve reported a sanitizer error\nstderr:\n${stderr}`);
        assert.equal(
          result.code,
          0,
          `npq serve exited with code ${result.code} (signal ${result.signal}) after ${signal}\nstdout:\n${stdout}\nstderr:\n${stderr}`,
        );
        return { ...result, stdout, stderr };
      })();
      return stopping;
    },
  };
  return server;
}

/*
 * fetch with "Connection: close" so that no idle keep-alive connection outlives the test (an idle
 * connection holds up the server's graceful shutdown; shutdown.test.js covers that on purpose).
 * Resolves {status, headers, text, body (Buffer), json()}.
 */
async function request(base, pathname, { method = 'GET', headers = {}, body, keepAlive = false } = {}) {
  const h = { ...headers };
  if (!keepAlive) h.connection = 'close';
  const res = await fetch(new URL(pathname, base), { method, headers: h, body, redirect: 'manual' });
  const buf = Buffer.from(await res.arrayBuffer());
  const text = buf.toString('utf8');
  return {
    status: res.status,
    headers: res.headers,
    body: buf,
    text,
    json() {
      try {
        return JSON.parse(text);
      } catch (e) {
        throw new Error(`${method} ${pathname} (${res.status}) did not answer JSON: ${e.message}\n${text.slice(0, 500)}`);
      }
    },
  };
}

/* GET pathname, assert 200 and a JSON content type, return the parsed body. */
async function getJson(base, pathname, { status = 200 } = {}) {
  const r = await request(base, pathname);
  assert.equal(r.status, status, `GET ${pathname}: status ${r.status}, body ${r.text.slice(0, 500)}`);
  assert.match(r.headers.get('content-type') || '', /^application\/json\b/, `GET ${pathname} content-type`);
  return r.json();
}

/* Polls fn until it returns a truthy value or timeoutMs passes; returns the last value. */
async function poll(fn, { timeoutMs = 3000, intervalMs = 100 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value || Date.now() >= deadline) return value;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

function loadDefaultCatalogue() {
  return JSON.parse(fs.readFileSync(DEFAULT_CATALOGUE, 'utf8'));
}

/* RFC 4180: fields separated by commas, records by CRLF (or LF), quoted fields may hold commas,
 * line breaks and doubled quote marks. Returns a list of records, each a list of strings. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let inQuotes = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (inQuotes) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (c === '"') {
        inQuotes = false;
        i += 1;
        if (i < text.length && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n')
          throw new Error(`CSV: text after a closing quote at offset ${i}`);
      } else {
        field += c;
        i += 1;
      }
    } else if (c === '"') {
      if (field !== '') throw new Error(`CSV: a quote mark inside an unquoted field at offset ${i}`);
      inQuotes = true;
      i += 1;
    } else if (c === ',') {
      row.push(field);
      field = '';
      i += 1;
    } else if (c === '\r' || c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += c;
      i += 1;
    }
  }
  if (inQuotes) throw new Error('CSV: a quoted field is not closed');
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

module.exports = {
  REPO,
  NPQ_BIN,
  DEFAULT_CATALOGUE,
  POSTGRES,
  makeTempDir,
  newDatabaseLocation,
  runNpq,
  initDb,
  startServer,
  request,
  getJson,
  poll,
  loadDefaultCatalogue,
  parseCsv,
};

/*
 * Signed-in page sessions for the black-box page tests, as a browser would hold them: cookies
 * from Set-Cookie, and the CSRF token every form carries in its hidden csrf_token field.
 */

/* The value of the first hidden csrf_token input of a page. */
function csrfFrom(html) {
  const m = /name="csrf_token" value="([^"]+)"/.exec(html);
  assert.ok(m, `no csrf_token field in the page:\n${html.slice(0, 500)}`);
  return m[1];
}

/* name=value pairs of a response's Set-Cookie headers merged into jar (a Map); an empty value
 * (a cleared cookie) removes the name. */
function keepCookies(jar, headers) {
  for (const line of headers.getSetCookie()) {
    const [pair] = line.split(';');
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    if (value) jar.set(name, value);
    else jar.delete(name);
  }
}

function cookieHeader(jar) {
  return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
}

/*
 * Signs in through the real sign-in page. Resolves {cookie: the Cookie header to send, get(path),
 * post(path, fields, {csrf}), postMultipart(path, FormData)}: post adds the csrf_token of the
 * session unless csrf is false, and every reply is request()'s, without following redirects.
 */
async function signIn(base, email, password) {
  const jar = new Map();
  const page = await request(base, '/sign-in');
  assert.equal(page.status, 200, `GET /sign-in: ${page.status}`);
  keepCookies(jar, page.headers);
  const body = new URLSearchParams({ email, password, csrf_token: csrfFrom(page.text), next: '/' });
  const r = await request(base, '/sign-in', {
    method: 'POST',
    headers: { cookie: cookieHeader(jar), 'content-type': 'application/x-www-form-urlencoded' },
    body: body.toString(),
  });
  assert.equal(r.status, 303, `POST /sign-in as ${email}: ${r.status}\n${r.text.slice(0, 500)}`);
  keepCookies(jar, r.headers);
  assert.ok(jar.has('npq_session'), `signing in as ${email} set no session cookie`);
  let csrf = null;
  const session = {
    get cookie() {
      return cookieHeader(jar);
    },
    get(pathname, options = {}) {
      return request(base, pathname, { ...options, headers: { ...options.headers, cookie: cookieHeader(jar) } });
    },
    async csrf() {
      if (!csrf) csrf = csrfFrom((await session.get('/account')).text);
      return csrf;
    },
    async post(pathname, fields, { withCsrf = true } = {}) {
      const form = new URLSearchParams(fields);
      if (withCsrf) form.set('csrf_token', await session.csrf());
      return request(base, pathname, {
        method: 'POST',
        headers: { cookie: cookieHeader(jar), 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
      });
    },
    async postMultipart(pathname, formData, { withCsrf = true } = {}) {
      if (withCsrf) formData.set('csrf_token', await session.csrf());
      return request(base, pathname, { method: 'POST', headers: { cookie: cookieHeader(jar) }, body: formData });
    },
  };
  return session;
}

module.exports.csrfFrom = csrfFrom;
module.exports.signIn = signIn;
