'use strict';
/*
 * Applications, enrolments and pathways, black-box: the real binary on a demo database (`npq
 * demo`), an API token for every role, and a real SMTP sink (aiosmtpd) for the sponsor's email.
 *
 *   NPQ_BIN=build/npq node --test --test-concurrency=1 tests/api/applications.test.js
 *
 * The tests share one server and run in order: later ones build on the records earlier ones
 * made (the demo participant's NPQSL enrolment, the cohorts), and each says what it relies on.
 */
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');

const { request, parseCsv } = require('./helpers');
const { prepareDemoDb, startServerWithArgs, apiAs, signIn } = require('./auth_helpers');
const { startSmtpSink, freePort } = require('./smtp_sink');

/* ---------------------------------------------------------------- fixtures */

const MAIL_SUBJECT = 'An NPQ application needs your approval';
const THIS_YEAR = new Date().getUTCFullYear();
const FUTURE_DATE = `${THIS_YEAR + 1}-09-01`;

let sink;
let server;
let demo; // {dbPath, tokens, ids, emails}
let as; // callers by role: admin, partner_lead, facilitator, coach, assessor, participant, mentor, headteacher, other
const anon = () => apiAs(server, null, 'anonymous');
const org = {}; // school, hillside, partner
const cohort = {}; // key -> cohort JSON
const shared = {}; // records later tests build on

const SL_ELECTIVES = ['improving-the-quality-of-teaching', 'school-self-evaluation'];

/* ---------------------------------------------------------------- assertions */

function show(r) {
  return `${r.status} ${r.text.slice(0, 1500)}`;
}

function expectStatus(r, status, what) {
  assert.equal(r.status, status, `${what}: expected ${status}, got ${show(r)}`);
  return r.status === 204 ? null : r.json();
}

/* A 422 whose fields name field with a message matching re. */
function expect422(r, field, re, what) {
  assert.equal(r.status, 422, `${what}: expected 422 on ${field}, got ${show(r)}`);
  const body = r.json();
  assert.equal(body.error.code, 'invalid', `${what}: error code`);
  assert.equal(body.error.status, 422);
  assert.ok(Array.isArray(body.error.fields), `${what}: error.fields is a list: ${r.text}`);
  const hit = body.error.fields.find((f) => f.field === field && re.test(f.message));
  assert.ok(hit, `${what}: a field error on "${field}" matching ${re}; got ${JSON.stringify(body.error.fields)}`);
  return body;
}

/* A 409 whose message matches re. */
function expect409(r, re, what) {
  assert.equal(r.status, 409, `${what}: expected 409, got ${show(r)}`);
  const body = r.json();
  assert.equal(body.error.code, 'conflict', `${what}: error code`);
  assert.match(body.error.message, re, `${what}: message`);
  return body;
}

function expect403(r, what) {
  assert.equal(r.status, 403, `${what}: expected 403, got ${show(r)}`);
  assert.equal(r.json().error.code, 'forbidden', `${what}: error code`);
}

function expect404(r, what) {
  assert.equal(r.status, 404, `${what}: expected 404, got ${show(r)}`);
  assert.equal(r.json().error.code, 'not_found', `${what}: error code`);
}

/* ---------------------------------------------------------------- API steps */

async function createDraft(caller, answers, what = 'create a draft') {
  return expectStatus(await caller.post('/api/v1/applications', answers), 201, `${caller.label}: ${what}`);
}

function step(caller, id, name, body) {
  return caller.post(`/api/v1/applications/${id}/${name}`, body);
}

async function stepOk(caller, id, name, body, state) {
  const a = expectStatus(await step(caller, id, name, body), 200, `${caller.label}: ${name} application ${id}`);
  if (state) assert.equal(a.state, state, `${name} moves application ${id} to ${state}`);
  return a;
}

function enrolmentStep(caller, id, name, body) {
  return caller.post(`/api/v1/enrolments/${id}/${name}`, body);
}

async function enrolmentStepOk(caller, id, name, body, state) {
  const e = expectStatus(await enrolmentStep(caller, id, name, body), 200, `${caller.label}: ${name} enrolment ${id}`);
  if (state) assert.equal(e.state, state, `${name} moves enrolment ${id} to ${state}`);
  return e;
}

async function getApplication(id) {
  return as.admin.json(`/api/v1/applications/${id}`);
}

async function getEnrolment(id) {
  return as.admin.json(`/api/v1/enrolments/${id}`);
}

function qualificationAnswers(target, electives, extra = {}) {
  return {
    kind: 'qualification',
    target,
    electives,
    school_id: org.school,
    sponsor_id: demo.ids.headteacher,
    job_role: 'Assistant head',
    delivery_model: 'blended',
    funding_route: 'school',
    ...extra,
  };
}

/* Admin applies for the participant; admin submits, the headteacher approves, admin accepts and
 * enrols into the cohort. Resolves {application, enrolment}. */
async function enrolThrough(participantId, answers, cohortKey) {
  const draft = await createDraft(as.admin, { participant_id: participantId, ...answers });
  await stepOk(as.admin, draft.id, 'submit', undefined, 'submitted');
  const sponsor = answers.sponsor_id === demo.ids.admin ? as.admin : as.headteacher;
  await stepOk(sponsor, draft.id, 'approve', undefined, 'sponsor_approved');
  await stepOk(as.admin, draft.id, 'accept', undefined, 'accepted');
  const application = await stepOk(as.admin, draft.id, 'enrol', { cohort_id: cohort[cohortKey].id }, 'enrolled');
  assert.ok(application.enrolment_id, `application ${draft.id} names its enrolment: ${JSON.stringify(application)}`);
  return { application, enrolment: await getEnrolment(application.enrolment_id) };
}

async function addParticipant(name, email, organisationId) {
  const body = { email, name, role: 'participant' };
  if (organisationId) body.organisation_id = organisationId;
  const user = expectStatus(await as.admin.post('/api/v1/users', body), 201, `invite ${email}`);
  return user.id;
}

async function pathwayOf(caller, participantId) {
  return caller.json(`/api/v1/participants/${participantId}/pathway`);
}

function qualificationIn(pathway, code) {
  const q = pathway.qualifications.find((x) => x.code === code);
  assert.ok(q, `the pathway lists ${code}: ${JSON.stringify(pathway.qualifications.map((x) => x.code))}`);
  return q;
}

const codes = (list) => list.map((m) => m.code);

/* ---------------------------------------------------------------- CSV */

/* A CSV response as {header, records: [{column: value}]}, checking every record has the header's width. */
function csvRecords(r, what) {
  assert.equal(r.status, 200, `${what}: ${show(r)}`);
  assert.match(r.headers.get('content-type') || '', /^text\/csv\b/, `${what}: content-type`);
  const rows = parseCsv(r.text);
  assert.ok(rows.length >= 1, `${what}: has a header row`);
  const [header, ...data] = rows;
  for (const [n, row] of data.entries())
    assert.equal(row.length, header.length, `${what}: record ${n + 1} has ${header.length} fields: ${JSON.stringify(row)}`);
  return { header, records: data.map((row) => Object.fromEntries(header.map((h, k) => [h, row[k]]))) };
}

/* ---------------------------------------------------------------- the server */

before(async () => {
  sink = await startSmtpSink();
  demo = await prepareDemoDb({
    extraUsers: { other: { email: 'other.participant@demo.npq.test', name: 'Olu Other', role: 'participant' } },
  });
  // The port is chosen here so that --base-url can name it; another process may take it first.
  let lastError;
  for (let attempt = 0; attempt < 3 && !server; attempt++) {
    const port = await freePort();
    try {
      server = await startServerWithArgs(
        ['--listen', `127.0.0.1:${port}`, '--smtp-url', sink.url, '--base-url', `http://127.0.0.1:${port}`],
        { db: demo.dbPath, threads: 4 },
      );
    } catch (e) {
      lastError = e;
    }
  }
  if (!server) throw lastError;
  as = Object.fromEntries(Object.entries(demo.tokens).map(([role, token]) => [role, apiAs(server, token, role)]));

  const orgs = (await as.admin.json('/api/v1/organisations')).organisations;
  org.school = orgs.find((o) => o.kind === 'school' && o.urn === '100001').id;
  org.partner = orgs.find((o) => o.kind === 'delivery_partner' && o.name === 'North West Teaching School Hub').id;
  org.hillside = expectStatus(
    await as.admin.post('/api/v1/organisations', { kind: 'school', name: 'Hillside Academy', urn: '100002' }),
    201,
    'add a second school',
  ).id;

  const cohorts = {
    slEarly: { code: 'NPQSL-EARLY', target: 'NPQSL', starts_on: '2025-01-06', ends_on: '2026-07-31', partner: true },
    sl: { code: 'NPQSL-NW-1', target: 'NPQSL', starts_on: '2026-09-01', ends_on: '2028-07-31', partner: true },
    slLater: { code: 'NPQSL-NW-2', target: 'NPQSL', starts_on: '2027-09-01', ends_on: '2029-07-31', partner: true },
    slNoPartner: { code: 'NPQSL-PROVIDER-1', target: 'NPQSL', starts_on: '2026-09-01', ends_on: '2028-07-31' },
    h: { code: 'NPQH-NW-1', target: 'NPQH', starts_on: '2026-09-01', ends_on: '2028-07-31', partner: true },
    ml: { code: 'NPQML-NW-1', target: 'NPQML', starts_on: '2026-09-01', ends_on: '2027-07-31', partner: true },
    mlLater: { code: 'NPQML-NW-2', target: 'NPQML', starts_on: '2027-09-01', ends_on: '2028-07-31', partner: true },
    lcfi: {
      code: 'LCFI-NW-1',
      kind: 'module',
      target: 'leading-change-for-improvement',
      starts_on: '2026-01-05',
      ends_on: '2026-07-31',
      partner: true,
    },
  };
  for (const [key, c] of Object.entries(cohorts)) {
    const body = { code: c.code, kind: c.kind || 'qualification', target: c.target, delivery_model: 'blended' };
    Object.assign(body, { starts_on: c.starts_on, ends_on: c.ends_on });
    if (c.partner) body.delivery_partner_id = org.partner;
    cohort[key] = expectStatus(await as.admin.post('/api/v1/cohorts', body), 201, `add cohort ${c.code}`);
  }
});

