'use strict';
/*
 * An enrolment's progress (GET /api/v1/enrolments/{id}/progress): its status moves as the facts
 * move (a missed event, a final assessment falling due, a draft begun, a mark corrected), each
 * status with its reasons in words; the participant's mentor and headteacher read it, never the
 * draft's text; a participant who is not theirs is refused.
 *
 * A demo database (`npq demo`, whose mentor and headteacher look after Pat Participant) with a
 * second participant; the enrolment, event, register and task are made through the API.
 *
 *   NPQ_BIN=build/npq node --test --test-concurrency=1 tests/api/progress.test.js
 */
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');

const { startDemoServer, apiAs, signIn } = require('./auth_helpers');
const { show, ok, noonInDays } = require('./programme_helpers');

const DAY = 24 * 3600 * 1000;
const iso = (ms) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
const isoDate = (ms) => new Date(ms).toISOString().slice(0, 10);
const DRAFT_TEXT = 'Our improvement plan, written for the coach and nobody else';

let ctx;
let as;
const made = {};

async function progress(who) {
  return ok(await as[who].get(`/api/v1/enrolments/${made.enrolment}/progress`), 200, `${who} reads the progress`);
}

function hasReason(reasons, pattern, what) {
  assert.ok(reasons.some((r) => pattern.test(r)), `${what}: ${pattern} in ${JSON.stringify(reasons)}`);
}

before(async () => {
  ctx = await startDemoServer({
    extraUsers: { participant2: { email: 'quinn@progress.test', name: 'Quinn Other', role: 'participant' } },
  });
  as = Object.fromEntries(Object.entries(ctx.tokens).map(([k, t]) => [k, apiAs(ctx.server, t, k)]));
  const orgs = (await as.admin.json('/api/v1/organisations')).organisations;
  const school = orgs.find((o) => o.kind === 'school').id;
  const partner = orgs.find((o) => o.kind === 'delivery_partner').id;
  const application = ok(
    await as.participant.post('/api/v1/applications', {
      kind: 'qualification',
      target: 'NPQSL',
      electives: ['improving-the-quality-of-teaching', 'school-self-evaluation'],
      school_id: school,
      sponsor_id: ctx.ids.headteacher,
      job_role: 'Assistant head',
      delivery_model: 'blended',
      funding_route: 'school',
    }),
    201,
    'an NPQSL application',
  );
  ok(await as.participant.post(`/api/v1/applications/${application.id}/submit`), 200, 'submit');
  ok(await as.headteacher.post(`/api/v1/applications/${application.id}/approve`), 200, 'approve');
  ok(await as.admin.post(`/api/v1/applications/${application.id}/accept`), 200, 'accept');
  const cohort = ok(
    await as.admin.post('/api/v1/cohorts', {
      code: 'NPQSL-PROGRESS-1',
      kind: 'qualification',
      target: 'NPQSL',
      delivery_model: 'blended',
      delivery_partner_id: partner,
      starts_on: isoDate(Date.now() - 30 * DAY),
      ends_on: isoDate(Date.now() + 300 * DAY),
    }),
    201,
    'a cohort',
  );
  made.enrolment = ok(await as.admin.post(`/api/v1/applications/${application.id}/enrol`, { cohort_id: cohort.id }), 200, 'enrol').enrolment_id;
  const venue = ok(await as.admin.post('/api/v1/venues', { delivery_partner_id: partner, name: 'Progress Hub', postcode: 'M1 1AE', capacity: 30 }), 201, 'a venue');
  /* Starting in 20 minutes, so the register may be taken now. */
  made.event = ok(
    await as.admin.post('/api/v1/events', {
      cohort_id: cohort.id,
      kind: 'face_to_face',
      title: 'Closing the gap day',
      module: 'closing-the-gap',
      venue_id: venue.id,
      facilitator_id: ctx.ids.facilitator,
      starts_at: iso(Date.now() + 20 * 60 * 1000),
      ends_at: iso(Date.now() + 6 * 3600 * 1000),
    }),
    201,
    'an event',
  );
  ok(await as.participant.post(`/api/v1/events/${made.event.id}/bookings`), 201, 'book a place');
});

after(async () => {
  await ctx?.server.stop();
});

