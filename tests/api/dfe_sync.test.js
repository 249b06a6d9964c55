'use strict';
/*
 * The sync with the DfE's lead-provider API (v3), black-box: the real binary against a fake DfE
 * that keeps state (tests/support/fake_dfe.js), behind Stoplight Prism as a validating proxy
 * started on loopback from the DfE's published document, so every request npq sends is checked
 * against it (a request that breaks it never reaches the fake).
 *
 *   NPQ_BIN=build/npq node --test --test-concurrency=1 tests/api/dfe_sync.test.js
 *
 * Declarations due from evidence are approved by an administrator and submitted; a refusal (422)
 * is shown against the participant in the DfE's words; a submission whose answer is lost is found
 * at the DfE rather than made twice; a sync killed half way goes on from its page; a 429 is waited
 * out; voids reach the DfE. The tests share one server and run in order.
 */
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const { NPQ_BIN, runNpq } = require('./helpers');
const { prepareDemoDb, startServerWithArgs, apiAs, signIn } = require('./auth_helpers');
const { startFakeDfe } = require('../support/fake_dfe');
const { startPrism } = require('../support/dfe_prism');

let fake;
let prism;
let server;
let demo;
let as;
let open; // a specialist schedule whose started window is open today
let partner; // the delivery partner running the test cohort, and its DfE id
const PARTNER_DFE_ID = '524df095-f9bf-4f9d-ba4c-772545a99e60';
const enrolments = {};
const today = new Date().toISOString().slice(0, 10);

function show(r) {
  return `${r.status} ${r.text.slice(0, 1500)}`;
}

function expectStatus(r, status, what) {
  assert.equal(r.status, status, `${what}: expected ${status}, got ${show(r)}`);
  return r.json();
}

const EXTRA = {
  p3: { email: 'pat.three@example.test', name: 'Pat Three', role: 'participant' },
  p4: { email: 'pat.four@example.test', name: 'Pat Four', role: 'participant' },
  p5: { email: 'pat.five@example.test', name: 'Pat Five', role: 'participant' },
};

/* Runs `npq dfe sync` on the server's database; resolves with {code, stdout, stderr, ms}. */
function syncOnce(args = [], { env = {} } = {}) {
  const started = Date.now();
  return runNpq(['dfe', 'sync', '--db', demo.dbPath, ...args], { env: { NPQ_DFE_BACKOFF_MS: '50', ...env }, timeoutMs: 60000 }).then((r) => ({ ...r, ms: Date.now() - started }));
}

async function declarationsOf(enrolmentId) {
  return expectStatus(await as.admin.get(`/api/v1/enrolments/${enrolmentId}/declarations/made`), 200, 'declarations made').declarations;
}

async function callsSince(id) {
  const calls = expectStatus(await as.admin.get('/api/v1/dfe/sync-log?limit=500'), 200, 'sync log').calls;
  return calls.filter((c) => c.id > id).reverse();
}

async function lastCallId() {
  const calls = expectStatus(await as.admin.get('/api/v1/dfe/sync-log?limit=1'), 200, 'sync log').calls;
  return calls.length ? calls[0].id : 0;
}

/* What Prism said about requests or answers that break the document, since mark (an offset in its
 * output, from mark()). The tests that make trouble on purpose (a bad request, a dropped
 * connection, a 429 the document does not list) take a mark after it. */
function violations(since) {
  return prism
    .output()
    .slice(since)
    .split('\n')
    .filter((l) => /violation|\[VALIDATOR\].*(error|warning)|Request terminated/i.test(l));
}
const mark = () => prism.output().length;

