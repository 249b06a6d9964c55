'use strict';
/*
 * Awards, black-box: Master's credits, the award check that says what is missing, making an award
 * (certificate number, completed enrolment, email), the certificate as a PDF, public verification
 * that shows nothing but what the certificate says, and the transcript as JSON, page and PDF. The
 * real binary runs on a demo database (`npq demo`) and every caller uses an API token.
 *
 *   NPQ_BIN=build/npq node --test --test-concurrency=1 tests/api/awards.test.js
 *
 * PDFs are read back with pdftotext (Debian's poppler-utils). The final assessment goes through
 * the submissions API as it would for the participant: set, drafted, submitted, marked, released.
 *
 * The tests share one server and run in order: each builds on the records the ones before made.
 */
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFile } = require('node:child_process');
const fs = require('node:fs/promises');
const path = require('node:path');

const { prepareDemoDb, startServerWithArgs, apiAs, printedMails, signIn } = require('./auth_helpers');
const { freePort } = require('./smtp_sink');
const { request, poll } = require('./helpers');

/* ---------------------------------------------------------------- fixtures */

const SL_TITLE = 'National Professional Qualification for Senior Leadership';
const SL_ELECTIVES = ['improving-the-quality-of-teaching', 'school-self-evaluation'];
const SL_ESSENTIALS = ['closing-the-gap', 'succeeding-in-senior-leadership'];
const MODULE_TITLES = {
  'closing-the-gap': 'Closing the gap',
  'succeeding-in-senior-leadership': 'Succeeding in senior leadership',
  'improving-the-quality-of-teaching': 'Improving the quality of teaching',
  'school-self-evaluation': 'School self-evaluation',
};
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const MINUTE = 60 * 1000;
const DAY = 24 * 60 * MINUTE;

let server;
let demo; // {dbPath, tokens, ids, emails}
let as; // callers by key: the demo roles and "other" (a second participant)
let baseUrl;
let doc; // the OpenAPI document
const anon = () => apiAs(server, null, 'anonymous');
const org = {};
const shared = {}; // cohort, venue, enrolment, award

/* ---------------------------------------------------------------- helpers */

const show = (r) => `${r.status} ${r.text.slice(0, 1500)}`;

function expectStatus(r, status, what) {
  assert.equal(r.status, status, `${what}: expected ${status}, got ${show(r)}`);
  return r.status === 204 ? null : r.json();
}

function expectError(r, status, code, what) {
  assert.equal(r.status, status, `${what}: expected ${status}, got ${show(r)}`);
  const body = r.json();
  assert.equal(body.error.code, code, `${what}: error code`);
  return body;
}

/* UTC seconds as the API takes times. */
const iso = (ms) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
const isoDate = (ms) => new Date(ms).toISOString().slice(0, 10);
/* "2026-11-23" as "23 November 2026", as certificates write dates. */
function dateWords(date) {
  const [y, m, d] = date.split('-').map(Number);
  return `${d} ${MONTHS[m - 1]} ${y}`;
}

