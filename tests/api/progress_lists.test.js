'use strict';
/*
 * The kept progress and the lists read from it (GET /api/v1/progress, /api/v1/progress/cohorts,
 * the pages /progress and /progress/cohorts): the table changes in the same request as the write
 * that moves it; each person sees only those they watch over (a headteacher their school, a mentor
 * those named to them, a partner lead their partner's cohorts); filters and paging; the cohorts'
 * rates as an SVG chart with its numbers in a table; `npq progress settings` and `refresh`.
 *
 * A demo database (`npq demo`: its mentor and headteacher look after Pat Participant) with a
 * second school and its headteacher, a participant there, a mentor named to nobody and a second
 * partner's lead; everything else through the API.
 *
 *   NPQ_BIN=build/npq node --test --test-concurrency=1 tests/api/progress_lists.test.js
 */
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');

const { runNpq } = require('./helpers');
const { startDemoServer, apiAs, signIn } = require('./auth_helpers');
const { show, ok, addPerson, enrolNpqsl, noonInDays } = require('./programme_helpers');

const DAY = 24 * 3600 * 1000;
const iso = (ms) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
const isoDate = (ms) => new Date(ms).toISOString().slice(0, 10);

let ctx;
let as;
const made = {};

async function list(who, query = '') {
  const caller = typeof who === 'string' ? as[who] : who;
  return ok(await caller.get(`/api/v1/progress${query}`), 200, `the progress list${query}`);
}

const ids = (l) => l.progress.map((p) => p.enrolment_id).sort();