before(async () => {
  const catalogue = JSON.parse(fs.readFileSync(path.join(__dirname, '../../catalogue/default.json'), 'utf8'));
  open = catalogue.schedules.find(
    (s) => s.course_group === 'specialist' && s.milestones.some((m) => m.declaration_type === 'started' && m.start_date <= today && (!m.milestone_date || today <= m.milestone_date)),
  );
  fake = await startFakeDfe();
  prism = await startPrism(fake.url);
  demo = await prepareDemoDb({ extraUsers: EXTRA });
  server = await startServerWithArgs([], { db: demo.dbPath, threads: 2 });
  as = Object.fromEntries(Object.entries(demo.tokens).map(([role, token]) => [role, apiAs(server, token, role)]));
  if (!open) return;
  const users = (await as.admin.json('/api/v1/users?limit=200')).users;
  const idOf = (email) => users.find((u) => u.email === email).id;
  const school = (await as.admin.json('/api/v1/organisations')).organisations.find((o) => o.kind === 'school' && o.urn === '100001').id;
  partner = (await as.admin.json('/api/v1/organisations?kind=delivery_partner')).organisations[0];
  expectStatus(await as.admin.patch(`/api/v1/organisations/${partner.id}`, { dfe_delivery_partner_id: PARTNER_DFE_ID }), 200, 'partner DfE id');
  const cohort = expectStatus(
    await as.admin.post('/api/v1/cohorts', { code: 'NPQSENCO-dfe', kind: 'qualification', target: 'NPQSENCO', delivery_model: 'online', delivery_partner_id: partner.id, starts_on: '2026-09-01', ends_on: '2028-07-31' }),
    201,
    'cohort',
  );
  const event = expectStatus(
    await as.admin.post('/api/v1/events', {
      cohort_id: cohort.id,
      kind: 'virtual_live',
      title: 'SENCO session 1',
      venue_id: null,
      joining_url: 'https://meet.example.org/senco',
      capacity: 20,
      starts_at: new Date(Date.now() + 10 * 60 * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      ends_at: new Date(Date.now() + 70 * 60 * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    }),
    201,
    'event',
  );
  const marks = [];
  for (const [key, email] of [['a', 'participant@demo.npq.test'], ['b', EXTRA.p3.email], ['c', EXTRA.p4.email]]) {
    const participant = idOf(email);
    const draft = expectStatus(
      await as.admin.post('/api/v1/applications', {
        participant_id: participant,
        kind: 'qualification',
        target: 'NPQSENCO',
        electives: [],
        school_id: school,
        sponsor_id: demo.ids.headteacher,
        job_role: 'SENCO',
        delivery_model: 'online',
        funding_route: 'school',
        trn: '1234567',
        school_urn: '106286',
        employment_type: 'in_school',
        headteacher_status: 'no',
        works_as_senco: true,
        senco_start_date: '2021-09-01',
        funding_choice: 'school',
        eligible_for_funding: true,
        funded_place: true,
      }),
      201,
      `draft for ${key}`,
    );
    expectStatus(await as.admin.post(`/api/v1/applications/${draft.id}/submit`), 200, 'submit');
    expectStatus(await as.headteacher.post(`/api/v1/applications/${draft.id}/approve`), 200, 'approve');
    expectStatus(await as.admin.post(`/api/v1/applications/${draft.id}/accept`), 200, 'accept');
    const enrolment = expectStatus(await as.admin.post(`/api/v1/applications/${draft.id}/enrol`, { cohort_id: cohort.id }), 200, 'enrol').enrolment_id;
    expectStatus(await as.admin.post(`/api/v1/enrolments/${enrolment}/schedule`, { schedule_identifier: open.identifier, cohort: open.cohort }), 200, 'schedule');
    enrolments[key] = { id: enrolment, user: participant, email };
    expectStatus(await as.admin.post(`/api/v1/events/${event.id}/bookings`, { user_id: participant }), 201, 'book');
    marks.push({ user_id: participant, mark: 'present' });
  }
  const r = await as.admin.put(`/api/v1/events/${event.id}/attendance`, { marks });
  assert.equal(r.status, 200, show(r));
  const configured = await runNpq(['dfe', 'configure', '--db', demo.dbPath, '--url', prism.url, '--token', fake.token, '--requests-per-minute', '6000']);
  assert.equal(configured.code, 0, configured.stderr);
});

after(async () => {
  if (server) await server.stop();
  if (prism) await prism.stop();
  if (fake) await fake.stop();
});

test('Prism starts from the DfE document and refuses a request that breaks it', async (t) => {
  t.diagnostic(`Prism listening after ${prism.startMs} ms`);
  const before = fake.state.requests.length;
  const r = await fetch(`${prism.url}/api/v3/participant-declarations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${fake.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ data: { type: 'participant-declaration', attributes: { declaration_type: 'begun' } } }),
  });
  assert.equal(r.status, 422, 'Prism answers a request the document refuses');
  assert.equal(fake.state.requests.length, before, 'and it never reaches the DfE');
});

test('the configuration is checked, and an unconfigured or refused caller learns why', async (t) => {
  const bad = await runNpq(['dfe', 'configure', '--db', demo.dbPath, '--url', 'ftp://x', '--token', '']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /url: .*https:\/\//);
  assert.match(bad.stderr, /token: /);
  const status = expectStatus(await as.admin.get('/api/v1/dfe'), 200, 'status');
  assert.equal(status.configured, true, 'the earlier configuration stands');
  assert.equal(status.base_url, prism.url);
  // Only administrators reach the DfE's records.
  for (const role of ['participant', 'partner_lead', 'facilitator'])
    assert.equal((await as[role].get('/api/v1/dfe/declarations')).status, 403, `${role} may not`);
  if (!open) t.skip('the default catalogue has no specialist schedule open today');
});

test('a declaration due from evidence is approved and submitted once, in the shape the DfE publishes', async (t) => {
  if (!open) return t.skip('the default catalogue has no specialist schedule open today');
  const a = enrolments.a;
  const since = mark();
  const list = expectStatus(await as.admin.get('/api/v1/dfe/declarations'), 200, 'declarations');
  const due = list.due.filter((d) => d.enrolment_id === a.id);
  assert.deepEqual(due, [{ enrolment_id: a.id, declaration_type: 'started', declaration_date: today, evidence: 'Attended SENCO session 1' }]);
  // Not due: refused by name; the date and evidence are the rule's, never the caller's.
  const early = await as.admin.post(`/api/v1/enrolments/${a.id}/declarations`, { declaration_type: 'completed' });
  assert.equal(early.status, 422, show(early));
  assert.equal(early.json().error.fields[0].field, 'declaration_type');
  const junk = await as.admin.post(`/api/v1/enrolments/${a.id}/declarations`, { declaration_type: 'begun' });
  assert.equal(junk.status, 422);
  const approved = expectStatus(await as.admin.post(`/api/v1/enrolments/${a.id}/declarations`, { declaration_type: 'started' }), 201, 'approve');
  assert.equal(approved.state, 'due');
  assert.equal(approved.dfe_id, null);
  assert.equal(approved.evidence, 'Attended SENCO session 1');
  assert.equal((await as.admin.post(`/api/v1/enrolments/${a.id}/declarations`, { declaration_type: 'started' })).status, 409, 'one of a type');
  assert.equal((await as.admin.json('/api/v1/dfe/declarations')).due.filter((d) => d.enrolment_id === a.id).length, 0, 'no longer due');

  // Before the DfE lists the participant, the declaration waits: npq has no DfE id to send.
  let run = await syncOnce();
  assert.equal(run.code, 0, run.stderr);
  assert.equal(fake.state.declarations.length, 0, 'nothing declared for someone the DfE has not listed');

  const app = fake.addApplication({ email: a.email, fullName: 'Demo Participant' });
  run = await syncOnce();
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /1 submitted/);
  assert.equal(fake.state.declarations.length, 1);
  const sent = fake.state.declarations[0];
  assert.equal(sent.attributes.participant_id, app.attributes.participant_id);
  assert.equal(sent.attributes.course_identifier, 'npq-senco');
  assert.equal(sent.attributes.declaration_type, 'started');
  assert.equal(sent.attributes.declaration_date, `${today}T00:00:00Z`);
  assert.equal(sent.attributes.delivery_partner_id, PARTNER_DFE_ID, "the cohort's delivery partner, by its DfE id");
  const [made] = await declarationsOf(a.id);
  assert.equal(made.dfe_id, sent.id);
  assert.equal(made.state, 'eligible', 'the state the DfE answered with');
  const status = expectStatus(await as.admin.get('/api/v1/dfe'), 200, 'status');
  const pulled = status.applications.find((x) => x.id === app.id);
  assert.equal(pulled.enrolment_id, a.id, 'the DfE application is linked to the enrolment');
  assert.match(status.last_sync_result, /^Finished/);
  // Every request carried the token and passed the document.
  assert.ok(fake.state.requests.every((r) => r.authorization === `Bearer ${fake.token}`));
  assert.deepEqual(violations(since), []);
  // Another run sends nothing again.
  run = await syncOnce();
  assert.equal(fake.state.declarations.length, 1);
});

test('a refusal from the DfE is shown against the participant in its own words, and sent again once put right', async (t) => {
  if (!open) return t.skip('the default catalogue has no specialist schedule open today');
  const b = enrolments.b;
  const app = fake.addApplication({ email: b.email, fullName: EXTRA.p3.name, status: 'pending' });
  expectStatus(await as.admin.post(`/api/v1/enrolments/${b.id}/declarations`, { declaration_type: 'started' }), 201, 'approve');
  const from = await lastCallId();
  const run = await syncOnce();
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /1 refused/);
  const [refused] = await declarationsOf(b.id);
  assert.equal(refused.state, 'due');
  assert.equal(refused.dfe_message, 'participant_id: The participant has not been accepted onto this course.');
  const post = (await callsSince(from)).find((c) => c.method === 'POST');
  assert.equal(post.status, 422);
  assert.equal(post.declaration_id, refused.id);
  assert.match(post.response_body, /not been accepted/);
  // On the pages: the person's page and the DfE page, in the DfE's words.
  const admin = await signIn(server, 'admin@demo.npq.test');
  const person = await admin.get(`/admin/users/${b.user}`);
  assert.equal(person.status, 200);
  assert.match(person.text, /DfE declarations[\s\S]*Refused by the DfE[\s\S]*The DfE said:<\/strong> participant_id: The participant has not been accepted onto this course\./);
  const page = await admin.get('/admin/dfe');
  assert.equal(page.status, 200);
  assert.match(page.text, /Refused by the DfE<\/h2>[\s\S]*Pat Three[\s\S]*not been accepted/);
  // Put right at the DfE, then sent again from the page.
  app.attributes.status = 'accepted';
  const retry = await admin.request('POST', `/admin/dfe/enrolments/${b.id}/declarations/retry`, {
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ declaration_id: String(refused.id), csrf_token: await admin.csrfToken() }).toString(),
  });
  assert.equal(retry.status, 303, retry.text.slice(0, 500));
  assert.equal((await syncOnce()).code, 0);
  const [accepted] = await declarationsOf(b.id);
  assert.equal(accepted.dfe_message, null);
  assert.ok(accepted.dfe_id);
  // A retry of one that was not refused is refused itself.
  assert.equal((await as.admin.post(`/api/v1/enrolments/${b.id}/declarations/retry`, { declaration_id: accepted.id })).status, 409);
});

test('a delivery partner keeps a DfE id, checked as a UUID, and a declaration waits refused while it has none', async (t) => {
  // Checked: a UUID, and only for a delivery partner.
  const bad = await as.admin.patch(`/api/v1/organisations/${partner.id}`, { dfe_delivery_partner_id: 'not-a-uuid' });
  assert.equal(bad.status, 422, show(bad));
  assert.equal(bad.json().error.fields[0].field, 'dfe_delivery_partner_id');
  const school = (await as.admin.json('/api/v1/organisations?kind=school')).organisations[0];
  const onSchool = await as.admin.patch(`/api/v1/organisations/${school.id}`, { dfe_delivery_partner_id: PARTNER_DFE_ID });
  assert.equal(onSchool.status, 422, show(onSchool));
  assert.equal((await as.partner_lead.patch(`/api/v1/organisations/${partner.id}`, { dfe_delivery_partner_id: PARTNER_DFE_ID })).status, 403, 'a provider admin\'s to change');
  assert.equal((await as.admin.json(`/api/v1/organisations/${partner.id}`)).dfe_delivery_partner_id, PARTNER_DFE_ID);
  if (!open) return t.skip('the default catalogue has no specialist schedule open today');
  // Without the id, nothing is sent: the declaration is refused against the participant, saying why.
  expectStatus(await as.admin.patch(`/api/v1/organisations/${partner.id}`, { dfe_delivery_partner_id: null }), 200, 'clear');
  const c = enrolments.c;
  fake.addApplication({ email: c.email, fullName: EXTRA.p4.name });
  expectStatus(await as.admin.post(`/api/v1/enrolments/${c.id}/declarations`, { declaration_type: 'started' }), 201, 'approve');
  const before = fake.state.declarations.length;
  const run = await syncOnce();
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /1 refused/);
  assert.equal(fake.state.declarations.length, before, 'nothing sent without the partner');
  const [waiting] = await declarationsOf(c.id);
  assert.equal(waiting.state, 'due');
  assert.match(waiting.dfe_message, /^delivery_partner_id: .* has no DfE delivery partner id/);
  const admin = await signIn(server, 'admin@demo.npq.test');
  assert.match((await admin.get(`/admin/users/${c.user}`)).text, /has no DfE delivery partner id/);
  // Set from the partner's page, then sent again.
  const form = await admin.post(`/admin/organisations/${partner.id}`, { name: partner.name, dfe_delivery_partner_id: PARTNER_DFE_ID });
  assert.equal(form.status, 303, form.text.slice(0, 500));
  assert.match((await admin.get(`/admin/organisations/${partner.id}`)).text, new RegExp(PARTNER_DFE_ID));
  expectStatus(await as.admin.post(`/api/v1/enrolments/${c.id}/declarations/retry`, { declaration_id: waiting.id }), 200, 'retry');
});

test('a submission whose answer was lost is found at the DfE on the retry, never made twice', async (t) => {
  if (!open) return t.skip('the default catalogue has no specialist schedule open today');
  const c = enrolments.c;
  // Listed and approved by the test before, sent again now that its partner has a DfE id.
  const app = fake.state.applications.find((x) => x.attributes.email === c.email);
  fake.state.trouble.dropNextDeclaration = true;
  const from = await lastCallId();
  const run = await syncOnce();
  assert.equal(run.code, 0, run.stderr);
  const theirs = fake.state.declarations.filter((d) => d.attributes.participant_id === app.attributes.participant_id);
  assert.equal(theirs.length, 1, 'one declaration at the DfE');
  const [ours] = await declarationsOf(c.id);
  assert.equal(ours.dfe_id, theirs[0].id, 'npq took the one the DfE had');
  const calls = (await callsSince(from)).filter((x) => x.declaration_id === ours.id);
  assert.equal(calls[0].method, 'POST');
  assert.notEqual(calls[0].status, 200, 'the first answer was lost');
  assert.equal(calls[1].method, 'GET', 'then the DfE was asked before sending again');
  assert.match(calls[1].path, /filter%5Bparticipant_id%5D=/);
  assert.equal(calls.filter((x) => x.method === 'POST').length, 1, 'and nothing was sent twice');
});

test('a sync killed half way through goes on from its page, missing nothing and repeating nothing', async (t) => {
  const added = [];
  for (let i = 0; i < 5; i++) added.push(fake.addApplication({ email: `applicant${i}@example.org`, fullName: `Applicant ${i}`, status: 'pending' }));
  fake.state.trouble.holdPage = { page: 2, ms: 20000 };
  const seen = fake.state.requests.length;
  const proc = spawn(NPQ_BIN, ['dfe', 'sync', '--db', demo.dbPath, '--per-page', '2'], { stdio: 'ignore' });
  const exited = new Promise((r) => proc.on('exit', r));
  // Page 1 is stored; page 2 is asked for and held back: kill the sync there.
  const deadline = Date.now() + 20000;
  while (!fake.state.requests.slice(seen).some((r) => r.path === '/api/v3/npq-applications' && /page%5Bpage%5D=2/.test(r.query)) && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 50));
  proc.kill('SIGKILL');
  await exited;
  const firstRun = fake.state.requests.slice(seen).filter((r) => r.path === '/api/v3/npq-applications');
  assert.ok(firstRun.length >= 2, 'the first run reached page 2');
  fake.state.trouble.holdPage = null;
  const resumeFrom = fake.state.requests.length;
  const run = await syncOnce(['--per-page', '2']);
  assert.equal(run.code, 0, `the lease of the killed run is taken back: ${run.stderr}`);
  const again = fake.state.requests.slice(resumeFrom).filter((r) => r.path === '/api/v3/npq-applications');
  assert.match(again[0].query, /page%5Bpage%5D=2/, 'the next run goes on from the page it was killed on');
  assert.match(again[0].query, /sort=updated_at/);
  const status = expectStatus(await as.admin.get('/api/v1/dfe'), 200, 'status');
  const ids = status.applications.map((x) => x.id);
  for (const a of added) assert.equal(ids.filter((id) => id === a.id).length, 1, `${a.attributes.email} stored once`);
  assert.equal(new Set(ids).size, ids.length, 'nothing twice');
  // The next run asks only for what changed since the pull began (less a margin for clocks).
  const next = fake.state.requests.length;
  assert.equal((await syncOnce(['--per-page', '2'])).code, 0);
  const asked = fake.state.requests.slice(next).find((r) => r.path === '/api/v3/npq-applications');
  assert.match(asked.query, /filter%5Bupdated_since%5D=\d{4}-\d\d-\d\dT\d\d%3A|filter%5Bupdated_since%5D=\d{4}-\d\d-\d\dT\d\d:/);
  assert.match(asked.query, /page%5Bpage%5D=1/);
});

test('a 429 is waited out for as long as the DfE says, then asked again', async () => {
  fake.state.trouble.tooManyNext = 1;
  const from = await lastCallId();
  const run = await syncOnce();
  assert.equal(run.code, 0, run.stderr);
  const calls = await callsSince(from);
  assert.equal(calls[0].status, 429);
  assert.equal(calls[1].path, calls[0].path);
  assert.equal(calls[1].attempt, 2);
  assert.equal(calls[1].status, 200);
  assert.ok(run.ms >= 1000, `the run waited the second Retry-After asked for (${run.ms} ms)`);
});

test('a void reaches the DfE at the next sync; one the DfE never had is voided at once', async (t) => {
  if (!open) return t.skip('the default catalogue has no specialist schedule open today');
  const a = enrolments.a;
  const since = mark();
  const [made] = await declarationsOf(a.id);
  const asked = expectStatus(await as.admin.post(`/api/v1/enrolments/${a.id}/declarations/void`, { declaration_id: made.id }), 200, 'void');
  assert.equal(asked.void_requested, true);
  assert.equal(asked.state, 'eligible', 'until the DfE says so');
  assert.equal((await as.admin.post(`/api/v1/enrolments/${a.id}/declarations/void`, { declaration_id: made.id })).status, 409, 'asked once');
  // Another enrolment's declaration is not found through this one.
  assert.equal((await as.admin.post(`/api/v1/enrolments/${enrolments.b.id}/declarations/void`, { declaration_id: made.id })).status, 404);
  assert.equal((await syncOnce()).code, 0);
  const [voided] = await declarationsOf(a.id);
  assert.equal(voided.state, 'voided');
  assert.equal(voided.void_requested, false);
  assert.equal(fake.state.declarations.find((d) => d.id === made.dfe_id).attributes.state, 'voided');
  // Due again now that the void stands: approved and voided before any sync, the DfE never hears.
  const again = expectStatus(await as.admin.post(`/api/v1/enrolments/${a.id}/declarations`, { declaration_type: 'started' }), 201, 'approve again');
  const gone = expectStatus(await as.admin.post(`/api/v1/enrolments/${a.id}/declarations/void`, { declaration_id: again.id }), 200, 'void at once');
  assert.equal(gone.state, 'voided');
  assert.deepEqual(violations(since), [], 'every request and answer of the void matches the document');
});

test('a withdrawal and a change of schedule in npq are sent to the DfE by the next sync', async (t) => {
  if (!open) return t.skip('the default catalogue has no specialist schedule open today');
  const since = mark();
  const c = enrolments.c;
  const withdrawn = await as.admin.post(`/api/v1/enrolments/${c.id}/withdraw`, { reason: 'Moving school', reason_code: 'personal-reason-moving-school' });
  assert.equal(withdrawn.status, 200, show(withdrawn));
  const other = open.identifier === 'npq-specialist-spring' ? 'npq-specialist-autumn' : 'npq-specialist-spring';
  const moved = await as.admin.post(`/api/v1/enrolments/${enrolments.b.id}/schedule`, { schedule_identifier: other, cohort: open.cohort });
  const from = await lastCallId();
  assert.equal((await syncOnce()).code, 0);
  const steps = fake.state.participantSteps;
  const participantOf = (email) => fake.state.applications.find((x) => x.attributes.email === email).attributes.participant_id;
  assert.deepEqual(
    steps.find((x) => x.step === 'withdraw'),
    { participant_id: participantOf(c.email), step: 'withdraw', attributes: { course_identifier: 'npq-senco', reason: 'personal-reason-moving-school' } },
  );
  if (moved.status === 200)
    assert.deepEqual(steps.find((x) => x.step === 'change-schedule').attributes, { course_identifier: 'npq-senco', schedule_identifier: other });
  const calls = await callsSince(from);
  assert.ok(calls.some((x) => x.method === 'PUT' && /\/withdraw$/.test(x.path) && x.status === 200 && x.enrolment_id === c.id));
  // Sent once: the next sync has nothing of it to send.
  const before = steps.length;
  assert.equal((await syncOnce()).code, 0);
  assert.equal(fake.state.participantSteps.length, before);
  assert.deepEqual(violations(since), []);
});

test('accepting an application the DfE lists is sent to the DfE by the next sync', async (t) => {
  if (!open) return t.skip('the default catalogue has no specialist schedule open today');
  const since = mark();
  const users = (await as.admin.json('/api/v1/users?limit=200')).users;
  const participant = users.find((u) => u.email === EXTRA.p5.email).id;
  const school = (await as.admin.json('/api/v1/organisations')).organisations.find((o) => o.kind === 'school' && o.urn === '100001').id;
  const draft = expectStatus(
    await as.admin.post('/api/v1/applications', {
      participant_id: participant, kind: 'qualification', target: 'NPQSENCO', electives: [], school_id: school, sponsor_id: demo.ids.headteacher,
      job_role: 'SENCO', delivery_model: 'online', funding_route: 'school', trn: '1234567', school_urn: '106286', employment_type: 'in_school',
      headteacher_status: 'no', works_as_senco: true, senco_start_date: '2021-09-01', funding_choice: 'school', eligible_for_funding: true, funded_place: true,
    }),
    201,
    'draft',
  );
  expectStatus(await as.admin.post(`/api/v1/applications/${draft.id}/submit`), 200, 'submit');
  expectStatus(await as.headteacher.post(`/api/v1/applications/${draft.id}/approve`), 200, 'approve');
  const listed = fake.addApplication({ email: EXTRA.p5.email, fullName: EXTRA.p5.name, status: 'pending' });
  assert.equal((await syncOnce()).code, 0, 'the DfE application is pulled');
  expectStatus(await as.admin.post(`/api/v1/applications/${draft.id}/accept`), 200, 'accept');
  assert.equal(listed.attributes.status, 'pending', 'nothing is sent before the sync');
  assert.equal((await syncOnce()).code, 0);
  assert.equal(listed.attributes.status, 'accepted');
  assert.deepEqual(violations(since), []);
});

test('statements are read from the DfE and shown with the sync on the DfE page', async () => {
  fake.addStatement({ month: 'June', year: '2027', cohort: '2026', cutOff: '2027-05-31', payment: '2027-06-25' });
  // This time from the API: the server runs the sync itself and says how it went.
  const ran = expectStatus(await as.admin.post('/api/v1/dfe/sync'), 200, 'sync now');
  assert.match(ran.result, /^Finished\. \d+ calls/);
  assert.ok(ran.calls >= 3);
  const status = expectStatus(await as.admin.get('/api/v1/dfe'), 200, 'status');
  assert.ok(status.statements.some((s) => s.month === 'June' && s.year === '2027' && s.paid === false));
  const admin = await signIn(server, 'admin@demo.npq.test');
  const page = await admin.get('/admin/dfe');
  assert.match(page.text, /Statements<\/h2>[\s\S]*June 2027/);
  assert.match(page.text, /Last sync<\/dt>/);
  assert.match(page.text, /Calls to the DfE<\/h2>/);
  const participant = await signIn(server, 'participant@demo.npq.test');
  assert.equal((await participant.get('/admin/dfe')).status, 403);
});

test('the server syncs on its own every --dfe-sync-interval', async () => {
  const before = expectStatus(await as.admin.get('/api/v1/dfe'), 200, 'status').last_sync_at;
  const other = await startServerWithArgs(['--dfe-sync-interval', '1'], { db: demo.dbPath, threads: 1 });
  try {
    const deadline = Date.now() + 20000;
    let after = before;
    while (after === before && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 300));
      after = expectStatus(await as.admin.get('/api/v1/dfe'), 200, 'status').last_sync_at;
    }
    assert.notEqual(after, before, 'a sync ran in the background');
  } finally {
    await other.stop();
  }
});