after(async () => {
  if (server) await server.stop();
  if (sink) await sink.stop();
});

/* ---------------------------------------------------------------- fees */

test('fees: public, every qualification and module to be confirmed until an administrator sets one', async () => {
  const catalogue = await anon().json('/api/v1/qualifications');
  const modules = await anon().json('/api/v1/modules');
  const fees = (await anon().json('/api/v1/fees')).fees;
  const qualificationCodes = catalogue.qualifications.map((q) => q.code);
  const moduleCodes = modules.modules.map((m) => m.code);
  for (const code of qualificationCodes) {
    const fee = fees.find((f) => f.kind === 'qualification' && f.code === code);
    assert.deepEqual(fee, { kind: 'qualification', code, amount_pence: null, to_be_confirmed: true }, `fee of ${code}`);
  }
  for (const code of moduleCodes) {
    const fee = fees.find((f) => f.kind === 'module' && f.code === code);
    assert.deepEqual(fee, { kind: 'module', code, amount_pence: null, to_be_confirmed: true }, `fee of ${code}`);
  }
  assert.equal(fees.length, qualificationCodes.length + moduleCodes.length, 'one fee per qualification and module');

  const set = await as.admin.put('/api/v1/fees', { kind: 'qualification', code: 'npqsl', amount_pence: 185000 });
  assert.deepEqual(expectStatus(set, 200, 'admin sets the NPQSL fee'), {
    kind: 'qualification',
    code: 'NPQSL',
    amount_pence: 185000,
  });
  await as.admin.put('/api/v1/fees', { kind: 'module', code: 'closing-the-gap', amount_pence: 0 });
  const after1 = (await anon().json('/api/v1/fees')).fees;
  assert.deepEqual(after1.find((f) => f.code === 'NPQSL'), {
    kind: 'qualification',
    code: 'NPQSL',
    amount_pence: 185000,
    to_be_confirmed: false,
  });
  assert.deepEqual(after1.find((f) => f.code === 'closing-the-gap'), {
    kind: 'module',
    code: 'closing-the-gap',
    amount_pence: 0,
    to_be_confirmed: false,
  });
  assert.equal(after1.find((f) => f.code === 'NPQH').to_be_confirmed, true, 'the other fees are still to be confirmed');
  assert.equal(after1.filter((f) => !f.to_be_confirmed).length, 2);

  for (const role of ['participant', 'partner_lead', 'headteacher', 'coach']) {
    expect403(await as[role].put('/api/v1/fees', { kind: 'qualification', code: 'NPQH', amount_pence: 1 }), `${role} sets a fee`);
  }
  assert.equal((await anon().put('/api/v1/fees', { kind: 'qualification', code: 'NPQH', amount_pence: 1 })).status, 401);

  for (const amount of [-1, 12.5, '1000', 100000001, true]) {
    expect422(
      await as.admin.put('/api/v1/fees', { kind: 'qualification', code: 'NPQH', amount_pence: amount }),
      'amount_pence',
      /pence/,
      `fee of ${JSON.stringify(amount)}`,
    );
  }
  expect422(await as.admin.put('/api/v1/fees', { kind: 'qualification', code: 'NPQH' }), 'amount_pence', /pence/, 'no amount');
  expect422(
    await as.admin.put('/api/v1/fees', { kind: 'qualification', code: 'NPQXX', amount_pence: 1 }),
    'code',
    /catalogue/,
    'unknown qualification',
  );
  expect422(
    await as.admin.put('/api/v1/fees', { kind: 'course', code: 'NPQH', amount_pence: 1 }),
    'kind',
    /qualification or module/,
    'unknown kind',
  );

  // null sets it back to be confirmed.
  expectStatus(await as.admin.put('/api/v1/fees', { kind: 'module', code: 'closing-the-gap', amount_pence: null }), 200, 'unset');
  const after2 = (await anon().json('/api/v1/fees')).fees;
  assert.equal(after2.find((f) => f.code === 'closing-the-gap').to_be_confirmed, true);
  assert.equal(after2.find((f) => f.code === 'NPQH').amount_pence, null, 'refused changes changed nothing');
});

/* ---------------------------------------------------------------- rules */

test('a draft must name a known qualification or module and a real sponsor', async () => {
  expect422(
    await as.participant.post('/api/v1/applications', qualificationAnswers('NPQXX', [])),
    'target',
    /Choose a qualification to apply for/,
    'unknown qualification',
  );
  expect422(
    await as.participant.post('/api/v1/applications', { kind: 'module', target: 'no-such-module' }),
    'target',
    /Choose a module to study/,
    'unknown module studied alone',
  );
  expect422(
    await as.participant.post('/api/v1/applications', qualificationAnswers('NPQSL', SL_ELECTIVES, { sponsor_id: demo.ids.participant })),
    'sponsor_id',
    /someone else/,
    'sponsoring oneself',
  );
  expect422(
    await as.participant.post('/api/v1/applications', qualificationAnswers('NPQSL', SL_ELECTIVES, { sponsor_id: 987654 })),
    'sponsor_id',
    /does not exist/,
    'a sponsor who does not exist',
  );
  expect422(
    await as.participant.post('/api/v1/applications', qualificationAnswers('NPQSL', SL_ELECTIVES, { school_id: org.hillside })),
    'sponsor_id',
    /does not exist, or is not the headteacher of your school/,
    'the headteacher of another school',
  );
  expect422(
    await as.participant.post('/api/v1/applications', qualificationAnswers('NPQSL', SL_ELECTIVES, { school_id: null })),
    'sponsor_id',
    /Give your school first/,
    'a headteacher named before any school',
  );
  expect422(
    await as.participant.post('/api/v1/applications', qualificationAnswers('NPQSL', SL_ELECTIVES, { kind: 'course' })),
    'kind',
    /qualification or module/,
    'unknown kind',
  );
  expect422(
    await as.participant.post('/api/v1/applications', qualificationAnswers('NPQSL', SL_ELECTIVES, { funding_route: 'lottery' })),
    'funding_route',
    /school, self or scholarship/,
    'unknown funding route',
  );
  expect422(
    await as.participant.post('/api/v1/applications', qualificationAnswers('NPQSL', 'school-self-evaluation')),
    'electives',
    /list of module codes/,
    'electives not a list',
  );
  // Someone who is not an administrator cannot apply for someone else.
  expect403(
    await as.headteacher.post('/api/v1/applications', { participant_id: demo.ids.participant, ...qualificationAnswers('NPQSL', SL_ELECTIVES) }),
    'a headteacher applies for the participant',
  );
  // The target is stored as the catalogue spells it.
  const draft = await createDraft(as.participant, qualificationAnswers('npqsl', SL_ELECTIVES));
  assert.equal(draft.target, 'NPQSL');
  assert.equal(draft.state, 'draft');
  assert.equal(draft.participant.id, demo.ids.participant);
  assert.deepEqual(draft.history, [], 'a draft has no steps yet');
});

test('submitting refuses each broken rule with 422, the field and the words; the draft stays a draft', async () => {
  const cases = [
    ['NPQSL with 1 elective', qualificationAnswers('NPQSL', ['improving-the-quality-of-teaching']), 'electives', /Choose 2 elective modules for the NPQSL\. You chose 1\b/],
    [
      'NPQSL with 3 electives',
      qualificationAnswers('NPQSL', [...SL_ELECTIVES, 'leading-professional-development']),
      'electives',
      /Choose 2 elective modules for the NPQSL\. You chose 3\b/,
    ],
    ['NPQML with 2 electives', qualificationAnswers('NPQML', ['leading-an-effective-team', 'leading-and-developing-staff']), 'electives', /Choose 1 elective module for the NPQML\. You chose 2\b/],
    [
      'the same elective twice',
      qualificationAnswers('NPQSL', ['school-self-evaluation', 'school-self-evaluation']),
      'electives',
      /You chose School self-evaluation twice\. Choose 2 different elective modules/,
    ],
    [
      'an essential module as an elective',
      qualificationAnswers('NPQSL', ['closing-the-gap', 'school-self-evaluation']),
      'electives',
      /Closing the gap is an essential module of the NPQSL, so it is already included\. Choose a different elective/,
    ],
    [
      'a module that is not one of the electives',
      qualificationAnswers('NPQSL', ['leading-teaching', 'school-self-evaluation']),
      'electives',
      /Leading teaching is not one of the elective modules of the NPQSL/,
    ],
    [
      'a module that does not exist',
      qualificationAnswers('NPQSL', ['no-such-module', 'school-self-evaluation']),
      'electives',
      /There is no module called no-such-module/,
    ],
    [
      'a module studied alone with electives',
      { ...qualificationAnswers('leading-change-for-improvement', ['school-self-evaluation']), kind: 'module' },
      'electives',
      /A module studied alone has no electives/,
    ],
    [
      'no sponsor',
      { ...qualificationAnswers('NPQSL', SL_ELECTIVES), sponsor_id: null },
      'sponsor_id',
      /Name the headteacher or sponsor who must approve your application/,
    ],
    [
      'a scholarship without saying why',
      qualificationAnswers('NPQSL', SL_ELECTIVES, { funding_route: 'scholarship', scholarship_eligibility: '' }),
      'scholarship_eligibility',
      /Say why you are eligible for a scholarship/,
    ],
  ];
  for (const [what, answers, field, re] of cases) {
    const draft = await createDraft(as.participant, answers, `draft with ${what}`);
    assert.equal(draft.state, 'draft', `${what}: a draft may break the rules`);
    expect422(await step(as.participant, draft.id, 'submit'), field, re, `submit ${what}`);
    const still = await getApplication(draft.id);
    assert.equal(still.state, 'draft', `${what}: still a draft after the refusal`);
    assert.deepEqual(still.history, [], `${what}: a refused submit leaves no history`);
  }
  // Several broken rules are all reported at once.
  const many = await createDraft(as.participant, { ...qualificationAnswers('NPQSL', ['closing-the-gap']), sponsor_id: null, funding_route: 'scholarship' });
  const body = expect422(await step(as.participant, many.id, 'submit'), 'sponsor_id', /sponsor/, 'several broken rules');
  const fields = body.error.fields.map((f) => f.field);
  for (const f of ['electives', 'sponsor_id', 'scholarship_eligibility']) assert.ok(fields.includes(f), `${f} is reported: ${JSON.stringify(fields)}`);
});

