'use strict';
/*
 * Every progress report as a CSV download (api/export.h): the progress list, the cohorts'
 * figures, framework coverage of an enrolment and of a cohort, and a support plan. Each is chosen
 * by ?format=csv or Accept: text/csv, starts with its header row, has a row per record the JSON
 * has, makes a would-be formula plain text, and holds only what the caller may see (a
 * headteacher's export only their school).
 *
 * A demo database with a second school, its headteacher and a participant there who is at risk
 * (a final assessment due in 9 days, Pat's submitted) with a support plan whose actions start with =, +, -, @, tab
 * and carriage return.
 *
 *   NPQ_BIN=build/npq node --test tests/api/progress_exports.test.js
 */
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');

const { parseCsv } = require('./helpers');
const { startDemoServer, apiAs, signIn } = require('./auth_helpers');
const { show, ok, addPerson, enrolNpqsl, noonInDays } = require('./programme_helpers');

const DAY = 24 * 3600 * 1000;
const isoDate = (ms) => new Date(ms).toISOString().slice(0, 10);
const FORMULAS = ['=SUM(A1:A9)', '+44 20', '-1 day', '@ref', '\tindent', '\rreturn'];

let ctx;
let as;
const made = {};

/* GETs path as CSV (by query or by Accept); asserts a download; resolves {header, rows, records}. */
async function csv(caller, path, { byAccept = false } = {}) {
  const url = byAccept ? path : `${path}${path.includes('?') ? '&' : '?'}format=csv`;
  const r = await caller.get(url, byAccept ? { headers: { accept: 'text/csv' } } : undefined);
  assert.equal(r.status, 200, `${url}: ${show(r)}`);
  assert.match(r.headers.get('content-type'), /^text\/csv; charset=utf-8/);
  assert.match(r.headers.get('content-disposition'), /^attachment; filename="[a-z-]+\.csv"$/);
  assert.ok(r.text.endsWith('\r\n'), 'the file ends with a whole row');
  const rows = parseCsv(r.text);
  const [header, ...rest] = rows;
  return { header, rows: rest, records: rest.map((cells) => Object.fromEntries(header.map((h, i) => [h, cells[i]]))) };
}

before(async () => {
  ctx = await startDemoServer({ extraUsers: { participant2: { email: 'quinn@exports.test', name: 'Quinn "Q" Elsewhere, Jr', role: 'participant' } } });
  as = Object.fromEntries(Object.entries(ctx.tokens).map(([k, t]) => [k, apiAs(ctx.server, t, k)]));
  const orgs = (await as.admin.json('/api/v1/organisations')).organisations;
  made.school = orgs.find((o) => o.kind === 'school').id;
  made.partner = orgs.find((o) => o.kind === 'delivery_partner').id;
  made.school2 = ok(await as.admin.post('/api/v1/organisations', { kind: 'school', name: 'Hillside Academy', urn: '100778', region: 'South West' }), 201, 'a second school').id;
  const head2 = await addPerson(ctx, 'hilary@exports.test', 'Hilary Head', 'headteacher', made.school2);
  as.headteacher2 = head2.as;
  made.cohort = ok(
    await as.admin.post('/api/v1/cohorts', {
      code: 'NPQSL-EXPORT-1',
      kind: 'qualification',
      target: 'NPQSL',
      delivery_model: 'blended',
      delivery_partner_id: made.partner,
      starts_on: isoDate(Date.now() - 30 * DAY),
      ends_on: isoDate(Date.now() + 300 * DAY),
    }),
    201,
    'a cohort',
  ).id;
  made.pat = await enrolNpqsl(as, made.cohort, 'participant', made.school, ctx.ids.headteacher, as.headteacher);
  made.quinn = await enrolNpqsl(as, made.cohort, 'participant2', made.school2, head2.id, as.headteacher2);
  const task = ok(
    await as.admin.post('/api/v1/assessment-tasks', {
      kind: 'final',
      target: 'NPQSL',
      title: 'NPQSL final assessment',
      brief: 'Show what you have led.',
      deadline: noonInDays(9),
      word_limit: 2000,
      max_resubmissions: 1,
      moderation_percent: 0,
      criteria: [{ title: 'Leads the change' }],
    }),
    201,
    'a final assessment',
  );
  const draft = ok(await as.participant.post('/api/v1/submissions', { task_id: task.id, enrolment_id: made.pat }), 201, "Pat's draft");
  ok(await as.participant.patch(`/api/v1/submissions/${draft.id}`, { activity: 'Improvement', text: 'Our plan' }), 200, 'written');
  ok(await as.participant.post(`/api/v1/submissions/${draft.id}/submit`), 200, 'and submitted: Pat is on track');
  ok(await as.admin.post(`/api/v1/cohorts/${made.cohort}/staff`, { user_id: ctx.ids.facilitator, role: 'facilitator' }), 201, 'a facilitator');
  const actions = FORMULAS.map((action, i) => ({ action, due_on: isoDate(Date.now() + (i + 1) * DAY) }));
  ok(
    await as.facilitator.put(`/api/v1/enrolments/${made.quinn}/support-plan`, { supporter_id: ctx.ids.facilitator, review_on: isoDate(Date.now() + 14 * DAY), actions }),
    200,
    "Quinn's plan",
  );
});