test('a new enrolment is on track, with each module it studies and nothing held yet', async () => {
  const p = await progress('participant');
  assert.equal(p.enrolment_id, made.enrolment);
  assert.equal(p.status, 'on_track', JSON.stringify(p));
  assert.equal(p.status_title, 'On track');
  assert.equal(p.assessment, null, 'no final assessment is set yet');
  const codes = p.modules.map((m) => m.code);
  for (const code of ['closing-the-gap', 'improving-the-quality-of-teaching', 'school-self-evaluation'])
    assert.ok(codes.includes(code), `${code} in ${codes}`);
  assert.equal(p.modules_required, p.modules.length);
  assert.equal(p.modules_completed, 0);
  hasReason(p.reasons, new RegExp(`^0 of ${p.modules.length} modules completed$`), 'the modules counted');
  const gap = p.modules.find((m) => m.code === 'closing-the-gap');
  assert.deepEqual(gap.events, { total: 1, held: 0, attended: 0, missed: 0 });
  assert.equal(gap.status, 'on_track');
  hasReason(gap.reasons, /^no events held yet$/, 'the module says why');
});

test('a missed event puts the module and the whole at risk; a corrected mark puts them back', async () => {
  const marks = (mark, reason) => as.facilitator.put(`/api/v1/events/${made.event.id}/attendance`, { marks: [{ user_id: ctx.ids.participant, mark, ...(reason ? { reason } : {}) }] });
  ok(await marks('absent'), 200, 'marked absent');
  let p = await progress('participant');
  assert.equal(p.status, 'at_risk', JSON.stringify(p));
  hasReason(p.reasons, /^missed 1 of 1 face-to-face event$/, 'the whole says why');
  let gap = p.modules.find((m) => m.code === 'closing-the-gap');
  assert.equal(gap.status, 'at_risk');
  assert.deepEqual(gap.events, { total: 1, held: 1, attended: 0, missed: 1 });
  assert.ok(p.modules.filter((m) => m.code !== 'closing-the-gap').every((m) => m.status === 'on_track'), 'other modules are untouched');

  ok(await marks('present', 'Arrived late, signed the paper register'), 200, 'the mark corrected');
  p = await progress('participant');
  assert.equal(p.status, 'on_track', JSON.stringify(p));
  gap = p.modules.find((m) => m.code === 'closing-the-gap');
  assert.deepEqual(gap.events, { total: 1, held: 1, attended: 1, missed: 0 });
  hasReason(gap.reasons, /^attended 1 of 1 event so far$/, 'the module counts what was attended');
});

test('a final assessment due in 9 days with no draft is a risk; a draft changes the reason, and the mentor and headteacher never see it', async () => {
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
  let p = await progress('participant');
  assert.equal(p.status, 'at_risk', JSON.stringify(p));
  hasReason(p.reasons, /^final assessment due in 9 days, no draft yet$/, 'the deadline says why');
  assert.equal(p.assessment.submission, 'not_started');
  assert.equal(p.assessment.days_to_deadline, 9);
  assert.equal(p.assessment.result, null);

  const draft = ok(await as.participant.post('/api/v1/submissions', { task_id: task.id, enrolment_id: made.enrolment }), 201, 'a draft');
  ok(await as.participant.patch(`/api/v1/submissions/${draft.id}`, { activity: 'Improvement', text: DRAFT_TEXT }), 200, 'write the draft');
  p = await progress('participant');
  assert.equal(p.status, 'at_risk');
  hasReason(p.reasons, /^final assessment due in 9 days, draft not yet submitted$/, 'a draft is begun');
  assert.equal(p.assessment.submission, 'draft');

  for (const role of ['mentor', 'headteacher', 'coach']) {
    const r = await as[role].get(`/api/v1/enrolments/${made.enrolment}/progress`);
    assert.equal(r.status, 200, `${role}: ${show(r)}`);
    const seen = r.json();
    assert.equal(seen.status, 'at_risk', `${role} sees the status`);
    hasReason(seen.reasons, /draft not yet submitted/, `${role} sees the reason`);
    assert.ok(!r.text.includes(DRAFT_TEXT), `${role} never sees the draft's text`);
  }

  ok(await as.participant.post(`/api/v1/submissions/${draft.id}/submit`), 200, 'submit');
  p = await progress('mentor');
  assert.equal(p.status, 'on_track', JSON.stringify(p));
  assert.equal(p.assessment.submission, 'submitted');
  assert.ok(!p.reasons.some((r) => /final assessment/.test(r)), 'a submitted assessment is no longer a risk');
});