/* ---------------------------------------------------------------- the workflow */

test('the workflow: who may take each step, 409 out of order, enrolment with electives and funding, history', async () => {
  const P = demo.ids.participant;
  const draft = await createDraft(
    as.participant,
    qualificationAnswers('NPQSL', ['research-and-development-in-teaching', 'school-self-evaluation'], { preferred_partner_id: org.partner }),
  );
  const id = draft.id;
  assert.deepEqual(draft.preferred_partner, { id: org.partner, name: 'North West Teaching School Hub' });
  assert.equal(draft.sponsor.id, demo.ids.headteacher);
  assert.equal(draft.sponsor.email, demo.emails.headteacher);
  assert.equal(draft.school.id, org.school);

  // Another participant: the application is out of their scope, so it does not exist for them.
  expect404(await as.other.get(`/api/v1/applications/${id}`), 'another participant reads it');
  expect404(await step(as.other, id, 'submit'), 'another participant submits it');
  expect404(await as.other.patch(`/api/v1/applications/${id}`, { job_role: 'x' }), 'another participant changes it');
  // The coach and mentor of the applicant may read it, but not act for them.
  assert.equal((await as.coach.json(`/api/v1/applications/${id}`)).id, id, 'the coach reads it');
  assert.equal((await as.mentor.json(`/api/v1/applications/${id}`)).id, id, 'the mentor reads it');
  expect403(await step(as.coach, id, 'submit'), 'the coach submits it');
  expect403(await as.coach.patch(`/api/v1/applications/${id}`, { job_role: 'x' }), 'the coach changes it');
  expect404(await step(as.participant, id, 'transmogrify'), 'an unknown step');
  assert.equal((await getApplication(id)).state, 'draft');

  // PATCH a draft: the answers change.
  const patched = expectStatus(
    await as.participant.patch(`/api/v1/applications/${id}`, { electives: SL_ELECTIVES, job_role: 'Deputy head', preferred_region: 'North West' }),
    200,
    'the applicant changes the draft',
  );
  assert.deepEqual(patched.electives, SL_ELECTIVES);
  assert.equal(patched.job_role, 'Deputy head');
  assert.equal(patched.preferred_region, 'North West');
  assert.equal(patched.target, 'NPQSL', 'answers not sent are kept');

  // Out of order before submission.
  expect409(await step(as.headteacher, id, 'approve'), /can only approve an application that has been submitted.*This application is Draft/, 'approve a draft');
  expect409(await step(as.admin, id, 'accept'), /This application is Draft/, 'accept a draft');
  expect409(await step(as.admin, id, 'enrol', { cohort_id: cohort.sl.id }), /This application is Draft/, 'enrol a draft');

  // Submit: the applicant.
  const submitted = await stepOk(as.participant, id, 'submit', undefined, 'submitted');
  assert.equal(submitted.state_title, 'Waiting for the sponsor');
  expect409(
    await step(as.participant, id, 'submit'),
    /Only a draft application can be submitted\. This application is Waiting for the sponsor/,
    'submit twice',
  );
  expect409(await as.participant.patch(`/api/v1/applications/${id}`, { job_role: 'Head' }), /draft/, 'change after submitting');
  assert.equal((await getApplication(id)).job_role, 'Deputy head', 'the refused change changed nothing');
  expect409(
    await step(as.admin, id, 'accept'),
    /The provider can only accept an application its sponsor has approved\. This application is Waiting for the sponsor/,
    'accept while submitted',
  );
  expect409(await step(as.admin, id, 'reject', { reason: 'x' }), /This application is Waiting for the sponsor/, 'reject while submitted');

  // Approve: the named sponsor; not the applicant, not the coach.
  expect403(await step(as.participant, id, 'approve'), 'the applicant approves their own application');
  expect403(await step(as.participant, id, 'decline', { reason: 'no' }), 'the applicant declines their own application');
  expect403(await step(as.coach, id, 'approve'), 'the coach approves');
  expect404(await step(as.other, id, 'approve'), 'another participant approves');
  expect422(await step(as.headteacher, id, 'decline'), 'reason', /Give a reason/, 'decline without a reason');
  expect422(await step(as.headteacher, id, 'decline', { reason: '' }), 'reason', /Give a reason/, 'decline with an empty reason');
  assert.equal((await getApplication(id)).state, 'submitted', 'a refused decline changes nothing');
  const approved = await stepOk(as.headteacher, id, 'approve', undefined, 'sponsor_approved');
  assert.equal(approved.state_title, 'Approved by the sponsor');
  expect409(await step(as.headteacher, id, 'approve'), /This application is Approved by the sponsor/, 'approve twice');
  expect409(await step(as.headteacher, id, 'decline', { reason: 'changed my mind' }), /This application is Approved by the sponsor/, 'decline after approving');

  // Accept and reject: administrators only.
  expect403(await step(as.headteacher, id, 'accept'), 'the sponsor accepts');
  expect403(await step(as.headteacher, id, 'reject', { reason: 'no' }), 'the sponsor rejects');
  expect403(await step(as.participant, id, 'accept'), 'the applicant accepts');
  // The partner lead of the preferred delivery partner sees the application, but decides nothing.
  assert.equal((await as.partner_lead.json(`/api/v1/applications/${id}`)).id, id, 'the preferred partner\'s lead reads it');
  expect403(await step(as.partner_lead, id, 'approve'), 'a partner lead approves');
  expect403(await step(as.partner_lead, id, 'accept'), 'a partner lead accepts');
  expect409(await step(as.admin, id, 'enrol', { cohort_id: cohort.sl.id }), /Only an accepted application can be enrolled in a cohort\. This application is Approved by the sponsor/, 'enrol before accepting');
  expect422(await step(as.admin, id, 'reject'), 'reason', /Give a reason/, 'reject without a reason');
  expect422(await step(as.admin, id, 'reject', { reason: '' }), 'reason', /Give a reason/, 'reject with an empty reason');
  assert.equal((await getApplication(id)).state, 'sponsor_approved', 'a refused reject changes nothing');
  await stepOk(as.admin, id, 'accept', undefined, 'accepted');
  expect409(await step(as.admin, id, 'reject', { reason: 'too late' }), /This application is Accepted/, 'reject after accepting');
  expect409(await step(as.admin, id, 'accept'), /This application is Accepted/, 'accept twice');

  // Enrol: administrators, into a cohort of the same qualification.
  expect403(await step(as.headteacher, id, 'enrol', { cohort_id: cohort.sl.id }), 'the sponsor enrols');
  expect403(await step(as.partner_lead, id, 'enrol', { cohort_id: cohort.sl.id }), 'a partner lead enrols');
  expect422(await step(as.admin, id, 'enrol'), 'cohort_id', /Choose the cohort/, 'enrol without a cohort');
  expect422(await step(as.admin, id, 'enrol', { cohort_id: 987654 }), 'cohort_id', /Choose the cohort/, 'enrol into a cohort that does not exist');
  expect422(await step(as.admin, id, 'enrol', { cohort_id: cohort.h.id }), 'cohort_id', /Cohort NPQH-NW-1 is for NPQH, not NPQSL/, 'enrol into an NPQH cohort');
  expect422(await step(as.admin, id, 'enrol', { cohort_id: 'one' }), 'cohort_id', /id of a record/, 'enrol with a cohort id that is not a number');
  const stillAccepted = await getApplication(id);
  assert.equal(stillAccepted.state, 'accepted', 'a refused enrolment leaves the application accepted');
  assert.equal(stillAccepted.enrolment_id, null);
  const before = (await as.admin.json('/api/v1/enrolments?limit=500')).enrolments.filter((e) => e.application_id === id);
  assert.deepEqual(before, [], 'a refused enrolment creates no enrolment');

  const enrolled = await stepOk(as.admin, id, 'enrol', { cohort_id: cohort.sl.id }, 'enrolled');
  assert.ok(Number.isInteger(enrolled.enrolment_id), 'the application names its enrolment');
  expect409(await step(as.admin, id, 'enrol', { cohort_id: cohort.sl.id }), /This application is Enrolled/, 'enrol twice');
  expect409(await step(as.participant, id, 'submit'), /This application is Enrolled/, 'submit an enrolled application');

  const e = await getEnrolment(enrolled.enrolment_id);
  assert.equal(e.state, 'active');
  assert.equal(e.application_id, id);
  assert.equal(e.participant.id, P);
  assert.equal(e.kind, 'qualification');
  assert.equal(e.target, 'NPQSL');
  assert.deepEqual(e.electives, SL_ELECTIVES, 'the enrolment has the chosen electives, in order');
  assert.equal(e.funding_route, 'school');
  assert.equal(e.delivery_model, 'blended');
  assert.deepEqual(e.school, { id: org.school, name: 'Riverside Primary School' });
  assert.deepEqual(e.cohort, { id: cohort.sl.id, code: 'NPQSL-NW-1' });
  assert.deepEqual(
    e.history.map((h) => [h.step, h.from, h.to, h.by]),
    [['enrol', '', 'active', demo.emails.admin]],
  );
  // The participant, and the partner lead of the cohort's partner, see the enrolment.
  assert.equal((await as.participant.json(`/api/v1/enrolments/${e.id}`)).id, e.id);
  assert.equal((await as.partner_lead.json(`/api/v1/enrolments/${e.id}`)).id, e.id);
  expect404(await as.other.get(`/api/v1/enrolments/${e.id}`), 'another participant reads the enrolment');

  // The history: each step, who took it, from and to.
  const final = await getApplication(id);
  assert.deepEqual(
    final.history.map((h) => [h.step, h.from, h.to, h.by, h.reason]),
    [
      ['submit', 'draft', 'submitted', demo.emails.participant, ''],
      ['approve', 'submitted', 'sponsor_approved', demo.emails.headteacher, ''],
      ['accept', 'sponsor_approved', 'accepted', demo.emails.admin, ''],
      ['enrol', 'accepted', 'enrolled', demo.emails.admin, ''],
    ],
  );
  for (const h of final.history) assert.match(h.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/, `history time ${h.at}`);
  shared.mainApplication = id;
  shared.mainEnrolment = e.id;
});

