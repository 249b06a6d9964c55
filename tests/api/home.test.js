'use strict';
/*
 * The home of every role, as JSON (GET /api/v1/me/home) and as the page at / where signing in
 * lands: each shows what is the person's own to do next, and nothing of anyone else's.
 *
 * A demo database (`npq demo`) with a second participant, coach and facilitator who look after
 * nobody; everything else is made through the API: an NPQSL application sponsored and enrolled in
 * a cohort, a second application approved and waiting, two coming events (one facilitated by
 * facilitator@, one by the second facilitator), a place booked, a coaching session with an action,
 * a draft, a submitted piece of work, hours logged.
 *
 *   NPQ_BIN=build/npq node --test --test-concurrency=1 tests/api/home.test.js
 */
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');

const { startDemoServer, apiAs, signIn, visitor, submitSignIn, ROLES, DEMO_PASSWORD } = require('./auth_helpers');
const { show, ok } = require('./programme_helpers');

const DAY = 24 * 3600 * 1000;
const iso = (ms) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
const isoDate = (ms) => new Date(ms).toISOString().slice(0, 10);
const DRAFT_TEXT = 'Our attendance plan, written in confidence for the coach';

let ctx;
let as;
const made = {};

/* The items of the list key in the part for role, or fails saying what the home holds. */
function items(home, role, key) {
  const part = home.parts.find((p) => p.role === role);
  assert.ok(part, `a part for ${role} in ${JSON.stringify(home.parts.map((p) => p.role))}`);
  const list = part.lists.find((l) => l.key === key);
  assert.ok(list, `a list ${key} in ${role}'s part`);
  return list.items;
}

