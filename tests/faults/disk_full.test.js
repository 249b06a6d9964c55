'use strict';
/*
 * A full disk: the database lives on a small filesystem the test mounts (tmpfs of 4 MiB), and
 * four writers pour in organisations until it is full. Every write is answered 201 or a clear 503
 * with the JSON error (never a 500 or a dropped connection), reads go on being answered, and once
 * there is room again writes succeed without a restart. After a restart every write that was
 * answered 201 is there, whole, and the database passes SQLite's integrity check (npq restore runs
 * it on a copy).
 *
 * Mounting needs root (as `make test` runs on the project's machines); elsewhere the test says
 * why it is skipped.
 */
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const { runNpq, initDb } = require('../api/helpers');
const { startServerWithArgs, apiAs } = require('../api/auth_helpers');

const MOUNT_MIB = 4;
const WRITERS = 4;

let mountPoint;
let mounted = false;
let skipWhy = null;

before(() => {
  mountPoint = fs.mkdtempSync(path.join(os.tmpdir(), 'npq-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${MOUNT_MIB}m`, 'tmpfs', mountPoint], { stdio: 'pipe' });
    mounted = true;
  } catch (e) {
    skipWhy = `cannot mount a small filesystem here (${String(e.stderr || e.message).trim()}); run as root`;
  }
});

after(() => {
  if (mounted) execFileSync('umount', ['-l', mountPoint]);
  fs.rmSync(mountPoint, { recursive: true, force: true });
});

test('a full disk gives 503 and loses nothing acknowledged', async (t) => {
  if (skipWhy) return t.skip(skipWhy);
  const dbPath = path.join(mountPoint, 'npq.db');
  await initDb(dbPath);
  const add = await runNpq(['user', 'add', '--db', dbPath, '--email', 'admin@full.test', '--name', 'Ada Admin', '--role', 'admin']);
  assert.equal(add.code, 0, add.stderr);
  const made = await runNpq(['token', 'create', '--db', dbPath, '--email', 'admin@full.test', '--name', 'writer']);
  const token = /npq_[A-Za-z0-9_-]+/.exec(made.stdout + made.stderr)[0];

  let server = await startServerWithArgs([], { db: dbPath });
  let admin = apiAs(server, token, 'admin');
  const acked = [];
  let refused = 0;
  let next = 0;
  const padding = 'x'.repeat(150);

  /* Writers go on until each has been refused several times running. */
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      let refusedInARow = 0;
      while (refusedInARow < 5) {
        const n = next++;
        const name = `School ${n} ${padding}`;
        const r = await admin.post('/api/v1/organisations', { name, kind: 'school', urn: String(100000 + n) });
        if (r.status === 201) {
          acked.push({ id: r.json().id, name });
          refusedInARow = 0;
          continue;
        }
        assert.equal(r.status, 503, `a write on a full disk: ${r.status} ${r.text}`);
        assert.equal(r.json().error.code, 'unavailable');
        assert.ok(r.json().error.message.length > 0);
        refused++;
        refusedInARow++;
      }
    }),
  );
  assert.ok(acked.length > 10, `some writes fitted before the disk was full (${acked.length})`);
  assert.ok(refused >= WRITERS * 5, 'the disk did fill');

  /* Reads are still answered while the disk is full. */
  const health = await admin.get('/api/v1/health');
  assert.equal(health.status, 200);
  const one = await admin.get(`/api/v1/organisations/${acked[0].id}`);
  assert.equal(one.status, 200);
  assert.equal(one.json().name, acked[0].name);

  /* Room again: writes go on, without a restart. */
  execFileSync('mount', ['-o', `remount,size=${MOUNT_MIB * 4}m`, mountPoint]);
  const after = await admin.post('/api/v1/organisations', { name: 'After the disk was full', kind: 'school', urn: '999999' });
  assert.equal(after.status, 201, `a write once there is room: ${after.status} ${after.text}`);
  acked.push({ id: after.json().id, name: 'After the disk was full' });
  await server.stop();

  /* After a restart, every acknowledged write is there and whole. */
  server = await startServerWithArgs([], { db: dbPath });
  admin = apiAs(server, token, 'admin');
  for (const a of acked) {
    const r = await admin.get(`/api/v1/organisations/${a.id}`);
    assert.equal(r.status, 200, `organisation ${a.id} after the restart`);
    assert.equal(r.json().name, a.name);
  }
  await server.stop();
  const check = await runNpq(['restore', '--db', path.join(mountPoint, 'integrity.db'), '--from', dbPath]);
  assert.equal(check.code, 0, `the database after the disk was full passes the integrity check: ${check.stderr}`);
});