test('decline: the sponsor with a reason; nothing can follow it', async () => {
  const draft = await createDraft(as.other, qualificationAnswers('NPQH', ['curriculum-development', 'closing-the-gap'], {}));
  const id = draft.id;
  await stepOk(as.other, id, 'submit', undefined, 'submitted');
  expect403(await step(as.other, id, 'decline', { reason: 'no' }), 'the applicant declines');
  expect422(await step(as.headteacher, id, 'decline'), 'reason', /Give a reason, so the applicant knows why/, 'decline without a reason');
  const declined = await stepOk(as.headteacher, id, 'decline', { reason: 'Not this year: the budget is spent' }, 'sponsor_declined');
  assert.equal(declined.decision_reason, 'Not this year: the budget is spent');
  assert.equal(declined.state_title, 'Declined by the sponsor');
  expect409(
    await step(as.headteacher, id, 'approve'),
    /The sponsor can only approve an application that has been submitted and not yet decided\. This application is Declined by the sponsor/,
    'approve after declining',
  );
  expect409(await step(as.headteacher, id, 'decline', { reason: 'again' }), /This application is Declined by the sponsor/, 'decline twice');
  expect409(await step(as.admin, id, 'accept'), /This application is Declined by the sponsor/, 'accept after a decline');
  expect409(await step(as.other, id, 'submit'), /Only a draft application can be submitted\. This application is Declined by the sponsor/, 'submit again');
  const history = (await as.other.json(`/api/v1/applications/${id}`)).history;
  assert.deepEqual(
    history.map((h) => [h.step, h.from, h.to, h.by, h.reason]),
    [
      ['submit', 'draft', 'submitted', demo.emails.other, ''],
      ['decline', 'submitted', 'sponsor_declined', demo.emails.headteacher, 'Not this year: the budget is spent'],
    ],
  );
  shared.declined = id;
});

test('an administrator may submit and approve for others, and reject with a reason', async () => {
  const draft = await createDraft(as.admin, {
    participant_id: demo.ids.other,
    ...qualificationAnswers('NPQML', ['leading-an-effective-team'], { funding_route: 'self' }),
  });
  assert.equal(draft.participant.id, demo.ids.other, 'the draft is the participant\'s');
  assert.equal((await as.other.json(`/api/v1/applications/${draft.id}`)).id, draft.id, 'the participant sees it');
  await stepOk(as.admin, draft.id, 'submit', undefined, 'submitted');
  await stepOk(as.admin, draft.id, 'approve', undefined, 'sponsor_approved');
  expect403(await step(as.other, draft.id, 'reject', { reason: 'x' }), 'the applicant rejects');
  const rejected = await stepOk(as.admin, draft.id, 'reject', { reason: 'The cohort is full' }, 'rejected');
  assert.equal(rejected.decision_reason, 'The cohort is full');
  expect409(await step(as.admin, draft.id, 'accept'), /The provider can only accept an application its sponsor has approved\. This application is Rejected/, 'accept after rejecting');
  expect409(await step(as.admin, draft.id, 'enrol', { cohort_id: cohort.ml.id }), /This application is Rejected/, 'enrol after rejecting');
  assert.deepEqual(
    rejected.history.map((h) => [h.step, h.by, h.reason]),
    [
      ['submit', demo.emails.admin, ''],
      ['approve', demo.emails.admin, ''],
      ['reject', demo.emails.admin, 'The cohort is full'],
    ],
  );
  shared.rejected = draft.id;
});

test('two approvals at the same moment: exactly one 200 and one 409', async () => {
  for (let round = 0; round < 4; round++) {
    const draft = await createDraft(as.admin, { participant_id: demo.ids.other, ...qualificationAnswers('NPQSL', SL_ELECTIVES) });
    await stepOk(as.admin, draft.id, 'submit', undefined, 'submitted');
    const approvers = round % 2 === 0 ? [as.headteacher, as.headteacher] : [as.headteacher, as.admin];
    const replies = await Promise.all(approvers.map((who) => step(who, draft.id, 'approve')));
    const statuses = replies.map((r) => r.status).sort();
    assert.deepEqual(statuses, [200, 409], `round ${round}: ${replies.map(show).join(' | ')}`);
    const loser = replies.find((r) => r.status === 409).json();
    assert.equal(loser.error.code, 'conflict');
    assert.match(loser.error.message, /Approved by the sponsor|Someone else changed this application/, 'the 409 says why');
    const history = (await getApplication(draft.id)).history;
    assert.deepEqual(history.map((h) => h.step), ['submit', 'approve'], `round ${round}: one approval is recorded`);
  }
});

test('two submissions, and two enrolments of the same person, at the same moment: one wins', async () => {
  const w = await addParticipant('Wren Twice', 'wren@demo.npq.test', org.school);
  const answers = { participant_id: w, ...qualificationAnswers('NPQSL', SL_ELECTIVES) };
  const draft = await createDraft(as.admin, answers);
  const submits = await Promise.all([step(as.admin, draft.id, 'submit'), step(as.admin, draft.id, 'submit')]);
  assert.deepEqual(submits.map((r) => r.status).sort(), [200, 409], submits.map(show).join(' | '));
  assert.deepEqual((await getApplication(draft.id)).history.map((h) => h.step), ['submit']);

  // Two accepted applications for the same qualification, enrolled at once: one enrolment.
  const accepted = [];
  for (let i = 0; i < 2; i++) {
    const x = await createDraft(as.admin, answers);
    await stepOk(as.admin, x.id, 'submit', undefined, 'submitted');
    await stepOk(as.admin, x.id, 'approve', undefined, 'sponsor_approved');
    await stepOk(as.admin, x.id, 'accept', undefined, 'accepted');
    accepted.push(x.id);
  }
  const enrols = await Promise.all(accepted.map((id) => step(as.admin, id, 'enrol', { cohort_id: cohort.sl.id })));
  assert.deepEqual(enrols.map((r) => r.status).sort(), [200, 422], enrols.map(show).join(' | '));
  expect422(enrols.find((r) => r.status === 422), 'target', /Wren Twice is already enrolled on the NPQSL/, 'the second enrolment');
  const mine = (await as.admin.json('/api/v1/enrolments?limit=500')).enrolments.filter((e) => e.participant.id === w);
  assert.equal(mine.length, 1, 'one enrolment');
  const states = await Promise.all(accepted.map(async (id) => (await getApplication(id)).state));
  assert.deepEqual(states.sort(), ['accepted', 'enrolled']);
});

test('the audit log has every step of an application, with who took it', async () => {
  const id = shared.mainApplication;
  assert.ok(id, 'the workflow test made the application');
  const log = await as.admin.json(`/api/v1/audit-events?entity=application&entity_id=${id}&limit=100`);
  const events = [...log.events].reverse(); // oldest first
  assert.deepEqual(
    events.map((e) => [e.action, e.actor.label, e.after && e.after.step]),
    [
      ['application.create', demo.emails.participant, undefined],
      ['application.update', demo.emails.participant, undefined],
      ['application.step', demo.emails.participant, 'submit'],
      ['application.step', demo.emails.headteacher, 'approve'],
      ['application.step', demo.emails.admin, 'accept'],
      ['application.step', demo.emails.admin, 'enrol'],
    ],
  );
  for (const e of events) {
    assert.equal(e.entity, 'application');
    assert.equal(String(e.entity_id), String(id));
  }
  const steps = events.filter((e) => e.action === 'application.step');
  assert.deepEqual(
    steps.map((e) => [e.before.state, e.after.state]),
    [
      ['draft', 'submitted'],
      ['submitted', 'sponsor_approved'],
      ['sponsor_approved', 'accepted'],
      ['accepted', 'enrolled'],
    ],
  );
  assert.equal(steps[0].actor.id, demo.ids.participant);

  // The reasons of a decline and a reject are in the log too.
  const declined = (await as.admin.json(`/api/v1/audit-events?entity=application&entity_id=${shared.declined}`)).events;
  assert.ok(declined.some((e) => e.after && e.after.step === 'decline' && e.after.reason === 'Not this year: the budget is spent'), JSON.stringify(declined));
  const rejected = (await as.admin.json(`/api/v1/audit-events?entity=application&entity_id=${shared.rejected}`)).events;
  assert.ok(rejected.some((e) => e.after && e.after.step === 'reject' && e.after.reason === 'The cohort is full'), JSON.stringify(rejected));
  // The enrolment's creation is logged as well.
  const created = (await as.admin.json(`/api/v1/audit-events?entity=enrolment&entity_id=${shared.mainEnrolment}`)).events;
  assert.ok(created.some((e) => e.action === 'enrolment.create'), JSON.stringify(created));

  for (const role of ['participant', 'headteacher', 'partner_lead']) expect403(await as[role].get('/api/v1/audit-events?entity=application'), `${role} reads the audit log`);
});

/* ---------------------------------------------------------------- the sponsor's email */

