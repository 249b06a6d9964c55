'use strict';
/*
 * The living demo: `npq demo --programme` (what `make run` uses) on a fresh database builds a
 * programme in motion, once. Every sign-in it prints works with the printed password, and each
 * person's home has something in it for every role they hold: the page at / names it, and the
 * JSON says the same. Run again, it changes nothing and says so.
 *
 *   NPQ_BIN=build/npq node --test --test-concurrency=1 tests/api/demo.test.js
 */
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');

const { makeTempDir, initDb, runNpq, startServer } = require('./helpers');
const { signIn, createToken, apiAs } = require('./auth_helpers');

let dir;
let dbPath;
let first;
let server;

/* The sign-ins printed by npq demo: [{role, email, finds}], and the password. */
function signIns(stdout) {
  const password = /password for all: (\S+)\)/.exec(stdout)?.[1];
  const people = [...stdout.matchAll(/^ {2}(.+?) {2,}(\S+@\S+) +(.+)$/gm)].map((m) => ({ role: m[1].trim(), email: m[2], finds: m[3] }));
  return { password, people };
}

before(async () => {
  dir = await makeTempDir();
  dbPath = path.join(dir, 'npq.db');
  await initDb(dbPath);
  first = await runNpq(['demo', '--db', dbPath, '--programme'], { timeoutMs: 120000 });
  assert.equal(first.code, 0, `npq demo --programme: ${first.stderr}`);
  server = await startServer({ db: dbPath });
});

after(async () => {
  await server?.stop();
});

test('the demo prints a sign-in for every role, each saying what the person will find', () => {
  const { password, people } = signIns(first.stdout);
  assert.ok(password, `a password in:\n${first.stdout}`);
  assert.deepEqual(
    people.map((p) => p.role),
    ['Provider administrator', 'Delivery partner lead', 'Facilitator', 'Coach', 'Assessor', 'Participant', 'Mentor', 'Headteacher'],
    first.stdout,
  );
  for (const p of people) assert.ok(p.finds.length > 10, `${p.email} is told what they will find`);
  assert.match(first.stdout, /The demo programme is built, dated from today\./);
  assert.equal(first.stderr, '', 'every step of the programme worked');
});

test('every demo sign-in works, and its home has something for each of its roles', async () => {
  const { password, people } = signIns(first.stdout);
  for (const p of people) {
    const s = await signIn(server, p.email, password);
    const page = await s.get('/');
    assert.equal(page.status, 200, `${p.email}: GET / → ${page.status}`);
    assert.match(page.text, /What to do next/, `${p.email} lands on their home`);
    assert.ok((page.text.match(/data-home-item=/g) || []).length > 0, `${p.email}'s home page lists something to do`);

    const home = await apiAs(server, await createToken(dbPath, p.email, 'demo test')).json('/api/v1/me/home');
    assert.ok(home.parts.length > 0, `${p.email} has a part of the home`);
    for (const part of home.parts) {
      const filled = part.lists.filter((l) => l.items.length > 0).map((l) => l.key);
      assert.ok(filled.length > 0, `${p.email}: the ${part.role} part has something in it`);
    }
  }
});

test('what each role is promised is there', async () => {
  const as = async (email) => apiAs(server, await createToken(dbPath, email, 'demo check')).json('/api/v1/me/home');
  const lists = (home) => Object.fromEntries(home.parts.flatMap((p) => p.lists.map((l) => [`${p.role}.${l.key}`, l.items])));

  const facilitator = lists(await as('facilitator@demo.npq.test'));
  assert.ok(facilitator['facilitator.events'].some((e) => /under way/.test(e.detail)), 'an event is under way, register in reach');
  const participant = lists(await as('participant@demo.npq.test'));
  assert.ok(participant['participant.events'].some((e) => e.detail === 'You have a place'), 'the participant holds a place');
  assert.ok(participant['participant.tasks'].length > 0, 'work is due');
  assert.ok(participant['participant.coaching'].length > 0, 'coaching is booked');
  const coach = lists(await as('coach@demo.npq.test'));
  for (const key of ['coachees', 'sessions', 'drafts', 'hours']) assert.ok(coach[`coach.${key}`].length > 0, `the coach has ${key}`);
  const assessor = lists(await as('assessor@demo.npq.test'));
  assert.ok(assessor['assessor.marking'].length > 0, 'work is waiting for marking');
  assert.ok(assessor['assessor.second_marking'].length > 0, 'second marking is owed');
  const admin = lists(await as('admin@demo.npq.test'));
  assert.ok(admin['admin.applications'].length > 0, 'an application waits for a decision');
  assert.ok(admin['admin.release'].length > 0, 'marked work waits for release');
  assert.deepEqual(admin['admin.awards'].map((a) => a.title), ['Ben Baker'], 'one participant is ready for award');
  assert.match(admin['admin.awards'][0].action.href, /^\/enrolments\/\d+\/award$/, 'the award decision is a tap away');
  assert.deepEqual(admin['admin.cohorts'].map((c) => c.title), ['NPQSL-DEMO-NEXT'], 'the cohort starting next month is short of events');
  const lead = lists(await as('partner.lead@demo.npq.test'));
  assert.deepEqual(lead['partner_lead.cohorts'].map((c) => c.title).sort(), ['NPQML-DEMO-ONLINE', 'NPQSL-DEMO-BLENDED', 'NPQSL-DEMO-NEXT']);
  assert.match(lead['partner_lead.cohorts'].find((c) => c.title === 'NPQSL-DEMO-NEXT').note, /^Plan: /, 'with its plan warning');
  assert.ok(participant['participant.feedback'].some((f) => /Feedback from Carys Coach/.test(f.detail)), 'feedback waits for the participant');
  assert.ok(lead['partner_lead.unplaced'].length > 0, 'someone has no place on a coming event');
  const head = lists(await as('headteacher@demo.npq.test'));
  const states = head['headteacher.participants'].map((p) => p.detail);
  assert.ok(states.some((d) => /Deferred/.test(d)) && states.some((d) => /Completed/.test(d)), `one deferred, one awarded: ${states.join(' | ')}`);

  // A course for each module the participant studies, the partner's own version of its first
  // reading, and one item done.
  const pat = apiAs(server, await createToken(dbPath, 'participant@demo.npq.test', 'demo course'));
  const enrolment = (await pat.json('/api/v1/enrolments')).enrolments.find((e) => e.state === 'active');
  const course = await pat.json(`/api/v1/enrolments/${enrolment.id}/course`);
  assert.equal(course.modules.length, 2 + enrolment.electives.length, 'every module of the enrolment has a course');
  for (const m of course.modules) assert.ok(m.units.length > 0 && m.units[0].items.length > 0, `${m.module} has items`);
  assert.equal(course.items_done, 1, 'one item is done');
  assert.ok(course.modules[0].units[0].items.some((i) => i.local_variant), "the partner's local variant is shown");
  const item = await pat.json(`/api/v1/content/${course.modules[0].units[0].items[0].item_id}`);
  assert.ok(item.tags.some((t) => t.tag.startsWith('statement:npqsl/')), 'items are tagged to framework statements');
});

test('run again, the demo changes nothing', async () => {
  const cohorts = async () => (await apiAs(server, await createToken(dbPath, 'admin@demo.npq.test', 'demo again')).json('/api/v1/cohorts')).cohorts.length;
  const before = await cohorts();
  const again = await runNpq(['demo', '--db', dbPath, '--programme'], { timeoutMs: 120000 });
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /The demo programme was built before and is left as it is\./);
  assert.equal(await cohorts(), before, 'no second set of cohorts');
});
