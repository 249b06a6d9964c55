'use strict';
/*
 * npq backup and npq restore: a backup taken while writes pour in is a consistent copy (every
 * write acknowledged before it began is in it, nothing half-made is), a restored database serves
 * it, and bad backups are refused with the database left as it was.
 */
const { test, describe, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const { runNpq, startServer, makeTempDir } = require('./helpers');
const { prepareDemoDb, apiAs } = require('./auth_helpers');

describe('backup under load, then restore', () => {
  let demo;
  let server;
  let restored;
  const acknowledged = []; /* names of organisations answered 201 before the backup began */
  let backupPath;
  let dir;

  before(async () => {
    demo = await prepareDemoDb();
    server = await startServer({ db: demo.dbPath, threads: 2 });
    dir = await makeTempDir();
    backupPath = path.join(dir, 'backup.db');
  });
  after(async () => {
    await server?.stop();
    await restored?.stop();
  });

  test('a backup taken during writes holds every write acknowledged before it', async () => {
    const admin = apiAs(server, demo.tokens.admin, 'admin');
    let stop = false;
    let n = 0;
    let backupStarted = false;
    const afterStart = [];
    /* At most 50 writes each before the backup and 60 during it, so the list fits one page. */
    const writer = async (w) => {
      let before = 0;
      let during = 0;
      while (!stop && during < 60) {
        if (!backupStarted && before >= 50) {
          await new Promise((r) => setTimeout(r, 20));
          continue;
        }
        if (backupStarted) during++;
        else before++;
        const name = `Backup School ${w}-${n++}`;
        const r = await admin.post('/api/v1/organisations', { kind: 'school', name, urn: String(500000 + n * 8 + w) });
        assert.equal(r.status, 201, r.text);
        (backupStarted ? afterStart : acknowledged).push(name);
      }
    };
    /* Waits on what the writers did, not on a clock: a sanitizer build on a loaded machine can
     * take longer than any fixed pause to answer its first write. */
    const until = async (done) => {
      for (let waited = 0; !done() && waited < 30000; waited += 20) await new Promise((r) => setTimeout(r, 20));
    };
    const writers = [0, 1, 2, 3].map(writer);
    await until(() => acknowledged.length >= 4);
    backupStarted = true;
    const backup = await runNpq(['backup', '--db', demo.dbPath, '--to', backupPath]);
    await until(() => afterStart.length >= 4);
    stop = true;
    await Promise.all(writers);
    assert.equal(backup.code, 0, backup.stderr);
    assert.ok(acknowledged.length > 0 && afterStart.length > 0, 'writes went on before and during the backup');
    assert.ok(fs.existsSync(backupPath));
    assert.ok(!fs.existsSync(`${backupPath}.partial`), 'no partial file is left');

    const target = path.join(dir, 'restored.db');
    const restore = await runNpq(['restore', '--db', target, '--from', backupPath]);
    assert.equal(restore.code, 0, restore.stderr);
    restored = await startServer({ db: target, threads: 2 });
    const names = new Set(
      (await apiAs(restored, demo.tokens.admin, 'admin').json('/api/v1/organisations?limit=500')).organisations.map((o) => o.name),
    );
    const missing = acknowledged.filter((name) => !names.has(name));
    assert.deepEqual(missing, [], 'every organisation acknowledged before the backup is in it');
    /* the copy is of one moment: what it holds of the later writes is a prefix of each writer's */
    for (const w of [0, 1, 2, 3]) {
      const mine = afterStart.filter((name) => name.startsWith(`Backup School ${w}-`));
      const held = mine.map((name) => names.has(name));
      assert.ok(held.indexOf(false) === -1 || held.slice(held.indexOf(false)).every((h) => !h), `writer ${w}: ${held}`);
    }
  });

  test('a backup is never written over an existing file', async () => {
    const again = await runNpq(['backup', '--db', demo.dbPath, '--to', backupPath]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /exists already/);
  });

  test('a missing database is not backed up as an empty one', async () => {
    const r = await runNpq(['backup', '--db', path.join(dir, 'nothing.db'), '--to', path.join(dir, 'b2.db')]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /there is no database/);
    assert.ok(!fs.existsSync(path.join(dir, 'nothing.db')));
  });

  test('a damaged or foreign backup is refused and the database is left as it was', async () => {
    const target = path.join(dir, 'keep.db');
    assert.equal((await runNpq(['restore', '--db', target, '--from', backupPath])).code, 0);
    const before = fs.readFileSync(target);
    const bytes = fs.readFileSync(backupPath);
    const cases = {
      'truncated.db': bytes.subarray(0, Math.floor(bytes.length / 3)),
      'text.db': Buffer.from('email,name\nann@example.test,Ann\n'),
    };
    for (const [name, content] of Object.entries(cases)) {
      fs.writeFileSync(path.join(dir, name), content);
      const r = await runNpq(['restore', '--db', target, '--from', path.join(dir, name)]);
      assert.equal(r.code, 1, `${name}: ${r.stdout}`);
      assert.match(r.stderr, /restore failed, .* is as it was/);
      assert.ok(fs.readFileSync(target).equals(before), `${name}: the database is unchanged`);
    }
  });
});