test('submitting emails the sponsor a link to the application, through a real SMTP server', async () => {
  const name = 'Zoë Ñandú-Łukasz';
  const zoe = await addParticipant(name, 'zoe@demo.npq.test', org.school);
  const draft = await createDraft(as.admin, { participant_id: zoe, ...qualificationAnswers('NPQSL', SL_ELECTIVES, { delivery_model: 'online' }) });
  await stepOk(as.admin, draft.id, 'submit', undefined, 'submitted');
  const link = `http://127.0.0.1:${server.port}/applications/${draft.id}`;
  const mail = await sink.waitFor((m) => m.to === demo.emails.headteacher && m.subject === MAIL_SUBJECT && m.text.includes(link), {
    timeoutMs: 10000,
    what: `mail to ${demo.emails.headteacher} with ${link}`,
  });
  assert.equal(mail.mimeType, 'text/plain');
  assert.equal(mail.charset, 'utf-8');
  assert.equal(mail.transferEncoding, '8bit');
  assert.match(mail.rcptTo, new RegExp(demo.emails.headteacher.replace(/\./g, '\\.')), 'the envelope is addressed to the sponsor');
  const text = mail.text.replace(/\r\n/g, '\n');
  assert.match(text, /^Dear Hana Headteacher,$/m);
  assert.ok(text.includes(`${name} has applied for the National Professional Qualification for Senior Leadership`), `the body names the applicant (UTF-8):\n${text}`);
  assert.match(text, /Funding: School-funded/);
  assert.match(text, /Delivery: Online only/);
  const links = text.match(/https?:\/\/\S+/g);
  assert.deepEqual(links, [link], 'the only link is the application\'s');
  // A draft, a PATCH or any later step sends the sponsor nothing more.
  await stepOk(as.headteacher, draft.id, 'approve', undefined, 'sponsor_approved');
  await new Promise((r) => setTimeout(r, 700));
  const forThis = sink.messages().filter((m) => m.subject === MAIL_SUBJECT && m.text.includes(link));
  assert.equal(forThis.length, 1, 'one sponsor email per submission');
  shared.mailLink = link;
});

test('the link in the sponsor\'s email leads to the application (after signing in)', async () => {
  assert.ok(shared.mailLink, 'the email test found the link');
  const path = new URL(shared.mailLink).pathname;
  // The email says "you will be asked to sign in": a visitor is sent to sign in and brought back.
  const r = await request(server.url, path);
  assert.equal(r.status, 303, `GET ${path} as a visitor: expected 303 to /sign-in?next=${path}, got ${r.status} ${r.text.slice(0, 300)}`);
  const location = new URL(r.headers.get('location') || '', server.url);
  assert.equal(location.pathname, '/sign-in');
  assert.equal(location.searchParams.get('next'), path);
  // Signed in, the sponsor sees the application.
  const sponsor = await signIn(server, demo.emails.headteacher);
  const page = await sponsor.get(path);
  assert.equal(page.status, 200, `GET ${path} as the sponsor: ${page.status}`);
  assert.ok(page.text.includes('Zoë Ñandú-Łukasz'), 'the page names the applicant');
});

/* ---------------------------------------------------------------- one live enrolment */

test('the applicant hears of each decision others make, with a link; nobody is emailed their own step', async () => {
  const mine = (to) => sink.messages().filter((m) => m.to === to);
  const find = (to, subject) =>
    sink.waitFor((m) => m.to === to && m.subject === subject, { timeoutMs: 10000, what: `"${subject}" to ${to}` });
  const main = shared.mainApplication;
  const approved = await find(demo.emails.participant, 'Your NPQ application has been approved by your sponsor');
  assert.match(approved.text, /Hana Headteacher has approved your application for the National Professional Qualification for Senior Leadership/);
  assert.ok(approved.text.includes(`/applications/${main}`), 'a link to the application');
  await find(demo.emails.participant, 'Your NPQ application has been accepted');
  const place = await find(demo.emails.participant, 'You have a place on your NPQ');
  assert.match(place.text, /in cohort NPQSL-NW-1/);
  const declined = await find(demo.emails.other, 'Your NPQ application was not approved by your sponsor');
  assert.match(declined.text, /Their reason: Not this year: the budget is spent/);
  const rejected = sink.messages().find((m) => m.subject === 'Your NPQ application was not accepted');
  assert.ok(rejected, 'a rejection is told');
  assert.match(rejected.text, /The reason: The cohort is full/);
  assert.ok(!mine(demo.emails.participant).some((m) => m.subject === 'Your NPQ application has been sent'), 'the applicant who submitted is not told they did');
});

test('a second live enrolment in the same qualification is refused on submit and on enrol; allowed after withdrawal', async () => {
  const q = await addParticipant('Quinn Second', 'quinn@demo.npq.test', org.school);
  const answers = { participant_id: q, ...qualificationAnswers('NPQSL', SL_ELECTIVES) };
  // Two applications go through side by side; the first to be enrolled wins.
  const x1 = await createDraft(as.admin, answers);
  const x2 = await createDraft(as.admin, answers);
  const x3 = await createDraft(as.admin, answers); // kept as a draft until after the enrolment
  for (const x of [x1, x2]) {
    await stepOk(as.admin, x.id, 'submit', undefined, 'submitted');
    await stepOk(as.headteacher, x.id, 'approve', undefined, 'sponsor_approved');
    await stepOk(as.admin, x.id, 'accept', undefined, 'accepted');
  }
  const first = await stepOk(as.admin, x1.id, 'enrol', { cohort_id: cohort.sl.id }, 'enrolled');
  expect422(
    await step(as.admin, x2.id, 'enrol', { cohort_id: cohort.slLater.id }),
    'target',
    /Quinn Second is already enrolled on the NPQSL/,
    'enrol a second time in the NPQSL',
  );
  const x2After = await getApplication(x2.id);
  assert.equal(x2After.state, 'accepted', 'the refused enrolment leaves the application accepted');
  assert.equal(x2After.history.length, 3, 'and records no enrol step');
  const live = (await as.admin.json('/api/v1/enrolments?limit=500')).enrolments.filter((e) => e.participant.id === q);
  assert.equal(live.length, 1, 'one enrolment only');

  // A new draft is refused while the enrolment is active, and one made before is refused on submit.
  expect422(await as.admin.post('/api/v1/applications', answers), 'target', /already enrolled on the NPQSL \(active\)/, 'a new draft while enrolled');
  expect422(await step(as.admin, x3.id, 'submit'), 'target', /already enrolled on the NPQSL \(active\)/, 'submit while enrolled');
  // Another qualification is fine.
  const other = await createDraft(as.admin, { participant_id: q, ...qualificationAnswers('NPQH', ['curriculum-development', 'closing-the-gap']) });
  await stepOk(as.admin, other.id, 'submit', undefined, 'submitted');

  await enrolmentStepOk(as.admin, first.enrolment_id, 'defer', { reason: 'Maternity leave', expected_return: FUTURE_DATE }, 'deferred');
  expect422(await step(as.admin, x3.id, 'submit'), 'target', /already enrolled on the NPQSL \(deferred\)/, 'submit while deferred');
  expect422(await as.admin.post('/api/v1/applications', answers), 'target', /already enrolled on the NPQSL \(deferred\)/, 'a new draft while deferred');
  await enrolmentStepOk(as.admin, first.enrolment_id, 'withdraw', { reason: 'Left teaching' }, 'withdrawn');

  // After withdrawal: a new application and a new enrolment.
  await stepOk(as.admin, x3.id, 'submit', undefined, 'submitted');
  await stepOk(as.headteacher, x3.id, 'approve', undefined, 'sponsor_approved');
  await stepOk(as.admin, x3.id, 'accept', undefined, 'accepted');
  const again = await stepOk(as.admin, x3.id, 'enrol', { cohort_id: cohort.slLater.id }, 'enrolled');
  assert.notEqual(again.enrolment_id, first.enrolment_id);
  assert.equal((await getEnrolment(again.enrolment_id)).state, 'active');
  // ...which again blocks the application left waiting.
  expect422(await step(as.admin, x2.id, 'enrol', { cohort_id: cohort.sl.id }), 'target', /already enrolled on the NPQSL/, 'enrol the old application now');
});

/* ---------------------------------------------------------------- enrolment states */

