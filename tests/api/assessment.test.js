'use strict';
/*
 * Assessment, black-box: the real binary on a demo database (`npq demo`: coach@ is the assigned
 * coach of participant@, assessor@ an assessor), an API token for every role, a second assessor
 * and another participant, and an NPQSL enrolment for the demo participant made through the
 * application flow.
 *
 *   NPQ_BIN=build/npq node --test --test-concurrency=1 tests/api/assessment.test.js
 *
 * The tests share one server and run in order; each says what it relies on. The whole chain of a
 * module task (draft, file, submit with a receipt, coach's feedback, a referral released, a
 * resubmission passed, the module completed) and of a final task (late, a fail moderated by a
 * second assessor), and the promise that no one but those who may mark work sees its result
 * before it is released. Every GET answer is checked against the schema the OpenAPI document
 * gives for it, strictly (no undeclared fields).
 */
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');

const { startDemoServer, apiAs, printedMails } = require('./auth_helpers');
const { poll } = require('./helpers');

/* ---------------------------------------------------------------- fixtures */

const SL_ELECTIVES = ['improving-the-quality-of-teaching', 'school-self-evaluation'];
const DAY = 86400 * 1000;

let server;
let demo; // {dbPath, tokens, ids, emails}
let as; // callers by key: the demo roles, assessor2, other (another participant)
let doc; // the OpenAPI document
const shared = {}; // records later tests build on

const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const dateOn = (offsetDays) => new Date(Date.now() + offsetDays * DAY).toISOString().slice(0, 10);
const sha256 = (data) => crypto.createHash('sha256').update(data).digest('hex');

/* ---------------------------------------------------------------- assertions */

function show(r) {
  return `${r.status} ${r.text.slice(0, 1500)}`;
}

function expectStatus(r, status, what) {
  assert.equal(r.status, status, `${what}: expected ${status}, got ${show(r)}`);
  return r.status === 204 ? null : r.json();
}

function expect422(r, field, re, what) {
  assert.equal(r.status, 422, `${what}: expected 422 on ${field}, got ${show(r)}`);
  const body = r.json();
  assert.equal(body.error.code, 'invalid', `${what}: error code`);
  const hit = body.error.fields.find((f) => f.field === field && re.test(f.message));
  assert.ok(hit, `${what}: a field error on "${field}" matching ${re}; got ${JSON.stringify(body.error.fields)}`);
  return body;
}

function expectError(r, status, code, what, re) {
  assert.equal(r.status, status, `${what}: expected ${status}, got ${show(r)}`);
  const body = r.json();
  assert.equal(body.error.code, code, `${what}: error code`);
  if (re) assert.match(body.error.message, re, `${what}: message`);
  return body;
}

/* No outcome anywhere in an answer: not as a value, not as a title. */
function assertNoOutcome(text, what) {
  assert.doesNotMatch(text, /"(pass|refer|fail)"/, `${what}: no outcome value in ${text.slice(0, 3000)}`);
  assert.doesNotMatch(text, /Referred for resubmission|"Pass"|"Fail"/, `${what}: no outcome title`);
  assert.doesNotMatch(text, /"outcome"/, `${what}: no outcome field`);
}

/* ---------------------------------------------------------------- the OpenAPI schemas */

const typeOf = (v) => (v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v);

function resolve(ref) {
  return ref
    .slice(2)
    .split('/')
    .reduce((node, part) => (node ? node[part] : undefined), doc);
}

