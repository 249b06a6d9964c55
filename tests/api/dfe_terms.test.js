'use strict';
/*
 * Applications and participants in the DfE's terms, black-box: the real binary on a demo
 * database. An application for a course the DfE funds carries the answers the lead-provider API
 * asks for (TRN, school URN or UKPRN, employment type, headteacher status, SENCO details,
 * funding choice, eligibility, funded place, ineligibility reason), each checked with a 422 that
 * names it; rejection, deferral and withdrawal carry the DfE's reason code beside the note.
 *
 *   NPQ_BIN=build/npq node --test --test-concurrency=1 tests/api/dfe_terms.test.js
 *
 * The tests share one server and run in order.
 */
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');

const { prepareDemoDb, startServerWithArgs, apiAs, signIn } = require('./auth_helpers');
const { startSmtpSink, freePort } = require('./smtp_sink');

let sink;
let server;
let demo;
let as;
const org = {};
const cohort = {};
const shared = {};

function show(r) {
  return `${r.status} ${r.text.slice(0, 1500)}`;
}

function expectStatus(r, status, what) {
  assert.equal(r.status, status, `${what}: expected ${status}, got ${show(r)}`);
  return r.json();
}

/* A 422 naming each of fields (with a message matching its pattern), and no other field. */
function expect422(r, fields, what) {
  assert.equal(r.status, 422, `${what}: expected 422, got ${show(r)}`);
  const body = r.json();
  assert.equal(body.error.code, 'invalid');
  const got = body.error.fields;
  for (const [field, re] of Object.entries(fields))
    assert.ok(
      got.some((f) => f.field === field && re.test(f.message)),
      `${what}: an error at "${field}" matching ${re}; got ${JSON.stringify(got)}`,
    );
  assert.deepEqual([...new Set(got.map((f) => f.field))].sort(), Object.keys(fields).sort(), `${what}: only these fields`);
  return body;
}

function answers(target, extra = {}) {
  return {
    participant_id: demo.ids.participant,
    kind: 'qualification',
    target,
    electives: [],
    school_id: org.school,
    sponsor_id: demo.ids.headteacher,
    job_role: 'SENCO',
    delivery_model: 'online',
    funding_route: 'school',
    ...extra,
  };
}

/* Everything the DfE asks of a SENCO applicant, rightly answered. */
const SENCO_TERMS = {
  trn: '1234567',
  school_urn: '106286',
  employment_type: 'in_school',
  headteacher_status: 'no',
  works_as_senco: true,
  senco_start_date: '2021-09-01',
  funding_choice: 'school',
  eligible_for_funding: true,
  funded_place: true,
};

/* A signed-in person on the pages: GET and form POST answer {status, location, text}. */
async function visitor(email) {
  const session = await signIn(server, email);
  const answer = (r) => ({ status: r.status, location: r.headers.get('location'), text: r.text });
  return {
    get: async (pathname) => answer(await session.get(pathname)),
    async post(pathname, form = {}) {
      const params = new URLSearchParams(Object.entries(form));
      params.append('csrf_token', await session.csrfToken());
      return answer(
        await session.request('POST', pathname, {
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: params.toString(),
        }),
      );
    },
  };
}

/* The fields the GOV.UK error summary links to, in order. */
function errorFields(html) {
  const summary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html);
  return summary ? [...summary[0].matchAll(/<li><a href="#([^"]*)">/g)].map((m) => m[1]) : [];
}

const step = (id, name, body) => as.admin.post(`/api/v1/applications/${id}/${name}`, body);

