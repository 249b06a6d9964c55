'use strict';
/*
 * One participant, end to end through the JSON API, from application to award: they apply for the
 * NPQSL with two electives, their headteacher sponsors it, the provider accepts, makes a cohort
 * and enrols them; an administrator sets a task for each of the four modules they study and the
 * NPQSL's final assessment; each piece of work is submitted, marked a pass by an assessor and
 * released by an administrator (one of them first referred, resubmitted and then passed); they
 * book and attend the cohort's four face-to-face days; the award check says at each stage what
 * remains and at last that they are eligible; the award is made; the certificate names the
 * address that verifies it, the verification page confirms it, and the transcript lists the four
 * modules.
 *
 * A fresh server on a fresh demo database (`npq demo`: participant@, headteacher@ of their school,
 * assessor@, admin@), with --base-url so that the verification address is the one it serves.
 * PDFs are read with pdftotext (Debian's poppler-utils).
 *
 *   NPQ_BIN=build/npq node --test --test-concurrency=1 tests/api/journey.test.js
 */
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFile } = require('node:child_process');
const fs = require('node:fs/promises');
const path = require('node:path');

const { prepareDemoDb, startServerWithArgs, apiAs } = require('./auth_helpers');
const { freePort } = require('./smtp_sink');
const { request } = require('./helpers');

const SL_TITLE = 'National Professional Qualification for Senior Leadership';
const ESSENTIALS = ['closing-the-gap', 'succeeding-in-senior-leadership'];
const ELECTIVES = ['improving-the-quality-of-teaching', 'school-self-evaluation'];
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
let demo; // {dir, dbPath, tokens, ids, emails}
let as; // API callers by demo role
let baseUrl;

const show = (r) => `${r.status} ${r.text.slice(0, 1500)}`;
const iso = (ms) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
const isoDate = (ms) => new Date(ms).toISOString().slice(0, 10);
function dateWords(date) {
  const [y, m, d] = date.split('-').map(Number);
  return `${d} ${MONTHS[m - 1]} ${y}`;
}

function expectStatus(r, status, what) {
  assert.equal(r.status, status, `${what}: expected ${status}, got ${show(r)}`);
  return r.status === 204 ? null : r.json();
}