/* The keywords the document uses, strictly: a field the server sends must be declared. */
function validate(schema, value, where, errors = []) {
  if (schema.$ref) {
    const target = resolve(schema.$ref);
    if (!target) return errors.push(`${where}: unresolved ${schema.$ref}`), errors;
    return validate(target, value, where, errors);
  }
  if (schema.enum && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value)))
    errors.push(`${where}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  if (schema.type) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    const t = typeOf(value);
    if (!types.includes(t) && !(t === 'integer' && types.includes('number')))
      return errors.push(`${where}: ${t} where the schema says ${types.join(' or ')}`), errors;
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

/* Asserts body matches the response schema OpenAPI documents for "METHOD /pattern". */
function matchesSchema(key, body) {
  const [method, pattern] = key.split(' ');
  const op = doc.paths[pattern]?.[method.toLowerCase()];
  assert.ok(op, `${key} is in the OpenAPI document`);
  const success = ['200', '201'].find((c) => op.responses[c]);
  const schema = op.responses[success].content['application/json'].schema;
  assert.deepEqual(validate(schema, body, key), [], `${key} answers as its schema ${schema.$ref} says`);
  return body;
}

/* GET as caller, assert 200 and the documented schema; resolves {body, text}. */
async function getChecked(caller, url, key) {
  const r = await caller.get(url);
  const body = matchesSchema(key, expectStatus(r, 200, `${caller.label}: GET ${url}`));
  return { body, text: r.text };
}

const submissionUrl = (id) => `/api/v1/submissions/${id}`;
const getSubmission = (caller, id) => getChecked(caller, submissionUrl(id), 'GET /api/v1/submissions/{id}');

/* ---------------------------------------------------------------- steps */

async function setTask(body) {
  const t = expectStatus(await as.admin.post('/api/v1/assessment-tasks', body), 201, `set task ${body.title}`);
  matchesSchema('POST /api/v1/assessment-tasks', t);
  return t;
}

async function startDraft(caller, taskId, enrolmentId = shared.enrolment.id) {
  return expectStatus(await caller.post('/api/v1/submissions', { task_id: taskId, enrolment_id: enrolmentId }), 201, 'start a draft');
}

async function upload(caller, id, name, type, data, what = `upload ${name}`) {
  return caller.request('POST', `${submissionUrl(id)}/files`, {
    body: data,
    contentType: type,
    headers: { 'x-file-name': encodeURIComponent(name) },
  }).then((r) => ({ r, what }));
}

function marking(outcome, met, feedback = 'Thank you for this work.') {
  return { outcome, criteria: met.map((m, i) => ({ met: m, comment: `Criterion ${i + 1}: ${m ? 'shown' : 'not shown yet'}` })), feedback };
}

const mailsTo = (email) => printedMails(server).filter((m) => m.to === email);

/* ---------------------------------------------------------------- the server */

before(async () => {
  ({ server, ...demo } = await startDemoServer({
    threads: 4,
    extraUsers: {
      assessor2: { email: 'assessor.two@demo.npq.test', name: 'Asha Assessor-Two', role: 'assessor' },
      other: { email: 'other.participant@demo.npq.test', name: 'Olu Other', role: 'participant' },
    },
  }));
  as = Object.fromEntries(Object.entries(demo.tokens).map(([key, token]) => [key, apiAs(server, token, key)]));
  doc = await as.admin.json('/api/v1/openapi.json');

  const orgs = (await as.admin.json('/api/v1/organisations')).organisations;
  const school = orgs.find((o) => o.kind === 'school' && o.urn === '100001').id;
  const partner = orgs.find((o) => o.kind === 'delivery_partner').id;
  const cohort = expectStatus(
    await as.admin.post('/api/v1/cohorts', {
      code: 'NPQSL-ASSESS-1',
      kind: 'qualification',
      target: 'NPQSL',
      delivery_model: 'blended',
      starts_on: dateOn(-60),
      ends_on: dateOn(600),
      delivery_partner_id: partner,
    }),
    201,
    'add a cohort',
  );
  // The application flow: admin drafts for the participant and submits, the headteacher approves,
  // admin accepts and enrols.
  const draft = expectStatus(
    await as.admin.post('/api/v1/applications', {
      participant_id: demo.ids.participant,
      kind: 'qualification',
      target: 'NPQSL',
      electives: SL_ELECTIVES,
      school_id: school,
      sponsor_id: demo.ids.headteacher,
      job_role: 'Assistant head',
      delivery_model: 'blended',
      funding_route: 'school',
    }),
    201,
    'draft an application',
  );
  const step = async (caller, name, body) =>
    expectStatus(await caller.post(`/api/v1/applications/${draft.id}/${name}`, body), 200, `${caller.label}: ${name}`);
  await step(as.admin, 'submit');
  await step(as.headteacher, 'approve');
  await step(as.admin, 'accept');
  const enrolled = await step(as.admin, 'enrol', { cohort_id: cohort.id });
  shared.enrolment = await as.admin.json(`/api/v1/enrolments/${enrolled.enrolment_id}`);
});

after(async () => {
  if (server) await server.stop();
});

/* ---------------------------------------------------------------- tasks */

test('administrators set tasks; the rules check them; everyone signed in reads them', async () => {
  const criteria = [
    { title: 'Analyses the gap', descriptor: 'Uses the school’s data to say who is behind and why' },
    { title: 'Plans an intervention', descriptor: 'Chooses evidence-informed approaches' },
  ];
  shared.moduleTask = await setTask({
    kind: 'module',
    target: 'Closing-The-Gap',
    title: 'Closing the gap: an improvement plan',
    brief: 'Write **one** plan.',
    deadline: iso(Date.now() + 30 * DAY),
    word_limit: 500,
    max_resubmissions: 1,
    moderation_percent: 0,
    criteria,
  });
  assert.equal(shared.moduleTask.target, 'closing-the-gap', 'the target takes the catalogue spelling');
  assert.equal(shared.moduleTask.brief_html.includes('<strong>one</strong>'), true, 'the brief is rendered');
  assert.deepEqual(
    shared.moduleTask.criteria.map((c) => [c.position, c.title]),
    [[1, 'Analyses the gap'], [2, 'Plans an intervention']],
  );
  // A final assessment whose deadline has passed: work is still taken, and flagged late.
  shared.finalTask = await setTask({
    kind: 'final',
    target: 'NPQSL',
    title: 'NPQSL final assessment: leading a change',
    deadline: iso(Date.now() - DAY),
    max_resubmissions: 1,
    moderation_percent: 0,
    criteria: [{ title: 'Leads change' }, { title: 'Evaluates impact' }, { title: 'Reflects' }],
  });
  shared.shortTask = await setTask({
    kind: 'module',
    target: 'succeeding-in-senior-leadership',
    title: 'A short reflection',
    deadline: iso(Date.now() + 30 * DAY),
    word_limit: 5,
    criteria: [{ title: 'Reflects' }],
  });

  expectError(await as.coach.post('/api/v1/assessment-tasks', { kind: 'module' }), 403, 'forbidden', 'a coach sets a task');
  expectError(await as.assessor.post('/api/v1/assessment-tasks', { kind: 'module' }), 403, 'forbidden', 'an assessor sets a task');
  const base = { kind: 'module', target: 'closing-the-gap', title: 'x', deadline: iso(Date.now() + DAY), criteria: [{ title: 'c' }] };
  expect422(await as.admin.post('/api/v1/assessment-tasks', { ...base, target: 'no-such-module' }), 'target', /no module/, 'an unknown module');
  expect422(await as.admin.post('/api/v1/assessment-tasks', { ...base, kind: 'final', target: 'NPQML' }), 'target', /no final assessment/, 'NPQML has no final assessment');
  expect422(await as.admin.post('/api/v1/assessment-tasks', { ...base, criteria: [] }), 'criteria', /at least 1/, 'no criteria');
  expect422(await as.admin.post('/api/v1/assessment-tasks', { ...base, kind: 'essay' }), 'kind', /module|final/, 'an unknown kind');
  expect422(await as.admin.post('/api/v1/assessment-tasks', { ...base, deadline: 'Friday' }), 'deadline', /UTC/, 'not a time');
  expect422(await as.admin.post('/api/v1/assessment-tasks', { ...base, moderation_percent: 101 }), 'moderation_percent', /100/, 'over 100 percent');
  expect422(await as.admin.post('/api/v1/assessment-tasks', { ...base, max_file_bytes: 0 }), 'max_file_bytes', /more than 0/, 'no file at all');
  expect422(await as.admin.post('/api/v1/assessment-tasks', { ...base, max_file_bytes: 1024 ** 3 + 1 }), 'max_file_bytes', /at most 1 GiB/, 'over 1 GiB');
  expect422(await as.admin.post('/api/v1/assessment-tasks', { ...base, max_file_bytes: '5 MB' }), 'max_file_bytes', /bytes, a whole number/, 'not a number');
  const largest = expectStatus(await as.admin.patch(`/api/v1/assessment-tasks/${shared.shortTask.id}`, { max_file_bytes: 1024 ** 3 }), 200, '1 GiB exactly');
  assert.equal(largest.max_file_bytes, 1024 ** 3);
  expect422(await as.admin.patch(`/api/v1/assessment-tasks/${shared.shortTask.id}`, { max_file_bytes: -5 }), 'max_file_bytes', /more than 0/, 'a change checked alike');
  expectStatus(await as.admin.patch(`/api/v1/assessment-tasks/${shared.shortTask.id}`, { max_file_bytes: 50 * 1024 * 1024 }), 200, 'back to 50 MiB');
  assert.equal(shared.moduleTask.max_file_bytes, 50 * 1024 * 1024, 'a task takes files up to 50 MiB unless set');

  const list = await getChecked(as.participant, '/api/v1/assessment-tasks?target=closing-the-gap', 'GET /api/v1/assessment-tasks');
  assert.deepEqual(list.body.tasks.map((t) => t.id), [shared.moduleTask.id], 'filtered by target');
  const all = await getChecked(as.participant, '/api/v1/assessment-tasks', 'GET /api/v1/assessment-tasks');
  assert.equal(all.body.tasks.length, 3);
  assert.equal(all.body.tasks[0].id, shared.finalTask.id, 'soonest deadline first');
  const one = await getChecked(as.coach, `/api/v1/assessment-tasks/${shared.shortTask.id}`, 'GET /api/v1/assessment-tasks/{id}');
  assert.equal(one.body.word_limit, 5);

  const moved = expectStatus(
    await as.admin.patch(`/api/v1/assessment-tasks/${shared.shortTask.id}`, { deadline: iso(Date.now() + 40 * DAY), brief: 'Five words at most.' }),
    200,
    'move a deadline',
  );
  assert.equal(moved.brief, 'Five words at most.');
  assert.equal(moved.word_limit, 5, 'what was not sent stays');
  expectError(await as.participant.patch(`/api/v1/assessment-tasks/${shared.shortTask.id}`, { brief: 'x' }), 403, 'forbidden', 'a participant changes a task');
});

/* ---------------------------------------------------------------- drafting */

test('a participant starts a draft in their own enrolment, once per task', async () => {
  const s = await startDraft(as.participant, shared.moduleTask.id);
  matchesSchema('POST /api/v1/submissions', s);
  assert.equal(s.state, 'draft');
  assert.equal(s.participant.id, demo.ids.participant);
  assert.deepEqual(s.draft, { text: '', word_count: 0, files: [] });
  assert.deepEqual(s.versions, []);
  shared.sub = s.id;

  const again = expectError(
    await as.participant.post('/api/v1/submissions', { task_id: shared.moduleTask.id, enrolment_id: shared.enrolment.id }),
    409,
    'conflict',
    'a second draft',
  );
  assert.equal(again.error.id, s.id, 'the 409 names the draft that exists');

  expect422(
    await as.other.post('/api/v1/submissions', { task_id: shared.moduleTask.id, enrolment_id: shared.enrolment.id }),
    'enrolment_id',
    /your own/,
    "someone else's enrolment",
  );
  const elsewhere = await setTask({
    kind: 'module',
    target: 'leading-teaching',
    title: 'A middle-leadership task',
    deadline: iso(Date.now() + DAY),
    criteria: [{ title: 'c' }],
  });
  expect422(
    await as.participant.post('/api/v1/submissions', { task_id: elsewhere.id, enrolment_id: shared.enrolment.id }),
    'task_id',
    /not part of this enrolment/,
    'a module outside the enrolment',
  );
  expect422(await as.participant.post('/api/v1/submissions', { task_id: 999999, enrolment_id: shared.enrolment.id }), 'task_id', /no assessment task/, 'no such task');
});

test('the participant saves text and a file; only they can; the coach sees the draft, the assessor does not', async () => {
  shared.text = 'Our plan closes the gap in reading for pupils eligible for the pupil premium. ' +
    'We will use the school’s data — “naïve” readers first — and measure progress termly.';
  const saved = expectStatus(
    await as.participant.patch(submissionUrl(shared.sub), { activity: 'Reading intervention in Year 7', text: shared.text }),
    200,
    'save the draft',
  );
  assert.equal(saved.draft.text, shared.text);
  assert.equal(saved.activity, 'Reading intervention in Year 7');
  assert.ok(saved.draft.word_count > 20);
  expectError(await as.coach.patch(submissionUrl(shared.sub), { text: 'mine now' }), 403, 'forbidden', 'the coach edits the draft');

  shared.fileData = Buffer.concat([Buffer.from('%PDF-1.4\n'), crypto.randomBytes(50000)]);
  const { r } = await upload(as.participant, shared.sub, 'Improvement plan (v1).pdf', 'application/pdf', shared.fileData);
  const file = expectStatus(r, 201, 'upload a file');
  matchesSchema('POST /api/v1/submissions/{id}/files', file);
  assert.equal(file.sha256, sha256(shared.fileData), 'the SHA-256 of the bytes sent');
  assert.equal(file.size, shared.fileData.length);
  assert.equal(file.name, 'Improvement plan (v1).pdf');
  assert.equal(file.version, null, 'part of the draft');
  shared.file = file;

  const spare = expectStatus((await upload(as.participant, shared.sub, 'notes.txt', 'text/plain', Buffer.from('scratch'))).r, 201, 'a second file');
  expectStatus(await as.participant.delete(`${submissionUrl(shared.sub)}/files/${spare.id}`), 204, 'remove it again');
  expectError(await as.participant.delete(`${submissionUrl(shared.sub)}/files/${spare.id}`), 404, 'not_found', 'remove it twice');
  expectError((await upload(as.coach, shared.sub, 'x.txt', 'text/plain', Buffer.from('x'))).r, 403, 'forbidden', 'the coach uploads');
  expect422(
    await as.participant.request('POST', `${submissionUrl(shared.sub)}/files`, { body: Buffer.from('x'), contentType: 'text/plain' }),
    'name',
    /X-File-Name/,
    'a file without a name',
  );

  const mine = await getSubmission(as.participant, shared.sub);
  assert.deepEqual(mine.body.draft.files.map((f) => f.id), [file.id]);
  const coach = await getSubmission(as.coach, shared.sub);
  assert.equal(coach.body.draft.text, shared.text, 'the coach reads the draft');
  const assessor = await getSubmission(as.assessor, shared.sub);
  assert.equal(assessor.body.draft, null, 'an assessor does not see work in progress');
  expectError(await as.assessor.get(`${submissionUrl(shared.sub)}/files/${file.id}`), 404, 'not_found', 'nor its files');
  const download = await as.participant.get(`${submissionUrl(shared.sub)}/files/${file.id}`);
  assert.equal(download.status, 200);
  assert.ok(download.body.equals(shared.fileData), 'the file comes back byte for byte');
  assert.match(download.headers.get('content-disposition'), /^attachment; filename\*=UTF-8''Improvement%20plan%20%28v1%29\.pdf$/);

  expectError(await as.other.get(submissionUrl(shared.sub)), 404, 'not_found', 'another participant');
  expectError(await as.mentor.get(submissionUrl(shared.sub)), 404, 'not_found', 'the mentor');
  const others = await getChecked(as.other, '/api/v1/submissions', 'GET /api/v1/submissions');
  assert.deepEqual(others.body.submissions, [], "another participant's list is empty");
});

test('the coach gives formative feedback on the draft; no one else can', async () => {
  const f = expectStatus(
    await as.coach.post(`${submissionUrl(shared.sub)}/feedback`, { body: 'Say *how* you will measure progress.' }),
    201,
    'coach feedback',
  );
  matchesSchema('POST /api/v1/submissions/{id}/feedback', f);
  assert.equal(f.version, null, 'on the draft');
  assert.match(f.body_html, /<em>how<\/em>/);
  expectError(await as.participant.post(`${submissionUrl(shared.sub)}/feedback`, { body: 'me' }), 403, 'forbidden', 'the participant');
  expectError(await as.assessor.post(`${submissionUrl(shared.sub)}/feedback`, { body: 'me' }), 403, 'forbidden', 'an assessor');
  expect422(await as.coach.post(`${submissionUrl(shared.sub)}/feedback`, { body: '  ' }), 'body', /Write/, 'empty feedback');
  expect422(await as.coach.post(`${submissionUrl(shared.sub)}/feedback`, { body: 'x', version: 3 }), 'version', /no version 3/, 'a version that does not exist');
});

/* ---------------------------------------------------------------- submitting */

test('submitting writes version 1 with a receipt carrying the SHA-256 of the text and the file, and emails it', async () => {
  const before = mailsTo(demo.emails.participant).length;
  const r = await as.participant.post(`${submissionUrl(shared.sub)}/submit`);
  const receipt = expectStatus(r, 200, 'submit');
  matchesSchema('POST /api/v1/submissions/{id}/submit', receipt);
  const v = receipt.version;
  assert.equal(receipt.state, 'submitted');
  assert.equal(v.number, 1);
  assert.equal(v.late, false);
  assert.equal(v.text, shared.text);
  assert.equal(v.text_sha256, sha256(Buffer.from(shared.text, 'utf8')), 'SHA-256 of the text as UTF-8');
  assert.deepEqual(v.files.map((f) => [f.id, f.sha256, f.version]), [[shared.file.id, sha256(shared.fileData), 1]]);
  assert.equal(receipt.receipt, v.receipt);
  const words = v.word_count;
  assert.match(
    receipt.receipt,
    new RegExp(
      `^Received at ${v.submitted_at}: version 1 of 'Closing the gap: an improvement plan', ${words} words, ` +
        `text SHA-256 ${sha256(Buffer.from(shared.text, 'utf8'))}; files: Improvement plan \\(v1\\)\\.pdf ` +
        `\\(${shared.fileData.length.toLocaleString('en-GB')} bytes, SHA-256 ${sha256(shared.fileData)}\\)\\.$`,
    ),
  );
  shared.receipt1 = receipt.receipt;

  const mail = await poll(() => mailsTo(demo.emails.participant).slice(before).find((m) => m.body.includes(receipt.receipt)), { timeoutMs: 5000 });
  assert.ok(mail, `the receipt is emailed to the participant\n${server.stdout().slice(-3000)}`);
  assert.ok(mail.body.includes(`/submissions/${shared.sub}\n`), 'the receipt links to the work');

  const got = await getSubmission(as.participant, shared.sub);
  assert.equal(got.body.state, 'submitted');
  assert.equal(got.body.versions.length, 1);
  assert.equal(got.body.versions[0].receipt, receipt.receipt);
  assert.deepEqual(got.body.draft.files, [], "the draft's files moved to the version");
  assert.equal(got.body.versions[0].files[0].sha256, sha256(shared.fileData));
  const assessor = await getSubmission(as.assessor, shared.sub);
  const dl = await as.assessor.get(assessor.body.versions[0].files[0].href);
  assert.ok(dl.body.equals(shared.fileData), "the assessor downloads the version's file");

  const queue = await getChecked(as.assessor2, '/api/v1/marking-queue', 'GET /api/v1/marking-queue');
  const item = queue.body.queue.find((x) => x.submission_id === shared.sub && x.waiting_for === 'assessor');
  assert.ok(item, 'the version waits for an assessor');
  assert.deepEqual([item.version, item.may_mark, item.assessor], [1, true, null]);
  expectError(await as.participant.get('/api/v1/marking-queue'), 403, 'forbidden', 'a participant reads the marking queue');
});

test('a submitted version cannot change, nor be submitted again before it is marked', async () => {
  expectError(await as.participant.patch(submissionUrl(shared.sub), { text: 'a better version' }), 409, 'conflict', 'PATCH after submitting', /submitted/);
  expectError((await upload(as.participant, shared.sub, 'late.txt', 'text/plain', Buffer.from('x'))).r, 409, 'conflict', 'a file after submitting');
  expectError(await as.participant.delete(`${submissionUrl(shared.sub)}/files/${shared.file.id}`), 409, 'conflict', "remove a submitted version's file");
  expectError(await as.participant.post(`${submissionUrl(shared.sub)}/submit`), 409, 'conflict', 'resubmit before marking', /waiting/);
  const got = await getSubmission(as.participant, shared.sub);
  assert.equal(got.body.versions[0].text, shared.text, 'the version is as it was');
  assert.equal(got.body.versions[0].receipt, shared.receipt1);
  expectError(await as.participant.post(`${submissionUrl(shared.sub)}/release`), 403, 'forbidden', 'the participant releases');
});

/* ---------------------------------------------------------------- marking, and what is seen before release */

test('an assessor marks: every criterion judged, and a pass needs every one met', async () => {
  const url = `${submissionUrl(shared.sub)}/marks`;
  expect422(await as.assessor.post(url, marking('pass', [true, false])), 'outcome', /every criterion met/, 'a pass with an unmet criterion');
  expect422(await as.assessor.post(url, marking('refer', [true])), 'criteria', /Judge every criterion/, 'one criterion of two');
  expect422(await as.assessor.post(url, marking('refer', [true, false], '')), 'feedback', /feedback/, 'no feedback');
  expect422(await as.assessor.post(url, { ...marking('refer', [true, false]), outcome: 'merit' }), 'outcome', /pass, refer or fail/, 'an unknown outcome');
  expectError(await as.coach.post(url, marking('refer', [true, false])), 403, 'forbidden', 'a coach (not an assessor) marks');
  expectError(await as.participant.post(url, marking('pass', [true, true])), 403, 'forbidden', 'the participant marks');

  const m = expectStatus(await as.assessor.post(url, marking('refer', [true, false], 'Good analysis; the **plan** needs measures.')), 201, 'mark: refer');
  matchesSchema('POST /api/v1/submissions/{id}/marks', m);
  assert.deepEqual([m.role, m.outcome, m.version, m.marker.id], ['assessor', 'refer', 1, demo.ids.assessor]);
  assert.deepEqual(m.criteria.map((c) => [c.title, c.met]), [['Analyses the gap', true], ['Plans an intervention', false]]);
  expectError(await as.assessor2.post(url, marking('pass', [true, true])), 409, 'conflict', 'a second mark when no moderation is needed', /needs no moderation/);
});

test('before release, no one but those who may mark it sees a result or a mark', async () => {
  const participant = await getSubmission(as.participant, shared.sub);
  assertNoOutcome(participant.text, 'the participant');
  assert.equal(participant.body.state, 'submitted', 'marked reads as submitted to the participant');
  assert.deepEqual(participant.body.versions.map((v) => [v.result, v.marks]), [[null, []]]);
  const coach = await getSubmission(as.coach, shared.sub);
  assertNoOutcome(coach.text, 'the coach');
  const list = await as.participant.get('/api/v1/submissions');
  assertNoOutcome(list.text, "the participant's list");
  assert.equal(list.json().submissions[0].state, 'submitted');

  const assessor = await getSubmission(as.assessor, shared.sub);
  assert.equal(assessor.body.state, 'marked');
  assert.equal(assessor.body.versions[0].result, null, 'not released yet');
  assert.deepEqual(assessor.body.versions[0].marks.map((m) => m.outcome), ['refer'], 'the assessor sees the mark');
  assert.equal(assessor.body.awaiting_moderation, false);
  const admin = await getSubmission(as.admin, shared.sub);
  assert.equal(admin.body.versions[0].marks[0].outcome, 'refer', 'an administrator sees it');
  assert.equal(admin.body.draft, null, 'but not the draft: the administrator is not the coach');
});

/* ---------------------------------------------------------------- release, referral, resubmission */

test('releasing a referral shows it to the participant, emails that a result is ready, and opens a resubmission', async () => {
  const before = mailsTo(demo.emails.participant).length;
  expectError(await as.assessor.post(`${submissionUrl(shared.sub)}/release`), 403, 'forbidden', 'an assessor releases');
  const released = expectStatus(await as.admin.post(`${submissionUrl(shared.sub)}/release`), 200, 'release');
  matchesSchema('POST /api/v1/submissions/{id}/release', released);
  assert.equal(released.state, 'draft', 'a referral goes back to the participant');
  expectError(await as.admin.post(`${submissionUrl(shared.sub)}/release`), 409, 'conflict', 'release twice', /not been submitted/);

  const mail = await poll(
    () => mailsTo(demo.emails.participant).slice(before).find((m) => /result is ready/i.test(m.subject)),
    { timeoutMs: 5000 },
  );
  assert.ok(mail, 'the participant is emailed that a result is ready');
  assert.doesNotMatch(`${mail.subject}\n${mail.body}`, /refer|pass|fail/i, 'the email does not say what the result is');
  assert.ok(mail.body.includes(`/submissions/${shared.sub}\n`), `the email links to the work and its result:\n${mail.body}`);

  const got = await getSubmission(as.participant, shared.sub);
  assert.equal(got.body.state, 'draft');
  assert.equal(got.body.resubmissions_left, 1);
  const v1 = got.body.versions[0];
  assert.deepEqual([v1.result.outcome, v1.result.title], ['refer', 'Referred for resubmission']);
  assert.equal(v1.marks.length, 1);
  assert.match(v1.marks[0].feedback_html, /<strong>plan<\/strong>/, "the assessor's feedback, beside the version");
  assert.equal(got.body.draft.text, shared.text, 'the draft starts from what was submitted');
});

test('the participant resubmits as version 2, with the earlier result and feedback kept beside it', async () => {
  shared.text2 = `${shared.text} Progress is measured by a standardised reading test each term.`;
  expectStatus(await as.participant.patch(submissionUrl(shared.sub), { text: shared.text2 }), 200, 'revise');
  expectStatus(await as.coach.post(`${submissionUrl(shared.sub)}/feedback`, { body: 'Version 1 was close.', version: 1 }), 201, 'feedback on version 1');
  const receipt = expectStatus(await as.participant.post(`${submissionUrl(shared.sub)}/submit`), 200, 'resubmit');
  assert.equal(receipt.version.number, 2);
  assert.match(receipt.receipt, /version 2 of 'Closing the gap: an improvement plan'/);
  assert.match(receipt.receipt, /; no files\.$/, 'the first version kept its file; this one has none');
  assert.equal(receipt.version.text_sha256, sha256(Buffer.from(shared.text2, 'utf8')));

  const got = await getSubmission(as.participant, shared.sub);
  assert.deepEqual(got.body.versions.map((v) => [v.number, v.result?.outcome ?? null]), [[1, 'refer'], [2, null]]);
  assert.equal(got.body.versions[0].marks[0].outcome, 'refer', 'the released mark stays visible');
  assert.equal(got.body.versions[0].receipt, shared.receipt1, 'version 1 is untouched');
  assert.deepEqual(got.body.feedback.map((f) => f.version), [null, 1], "the coach's feedback, on the draft and on version 1");
});

test('a pass released completes the module on the participant’s pathway', async () => {
  const url = `${submissionUrl(shared.sub)}/marks`;
  expectStatus(await as.assessor2.post(url, marking('pass', [true, true], 'Well done.')), 201, 'mark version 2: pass');
  const before = await getSubmission(as.participant, shared.sub);
  assert.deepEqual(before.body.versions.map((v) => v.marks.length), [1, 0], "version 2's mark is not shown before release");
  assert.doesNotMatch(JSON.stringify(before.body.versions[1]), /"pass"/);

  const released = expectStatus(await as.admin.post(`${submissionUrl(shared.sub)}/release`), 200, 'release the pass');
  assert.equal(released.state, 'released');
  const got = await getSubmission(as.participant, shared.sub);
  assert.equal(got.body.versions[1].result.outcome, 'pass');
  const pathway = await as.participant.json(`/api/v1/participants/${demo.ids.participant}/pathway`);
  const done = pathway.completed_modules.find((m) => m.code === 'closing-the-gap');
  assert.ok(done, `closing-the-gap is a completed module: ${JSON.stringify(pathway.completed_modules)}`);
  assert.equal(done.completed_on, got.body.versions[1].submitted_at.slice(0, 10), 'dated the day the passed version was submitted');
  expectError(await as.participant.post(`${submissionUrl(shared.sub)}/submit`), 409, 'conflict', 'submit after a pass', /passed/);
  expectError(await as.participant.patch(submissionUrl(shared.sub), { text: 'more' }), 409, 'conflict', 'change after release');
});

test('criteria cannot change once work is submitted against a task', async () => {
  expectError(
    await as.admin.patch(`/api/v1/assessment-tasks/${shared.moduleTask.id}`, { criteria: [{ title: 'Something new' }] }),
    409,
    'conflict',
    'new criteria',
  );
});

/* ---------------------------------------------------------------- the final task: late, a fail, moderation */

test('work on a task past its deadline is taken and flagged late', async () => {
  const s = await startDraft(as.participant, shared.finalTask.id);
  shared.final = s.id;
  expect422(await as.participant.post(`${submissionUrl(s.id)}/submit`), 'activity', /activity/, 'no activity named');
  expectStatus(
    await as.participant.patch(submissionUrl(s.id), { activity: 'Whole-school attendance', text: 'We changed how we follow up absence.' }),
    200,
    'write',
  );
  const receipt = expectStatus(await as.participant.post(`${submissionUrl(s.id)}/submit`), 200, 'submit late');
  assert.equal(receipt.version.late, true);
  assert.match(receipt.receipt, /Submitted after the deadline of \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\.$/);
  assert.match(receipt.receipt, /7 words/);
});

test('an assessor who coaches the participant cannot mark their work', async () => {
  expectStatus(await as.admin.post(`/api/v1/users/${demo.ids.coach}/roles`, { role: 'assessor' }), 201, 'the coach becomes an assessor too');
  expectError(
    await as.coach.post(`${submissionUrl(shared.final)}/marks`, marking('pass', [true, true, true])),
    403,
    'forbidden',
    'the coach-assessor marks a coachee',
    /coach/,
  );
  const queue = await as.coach.json('/api/v1/marking-queue');
  assert.ok(!queue.queue.some((x) => x.submission_id === shared.final), "a coachee's work is not in their queue");
  // Work left out of a queue does not leave a page short: a page is read on until it is full.
  const everyone = (await as.admin.json('/api/v1/marking-queue?limit=500')).queue.map((x) => x.version_id);
  const whole = queue.queue.map((x) => x.version_id);
  assert.ok(everyone.indexOf(whole[0]) > 0 || everyone.length > whole.length, `the coach's queue leaves work out: ${everyone} / ${whole}`);
  const walked = [];
  const sizes = [];
  for (let url = '/api/v1/marking-queue?limit=1'; url; ) {
    const r = await as.coach.get(url);
    sizes.push(r.json().queue.length);
    walked.push(...r.json().queue.map((x) => x.version_id));
    url = /^<([^>]+)>; rel="next"$/.exec(r.headers.get('link') || '')?.[1];
  }
  assert.deepEqual(walked, whole, 'a page at a time is the whole queue');
  assert.ok(sizes.slice(0, whole.length).every((n) => n === 1), `every page but an empty last one is full: ${sizes}`);
});