before(async () => {
  sink = await startSmtpSink();
  demo = await prepareDemoDb();
  let lastError;
  for (let attempt = 0; attempt < 3 && !server; attempt++) {
    const port = await freePort();
    try {
      server = await startServerWithArgs(
        ['--listen', `127.0.0.1:${port}`, '--smtp-url', sink.url, '--base-url', `http://127.0.0.1:${port}`],
        { db: demo.dbPath, threads: 2 },
      );
    } catch (e) {
      lastError = e;
    }
  }
  if (!server) throw lastError;
  as = Object.fromEntries(Object.entries(demo.tokens).map(([role, token]) => [role, apiAs(server, token, role)]));
  const orgs = (await as.admin.json('/api/v1/organisations')).organisations;
  org.school = orgs.find((o) => o.kind === 'school' && o.urn === '100001').id;
  for (const [key, target] of [['senco', 'NPQSENCO'], ['sencoLater', 'NPQSENCO'], ['lt', 'NPQLT']]) {
    const starts = key === 'sencoLater' ? '2027-09-01' : '2026-09-01';
    cohort[key] = expectStatus(
      await as.admin.post('/api/v1/cohorts', {
        code: `${target}-${key}`,
        kind: 'qualification',
        target,
        delivery_model: 'online',
        starts_on: starts,
        ends_on: '2028-07-31',
      }),
      201,
      `add cohort for ${target}`,
    );
  }
});

after(async () => {
  if (server) await server.stop();
  if (sink) await sink.stop();
});

test('a draft refuses each DfE answer that is not in the DfE\'s format or list, by name', async () => {
  const bad = {
    trn: '123456',
    school_urn: '10628',
    school_ukprn: '20079319',
    employment_type: 'in_a_school',
    headteacher_status: 'yes',
    funding_choice: 'scholarship',
    eligible_for_funding: true,
    ineligibility_reason: 'previously-funded',
    works_as_senco: false,
    senco_start_date: '2021-09-01',
  };
  expect422(
    await as.admin.post('/api/v1/applications', answers('NPQSENCO', bad)),
    {
      trn: /7 digits/,
      school_urn: /6 digits/,
      school_ukprn: /8 digits beginning with 1/,
      employment_type: /DfE's list/,
      headteacher_status: /DfE's list/,
      funding_choice: /DfE's list/,
      ineligibility_reason: /only when the applicant is not eligible/,
      senco_start_date: /only for a SENCO/,
    },
    'malformed DfE answers',
  );
  // A funded place needs eligibility; a flag is true, false or null; a SENCO start is not in the future.
  expect422(
    await as.admin.post('/api/v1/applications', answers('NPQSENCO', { funded_place: true, eligible_for_funding: false })),
    { funded_place: /eligible for funding/ },
    'funded place without eligibility',
  );
  expect422(
    await as.admin.post('/api/v1/applications', answers('NPQSENCO', { works_as_senco: 'yes' })),
    { works_as_senco: /true, false or null/ },
    'a flag given as text',
  );
  expect422(
    await as.admin.post('/api/v1/applications', answers('NPQSENCO', { works_as_senco: true, senco_start_date: '2999-01-01' })),
    { senco_start_date: /future/ },
    'a SENCO start in the future',
  );
  // The edges of each format are accepted: an early years URN, a UKPRN, a TRN with leading zeros.
  const ok = expectStatus(
    await as.admin.post(
      '/api/v1/applications',
      answers('NPQSENCO', { trn: '0012345', school_urn: 'EY944860', school_ukprn: '10079319', employment_type: 'early_years_setting' }),
    ),
    201,
    'well-formed answers',
  );
  assert.equal(ok.trn, '0012345');
  assert.equal(ok.school_urn, 'EY944860');
  assert.equal(ok.school_ukprn, '10079319');
  assert.equal(ok.works_as_senco, null, 'not answered is null, not false');
});

