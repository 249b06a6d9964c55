'use strict';
/*
 * The administration commands: init, catalogue export/import/validate, and serve's environment.
 */
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const { DEFAULT_CATALOGUE, makeTempDir, runNpq, initDb, startServer, request, getJson, poll, loadDefaultCatalogue } = require('./helpers');

const DEFAULT_TEXT = fs.readFileSync(DEFAULT_CATALOGUE, 'utf8');

async function freshDb() {
  const dir = await makeTempDir();
  const dbPath = path.join(dir, 'npq.db');
  await initDb(dbPath);
  return { dir, dbPath };
}

async function exportDb(dbPath, env) {
  const r = await runNpq(['catalogue', 'export', ...(dbPath ? ['--db', dbPath] : [])], { env });
  assert.equal(r.code, 0, `export failed (${r.code}):\n${r.stderr}`);
  return r.stdout;
}

function writeJson(dir, name, value) {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof value === 'string' ? value : `${JSON.stringify(value, null, 2)}\n`);
  return file;
}

/* Error lines are "FILE: $.json.path: message". */
function assertErrorLine(stderr, file, jsonPath, messagePattern) {
  const lines = stderr.split('\n');
  const prefix = `${file}: ${jsonPath}: `;
  const line = lines.find((l) => l.startsWith(prefix));
  assert.ok(line, `stderr names ${jsonPath} as "${prefix}...":\n${stderr}`);
  if (messagePattern) assert.match(line.slice(prefix.length), messagePattern, line);
}

test('init loads the default catalogue and export writes it back byte for byte', async () => {
  const { dbPath } = await freshDb();
  const out = await exportDb(dbPath);
  assert.ok(out === DEFAULT_TEXT, `export of a fresh database differs from catalogue/default.json (${out.length} vs ${DEFAULT_TEXT.length} bytes)`);
});

test('init on an existing database is harmless', async () => {
  const { dbPath } = await freshDb();
  const again = await runNpq(['init', '--db', dbPath]);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(await exportDb(dbPath), DEFAULT_TEXT);
});

test('import of an export, then export, gives the same bytes (from a file and from stdin)', async () => {
  const { dir, dbPath } = await freshDb();
  const first = await exportDb(dbPath);
  const file = writeJson(dir, 'export.json', first);
  const imported = await runNpq(['catalogue', 'import', '--db', dbPath, file]);
  assert.equal(imported.code, 0, imported.stderr);
  assert.match(imported.stderr, /imported 15 qualifications, 26 modules, 1 frameworks and 24 schedules/);
  assert.equal(await exportDb(dbPath), first);

  const fromStdin = await runNpq(['catalogue', 'import', '--db', dbPath, '-'], { input: first });
  assert.equal(fromStdin.code, 0, fromStdin.stderr);
  assert.equal(await exportDb(dbPath), first);
});