before(async () => {
  ctx = await startDemoServer({
    extraUsers: {
      participant2: { email: 'quinn@home.test', name: 'Quinn Other', role: 'participant' },
      coach2: { email: 'cleo@home.test', name: 'Cleo Other-Coach', role: 'coach' },
      facilitator2: { email: 'fred@home.test', name: 'Fred Other-Facilitator', role: 'facilitator', organisation: 2 /* the demo's delivery partner */ },
    },
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
  made.cohort = ok(
    await as.admin.post('/api/v1/cohorts', {
      code: 'NPQSL-HOME-1',
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
  const enrolled = ok(await as.admin.post(`/api/v1/applications/${application.id}/enrol`, { cohort_id: made.cohort.id }), 200, 'enrol');
  made.enrolment = enrolled.enrolment_id;

  made.waiting = ok(
    await as.participant2.post('/api/v1/applications', {
      kind: 'qualification',
      target: 'NPQSL',
      electives: ['improving-the-quality-of-teaching', 'school-self-evaluation'],
      school_id: school,
      sponsor_id: ctx.ids.headteacher,
      job_role: 'Deputy head',
      delivery_model: 'online',
      preferred_partner_id: partner,
      funding_route: 'self',
    }),
    201,
    'a second application',
  );
  ok(await as.participant2.post(`/api/v1/applications/${made.waiting.id}/submit`), 200, 'submit the second application');
  ok(await as.headteacher.post(`/api/v1/applications/${made.waiting.id}/approve`), 200, 'approve the second application');

  const venue = ok(await as.admin.post('/api/v1/venues', { delivery_partner_id: partner, name: 'Home Hub', postcode: 'M1 1AE', capacity: 30 }), 201, 'a venue');
  const event = async (title, facilitator, inDays) =>
    ok(
      await as.admin.post('/api/v1/events', {
        cohort_id: made.cohort.id,
        kind: 'face_to_face',
        title,
        venue_id: venue.id,
        facilitator_id: facilitator,
        starts_at: iso(Date.now() + inDays * DAY),
        ends_at: iso(Date.now() + inDays * DAY + 6 * 3600 * 1000),
      }),
      201,
      `the event ${title}`,
    );
  made.eventMine = await event('Leading change day', ctx.ids.facilitator, 3);
  made.eventOther = await event('Curriculum day', ctx.ids.facilitator2, 10);
  ok(await as.participant.post(`/api/v1/events/${made.eventMine.id}/bookings`), 201, 'book a place');

  made.session = ok(
    await as.coach.post('/api/v1/coaching-sessions', {
      participant_id: ctx.ids.participant,
      starts_at: iso(Date.now() + 2 * DAY),
      ends_at: iso(Date.now() + 2 * DAY + 3600 * 1000),
      mode: 'online',
      place: 'https://meet.example.com/pat',
    }),
    201,
    'a coaching session',
  );
  ok(await as.coach.post(`/api/v1/coaching-sessions/${made.session.id}/actions`, { text: 'Read the attendance data', due_on: isoDate(Date.now() + 7 * DAY) }), 201, 'an action');

  const task = async (kind, target, title) =>
    ok(
      await as.admin.post('/api/v1/assessment-tasks', {
        kind,
        target,
        title,
        brief: 'Show what you have learned.',
        deadline: iso(Date.now() + 60 * DAY),
        word_limit: 2000,
        max_resubmissions: 1,
        moderation_percent: 0,
        criteria: [{ title: 'Applies the evidence' }],
      }),
      201,
      `the task ${title}`,
    );
  made.taskDraft = await task('module', 'closing-the-gap', 'Closing the gap: an improvement');
  made.taskSubmitted = await task('module', 'school-self-evaluation', 'Self-evaluation: a review');
  made.taskElsewhere = await task('module', 'curriculum-development', 'Curriculum: a plan');
  const draft = ok(await as.participant.post('/api/v1/submissions', { task_id: made.taskDraft.id, enrolment_id: made.enrolment }), 201, 'a draft');
  ok(await as.participant.patch(`/api/v1/submissions/${draft.id}`, { activity: 'Attendance', text: DRAFT_TEXT }), 200, 'write the draft');
  made.draft = draft;
  const work = ok(await as.participant.post('/api/v1/submissions', { task_id: made.taskSubmitted.id, enrolment_id: made.enrolment }), 201, 'work');
  ok(await as.participant.patch(`/api/v1/submissions/${work.id}`, { activity: 'Review', text: 'The review of our school.' }), 200, 'write the work');
  ok(await as.participant.post(`/api/v1/submissions/${work.id}/submit`), 200, 'submit the work');
  made.work = work;

  ok(
    await as.participant.post(`/api/v1/enrolments/${made.enrolment}/activities`, {
      module: 'closing-the-gap',
      type: 'reading',
      done_on: isoDate(Date.now() - DAY),
      hours: 2.5,
    }),
    201,
    'log hours',
  );
});

after(async () => {
  await ctx?.server.stop();
});

test('every role has a part of its own, and a person with no part of a role sees none of it', async () => {
  for (const role of ROLES) {
    const home = await as[role].json('/api/v1/me/home');
    assert.deepEqual(home.parts.map((p) => p.role), [role], `${role}'s home has their one part`);
  }
  const anonymous = apiAs(ctx.server, null);
  assert.equal((await anonymous.get('/api/v1/me/home')).status, 401, 'the home needs a caller');
});

test("a participant's home: studies, events with whether they hold a place, work due, coaching, hours", async () => {
  const home = await as.participant.json('/api/v1/me/home');
  const studies = items(home, 'participant', 'studies');
  assert.deepEqual(studies.map((s) => s.id), [made.enrolment]);
  assert.match(studies[0].title, /Senior Leadership/);
  assert.match(studies[0].detail, /NPQSL-HOME-1/);
  const events = items(home, 'participant', 'events');
  assert.deepEqual(events.map((e) => e.title), ['Leading change day', 'Curriculum day']);
  assert.equal(events[0].detail, 'You have a place');
  assert.match(events[1].detail, /^Not booked: 30 places left/);
  const tasks = items(home, 'participant', 'tasks');
  assert.deepEqual(tasks.map((t) => t.title), ['Closing the gap: an improvement'], 'the draft is due; the submitted work and a module not studied are not');
  assert.equal(tasks[0].href, `/submissions/${made.draft.id}`);
  const coaching = items(home, 'participant', 'coaching');
  assert.deepEqual(coaching.map((c) => c.title), ['Coaching with Carys Coach', 'Read the attendance data']);
  const hours = items(home, 'participant', 'hours');
  const gap = hours.find((h) => h.title === 'Closing the gap');
  assert.ok(gap, `hours by module: ${JSON.stringify(hours)}`);
  assert.match(gap.detail, /^2\.5 hours of \d+ logged$/);
  assert.equal(gap.href, `/enrolments/${made.enrolment}/hours`);

  const other = await as.participant2.json('/api/v1/me/home');
  for (const key of ['studies', 'events', 'tasks', 'coaching', 'feedback', 'hours'])
    assert.deepEqual(items(other, 'participant', key), [], `another participant has no ${key} of Pat's`);
});

test("a facilitator's home: their events with the register one tap away, and their cohorts", async () => {
  const home = await as.facilitator.json('/api/v1/me/home');
  const events = items(home, 'facilitator', 'events');
  assert.deepEqual(events.map((e) => e.title), ['Leading change day'], 'only the event they facilitate');
  assert.deepEqual(events[0].action, { text: 'Register', href: `/events/${made.eventMine.id}/register` });
  assert.match(events[0].detail, /1 of 30 places booked/);
  assert.deepEqual(items(home, 'facilitator', 'cohorts').map((c) => c.title), ['NPQSL-HOME-1']);
  const other = await as.facilitator2.json('/api/v1/me/home');
  assert.deepEqual(items(other, 'facilitator', 'events').map((e) => e.title), ['Curriculum day']);
});

test("a coach's home: coachees, sessions, drafts waiting for feedback and hours to verify", async () => {
  const home = await as.coach.json('/api/v1/me/home');
  assert.deepEqual(items(home, 'coach', 'coachees').map((c) => c.title), ['Pat Participant']);
  assert.deepEqual(items(home, 'coach', 'sessions').map((s) => s.id), [made.session.id]);
  assert.deepEqual(items(home, 'coach', 'drafts').map((d) => d.id), [made.draft.id]);
  const hours = items(home, 'coach', 'hours');
  assert.equal(hours.length, 1);
  assert.match(hours[0].detail, /1 entry, 2\.5 hours, not verified/);
  const other = await as.coach2.json('/api/v1/me/home');
  for (const key of ['coachees', 'sessions', 'drafts', 'hours']) assert.deepEqual(items(other, 'coach', key), [], `another coach has no ${key}`);
});

test("an assessor's home: the marking queue and the deadlines", async () => {
  const home = await as.assessor.json('/api/v1/me/home');
  const marking = items(home, 'assessor', 'marking');
  assert.deepEqual(marking.map((m) => m.id), [made.work.id]);
  assert.equal(marking[0].action.href, `/submissions/${made.work.id}/mark`);
  assert.deepEqual(items(home, 'assessor', 'second_marking'), []);
  const deadlines = items(home, 'assessor', 'deadlines');
  assert.deepEqual(deadlines.map((d) => d.title).sort(), [made.taskDraft.title, made.taskSubmitted.title, made.taskElsewhere.title].sort());
  assert.match(deadlines.find((d) => d.id === made.taskSubmitted.id).detail, /1 waiting for marking/);
});

test("a delivery partner lead's home: their cohorts with the plan's warning", async () => {
  const home = await as.partner_lead.json('/api/v1/me/home');
  const cohorts = items(home, 'partner_lead', 'cohorts');
  assert.deepEqual(cohorts.map((c) => c.title), ['NPQSL-HOME-1']);
  assert.match(cohorts[0].detail, /^1 participant; no registers taken yet/);
  assert.match(cohorts[0].note, /^Plan: /, 'two face-to-face events fall short of the plan');
  assert.deepEqual(items(home, 'partner_lead', 'unplaced'), [], 'Pat holds a place');
});

test("a provider administrator's home: applications waiting, cohorts short of events", async () => {
  const home = await as.admin.json('/api/v1/me/home');
  const applications = items(home, 'admin', 'applications');
  assert.deepEqual(applications.map((a) => a.id), [made.waiting.id], 'the approved application waits; the enrolled one does not');
  assert.equal(applications[0].title, 'Quinn Other');
  assert.deepEqual(items(home, 'admin', 'cohorts').map((c) => c.title), ['NPQSL-HOME-1']);
  assert.deepEqual(items(home, 'admin', 'release'), []);
});

test("a mentor's and a headteacher's home: their participant's progress and work by state, never its content", async () => {
  for (const role of ['mentor', 'headteacher']) {
    const home = await as[role].json('/api/v1/me/home');
    const people = items(home, role, 'participants');
    assert.deepEqual(people.map((p) => p.title), ['Pat Participant'], `${role}: their participant`);
    assert.match(people[0].detail, /Senior Leadership, Active; attended 0 of 0 events; 2\.5 hours logged/);
    assert.match(people[0].note, /Closing the gap: an improvement: draft/);
    assert.match(people[0].note, /Self-evaluation: a review: submitted/);
    assert.ok(!JSON.stringify(home).includes(DRAFT_TEXT), `${role} never sees the draft's text`);
    assert.ok(people[0].at, 'the next event is the next milestone');
  }
  const other = await as.participant2.json('/api/v1/me/home');
  assert.ok(!JSON.stringify(other).includes('Pat Participant'), 'another participant sees nothing of Pat');
});

test('signing in lands on the home page, which shows the same as the JSON', async () => {
  const v = await visitor(ctx.server);
  const landing = await submitSignIn(v, ctx.emails.participant, DEMO_PASSWORD, { next: '' });
  assert.equal(landing.status, 303, show(landing));
  assert.equal(landing.headers.get('location'), '/', 'signing in lands on the home page');
  const s = await signIn(ctx.server, ctx.emails.participant);
  const page = await s.get('/');
  assert.equal(page.status, 200, show(page));
  assert.match(page.text, /<h1 class="govuk-heading-l">What to do next<\/h1>/);
  assert.match(page.text, /data-home-part="participant"/);
  assert.match(page.text, /Leading change day/);
  assert.match(page.text, /You have a place/);
  assert.match(page.text, /href="\/hours">Hours</, 'the menu reaches the hours');
  assert.match(page.text, new RegExp(`href="/participants/${ctx.ids.participant}/pathway">Pathway<`), 'and the pathway');
  assert.match(page.text, new RegExp(`href="/participants/${ctx.ids.participant}/transcript">Transcript<`), 'and the transcript');
  assert.doesNotMatch(page.text, /data-home-part="coach"/);

  const facilitator = await signIn(ctx.server, ctx.emails.facilitator);
  const fpage = await facilitator.get('/');
  assert.match(fpage.text, new RegExp(`href="/events/${made.eventMine.id}/register">Register`));
  assert.doesNotMatch(fpage.text, /Curriculum day/, "another facilitator's event is not on the page");
  assert.doesNotMatch(fpage.text, /href="\/hours"/, 'a facilitator has no hours in the menu');
});

test('/hours takes a participant with one enrolment to its log', async () => {
  const s = await signIn(ctx.server, ctx.emails.participant);
  const r = await s.get('/hours');
  assert.equal(r.status, 303, show(r));
  assert.equal(r.headers.get('location'), `/enrolments/${made.enrolment}/hours`);
  const other = await signIn(ctx.server, 'quinn@home.test');
  const none = await other.get('/hours');
  assert.equal(none.status, 200);
  assert.match(none.text, /once you are enrolled/);
});

test('a person with several roles sees a part for each, in one order, on the page and in the JSON', async () => {
  ok(await as.admin.post(`/api/v1/users/${ctx.ids.coach2}/roles`, { role: 'assessor' }), 201, 'grant the second coach the assessor role');
  const home = await as.coach2.json('/api/v1/me/home');
  assert.deepEqual(home.parts.map((p) => p.role), ['coach', 'assessor']);
  assert.deepEqual(items(home, 'assessor', 'marking').map((m) => m.id), [made.work.id], 'their marking as an assessor');
  assert.deepEqual(items(home, 'coach', 'coachees'), [], 'and no coachees as a coach');
  const s = await signIn(ctx.server, 'cleo@home.test');
  const page = await s.get('/');
  assert.deepEqual([...page.text.matchAll(/data-home-part="([a-z_]+)"/g)].map((m) => m[1]), ['coach', 'assessor']);
});

test("once accepted, a person with no cohort yet is among a partner lead's people without a place", async () => {
  ok(await as.admin.post(`/api/v1/applications/${made.waiting.id}/accept`), 200, 'accept the second application');
  const lead = await as.partner_lead.json('/api/v1/me/home');
  const unplaced = items(lead, 'partner_lead', 'unplaced');
  assert.deepEqual(unplaced.map((u) => u.title), ['Quinn Other']);
  assert.match(unplaced[0].detail, /^Accepted for .*Senior Leadership, not yet in a cohort$/);
  assert.equal(unplaced[0].href, `/applications/${made.waiting.id}`);
  const admin = await as.admin.json('/api/v1/me/home');
  assert.match(items(admin, 'admin', 'applications')[0].detail, /accepted, waiting for enrolment$/);
});