/* A number with a Luhn check digit at its end (the rightmost digit not doubled). */
function luhnValid(digits) {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

function run(cmd, args, input) {
  return new Promise((resolve, reject) => {
    const child = execFile(cmd, args, { maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')}: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
    if (input !== undefined) child.stdin.end(input);
  });
}

/* The text of a PDF, as pdftotext reads it (no layout: one run of text per line). */
async function pdfText(buffer, name) {
  const file = path.join(demo.dir, name);
  await fs.writeFile(file, buffer);
  return run('pdftotext', ['-enc', 'UTF-8', file, '-']);
}

/* ---------------------------------------------------------------- OpenAPI schemas */

function resolveRef(ref) {
  return ref.slice(2).split('/').reduce((node, part) => (node ? node[part] : undefined), doc);
}
const typeOf = (v) => (v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v);

/* Strict: every property sent must be declared. */
function validate(schema, value, where, errors = []) {
  if (schema.$ref) return validate(resolveRef(schema.$ref), value, where, errors);
  if (schema.enum && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value)))
    errors.push(`${where}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  if (schema.type) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    const t = typeOf(value);
    if (!types.includes(t) && !(t === 'integer' && types.includes('number'))) {
      errors.push(`${where}: ${t} where the schema says ${types.join(' or ')}`);
      return errors;
    }
  }
  if (typeOf(value) === 'object') {
    for (const r of schema.required || []) if (!(r in value)) errors.push(`${where}: "${r}" is missing`);
    for (const [k, v] of Object.entries(value)) {
      if (schema.properties?.[k]) validate(schema.properties[k], v, `${where}.${k}`, errors);
      else if (schema.properties) errors.push(`${where}.${k}: sent but not in the schema`);
    }
  }
  if (typeOf(value) === 'array' && schema.items) value.forEach((v, i) => validate(schema.items, v, `${where}[${i}]`, errors));
  return errors;
}

/* Asserts body matches the schema the document gives method+pattern for status. */
function matchesSchema(method, pattern, status, body) {
  const op = doc.paths[pattern]?.[method.toLowerCase()];
  assert.ok(op, `${method} ${pattern} is documented`);
  const schema = op.responses[String(status)].content['application/json'].schema;
  assert.deepEqual(validate(schema, body, `${method} ${pattern}`), [], `${method} ${pattern} against ${schema.$ref}`);
}

/* ---------------------------------------------------------------- steps */

async function awardCheck(caller = as.admin) {
  const check = expectStatus(await caller.get(`/api/v1/enrolments/${shared.enrolment.id}/award-check`), 200, `${caller.label}: award check`);
  matchesSchema('GET', '/api/v1/enrolments/{id}/award-check', 200, check);
  return check;
}

async function complete(module, daysAgo) {
  expectStatus(
    await as.admin.post(`/api/v1/participants/${demo.ids.participant}/completions`, {
      module,
      completed_on: isoDate(Date.now() - daysAgo * DAY),
      enrolment_id: shared.enrolment.id,
    }),
    201,
    `record ${module} as completed`,
  );
}

/* A face-to-face event of the cohort starting in a few minutes, the participant booked and marked. */
async function attend(mark, n) {
  const start = Date.now() + 10 * MINUTE;
  const event = expectStatus(
    await as.admin.post('/api/v1/events', {
      cohort_id: shared.cohort.id,
      kind: 'face_to_face',
      title: `Residential day ${n}`,
      venue_id: shared.venue.id,
      starts_at: iso(start),
      ends_at: iso(start + 6 * 60 * MINUTE),
    }),
    201,
    `schedule event ${n}`,
  );
  expectStatus(await as.admin.post(`/api/v1/events/${event.id}/bookings`, { user_id: demo.ids.participant }), 201, `book event ${n}`);
  expectStatus(
    await as.admin.put(`/api/v1/events/${event.id}/attendance`, { marks: [{ user_id: demo.ids.participant, mark }] }),
    200,
    `mark ${mark} on event ${n}`,
  );
  return event;
}

/* The final assessment of NPQSL, with one resubmission allowed; resolves the task. */
async function setFinal() {
  const r = await as.admin.post('/api/v1/assessment-tasks', {
    kind: 'final',
    target: 'NPQSL',
    title: 'Final assessment: leading a school improvement',
    brief: 'Show how you led an improvement across the school.',
    deadline: iso(Date.now() + 60 * DAY),
    max_resubmissions: 1,
    moderation_percent: 0,
    criteria: [{ title: 'Leads an improvement', descriptor: 'Plans, leads and evaluates it' }],
  });
  return expectStatus(r, 201, 'set the final assessment');
}

/* The participant writes text into their submission and submits it; resolves the receipt. */
async function submitFinal(submission, text, what) {
  expectStatus(
    await as.participant.patch(`/api/v1/submissions/${submission.id}`, { activity: 'Raising attendance across the school', text }),
    200,
    `write ${what}`,
  );
  return expectStatus(await as.participant.post(`/api/v1/submissions/${submission.id}/submit`), 200, `submit ${what}`);
}

/* The assessor marks the latest version (pass: the criterion met; refer: not yet) and an
 * administrator releases the result; resolves the released submission. */
async function markAndRelease(submission, outcome, feedback) {
  expectStatus(
    await as.assessor.post(`/api/v1/submissions/${submission.id}/marks`, {
      outcome,
      feedback,
      criteria: [{ met: outcome === 'pass', comment: outcome === 'pass' ? 'Clearly led' : 'Not yet evaluated' }],
    }),
    201,
    `mark it ${outcome}`,
  );
  return expectStatus(await as.admin.post(`/api/v1/submissions/${submission.id}/release`), 200, `release the ${outcome}`);
}

/* ---------------------------------------------------------------- the server */

before(async () => {
  demo = await prepareDemoDb({
    extraUsers: { other: { email: 'other.participant@awards.npq.test', name: 'Olu Other', role: 'participant' } },
  });
  let lastError;
  for (let attempt = 0; attempt < 3 && !server; attempt++) {
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    try {
      server = await startServerWithArgs(['--listen', `127.0.0.1:${port}`, '--base-url', baseUrl], { db: demo.dbPath, threads: 2 });
    } catch (e) {
      lastError = e;
    }
  }
  if (!server) throw lastError;
  as = Object.fromEntries(Object.entries(demo.tokens).map(([key, token]) => [key, apiAs(server, token, key)]));
  doc = await as.admin.json('/api/v1/openapi.json');

  const orgs = (await as.admin.json('/api/v1/organisations')).organisations;
  org.school = orgs.find((o) => o.kind === 'school' && o.urn === '100001').id;
  org.partner = orgs.find((o) => o.kind === 'delivery_partner').id;
  const today = isoDate(Date.now());
  shared.cohort = expectStatus(
    await as.admin.post('/api/v1/cohorts', {
      code: 'NPQSL-AWARDS-1',
      kind: 'qualification',
      target: 'NPQSL',
      delivery_model: 'blended',
      delivery_partner_id: org.partner,
      starts_on: isoDate(Date.now() - 300 * DAY),
      ends_on: isoDate(Date.now() + 300 * DAY),
    }),
    201,
    'add a cohort',
  );
  assert.ok(shared.cohort.starts_on < today);
  shared.venue = expectStatus(
    await as.admin.post('/api/v1/venues', { delivery_partner_id: org.partner, name: 'Hub Centre', postcode: 'M1 1AE', capacity: 40 }),
    201,
    'add a venue',
  );

  /* The demo participant applies, is approved by their headteacher, accepted and enrolled. */
  const draft = expectStatus(
    await as.admin.post('/api/v1/applications', {
      participant_id: demo.ids.participant,
      kind: 'qualification',
      target: 'NPQSL',
      electives: SL_ELECTIVES,
      school_id: org.school,
      sponsor_id: demo.ids.headteacher,
      job_role: 'Assistant head',
      delivery_model: 'blended',
      funding_route: 'school',
    }),
    201,
    'draft an application',
  );
  const steps = [
    [as.admin, 'submit'],
    [as.headteacher, 'approve'],
    [as.admin, 'accept'],
    [as.admin, 'enrol', { cohort_id: shared.cohort.id }],
  ];
  let application;
  for (const [caller, step, body] of steps)
    application = expectStatus(await caller.post(`/api/v1/applications/${draft.id}/${step}`, body), 200, `${step} the application`);
  shared.enrolment = await as.admin.json(`/api/v1/enrolments/${application.enrolment_id}`);
  assert.equal(shared.enrolment.state, 'active');
});

after(async () => {
  await server?.stop();
});

/* ---------------------------------------------------------------- credits */

test("module credits: anyone may read them; only administrators set them, within 0 to 180", async () => {
  assert.deepEqual((await anon().json('/api/v1/module-credits')).module_credits, [], 'none set at first');

  const set = expectStatus(
    await as.admin.put('/api/v1/module-credits', { module: 'CLOSING-THE-GAP', credits: 15, awarding_body: 'University of Example' }),
    200,
    'set the credits of Closing the gap',
  );
  matchesSchema('PUT', '/api/v1/module-credits', 200, set);
  assert.equal(set.module, 'closing-the-gap', 'the module as the catalogue spells it');
  assert.equal(set.title, 'Closing the gap');
  assert.equal(set.credits, 15);
  assert.equal(set.awarding_body, 'University of Example');
  expectStatus(await as.admin.put('/api/v1/module-credits', { module: 'succeeding-in-senior-leadership', credits: 10 }), 200, 'another');
  /* Setting again replaces. */
  expectStatus(
    await as.admin.put('/api/v1/module-credits', { module: 'succeeding-in-senior-leadership', credits: 20, awarding_body: 'University of Example' }),
    200,
    'change it',
  );

  const list = await anon().json('/api/v1/module-credits');
  matchesSchema('GET', '/api/v1/module-credits', 200, list);
  assert.deepEqual(
    list.module_credits.map((c) => [c.module, c.credits, c.awarding_body]),
    [
      ['closing-the-gap', 15, 'University of Example'],
      ['succeeding-in-senior-leadership', 20, 'University of Example'],
    ],
  );

  for (const [body, field] of [
    [{ module: 'closing-the-gap', credits: 181 }, 'credits'],
    [{ module: 'closing-the-gap', credits: -1 }, 'credits'],
    [{ module: 'closing-the-gap', credits: '15' }, 'credits'],
    [{ module: 'closing-the-gap' }, 'credits'],
    [{ module: 'no-such-module', credits: 10 }, 'module'],
    [{ module: 'closing-the-gap', credits: 10, awarding_body: 'x'.repeat(201) }, 'awarding_body'],
  ]) {
    const e = expectError(await as.admin.put('/api/v1/module-credits', body), 422, 'invalid', `PUT ${JSON.stringify(body).slice(0, 80)}`);
    assert.ok(e.error.fields.some((f) => f.field === field), `an error on ${field}: ${JSON.stringify(e.error.fields)}`);
  }
  for (const role of ['participant', 'partner_lead', 'assessor', 'coach'])
    expectError(await as[role].put('/api/v1/module-credits', { module: 'closing-the-gap', credits: 1 }), 403, 'forbidden', `${role} sets credits`);
  assert.equal((await anon().put('/api/v1/module-credits', { module: 'closing-the-gap', credits: 1 })).status, 401);
  assert.equal((await anon().json('/api/v1/module-credits')).module_credits[0].credits, 15, 'refused changes changed nothing');
});

/* ---------------------------------------------------------------- the award check */

test('award check: says in words what is missing, and the award is refused with 422 and the same why', async () => {
  const check = await awardCheck();
  assert.equal(check.eligible, false);
  assert.equal(check.enrolment_id, shared.enrolment.id);
  assert.deepEqual(check.qualification, { code: 'NPQSL', title: SL_TITLE });
  assert.match(check.why, /^needs /);
  for (const part of [/Closing the gap/, /Succeeding in senior leadership/, /2 electives/, /a pass in the final assessment/, /4 more face-to-face events/])
    assert.match(check.why, part, 'why names everything missing');
  assert.deepEqual(check.facts, {
    modules_completed: [],
    final_assessment_passed: false,
    delivery_model: 'blended',
    face_to_face_attended: 0,
    virtual_attended: 0,
  });
  assert.equal(check.award, null);

  const refused = expectError(await as.admin.post('/api/v1/awards', { enrolment_id: shared.enrolment.id }), 422, 'invalid', 'award too early');
  assert.equal(refused.error.why, check.why, 'the refusal carries the check\'s why');
  assert.match(refused.error.message, /needs /);
  assert.equal(refused.error.fields[0].field, 'enrolment_id');

  /* Who may ask: the participant, their coach and headteacher, administrators; not another participant. */
  for (const role of ['participant', 'coach', 'headteacher', 'partner_lead']) await awardCheck(as[role]);
  expectError(await as.other.get(`/api/v1/enrolments/${shared.enrolment.id}/award-check`), 404, 'not_found', 'another participant');
  assert.equal((await anon().get(`/api/v1/enrolments/${shared.enrolment.id}/award-check`)).status, 401);
  expectError(await as.admin.get('/api/v1/enrolments/999999/award-check'), 404, 'not_found', 'no such enrolment');

  /* Only administrators award, and only enrolments that exist. */
  for (const role of ['participant', 'assessor', 'partner_lead'])
    expectError(await as[role].post('/api/v1/awards', { enrolment_id: shared.enrolment.id }), 403, 'forbidden', `${role} awards`);
  expectError(await as.admin.post('/api/v1/awards', { enrolment_id: 999999 }), 404, 'not_found', 'award no enrolment');
  for (const body of [{}, { enrolment_id: 'one' }, { enrolment_id: 0 }])
    expectError(await as.admin.post('/api/v1/awards', body), 422, 'invalid', `award ${JSON.stringify(body)}`);
});

test('award check: completed modules and attended events count; an absence does not', async () => {
  for (const [i, module] of [...SL_ESSENTIALS, ...SL_ELECTIVES].entries()) await complete(module, 100 - i * 10);
  let check = await awardCheck();
  assert.deepEqual(check.facts.modules_completed.slice().sort(), [...SL_ESSENTIALS, ...SL_ELECTIVES].sort());
  assert.doesNotMatch(check.why, /Closing the gap|elective/, `modules done: ${check.why}`);
  assert.match(check.why, /a pass in the final assessment/);
  assert.match(check.why, /4 more face-to-face events/);

  await attend('present', 1);
  await attend('late', 2);
  await attend('absent', 3);
  check = await awardCheck();
  assert.equal(check.facts.face_to_face_attended, 2, 'present and late count, absent does not');
  assert.match(check.why, /2 more face-to-face events/);
  await attend('present', 4);
  await attend('present', 5);
  check = await awardCheck();
  assert.equal(check.facts.face_to_face_attended, 4);
  assert.equal(check.eligible, false);
  assert.equal(check.why, 'needs a pass in the final assessment', 'only the final assessment is missing');
  expectError(await as.admin.post('/api/v1/awards', { enrolment_id: shared.enrolment.id }), 422, 'invalid', 'award without the final');
});

test('award check: a released pass in the final assessment completes the requirements', async () => {
  shared.task = await setFinal();
  shared.submission = expectStatus(
    await as.participant.post('/api/v1/submissions', { task_id: shared.task.id, enrolment_id: shared.enrolment.id }),
    201,
    'start the final assessment',
  );
  await submitFinal(shared.submission, 'We raised attendance by working with families.', 'the first attempt');
  /* A referral is not a pass. */
  const referred = await markAndRelease(shared.submission, 'refer', 'Say how you will know it worked, then resubmit.');
  assert.equal(referred.state, 'draft', 'a referral goes back to the participant');
  assert.equal((await awardCheck()).facts.final_assessment_passed, false, 'a referred result is not a pass');
  await submitFinal(shared.submission, 'We raised attendance by working with families, and this is how it went.', 'the resubmission');
  await markAndRelease(shared.submission, 'pass', 'A well-evidenced improvement.');
  const check = await awardCheck();
  assert.equal(check.facts.final_assessment_passed, true);
  assert.equal(check.eligible, true);
  assert.equal(check.why, 'all requirements met');
});

/* ---------------------------------------------------------------- awarding */

test('awarding: 201 with a checked certificate number; the enrolment is completed, the participant emailed; a second award 409', async () => {
  const r = await as.admin.post('/api/v1/awards', { enrolment_id: shared.enrolment.id });
  const award = expectStatus(r, 201, 'award NPQSL');
  matchesSchema('POST', '/api/v1/awards', 201, award);
  shared.award = award;
  assert.equal(r.headers.get('location'), `/api/v1/awards/${award.id}`);
  const year = new Date().getUTCFullYear();
  const m = /^NPQSL-(\d{4})-(\d{6})-(\d)$/.exec(award.certificate_number);
  assert.ok(m, `certificate number ${award.certificate_number}`);
  assert.equal(Number(m[1]), year, 'the year of the award');
  assert.equal(Number(m[2]), award.id, "the serial is the award's id");
  assert.ok(luhnValid(m[1] + m[2] + m[3]), `the check digit of ${award.certificate_number} is right`);
  const wrong = `${m[1]}${m[2]}${(Number(m[3]) + 1) % 10}`;
  assert.ok(!luhnValid(wrong), 'and another digit would be wrong');
  assert.equal(award.participant.id, demo.ids.participant);
  assert.equal(award.participant.name, 'Pat Participant');
  assert.deepEqual(award.qualification, { code: 'NPQSL', title: SL_TITLE });
  assert.equal(award.awarded_on, isoDate(Date.now()));
  assert.match(award.verification_code, /^[A-Za-z0-9_-]{43}$/, 'a random token');
  assert.equal(award.verification_url, `${baseUrl}/verify/${award.verification_code}`);
  assert.equal(award.certificate_url, `/api/v1/awards/${award.id}/certificate.pdf`);
  assert.equal(award.awarded_by, demo.ids.admin);

  const enrolment = await as.admin.json(`/api/v1/enrolments/${shared.enrolment.id}`);
  assert.equal(enrolment.state, 'completed', 'the enrolment is completed');
  assert.equal(enrolment.history.at(-1).step, 'complete');
  assert.match(enrolment.history.at(-1).reason, new RegExp(award.certificate_number));

  const check = await awardCheck();
  assert.deepEqual(check.award, { id: award.id, certificate_number: award.certificate_number, awarded_on: award.awarded_on });

  const mail = await poll(
    () => printedMails(server).find((x) => x.to === demo.emails.participant && /awarded/i.test(x.subject)),
    { timeoutMs: 5000, intervalMs: 50 },
  );
  assert.ok(mail, `the participant is emailed\n${server.stdout().slice(-2000)}`);
  assert.match(mail.subject, /Senior Leadership/);
  assert.ok(mail.body.includes(award.verification_url), `the email gives the verification address:\n${mail.body}`);
  assert.ok(mail.body.includes(award.certificate_number), 'and the certificate number');

  const events = (await as.admin.json(`/api/v1/audit-events?action=award.&entity=award&entity_id=${award.id}`)).events;
  assert.equal(events.length, 1, 'one audit event');
  assert.equal(events[0].action, 'award.create');
  assert.ok(!JSON.stringify(events[0]).includes(award.verification_code), 'the audit log does not keep the secret code');

  const again = expectError(await as.admin.post('/api/v1/awards', { enrolment_id: shared.enrolment.id }), 409, 'conflict', 'award twice');
  assert.match(again.error.message, /already/);
  assert.equal((await as.admin.json('/api/v1/awards')).total, 1, 'still one award');
});

test('awards: administrators list them; an award is seen by administrators and the person awarded only', async () => {
  const list = await as.admin.json('/api/v1/awards');
  matchesSchema('GET', '/api/v1/awards', 200, list);
  assert.deepEqual(list.awards.map((a) => a.id), [shared.award.id]);
  assert.equal((await as.admin.json(`/api/v1/awards?participant_id=${demo.ids.other}`)).awards.length, 0);
  assert.equal((await as.admin.json(`/api/v1/awards?participant_id=${demo.ids.participant}`)).awards.length, 1);

  const mine = await as.participant.json(`/api/v1/awards/${shared.award.id}`);
  matchesSchema('GET', '/api/v1/awards/{id}', 200, mine);
  assert.deepEqual(mine, shared.award);
  for (const key of ['other', 'coach', 'headteacher', 'assessor'])
    expectError(await as[key].get(`/api/v1/awards/${shared.award.id}`), 404, 'not_found', `${key} reads the award`);
  expectError(await as.participant.get('/api/v1/awards'), 403, 'forbidden', 'a participant lists awards');
  assert.equal((await anon().get(`/api/v1/awards/${shared.award.id}`)).status, 401);
  expectError(await as.admin.get('/api/v1/awards/999999'), 404, 'not_found', 'no such award');
});

/* ---------------------------------------------------------------- the certificate */

test('certificate: a PDF naming the provider, the person, the qualification, the date, the number and where to verify it', async () => {
  const url = shared.award.certificate_url;
  const r = await as.participant.get(url);
  assert.equal(r.status, 200, show(r));
  assert.equal(r.headers.get('content-type'), 'application/pdf');
  assert.match(r.headers.get('cache-control') || '', /no-store/);
  assert.equal(r.body.subarray(0, 5).toString('latin1'), '%PDF-', 'a PDF');
  const text = await pdfText(r.body, 'certificate.pdf');
  for (const expected of [
    'Demo NPQ Provider',
    'This is to certify that',
    'Pat Participant',
    'has been awarded the',
    SL_TITLE,
    dateWords(shared.award.awarded_on),
    shared.award.certificate_number,
    `Verify this certificate at ${shared.award.verification_url}`,
  ])
    assert.ok(text.replace(/\s+/g, ' ').includes(expected), `the certificate says "${expected}":\n${text}`);
  const pages = (await run('pdfinfo', [path.join(demo.dir, 'certificate.pdf')])).match(/Page size:\s+([\d.]+) x ([\d.]+)/);
  assert.ok(pages && Number(pages[1]) > Number(pages[2]), `A4 landscape: ${pages && pages[0]}`);
  assert.ok(Math.abs(Number(pages[1]) - 841.89) < 1 && Math.abs(Number(pages[2]) - 595.28) < 1, 'A4');

  assert.equal((await as.admin.get(url)).status, 200, 'administrators too');
  expectError(await as.other.get(url), 404, 'not_found', 'another participant');
  expectError(await as.coach.get(url), 404, 'not_found', 'the coach');
  assert.equal((await anon().get(url)).status, 401);
});

/* ---------------------------------------------------------------- verification */

test('verification: anyone confirms the name, qualification, date and number, and learns nothing else', async () => {
  const page = await request(server.url, `/verify/${shared.award.verification_code}`);
  assert.equal(page.status, 200, show(page));
  assert.match(page.headers.get('content-type'), /^text\/html/);
  assert.match(page.headers.get('x-robots-tag') || '', /noindex/);
  for (const expected of ['Certificate verified', 'Pat Participant', SL_TITLE, dateWords(shared.award.awarded_on), shared.award.certificate_number])
    assert.ok(page.text.includes(expected), `the page shows "${expected}"`);
  for (const secret of [demo.emails.participant, 'Riverside Primary School', 'Assistant head', 'NPQSL-AWARDS-1', 'Ada Administrator'])
    assert.ok(!page.text.includes(secret), `the page does not show "${secret}"`);

  const json = expectStatus(await anon().get(`/api/v1/verify/${shared.award.verification_code}`), 200, 'verify as JSON');
  matchesSchema('GET', '/api/v1/verify/{code}', 200, json);
  assert.deepEqual(json, {
    valid: true,
    name: 'Pat Participant',
    qualification: SL_TITLE,
    awarded_on: shared.award.awarded_on,
    certificate_number: shared.award.certificate_number,
  });

  const code = shared.award.verification_code;
  const flipped = (code[0] === 'A' ? 'B' : 'A') + code.slice(1);
  for (const unknown of [flipped, code.toLowerCase() === code ? code.toUpperCase() : code.toLowerCase(), 'abc', code + 'x', 'not%20a%20code', 'a'.repeat(500)]) {
    const p = await request(server.url, `/verify/${unknown}`);
    assert.equal(p.status, 404, `/verify/${unknown.slice(0, 50)}: ${p.status}`);
    assert.match(p.text, /No certificate matches/);
    assert.ok(!p.text.includes('Pat Participant'));
    const j = await anon().get(`/api/v1/verify/${unknown}`);
    assert.equal(j.status, 404);
    assert.equal(j.json().error.code, 'not_found');
  }
});

/* ---------------------------------------------------------------- the transcript */

test('transcript: completed modules with dates, hours (verified and not), credits and the award, as JSON, page and PDF', async () => {
  /* Hours logged against two modules; the coach verifies one entry. */
  const url = `/api/v1/enrolments/${shared.enrolment.id}/activities`;
  const yesterday = isoDate(Date.now() - DAY);
  const first = expectStatus(
    await as.participant.post(url, { module: 'closing-the-gap', type: 'reading', done_on: yesterday, hours: 2.5 }),
    201,
    'log hours',
  );
  expectStatus(await as.participant.post(url, { module: 'closing-the-gap', type: 'reflection', done_on: yesterday, hours: 1.25 }), 201, 'log more');
  expectStatus(await as.participant.post(url, { module: 'school-self-evaluation', type: 'peer_learning', done_on: yesterday, hours: 3 }), 201, 'log');
  expectStatus(await as.coach.post(`${url}/${first.id}/verify`), 200, 'the coach verifies an entry');

  const t = await as.participant.json(`/api/v1/participants/${demo.ids.participant}/transcript`);
  matchesSchema('GET', '/api/v1/participants/{id}/transcript', 200, t);
  assert.deepEqual(t.participant, { id: demo.ids.participant, name: 'Pat Participant' });
  assert.equal(t.provider, 'Demo NPQ Provider');
  assert.deepEqual(t.modules.map((m) => m.code).sort(), [...SL_ESSENTIALS, ...SL_ELECTIVES].sort());
  const byCode = Object.fromEntries(t.modules.map((m) => [m.code, m]));
  for (const m of t.modules) {
    assert.equal(m.title, MODULE_TITLES[m.code]);
    assert.match(m.completed_on, /^\d{4}-\d{2}-\d{2}$/);
  }
  assert.deepEqual(byCode['closing-the-gap'].hours, { total: 3.75, verified: 2.5, unverified: 1.25 });
  assert.deepEqual(byCode['school-self-evaluation'].hours, { total: 3, verified: 0, unverified: 3 });
  assert.deepEqual(byCode['improving-the-quality-of-teaching'].hours, { total: 0, verified: 0, unverified: 0 });
  assert.deepEqual(byCode['closing-the-gap'].credits, { credits: 15, awarding_body: 'University of Example' });
  assert.deepEqual(byCode['succeeding-in-senior-leadership'].credits, { credits: 20, awarding_body: 'University of Example' });
  assert.equal(byCode['school-self-evaluation'].credits, null);
  assert.equal(t.total_credits, 35);
  assert.equal(t.awards.length, 1);
  assert.deepEqual(t.awards[0], {
    id: shared.award.id,
    qualification: { code: 'NPQSL', title: SL_TITLE },
    certificate_number: shared.award.certificate_number,
    awarded_on: shared.award.awarded_on,
    verification_url: shared.award.verification_url,
  });

  /* The person's circle may read it; others may not. The verification address is the
     participant's to share: their coach, mentor and headteacher see the award without it. */
  for (const role of ['admin', 'coach', 'headteacher', 'mentor']) {
    const seen = await as[role].json(`/api/v1/participants/${demo.ids.participant}/transcript`);
    assert.equal(seen.awards[0].certificate_number, shared.award.certificate_number, `${role} sees the award`);
    if (role === 'admin') assert.equal(seen.awards[0].verification_url, shared.award.verification_url);
    else {
      assert.equal(seen.awards[0].verification_url, null, `${role} is not given the verification address`);
      assert.ok(!JSON.stringify(seen).includes(shared.award.verification_url.split('/verify/')[1]), `${role}: no code`);
    }
  }
  expectError(await as.other.get(`/api/v1/participants/${demo.ids.participant}/transcript`), 404, 'not_found', 'another participant');
  assert.equal((await anon().get(`/api/v1/participants/${demo.ids.participant}/transcript`)).status, 401);
  const empty = await as.other.json(`/api/v1/participants/${demo.ids.other}/transcript`);
  assert.deepEqual([empty.modules, empty.awards, empty.total_credits], [[], [], 0], 'a transcript with nothing on it yet');

  /* The page. */
  const page = await as.participant.get(`/participants/${demo.ids.participant}/transcript`);
  assert.equal(page.status, 200, show(page));
  for (const expected of [
    'Pat Participant',
    ...Object.values(MODULE_TITLES),
    dateWords(byCode['closing-the-gap'].completed_on),
    '3.75 (2.5 verified)',
    'University of Example',
    "Master's credits in total: <strong>35</strong>",
    SL_TITLE,
    shared.award.certificate_number,
    shared.award.verification_url,
    shared.award.certificate_url,
  ])
    assert.ok(page.text.includes(expected), `the transcript page shows "${expected}"`);
  const coachPage = await as.coach.get(`/participants/${demo.ids.participant}/transcript`);
  assert.equal(coachPage.status, 200);
  assert.ok(!coachPage.text.includes(shared.award.certificate_url), 'the certificate download is offered only to whom may have it');
  assert.ok(!coachPage.text.includes(shared.award.verification_url), 'nor the verification address');
  assert.equal((await as.other.get(`/participants/${demo.ids.participant}/transcript`)).status, 404);

  /* The PDF. */
  const pdf = await as.participant.get(`/participants/${demo.ids.participant}/transcript.pdf`);
  assert.equal(pdf.status, 200, show(pdf));
  assert.equal(pdf.headers.get('content-type'), 'application/pdf');
  assert.equal(pdf.body.subarray(0, 5).toString('latin1'), '%PDF-');
  const text = (await pdfText(pdf.body, 'transcript.pdf')).replace(/\s+/g, ' ');
  for (const expected of [
    'Transcript',
    'Pat Participant',
    'Demo NPQ Provider',
    ...Object.values(MODULE_TITLES),
    dateWords(byCode['closing-the-gap'].completed_on),
    '3.75',
    '2.5 verified',
    '15',
    '20',
    'University of Example',
    "Master's credits in total: 35",
    SL_TITLE,
    shared.award.certificate_number,
    shared.award.verification_url,
  ])
    assert.ok(text.includes(expected), `the transcript PDF says "${expected}":\n${text}`);
  assert.equal((await as.other.get(`/participants/${demo.ids.participant}/transcript.pdf`)).status, 404);
});

test('transcript PDF: a long record runs over several pages and keeps every module', async () => {
  /* Twenty more modules recorded for the other participant (completions need no enrolment). */
  const modules = (await anon().json('/api/v1/modules')).modules.slice(0, 20);
  for (const [i, m] of modules.entries())
    expectStatus(
      await as.admin.post(`/api/v1/participants/${demo.ids.other}/completions`, { module: m.code, completed_on: isoDate(Date.now() - (i + 1) * DAY) }),
      201,
      `complete ${m.code}`,
    );
  const pdf = await as.other.get(`/participants/${demo.ids.other}/transcript.pdf`);
  assert.equal(pdf.status, 200, show(pdf));
  const text = (await pdfText(pdf.body, 'long.pdf')).replace(/\s+/g, ' ');
  for (const m of modules) assert.ok(text.includes(m.title), `the PDF lists ${m.title}`);
  const info = await run('pdfinfo', [path.join(demo.dir, 'long.pdf')]);
  assert.ok(Number(/Pages:\s+(\d+)/.exec(info)[1]) >= 2, `more than one page:\n${info}`);
  assert.match(text, /Page 2\./);
});

/* ---------------------------------------------------------------- the list of awards */

test('the list of awards: narrowed by qualification and date, paged with limit, refused in words; the same on /admin/awards', async () => {
  /* A second award, of the NPQML, for the other participant: from module completions alone. */
  const mlCohort = expectStatus(
    await as.admin.post('/api/v1/cohorts', {
      code: 'NPQML-AWARDS-1', kind: 'qualification', target: 'NPQML', delivery_model: 'blended',
      starts_on: isoDate(Date.now() - 300 * DAY), ends_on: isoDate(Date.now() + 300 * DAY),
    }),
    201,
    'an NPQML cohort',
  );
  const draft = expectStatus(
    await as.admin.post('/api/v1/applications', {
      participant_id: demo.ids.other, kind: 'qualification', target: 'NPQML', electives: ['leading-an-effective-team'],
      school_id: org.school, sponsor_id: demo.ids.headteacher, job_role: 'Head of year', delivery_model: 'blended', funding_route: 'school',
    }),
    201,
    'an NPQML application',
  );
  let application;
  for (const [caller, step, body] of [[as.admin, 'submit'], [as.headteacher, 'approve'], [as.admin, 'accept'], [as.admin, 'enrol', { cohort_id: mlCohort.id }]])
    application = expectStatus(await caller.post(`/api/v1/applications/${draft.id}/${step}`, body), 200, `${step} the NPQML application`);
  for (const module of ['leading-teaching', 'managing-systems-and-processes', 'leading-an-effective-team']) {
    const r = await as.admin.post(`/api/v1/participants/${demo.ids.other}/completions`, { module, completed_on: isoDate(Date.now() - DAY), enrolment_id: application.enrolment_id });
    assert.ok(r.status === 201 || r.status === 409, `complete ${module}: ${show(r)}`);
  }
  const ml = expectStatus(await as.admin.post('/api/v1/awards', { enrolment_id: application.enrolment_id }), 201, 'award the NPQML');
  const sl = shared.award;
  const today = isoDate(Date.now());
  const ids = async (query) => {
    const list = await as.admin.json(`/api/v1/awards${query}`);
    matchesSchema('GET', '/api/v1/awards', 200, list);
    return [list.awards.map((a) => a.id), list.total];
  };
  assert.deepEqual(await ids(''), [[ml.id, sl.id], 2], 'newest first');
  assert.deepEqual(await ids('?qualification=NPQML'), [[ml.id], 1]);
  assert.deepEqual(await ids('?qualification=npqsl'), [[sl.id], 1], 'a code in any case');
  assert.deepEqual(await ids(`?awarded_from=${today}&awarded_to=${today}`), [[ml.id, sl.id], 2], 'both days included');
  assert.deepEqual(await ids(`?awarded_from=${isoDate(Date.now() + DAY)}`), [[], 0]);
  assert.deepEqual(await ids(`?awarded_to=${isoDate(Date.now() - DAY)}`), [[], 0]);
  assert.deepEqual(await ids(`?qualification=NPQML&participant_id=${demo.ids.participant}`), [[], 0], 'filters combine');
  assert.deepEqual(await ids('?limit=1'), [[ml.id], 2], 'a page of one, with the total');
  const first = await as.admin.get('/api/v1/awards?limit=1');
  const next = /<([^>]+)>; rel="next"/.exec(first.headers.get('link') || '');
  assert.ok(next, `a link to the next page: ${first.headers.get('link')}`);
  assert.deepEqual(await ids(new URL(next[1], server.url).search), [[sl.id], 2], 'the next page');
  for (const [query, field] of [
    ['?qualification=NPQXYZ', 'qualification'],
    ['?awarded_from=2027-02-30', 'awarded_from'],
    ['?awarded_to=next+week', 'awarded_to'],
    ['?awarded_from=2027-08-01&awarded_to=2027-07-01', 'awarded_to'],
    ['?limit=0', 'limit'],
    ['?limit=501', 'limit'],
  ]) {
    const body = expectError(await as.admin.get(`/api/v1/awards${query}`), 400, 'bad_request', query);
    assert.ok(body.error.fields.some((f) => f.field === field && f.message.includes(field)), `${query}: names ${field}: ${JSON.stringify(body.error.fields)}`);
  }

  /* The page: the same list, each row linking the person and the certificate. */
  const admin = await signIn(server, demo.emails.admin);
  const page = await admin.get('/admin/awards');
  assert.equal(page.status, 200);
  for (const a of [ml, sl]) {
    assert.match(page.text, new RegExp(`href="/admin/users/${a.participant.id}">${a.participant.name}</a>`), `${a.participant.name}'s page`);
    assert.match(page.text, new RegExp(`href="/api/v1/awards/${a.id}/certificate.pdf" download>${a.certificate_number}<`), `${a.certificate_number}`);
  }
  assert.match(page.text, /Showing all 2 awards/);
  const narrowed = await admin.get('/admin/awards?qualification=NPQML');
  assert.match(narrowed.text, /Showing the only match/);
  assert.match(narrowed.text, /<option value="NPQML" selected>/, 'the filter is kept');
  assert.doesNotMatch(narrowed.text, /Pat Participant/);
  const wrong = await admin.get('/admin/awards?awarded_from=yesterday');
  assert.equal(wrong.status, 422);
  assert.match(wrong.text, /<div class="govuk-error-summary"[\s\S]*href="#awarded_from"/);
  assert.match(wrong.text, /id="awarded_from" name="awarded_from" type="text" value="yesterday"/, 'what was typed is kept');
  assert.match((await admin.get('/')).text, /href="\/admin\/awards"/, 'the home page links it');
  const pat = await signIn(server, demo.emails.participant);
  assert.equal((await pat.get('/admin/awards')).status, 403);
});
