'use strict';
/*
 * Kills: writers pour in records and files while the server is killed with SIGKILL at random
 * moments, again and again (KILLS, default 200), and restarted on the same database. Afterwards
 * every write that was answered 2xx must be there and whole: organisations by name, assessment
 * tasks with all their criteria, uploaded files byte for byte; and the database must pass
 * SQLite's integrity check (npq restore runs it on a copy). Writes cut off by a kill may or may
 * not have happened; none may be half there.
 *
 *   KILLS=200 NPQ_BIN=build/npq node --test tests/faults/kills.test.js      (make faults)
 */
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const path = require('node:path');

const { startServer, runNpq } = require('../api/helpers');
const { prepareDemoDb, apiAs } = require('../api/auth_helpers');

const KILLS = Number(process.env.KILLS || 200);
const DAY = 86400 * 1000;
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const dateOn = (offsetDays) => new Date(Date.now() + offsetDays * DAY).toISOString().slice(0, 10);
const sha256 = (data) => crypto.createHash('sha256').update(data).digest('hex');

let demo;
let server;
let enrolmentId;
const acked = { organisations: [], tasks: [], files: [] };

const as = (role) => apiAs(server, demo.tokens[role], role);

function ok(r, status, what) {
  assert.equal(r.status, status, `${what}: expected ${status}, got ${r.status} ${r.text.slice(0, 500)}`);
  return r.json();
}

before(async () => {
  demo = await prepareDemoDb();
  server = await startServer({ db: demo.dbPath, threads: 2 });
  const orgs = (await as('admin').json('/api/v1/organisations')).organisations;
  const school = orgs.find((o) => o.kind === 'school').id;
  const partner = orgs.find((o) => o.kind === 'delivery_partner').id;
  const cohort = ok(
    await as('admin').post('/api/v1/cohorts', {
      code: 'NPQSL-KILLS-1',
      kind: 'qualification',
      target: 'NPQSL',
      delivery_model: 'blended',
      starts_on: dateOn(-30),
      ends_on: dateOn(600),
      delivery_partner_id: partner,
    }),
    201,
    'add a cohort',
  );
  const draft = ok(
    await as('admin').post('/api/v1/applications', {
      participant_id: demo.ids.participant,
      kind: 'qualification',
      target: 'NPQSL',
      electives: ['improving-the-quality-of-teaching', 'school-self-evaluation'],
      school_id: school,
      sponsor_id: demo.ids.headteacher,
      job_role: 'Assistant head',
      delivery_model: 'blended',
      funding_route: 'school',
    }),
    201,
    'draft an application',
  );
  const step = async (role, name, body) => ok(await as(role).post(`/api/v1/applications/${draft.id}/${name}`, body), 200, `${role}: ${name}`);
  await step('admin', 'submit');
  await step('headteacher', 'approve');
  await step('admin', 'accept');
  enrolmentId = (await step('admin', 'enrol', { cohort_id: cohort.id })).enrolment_id;
});

after(async () => {
  await server?.stop();
});

/* Each writer loops until stopped; a write's record is kept only once its 2xx has arrived. */
async function organisationWriter(round, w, stopped) {
  for (let i = 0; !stopped(); i++) {
    const name = `Kill ${round}-${w}-${i}`;
    try {
      const r = await as('admin').post('/api/v1/organisations', { kind: 'trust', name });
      if (r.status === 201) acked.organisations.push({ id: r.json().id, name });
    } catch {
      return; /* the server is gone */
    }
  }
}

async function taskWriter(round, stopped) {
  for (let i = 0; !stopped(); i++) {
    const criteria = Array.from({ length: 1 + (i % 5) }, (_, k) => ({ title: `Criterion ${k + 1} of ${round}-${i}` }));
    try {
      const r = await as('admin').post('/api/v1/assessment-tasks', {
        kind: 'module',
        target: 'closing-the-gap',
        title: `Kill task ${round}-${i}`,
        deadline: iso(Date.now() + 30 * DAY),
        criteria,
      });
      if (r.status === 201) acked.tasks.push({ id: r.json().id, criteria: criteria.length });
    } catch {
      return;
    }
  }
}