test('enrolment steps: defer with a reason and a date, resume into a later cohort keeping progress, who may', async () => {
  const P = demo.ids.participant;
  const id = shared.mainEnrolment;
  assert.ok(id, 'the workflow test enrolled the participant');

  // A completed module, recorded before deferring.
  expect403(await as.partner_lead.post(`/api/v1/participants/${P}/completions`, { module: 'closing-the-gap', completed_on: '2026-03-20' }), 'a partner lead records a completion');
  expect422(await as.admin.post(`/api/v1/participants/${P}/completions`, { module: 'no-such-module', completed_on: '2026-03-20' }), 'module', /catalogue/, 'an unknown module');
  expect422(await as.admin.post(`/api/v1/participants/${P}/completions`, { module: 'closing-the-gap', completed_on: '20/03/2026' }), 'completed_on', /YYYY-MM-DD/, 'a bad date');
  const done = await as.admin.post(`/api/v1/participants/${P}/completions`, { module: 'closing-the-gap', completed_on: '2026-03-20', enrolment_id: id });
  assert.deepEqual(expectStatus(done, 201, 'record a completion'), { module: 'closing-the-gap', completed_on: '2026-03-20' });
  expect409(await as.admin.post(`/api/v1/participants/${P}/completions`, { module: 'closing-the-gap', completed_on: '2026-03-21' }), /already recorded/, 'the same module twice');

  // Defer: needs a reason and an expected return date that is not in the past.
  expect403(await enrolmentStep(as.participant, id, 'defer', { reason: 'Illness', expected_return: FUTURE_DATE }), 'the participant defers');
  expect403(await enrolmentStep(as.coach, id, 'defer', { reason: 'Illness', expected_return: FUTURE_DATE }), 'the coach defers');
  expect403(await enrolmentStep(as.headteacher, id, 'defer', { reason: 'Illness', expected_return: FUTURE_DATE }), 'the headteacher defers');
  expect404(await enrolmentStep(as.admin, id, 'pause', { reason: 'x' }), 'an unknown step');
  expect422(await enrolmentStep(as.admin, id, 'defer', { expected_return: FUTURE_DATE }), 'reason', /Give the reason for deferring/, 'defer without a reason');
  expect422(await enrolmentStep(as.admin, id, 'defer', { reason: 'Illness' }), 'expected_return', /YYYY-MM-DD/, 'defer without a date');
  expect422(await enrolmentStep(as.admin, id, 'defer', { reason: 'Illness', expected_return: '01/09/2030' }), 'expected_return', /YYYY-MM-DD/, 'defer with a date in another format');
  expect422(await enrolmentStep(as.admin, id, 'defer', { reason: 'Illness', expected_return: `${THIS_YEAR + 1}-02-30` }), 'expected_return', /YYYY-MM-DD/, 'defer to a day that does not exist');
  expect422(await enrolmentStep(as.admin, id, 'defer', { reason: 'Illness', expected_return: '2020-01-01' }), 'expected_return', /today or later/, 'defer with a date in the past');
  const yesterday = new Date(Date.now() - 86400000).toISOString().slice(0, 10);
  expect422(await enrolmentStep(as.admin, id, 'defer', { reason: 'Illness', expected_return: yesterday }), 'expected_return', /today or later/, 'defer to yesterday');
  assert.equal((await getEnrolment(id)).state, 'active', 'refused deferrals change nothing');

  // The partner lead of the cohort's delivery partner may defer.
  const deferred = await enrolmentStepOk(as.partner_lead, id, 'defer', { reason: 'Illness', expected_return: FUTURE_DATE }, 'deferred');
  assert.equal(deferred.reason, 'Illness');
  assert.equal(deferred.expected_return, FUTURE_DATE);
  expect409(await enrolmentStep(as.admin, id, 'defer', { reason: 'Again', expected_return: FUTURE_DATE }), /Only an active enrolment can be deferred\. This one is deferred/, 'defer twice');
  expect409(await enrolmentStep(as.admin, id, 'complete'), /Only an active enrolment can be completed\. This one is deferred/, 'complete while deferred');

  // Resume: into a later cohort of the same qualification.
  expect422(await enrolmentStep(as.admin, id, 'resume'), 'cohort_id', /Choose the cohort the participant rejoins/, 'resume without a cohort');
  expect422(await enrolmentStep(as.admin, id, 'resume', { cohort_id: cohort.sl.id }), 'cohort_id', /Choose a later cohort than the one the participant deferred from/, 'resume into the same cohort');
  expect422(await enrolmentStep(as.admin, id, 'resume', { cohort_id: cohort.h.id }), 'cohort_id', /Cohort NPQH-NW-1 is for NPQH, not NPQSL/, 'resume into an NPQH cohort');
  expect422(await enrolmentStep(as.admin, id, 'resume', { cohort_id: cohort.lcfi.id }), 'cohort_id', /is for leading-change-for-improvement, not NPQSL/, 'resume into a module cohort');
  expect403(await enrolmentStep(as.participant, id, 'resume', { cohort_id: cohort.slLater.id }), 'the participant resumes');
  assert.equal((await getEnrolment(id)).state, 'deferred', 'refused resumptions change nothing');

  const resumed = await enrolmentStepOk(as.admin, id, 'resume', { cohort_id: cohort.slLater.id }, 'active');
  assert.deepEqual(resumed.cohort, { id: cohort.slLater.id, code: 'NPQSL-NW-2' });
  assert.deepEqual(resumed.electives, SL_ELECTIVES, 'the electives are unchanged');
  assert.equal(resumed.expected_return, null, 'an active enrolment has no expected return date');
  assert.equal(resumed.funding_route, 'school');
  assert.equal(resumed.application_id, shared.mainApplication);
  expect409(await enrolmentStep(as.admin, id, 'resume', { cohort_id: cohort.sl.id }), /Only a deferred enrolment can be resumed\. This one is active/, 'resume an active enrolment');

  // Progress is kept: the module completed before deferring still counts.
  const pathway = await pathwayOf(as.participant, P);
  assert.deepEqual(pathway.completed_modules, [{ code: 'closing-the-gap', title: 'Closing the gap', completed_on: '2026-03-20' }]);
  const sl = qualificationIn(pathway, 'NPQSL');
  assert.equal(sl.enrolled, true);
  assert.deepEqual(codes(sl.essential_done), ['closing-the-gap']);
  const mine = pathway.enrolments.find((e) => e.id === id);
  assert.equal(mine.state, 'active');
  assert.deepEqual(mine.electives, SL_ELECTIVES);

  assert.deepEqual(
    (await getEnrolment(id)).history.map((h) => [h.step, h.from, h.to, h.by, h.reason]),
    [
      ['enrol', '', 'active', demo.emails.admin, ''],
      ['defer', 'active', 'deferred', demo.emails.partner_lead, 'Illness'],
      ['resume', 'deferred', 'active', demo.emails.admin, ''],
    ],
  );
  const audit = (await as.admin.json(`/api/v1/audit-events?entity=enrolment&entity_id=${id}`)).events;
  assert.deepEqual(
    audit.filter((e) => e.action === 'enrolment.step').map((e) => e.after.step).reverse(),
    ['defer', 'resume'],
  );
});

test('a participant is told when their enrolment is deferred or resumed, with the reason and the date', async () => {
  const deferred = await sink.waitFor((m) => m.to === demo.emails.participant && m.subject === 'Your NPQ has been deferred', {
    timeoutMs: 10000,
    what: 'the deferral email',
  });
  assert.match(deferred.text.replace(/\r\n/g, '\n'), /expected back on \d{1,2} [A-Z][a-z]+ \d{4}/);
  assert.match(deferred.text, /places at coming events\s+have been given up|places at coming events have been given up/);
  assert.ok(deferred.text.includes(`/enrolments/${shared.mainEnrolment}`), 'a link to the enrolment');
  await sink.waitFor((m) => m.to === demo.emails.participant && m.subject === 'Your NPQ has resumed', { timeoutMs: 10000, what: 'the resume email' });
});

test('resuming into a cohort that started before the one deferred from is refused', async () => {
  const t = await addParticipant('Taylor Earlier', 'taylor@demo.npq.test', org.school);
  const { enrolment } = await enrolThrough(t, qualificationAnswers('NPQSL', SL_ELECTIVES), 'sl');
  await enrolmentStepOk(as.admin, enrolment.id, 'defer', { reason: 'Illness', expected_return: FUTURE_DATE }, 'deferred');
  // NPQSL-EARLY started in 2025, before NPQSL-NW-1 (2026): not a later cohort.
  const r = await enrolmentStep(as.admin, enrolment.id, 'resume', { cohort_id: cohort.slEarly.id });
  expect422(r, 'cohort_id', /later cohort/, `resume from ${cohort.sl.code} (starts ${cohort.sl.starts_on}) into ${cohort.slEarly.code} (starts ${cohort.slEarly.starts_on})`);
});

test('resuming an active enrolment is out of order (409) whatever cohort is named', async () => {
  const u = await addParticipant('Uri Order', 'uri@demo.npq.test', org.school);
  const { enrolment } = await enrolThrough(u, qualificationAnswers('NPQSL', SL_ELECTIVES), 'sl');
  expect409(await enrolmentStep(as.admin, enrolment.id, 'resume', { cohort_id: cohort.slLater.id }), /This one is active/, 'resume an active enrolment into a later cohort');
  expect409(await enrolmentStep(as.admin, enrolment.id, 'resume', { cohort_id: cohort.sl.id }), /This one is active/, 'resume an active enrolment naming its own cohort');
});

test('withdraw from active or deferred with a reason, complete only from active; partner leads only for their partner\'s cohorts', async () => {
  const s = await addParticipant('Sam States', 'sam@demo.npq.test', org.school);
  const h = (await enrolThrough(s, qualificationAnswers('NPQH', ['curriculum-development', 'closing-the-gap']), 'h')).enrolment;
  const ml = (await enrolThrough(s, qualificationAnswers('NPQML', ['leading-an-effective-team']), 'ml')).enrolment;
  const sl = (await enrolThrough(s, qualificationAnswers('NPQSL', SL_ELECTIVES), 'slNoPartner')).enrolment;

  // Complete: from active only.
  const completed = await enrolmentStepOk(as.admin, h.id, 'complete', undefined, 'completed');
  assert.equal(completed.state_title, 'Completed');
  expect409(await enrolmentStep(as.admin, h.id, 'complete'), /Only an active enrolment can be completed\. This one is completed/, 'complete twice');
  expect409(await enrolmentStep(as.admin, h.id, 'defer', { reason: 'x', expected_return: FUTURE_DATE }), /Only an active enrolment can be deferred\. This one is completed/, 'defer a completed enrolment');
  expect409(await enrolmentStep(as.admin, h.id, 'withdraw', { reason: 'x' }), /Only an active or deferred enrolment can be withdrawn\. This one is completed/, 'withdraw a completed enrolment');

  // Withdraw from deferred, then nothing more.
  await enrolmentStepOk(as.partner_lead, ml.id, 'defer', { reason: 'Secondment', expected_return: FUTURE_DATE }, 'deferred');
  expect422(await enrolmentStep(as.admin, ml.id, 'withdraw'), 'reason', /Give the reason for withdrawing/, 'withdraw without a reason');
  expect422(await enrolmentStep(as.admin, ml.id, 'withdraw', { reason: '' }), 'reason', /Give the reason for withdrawing/, 'withdraw with an empty reason');
  const withdrawn = await enrolmentStepOk(as.partner_lead, ml.id, 'withdraw', { reason: 'Moved to another school' }, 'withdrawn');
  assert.equal(withdrawn.reason, 'Moved to another school');
  expect409(await enrolmentStep(as.admin, ml.id, 'withdraw', { reason: 'Again' }), /Only an active or deferred enrolment can be withdrawn\. This one is withdrawn/, 'withdraw twice');
  expect409(await enrolmentStep(as.admin, ml.id, 'complete'), /Only an active enrolment can be completed\. This one is withdrawn/, 'complete a withdrawn enrolment');
  expect409(await enrolmentStep(as.admin, ml.id, 'resume', { cohort_id: cohort.mlLater.id }), /Only a deferred enrolment can be resumed\. This one is withdrawn/, 'resume a withdrawn enrolment');

  // A cohort without a delivery partner: the partner lead cannot see or change the enrolment.
  expect404(await enrolmentStep(as.partner_lead, sl.id, 'defer', { reason: 'Illness', expected_return: FUTURE_DATE }), 'a partner lead defers outside their partner');
  expect404(await as.partner_lead.get(`/api/v1/enrolments/${sl.id}`), 'a partner lead reads outside their partner');
  for (const role of ['participant', 'facilitator', 'coach', 'mentor', 'headteacher', 'assessor']) {
    expect403(await enrolmentStep(as[role], sl.id, 'withdraw', { reason: 'x' }), `${role} withdraws`);
  }
  assert.equal((await anon().post(`/api/v1/enrolments/${sl.id}/withdraw`, { reason: 'x' })).status, 401);
  // Withdraw from active; the reason goes to the export later (a would-be formula, commas and quotes).
  const reason = '=SUM(A1:A9), moving "abroad"';
  const gone = await enrolmentStepOk(as.admin, sl.id, 'withdraw', { reason }, 'withdrawn');
  assert.equal(gone.reason, reason);
  assert.deepEqual(
    gone.history.map((x) => [x.step, x.from, x.to, x.reason]),
    [
      ['enrol', '', 'active', ''],
      ['withdraw', 'active', 'withdrawn', reason],
    ],
  );
  shared.formulaReasonEnrolment = sl.id;
  shared.formulaReason = reason;
});

