'use strict';
/*
 * The assessment pages, black-box: a participant's tasks on /assessment, starting a draft, saving
 * it, attaching a file (multipart, as a browser sends it) and submitting with a receipt whose
 * SHA-256 values are shown; a coach's formative feedback; the marking queue and the marking form,
 * whose refusals come back in the GOV.UK error summary in the rules' words; the promise that the
 * participant's page shows no outcome and no mark before an administrator releases the result;
 * and a referral resubmitted with the earlier feedback on the same page.
 *
 * The real binary runs on a demo database (`npq demo`: coach@ coaches participant@, assessor@ is
 * an assessor) with another participant. Pages are used through signed-in sessions (cookies and
 * CSRF tokens, as a browser would); the setup (cohort, enrolment, tasks) goes through the API.
 *
 *   NPQ_BIN=build/npq node --test --test-concurrency=1 tests/api/assessment_pages.test.js
 *
 * The tests share one server and run in order; each says what it relies on.
 */
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');

const { startDemoServer, apiAs, signIn } = require('./auth_helpers');

const SL_ELECTIVES = ['improving-the-quality-of-teaching', 'school-self-evaluation'];
const DAY = 86400 * 1000;

let server;
let demo; // {dbPath, tokens, ids, emails}
let as; // API callers by key
const pages = {}; // signed-in page sessions by key
const shared = {};

const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const dateOn = (offsetDays) => new Date(Date.now() + offsetDays * DAY).toISOString().slice(0, 10);
const sha256 = (data) => crypto.createHash('sha256').update(data).digest('hex');

/* ---------------------------------------------------------------- helpers */

const show = (r) => `${r.status} ${r.text.slice(0, 1500)}`;

function expectStatus(r, status, what) {
  assert.equal(r.status, status, `${what}: expected ${status}, got ${show(r)}`);
  return r.status === 204 ? null : r.json();
}

/* The visible text of a page: tags dropped, entities decoded, white space collapsed. */
function textOf(html) {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

/* An HTML page with status, and nothing a strict CSP would block: no inline script or style. */
function expectPage(r, status, what) {
  assert.equal(r.status, status, `${what}: expected ${status}, got ${r.status}\n${textOf(r.text).slice(0, 1500)}`);
  assert.match(r.headers.get('content-type') || '', /^text\/html/, `${what}: an HTML page`);
  assert.doesNotMatch(r.text, /<script(?![^>]*\bsrc=)[^>]*>/, `${what}: no inline script`);
  assert.doesNotMatch(r.text, /\sstyle=|<style/, `${what}: no inline style`);
  return r.text;
}

function expectRedirect(r, location, what) {
  assert.equal(r.status, 303, `${what}: expected 303, got ${r.status}\n${textOf(r.text).slice(0, 1500)}`);
  const got = r.headers.get('location');
  if (location instanceof RegExp) assert.match(got, location, `${what}: Location`);
  else assert.equal(got, location, `${what}: Location`);
  return got;
}

/* The error summary's messages, in order. */
function errorSummary(html) {
  const box = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html);
  if (!box) return [];
  return [...box[0].matchAll(/<li><a href="#([^"]*)">([\s\S]*?)<\/a><\/li>/g)].map((m) => ({ href: m[1], text: textOf(m[2]) }));
}

/* No result and no marking anywhere on a page: not an outcome's title, not a marking card. */
function assertNoOutcome(html, what) {
  const text = textOf(html);
  assert.doesNotMatch(text, /Referred for resubmission|\bPass\b|\bFail\b|\bMarked\b|\bModerated\b/, `${what}: no outcome words in ${text.slice(0, 3000)}`);
  assert.doesNotMatch(html, /data-testid="(mark|result)"/, `${what}: no marking and no result`);
  assert.doesNotMatch(text, /not shown yet|Good analysis/, `${what}: no criterion comment or assessor feedback`);
}

/* A multipart/form-data POST from a page session, as a browser sends a form with a file. */
async function postFile(session, pathname, name, type, data) {
  const form = new FormData();
  form.set('csrf_token', await session.csrfToken());
  if (name !== null) form.set('file', new Blob([data], { type }), name);
  else form.set('file', new Blob([]), '');
  return session.request('POST', pathname, { body: form });
}