before(async () => {
  ctx = await startDemoServer({
    extraUsers: {
      participant2: { email: 'quinn@lists.test', name: 'Quinn Elsewhere', role: 'participant' },
      mentor2: { email: 'mo@lists.test', name: 'Mo Unnamed', role: 'mentor' },
    },
  });
  as = Object.fromEntries(Object.entries(ctx.tokens).map(([k, t]) => [k, apiAs(ctx.server, t, k)]));
  const orgs = (await as.admin.json('/api/v1/organisations')).organisations;
  made.school = orgs.find((o) => o.kind === 'school').id;
  made.partner = orgs.find((o) => o.kind === 'delivery_partner').id;
  made.school2 = ok(
    await as.admin.post('/api/v1/organisations', { kind: 'school', name: 'Hillside Academy', urn: '100777', region: 'South West' }),
    201,
    'a second school',
  ).id;
  made.partner2 = ok(await as.admin.post('/api/v1/organisations', { kind: 'delivery_partner', name: 'Other Hub' }), 201, 'a second partner').id;
  const head2 = await addPerson(ctx, 'hilary@lists.test', 'Hilary Head', 'headteacher', made.school2);
  as.headteacher2 = head2.as;
  as.lead2 = (await addPerson(ctx, 'lee@lists.test', 'Lee Lead', 'partner_lead', made.partner2)).as;
  made.cohort = ok(
    await as.admin.post('/api/v1/cohorts', {
      code: 'NPQSL-LISTS-1',
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
  const venue = ok(await as.admin.post('/api/v1/venues', { delivery_partner_id: made.partner, name: 'Lists Hub', postcode: 'M1 1AE', capacity: 30 }), 201, 'a venue');
  made.event = ok(
    await as.admin.post('/api/v1/events', {
      cohort_id: made.cohort,
      kind: 'face_to_face',
      title: 'Closing the gap day',
      module: 'closing-the-gap',
      framework_area: 3,
      venue_id: venue.id,
      facilitator_id: ctx.ids.facilitator,
      starts_at: iso(Date.now() + 20 * 60 * 1000),
      ends_at: iso(Date.now() + 6 * 3600 * 1000),
    }),
    201,
    'an event',
  ).id;
  ok(await as.participant.post(`/api/v1/events/${made.event}/bookings`), 201, 'Pat books a place');
});

after(async () => {
  await ctx?.server.stop();
});

test('an enrolment is kept from the day it is made, and the register moves it in the same request', async () => {
  let l = await list('admin', `?cohort=${made.cohort}&status=`);
  assert.deepEqual(ids(l), [made.pat, made.quinn].sort());
  let pat = l.progress.find((p) => p.enrolment_id === made.pat);
  assert.equal(pat.status, 'on_track', JSON.stringify(pat));
  assert.deepEqual(pat.participant, { id: ctx.ids.participant, name: pat.participant.name });
  assert.deepEqual(pat.cohort, { id: made.cohort, code: 'NPQSL-LISTS-1' });
  assert.equal(pat.qualification, 'NPQSL');
  assert.equal(pat.progress_url, `/enrolments/${made.pat}/progress`);

  ok(await as.facilitator.put(`/api/v1/events/${made.event}/attendance`, { marks: [{ user_id: ctx.ids.participant, mark: 'absent' }] }), 200, 'Pat marked absent');
  l = await list('admin', `?cohort=${made.cohort}&status=at_risk`);
  assert.deepEqual(ids(l), [made.pat], 'the very next read finds Pat at risk');
  pat = l.progress[0];
  assert.ok(pat.reasons.includes('missed 1 of 1 face-to-face event'), JSON.stringify(pat.reasons));
  assert.equal(pat.events_held, 1);
  assert.equal(pat.events_attended, 0);
  const detail = ok(await as.admin.get(`/api/v1/enrolments/${made.pat}/progress`), 200, 'the detail');
  assert.equal(detail.status, pat.status, 'the list and the detail agree');
  assert.deepEqual(detail.reasons, pat.reasons);

  ok(await as.facilitator.put(`/api/v1/events/${made.event}/attendance`, { marks: [{ user_id: ctx.ids.participant, mark: 'present', reason: 'Signed the paper register' }] }), 200, 'corrected');
  assert.deepEqual(ids(await list('admin', `?cohort=${made.cohort}&status=at_risk`)), [], 'nobody is at risk once corrected');
});

test('framework coverage: content done evidences its statement, an event attended its area; the cohort sees what nobody touched', async () => {
  const item = ok(
    await as.admin.post('/api/v1/content', {
      kind: 'reading',
      title: 'Evaluating what you lead',
      body: 'Read this first.',
      minutes: 20,
      tags: ['module:school-self-evaluation', 'statement:npqsl/3/learn-that/2'],
    }),
    201,
    'a content item',
  ).id;
  ok(await as.admin.post('/api/v1/content-units', { module: 'school-self-evaluation', title: 'Where you are', items: [item] }), 201, 'a unit');
  ok(await as.participant.post(`/api/v1/enrolments/${made.pat}/course/${item}/done`), 200, 'Pat does it');

  const c = ok(await as.mentor.get(`/api/v1/enrolments/${made.pat}/coverage`), 200, "Pat's coverage, by the mentor");
  assert.equal(c.framework.code.toLowerCase(), 'npqsl');
  const area = c.areas.find((a) => a.number === 3);
  assert.deepEqual(area.evidence.map((e) => [e.kind, e.id, e.url]), [['event', made.event, `/events/${made.event}`]], 'the event attended evidences its area');
  const statement = area.statements.find((x) => x.kind === 'learn_that' && x.number === 2);
  assert.deepEqual(statement.evidence.map((e) => [e.kind, e.id, e.url]), [['content', item, `/enrolments/${made.pat}/course/${item}`]]);
  const others = c.areas.flatMap((a) => a.statements).filter((x) => x !== statement);
  assert.ok(others.length > 0 && others.every((x) => x.evidence.length === 0), 'nothing else is evidenced');
  const quinn = ok(await as.admin.get(`/api/v1/enrolments/${made.quinn}/coverage`), 200, "Quinn's");
  assert.ok(quinn.areas.every((a) => a.evidence.length === 0 && a.statements.every((x) => x.evidence.length === 0)), 'Quinn has none');
  assert.ok([403, 404].includes((await as.headteacher2.get(`/api/v1/enrolments/${made.pat}/coverage`)).status), "another school's headteacher");

  const cohort = ok(await as.partner_lead.get(`/api/v1/cohorts/${made.cohort}/coverage`), 200, "the cohort's");
  assert.equal(cohort.untouched.length, cohort.statements - 1, 'all but the one Pat touched');
  assert.ok(!cohort.untouched.some((x) => x.area === 3 && x.kind === 'learn_that' && x.number === 2));

  const s = await signIn(ctx.server, ctx.emails.participant);
  const page = await s.get(`/enrolments/${made.pat}/coverage`);
  assert.equal(page.status, 200, show(page));
  assert.match(page.text, /<a class="govuk-link" href="#s-3-that-2"><strong class="govuk-tag govuk-tag--blue">Learn that 3\.2: 1<\/strong><\/a>/);
  assert.match(page.text, /<h3 class="govuk-heading-s" id="s-3-that-2">/);
  assert.ok(page.text.includes(`href="/enrolments/${made.pat}/course/${item}">Evaluating what you lead</a>`), 'the cell leads to its evidence');
  const lead = await signIn(ctx.server, ctx.emails.partner_lead);
  const untouched = await lead.get(`/cohorts/${made.cohort}/coverage`);
  assert.equal(untouched.status, 200, show(untouched));
  assert.ok(!untouched.text.includes('<strong>Learn that 3.2</strong>'), 'the touched statement is not listed');
  assert.ok(untouched.text.includes('<strong>Learn that 3.1</strong>'), 'an untouched one is');
});

test('a deadline set for the qualification moves everyone studying it, and a submission moves one', async () => {
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
  let l = await list('admin', `?cohort=${made.cohort}&status=at_risk`);
  assert.deepEqual(ids(l), [made.pat, made.quinn].sort(), 'both are at risk at once');
  assert.ok(l.progress.every((p) => p.reasons.includes('final assessment due in 9 days, no draft yet')), JSON.stringify(l));
  const draft = ok(await as.participant.post('/api/v1/submissions', { task_id: task.id, enrolment_id: made.pat }), 201, 'a draft');
  ok(await as.participant.patch(`/api/v1/submissions/${draft.id}`, { activity: 'Improvement', text: 'Our plan' }), 200, 'write it');
  ok(await as.participant.post(`/api/v1/submissions/${draft.id}/submit`), 200, 'submit');
  l = await list('admin', `?cohort=${made.cohort}&status=at_risk`);
  assert.deepEqual(ids(l), [made.quinn], 'Pat submitted and is no longer at risk');
  const pat = (await list('admin', `?cohort=${made.cohort}&status=on_track`)).progress.find((p) => p.enrolment_id === made.pat);
  assert.equal(pat.submitted, true);
});

test('each person sees only those they watch over', async () => {
  assert.deepEqual(ids(await list('headteacher', '?status=')), [made.pat], "Pat's headteacher sees Pat, never Quinn");
  assert.deepEqual(ids(await list('headteacher2', '?status=')), [made.quinn], "Quinn's headteacher sees Quinn only");
  assert.deepEqual(ids(await list('mentor', '?status=')), [made.pat], "Pat's mentor sees Pat only");
  assert.deepEqual(ids(await list('mentor2', '?status=')), [], 'a mentor named to nobody sees nobody');
  assert.deepEqual(ids(await list('coach', '?status=')).filter((id) => id === made.quinn), [], 'the coach does not coach Quinn');
  assert.deepEqual(ids(await list('partner_lead', `?status=&cohort=${made.cohort}`)), [made.pat, made.quinn].sort(), "the partner's lead sees its cohort");
  assert.deepEqual(ids(await list('lead2', '?status=')), [], "another partner's lead sees none of it");
  assert.deepEqual((await as.lead2.json('/api/v1/progress/cohorts')).cohorts, [], 'nor its cohort');
  for (const who of ['participant', 'facilitator', 'assessor']) {
    const r = await as[who].get('/api/v1/progress');
    assert.equal(r.status, 403, `${who}: ${show(r)}`);
  }
  assert.equal((await apiAs(ctx.server, null).get('/api/v1/progress')).status, 401);
  /* A filter never widens the scope: the headteacher asking for Quinn's cohort still sees Pat alone. */
  assert.deepEqual(ids(await list('headteacher', `?status=&cohort=${made.cohort}&region=South%20West`)), []);
});

test('filters narrow the list, a bad one is refused by name, and pages follow Link', async () => {
  assert.deepEqual(ids(await list('admin', `?status=&cohort=${made.cohort}&region=South%20West`)), [made.quinn], 'by the school region');
  assert.deepEqual(ids(await list('admin', `?status=&cohort=${made.cohort}&qualification=NPQH`)), [], 'by qualification');
  assert.deepEqual(ids(await list('admin', `?status=&cohort=${made.cohort}&partner=${made.partner2}`)), [], 'by partner');
  const firstPage = await as.admin.get(`/api/v1/progress?cohort=${made.cohort}&limit=1`);
  const first = firstPage.json();
  assert.equal(first.progress.length, 1);
  const next = /<([^>]+)>; rel="next"/.exec(firstPage.headers.get('link') || '');
  assert.ok(next, 'a Link to the next page');
  const secondPage = await as.admin.get(next[1]);
  const second = secondPage.json();
  assert.equal(second.progress.length, 1);
  assert.notEqual(second.progress[0].enrolment_id, first.progress[0].enrolment_id);
  assert.equal(secondPage.headers.get('link'), null, 'the last page');
  for (const [query, field] of [['?status=late', 'status'], ['?limit=0', 'limit'], ['?cohort=x', 'cohort'], ['?limit=501', 'limit']]) {
    const r = await as.admin.get(`/api/v1/progress${query}`);
    assert.equal(r.status, 400, `${query}: ${show(r)}`);
    assert.ok(r.json().error.fields.some((f) => f.field === field), `${query} names ${field}: ${r.text}`);
  }
});

test("the cohorts' rates come from the kept progress, drawn as SVG beside a table of the same numbers", async () => {
  const { cohorts } = await as.partner_lead.json('/api/v1/progress/cohorts');
  const c = cohorts.find((x) => x.cohort_id === made.cohort);
  assert.ok(c, JSON.stringify(cohorts));
  assert.equal(c.enrolments, 2);
  assert.equal(c.attendance_rate, 100, 'Pat attended the one event held for anyone');
  assert.equal(c.submission_rate, 50, 'one of two submitted');
  assert.equal(c.pass_rate, 0);
  assert.equal(c.completion_rate, 0);
  assert.equal(c.at_risk + c.behind, 1);

  const s = await signIn(ctx.server, ctx.emails.partner_lead);
  const page = await s.get('/progress/cohorts');
  assert.equal(page.status, 200, show(page));
  assert.match(page.text, /<svg [^>]*role="img" aria-labelledby="rates-title rates-desc"/);
  assert.match(page.text, /<title id="rates-title">Cohorts by completion, attendance, submission and pass rates<\/title>/);
  assert.match(page.text, /<desc id="rates-desc">[^<]*NPQSL-LISTS-1: completion 0%, attendance 100%, submission 50%, pass 0%/);
  const table = page.text.slice(page.text.indexOf('data-testid="rates"'));
  assert.match(table, /NPQSL-LISTS-1<\/a><\/th><td[^>]*>2<\/td><td[^>]*>1<\/td><td[^>]*>0%<\/td><td[^>]*>100%<\/td><td[^>]*>50%<\/td><td[^>]*>0%<\/td>/);
});

test('the at-risk page lists, with reasons, only those the person watches over', async () => {
  const head = await signIn(ctx.server, ctx.emails.headteacher);
  let page = await head.get('/progress?status=');
  assert.equal(page.status, 200, show(page));
  assert.ok(page.text.includes(`href="/enrolments/${made.pat}/progress"`), 'Pat is listed');
  assert.ok(!page.text.includes('Quinn Elsewhere'), 'Quinn is not');
  const head2 = await signIn(ctx.server, 'hilary@lists.test');
  page = await head2.get('/progress');
  assert.equal(page.status, 200, show(page));
  assert.ok(page.text.includes('Quinn Elsewhere'), 'Quinn is at risk and listed for her headteacher');
  assert.ok(page.text.includes('final assessment due in 9 days, no draft yet'), 'with the reason');
  assert.ok(!page.text.includes(`href="/enrolments/${made.pat}/progress"`), 'Pat is not');
  const bad = await head2.get('/progress?status=late');
  assert.equal(bad.status, 400, show(bad));

  // The page starts where a cursor of its list says, and its First link keeps "any status".
  const firstRow = await as.admin.get(`/api/v1/progress?status=&cohort=${made.cohort}&limit=1`);
  const cursor = new URL(/<([^>]+)>; rel="next"/.exec(firstRow.headers.get('link'))[1], ctx.server.url).searchParams.get('after');
  const admin = await signIn(ctx.server, ctx.emails.admin);
  const rest = await admin.get(`/progress?status=&cohort=${made.cohort}&after=${cursor}`);
  assert.equal(rest.status, 200, show(rest));
  assert.ok(!rest.text.includes(`href="/enrolments/${firstRow.json().progress[0].enrolment_id}/progress"`), 'the first row is behind it');
  assert.match(rest.text, new RegExp(`href="/progress\\?status=&amp;cohort=${made.cohort}" rel="first"`), 'First keeps the filters');
  assert.equal((await admin.get('/progress?after=garbage')).status, 400, 'a malformed position');
  const participant = await signIn(ctx.server, ctx.emails.participant);
  assert.equal((await participant.get('/progress')).status, 403);
});

test('a participant at risk gets a support plan from their cohort\'s facilitator; the list shows who has none', async () => {
  const plan = (who, id) => (typeof who === 'string' ? as[who] : who).get(`/api/v1/enrolments/${id}/support-plan`);
  let p = ok(await plan('admin', made.quinn), 200, "Quinn's plan");
  assert.deepEqual(p, { enrolment_id: made.quinn, needed: true, plan: null });
  let row = (await list('admin', `?cohort=${made.cohort}&status=at_risk`)).progress.find((x) => x.enrolment_id === made.quinn);
  assert.equal(row.has_plan, false, 'the at-risk list shows Quinn has no plan');
  const good = { supporter_id: ctx.ids.facilitator, review_on: isoDate(Date.now() + 14 * DAY), actions: [{ action: 'Draft the introduction with the facilitator', due_on: isoDate(Date.now() + 5 * DAY) }] };

  const pat = await as.coach.put(`/api/v1/enrolments/${made.pat}/support-plan`, good);
  assert.equal(pat.status, 409, `Pat is on track and needs none: ${show(pat)}`);
  assert.ok([403, 404].includes((await as.coach.put(`/api/v1/enrolments/${made.quinn}/support-plan`, good)).status), 'a coach who does not coach Quinn');
  assert.ok([403, 404].includes((await as.headteacher2.put(`/api/v1/enrolments/${made.quinn}/support-plan`, good)).status), 'her headteacher reads it, never writes it');
  assert.ok([403, 404].includes((await as.facilitator.put(`/api/v1/enrolments/${made.quinn}/support-plan`, good)).status), 'a facilitator not yet on the cohort');
  ok(await as.admin.post(`/api/v1/cohorts/${made.cohort}/staff`, { user_id: ctx.ids.facilitator, role: 'facilitator' }), 201, 'the facilitator joins the cohort');

  const bad = await as.facilitator.put(`/api/v1/enrolments/${made.quinn}/support-plan`, { supporter_id: ctx.ids.mentor2, review_on: '2027-02-30', actions: [{ action: '', due_on: 'soon' }] });
  assert.equal(bad.status, 422, show(bad));
  const fields = bad.json().error.fields.map((f) => f.field).sort();
  assert.deepEqual(fields, ['actions[0].action', 'actions[0].due_on', 'review_on', 'supporter_id']);
  assert.equal(ok(await plan('admin', made.quinn), 200, 'still none').plan, null, 'nothing was kept');

  p = ok(await as.facilitator.put(`/api/v1/enrolments/${made.quinn}/support-plan`, good), 200, 'the plan agreed');
  assert.equal(p.plan.supporter.id, ctx.ids.facilitator);
  assert.deepEqual(p.plan.actions, good.actions);
  assert.equal(p.plan.review_on, good.review_on);
  row = (await list('admin', `?cohort=${made.cohort}&status=at_risk`)).progress.find((x) => x.enrolment_id === made.quinn);
  assert.equal(row.has_plan, true, 'the list shows the plan at once');
  for (const who of ['participant2', 'headteacher2', 'facilitator', 'partner_lead'])
    assert.deepEqual(ok(await plan(who, made.quinn), 200, `${who} reads it`).plan.actions, good.actions);
  for (const who of ['headteacher', 'mentor', 'participant'])
    assert.ok([403, 404].includes((await plan(who, made.quinn)).status), `${who} does not`);

  const s = await signIn(ctx.server, 'quinn@lists.test');
  const page = await s.get(`/enrolments/${made.quinn}/support-plan`);
  assert.equal(page.status, 200, show(page));
  assert.ok(page.text.includes('Draft the introduction with the facilitator'), 'the participant sees the actions');
  assert.ok(!page.text.includes('Agree a plan') && !page.text.includes('Save the plan'), 'and no form');
  const staff = await signIn(ctx.server, ctx.emails.facilitator);
  const refused = await staff.post(`/enrolments/${made.quinn}/support-plan`, { supporter_id: String(ctx.ids.facilitator), 'actions[0].action': 'Meet weekly', 'review_on-day': '31', 'review_on-month': '2', 'review_on-year': '2027' });
  assert.equal(refused.status, 422, show(refused));
  assert.ok(refused.text.includes('Meet weekly'), 'the form keeps what was typed');
  const closed = await staff.post(`/enrolments/${made.quinn}/support-plan?close=1`, {});
  assert.equal(closed.status, 303, show(closed));
  assert.equal(ok(await plan('admin', made.quinn), 200, 'closed').plan, null);
});

test('npq progress settings refuses a contradiction and keeps a threshold; refresh judges every enrolment by it', async () => {
  let r = await runNpq(['progress', 'settings', '--db', ctx.dbPath, 'missed_events_behind=1']);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /missed_events_behind: Behind must take more missed events than at risk/);
  r = await runNpq(['progress', 'settings', '--db', ctx.dbPath, 'deadline_warning_days=five']);
  assert.equal(r.code, 1);
  r = await runNpq(['progress', 'settings', '--db', ctx.dbPath, 'deadline_warning_days=7']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^deadline_warning_days=7$/m);
  assert.match(r.stdout, /^missed_events_at_risk=1$/m);
  assert.deepEqual(ids(await list('admin', `?cohort=${made.cohort}&status=at_risk`)), [made.quinn], 'kept as it was until refreshed');
  r = await runNpq(['progress', 'refresh', '--db', ctx.dbPath]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /progress of \d+ enrolments judged again/);
  assert.deepEqual(ids(await list('admin', `?cohort=${made.cohort}&status=at_risk`)), [], 'due in 9 days is outside a 7-day warning');
  r = await runNpq(['progress', 'settings', '--db', ctx.dbPath, 'deadline_warning_days=14']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal((await runNpq(['progress', 'refresh', '--db', ctx.dbPath])).code, 0);
});