test('a fail always needs moderation, by someone other than its assessor; the moderator’s outcome is released', async () => {
  const url = `${submissionUrl(shared.final)}/marks`;
  expectStatus(await as.assessor.post(url, marking('fail', [false, false, true], 'The change is not evaluated.')), 201, 'mark: fail');
  expectError(await as.admin.post(`${submissionUrl(shared.final)}/release`), 409, 'conflict', 'release before moderation', /moderated/);

  const assessorView = await getSubmission(as.assessor, shared.final);
  assert.equal(assessorView.body.awaiting_moderation, true);
  const participant = await getSubmission(as.participant, shared.final);
  assertNoOutcome(participant.text, 'the participant, before moderation');
  assert.equal(participant.body.state, 'submitted');
  assert.equal(participant.body.awaiting_moderation, false);
  const coach = await getSubmission(as.coach, shared.final);
  assertNoOutcome(coach.text, 'the coach, though now an assessor');

  const q1 = await as.assessor.json('/api/v1/marking-queue');
  const mine = q1.queue.find((x) => x.submission_id === shared.final);
  assert.equal(mine?.waiting_for, 'moderator', 'a fail waits for a moderator');
  assert.deepEqual([mine?.may_mark, mine?.assessor?.id], [false, demo.ids.assessor], 'its assessor may not moderate it');
  const q2 = await getChecked(as.assessor2, '/api/v1/marking-queue', 'GET /api/v1/marking-queue');
  assert.equal(q2.body.queue.find((x) => x.submission_id === shared.final && x.waiting_for === 'moderator')?.may_mark, true);

  expect422(await as.assessor.post(url, marking('fail', [false, false, true])), 'marker', /other than the assessor/, 'moderation by the assessor');
  const mod = expectStatus(await as.assessor2.post(url, marking('refer', [true, false, true], 'Evaluate the impact, then resubmit.')), 201, 'moderate: refer');
  assert.equal(mod.role, 'moderator');
  const moderated = await getSubmission(as.assessor, shared.final);
  assert.equal(moderated.body.state, 'moderated');
  assert.equal((await getSubmission(as.participant, shared.final)).body.state, 'submitted', 'moderated reads as submitted');
  expectError(await as.assessor2.post(url, marking('pass', [true, true, true])), 409, 'conflict', 'a third mark');

  const released = expectStatus(await as.admin.post(`${submissionUrl(shared.final)}/release`), 200, 'release');
  assert.equal(released.versions[0].result.outcome, 'refer', "the moderator's outcome, not the assessor's");
  assert.equal(released.state, 'draft');
  const seen = await getSubmission(as.participant, shared.final);
  assert.deepEqual(seen.body.versions[0].marks.map((m) => [m.role, m.outcome]), [['assessor', 'fail'], ['moderator', 'refer']]);
});