after(async () => {
  await ctx?.server.stop();
});

test('the progress list as CSV: its header, a row per participant as the JSON has them, by format or by Accept', async () => {
  const json = ok(await as.admin.get(`/api/v1/progress?cohort=${made.cohort}&status=`), 200, 'the JSON');
  const byQuery = await csv(as.admin, `/api/v1/progress?cohort=${made.cohort}&status=`);
  assert.deepEqual(byQuery.header, [
    'enrolment_id', 'participant_id', 'participant', 'qualification', 'cohort', 'school', 'region', 'status', 'reasons',
    'modules_completed', 'modules_required', 'events_held', 'events_attended', 'submitted', 'result', 'has_plan', 'refreshed_at',
  ]);
  assert.deepEqual(byQuery.records.map((r) => Number(r.enrolment_id)), json.progress.map((p) => p.enrolment_id));
  assert.deepEqual(byQuery.records.map((r) => Number(r.enrolment_id)).sort(), [made.pat, made.quinn].sort());
  const quinn = byQuery.records.find((r) => Number(r.enrolment_id) === made.quinn);
  const q = json.progress.find((p) => p.enrolment_id === made.quinn);
  assert.equal(quinn.participant, 'Quinn "Q" Elsewhere, Jr', 'a quote and a comma survive the quoting');
  assert.equal(quinn.status, 'at_risk');
  assert.equal(quinn.reasons, q.reasons.join('; '));
  assert.ok(quinn.reasons.includes('final assessment due in 9 days, no draft yet'));
  assert.equal(quinn.has_plan, 'yes');
  assert.equal(quinn.school, 'Hillside Academy');
  assert.equal(quinn.cohort, 'NPQSL-EXPORT-1');
  assert.equal(Number(quinn.modules_required), q.modules_required);
  const byAccept = await csv(as.admin, `/api/v1/progress?cohort=${made.cohort}&status=`, { byAccept: true });
  assert.deepEqual(byAccept, byQuery, 'Accept: text/csv chooses the same file');
  const atRisk = await csv(as.admin, `/api/v1/progress?cohort=${made.cohort}&status=at_risk`);
  assert.deepEqual(atRisk.records.map((r) => Number(r.enrolment_id)), [made.quinn], 'the filters apply');
  const bad = await as.admin.get('/api/v1/progress?format=xlsx');
  assert.equal(bad.status, 400, show(bad));
  assert.equal(bad.json().error.fields[0].field, 'format');
  const plain = await as.admin.get(`/api/v1/progress?cohort=${made.cohort}&format=json`);
  assert.match(plain.headers.get('content-type'), /^application\/json/);
});

test("a headteacher's exports hold only their school", async () => {
  const mine = await csv(as.headteacher, '/api/v1/progress?status=');
  assert.deepEqual(mine.records.map((r) => Number(r.enrolment_id)), [made.pat]);
  const theirs = await csv(as.headteacher2, '/api/v1/progress?status=');
  assert.deepEqual(theirs.records.map((r) => Number(r.enrolment_id)), [made.quinn]);
  assert.ok(theirs.records.every((r) => r.school === 'Hillside Academy'));
  const cohorts = await csv(as.headteacher2, '/api/v1/progress/cohorts');
  const json = ok(await as.headteacher2.get('/api/v1/progress/cohorts'), 200, 'the JSON');
  assert.deepEqual(cohorts.records.map((r) => Number(r.cohort_id)), json.cohorts.map((c) => c.cohort_id));
  const row = cohorts.records.find((r) => Number(r.cohort_id) === made.cohort);
  assert.equal(row.enrolments, '1', 'the cohort counts only her school');
  assert.equal(row.at_risk, '1');
  for (const path of [`/api/v1/enrolments/${made.pat}/coverage`, `/api/v1/enrolments/${made.pat}/support-plan`]) {
    const r = await as.headteacher2.get(`${path}?format=csv`);
    assert.ok([403, 404].includes(r.status), `${path}: ${show(r)}`);
  }
});

