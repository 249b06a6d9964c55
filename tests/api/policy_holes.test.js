'use strict';
/*
 * Holes in the policy: every route with an {id}, asked by people unrelated to the record.
 *
 *   NPQ_BIN=build/npq node --test --test-concurrency=1 tests/api/policy_holes.test.js
 *
 * The records belong to the demo delivery partner, its cohort and school, and the demo
 * participant. The strangers are a second partner's lead, facilitator and coach, a participant and
 * the headteacher of a second school, and a facilitator of the demo cohort whose role was revoked
 * (their staff row remains). Each of them asks every {id} route of `npq routes`, API and pages,
 * with a body that would do something for someone allowed; each must be answered 404 (a record
 * outside their scope looks like a missing one) or 403, and nothing may change: the audit log,
 * where every write is recorded, gains no entry, and the record reads the same before and after.
 * A few records are open to every signed-in person by design (venues, tasks) or by role
 * (organisations, for partner leads): OPEN names them, so what is open is a decision written down.
 *
 * Then the holes a probe across two partners and two schools found, each as its own test: naming
 * anyone sponsor, learning names through sponsor ids and staff refusals, resuming a participant
 * into another partner's cohort, naming another partner's facilitator, and a revoked facilitator
 * still reading and verifying the learning log of their old cohort.
 */
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');

const { makeTempDir, initDb, runNpq, startServer } = require('./helpers');
const { demoEmail, ROLES, signIn, apiAs, createToken, addUser, listUsers } = require('./auth_helpers');

const FUTURE = { starts_at: '2027-03-01T09:00:00Z', ends_at: '2027-03-01T10:00:00Z' };
const STRANGERS = ['leadB', 'facilitatorB', 'coachB', 'participantB', 'headB', 'revoked'];

/* Routes whose record a stranger may read by design, and which of them. */
const OPEN = {
  'GET /api/v1/organisations/{id}': ['leadB'], // partner leads read every organisation
  'GET /admin/organisations/{id}': ['leadB'],
  'GET /api/v1/venues/{id}': STRANGERS, // where events happen is no secret
  'GET /api/v1/assessment-tasks/{id}': STRANGERS, // tasks are set for everyone
  'GET /api/v1/content/{id}': STRANGERS, // the content library is for everyone signed in
  'GET /content/{id}': STRANGERS,
  'GET /api/v1/content/{id}/files': STRANGERS, // and so are its files (a file of another record is still refused)
};

const UNSAFE = (method) => !['GET', 'HEAD', 'OPTIONS'].includes(method);