test('the page says the same as the API to the participant and to their mentor, linked from the enrolment page', async () => {
  const p = await progress('participant');
  for (const role of ['participant', 'mentor', 'headteacher']) {
    const s = await signIn(ctx.server, ctx.emails[role]);
    const page = await s.get(`/enrolments/${made.enrolment}/progress`);
    assert.equal(page.status, 200, `${role}: ${show(page)}`);
    assert.match(page.text, new RegExp(`<strong class="govuk-tag [^"]+">${p.status_title}</strong>`), `${role} sees the status`);
    for (const reason of p.reasons) assert.ok(page.text.includes(reason), `${role} sees "${reason}"`);
    assert.equal((page.text.match(/data-testid="module"/g) || []).length, p.modules.length, `${role}: a card per module`);
    assert.match(page.text, /Closing the gap/);
    assert.ok(!page.text.includes(DRAFT_TEXT), `${role} never sees the draft's text`);
    assert.match(page.text, role === 'participant' ? /<h1 class="govuk-heading-l">Your progress<\/h1>/ : /<h1 class="govuk-heading-l">Progress<\/h1>/);
  }
  const s = await signIn(ctx.server, ctx.emails.participant);
  const enrolment = await s.get(`/enrolments/${made.enrolment}`);
  assert.equal(enrolment.status, 200, show(enrolment));
  assert.ok(enrolment.text.includes(`href="/enrolments/${made.enrolment}/progress"`), 'the enrolment page links to its progress');
  const other = await signIn(ctx.server, 'quinn@progress.test');
  const refused = await other.get(`/enrolments/${made.enrolment}/progress`);
  assert.ok([403, 404].includes(refused.status), `another participant's page: ${refused.status}`);
  assert.ok(!refused.text.includes('Closing the gap'));
});

test("a mentor's and a headteacher's home lead to each participant's progress", async () => {
  for (const role of ['mentor', 'headteacher']) {
    const home = await as[role].json('/api/v1/me/home');
    const part = home.parts.find((p) => p.role === role);
    const people = part.lists.find((l) => l.key === 'participants').items;
    const pat = people.find((p) => p.id === ctx.ids.participant);
    assert.ok(pat, `${role}: Pat in ${JSON.stringify(people)}`);
    assert.deepEqual(pat.action, { text: 'Progress', href: `/enrolments/${made.enrolment}/progress` }, `${role}'s link`);
  }
});

test('someone who is not the participant, nor looks after them, is refused', async () => {
  const r = await as.participant2.get(`/api/v1/enrolments/${made.enrolment}/progress`);
  assert.ok([403, 404].includes(r.status), `another participant: ${show(r)}`);
  assert.ok(!r.text.includes('closing-the-gap'));
  const none = await as.participant.get('/api/v1/enrolments/999999/progress');
  assert.equal(none.status, 404, show(none));
  const anonymous = apiAs(ctx.server, null);
  assert.equal((await anonymous.get(`/api/v1/enrolments/${made.enrolment}/progress`)).status, 401);
});

test('course items behind the share of events held put the module at risk; doing half of them is enough', async () => {
  const item = async (title) => ok(await as.admin.post('/api/v1/content', { kind: 'reading', title, body: 'Read this.', minutes: 10, tags: ['module:closing-the-gap'] }), 201, title).id;
  const items = [await item('Gap reading one'), await item('Gap reading two')];
  ok(await as.admin.post('/api/v1/content-units', { module: 'closing-the-gap', title: 'After the first day', items }), 201, 'a unit');
  const gap = async () => (await progress('participant')).modules.find((m) => m.code === 'closing-the-gap');
  let m = await gap();
  assert.equal(m.status, 'at_risk', JSON.stringify(m));
  hasReason(m.reasons, /^0 of 2 course items done, 2 expected by now$/, 'its one event is held, so both are expected');
  ok(await as.participant.post(`/api/v1/enrolments/${made.enrolment}/course/${items[0]}/done`), 200, 'one done');
  m = await gap();
  assert.ok(!m.reasons.some((r) => /course items? done/.test(r)), `half is the default share: ${JSON.stringify(m)}`);
  assert.equal(m.status, 'on_track', JSON.stringify(m));
});