/* Files go onto a draft (a task and a draft for it, made when needed, up to 20 files each). */
let draft = null; /* {id, files} once both writes were answered */
async function fileWriter(round, stopped) {
  for (let i = 0; !stopped(); i++) {
    try {
      if (draft === null || draft.files >= 20) {
        const t = await as('admin').post('/api/v1/assessment-tasks', {
          kind: 'module',
          target: 'succeeding-in-senior-leadership',
          title: `Kill file task ${round}-${i}`,
          deadline: iso(Date.now() + 30 * DAY),
          criteria: [{ title: 'Shows the work' }],
        });
        if (t.status !== 201) continue;
        const s = await as('participant').post('/api/v1/submissions', { task_id: t.json().id, enrolment_id: enrolmentId });
        if (s.status !== 201) continue;
        draft = { id: s.json().id, files: 0 };
      }
      const data = Buffer.concat([Buffer.from('%PDF-1.7\n'), crypto.randomBytes(16 * 1024 + ((round * 7919 + i) % 65536))]);
      draft.files++; /* counted before the answer: a file cut off by a kill may be there */
      const f = await as('participant').request('POST', `/api/v1/submissions/${draft.id}/files`, {
        body: data,
        contentType: 'application/octet-stream',
        headers: { 'x-file-name': `kill-${round}-${i}.pdf` },
      });
      if (f.status === 201) acked.files.push({ submission: draft.id, id: f.json().id, size: data.length, sha256: sha256(data) });
    } catch {
      return;
    }
  }
}

test(`${KILLS} kills with SIGKILL during writes lose nothing answered 2xx`, async () => {
  for (let round = 0; round < KILLS; round++) {
    let stop = false;
    const stopped = () => stop;
    const writers = [organisationWriter(round, 0, stopped), organisationWriter(round, 1, stopped), taskWriter(round, stopped), fileWriter(round, stopped)];
    await new Promise((r) => setTimeout(r, 50 + crypto.randomInt(450)));
    for (const h of [server.proc, server.proc.stdout, server.proc.stderr]) h.ref();
    server.proc.kill('SIGKILL');
    const killed = await server.exited;
    assert.equal(killed.signal, 'SIGKILL', `round ${round}: killed`);
    stop = true;
    await Promise.all(writers);
    server = await startServer({ db: demo.dbPath, threads: 2 });
  }
  assert.ok(acked.organisations.length > KILLS && acked.tasks.length > 0 && acked.files.length > 0, JSON.stringify({
    organisations: acked.organisations.length,
    tasks: acked.tasks.length,
    files: acked.files.length,
  }));

  /* Each by its own address: the list stops at 1,000, fewer than a long run makes. */
  const lost = [];
  for (const o of acked.organisations) {
    const r = await as('admin').get(`/api/v1/organisations/${o.id}`);
    if (r.status !== 200 || r.json().name !== o.name) lost.push(`${o.id} ${o.name}: ${r.status}`);
  }
  assert.deepEqual(lost, [], 'every organisation answered 201 is there');

  for (const t of acked.tasks) {
    const got = ok(await as('admin').get(`/api/v1/assessment-tasks/${t.id}`), 200, `task ${t.id}`);
    assert.equal(got.criteria.length, t.criteria, `task ${t.id} has all its criteria`);
  }
  for (const f of acked.files) {
    const sub = ok(await as('participant').get(`/api/v1/submissions/${f.submission}`), 200, `submission ${f.submission}`);
    const kept = sub.draft?.files ?? [];
    const file = kept.find((x) => x.id === f.id);
    assert.ok(file, `file ${f.id} is on submission ${f.submission}: ${JSON.stringify(sub).slice(0, 300)}`);
    assert.equal(file.size, f.size);
    const body = await as('participant').get(file.href);
    assert.equal(body.status, 200);
    assert.equal(sha256(body.body), f.sha256, `file ${f.id} byte for byte`);
  }

  await server.stop();
  server = null;
  const check = await runNpq(['restore', '--db', path.join(demo.dir, 'integrity.db'), '--from', demo.dbPath]);
  assert.equal(check.code, 0, `the database after ${KILLS} kills passes the integrity check: ${check.stderr}`);
  console.log(`${KILLS} kills; answered and found intact: ${acked.organisations.length} organisations, ${acked.tasks.length} tasks, ${acked.files.length} files`);
});