/* ---------------------------------------------------------------- the word limit */

test('work over the word limit is refused, naming the words and the limit', async () => {
  const s = await startDraft(as.participant, shared.shortTask.id);
  expectStatus(await as.participant.patch(submissionUrl(s.id), { activity: 'Reflection', text: 'one two three four five six seven' }), 200, 'write');
  expect422(await as.participant.post(`${submissionUrl(s.id)}/submit`), 'text', /7 words; the limit is 5/, 'seven words of five');
  expectStatus(await as.participant.patch(submissionUrl(s.id), { text: "It's a well-known idea." }), 200, 'shorten');
  const receipt = expectStatus(await as.participant.post(`${submissionUrl(s.id)}/submit`), 200, 'submit within the limit');
  assert.equal(receipt.version.word_count, 4);

  const list = await getChecked(as.assessor, '/api/v1/submissions', 'GET /api/v1/submissions');
  assert.equal(list.body.submissions.length, 3, 'an assessor lists every submission');
  const mine = await getChecked(as.participant, `/api/v1/submissions?task_id=${shared.shortTask.id}`, 'GET /api/v1/submissions');
  assert.deepEqual(mine.body.submissions.map((x) => x.id), [s.id], 'filtered by task');
});

test('files: up to the task\'s own limit, read when each file arrives; names beyond ASCII kept as sent', async () => {
  // The final task's work is a draft again after its referral.
  const url = `${submissionUrl(shared.final)}/files`;
  const taskUrl = `/api/v1/assessment-tasks/${shared.finalTask.id}`;
  const limit = 3 * 1024 * 1024;
  assert.equal(expectStatus(await as.admin.patch(taskUrl, { max_file_bytes: limit }), 200, 'a 3 MiB limit').max_file_bytes, limit);
  const filesNow = async () => (await getSubmission(as.participant, shared.final)).body.draft.files.length;
  const before = await filesNow();
  const under = Buffer.alloc(limit - 1, 0x61);
  const big = expectStatus((await upload(as.participant, shared.final, 'evidence.bin', 'application/octet-stream', under)).r, 201, 'one byte under the limit');
  assert.equal(big.sha256, sha256(under));
  expectStatus((await upload(as.participant, shared.final, 'exact.bin', 'application/octet-stream', Buffer.alloc(limit, 0x62))).r, 201, 'the limit exactly');
  const over = await as.participant.request('POST', url, {
    body: Buffer.alloc(limit + 1, 0x61),
    contentType: 'application/octet-stream',
    headers: { 'x-file-name': 'too-big.bin' },
  });
  const refused = expectError(over, 413, 'too_large', 'one byte over the task\'s limit', /3 MiB/);
  assert.deepEqual(refused.error.fields.map((f) => f.field), ['file'], 'the error names the field');
  assert.equal(await filesNow(), before + 2, 'nothing of the refused file is kept');

  // A limit changed later holds for the next upload, not for what is kept.
  expectStatus(await as.admin.patch(taskUrl, { max_file_bytes: 1024 * 1024 }), 200, 'lowered to 1 MiB');
  expectError(
    (await upload(as.participant, shared.final, 'again.bin', 'application/octet-stream', Buffer.alloc(limit - 1, 0x63))).r,
    413,
    'too_large',
    'what fitted before is over the new limit',
    /1 MiB/,
  );
  expectStatus(await as.admin.patch(taskUrl, { max_file_bytes: 4 * 1024 * 1024 }), 200, 'raised to 4 MiB');
  expectStatus((await upload(as.participant, shared.final, 'later.bin', 'application/octet-stream', Buffer.alloc(limit + 1, 0x64))).r, 201, 'what was over fits the raised limit');
  assert.equal(await filesNow(), before + 3);
  expectStatus(await as.admin.patch(taskUrl, { max_file_bytes: 50 * 1024 * 1024 }), 200, 'back to the default');
  const name = 'Plan – “naïve” readers.txt';
  const named = expectStatus((await upload(as.participant, shared.final, name, 'text/plain; charset=utf-8', Buffer.from('plan'))).r, 201, 'a name beyond ASCII');
  assert.equal(named.name, name);
  expect422(
    await as.participant.request('POST', url, { body: Buffer.from('x'), contentType: 'text/plain', headers: { 'x-file-name': '..%2Fetc%2Fpasswd' } }),
    'name',
    /slashes/,
    'a name with a path',
  );
  expect422(
    await as.participant.request('POST', url, { body: Buffer.from('x'), contentType: 'text/plain', headers: { 'x-file-name': encodeURIComponent('plan\u202Efdp.exe') } }),
    'name',
    /direction of text/,
    'a name that reads backwards',
  );
  const got = await getSubmission(as.participant, shared.final);
  assert.deepEqual(got.body.draft.files.map((f) => f.name).sort(), ['evidence.bin', 'exact.bin', 'later.bin', name].sort());
  for (const f of got.body.draft.files) expectStatus(await as.participant.delete(`${url}/${f.id}`), 204, `remove ${f.name}`);
});