async function cli(args, input) {
  const r = await runNpq(args, input === undefined ? {} : { input });
  assert.equal(r.code, 0, `npq ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

describe('policy holes', () => {
  let server;
  let ctx;

  before(async () => {
    const dir = await makeTempDir();
    const dbPath = path.join(dir, 'npq.db');
    await initDb(dbPath);
    await cli(['demo', '--db', dbPath]);
    // The second partner and school, and their people, made before the server starts.
    const partnerB = Number(await cli(['organisation', 'add', '--db', dbPath, '--kind', 'delivery_partner', '--name', 'Thames Teaching Hub', '--region', 'London']));
    const schoolB = Number(await cli(['organisation', 'add', '--db', dbPath, '--kind', 'school', '--name', 'Riverside Primary', '--urn', '200002', '--region', 'London']));
    const extra = {
      leadB: { email: 'lead.b@thames.test', name: 'Lou LeadB', role: 'partner_lead', organisation: partnerB },
      facilitatorB: { email: 'fac.b@thames.test', name: 'Fay FacilitatorB', role: 'facilitator', organisation: partnerB },
      coachB: { email: 'coach.b@thames.test', name: 'Col CoachB', role: 'coach' },
      participantB: { email: 'pam.b@riverside.test', name: 'Pam ParticipantB', role: 'participant', organisation: schoolB },
      headB: { email: 'head.b@riverside.test', name: 'Hal HeadB', role: 'headteacher', organisation: schoolB },
      deferred: { email: 'dee.deferred@demo.npq.test', name: 'Dee Deferred', role: 'participant' },
    };
    const emails = Object.fromEntries(ROLES.map((r) => [r, demoEmail(r)]));
    for (const [key, u] of Object.entries(extra)) {
      await addUser(dbPath, u);
      emails[key] = u.email;
    }
    const users = await listUsers(dbPath);
    const facilitatorA = users[demoEmail('facilitator')];
    const tokens = {};
    for (const [key, email] of Object.entries(emails)) tokens[key] = await createToken(dbPath, email, `holes ${key}`);
    const ids = Object.fromEntries(Object.entries(emails).map(([k, e]) => [k, (users[e] || {}).id]));
    server = await startServer({ db: dbPath });
    const as = (who) => apiAs(server, tokens[who], who);
    const admin = as('admin');
    const ok = async (r, what, status = 201) => {
      const res = await r;
      assert.equal(res.status, status, `${what}: ${res.text.slice(0, 400)}`);
      return res.status === 204 ? null : res.json();
    };

    const orgs = (await admin.json('/api/v1/organisations')).organisations;
    const school = orgs.find((o) => o.kind === 'school' && o.urn === '100001').id;
    const partner = orgs.find((o) => o.kind === 'delivery_partner' && o.id !== partnerB).id;
    // A second facilitator of the demo partner, on the demo cohort's staff, whose role is then revoked.
    emails.revoked = 'rex.revoked@demo.npq.test';
    ids.revoked = await addUser(dbPath, { email: emails.revoked, name: 'Rex Revoked', role: 'facilitator', organisation: partner });
    assert.ok(facilitatorA, 'the demo facilitator exists');

    const cohort = async (code, partnerId, startsOn) =>
      (await ok(admin.post('/api/v1/cohorts', { code, kind: 'qualification', target: 'NPQSL', starts_on: startsOn, ends_on: '2028-07-14', delivery_model: 'blended', delivery_partner_id: partnerId }), `cohort ${code}`)).id;
    const cA = await cohort('NPQSL-HOLES-A', partner, '2027-01-11');
    const cB = await cohort('NPQSL-HOLES-B', partnerB, '2027-09-06');
    const pl = as('partner_lead');
    await ok(pl.post(`/api/v1/cohorts/${cA}/staff`, { user_id: ids.facilitator, role: 'facilitator' }), 'cA facilitator');
    await ok(pl.post(`/api/v1/cohorts/${cA}/staff`, { user_id: ids.coach, role: 'coach' }), 'cA coach');
    await ok(pl.post(`/api/v1/cohorts/${cA}/staff`, { user_id: ids.revoked, role: 'facilitator' }), 'cA facilitator to revoke');
    await ok(admin.post(`/api/v1/cohorts/${cB}/staff`, { user_id: ids.facilitatorB, role: 'facilitator' }), 'cB facilitator');
    await ok(admin.post(`/api/v1/cohorts/${cB}/staff`, { user_id: ids.coachB, role: 'coach' }), 'cB coach');

    const answers = { kind: 'qualification', target: 'NPQSL', electives: ['school-self-evaluation', 'leading-change-for-improvement'], funding_route: 'school', delivery_model: 'blended', job_role: 'Deputy head' };
    const step = (who, id, name, body) => ok(as(who).post(`/api/v1/applications/${id}/${name}`, body), `${who} ${name}s ${id}`, 200);
    const enrol = async (who, extraAnswers, cohortId) => {
      const a = await ok(admin.post('/api/v1/applications', { ...answers, participant_id: ids[who], school_id: school, sponsor_id: ids.headteacher, preferred_partner_id: partner, ...extraAnswers }), `${who} applies`);
      await step('admin', a.id, 'submit');
      await step('headteacher', a.id, 'approve');
      await step('admin', a.id, 'accept');
      return { application: a.id, enrolment: (await step('admin', a.id, 'enrol', { cohort_id: cohortId })).enrolment_id };
    };
    const main = await enrol('participant', {}, cA);
    const dee = await enrol('deferred', {}, cA);
    await ok(admin.post(`/api/v1/enrolments/${dee.enrolment}/defer`, { reason: 'Illness', expected_return: '2027-09-01' }), 'Dee defers', 200);
    const draft = await ok(as('participant').post('/api/v1/applications', { ...answers, target: 'NPQH', electives: ['curriculum-development', 'closing-the-gap'], school_id: school, sponsor_id: ids.headteacher }), 'a draft');

    const venue = await ok(pl.post('/api/v1/venues', { delivery_partner_id: partner, name: 'Hub Hall', address: '1 High Street', postcode: 'L1 8JQ', capacity: 40 }), 'a venue');
    const event = await ok(pl.post('/api/v1/events', { cohort_id: cA, kind: 'face_to_face', title: 'Day one', venue_id: venue.id, ...FUTURE, capacity: 30, facilitator_id: ids.facilitator }), 'an event');
    await ok(as('participant').post(`/api/v1/events/${event.id}/bookings`, {}), 'the participant books');
    const assignments = (await admin.json(`/api/v1/users/${ids.participant}/assignments`)).assignments;
    const coaching = assignments.find((x) => x.kind === 'coach' && x.staff.id === ids.coach);
    assert.ok(coaching, `the demo coach coaches the demo participant: ${JSON.stringify(assignments)}`);
    const session = await ok(as('coach').post('/api/v1/coaching-sessions', { participant_id: ids.participant, ...FUTURE, mode: 'online', place: 'https://meet.example.test/c' }), 'a coaching session');
    const action = await ok(as('coach').post(`/api/v1/coaching-sessions/${session.id}/actions`, { text: 'Plan a lesson study' }), 'an action');
    const today = new Date().toISOString().slice(0, 10);
    const activity = await ok(as('participant').post(`/api/v1/enrolments/${main.enrolment}/activities`, { module: 'closing-the-gap', type: 'reading', done_on: today, hours: 0.5 }), 'a log entry');
    const task = await ok(admin.post('/api/v1/assessment-tasks', { kind: 'module', target: 'closing-the-gap', title: 'Holes task', deadline: '2030-01-01T00:00:00Z', criteria: [{ title: 'Analyses the gap' }] }), 'a task');
    const work = await ok(as('participant').post('/api/v1/submissions', { task_id: task.id, enrolment_id: main.enrolment }), 'work');
    await ok(as('participant').patch(`/api/v1/submissions/${work.id}`, { activity: 'A reading intervention', text: 'What we did.' }), 'writes', 200);
    const file = await ok(as('participant').request('POST', `/api/v1/submissions/${work.id}/files`, { body: Buffer.from('evidence'), contentType: 'text/plain', headers: { 'x-file-name': 'evidence.txt' } }), 'a file');

    // An award: NPQML in a cohort of no partner's, every module completed.
    const ml = (await ok(admin.post('/api/v1/cohorts', { code: 'NPQML-HOLES', kind: 'qualification', target: 'NPQML', starts_on: '2027-01-11', ends_on: '2028-07-14', delivery_model: 'blended' }), 'an NPQML cohort')).id;
    const mlEnrolment = (await enrol('participant', { target: 'NPQML', electives: ['leading-an-effective-team'], preferred_partner_id: undefined }, ml)).enrolment;
    for (const module of ['leading-teaching', 'managing-systems-and-processes', 'leading-an-effective-team'])
      await ok(admin.post(`/api/v1/participants/${ids.participant}/completions`, { module, completed_on: today, enrolment_id: mlEnrolment }), `completes ${module}`);
    const award = await ok(admin.post('/api/v1/awards', { enrolment_id: mlEnrolment }), 'an award');
    const token = await ok(as('participant').post('/api/v1/tokens', { name: 'the participant\'s own' }), 'a token');
    const contentItem = await ok(admin.post('/api/v1/content', { kind: 'reading', title: 'Holes reading', minutes: 10, tags: ['module:closing-the-gap'] }), 'a content item');
    await ok(pl.put(`/api/v1/content/${contentItem.id}/variants/${partner}`, { title: 'Local reading', body: 'Local contacts.' }), 'its local variant', 200);
    const forum = (await as('participant').json('/api/v1/forums')).forums.find((f) => f.kind === 'cohort' && f.cohort_id === cA);
    assert.ok(forum, 'the demo participant belongs to the cohort\'s forum');
    const opening = (await ok(as('participant').post(`/api/v1/forums/${forum.id}/threads`, { title: 'Holes thread', body: 'Hello' }), 'a forum thread')).posts[0];
    const report = await ok(as('coach').post(`/api/v1/forum-posts/${opening.id}/reports`, { reason: 'Off topic' }), 'a report');

    // Now the facilitator's role goes; their row on the cohort's staff stays.
    const rex = await admin.json(`/api/v1/users/${ids.revoked}`);
    await ok(admin.delete(`/api/v1/users/${ids.revoked}/roles/${rex.roles[0].id}`), 'revoke the facilitator role', 200);
    tokens.revoked = await createToken(dbPath, emails.revoked, 'holes revoked');
    const participant = await admin.json(`/api/v1/users/${ids.participant}`);

    ctx = {
      as,
      admin,
      ids,
      emails,
      school,
      partner,
      partnerB,
      cA,
      cB,
      dee,
      records: {
        user: ids.participant,
        organisation: school,
        application: main.application,
        draft: draft.id,
        enrolment: main.enrolment,
        venue: venue.id,
        cohort: cA,
        event: event.id,
        coaching_session: session.id,
        submission: work.id,
        assignment: coaching.id,
        task: task.id,
        award: award.id,
        token: token.id,
        content_item: contentItem.id,
        forum: forum.id,
        forum_thread: opening.thread_id,
        forum_post: opening.id,
        forum_report: report.id,
      },
      params: {
        grant: participant.roles[0].id,
        assignment: coaching.id,
        activity: activity.id,
        action: action.id,
        file: file.id,
        user: ids.participant,
        role: 'facilitator',
        partner,
        item: contentItem.id,
      },
      pages: {},
    };
    for (const who of STRANGERS) ctx.pages[who] = await signIn(server, emails[who]);
    const routes = await runNpq(['routes']);
    assert.equal(routes.code, 0, routes.stderr);
    ctx.routes = JSON.parse(routes.stdout).filter((r) => /\{id\}/.test(r.pattern));
  });

  after(async () => {
    await server?.stop();
  });

  /* What a stranger sends: what would do something for someone allowed. */
  function bodyFor(route) {
    const p = route.pattern;
    if (/\/users\/\{id\}\/roles$/.test(p)) return { role: 'admin' };
    if (/\/users\/\{id\}$/.test(p)) return { name: 'Changed By A Stranger' };
    if (/\/organisations\/\{id\}$/.test(p)) return { name: 'Renamed School' };
    if (/\/applications\/\{id\}$/.test(p)) return { job_role: 'Changed' };
    if (/\/applications\/\{id\}\/\{step\}$/.test(p)) return { reason: 'a stranger says no' };
    if (/\/enrolments\/\{id\}\/\{step\}$/.test(p)) return { reason: 'a stranger defers', expected_return: '2027-09-01' };
    if (/\/participants\/\{id\}\/completions$/.test(p)) return { module: 'leading-teaching', completed_on: '2027-02-01' };
    if (/\/coaching-sessions\/\{id\}$/.test(p)) return { place: 'https://evil.example.test/' };
    if (/\/notes$/.test(p)) return { text: 'A stranger was here', visibility: 'shared' };
    if (/\/actions$/.test(p)) return { text: 'A stranger was here' };
    if (/\/activities$/.test(p) && route.method === 'POST') return { module: 'closing-the-gap', type: 'reading', done_on: new Date().toISOString().slice(0, 10), hours: 1 };
    if (/\/activities\/\{activity\}$/.test(p) && route.method === 'PATCH') return { hours: 2 };
    if (/\/venues\/\{id\}$/.test(p)) return { name: 'Renamed Hall' };
    if (/\/cohorts\/\{id\}\/staff$/.test(p)) return { user_id: ctx.ids.facilitatorB, role: 'facilitator' };
    if (/\/events\/\{id\}$/.test(p)) return { title: 'Renamed by a stranger' };
    if (/\/events\/\{id\}\/bookings$/.test(p)) return {};
    if (/\/attendance$/.test(p)) return { marks: [{ user_id: ctx.ids.participant, status: 'absent' }] };
    if (/\/submissions\/\{id\}$/.test(p)) return { text: 'Overwritten by a stranger' };
    if (/\/feedback$/.test(p)) return { text: 'A stranger was here' };
    if (/\/marks$/.test(p)) return { criteria: [], outcome: 'fail' };
    if (/\/assessment-tasks\/\{id\}$/.test(p)) return { title: 'Renamed task' };
    if (/\/forums\/\{id\}\/threads$/.test(p)) return { title: 'A stranger was here', body: 'Hello' };
    if (/\/forums\/\{id\}\/subscription$/.test(p) && route.method !== 'DELETE') return { mode: 'each_post' };
    if (/\/forums\/threads\/\{id\}\/posts$/.test(p)) return { body: 'A stranger was here' };
    if (/\/forums\/threads\/\{id\}(\/moderate)?$/.test(p)) return { locked: true, action: 'lock' };
    if (/\/forums\/posts\/\{id\}(\/edit|\/hide)?$/.test(p)) return { body: 'A stranger was here', hidden: route.pattern.startsWith('/api') ? true : '1' };
    if (/\/forums\/posts\/\{id\}\/reports?$/.test(p)) return { reason: 'A stranger was here' };
    if (/\/forums\/reports\/\{id\}\/resolve$/.test(p)) return { outcome: 'hidden' };
    return {};
  }

  function urlFor(route) {
    const values = { ...ctx.params, id: ctx.records[route.resource] };
    if (route.pattern.includes('{step}')) values.step = route.pattern.startsWith('/api/v1/enrolments') || route.pattern.startsWith('/enrolments') ? 'defer' : 'decline';
    // The draft for changing answers; the submitted one for steps and reading.
    if (route.resource === 'application' && /\/(edit|check)$|^(PATCH)/.test(route.pattern + route.method)) values.id = ctx.records.draft;
    if (route.resource === 'application' && route.method === 'PATCH') values.id = ctx.records.draft;
    return route.pattern.replace(/\{([a-z_]+)\*?\}/g, (_, name) => {
      assert.ok(values[name] !== undefined, `no value for {${name}} in ${route.pattern}`);
      return encodeURIComponent(String(values[name]));
    });
  }

  async function newestAudit() {
    const events = (await ctx.admin.json('/api/v1/audit-events?limit=1')).events;
    return events.length ? events[0].id : 0;
  }

  test('every {id} route of npq routes names the kind of its record', () => {
    const unnamed = ctx.routes.filter((r) => r.resource === 'none').map((r) => `${r.method} ${r.pattern}`);
    assert.deepEqual(unnamed, [], 'routes with an {id} and no kind of record');
    const unknown = ctx.routes.filter((r) => !(r.resource in ctx.records)).map((r) => `${r.method} ${r.pattern} (${r.resource})`);
    assert.deepEqual(unknown, [], 'kinds of record this test has no record of: add one to before()');
  });

  test('people unrelated to a record are refused it on every {id} route, and nothing changes', async () => {
    const holes = [];
    for (const route of ctx.routes) {
      const key = `${route.method} ${route.pattern}`;
      const url = urlFor(route);
      for (const who of STRANGERS) {
        if ((OPEN[key] || []).includes(who)) continue;
        const unsafe = UNSAFE(route.method);
        const auditBefore = unsafe ? await newestAudit() : 0;
        let r;
        if (route.kind === 'api') {
          r = await ctx.as(who).request(route.method, url, unsafe ? { body: bodyFor(route) } : {});
        } else {
          const page = ctx.pages[who];
          r = route.method === 'GET' ? await page.get(url) : await page.post(url, bodyFor(route));
        }
        if (r.status !== 403 && r.status !== 404) holes.push(`${key} as ${who}: ${r.status} ${r.text.slice(0, 160)}`);
        if (unsafe) {
          const auditAfter = await newestAudit();
          if (auditAfter !== auditBefore) holes.push(`${key} as ${who}: changed something (audit event ${auditAfter})`);
        }
      }
    }
    assert.deepEqual(holes, [], `holes:\n  ${holes.join('\n  ')}`);
  });

  test('the records read the same after every stranger has tried them', async () => {
    // Spot checks of what the audit log would not show: the record as its owner sees it.
    const e = await ctx.admin.json(`/api/v1/enrolments/${ctx.records.enrolment}`);
    assert.equal(e.state, 'active');
    const cohort = await ctx.admin.json(`/api/v1/cohorts/${ctx.cA}`);
    assert.ok(!cohort.staff.some((s) => s.user_id === ctx.ids.facilitatorB), 'no stranger on the staff');
    const event = await ctx.admin.json(`/api/v1/events/${ctx.records.event}`);
    assert.equal(event.title, 'Day one');
    const user = await ctx.admin.json(`/api/v1/users/${ctx.ids.participant}`);
    assert.ok(!user.roles.some((g) => g.role === 'admin'), 'nobody made the participant an administrator');
    const draft = await ctx.admin.json(`/api/v1/applications/${ctx.records.draft}`);
    assert.equal(draft.job_role, 'Deputy head');
  });

  test('only a headteacher or an administrator can be named sponsor, and a refusal names nobody', async () => {
    const participant = ctx.as('participant');
    for (const who of ['participantB', 'coachB', 'leadB', 'deferred']) {
      const r = await participant.patch(`/api/v1/applications/${ctx.records.draft}`, { sponsor_id: ctx.ids[who] });
      assert.equal(r.status, 422, `${who} named sponsor: ${r.text}`);
      const body = r.json();
      assert.ok(body.error.fields.some((f) => f.field === 'sponsor_id'), r.text);
      assert.doesNotMatch(r.text, new RegExp(ctx.emails[who].replace('.', '\\.')), `${who}'s email is not echoed`);
      assert.doesNotMatch(r.text, /ParticipantB|CoachB|LeadB|Deferred/, `${who}'s name is not echoed`);
    }
    // Nobody at all looks the same.
    const missing = await participant.patch(`/api/v1/applications/${ctx.records.draft}`, { sponsor_id: 987654 });
    const other = await participant.patch(`/api/v1/applications/${ctx.records.draft}`, { sponsor_id: ctx.ids.participantB });
    assert.equal(missing.text, other.text, 'someone who may not sponsor is refused like nobody');
    const draft = await ctx.admin.json(`/api/v1/applications/${ctx.records.draft}`);
    assert.equal(draft.sponsor.id, ctx.ids.headteacher, 'the sponsor is still the headteacher');
  });

  test('a participant named sponsor of a submitted application still cannot approve it', async () => {
    // An administrator can name anyone; the policy still asks that the sponsor be a headteacher.
    const r = await ctx.admin.post('/api/v1/applications', {
      kind: 'qualification', target: 'NPQML', electives: ['leading-an-effective-team'], funding_route: 'school', delivery_model: 'blended', job_role: 'Head of year',
      participant_id: ctx.ids.deferred, sponsor_id: ctx.ids.participantB,
    });
    assert.equal(r.status, 422, `an administrator names a participant sponsor: ${r.text}`);
  });

  test("a partner lead cannot resume their participant into another partner's cohort", async () => {
    const pl = ctx.as('partner_lead');
    const r = await pl.post(`/api/v1/enrolments/${ctx.dee.enrolment}/resume`, { cohort_id: ctx.cB });
    assert.equal(r.status, 422, r.text);
    assert.ok(r.json().error.fields.some((f) => f.field === 'cohort_id'), r.text);
    assert.doesNotMatch(r.text, /HOLES-B/, "the other partner's cohort is not named");
    const e = await ctx.admin.json(`/api/v1/enrolments/${ctx.dee.enrolment}`);
    assert.equal(e.state, 'deferred');
    // An administrator may.
    const done = await ctx.admin.post(`/api/v1/enrolments/${ctx.dee.enrolment}/resume`, { cohort_id: ctx.cB });
    assert.equal(done.status, 200, done.text);
  });

  test("a partner lead cannot name another partner's facilitator, and learns no name from trying", async () => {
    const pl = ctx.as('partner_lead');
    const staff = await pl.post(`/api/v1/cohorts/${ctx.cA}/staff`, { user_id: ctx.ids.facilitatorB, role: 'facilitator' });
    assert.equal(staff.status, 422, staff.text);
    assert.doesNotMatch(staff.text, /FacilitatorB/);
    const missing = await pl.post(`/api/v1/cohorts/${ctx.cA}/staff`, { user_id: 987654, role: 'facilitator' });
    assert.equal(staff.text, missing.text, 'another partner\'s facilitator is refused like nobody');
    const notCoach = await pl.post(`/api/v1/cohorts/${ctx.cA}/staff`, { user_id: ctx.ids.participantB, role: 'coach' });
    assert.equal(notCoach.status, 422, notCoach.text);
    assert.doesNotMatch(notCoach.text, /ParticipantB/, 'a person who is no coach is not named');
    const event = await pl.post('/api/v1/events', { cohort_id: ctx.cA, kind: 'webinar', title: 'Webinar', joining_url: 'https://meet.example.test/w', ...FUTURE, capacity: 30, facilitator_id: ctx.ids.facilitatorB });
    assert.equal(event.status, 422, event.text);
    assert.ok(event.json().error.fields.some((f) => f.field === 'facilitator_id'), event.text);
    assert.doesNotMatch(event.text, /FacilitatorB/);
    const change = await pl.patch(`/api/v1/events/${ctx.records.event}`, { facilitator_id: ctx.ids.facilitatorB });
    assert.equal(change.status, 422, change.text);
    const cohort = await ctx.admin.json(`/api/v1/cohorts/${ctx.cA}`);
    assert.ok(!cohort.staff.some((s) => s.user_id === ctx.ids.facilitatorB));
    // Their own partner's facilitator, they may.
    const own = await ctx.as('partner_lead').patch(`/api/v1/events/${ctx.records.event}`, { facilitator_id: ctx.ids.facilitator });
    assert.equal(own.status, 200, own.text);
  });

  test('a facilitator whose role was revoked no longer reads or verifies their old cohort\'s learning log', async () => {
    const rex = ctx.as('revoked');
    const log = await rex.get(`/api/v1/enrolments/${ctx.records.enrolment}/activities`);
    assert.equal(log.status, 404, log.text);
    const verify = await rex.post(`/api/v1/enrolments/${ctx.records.enrolment}/activities/${ctx.params.activity}/verify`, {});
    assert.equal(verify.status, 404, verify.text);
    const page = await ctx.pages.revoked.get(`/enrolments/${ctx.records.enrolment}/hours`);
    assert.equal(page.status, 404);
    // The demo facilitator, who still holds the role, does.
    const fac = await ctx.as('facilitator').get(`/api/v1/enrolments/${ctx.records.enrolment}/activities`);
    assert.equal(fac.status, 200, fac.text);
  });
});