test('submitting a DfE course needs what the DfE asks; the answers are kept exactly as given', async () => {
  const draft = expectStatus(await as.admin.post('/api/v1/applications', answers('NPQSENCO')), 201, 'draft');
  expect422(
    await step(draft.id, 'submit'),
    {
      trn: /teacher reference number/,
      employment_type: /where the applicant works/,
      headteacher_status: /headteacher/,
      funding_choice: /paid for/,
      works_as_senco: /SENCO/,
    },
    'a SENCO application without the DfE answers',
  );
  // Working as a SENCO needs the date they started; working outside a school needs the employer.
  let r = await as.admin.patch(`/api/v1/applications/${draft.id}`, {
    ...SENCO_TERMS,
    senco_start_date: null,
    employment_type: 'local_authority_supply_teacher',
    school_urn: null,
  });
  expectStatus(r, 200, 'save the answers');
  expect422(
    await step(draft.id, 'submit'),
    { senco_start_date: /started as SENCO/, employer_name: /employer/ },
    'a SENCO without a start date, a supply teacher without an employer',
  );
  r = await as.admin.patch(`/api/v1/applications/${draft.id}`, { ...SENCO_TERMS, employment_type: 'in_school', school_urn: null });
  expectStatus(r, 200, 'in a school, with neither URN nor UKPRN');
  expect422(await step(draft.id, 'submit'), { school_urn: /URN, or its UKPRN/ }, 'a school without its URN');
  // A UKPRN serves where the school has no URN.
  expectStatus(await as.admin.patch(`/api/v1/applications/${draft.id}`, { school_ukprn: '10079319' }), 200, 'UKPRN');
  const submitted = expectStatus(await step(draft.id, 'submit'), 200, 'submit');
  assert.equal(submitted.state, 'submitted');
  const got = await as.admin.json(`/api/v1/applications/${draft.id}`);
  for (const [k, v] of Object.entries({ ...SENCO_TERMS, school_urn: null, school_ukprn: '10079319' }))
    assert.deepEqual(got[k], v, `${k} is kept`);
  assert.equal(got.ineligibility_reason, null);
  assert.equal(got.rejection_reason_code, null);
});

test('a 2012 qualification needs no DfE answers, but any it gives are still checked', async () => {
  const draft = expectStatus(
    await as.admin.post('/api/v1/applications', {
      ...answers('NPQML'),
      participant_id: demo.ids.mentor,
      electives: ['leading-and-developing-staff'],
    }),
    201,
    'an NPQML draft',
  );
  expect422(await as.admin.patch(`/api/v1/applications/${draft.id}`, { trn: '12-3456' }), { trn: /7 digits/ }, 'a bad TRN');
  expectStatus(await step(draft.id, 'submit'), 200, 'submit without DfE answers');
});

