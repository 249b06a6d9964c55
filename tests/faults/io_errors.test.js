'use strict';
/*
 * A disk that fails under the server: tests/faults/io_errors_inject.c, loaded with LD_PRELOAD,
 * makes every write, or every sync, of a file in the database's folder fail with EIO while a
 * switch file says so. Four writers pour in organisations through both faults, then through a
 * disk whose fault comes and goes every few milliseconds. Every write is
 * answered 201 or a clear 503 with the JSON error (never a 500 or a dropped connection), reads go
 * on being answered, and once the disk works again writes succeed without a restart. After a
 * restart every write that was answered 201 is there, whole, and the database passes SQLite's
 * integrity check (npq restore runs it on a copy).
 */
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { runNpq, initDb } = require('../api/helpers');
const { startServerWithArgs, apiAs } = require('../api/auth_helpers');

const WRITERS = 4;
const REFUSALS_PER_FAULT = 20;
const injector = path.join(path.dirname(path.resolve(process.env.NPQ_BIN || 'build/npq')), 'io_errors_inject.so');

test('a disk failing with EIO on write or on sync gives 503 and loses nothing acknowledged', async (t) => {
  if (!fs.existsSync(injector)) return t.skip(`${injector} is not built`);
  if (/asan/.test(process.env.NPQ_BIN || '')) return t.skip('the sanitizer runtime must come first in LD_PRELOAD');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'npq-eio-'));
  const dataDir = path.join(work, 'data');
  fs.mkdirSync(dataDir);
  const switchFile = path.join(work, 'switch');
  const dbPath = path.join(dataDir, 'npq.db');
  await initDb(dbPath);
  const add = await runNpq(['user', 'add', '--db', dbPath, '--email', 'admin@eio.test', '--name', 'Ada Admin', '--role', 'admin']);
  assert.equal(add.code, 0, add.stderr);
  const made = await runNpq(['token', 'create', '--db', dbPath, '--email', 'admin@eio.test', '--name', 'writer']);
  const token = /npq_[A-Za-z0-9_-]+/.exec(made.stdout + made.stderr)[0];

  const env = { LD_PRELOAD: injector, NPQ_IO_ERRORS_DIR: dataDir, NPQ_IO_ERRORS_SWITCH: switchFile };
  let server = await startServerWithArgs([], { db: dbPath, env });
  const admin = apiAs(server, token, 'admin');
  const acked = [];
  let next = 0;

  /* One write; its answer must be a 201 or the clear 503. Returns the status. */
  const writeOne = async () => {
    const n = next++;
    const name = `School ${n}`;
    const r = await admin.post('/api/v1/organisations', { name, kind: 'school', urn: String(100000 + n) });
    if (r.status === 201) {
      acked.push({ id: r.json().id, name });
    } else {
      assert.equal(r.status, 503, `a write on a failing disk: ${r.status} ${r.text}`);
      assert.equal(r.json().error.code, 'unavailable');
    }
    return r.status;
  };

  for (const fault of ['sync', 'write']) {
    await writeOne();
    fs.writeFileSync(switchFile, fault);
    let refused = 0;
    await Promise.all(
      Array.from({ length: WRITERS }, async () => {
        while (refused < REFUSALS_PER_FAULT) if ((await writeOne()) === 503) refused++;
      }),
    );

    /* Reads are still answered while the disk fails. */
    assert.equal((await admin.get('/api/v1/health')).status, 200);
    const one = await admin.get(`/api/v1/organisations/${acked[0].id}`);
    assert.equal(one.status, 200, `a read while ${fault}s fail`);
    assert.equal(one.json().name, acked[0].name);

    /* The disk works again: writes go on, without a restart. */
    fs.rmSync(switchFile);
    t.diagnostic(`${fault}s failing: ${refused} writes refused with 503, ${acked.length} acknowledged so far`);
    for (let i = 0; i < 10; i++)
      assert.equal(await writeOne(), 201, `write ${i} once ${fault}s work again`);
  }

  /* A flapping disk: the fault comes and goes every few milliseconds while the writers write, so
   * groups that fail and groups that commit follow each other closely. */
  const flapUntil = Date.now() + 1500;
  const ackedBefore = acked.length;
  let flapRefused = 0;
  const flapper = (async () => {
    for (let i = 0; Date.now() < flapUntil; i++) {
      if (i % 3 === 2) fs.rmSync(switchFile, { force: true });
      else fs.writeFileSync(switchFile, i % 3 === 0 ? 'sync' : 'write');
      await new Promise((r) => setTimeout(r, 5 + (i % 7)));
    }
    fs.rmSync(switchFile, { force: true });
  })();
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      while (Date.now() < flapUntil) if ((await writeOne()) === 503) flapRefused++;
    }),
  );
  await flapper;
  t.diagnostic(`a flapping disk: ${acked.length - ackedBefore} writes acknowledged, ${flapRefused} refused`);
  assert.ok(flapRefused > 0 && acked.length > ackedBefore, 'the flapping disk both failed and worked');
  assert.equal(await writeOne(), 201, 'a write once the disk works again');

  await server.stop();
  const stderr = server.stderr();
  assert.match(stderr, /I\/O error|disk I\/O/i, 'the server said what failed');

  /* After a restart, every acknowledged write is there and whole. */
  server = await startServerWithArgs([], { db: dbPath });
  const reader = apiAs(server, token, 'admin');
  for (const a of acked) {
    const r = await reader.get(`/api/v1/organisations/${a.id}`);
    assert.equal(r.status, 200, `organisation ${a.id} after the restart`);
    assert.equal(r.json().name, a.name);
  }
  await server.stop();
  const check = await runNpq(['restore', '--db', path.join(work, 'integrity.db'), '--from', dbPath]);
  assert.equal(check.code, 0, `the database after the failures passes the integrity check: ${check.stderr}`);
  fs.rmSync(work, { recursive: true, force: true });
});