test('import fills in optional fields and export writes the canonical form', async () => {
  const { dir, dbPath } = await freshDb();
  const c = loadDefaultCatalogue();
  for (const m of c.modules) delete m.hours_cap; // 50 when omitted
  for (const q of c.qualifications) if (q.summary === '') delete q.summary; // "" when none
  // Compact, no final newline: the export is still canonical.
  const file = writeJson(dir, 'sparse.json', JSON.stringify(c));
  const r = await runNpq(['catalogue', 'import', '--db', dbPath, file]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(await exportDb(dbPath), DEFAULT_TEXT);
});

/*
 * Invalid documents: exit 1, an error line naming the JSON path, and nothing changed. Each bad
 * document also carries a valid change elsewhere, so a half-import would show in the export.
 */
const INVALID = [
  {
    name: 'a module in an unknown strand',
    make: (c) => {
      c.modules[1].title = 'Half-imported title';
      c.modules[0].strand = 'nope';
    },
    path: '$.modules[0].strand',
    message: /unknown strand "nope"/,
  },
  {
    name: 'an unknown field',
    make: (c) => {
      c.modules[1].title = 'Half-imported title';
      c.modules[3].colour = 'blue';
    },
    path: '$.modules[3].colour',
    message: /unknown field/,
  },
  {
    name: 'an unknown module in a rule',
    make: (c) => {
      c.qualifications[0].title = 'Half-imported title';
      c.qualifications[1].rule.essential[1] = 'no-such-module';
    },
    path: '$.qualifications[1].rule.essential[1]',
    message: /unknown module "no-such-module"/,
  },
  {
    name: 'a module both essential and elective',
    make: (c) => {
      c.qualifications[0].title = 'Half-imported title';
      const q = c.qualifications.find((x) => x.code === 'NPQSL');
      q.rule.electives.from.push(q.rule.essential[0]);
    },
    path: `$.qualifications[1].rule.electives.from[8]`,
    message: /already essential/,
  },
  {
    name: 'more electives required than offered',
    make: (c) => {
      c.qualifications[2].rule.electives.count = 11;
      c.modules[1].title = 'Half-imported title';
    },
    path: '$.qualifications[2].rule.electives.count',
  },
  {
    name: 'a wrong type',
    make: (c) => {
      c.modules[1].title = 'Half-imported title';
      c.modules[2].level = '1';
    },
    path: '$.modules[2].level',
    message: /must be an integer/,
  },
  {
    name: 'a missing required field',
    make: (c) => {
      c.modules[1].title = 'Half-imported title';
      delete c.frameworks[0].areas[3].title;
    },
    path: '$.frameworks[0].areas[3].title',
    message: /required/,
  },
  {
    name: 'statement numbers out of order',
    make: (c) => {
      c.modules[1].title = 'Half-imported title';
      c.frameworks[0].areas[1].learn_that[1].number = 1;
    },
    path: '$.frameworks[0].areas[1].learn_that[1].number',
    message: /ascend/,
  },
  {
    name: 'a duplicate module code',
    make: (c) => {
      c.qualifications[0].title = 'Half-imported title';
      c.modules[5].code = c.modules[4].code;
    },
    path: '$.modules[5].code',
    message: /duplicate/,
  },
  {
    name: 'a wrong format',
    make: (c) => {
      c.modules[1].title = 'Half-imported title';
      c.format = 'npq-catalogue/2';
    },
    path: '$.format',
  },
  {
    name: 'not JSON',
    text: '{"format": "npq-catalogue/1", "levels": [',
    path: '$',
    message: /not valid JSON/,
  },
  {
    name: 'a JSON array, not an object',
    text: '[]',
    path: '$',
  },
  {
    name: 'an empty file',
    text: '',
    path: '$',
  },
];

test('an invalid import exits 1, names the JSON path, and changes nothing', async () => {
  const { dir, dbPath } = await freshDb();
  const before = await exportDb(dbPath);
  for (const [i, bad] of INVALID.entries()) {
    let text = bad.text;
    if (text === undefined) {
      const c = loadDefaultCatalogue();
      bad.make(c);
      text = `${JSON.stringify(c, null, 2)}\n`;
    }
    const file = writeJson(dir, `bad-${i}.json`, text);
    const r = await runNpq(['catalogue', 'import', '--db', dbPath, file]);
    assert.equal(r.code, 1, `${bad.name}: exit code (stderr:\n${r.stderr})`);
    assertErrorLine(r.stderr, file, bad.path, bad.message);
    for (const line of r.stderr.split('\n').filter(Boolean))
      assert.match(line, /^(.+: \$\S*: .+|npq: .+)$/, `${bad.name}: stderr line "${line}" is "FILE: $.path: message" or "npq: ..."`);
    assert.match(r.stderr, /nothing was changed/, bad.name);
    assert.equal(await exportDb(dbPath), before, `${bad.name}: the database is unchanged`);

    // The same through standard input, named "-".
    const viaStdin = await runNpq(['catalogue', 'import', '--db', dbPath, '-'], { input: text });
    assert.equal(viaStdin.code, 1, `${bad.name} on stdin`);
    assertErrorLine(viaStdin.stderr, '-', bad.path, bad.message);
  }
  assert.equal(await exportDb(dbPath), before);
});

/*
 * Module codes are lower-case slugs. A rule that names one in other letters ("Closing-The-Gap") must
 * either be refused, naming the path, or be taken as that module everywhere: in the export, in the
 * qualification and in the module's own list of qualifications.
 */
test('a rule naming a module in other letters is refused or understood consistently', async () => {
  const { dir, dbPath } = await freshDb();
  const c = loadDefaultCatalogue();
  const q = c.qualifications.findIndex((x) => x.code === 'NPQSL');
  assert.equal(c.qualifications[q].rule.essential[0], 'closing-the-gap');
  c.qualifications[q].rule.essential[0] = 'Closing-The-Gap';
  const file = writeJson(dir, 'mixed-case.json', c);

  const validated = await runNpq(['catalogue', 'validate', file]);
  const r = await runNpq(['catalogue', 'import', '--db', dbPath, file]);
  assert.equal(validated.code, r.code, `validate (${validated.code}) and import (${r.code}) agree`);
  if (r.code !== 0) {
    assert.equal(r.code, 1);
    assertErrorLine(r.stderr, file, `$.qualifications[${q}].rule.essential[0]`);
    assert.equal(await exportDb(dbPath), DEFAULT_TEXT);
    return;
  }
  // Accepted: then it is the module closing-the-gap, wherever it is looked at.
  const server = await startServer({ threads: 1, db: dbPath });
  try {
    const qual = await getJson(server.url, '/api/v1/qualifications/NPQSL');
    assert.ok(qual.strands.some((s) => s.essential.some((m) => m.code === 'closing-the-gap')), 'NPQSL shows closing-the-gap as essential');
    const mod = await getJson(server.url, '/api/v1/modules/closing-the-gap');
    assert.deepEqual(
      mod.qualifications.map((x) => [x.code, x.role]),
      [
        ['NPQSL', 'essential'],
        ['NPQH', 'elective'],
      ],
      '/api/v1/modules/closing-the-gap counts towards NPQSL as essential',
    );
  } finally {
    await server.stop();
  }
  const exported = JSON.parse(await exportDb(dbPath));
  assert.deepEqual(exported.qualifications[q].rule.essential, ['closing-the-gap', 'succeeding-in-senior-leadership'], 'the export names the module by its code');
});

test('import of a missing file exits 1 and changes nothing', async () => {
  const { dir, dbPath } = await freshDb();
  const r = await runNpq(['catalogue', 'import', '--db', dbPath, path.join(dir, 'missing.json')]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /cannot open/);
  assert.equal(await exportDb(dbPath), DEFAULT_TEXT);
});

test('validate: good and bad files, without a database', async () => {
  const dir = await makeTempDir();
  const good = await runNpq(['catalogue', 'validate', DEFAULT_CATALOGUE], { cwd: dir });
  assert.equal(good.code, 0, good.stderr);
  assert.match(good.stderr, /: valid$/m);

  const c = loadDefaultCatalogue();
  c.modules[0].strand = 'nope';
  const badFile = writeJson(dir, 'bad.json', c);
  const bad = await runNpq(['catalogue', 'validate', badFile], { cwd: dir });
  assert.equal(bad.code, 1);
  assertErrorLine(bad.stderr, badFile, '$.modules[0].strand', /unknown strand "nope"/);

  const notJson = writeJson(dir, 'not.json', 'this is not JSON');
  const nj = await runNpq(['catalogue', 'validate', notJson], { cwd: dir });
  assert.equal(nj.code, 1);
  assertErrorLine(nj.stderr, notJson, '$', /not valid JSON/);

  const missing = await runNpq(['catalogue', 'validate', path.join(dir, 'missing.json')], { cwd: dir });
  assert.equal(missing.code, 1);

  // validate never creates a database.
  assert.deepEqual(fs.readdirSync(dir).filter((f) => f.endsWith('.db')), []);
});

test('several errors are all reported', async () => {
  const dir = await makeTempDir();
  const c = loadDefaultCatalogue();
  c.modules[0].strand = 'nope';
  c.modules[7].level = 7;
  c.qualifications[2].rule.essential[0] = 'no-such-module';
  const file = writeJson(dir, 'bad.json', c);
  const r = await runNpq(['catalogue', 'validate', file]);
  assert.equal(r.code, 1);
  assertErrorLine(r.stderr, file, '$.modules[0].strand');
  assertErrorLine(r.stderr, file, '$.modules[7].level');
  assertErrorLine(r.stderr, file, '$.qualifications[2].rule.essential[0]');
});

test('usage errors exit 2', async () => {
  for (const args of [['frobnicate'], [], ['catalogue'], ['catalogue', 'frobnicate'], ['catalogue', 'import'], ['catalogue', 'validate'], ['serve', '--threads', '0'], ['serve', '--no-such-option'], ['serve', 'extra']]) {
    const r = await runNpq(args);
    assert.equal(r.code, 2, `npq ${args.join(' ')}: exit ${r.code}\n${r.stderr}`);
    assert.match(r.stderr, /usage|unexpected|must be|unknown/i, `npq ${args.join(' ')} says why`);
  }
  const help = await runNpq(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /usage: npq COMMAND/);
});

test('a catalogue imported while the server runs is served within 3 seconds', async () => {
  const server = await startServer({ threads: 2 });
  try {
    const before = await request(server.url, '/api/v1/modules/closing-the-gap');
    const beforeList = await request(server.url, '/api/v1/qualifications/NPQSL');
    const revision = (await getJson(server.url, '/api/v1/health')).catalogue_revision;
    assert.equal(before.json().title, 'Closing the gap');

    const c = loadDefaultCatalogue();
    c.modules.find((m) => m.code === 'closing-the-gap').title = 'Closing the gap (revised)';
    const file = writeJson(server.dir, 'revised.json', c);
    const r = await runNpq(['catalogue', 'import', '--db', server.dbPath, file]);
    assert.equal(r.code, 0, r.stderr);

    const t0 = Date.now();
    const seen = await poll(
      async () => {
        const m = await getJson(server.url, '/api/v1/modules/closing-the-gap');
        return m.title === 'Closing the gap (revised)' ? m : null;
      },
      { timeoutMs: 3000, intervalMs: 50 },
    );
    assert.ok(seen, `the new title was not served within 3 s (waited ${Date.now() - t0} ms)`);

    // Every worker, every cached document: ask enough times to reach both threads.
    const t1 = Date.now();
    const all = await poll(
      async () => {
        const rs = await Promise.all(Array.from({ length: 16 }, () => request(server.url, '/api/v1/qualifications/NPQSL')));
        return rs.every((x) => x.text.includes('Closing the gap (revised)')) ? rs : null;
      },
      { timeoutMs: 3000 - (t1 - t0) > 1500 ? 3000 - (t1 - t0) : 1500, intervalMs: 50 },
    );
    assert.ok(all, 'every worker serves the new catalogue');
    assert.notEqual(all[0].headers.get('etag'), beforeList.headers.get('etag'), 'the ETag changed with the document');
    const stale = await request(server.url, '/api/v1/qualifications/NPQSL', { headers: { 'if-none-match': beforeList.headers.get('etag') } });
    assert.equal(stale.status, 200, 'the old ETag no longer matches');

    const page = await request(server.url, '/qualifications/NPQSL');
    assert.ok(page.text.includes('Closing the gap (revised)'), 'the page shows the new title');
    const health = await getJson(server.url, '/api/v1/health');
    assert.ok(health.catalogue_revision > revision, `revision ${health.catalogue_revision} > ${revision}`);

    // An invalid import while serving changes nothing the server shows.
    const bad = loadDefaultCatalogue();
    bad.modules[0].strand = 'nope';
    bad.modules.find((m) => m.code === 'closing-the-gap').title = 'Should never be served';
    const badFile = writeJson(server.dir, 'bad.json', bad);
    const rb = await runNpq(['catalogue', 'import', '--db', server.dbPath, badFile]);
    assert.equal(rb.code, 1);
    await new Promise((res) => setTimeout(res, 1200));
    assert.equal((await getJson(server.url, '/api/v1/modules/closing-the-gap')).title, 'Closing the gap (revised)');
    assert.equal((await getJson(server.url, '/api/v1/health')).catalogue_revision, health.catalogue_revision);
  } finally {
    await server.stop();
  }
});

test('serve honours NPQ_DB and NPQ_LISTEN', async () => {
  const server = await startServer({
    threads: 1,
    passDb: false,
    passListen: false,
    env: ({ dbPath }) => ({ NPQ_DB: dbPath, NPQ_LISTEN: '127.0.0.1:0' }),
  });
  try {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(server.port, 0);
    assert.ok(server.stdout().includes(`(database ${server.dbPath},`), `listening line names NPQ_DB:\n${server.stdout()}`);
    assert.equal((await getJson(server.url, '/api/v1/health')).status, 'ok');

    // It is that database: an import into it is what the server serves.
    const c = loadDefaultCatalogue();
    c.qualifications.find((q) => q.code === 'NPQH').title = 'Headship (from NPQ_DB)';
    const file = writeJson(server.dir, 'c.json', c);
    const r = await runNpq(['catalogue', 'import', file], { env: { NPQ_DB: server.dbPath } });
    assert.equal(r.code, 0, r.stderr);
    const seen = await poll(async () => (await getJson(server.url, '/api/v1/qualifications/NPQH')).title === 'Headship (from NPQ_DB)', { timeoutMs: 3000, intervalMs: 50 });
    assert.ok(seen, 'the import through NPQ_DB reached the server started with NPQ_DB');
    // export honours NPQ_DB too
    assert.match(await exportDb(null, { NPQ_DB: server.dbPath }), /Headship \(from NPQ_DB\)/);
  } finally {
    await server.stop();
  }
});

test('--db and --listen win over NPQ_DB and NPQ_LISTEN', async () => {
  const server = await startServer({
    threads: 1,
    env: ({ dir }) => ({ NPQ_DB: path.join(dir, 'no-such-dir', 'other.db'), NPQ_LISTEN: 'not-an-address' }),
  });
  try {
    assert.ok(server.stdout().includes(`(database ${server.dbPath},`), server.stdout());
    assert.equal((await getJson(server.url, '/api/v1/health')).status, 'ok');
  } finally {
    await server.stop();
  }
});

test('serve refuses a bad --listen and exits non-zero', async () => {
  const { dbPath } = await freshDb();
  const r = await runNpq(['serve', '--db', dbPath, '--listen', 'no-port-here', '--access-log', 'off'], { timeoutMs: 10000 });
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /--listen must be HOST:PORT/);
});