function run(cmd, args) {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')}: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

before(async () => {
  demo = await prepareDemoDb();
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
});

after(async () => {
  await server?.stop();
});

test('a participant goes from application to a verified award through the API', async () => {
  const j = {}; // what the journey has made so far
  const orgs = (await as.admin.json('/api/v1/organisations')).organisations;
  const school = orgs.find((o) => o.kind === 'school' && o.urn === '100001').id;
  const partner = orgs.find((o) => o.kind === 'delivery_partner').id;

  /* ---- Applying, sponsoring, accepting, enrolling ---- */
  const application = expectStatus(
    await as.participant.post('/api/v1/applications', {
      kind: 'qualification',
      target: 'NPQSL',
      electives: ELECTIVES,
      school_id: school,
      sponsor_id: demo.ids.headteacher,
      job_role: 'Assistant head',
      delivery_model: 'blended',
      funding_route: 'school',
    }),
    201,
    'the participant drafts an application for the NPQSL',
  );
  const step = async (caller, name, body, state) => {
    const a = expectStatus(await caller.post(`/api/v1/applications/${application.id}/${name}`, body), 200, `${caller.label}: ${name}`);
    if (state) assert.equal(a.state, state, `${name} moves the application to ${state}`);
    return a;
  };
  await step(as.participant, 'submit', undefined, 'submitted');
  await step(as.headteacher, 'approve', undefined, 'sponsor_approved');
  await step(as.admin, 'accept', undefined, 'accepted');
  j.cohort = expectStatus(
    await as.admin.post('/api/v1/cohorts', {
      code: 'NPQSL-JOURNEY-1',
      kind: 'qualification',
      target: 'NPQSL',
      delivery_model: 'blended',
      delivery_partner_id: partner,
      starts_on: isoDate(Date.now() - 30 * DAY),
      ends_on: isoDate(Date.now() + 500 * DAY),
    }),
    201,
    'the provider makes a cohort',
  );
  const enrolled = await step(as.admin, 'enrol', { cohort_id: j.cohort.id }, 'enrolled');
  j.enrolment = await as.participant.json(`/api/v1/enrolments/${enrolled.enrolment_id}`);
  assert.equal(j.enrolment.state, 'active');
  assert.deepEqual(j.enrolment.electives.map((e) => (typeof e === 'string' ? e : e.code)).sort(), [...ELECTIVES].sort());

  const awardCheck = () => as.participant.json(`/api/v1/enrolments/${j.enrolment.id}/award-check`);
  let check = await awardCheck();
  assert.equal(check.eligible, false);
  for (const part of [/Closing the gap/, /Succeeding in senior leadership/, /2 electives/, /a pass in the final assessment/, /4 more face-to-face events/])
    assert.match(check.why, part, `at the start the award check names what remains: ${check.why}`);

  /* ---- Tasks: the four modules studied and the final assessment ---- */
  const setTask = async (kind, target, title) =>
    expectStatus(
      await as.admin.post('/api/v1/assessment-tasks', {
        kind,
        target,
        title,
        brief: `Show what you have learned in **${title}**.`,
        deadline: iso(Date.now() + 90 * DAY),
        word_limit: 2000,
        max_resubmissions: 1,
        moderation_percent: 0,
        criteria: [{ title: 'Applies the evidence' }, { title: 'Evaluates the impact' }],
      }),
      201,
      `set the task for ${target}`,
    );
  j.tasks = [];
  for (const module of [...ESSENTIALS, ...ELECTIVES]) j.tasks.push(await setTask('module', module, `${MODULE_TITLES[module]}: a school improvement`));
  j.tasks.push(await setTask('final', 'NPQSL', 'NPQSL final assessment: leading a change'));

  /* ---- Work: drafted, submitted, marked and released; closing the gap first referred ---- */
  const sub = (id, suffix = '') => `/api/v1/submissions/${id}${suffix}`;
  const write = async (id, text) =>
    expectStatus(await as.participant.patch(sub(id), { activity: 'Raising attendance across the school', text }), 200, 'write the draft');
  const submit = async (id, number) => {
    const receipt = expectStatus(await as.participant.post(sub(id, '/submit')), 200, 'submit');
    assert.equal(receipt.version.number, number);
    return receipt;
  };
  const mark = async (id, outcome) =>
    expectStatus(
      await as.assessor.post(sub(id, '/marks'), {
        outcome,
        feedback: outcome === 'pass' ? 'Well evidenced.' : 'Evaluate the impact, then resubmit.',
        criteria: [
          { met: true, comment: 'Clear' },
          { met: outcome === 'pass', comment: outcome === 'pass' ? 'Clear' : 'Not yet' },
        ],
      }),
      201,
      `mark ${outcome}`,
    );
  const release = async (id, state) => {
    const s = expectStatus(await as.admin.post(sub(id, '/release')), 200, 'release');
    assert.equal(s.state, state);
    return s;
  };

  for (const [i, task] of j.tasks.entries()) {
    const s = expectStatus(
      await as.participant.post('/api/v1/submissions', { task_id: task.id, enrolment_id: j.enrolment.id }),
      201,
      `start ${task.title}`,
    );
    await write(s.id, `How the school improved through ${task.title}. We measured attendance each week.`);
    await submit(s.id, 1);
    if (i === 0) {
      await mark(s.id, 'refer');
      await release(s.id, 'draft');
      const referred = expectStatus(await as.participant.get(sub(s.id)), 200, 'the referral');
      assert.equal(referred.versions[0].result.outcome, 'refer');
      assert.equal(referred.resubmissions_left, 1);
      check = await awardCheck();
      assert.ok(!check.facts.modules_completed.includes('closing-the-gap'), 'a referral completes nothing');
      await write(s.id, `${referred.draft.text} The impact was evaluated against last year.`);
      await submit(s.id, 2);
    }
    await mark(s.id, 'pass');
    const done = await release(s.id, 'released');
    assert.equal(done.versions.at(-1).result.outcome, 'pass');
  }

  check = await awardCheck();
  assert.deepEqual(check.facts.modules_completed.slice().sort(), [...ESSENTIALS, ...ELECTIVES].sort(), 'the four passes complete the four modules');
  assert.equal(check.facts.final_assessment_passed, true);
  assert.equal(check.eligible, false);
  assert.equal(check.why, 'needs 4 more face-to-face events', 'only the face-to-face days remain');

  /* ---- The cohort's four face-to-face days: booked, held, marked present ---- */
  const venue = expectStatus(
    await as.admin.post('/api/v1/venues', { delivery_partner_id: partner, name: 'Journey Hub', postcode: 'M1 1AE', capacity: 40 }),
    201,
    'add a venue',
  );
  for (let n = 1; n <= 4; n++) {
    // The register opens 30 minutes before the start: these start in a few minutes.
    const start = Date.now() + 10 * MINUTE;
    const event = expectStatus(
      await as.admin.post('/api/v1/events', {
        cohort_id: j.cohort.id,
        kind: 'face_to_face',
        title: `Face-to-face day ${n}`,
        venue_id: venue.id,
        starts_at: iso(start),
        ends_at: iso(start + 6 * 60 * MINUTE),
      }),
      201,
      `schedule day ${n}`,
    );
    expectStatus(await as.participant.post(`/api/v1/events/${event.id}/bookings`), 201, `the participant books day ${n}`);
    expectStatus(
      await as.admin.put(`/api/v1/events/${event.id}/attendance`, { marks: [{ user_id: demo.ids.participant, mark: 'present' }] }),
      200,
      `present on day ${n}`,
    );
    if (n === 3) {
      check = await awardCheck();
      assert.equal(check.eligible, false);
      assert.equal(check.why, 'needs 1 more face-to-face event', 'before the last day the check says what remains');
      expectStatus(await as.admin.post('/api/v1/awards', { enrolment_id: j.enrolment.id }), 422, 'an award before the last day');
    }
  }
  check = await awardCheck();
  assert.equal(check.facts.face_to_face_attended, 4);
  assert.equal(check.eligible, true, check.why);
  assert.equal(check.why, 'all requirements met');

  /* ---- The award, its certificate, its verification, the transcript ---- */
  const award = expectStatus(await as.admin.post('/api/v1/awards', { enrolment_id: j.enrolment.id }), 201, 'award the NPQSL');
  assert.equal(award.participant.id, demo.ids.participant);
  assert.deepEqual(award.qualification, { code: 'NPQSL', title: SL_TITLE });
  assert.equal(award.verification_url, `${baseUrl}/verify/${award.verification_code}`);
  assert.equal((await as.participant.json(`/api/v1/enrolments/${j.enrolment.id}`)).state, 'completed');

  const pdf = await as.participant.get(award.certificate_url);
  assert.equal(pdf.status, 200, show(pdf));
  assert.equal(pdf.headers.get('content-type'), 'application/pdf');
  const file = path.join(demo.dir, 'journey-certificate.pdf');
  await fs.writeFile(file, pdf.body);
  const certificate = (await run('pdftotext', ['-enc', 'UTF-8', file, '-'])).replace(/\s+/g, ' ');
  assert.ok(certificate.includes(award.verification_url), `the certificate gives the verification address:\n${certificate}`);
  for (const expected of ['Pat Participant', SL_TITLE, award.certificate_number])
    assert.ok(certificate.includes(expected), `the certificate says "${expected}"`);

  const verify = await request(server.url, new URL(award.verification_url).pathname);
  assert.equal(verify.status, 200, show(verify));
  for (const expected of ['Pat Participant', SL_TITLE, dateWords(award.awarded_on)])
    assert.ok(verify.text.includes(expected), `/verify shows "${expected}"`);

  const transcript = await as.participant.json(`/api/v1/participants/${demo.ids.participant}/transcript`);
  assert.deepEqual(transcript.modules.map((m) => m.code).sort(), [...ESSENTIALS, ...ELECTIVES].sort(), 'the transcript lists the four modules');
  assert.deepEqual(transcript.awards.map((a) => a.certificate_number), [award.certificate_number]);
  const page = await as.participant.get(`/participants/${demo.ids.participant}/transcript`);
  assert.equal(page.status, 200, show(page));
  for (const title of Object.values(MODULE_TITLES)) assert.ok(page.text.includes(title), `the transcript page lists ${title}`);
});