test('files: the type is what the bytes are, and only files an assessor can open are taken', async () => {
  const url = `${submissionUrl(shared.final)}/files`;
  for (const [what, name, data] of [
    ['a program named as a PDF', 'plan.pdf', Buffer.concat([Buffer.from('MZ\x90\x00\x03'), crypto.randomBytes(512)])],
    ['random bytes', 'evidence.bin', crypto.randomBytes(4096)],
    ['a ZIP that is no document', 'plan.docx', Buffer.from('PK\x03\x04\x14\x00\x00\x00payload.exe')],
    ['an empty file', 'empty.txt', Buffer.alloc(0)],
  ]) {
    const r = await as.participant.request('POST', url, { body: data, contentType: 'application/pdf', headers: { 'x-file-name': name } });
    expect422(r, 'file', what === 'an empty file' ? /empty/ : /not a file an assessor can open/, what);
  }
  /* A claim of script, and a PDF called HTML: each is kept and served as what it is, to download. */
  const script = expectStatus((await upload(as.participant, shared.final, 'notes.js', 'text/javascript', Buffer.from('alert(document.cookie)'))).r, 201, 'text sent as script');
  const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), crypto.randomBytes(1024)]);
  const paper = expectStatus((await upload(as.participant, shared.final, 'paper.html', 'text/html', pdf)).r, 201, 'a PDF sent as HTML');
  for (const [file, type] of [[script, 'text/plain; charset=utf-8'], [paper, 'application/pdf']]) {
    const download = await as.participant.get(`${url}/${file.id}`);
    assert.equal(download.status, 200);
    assert.equal(download.headers.get('content-type'), type, `${file.name} is served as ${type}`);
    assert.match(download.headers.get('content-disposition'), /^attachment;/, `${file.name} downloads`);
    assert.equal(download.headers.get('x-content-type-options'), 'nosniff');
    expectStatus(await as.participant.delete(`${url}/${file.id}`), 204, `remove ${file.name}`);
  }
});
