'use strict';
/*
 * Moving a provider: `npq db copy` from a SQLite file to PostgreSQL, black-box. A SQLite database
 * built by npq commands and the API (the demo programme, and a file uploaded), copied into a new
 * PostgreSQL database; a server on the copy shows the same people, enrolments, content and file
 * bytes, and inserts new rows (the sequences were moved past the copied ids); a second copy finds
 * nothing new, and a copy onto a target holding rows the source lacks is refused.
 *
 * Needs a PostgreSQL server: NPQ_TEST_POSTGRES=postgresql://USER@HOST:PORT (make test-postgres-api-store).
 */
const { test } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const path = require('node:path');

const { apiAs, createToken, demoEmail, startServerWithArgs } = require('./auth_helpers');
const { runNpq, makeTempDir, initDb } = require('./helpers');

const POSTGRES = process.env.NPQ_TEST_POSTGRES || '';
const sha256 = (data) => crypto.createHash('sha256').update(data).digest('hex');

/* A fake MP4 of three and a bit chunks (the blob store keeps 256 KiB chunks). */
function mp4(size) {
  const b = Buffer.alloc(size);
  b.writeUInt32BE(32, 0);
  b.write('ftypisom', 4, 'latin1');
  for (let i = 32; i < size; i++) b[i] = (i * 31 + (i >> 9)) & 0xff;
  return b;
}

/* The report's rows: {table: {source, target, copied}}. */
function reportOf(stdout) {
  const rows = {};
  for (const line of stdout.split('\n')) {
    const m = /^(\w+)\s+(\d+)\s+(\d+)\s+(\d+)$/.exec(line);
    if (m) rows[m[1]] = { source: Number(m[2]), target: Number(m[3]), copied: Number(m[4]) };
  }
  return rows;
}

/* What a caller sees through the API: people, enrolments, content, and the file's bytes. */
async function snapshot(as, item, file) {
  const users = (await as.json('/api/v1/users?limit=500')).users.map((u) => `${u.id} ${u.email} ${u.name}`).sort();
  const enrolments = (await as.json('/api/v1/enrolments?limit=500')).enrolments.map((e) => `${e.id} ${e.participant_id ?? ''} ${e.state ?? ''}`).sort();
  const content = (await as.json('/api/v1/content')).items.map((c) => `${c.id} ${c.title}`).sort();
  const r = await as.request('GET', `/api/v1/content/${item}/files/${file}`);
  assert.equal(r.status, 200, `the file: ${r.status}`);
  return { users, enrolments, content, file: sha256(r.body) };
}

test('npq db copy moves a SQLite database, files included, into PostgreSQL, and a re-run copies nothing', { skip: POSTGRES ? false : 'needs NPQ_TEST_POSTGRES' }, async () => {
  const dir = await makeTempDir();
  const source = path.join(dir, 'source.db');
  await initDb(source);
  const demo = await runNpq(['demo', '--db', source, '--programme']);
  assert.equal(demo.code, 0, `npq demo --programme: ${demo.stderr}`);
  const token = await createToken(source, demoEmail('admin'), 'copy');

  const bytes = mp4(3 * 256 * 1024 + 1234);
  let server = await startServerWithArgs([], { db: source });
  let as = apiAs(server, token, 'admin');
  const created = await as.post('/api/v1/content', { kind: 'video', title: 'Moved with its file', media_url: 'https://media.example.org/m.mp4', minutes: 5, tags: [] });
  assert.equal(created.status, 201, created.text);
  const item = created.json().id;
  const upload = await as.request('POST', `/api/v1/content/${item}/files`, { body: bytes, contentType: 'application/octet-stream', headers: { 'x-file-name': 'moved.mp4' } });
  assert.equal(upload.status, 201, upload.text);
  const file = upload.json().id;
  const before = await snapshot(as, item, file);
  assert.equal(before.file, sha256(bytes));
  assert.ok(before.enrolments.length > 0 && before.users.length > 5, 'the demo programme has people and enrolments');
  await server.stop();

  const target = `${POSTGRES.replace(/\/+$/, '')}/npq_copy_${process.pid}`;
  const first = await runNpq(['db', 'copy', '--from', `sqlite:${source}`, '--to', target], { timeoutMs: 120000 });
  assert.equal(first.code, 0, `the copy: ${first.stderr}`);
  const report = reportOf(first.stdout);
  for (const table of ['users', 'enrolments', 'content_items', 'blobs', 'blob_chunks', 'files', 'audit_events']) {
    assert.ok(report[table], `the report names ${table}:\n${first.stdout}`);
    assert.ok(report[table].source > 0, `${table} has rows in the source`);
    assert.equal(report[table].target, report[table].source, `${table} arrived whole`);
    assert.equal(report[table].copied, report[table].source, `${table} was copied`);
  }
  assert.equal(report.blob_chunks.source, 4, 'the file is four chunks');
  assert.match(first.stdout, /^files checked: 1 \(\d+ bytes\)/m);

  const again = await runNpq(['db', 'copy', '--from', `sqlite:${source}`, '--to', target], { timeoutMs: 120000 });
  assert.equal(again.code, 0, `the second copy: ${again.stderr}`);
  assert.match(again.stdout, /^nothing new: the target already held every row$/m);
  for (const [table, row] of Object.entries(reportOf(again.stdout))) {
    assert.equal(row.copied, 0, `${table}: nothing copied twice`);
    assert.equal(row.target, row.source, `${table}: as many rows as the source`);
  }

  server = await startServerWithArgs([], { db: target });
  as = apiAs(server, token, 'admin');
  assert.deepEqual(await snapshot(as, item, file), before, 'the copy serves what the source did');
  // New rows take ids past the copied ones: the sequences moved with the rows.
  const after = await as.post('/api/v1/content', { kind: 'reading', title: 'Written after the move', body: 'Words.', minutes: 5, tags: [] });
  assert.equal(after.status, 201, after.text);
  assert.ok(after.json().id > item, `a new item's id ${after.json().id} follows the copied ${item}`);
  await server.stop();

  // The target now holds a row the source lacks: a copy would mix two histories, so it refuses.
  const refused = await runNpq(['db', 'copy', '--from', `sqlite:${source}`, '--to', target], { timeoutMs: 120000 });
  assert.equal(refused.code, 1, refused.stdout);
  assert.match(refused.stderr, /holds data the source does not/);
});