/* ---------------------------------------------------------------- pathways */

test('pathway credits: a module completed alone counts towards every qualification that has it', async () => {
  const r = await addParticipant('Rowan Credits', 'rowan@demo.npq.test', null);
  const empty = await pathwayOf(as.admin, r);
  assert.deepEqual(empty.completed_modules, []);
  assert.deepEqual(empty.enrolments, []);
  for (const q of empty.qualifications) {
    assert.equal(q.completed_modules_count_towards_it, false, `${q.code}: nothing counts yet`);
    assert.equal(q.enrolled, false);
    assert.equal(q.modules_complete, false);
  }
  assert.match(qualificationIn(empty, 'NPQSL').remaining, /^needs Closing the gap, Succeeding in senior leadership and 2 (more )?electives$/);
  assert.match(qualificationIn(empty, 'NPQML').remaining, /^needs Leading teaching, Managing systems and processes and 1 (more )?elective$/);

  // The module studied alone, from application to completion.
  const { enrolment } = await enrolThrough(
    r,
    { kind: 'module', target: 'leading-change-for-improvement', electives: [], sponsor_id: demo.ids.admin, funding_route: 'self', delivery_model: 'online' },
    'lcfi',
  );
  assert.equal(enrolment.kind, 'module');
  assert.equal(enrolment.target, 'leading-change-for-improvement');
  assert.deepEqual(enrolment.electives, []);
  assert.equal(enrolment.funding_route, 'self');
  await enrolmentStepOk(as.admin, enrolment.id, 'complete', undefined, 'completed');
  expectStatus(
    await as.admin.post(`/api/v1/participants/${r}/completions`, { module: 'leading-change-for-improvement', completed_on: '2026-07-15', enrolment_id: enrolment.id, note: 'Studied alone' }),
    201,
    'record the module',
  );

  let p = await pathwayOf(as.admin, r);
  for (const code of ['NPQML', 'NPQSL', 'NPQH']) {
    const q = qualificationIn(p, code);
    assert.equal(q.completed_modules_count_towards_it, true, `${code}: the module counts towards it`);
    assert.deepEqual(q.electives_done, [{ code: 'leading-change-for-improvement', title: 'Leading change for improvement' }], `${code}: electives done`);
    assert.deepEqual(q.essential_done, [], `${code}: no essential module done`);
    assert.equal(q.enrolled, false, `${code}: not enrolled`);
  }
  let ml = qualificationIn(p, 'NPQML');
  assert.equal(ml.electives_needed, 0);
  assert.equal(ml.remaining, 'needs Leading teaching and Managing systems and processes');
  assert.deepEqual(codes(ml.essential_remaining), ['leading-teaching', 'managing-systems-and-processes']);
  let sl = qualificationIn(p, 'NPQSL');
  assert.equal(sl.electives_needed, 1);
  assert.equal(sl.remaining, 'needs Closing the gap, Succeeding in senior leadership and 1 more elective');
  assert.equal(qualificationIn(p, 'NPQH').remaining, 'needs Leading and improving teaching, Leading an effective school, Succeeding in headship and 1 more elective');

  // Closing the gap: essential for the NPQSL, an elective for the NPQH, nothing for the NPQML.
  expectStatus(await as.admin.post(`/api/v1/participants/${r}/completions`, { module: 'closing-the-gap', completed_on: '2026-08-01' }), 201, 'record closing the gap');
  p = await pathwayOf(as.admin, r);
  assert.deepEqual(codes(p.completed_modules), ['leading-change-for-improvement', 'closing-the-gap']);
  sl = qualificationIn(p, 'NPQSL');
  assert.deepEqual(codes(sl.essential_done), ['closing-the-gap'], 'NPQSL: closing the gap is essential');
  assert.deepEqual(codes(sl.essential_remaining), ['succeeding-in-senior-leadership']);
  assert.deepEqual(codes(sl.electives_done), ['leading-change-for-improvement']);
  assert.equal(sl.remaining, 'needs Succeeding in senior leadership and 1 more elective');
  const h = qualificationIn(p, 'NPQH');
  assert.deepEqual(codes(h.essential_done), [], 'NPQH: closing the gap is not essential');
  assert.deepEqual(codes(h.electives_done).sort(), ['closing-the-gap', 'leading-change-for-improvement'], 'NPQH: both count as electives');
  assert.equal(h.electives_needed, 0);
  assert.equal(h.remaining, 'needs Leading and improving teaching, Leading an effective school and Succeeding in headship');
  ml = qualificationIn(p, 'NPQML');
  assert.deepEqual(codes(ml.electives_done), ['leading-change-for-improvement'], 'NPQML: closing the gap is not part of it');

  // The NPQML's essential modules finish it.
  for (const module of ['leading-teaching', 'managing-systems-and-processes'])
    expectStatus(await as.admin.post(`/api/v1/participants/${r}/completions`, { module, completed_on: '2026-09-01' }), 201, `record ${module}`);
  p = await pathwayOf(as.admin, r);
  ml = qualificationIn(p, 'NPQML');
  assert.equal(ml.modules_complete, true);
  assert.equal(ml.remaining, 'all modules complete');
  assert.deepEqual(ml.essential_remaining, []);
  assert.equal(qualificationIn(p, 'NPQSL').modules_complete, false);
});

test('pathway: the participant, their coach, mentor and headteacher see it; nobody else does', async () => {
  const P = demo.ids.participant;
  for (const role of ['participant', 'coach', 'mentor', 'headteacher', 'admin']) {
    const p = await pathwayOf(as[role], P);
    assert.equal(p.participant_id, P, `${role} sees the pathway`);
    assert.deepEqual(codes(p.completed_modules), ['closing-the-gap'], `${role} sees the completed module`);
  }
  for (const role of ['other', 'facilitator', 'assessor', 'partner_lead']) {
    expect404(await as[role].get(`/api/v1/participants/${P}/pathway`), `${role} reads the participant's pathway`);
  }
  expect404(await as.participant.get(`/api/v1/participants/${demo.ids.other}/pathway`), 'the participant reads another participant\'s pathway');
  assert.equal((await anon().get(`/api/v1/participants/${P}/pathway`)).status, 401);
  expect404(await as.admin.get('/api/v1/participants/987654/pathway'), 'a participant who does not exist');
  // Their own: the other participant has applications but no enrolment.
  const own = await pathwayOf(as.other, demo.ids.other);
  assert.deepEqual(own.enrolments, []);
});

/* ---------------------------------------------------------------- reports and exports */