test('the cohorts as CSV: a row per cohort with its rates', async () => {
  const json = ok(await as.admin.get(`/api/v1/progress/cohorts?partner=${made.partner}`), 200, 'the JSON');
  const file = await csv(as.admin, `/api/v1/progress/cohorts?partner=${made.partner}`);
  assert.deepEqual(file.header, [
    'cohort_id', 'code', 'qualification', 'delivery_partner_id', 'enrolments', 'complete', 'at_risk', 'behind',
    'completion_rate', 'attendance_rate', 'submission_rate', 'pass_rate',
  ]);
  assert.deepEqual(file.records.map((r) => Number(r.cohort_id)), json.cohorts.map((c) => c.cohort_id));
  const mine = file.records.find((r) => Number(r.cohort_id) === made.cohort);
  const j = json.cohorts.find((c) => c.cohort_id === made.cohort);
  assert.deepEqual(
    ['enrolments', 'at_risk', 'completion_rate', 'submission_rate'].map((k) => Number(mine[k])),
    ['enrolments', 'at_risk', 'completion_rate', 'submission_rate'].map((k) => j[k]),
  );
  assert.equal(mine.enrolments, '2');
  assert.equal(Number(mine.delivery_partner_id), made.partner);
});

test('a support plan as CSV: a row per action, each would-be formula made plain text', async () => {
  const raw = await as.coach.get(`/api/v1/enrolments/${made.quinn}/support-plan?format=csv`);
  assert.ok([403, 404].includes(raw.status), 'a coach who does not coach Quinn');
  const r = await as.facilitator.get(`/api/v1/enrolments/${made.quinn}/support-plan?format=csv`);
  assert.equal(r.status, 200, show(r));
  for (const f of FORMULAS) assert.ok(r.text.includes(`"'${f}"`), `${JSON.stringify(f)} is quoted and starts with a quote mark: ${JSON.stringify(r.text)}`);
  const file = await csv(as.participant2, `/api/v1/enrolments/${made.quinn}/support-plan`);
  assert.deepEqual(file.header, ['enrolment_id', 'needed', 'supporter', 'review_on', 'action', 'due_on']);
  assert.deepEqual(file.records.map((x) => x.action), FORMULAS.map((f) => `'${f}`), 'a row per action, in order');
  assert.ok(file.records.every((x) => Number(x.enrolment_id) === made.quinn && x.needed === 'yes'));
  const none = await csv(as.admin, `/api/v1/enrolments/${made.pat}/support-plan`);
  assert.deepEqual(none.rows, [], 'no plan: the header alone');
});

test('framework coverage as CSV: a row per area and statement, of an enrolment with its evidence, of a cohort with counts', async () => {
  const json = ok(await as.mentor.get(`/api/v1/enrolments/${made.pat}/coverage`), 200, 'the JSON');
  const file = await csv(as.mentor, `/api/v1/enrolments/${made.pat}/coverage`);
  assert.deepEqual(file.header, ['area', 'area_title', 'kind', 'number', 'statement', 'evidence_count', 'evidence']);
  const expected = json.areas.flatMap((a) => [
    [String(a.number), 'area', ''],
    ...a.statements.map((s) => [String(a.number), s.kind, String(s.number)]),
  ]);
  assert.deepEqual(file.records.map((r) => [r.area, r.kind, r.number]), expected, 'a row per cell of the heatmap, in its order');
  const cohort = ok(await as.partner_lead.get(`/api/v1/cohorts/${made.cohort}/coverage`), 200, "the cohort's");
  const cfile = await csv(as.partner_lead, `/api/v1/cohorts/${made.cohort}/coverage`, { byAccept: true });
  assert.deepEqual(cfile.header, ['area', 'area_title', 'kind', 'number', 'statement', 'evidence_count']);
  const statements = cfile.records.filter((r) => r.kind !== 'area');
  assert.equal(statements.length, cohort.statements, 'every statement');
  assert.equal(statements.filter((r) => r.evidence_count === '0').length, cohort.untouched.length, 'those nobody touched count 0');
});

test('the /progress pages link their CSV downloads, keeping the filters', async () => {
  const s = await signIn(ctx.server, ctx.emails.admin);
  const page = await s.get(`/progress?cohort=${made.cohort}&status=at_risk`);
  assert.equal(page.status, 200, show(page));
  assert.ok(page.text.includes(`href="/api/v1/progress?status=at_risk&amp;cohort=${made.cohort}&amp;format=csv"`), 'the list links its download');
  const cohorts = await s.get('/progress/cohorts');
  assert.equal(cohorts.status, 200, show(cohorts));
  assert.ok(cohorts.text.includes('href="/api/v1/progress/cohorts?format=csv"'), 'the cohorts page links its download');
  const download = await s.get(`/api/v1/progress?cohort=${made.cohort}&status=at_risk&format=csv`);
  assert.equal(download.status, 200, `a signed-in session downloads it: ${show(download)}`);
  assert.equal(parseCsv(download.text).length, 2);
});