test('rejecting a DfE course takes the DfE\'s reason code beside the note, and only a rejection does', async () => {
  const draft = expectStatus(
    await as.admin.post('/api/v1/applications', answers('NPQLT', { ...SENCO_TERMS, participant_id: demo.ids.coach, works_as_senco: null, senco_start_date: null })),
    201,
    'an NPQLT draft',
  );
  expectStatus(await step(draft.id, 'submit'), 200, 'submit');
  expect422(
    await as.headteacher.post(`/api/v1/applications/${draft.id}/approve`, { reason_code: 'rejected_by_provider' }),
    { reason_code: /Only a rejection/ },
    'a code on another step',
  );
  expectStatus(await as.headteacher.post(`/api/v1/applications/${draft.id}/approve`), 200, 'approve');
  expect422(await step(draft.id, 'reject', { reason: 'Places are full this year' }), { reason_code: /DfE's reason/ }, 'no code');
  expect422(
    await step(draft.id, 'reject', { reason: 'Places are full', reason_code: 'no-places' }),
    { reason_code: /DfE's list/ },
    'a code the DfE does not have',
  );
  // The note is still asked for, as it is what the applicant reads.
  expect422(await step(draft.id, 'reject', { reason_code: 'rejected_by_provider' }), { reason: /reason/ }, 'a code without a note');
  const rejected = expectStatus(
    await step(draft.id, 'reject', { reason: 'Places are full this year', reason_code: 'rejected_by_provider' }),
    200,
    'reject',
  );
  assert.equal(rejected.state, 'rejected');
  assert.equal(rejected.decision_reason, 'Places are full this year');
  assert.equal(rejected.rejection_reason_code, 'rejected_by_provider');
  const last = rejected.history.at(-1);
  assert.equal(last.step, 'reject');
  assert.equal(last.reason_code, 'rejected_by_provider');
  assert.equal(last.reason, 'Places are full this year');
});

test('deferring and withdrawing a DfE participant take the DfE\'s codes; resuming takes none', async () => {
  const draft = expectStatus(
    await as.admin.post('/api/v1/applications', answers('NPQSENCO', { ...SENCO_TERMS, participant_id: demo.ids.participant })),
    201,
    'a SENCO draft',
  );
  expectStatus(await step(draft.id, 'submit'), 200, 'submit');
  expectStatus(await as.headteacher.post(`/api/v1/applications/${draft.id}/approve`), 200, 'approve');
  expectStatus(await step(draft.id, 'accept'), 200, 'accept');
  const enrolled = expectStatus(await step(draft.id, 'enrol', { cohort_id: cohort.senco.id }), 200, 'enrol');
  const id = enrolled.enrolment_id;
  const eStep = (name, body) => as.admin.post(`/api/v1/enrolments/${id}/${name}`, body);
  const back = `${new Date().getUTCFullYear() + 1}-09-01`;

  expect422(await eStep('defer', { reason: 'On leave', expected_return: back }), { reason_code: /DfE's reason/ }, 'defer, no code');
  // A withdrawal's code is not a deferral's.
  expect422(
    await eStep('defer', { reason: 'On leave', reason_code: 'personal-reason-moving-school', expected_return: back }),
    { reason_code: /DfE's list/ },
    'defer with a withdrawal code',
  );
  const deferred = expectStatus(
    await eStep('defer', { reason: 'Parental leave until next year', reason_code: 'parental-leave', expected_return: back }),
    200,
    'defer',
  );
  assert.equal(deferred.state, 'deferred');
  assert.equal(deferred.reason_code, 'parental-leave');
  assert.equal(deferred.reason, 'Parental leave until next year');
  expect422(
    await eStep('resume', { cohort_id: cohort.sencoLater.id, reason_code: 'parental-leave' }),
    { reason_code: /Only deferring and withdrawing/ },
    'resume with a code',
  );
  expectStatus(await eStep('resume', { cohort_id: cohort.sencoLater.id }), 200, 'resume');
  // The DfE's own spelling of a withdrawal reason, full stop and all.
  expect422(
    await eStep('withdraw', { reason: 'Not suitable', reason_code: 'quality-of-programme-structure-not-suitable' }),
    { reason_code: /DfE's list/ },
    'withdraw, code without its full stop',
  );
  const withdrawn = expectStatus(
    await eStep('withdraw', { reason: 'The structure did not suit them', reason_code: 'quality-of-programme-structure-not-suitable.' }),
    200,
    'withdraw',
  );
  assert.equal(withdrawn.state, 'withdrawn');
  assert.equal(withdrawn.reason_code, 'quality-of-programme-structure-not-suitable.');
});

test('the applicant is not the one to decide their own funding', async () => {
  const own = apiAs(server, demo.tokens.participant, 'participant');
  const r = await own.post('/api/v1/applications', { ...answers('NPQLL'), participant_id: undefined, funded_place: true });
  assert.equal(r.status, 403, show(r));
  assert.match(r.json().error.message, /administrator decides funding/);
  const draft = expectStatus(await own.post('/api/v1/applications', { ...answers('NPQLL'), participant_id: undefined, trn: '7654321' }), 201, 'own draft');
  assert.equal(draft.trn, '7654321');
  assert.equal(draft.eligible_for_funding, null);
  shared.ownDraft = draft.id;
});

test('the application pages ask the DfE questions, with the same rules and errors as the API', async () => {
  const pat = await visitor('participant@demo.npq.test');
  const edit = await pat.get(`/applications/${shared.ownDraft}/edit`);
  assert.equal(edit.status, 200);
  assert.match(edit.text, /For the Department for Education/);
  for (const name of ['trn', 'employment_type', 'school_urn', 'school_ukprn', 'headteacher_status', 'funding_choice'])
    assert.match(edit.text, new RegExp(`name="${name}"`), `the form asks ${name}`);
  // Not a SENCO course: no SENCO questions; not an administrator: no funding decision.
  assert.doesNotMatch(edit.text, /name="works_as_senco"/);
  assert.doesNotMatch(edit.text, /name="funded_place"/);
  const form = {
    school_id: String(org.school),
    sponsor_id: String(demo.ids.headteacher),
    job_role: 'Literacy lead',
    delivery_model: 'online',
    funding_route: 'school',
    trn: '12345',
    employment_type: 'in_school',
    school_urn: '',
    headteacher_status: 'no',
    funding_choice: 'school',
  };
  const bad = await pat.post(`/applications/${shared.ownDraft}/edit`, form);
  assert.equal(bad.status, 422);
  assert.deepEqual(errorFields(bad.text), ['trn']);
  assert.match(bad.text, /7 digits, like 1234567/);
  // Saved, then checked as submission will: the school's URN is wanted beside its question.
  const missing = await pat.post(`/applications/${shared.ownDraft}/edit`, { ...form, trn: '1234567' });
  assert.equal(missing.status, 422);
  assert.deepEqual(errorFields(missing.text), ['school_urn']);
  const saved = await pat.post(`/applications/${shared.ownDraft}/edit`, { ...form, trn: '1234567', school_urn: '106286' });
  assert.equal(saved.status, 303, saved.text.slice(0, 300));
  const check = await pat.get(saved.location);
  assert.match(check.text, /Teacher reference number \(TRN\)[\s\S]*?1234567/);
  assert.match(check.text, /A headteacher|Not a headteacher/);
  const got = await as.admin.json(`/api/v1/applications/${shared.ownDraft}`);
  assert.equal(got.trn, '1234567');
  assert.equal(got.school_urn, '106286');
  assert.equal(got.employment_type, 'in_school');

  // The administrator's form has the funding decision, checked as the API checks it.
  const admin = await visitor('admin@demo.npq.test');
  const adminEdit = await admin.get(`/applications/${shared.ownDraft}/edit`);
  assert.match(adminEdit.text, /name="funded_place"/);
  const decided = await admin.post(`/applications/${shared.ownDraft}/edit`, {
    ...form,
    trn: '1234567',
    school_urn: '106286',
    eligible_for_funding: 'no',
    funded_place: 'yes',
  });
  assert.equal(decided.status, 422);
  assert.deepEqual(errorFields(decided.text), ['funded_place']);
});

test('a rejection on the page offers the DfE\'s reasons and keeps the one chosen', async () => {
  const id = shared.ownDraft;
  expectStatus(await step(id, 'submit'), 200, 'submit');
  expectStatus(await as.headteacher.post(`/api/v1/applications/${id}/approve`), 200, 'approve');
  const admin = await visitor('admin@demo.npq.test');
  const page = await admin.get(`/applications/${id}`);
  assert.match(page.text, /<select[^>]*name="reason_code"/);
  assert.match(page.text, /value="other_application_in_this_cohort_accepted"/);
  const none = await admin.post(`/applications/${id}/reject`, { reason: 'No places left' });
  assert.equal(none.status, 422);
  assert.deepEqual(errorFields(none.text), ['reason_code']);
  const done = await admin.post(`/applications/${id}/reject`, { reason: 'No places left', reason_code: 'registration_expired' });
  assert.equal(done.status, 303);
  const shown = await admin.get(done.location);
  assert.match(shown.text, /The DfE&#39;s reason for the rejection[\s\S]*?The registration expired/);
  assert.equal((await as.admin.json(`/api/v1/applications/${id}`)).rejection_reason_code, 'registration_expired');
});

test('a participant changes DfE schedule only to one of their course group that the catalogue has', async () => {
  const draft = expectStatus(
    await as.admin.post('/api/v1/applications', answers('NPQSENCO', { ...SENCO_TERMS, participant_id: demo.ids.mentor })),
    201,
    'a SENCO draft',
  );
  expectStatus(await step(draft.id, 'submit'), 200, 'submit');
  expectStatus(await as.headteacher.post(`/api/v1/applications/${draft.id}/approve`), 200, 'approve');
  expectStatus(await step(draft.id, 'accept'), 200, 'accept');
  const id = expectStatus(await step(draft.id, 'enrol', { cohort_id: cohort.senco.id }), 200, 'enrol').enrolment_id;
  shared.sencoEnrolment = id;
  assert.equal((await as.admin.json(`/api/v1/enrolments/${id}`)).schedule, null, 'no schedule until one is chosen');
  const change = (body) => as.admin.post(`/api/v1/enrolments/${id}/schedule`, body);

  expect422(await change({ schedule_identifier: 'npq-leadership-autumn', cohort: 2025 }), { schedule_identifier: /Specialist courses/ }, 'another group');
  expect422(await change({ schedule_identifier: 'npq-specialist-summer', cohort: 2025 }), { schedule_identifier: /catalogue has/ }, 'no such schedule');
  expect422(await change({ schedule_identifier: 'npq-specialist-spring', cohort: 2030 }), { schedule_identifier: /catalogue has/ }, 'no such cohort');
  expect422(await change({ schedule_identifier: 'npq-specialist-spring' }), { cohort: /year from 2021/ }, 'no cohort');
  // Those who manage enrolments change it; the participant does not choose their own.
  const own = apiAs(server, demo.tokens.mentor, 'mentor');
  assert.equal((await own.post(`/api/v1/enrolments/${id}/schedule`, { schedule_identifier: 'npq-specialist-spring', cohort: 2025 })).status, 403);

  const moved = expectStatus(await change({ schedule_identifier: 'npq-specialist-spring', cohort: 2025 }), 200, 'change');
  assert.deepEqual(moved.schedule, { identifier: 'npq-specialist-spring', cohort: 2025 });
  const last = moved.history.at(-1);
  assert.equal(last.step, 'change_schedule');
  assert.match(last.reason, /npq-specialist-spring, cohort 2025/);
  const again = expectStatus(await change({ schedule_identifier: 'npq-specialist-autumn', cohort: 2026 }), 200, 'change again');
  assert.deepEqual(again.schedule, { identifier: 'npq-specialist-autumn', cohort: 2026 });

  // A 2012 qualification has no DfE schedule.
  const ml = expectStatus(
    await as.admin.post('/api/v1/applications', { ...answers('NPQML'), participant_id: demo.ids.coach, electives: ['leading-and-developing-staff'] }),
    201,
    'an NPQML draft',
  );
  expectStatus(await step(ml.id, 'submit'), 200, 'submit');
  expectStatus(await as.headteacher.post(`/api/v1/applications/${ml.id}/approve`), 200, 'approve');
  expectStatus(await step(ml.id, 'accept'), 200, 'accept');
  const mlCohort = expectStatus(
    await as.admin.post('/api/v1/cohorts', { code: 'NPQML-DFE-TEST', kind: 'qualification', target: 'NPQML', delivery_model: 'online', starts_on: '2026-09-01', ends_on: '2027-07-31' }),
    201,
    'an NPQML cohort',
  );
  const mlId = expectStatus(await step(ml.id, 'enrol', { cohort_id: mlCohort.id }), 200, 'enrol').enrolment_id;
  expect422(
    await as.admin.post(`/api/v1/enrolments/${mlId}/schedule`, { schedule_identifier: 'npq-leadership-autumn', cohort: 2025 }),
    { schedule_identifier: /Only a course the DfE funds/ },
    'a 2012 qualification',
  );
});

test('the enrolment page shows the schedule and its milestones, and changes it with the same rules', async () => {
  const id = shared.sencoEnrolment;
  const admin = await visitor('admin@demo.npq.test');
  const page = await admin.get(`/enrolments/${id}`);
  assert.equal(page.status, 200);
  assert.match(page.text, /Specialist courses starting in the autumn \(npq-specialist-autumn, cohort 2026\)/);
  assert.match(page.text, /Milestones: when each declaration may be dated/);
  assert.match(page.text, /<td class="govuk-table__cell">Retained 1<\/td>/);
  assert.doesNotMatch(page.text, /<td class="govuk-table__cell">Retained 2<\/td>/, 'a specialist schedule has no retained-2');
  assert.match(page.text, /<option value="npq-specialist-spring\/2025"/);
  assert.doesNotMatch(page.text, /<option value="npq-leadership-autumn\//, 'only schedules of the course group are offered');
  const wrong = await admin.post(`/enrolments/${id}/schedule`, { schedule_identifier: 'npq-leadership-autumn/2025' });
  assert.equal(wrong.status, 422);
  assert.deepEqual(errorFields(wrong.text), ['schedule_identifier']);
  const done = await admin.post(`/enrolments/${id}/schedule`, { schedule_identifier: 'npq-specialist-spring/2026' });
  assert.equal(done.status, 303);
  const after = await admin.get(done.location);
  assert.match(after.text, /The participant&#39;s DfE schedule is changed|The participant's DfE schedule is changed/);
  assert.match(after.text, /npq-specialist-spring, cohort 2026/);
  assert.deepEqual((await as.admin.json(`/api/v1/enrolments/${id}`)).schedule, { identifier: 'npq-specialist-spring', cohort: 2026 });
});

test('declarations are due from attendance at the cohort\'s events, each with its evidence', async (t) => {
  const id = shared.sencoEnrolment;
  // A specialist schedule whose started window is open today, from the catalogue itself.
  const catalogue = JSON.parse(require('node:fs').readFileSync(require('node:path').join(__dirname, '../../catalogue/default.json'), 'utf8'));
  const when = new Date(Date.now() + 10 * 60 * 1000);
  const day = when.toISOString().slice(0, 10);
  const open = catalogue.schedules.find(
    (s) => s.course_group === 'specialist' && s.milestones.some((m) => m.declaration_type === 'started' && m.start_date <= day && (!m.milestone_date || day <= m.milestone_date)),
  );
  if (!open) return t.skip(`the default catalogue has no specialist schedule open on ${day}: add the next cohort's`);
  expectStatus(await as.admin.post(`/api/v1/enrolments/${id}/schedule`, { schedule_identifier: open.identifier, cohort: open.cohort }), 200, 'schedule');

  const before = expectStatus(await as.admin.get(`/api/v1/enrolments/${id}/declarations`), 200, 'declarations');
  assert.deepEqual(before.schedule, { identifier: open.identifier, cohort: open.cohort, title: open.title });
  assert.deepEqual(before.due, [], 'nothing attended, nothing due');
  assert.deepEqual(before.made, []);

  const event = expectStatus(
    await as.admin.post('/api/v1/events', {
      cohort_id: cohort.senco.id,
      kind: 'virtual_live',
      title: 'SENCO session 1',
      venue_id: null,
      joining_url: 'https://meet.example.org/senco',
      capacity: 20,
      starts_at: when.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      ends_at: new Date(when.getTime() + 2 * 3600 * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    }),
    201,
    'an event',
  );
  expectStatus(await apiAs(server, demo.tokens.mentor, 'mentor').post(`/api/v1/events/${event.id}/bookings`), 201, 'book');
  // Booked is not attended: still nothing due.
  assert.deepEqual((await as.admin.json(`/api/v1/enrolments/${id}/declarations`)).due, []);
  const absent = await as.admin.put(`/api/v1/events/${event.id}/attendance`, { marks: [{ user_id: demo.ids.mentor, mark: 'absent' }] });
  assert.equal(absent.status, 200, show(absent));
  assert.deepEqual((await as.admin.json(`/api/v1/enrolments/${id}/declarations`)).due, [], 'absent is no evidence');
  const present = await as.admin.put(`/api/v1/events/${event.id}/attendance`, {
    marks: [{ user_id: demo.ids.mentor, mark: 'present', reason: 'Joined after the register was first taken' }],
  });
  assert.equal(present.status, 200, show(present));
  const after = await as.admin.json(`/api/v1/enrolments/${id}/declarations`);
  assert.deepEqual(after.due, [{ declaration_type: 'started', declaration_date: day, evidence: 'Attended SENCO session 1' }]);
  const admin = await visitor('admin@demo.npq.test');
  const page = await admin.get(`/enrolments/${id}`);
  assert.match(page.text, /<ul class="govuk-list govuk-list--bullet" data-testid="declarations-due"><li>Started, dated [^<]*: Attended SENCO session 1<\/li><\/ul>/);
  // A participant does not read what the provider is paid for.
  assert.equal((await apiAs(server, demo.tokens.mentor, 'mentor').get(`/api/v1/enrolments/${id}/declarations`)).status, 403);
});