test('funding report by route and school, as JSON and CSV; exports as CSV with formulas neutralised', async () => {
  // Scholarship and school-funded enrolments at a second school.
  const uma = await addParticipant('Uma Scholar', 'uma@demo.npq.test', org.hillside);
  const vic = await addParticipant('Vic School', 'vic@demo.npq.test', org.hillside);
  const eligibility = '=HYPERLINK("http://evil.example","click")';
  const scholar = await enrolThrough(
    uma,
    qualificationAnswers('NPQH', ['curriculum-development', 'leading-in-diverse-contexts'], { school_id: org.hillside, sponsor_id: demo.ids.admin, funding_route: 'scholarship', scholarship_eligibility: eligibility }),
    'h',
  );
  assert.equal(scholar.enrolment.funding_route, 'scholarship', 'the enrolment keeps the funding route');
  assert.equal(scholar.enrolment.scholarship_eligibility, eligibility, 'and the reason for the scholarship');
  await enrolThrough(vic, qualificationAnswers('NPQML', ['leading-and-developing-staff'], { school_id: org.hillside, sponsor_id: demo.ids.admin }), 'ml');

  // The report is the enrolments that are not withdrawn, counted by route and by school.
  const all = (await as.admin.json('/api/v1/enrolments?limit=500')).enrolments;
  const expected = new Map();
  for (const e of all.filter((x) => x.state !== 'withdrawn')) {
    const key = `${e.funding_route}|${e.school ? e.school.id : null}`;
    expected.set(key, (expected.get(key) || 0) + 1);
  }
  const report = await as.admin.json('/api/v1/reports/funding');
  const got = new Map(report.by_school.map((row) => [`${row.funding_route}|${row.school_id}`, row.enrolments]));
  assert.deepEqual(Object.fromEntries(got), Object.fromEntries(expected), 'by_school counts the live and completed enrolments');
  const byRoute = {};
  for (const [key, n] of expected) byRoute[key.split('|')[0]] = (byRoute[key.split('|')[0]] || 0) + n;
  assert.deepEqual(report.by_funding_route, byRoute, 'by_funding_route totals the schools');
  assert.ok(report.by_funding_route.scholarship >= 1 && report.by_funding_route.school >= 1 && report.by_funding_route.self >= 1, JSON.stringify(report.by_funding_route));
  const hillside = report.by_school.filter((row) => row.school_id === org.hillside);
  assert.deepEqual(
    hillside.map((row) => [row.funding_route, row.school, row.enrolments]).sort(),
    [
      ['scholarship', 'Hillside Academy', 1],
      ['school', 'Hillside Academy', 1],
    ],
  );
  const noSchool = report.by_school.find((row) => row.school_id === null);
  assert.ok(noSchool && noSchool.funding_route === 'self' && noSchool.school === '', `the module studied alone, with no school: ${JSON.stringify(report.by_school)}`);

  const csv = csvRecords(await as.admin.get('/api/v1/reports/funding?format=csv'), 'funding report CSV');
  assert.deepEqual(csv.header, ['funding_route', 'school_id', 'school', 'enrolments']);
  assert.deepEqual(
    csv.records.map((row) => [row.funding_route, row.school_id === '0' || row.school_id === '' ? null : Number(row.school_id), row.school, Number(row.enrolments)]),
    report.by_school.map((row) => [row.funding_route, row.school_id, row.school, row.enrolments]),
    'the CSV has the JSON\'s rows',
  );
  for (const role of ['participant', 'partner_lead', 'headteacher']) {
    expect403(await as[role].get('/api/v1/reports/funding'), `${role} reads the funding report`);
    expect403(await as[role].get('/api/v1/exports/applications.csv'), `${role} exports applications`);
    expect403(await as[role].get('/api/v1/exports/enrolments.csv'), `${role} exports enrolments`);
  }
  assert.equal((await anon().get('/api/v1/exports/enrolments.csv')).status, 401);

  // Applications export: one record per application.
  const apps = await as.admin.json('/api/v1/applications?limit=500');
  const appsCsvReply = await as.admin.get('/api/v1/exports/applications.csv');
  const appsCsv = csvRecords(appsCsvReply, 'applications.csv');
  assert.deepEqual(appsCsv.header, [
    'id', 'participant', 'email', 'kind', 'target', 'electives', 'school', 'sponsor', 'delivery_model', 'funding_route',
    'scholarship_eligibility', 'state', 'decision_reason', 'updated_at',
  ]);
  assert.equal(appsCsv.records.length, apps.total, 'one record per application');
  assert.deepEqual(appsCsv.records.map((row) => Number(row.id)).sort((a, b) => a - b), apps.applications.map((a) => a.id).sort((a, b) => a - b));
  const main = appsCsv.records.find((row) => Number(row.id) === shared.mainApplication);
  assert.equal(main.participant, 'Pat Participant');
  assert.equal(main.email, demo.emails.participant);
  assert.equal(main.electives, SL_ELECTIVES.join('; '));
  assert.equal(main.state, 'enrolled');
  assert.equal(main.school, 'Riverside Primary School');
  assert.equal(main.sponsor, 'Hana Headteacher');
  const zoe = appsCsv.records.find((row) => row.email === 'zoe@demo.npq.test');
  assert.equal(zoe.participant, 'Zoë Ñandú-Łukasz', 'UTF-8 survives the export');
  const declinedRow = appsCsv.records.find((row) => Number(row.id) === shared.declined);
  assert.equal(declinedRow.decision_reason, 'Not this year: the budget is spent');
  const scholarRow = appsCsv.records.find((row) => Number(row.id) === scholar.application.id);
  assert.equal(scholarRow.scholarship_eligibility, `'${eligibility}`, 'a leading "=" is neutralised with a quote mark');
  assert.ok(
    appsCsvReply.text.includes(`"'=HYPERLINK(""http://evil.example"",""click"")"`),
    'the neutralised value is quoted, its quote marks doubled',
  );
  assert.ok(!/(^|,)=/m.test(appsCsvReply.text), 'no field starts with "=" unquoted');

  // Enrolments export: one record per enrolment.
  const enrolmentsCsvReply = await as.admin.get('/api/v1/exports/enrolments.csv');
  const enrolmentsCsv = csvRecords(enrolmentsCsvReply, 'enrolments.csv');
  assert.deepEqual(enrolmentsCsv.header, [
    'id', 'participant', 'kind', 'target', 'electives', 'cohort', 'school', 'delivery_model', 'funding_route',
    'scholarship_eligibility', 'state', 'reason', 'expected_return',
  ]);
  assert.equal(enrolmentsCsv.records.length, all.length, 'one record per enrolment');
  assert.deepEqual(enrolmentsCsv.records.map((row) => Number(row.id)).sort((a, b) => a - b), all.map((e) => e.id).sort((a, b) => a - b));
  const byId = new Map(enrolmentsCsv.records.map((row) => [Number(row.id), row]));
  for (const e of all) {
    const row = byId.get(e.id);
    assert.equal(row.state, e.state, `enrolment ${e.id} state`);
    assert.equal(row.target, e.target, `enrolment ${e.id} target`);
    assert.equal(row.funding_route, e.funding_route, `enrolment ${e.id} funding`);
    assert.equal(row.cohort, e.cohort ? e.cohort.code : '', `enrolment ${e.id} cohort`);
    assert.equal(row.electives, e.electives.join('; '), `enrolment ${e.id} electives`);
  }
  assert.equal(byId.get(scholar.enrolment.id).scholarship_eligibility, `'${eligibility}`);
  assert.ok(shared.formulaReasonEnrolment, 'the withdrawal test made an enrolment with a formula for a reason');
  assert.equal(byId.get(shared.formulaReasonEnrolment).reason, `'${shared.formulaReason}`, 'a reason starting with "=" is neutralised');
  assert.ok(enrolmentsCsvReply.text.includes(`"'=SUM(A1:A9), moving ""abroad"""`), 'quoted with its quote marks doubled');
  assert.ok(!/(^|,)=/m.test(enrolmentsCsvReply.text), 'no field starts with "=" unquoted');
  assert.match(enrolmentsCsvReply.headers.get('content-disposition') || '', /attachment; filename="enrolments\.csv"/);
});

/* ---------------------------------------------------------------- validation gaps */

test('a reason of only spaces is no reason: decline, reject, defer and withdraw refuse it', async () => {
  const y = await addParticipant('Yan Blank', 'yan@demo.npq.test', org.school);
  const blank = '   ';
  const submitted = await createDraft(as.admin, { participant_id: y, ...qualificationAnswers('NPQSL', SL_ELECTIVES) });
  await stepOk(as.admin, submitted.id, 'submit', undefined, 'submitted');
  const approved = await createDraft(as.admin, { participant_id: y, ...qualificationAnswers('NPQSL', SL_ELECTIVES) });
  await stepOk(as.admin, approved.id, 'submit', undefined, 'submitted');
  await stepOk(as.headteacher, approved.id, 'approve', undefined, 'sponsor_approved');
  const { enrolment } = await enrolThrough(y, qualificationAnswers('NPQH', ['curriculum-development', 'closing-the-gap']), 'h');
  const replies = {
    decline: await step(as.headteacher, submitted.id, 'decline', { reason: blank }),
    reject: await step(as.admin, approved.id, 'reject', { reason: blank }),
    defer: await enrolmentStep(as.admin, enrolment.id, 'defer', { reason: blank, expected_return: FUTURE_DATE }),
    withdraw: await enrolmentStep(as.admin, enrolment.id, 'withdraw', { reason: blank }),
  };
  const got = Object.fromEntries(Object.entries(replies).map(([k, r]) => [k, r.status]));
  assert.deepEqual(
    got,
    { decline: 422, reject: 422, defer: 422, withdraw: 422 },
    `a reason of ${JSON.stringify(blank)}:\n${Object.entries(replies).map(([k, r]) => `${k}: ${show(r).slice(0, 200)}`).join('\n')}`,
  );
  for (const r of Object.values(replies)) expect422(r, 'reason', /reason/, 'a blank reason');
});

test('dates that do not exist are refused: a completion on 31 February, a cohort starting on 30 February', async () => {
  const x = await addParticipant('Xan Dates', 'xan@demo.npq.test', null);
  const replies = {
    'completed_on 2026-02-31': await as.admin.post(`/api/v1/participants/${x}/completions`, { module: 'closing-the-gap', completed_on: '2026-02-31' }),
    'completed_on 2026-04-31': await as.admin.post(`/api/v1/participants/${x}/completions`, { module: 'school-self-evaluation', completed_on: '2026-04-31' }),
    'starts_on 2027-02-30': await as.admin.post('/api/v1/cohorts', {
      code: 'NPQSL-BAD-DATE',
      target: 'NPQSL',
      delivery_model: 'online',
      starts_on: '2027-02-30',
      ends_on: '2028-07-31',
    }),
  };
  const got = Object.fromEntries(Object.entries(replies).map(([k, r]) => [k, r.status]));
  assert.deepEqual(
    got,
    { 'completed_on 2026-02-31': 422, 'completed_on 2026-04-31': 422, 'starts_on 2027-02-30': 422 },
    Object.entries(replies).map(([k, r]) => `${k}: ${show(r).slice(0, 200)}`).join('\n'),
  );
  const p = await pathwayOf(as.admin, x);
  assert.deepEqual(p.completed_modules, [], 'no completion on a day that does not exist');
});