/* The marking form's fields: met is a list of booleans, one per criterion. */
function markFields(outcome, met, feedback) {
  const f = { feedback };
  if (outcome) f.outcome = outcome;
  met.forEach((m, i) => {
    f[`criterion-${i + 1}-met`] = m ? 'met' : 'not_met';
    f[`criterion-${i + 1}-comment`] = `Criterion ${i + 1}: ${m ? 'shown' : 'not shown yet'}`;
  });
  return f;
}

const subPath = (suffix = '') => `/submissions/${shared.sub}${suffix}`;

/* ---------------------------------------------------------------- the server */

before(async () => {
  ({ server, ...demo } = await startDemoServer({
    threads: 2,
    extraUsers: { other: { email: 'other.participant@pages.npq.test', name: 'Olu Other', role: 'participant' } },
  }));
  as = Object.fromEntries(Object.entries(demo.tokens).map(([key, token]) => [key, apiAs(server, token, key)]));

  const orgs = (await as.admin.json('/api/v1/organisations')).organisations;
  const school = orgs.find((o) => o.kind === 'school' && o.urn === '100001').id;
  const partner = orgs.find((o) => o.kind === 'delivery_partner').id;
  const cohort = expectStatus(
    await as.admin.post('/api/v1/cohorts', {
      code: 'NPQSL-PAGES-1',
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
  shared.enrolment = (await step(as.admin, 'enrol', { cohort_id: cohort.id })).enrolment_id;

  shared.task = expectStatus(
    await as.admin.post('/api/v1/assessment-tasks', {
      kind: 'module',
      target: 'closing-the-gap',
      title: 'Closing the gap: an improvement plan',
      brief: 'Write **one** plan for the pupils furthest behind.',
      deadline: iso(Date.now() + 30 * DAY),
      word_limit: 500,
      max_resubmissions: 1,
      moderation_percent: 0,
      criteria: [
        { title: 'Analyses the gap', descriptor: 'Uses the school’s data' },
        { title: 'Plans an intervention', descriptor: 'Chooses evidence-informed approaches' },
      ],
    }),
    201,
    'set a module task',
  );
  shared.finalTask = expectStatus(
    await as.admin.post('/api/v1/assessment-tasks', {
      kind: 'final',
      target: 'NPQSL',
      title: 'NPQSL final assessment: leading a change',
      deadline: iso(Date.now() + 60 * DAY),
      moderation_percent: 0,
      criteria: [{ title: 'Leads change' }],
    }),
    201,
    'set the final task',
  );
  for (const key of ['participant', 'coach', 'assessor', 'admin', 'other'])
    pages[key] = await signIn(server, demo.emails[key], undefined, key);
});

after(async () => {
  if (server) await server.stop();
});

/* ---------------------------------------------------------------- tasks and drafting */

test('a participant sees the tasks of their enrolment and starts a draft from /assessment', async () => {
  const html = expectPage(await pages.participant.get('/assessment'), 200, 'the participant: /assessment');
  const text = textOf(html);
  assert.ok(text.includes('Closing the gap: an improvement plan'), 'the module task is listed');
  assert.ok(text.includes('NPQSL final assessment: leading a change'), 'and the final task of the qualification');
  assert.match(html, /<a class="govuk-service-navigation__link" href="\/assessment" aria-current="page">/, 'the navigation marks Assessment');
  assert.match(html, /action="\/assessment\/start"/, 'a Start button for each task');
  assert.ok(text.includes('Not started'));
  assert.doesNotMatch(html, /href="\/marking"/, 'no way to the marking queue for a participant');

  // Someone else's enrolment is refused in the rule's words.
  const refused = await pages.other.post('/assessment/start', { task_id: shared.task.id, enrolment_id: shared.enrolment });
  const refusedHtml = expectPage(refused, 422, "start in someone else's enrolment");
  assert.ok(errorSummary(refusedHtml).some((e) => /your own enrolments/.test(e.text)), JSON.stringify(errorSummary(refusedHtml)));

  const r = await pages.participant.post('/assessment/start', { task_id: shared.task.id, enrolment_id: shared.enrolment });
  const location = expectRedirect(r, /^\/submissions\/\d+\?notice=started$/, 'start a draft');
  shared.sub = Number(/\/submissions\/(\d+)/.exec(location)[1]);
  const again = await pages.participant.post('/assessment/start', { task_id: shared.task.id, enrolment_id: shared.enrolment });
  expectRedirect(again, `/submissions/${shared.sub}`, 'starting twice goes to the work already started');

  const page = expectPage(await pages.participant.get(location), 200, 'the new draft');
  assert.ok(textOf(page).includes('Your draft has been started'));
  assert.ok(page.includes('<strong>one</strong>'), 'the brief is rendered from Markdown');
  assert.ok(textOf(page).includes('Uses the school’s data'), 'the criteria with their descriptors');
  assert.match(page, /action="\/submissions\/\d+\/save"/);
});

test('the participant saves the draft and attaches a file; the word count is shown against the limit', async () => {
  shared.text = 'Our plan closes the gap in reading for pupils eligible for the pupil premium.\r\n\r\nWe measure progress termly.';
  const saved = await pages.participant.post(subPath('/save'), { activity: 'Reading intervention in Year 7', text: shared.text });
  expectRedirect(saved, /^\/submissions\/\d+\?notice=saved/, 'save the draft');
  let html = expectPage(await pages.participant.get(subPath('?notice=saved')), 200, 'the saved draft');
  assert.ok(textOf(html).includes('Draft saved'));
  const words = expectStatus(await as.participant.get(`/api/v1/submissions/${shared.sub}`), 200, 'the draft by API').draft.word_count;
  assert.ok(textOf(html).includes(`Your saved draft has ${words} words. The limit is 500 words.`), 'the word count against the limit');
  assert.ok(html.includes('Reading intervention in Year 7'));

  // A query text that is not a known notice is not echoed.
  const odd = expectPage(await pages.participant.get(subPath('?notice=<b>hacked</b>')), 200, 'an unknown notice');
  assert.ok(!odd.includes('hacked'), 'the query text is never shown');

  // No file chosen: the error summary says so.
  const none = expectPage(await postFile(pages.participant, subPath('/files'), null), 422, 'upload without a file');
  assert.deepEqual(errorSummary(none).map((e) => [e.href, e.text]), [['file', 'Choose a file to attach']]);

  // The task's own limit, in words; a file over it is refused on the page, which says what to do.
  assert.match(textOf(html), /Up to 50 MiB a file/, 'the default limit in words');
  expectStatus(await as.admin.patch(`/api/v1/assessment-tasks/${shared.task.id}`, { max_file_bytes: 64 * 1024 }), 200, 'a 64 KiB limit');
  assert.match(textOf(expectPage(await pages.participant.get(subPath()), 200, 'the draft')), /Up to 64 KiB a file/, 'the new limit in words');
  const tooBig = expectPage(
    await postFile(pages.participant, subPath('/files'), 'plan.pdf', 'application/pdf', Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(64 * 1024)])),
    413,
    'a file over the task\'s limit',
  );
  assert.deepEqual(errorSummary(tooBig).map((e) => [e.href, e.text]), [['file', 'A file must be 64 KiB or smaller']]);
  assert.ok(tooBig.includes('Reading intervention in Year 7'), 'the page keeps the saved draft');
  assert.deepEqual(expectStatus(await as.participant.get(`/api/v1/submissions/${shared.sub}`), 200, 'the draft').draft.files, [], 'nothing kept');
  expectStatus(await as.admin.patch(`/api/v1/assessment-tasks/${shared.task.id}`, { max_file_bytes: 50 * 1024 * 1024 }), 200, 'back to 50 MiB');

  shared.fileData = Buffer.concat([Buffer.from('%PDF-1.4\n'), crypto.randomBytes(40000)]);
  shared.fileName = 'Improvement plan (v1).pdf';
  expectRedirect(
    await postFile(pages.participant, subPath('/files'), shared.fileName, 'application/pdf', shared.fileData),
    /\?notice=file_added/,
    'attach a file',
  );
  const spare = await postFile(pages.participant, subPath('/files'), 'scratch.txt', 'text/plain', Buffer.from('scratch'));
  expectRedirect(spare, /\?notice=file_added/, 'attach another');
  html = expectPage(await pages.participant.get(subPath()), 200, 'the draft with files');
  assert.ok(html.includes(sha256(shared.fileData)), "the file's SHA-256 is shown");
  const api = expectStatus(await as.participant.get(`/api/v1/submissions/${shared.sub}`), 200, 'the draft by API');
  assert.deepEqual(api.draft.files.map((f) => f.name).sort(), [shared.fileName, 'scratch.txt'].sort());
  const scratch = api.draft.files.find((f) => f.name === 'scratch.txt');
  assert.ok(html.includes(`action="/submissions/${shared.sub}/files/${scratch.id}/remove"`), 'a Remove button for each file');
  expectRedirect(await pages.participant.post(subPath(`/files/${scratch.id}/remove`), {}), /\?notice=file_removed/, 'remove a file');
  const after = expectStatus(await as.participant.get(`/api/v1/submissions/${shared.sub}`), 200, 'the draft by API');
  assert.deepEqual(after.draft.files.map((f) => f.name), [shared.fileName]);
  shared.file = after.draft.files[0];
  assert.equal(shared.file.sha256, sha256(shared.fileData));

  // Only the participant writes their work.
  const coachSave = await pages.coach.post(subPath('/save'), { activity: 'x', text: 'mine now' });
  const coachHtml = expectPage(coachSave, 403, 'the coach saves the draft');
  assert.ok(errorSummary(coachHtml).some((e) => /Only the participant/.test(e.text)));
});

test('submitting shows the receipt in a panel with the SHA-256 of the text and of the file', async () => {
  const r = await pages.participant.post(subPath('/submit'), {});
  expectRedirect(r, `/submissions/${shared.sub}?notice=submitted`, 'submit');
  const html = expectPage(await pages.participant.get(subPath('?notice=submitted')), 200, 'after submitting');
  assert.match(html, /class="govuk-panel govuk-panel--confirmation"/, 'a confirmation panel');
  const text = textOf(html);
  assert.ok(text.includes('Work submitted'));
  const got = expectStatus(await as.participant.get(`/api/v1/submissions/${shared.sub}`), 200, 'the work by API');
  const v1 = got.versions[0];
  const textHash = sha256(Buffer.from(shared.text, 'utf8'));
  assert.equal(v1.text_sha256, textHash, 'the text as the browser sent it');
  const receipt = /data-testid="latest-receipt">([\s\S]*?)<\/div>/.exec(html);
  assert.ok(receipt, 'the receipt is on the page');
  const receiptText = textOf(receipt[1]);
  assert.ok(receiptText.includes(sha256(shared.fileData)), `the receipt carries the file's SHA-256: ${receiptText}`);
  assert.ok(receiptText.includes(textHash), "and the text's");
  assert.ok(receiptText.includes(v1.receipt), 'the receipt as the use case wrote it');
  assert.ok(text.includes(`${shared.fileName} SHA-256 ${sha256(shared.fileData)}`), 'the SHA-256 of each file listed');
  assert.ok(html.includes(`href="/api/v1/submissions/${shared.sub}/files/${shared.file.id}"`), "a download link to the version's file");
  assert.doesNotMatch(html, new RegExp(`action="/submissions/${shared.sub}/save"`), 'no draft form once submitted');

  // The page without the notice keeps the receipt beside the version, not the panel.
  const later = expectPage(await pages.participant.get(subPath()), 200, 'the submitted work');
  assert.doesNotMatch(later, /govuk-panel--confirmation/);
  assert.ok(textOf(later).includes(v1.receipt), "the version's receipt");
  assert.ok(textOf(later).includes('Submitted'));
});

test('the coach gives formative feedback through the page; the participant reads it', async () => {
  let html = expectPage(await pages.coach.get(subPath()), 200, 'the coach: the work');
  assert.match(html, new RegExp(`action="/submissions/${shared.sub}/feedback"`), 'the feedback form');
  const empty = await pages.coach.post(subPath('/feedback'), { version: '1', body: '  ' });
  assert.deepEqual(errorSummary(expectPage(empty, 422, 'empty feedback')).map((e) => e.href), ['body']);
  const r = await pages.coach.post(subPath('/feedback'), { version: '1', body: 'Say *how* you will measure progress.' });
  expectRedirect(r, /\?notice=feedback_added/, 'coach feedback');
  html = expectPage(await pages.participant.get(subPath()), 200, 'the participant reads it');
  assert.ok(html.includes('Say <em>how</em> you will measure progress.'), 'rendered from Markdown');
  assert.match(html, /data-testid="coach-feedback"/);

  const refused = await pages.participant.post(subPath('/feedback'), { version: '1', body: 'me' });
  assert.ok(errorSummary(expectPage(refused, 403, 'the participant gives feedback')).some((e) => /coach/.test(e.text)));
});

/* ---------------------------------------------------------------- marking */

test('the assessor marks through the page; a pass with an unmet criterion is refused in the rules’ words', async () => {
  const queue = expectPage(await pages.assessor.get('/marking'), 200, 'the marking queue');
  assert.ok(queue.includes(`href="/submissions/${shared.sub}/mark"`), 'the work waits for an assessor');
  assert.ok(textOf(queue).includes('Pat Participant'));

  let html = expectPage(await pages.assessor.get(subPath('/mark')), 200, 'the marking page');
  const text = textOf(html);
  assert.ok(text.includes('Our plan closes the gap in reading'), 'the text of the version');
  assert.ok(html.includes(`href="/api/v1/submissions/${shared.sub}/files/${shared.file.id}"`), 'a download link to the file');
  assert.match(html, /name="criterion-1-met" type="radio" value="met"/);
  assert.match(html, /name="criterion-2-met" type="radio" value="not_met"/);
  for (const title of ['Pass', 'Referred for resubmission', 'Fail']) assert.ok(text.includes(title), `the outcome "${title}" is offered`);
  const download = await pages.assessor.get(`/api/v1/submissions/${shared.sub}/files/${shared.file.id}`);
  assert.equal(download.status, 200);
  assert.ok(download.body.equals(shared.fileData), 'the file comes back byte for byte');

  const bad = await pages.assessor.post(subPath('/mark'), markFields('pass', [true, false], 'Nearly.'));
  html = expectPage(bad, 422, 'a pass with an unmet criterion');
  const summary = errorSummary(html);
  assert.ok(summary.some((e) => e.href === 'outcome' && /A pass needs every criterion met/.test(e.text)), JSON.stringify(summary));
  assert.match(html, /<title>Error: /, 'the title starts with Error:');
  assert.match(html, /id="criterion-2-2" name="criterion-2-met" type="radio" value="not_met" checked/, 'what was chosen is kept');

  const missing = await pages.assessor.post(subPath('/mark'), markFields(null, [true], ''));
  const missingSummary = errorSummary(expectPage(missing, 422, 'nothing chosen'));
  assert.deepEqual(missingSummary.map((e) => e.href), ['criterion-2', 'outcome'], JSON.stringify(missingSummary));

  const ok = await pages.assessor.post(
    subPath('/mark'),
    markFields('refer', [true, false], 'Good analysis; the **plan** needs measures.'),
  );
  expectRedirect(ok, '/marking?notice=marked', 'mark: refer');
  const after = expectPage(await pages.assessor.get('/marking?notice=marked'), 200, 'the queue after marking');
  assert.ok(textOf(after).includes('Marking saved'));
  assert.ok(!after.includes(`href="/submissions/${shared.sub}/mark"`), 'no longer waiting for an assessor');
  const assessorView = expectPage(await pages.assessor.get(subPath()), 200, 'the assessor: the work');
  assert.match(assessorView, /data-testid="mark"/, 'the assessor sees the marking');
  assert.ok(textOf(assessorView).includes('Referred for resubmission'));
});

test('before release the participant’s and coach’s pages show no outcome and no marks', async () => {
  const mine = expectPage(await pages.participant.get(subPath()), 200, 'the participant: the marked work');
  assertNoOutcome(mine, 'the participant');
  assert.ok(textOf(mine).includes('Submitted'), 'marked reads as submitted');
  assertNoOutcome(expectPage(await pages.participant.get('/assessment'), 200, 'the participant: /assessment'), 'the participant’s tasks');
  assertNoOutcome(expectPage(await pages.coach.get(subPath()), 200, 'the coach: the marked work'), 'the coach');
  assertNoOutcome(expectPage(await pages.coach.get('/assessment'), 200, 'the coach: /assessment'), 'the coach’s list');
});

test('an administrator releases the result; the participant then sees it, and resubmits with the feedback beside', async () => {
  let html = expectPage(await pages.admin.get(subPath()), 200, 'the administrator: the work');
  assert.ok(html.includes(`action="/submissions/${shared.sub}/release"`), 'a Release result button');
  expectRedirect(await pages.admin.post(subPath('/release'), {}), /\?notice=released/, 'release');
  const twice = expectPage(await pages.admin.post(subPath('/release'), {}), 409, 'release twice');
  assert.ok(errorSummary(twice).some((e) => /not been submitted/.test(e.text)), JSON.stringify(errorSummary(twice)));

  html = expectPage(await pages.participant.get(subPath()), 200, 'the participant after release');
  const text = textOf(html);
  assert.match(html, /data-testid="result"/);
  assert.ok(text.includes('Referred for resubmission'), 'the released outcome');
  assert.match(html, /data-testid="mark"/, 'the marking, now released');
  assert.ok(html.includes('the <strong>plan</strong> needs measures'), "the assessor's feedback");
  assert.ok(text.includes('Criterion 2: not shown yet'), 'the comment on each criterion');
  assert.ok(html.includes('Say <em>how</em> you will measure progress.'), "the coach's feedback on version 1");
  assert.match(html, new RegExp(`action="/submissions/${shared.sub}/save"`), 'the draft form, to resubmit');
  assert.ok(text.includes('You can resubmit 1 more time'));
  const list = expectPage(await pages.participant.get('/assessment'), 200, 'the participant: /assessment after release');
  assert.ok(textOf(list).includes('Referred for resubmission'), 'the released outcome tag in the list of tasks');

  shared.text2 = `${shared.text} Progress is measured by a standardised reading test each term.`;
  expectRedirect(await pages.participant.post(subPath('/save'), { activity: 'Reading intervention in Year 7', text: shared.text2 }), /notice=saved/, 'revise');
  expectRedirect(await pages.participant.post(subPath('/submit'), {}), /notice=submitted/, 'resubmit');
  html = expectPage(await pages.participant.get(subPath('?notice=submitted')), 200, 'after resubmitting');
  assert.ok(textOf(html).includes('Version 2 of your work was received'));
  assert.ok(textOf(html).includes(sha256(Buffer.from(shared.text2, 'utf8'))), "the new text's SHA-256");
  assert.ok(html.includes('the <strong>plan</strong> needs measures'), 'version 1 keeps its feedback beside it');
  assert.equal((html.match(/data-testid="version"/g) || []).length, 2, 'both versions');

  // The admin is told why there is nothing to release yet.
  const waiting = expectPage(await pages.admin.get(subPath()), 200, 'the administrator: version 2 unmarked');
  assert.ok(!waiting.includes(`action="/submissions/${shared.sub}/release"`));
  assert.match(textOf(waiting), /not been marked yet/);

  // A pass of version 2, released, shows as a pass.
  expectRedirect(await pages.assessor.post(subPath('/mark'), markFields('pass', [true, true], 'Well done.')), '/marking?notice=marked', 'mark: pass');
  assertNoOutcome(
    expectPage(await pages.participant.get(subPath()), 200, 'before the pass is released').replace(/<div class="govuk-!-margin-bottom-8" id="version-1"[\s\S]*$/, ''),
    'version 2 before release',
  );
  expectRedirect(await pages.admin.post(subPath('/release'), {}), /notice=released/, 'release the pass');
  const done = expectPage(await pages.participant.get('/assessment'), 200, 'the participant: /assessment after the pass');
  assert.match(textOf(done), /Result released Pass/);
});

/* ---------------------------------------------------------------- navigation and lists */

test('Assessment is in the navigation of participants, coaches, assessors and administrators; markers get the queue', async () => {
  const nav = /<a class="govuk-service-navigation__link" href="\/assessment"/;
  for (const key of ['coach', 'assessor', 'admin']) {
    const html = expectPage(await pages[key].get('/assessment'), 200, `${key}: /assessment`);
    assert.match(html, nav, `${key} has Assessment in the navigation`);
    assert.equal(html.includes('href="/marking"'), key !== 'coach', `${key}: a link to the marking queue only for those who mark`);
    assert.ok(html.includes(`href="/submissions/${shared.sub}"`), `${key}: the participant's work is listed`);
  }
  const coachList = expectPage(await pages.coach.get('/assessment'), 200, 'the coach: /assessment');
  assert.match(textOf(coachList), /Pat Participant Closing the gap: an improvement plan Result released Pass/, 'the coach sees the released result');
  const headteacher = await signIn(server, demo.emails.headteacher, undefined, 'headteacher');
  assert.doesNotMatch(expectPage(await headteacher.get('/account'), 200, 'the headteacher: /account'), nav, 'not for a headteacher');
  expectPage(await pages.other.get('/assessment'), 200, 'a participant with no enrolment');
});

/* ---------------------------------------------------------------- who may see what */

test('another participant gets 404, a participant 403 on marking, a coach who assesses is refused in words', async () => {
  expectPage(await pages.other.get(subPath()), 404, 'another participant: the work');
  expectPage(await pages.other.post(subPath('/save'), { text: 'x' }), 404, 'another participant: save');
  expectPage(await pages.participant.get('/marking'), 403, 'a participant: /marking');
  expectPage(await pages.participant.get(subPath('/mark')), 403, 'a participant: the marking page');
  expectPage(await pages.participant.post(subPath('/release'), {}), 403, 'a participant: release');
  expectPage(await pages.coach.get('/marking'), 403, 'a coach (not an assessor): /marking');

  // The final task: the coach becomes an assessor too, and may not mark their own participant.
  const start = await pages.participant.post('/assessment/start', { task_id: shared.finalTask.id, enrolment_id: shared.enrolment });
  const id = Number(/\/submissions\/(\d+)/.exec(expectRedirect(start, /notice=started/, 'start the final task'))[1]);
  expectRedirect(await pages.participant.post(`/submissions/${id}/save`, { activity: 'Attendance', text: 'We changed how we follow up absence.' }), /saved/, 'write');
  expectRedirect(await pages.participant.post(`/submissions/${id}/submit`, {}), /submitted/, 'submit');
  expectStatus(await as.admin.post(`/api/v1/users/${demo.ids.coach}/roles`, { role: 'assessor' }), 201, 'the coach becomes an assessor');
  const coach = await signIn(server, demo.emails.coach, undefined, 'coach-assessor');
  const queue = expectPage(await coach.get('/marking'), 200, 'the coach-assessor: /marking');
  assert.ok(!queue.includes(`/submissions/${id}/mark`), "a coachee's work is not in their queue");
  const refused = expectPage(await coach.post(`/submissions/${id}/mark`, markFields('pass', [true], 'Fine.')), 403, 'the coach marks a coachee');
  assert.ok(errorSummary(refused).some((e) => /You coach this participant/.test(e.text)), JSON.stringify(errorSummary(refused)));
  assertNoOutcome(expectPage(await coach.get(`/submissions/${id}`), 200, 'the coach-assessor: the work'), 'the coach-assessor');

  // A fail always goes to a moderator, who is never its assessor.
  expectRedirect(await pages.assessor.post(`/submissions/${id}/mark`, markFields('fail', [false], 'The change is not evaluated.')), '/marking?notice=marked', 'mark: fail');
  const mine = expectPage(await pages.assessor.get('/marking'), 200, "the assessor's queue");
  assert.ok(!mine.includes(`/submissions/${id}/mark`), 'its assessor is not offered the moderation');
  assert.ok(textOf(mine).includes('You marked this: another assessor moderates it'));
  const again = expectPage(await pages.assessor.post(`/submissions/${id}/mark`, markFields('fail', [false], 'Still.')), 422, 'the assessor moderates');
  assert.ok(errorSummary(again).some((e) => e.href === 'mark-form' && /other than the assessor/.test(e.text)), JSON.stringify(errorSummary(again)));
  const admin = expectPage(await pages.admin.get(`/submissions/${id}`), 200, 'the administrator: marked, not moderated');
  assert.match(textOf(admin), /must be moderated before its result is released/);
  assert.ok(expectPage(await pages.admin.get('/marking'), 200, "the administrator's queue").includes(`href="/submissions/${id}/mark"`));
  const form = expectPage(await pages.admin.get(`/submissions/${id}/mark`), 200, 'the moderation page');
  assert.ok(textOf(form).includes('Your moderation'));
  assert.match(form, /data-testid="mark"/, "the moderator sees the assessor's marking");
  expectRedirect(await pages.admin.post(`/submissions/${id}/mark`, markFields('refer', [false], 'Evaluate it, then resubmit.')), '/marking?notice=marked', 'moderate: refer');
  assertNoOutcome(expectPage(await pages.participant.get(`/submissions/${id}`), 200, 'the participant: moderated'), 'the participant, moderated');
  const ready = expectPage(await pages.admin.get(`/submissions/${id}`), 200, 'the administrator: moderated');
  assert.ok(ready.includes(`action="/submissions/${id}/release"`), 'ready to release once moderated');
});
