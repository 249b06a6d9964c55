'use strict';
/*
 * The application and enrolment pages over HTTP, as the demo's people use them: a participant
 * applies (start, questions, check, submit), the sponsor is emailed a link and approves on that
 * page, the provider accepts and enrols; then the enrolment is deferred and the pathway shown.
 * Along the way, the refusals a person can meet: wrong electives (422), a step they may not take
 * (403), a step out of order (409), someone else's application (404).
 *
 *   NPQ_BIN=build/npq node --test --test-concurrency=1 tests/api/application_pages.test.js
 */
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { poll } = require('./helpers');
const { signIn, startDemoServer, printedMails } = require('./auth_helpers');

const PARTICIPANT = 'participant@demo.npq.test';
const HEADTEACHER = 'headteacher@demo.npq.test';
const ADMIN = 'admin@demo.npq.test';
const OTHER = { email: 'olu.other@demo.npq.test', name: 'Olu Other', role: 'participant', password: 'quiet-harbour-lantern-42' };

let server;
let adminToken;
let participantId;

/*
 * A signed-in person (auth_helpers' Session) seen through these pages: GET and form POST answer
 * {status, location, text}. Forms may repeat a field (the elective checkboxes), so they are lists
 * of pairs or objects; the CSRF token is added.
 */
async function visitor(email, password) {
  const session = await signIn(server, email, password);
  const answer = (r) => ({ status: r.status, location: r.headers.get('location'), text: r.text });
  return {
    async get(pathname) {
      return answer(await session.get(pathname));
    },
    async post(pathname, form = {}) {
      const params = new URLSearchParams(Array.isArray(form) ? form : Object.entries(form));
      params.append('csrf_token', await session.csrfToken());
      return answer(await session.request('POST', pathname, {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: params.toString(),
      }));
    },
  };
}

/* The messages of the GOV.UK error summary, in order. */
function errorMessages(html) {
  const summary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html);
  if (!summary) return [];
  return [...summary[0].matchAll(/<li><a href="#([^"]*)">([^<]*)<\/a><\/li>/g)].map((m) => `${m[1]}: ${decode(m[2]).replace(/\.$/, '')}`);
}

function decode(s) {
  return s.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/* The options of a <select name=...>, as [value, label]. */
function options(html, name) {
  const select = new RegExp(`<select[^>]* name="${name}"[^>]*>([\\s\\S]*?)</select>`).exec(html);
  assert.ok(select, `a select named ${name}`);
  return [...select[1].matchAll(/<option value="([^"]*)"[^>]*>([^<]*)<\/option>/g)].map((m) => [m[1], decode(m[2])]);
}

function optionValue(html, name, label) {
  const found = options(html, name).find(([, l]) => l.startsWith(label));
  assert.ok(found, `${name} offers ${label}: ${JSON.stringify(options(html, name))}`);
  return found[0];
}

function stateTag(html) {
  const m = /data-testid="state">([^<]*)</.exec(html);
  return m ? decode(m[1]) : null;
}

/* Submit buttons of the page's main content, as [form action or formaction, text]. */
function buttons(html) {
  const main = html.slice(html.indexOf('<main'), html.indexOf('</main>'));
  const out = [];
  for (const form of main.matchAll(/<form method="post" action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/g)) {
    for (const b of form[2].matchAll(/<button type="submit"(?: formaction="([^"]*)")?[^>]*>([^<]*)<\/button>/g)) {
      out.push([b[1] || form[1], decode(b[2])]);
    }
  }
  return out;
}

function main(html) {
  return html.slice(html.indexOf('<main'), html.indexOf('</main>'));
}

async function api(pathname, { method = 'GET', body } = {}) {
  const res = await fetch(new URL(pathname, server.url), {
    method,
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json', connection: 'close' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/* The edit form's answers, complete, as the browser would send them. */
function answers(overrides = {}) {
  const a = {
    electives: ['improving-the-quality-of-teaching', 'school-self-evaluation'],
    school_id: '',
    job_role: 'Assistant headteacher',
    sponsor_id: '',
    delivery_model: 'blended',
    preferred_region: 'North West',
    preferred_partner_id: '',
    funding_route: 'school',
    scholarship_eligibility: '',
    ...overrides,
  };
  const pairs = [];
  for (const [k, v] of Object.entries(a)) {
    if (Array.isArray(v)) for (const x of v) pairs.push([k, x]);
    else pairs.push([k, v]);
  }
  return pairs;
}

before(async () => {
  const demo = await startDemoServer({ extraUsers: { other: OTHER } });
  server = demo.server;
  adminToken = demo.tokens.admin;
  participantId = demo.ids.participant;
});

after(async () => {
  if (server) await server.stop();
});

let applicationId;
let schoolId;
let sponsorId;
let partnerId;
let enrolmentId;

test('a participant starts an application on the start page', async () => {
  const pat = await visitor(PARTICIPANT);
  const list = await pat.get('/applications');
  assert.equal(list.status, 200);
  assert.match(list.text, /<a class="govuk-service-navigation__link" href="\/applications" aria-current="page">/, 'the navigation marks Applications');
  assert.match(list.text, /href="\/apply"[^>]*>Start an application</);
  assert.match(list.text, new RegExp(`href="/participants/${participantId}/pathway">Your pathway</a>`));

  // Fees come from the provider's fee list; unset ones are to be confirmed.
  const fee = await api('/api/v1/fees', { method: 'PUT', body: { kind: 'qualification', code: 'NPQH', amount_pence: 125050 } });
  assert.equal(fee.status, 200, JSON.stringify(fee.body));

  const start = await pat.get('/apply');
  assert.equal(start.status, 200);
  const body = main(start.text);
  assert.match(body, /<h1 class="govuk-fieldset__heading">What do you want to apply for\?<\/h1>/);
  for (const [code, hint] of [
    ['NPQML', '2 essential and 1 elective module. Fees to be confirmed.'],
    ['NPQSL', '2 essential and 2 elective modules. Fees to be confirmed.'],
    ['NPQH', '3 essential and 2 elective modules. Fee: £1,250.50.'],
  ]) {
    assert.match(body, new RegExp(`name="choice" type="radio" value="${code}"`), `a radio for ${code}`);
    assert.match(body, new RegExp(`\\(${code}\\)</label><div id="[^"]+" class="govuk-hint govuk-radios__hint">${hint.replace(/[.()]/g, '\\$&')}</div>`), `${code}'s rule and fee`);
  }
  assert.match(body, /value="module"[^>]*><label[^>]*>A single module studied alone</);
  assert.ok(options(start.text, 'module').some(([v, l]) => v === 'closing-the-gap' && l === 'Closing the gap'), 'modules to study alone');

  // Nothing chosen: the domain's words, at the question.
  const none = await pat.post('/apply', {});
  assert.equal(none.status, 422);
  assert.deepEqual(errorMessages(none.text), ['target: Choose a qualification to apply for']);

  // A module studied alone: the module must be chosen; its questions have no electives.
  const noModule = await pat.post('/apply', { choice: 'module', module: '' });
  assert.equal(noModule.status, 422);
  assert.deepEqual(errorMessages(noModule.text), ['target: Choose a module to study']);
  const open = /value="module" checked data-reveals="(conditional-target-\d+)"/.exec(noModule.text);
  assert.ok(open, 'the module choice stays chosen');
  assert.match(noModule.text, new RegExp(`class="govuk-radios__conditional" id="${open[1]}"`), 'the module list stays open');
  const alone = await pat.post('/apply', { choice: 'module', module: 'closing-the-gap' });
  assert.equal(alone.status, 303);
  const aloneEdit = await pat.get(alone.location);
  assert.equal(aloneEdit.status, 200);
  assert.match(aloneEdit.text, /<span class="govuk-caption-l">Closing the gap<\/span>/);
  assert.doesNotMatch(aloneEdit.text, /name="electives"/);

  const made = await pat.post('/apply', { choice: 'NPQSL' });
  assert.equal(made.status, 303);
  const m = /^\/applications\/(\d+)\/edit$/.exec(made.location);
  assert.ok(m, `redirected to the questions: ${made.location}`);
  applicationId = Number(m[1]);
});

test('the questions refuse wrong electives in the domain words, then save and continue', async () => {
  const pat = await visitor(PARTICIPANT);
  const edit = await pat.get(`/applications/${applicationId}/edit`);
  assert.equal(edit.status, 200);
  const body = main(edit.text);
  assert.match(body, /<div id="electives-hint" class="govuk-hint">Choose 2<\/div>/);
  assert.match(body, /data-testid="essential">[\s\S]*<li>Closing the gap<\/li><li>Succeeding in senior leadership<\/li>/);
  assert.doesNotMatch(body, /name="electives" type="checkbox" value="closing-the-gap"/, 'an essential module is not offered as an elective');
  for (const strand of ['Educational excellence', 'Operational management', 'Strategic leadership']) assert.match(body, new RegExp(`<h3[^>]*>${strand}</h3>`));
  assert.match(body, /4 face-to-face events, webinars, online study and coaching/);
  assert.match(body, /Virtual live events replace the face-to-face events/);
  assert.match(body, /The headteacher of your school, who must approve/);
  schoolId = optionValue(edit.text, 'school_id', 'Riverside Primary School');
  sponsorId = optionValue(edit.text, 'sponsor_id', 'Hana Headteacher');
  partnerId = optionValue(edit.text, 'preferred_partner_id', 'North West Teaching School Hub');
  // The participant's school is already chosen; only headteachers are offered as sponsors.
  assert.match(edit.text, new RegExp(`<option value="${schoolId}" selected>Riverside Primary School</option>`));
  assert.deepEqual(options(edit.text, 'sponsor_id').map(([, l]) => l), ['Choose your sponsor', 'Hana Headteacher']);

  const three = await pat.post(`/applications/${applicationId}/edit`, answers({
    electives: ['improving-the-quality-of-teaching', 'school-self-evaluation', 'leading-in-a-diverse-system'],
    school_id: schoolId,
    sponsor_id: sponsorId,
  }));
  assert.equal(three.status, 422);
  const threeErrors = errorMessages(three.text);
  assert.equal(threeErrors.length, 1, threeErrors.join('; '));
  assert.match(threeErrors[0], /^electives: Choose 2 elective modules/);
  assert.match(three.text, /<p id="electives-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:<\/span> Choose 2 elective modules/);
  assert.match(three.text, /<title>Error: Your application – NPQ<\/title>/);
  assert.match(three.text, /value="leading-in-a-diverse-system" checked/, 'the choices are kept');

  // Saved as a draft even so; submitting it now is refused on the check page.
  const refused = await pat.post(`/applications/${applicationId}/submit`);
  assert.equal(refused.status, 422);
  assert.match(refused.text, /<h1 class="govuk-heading-l">Check your answers<\/h1>/);
  assert.match(errorMessages(refused.text)[0], /^electives: Choose 2 elective modules/);

  const essential = await pat.post(`/applications/${applicationId}/edit`, answers({
    electives: ['closing-the-gap', 'school-self-evaluation'],
    school_id: schoolId,
    sponsor_id: sponsorId,
  }));
  assert.equal(essential.status, 422);
  const essentialErrors = errorMessages(essential.text);
  assert.equal(essentialErrors.length, 1, essentialErrors.join('; '));
  assert.match(essentialErrors[0], /^electives: Closing the gap is an essential module/);

  // No sponsor, and a scholarship without a reason.
  const gaps = await pat.post(`/applications/${applicationId}/edit`, answers({ school_id: schoolId, funding_route: 'scholarship' }));
  assert.equal(gaps.status, 422);
  assert.deepEqual(errorMessages(gaps.text), [
    'sponsor_id: Name the headteacher or sponsor who must approve your application',
    'scholarship_eligibility: Say why you are eligible for a scholarship',
  ]);
  assert.match(gaps.text, /class="govuk-radios__conditional" id="conditional-funding_route-3"/, 'the reason box is shown under Scholarship');

  const saved = await pat.post(`/applications/${applicationId}/edit`, answers({
    school_id: schoolId,
    sponsor_id: sponsorId,
    job_role: 'Assistant head <b>& "co"</b>',
    preferred_partner_id: partnerId,
  }));
  assert.equal(saved.status, 303, errorMessages(saved.text).join('; '));
  assert.equal(saved.location, `/applications/${applicationId}/check`);
});

test('check your answers, then submit: the sponsor is emailed a link to the application', async () => {
  const pat = await visitor(PARTICIPANT);
  const check = await pat.get(`/applications/${applicationId}/check`);
  assert.equal(check.status, 200);
  const body = main(check.text);
  assert.match(body, /<h1 class="govuk-heading-l">Check your answers<\/h1>/);
  assert.match(body, /<li>Improving the quality of teaching<\/li><li>School self-evaluation<\/li>/);
  assert.match(body, /Assistant head &lt;b&gt;&amp; &quot;co&quot;&lt;\/b&gt;/, 'answers are escaped');
  assert.match(body, /Hana Headteacher/);
  assert.match(body, new RegExp(`href="/applications/${applicationId}/edit#electives">Change<span class="govuk-visually-hidden"> Elective modules</span>`));
  assert.match(body, /School-funded/);
  assert.deepEqual(buttons(check.text), [[`/applications/${applicationId}/submit`, 'Submit application']]);

  const sent = await pat.post(`/applications/${applicationId}/submit`);
  assert.equal(sent.status, 303);
  assert.equal(sent.location, `/applications/${applicationId}?done=submit`);
  const page = await pat.get(sent.location);
  assert.equal(page.status, 200);
  assert.equal(stateTag(page.text), 'Waiting for the sponsor');
  assert.match(page.text, /govuk-notification-banner--success[\s\S]*The application is submitted\./);
  assert.match(main(page.text), /<strong>Submit<\/strong>: Waiting for the sponsor/, 'the history has the step');

  // The sponsor's email, printed by the mailer when no SMTP server is set.
  const mail = await poll(() => printedMails(server).find((m) => m.to === HEADTEACHER), { timeoutMs: 10000 });
  assert.ok(mail, `the sponsor was emailed:\n${server.stdout()}`);
  assert.equal(mail.subject, 'An NPQ application needs your approval');
  assert.match(mail.body, /^Dear Hana Headteacher,/);
  assert.match(mail.body, /Pat Participant has applied for the National Professional Qualification for Senior Leadership/);
  assert.match(mail.body, new RegExp(`^https?://\\S+/applications/${applicationId}$`, 'm'), 'the email links to the application page');

  // The query text is never shown: only the fixed sentence of a known step.
  const odd = await pat.get(`/applications/${applicationId}?done=%3Cb%3Ehello`);
  assert.doesNotMatch(odd.text, /govuk-notification-banner/);
  assert.doesNotMatch(odd.text, /hello/);
});

test('who may do what: the participant cannot approve, nobody accepts before approval, strangers see nothing', async () => {
  const pat = await visitor(PARTICIPANT);
  const page = await pat.get(`/applications/${applicationId}`);
  assert.deepEqual(buttons(page.text), [], 'the participant has no step to take now');
  assert.doesNotMatch(main(page.text), />Approve</);
  const approve = await pat.post(`/applications/${applicationId}/approve`);
  assert.equal(approve.status, 403);
  assert.deepEqual(errorMessages(approve.text), ['step: You cannot approve this application']);
  assert.match(approve.text, /<h2 class="govuk-heading-m" id="step">/, 'the summary links to the actions');
  // Editing a submitted application is no longer possible.
  const edit = await pat.get(`/applications/${applicationId}/edit`);
  assert.equal(edit.status, 303);
  assert.equal(edit.location, `/applications/${applicationId}`);
  const late = await pat.post(`/applications/${applicationId}/edit`, answers({ school_id: schoolId, sponsor_id: sponsorId }));
  assert.equal(late.status, 409);
  assert.deepEqual(errorMessages(late.text), ['state: Only a draft application can be changed']);

  const admin = await visitor(ADMIN);
  const early = await admin.post(`/applications/${applicationId}/accept`);
  assert.equal(early.status, 409);
  assert.match(errorMessages(early.text)[0], /^state: The provider can only accept an application its sponsor has approved\. This application is Waiting for the sponsor$/);

  const other = await visitor(OTHER.email, OTHER.password);
  for (const p of [`/applications/${applicationId}`, `/applications/${applicationId}/check`, `/participants/${participantId}/pathway`]) {
    const r = await other.get(p);
    assert.equal(r.status, 404, `${p} is not there for another participant`);
    assert.doesNotMatch(r.text, /Pat Participant/);
  }
  const mine = await other.get('/applications');
  assert.doesNotMatch(mine.text, new RegExp(`/applications/${applicationId}"`), 'not in their list');
  const theirs = await other.post(`/applications/${applicationId}/submit`);
  assert.equal(theirs.status, 404);
});

test('the sponsor approves on the page the email links to', async () => {
  const head = await visitor(HEADTEACHER);
  const list = await head.get('/applications');
  assert.match(list.text, new RegExp(`href="/applications/${applicationId}">NPQSL`), 'the sponsor sees it in their list');
  const page = await head.get(`/applications/${applicationId}`);
  assert.equal(page.status, 200);
  assert.deepEqual(buttons(page.text), [
    [`/applications/${applicationId}/approve`, 'Approve'],
    [`/applications/${applicationId}/decline`, 'Decline'],
  ]);
  // Declining needs a reason.
  const bare = await head.post(`/applications/${applicationId}/decline`, { reason: '  ' });
  assert.equal(bare.status, 422);
  assert.deepEqual(errorMessages(bare.text), ['reason: Give a reason, so the applicant knows why']);
  const ok = await head.post(`/applications/${applicationId}/approve`, { reason: '' });
  assert.equal(ok.status, 303);
  const after = await head.get(ok.location);
  assert.equal(stateTag(after.text), 'Approved by the sponsor');
  assert.match(after.text, /You have approved the application\./);
  assert.deepEqual(buttons(after.text), [], 'nothing more for the sponsor');
});

test('the provider accepts and enrols in a cohort of the qualification', async () => {
  const cohort = await api('/api/v1/cohorts', {
    method: 'POST',
    body: { code: 'NPQSL-2027-NW-1', kind: 'qualification', target: 'NPQSL', delivery_partner_id: Number(partnerId), delivery_model: 'blended', starts_on: '2027-01-11', ends_on: '2028-07-14' },
  });
  assert.equal(cohort.status, 201, JSON.stringify(cohort.body));
  const later = await api('/api/v1/cohorts', {
    method: 'POST',
    body: { code: 'NPQSL-2028-NW-1', kind: 'qualification', target: 'NPQSL', delivery_partner_id: Number(partnerId), delivery_model: 'online', starts_on: '2028-01-10', ends_on: '2029-07-13' },
  });
  assert.equal(later.status, 201, JSON.stringify(later.body));

  const admin = await visitor(ADMIN);
  const page = await admin.get(`/applications/${applicationId}`);
  assert.deepEqual(buttons(page.text), [
    [`/applications/${applicationId}/accept`, 'Accept'],
    [`/applications/${applicationId}/reject`, 'Reject'],
  ]);
  // Enrolling before accepting is out of order.
  const early = await admin.post(`/applications/${applicationId}/enrol`, { cohort_id: String(cohort.body.id) });
  assert.equal(early.status, 409);
  const accepted = await admin.post(`/applications/${applicationId}/accept`, { reason: '' });
  assert.equal(accepted.status, 303);
  const enrolPage = await admin.get(accepted.location);
  assert.equal(stateTag(enrolPage.text), 'Accepted');
  assert.deepEqual(buttons(enrolPage.text), [[`/applications/${applicationId}/enrol`, 'Enrol']]);
  assert.deepEqual(options(enrolPage.text, 'cohort_id').map(([, l]) => l), [
    'Choose a cohort',
    'NPQSL-2027-NW-1, from 11 January 2027 (Blended)',
    'NPQSL-2028-NW-1, from 10 January 2028 (Online only)',
  ]);
  const none = await admin.post(`/applications/${applicationId}/enrol`, { cohort_id: '' });
  assert.equal(none.status, 422);
  assert.deepEqual(errorMessages(none.text), ['cohort_id: Choose the cohort to enrol the participant in']);
  const enrolled = await admin.post(`/applications/${applicationId}/enrol`, { cohort_id: String(cohort.body.id) });
  assert.equal(enrolled.status, 303);
  const done = await admin.get(enrolled.location);
  assert.equal(stateTag(done.text), 'Enrolled');
  enrolmentId = Number(/href="\/enrolments\/(\d+)">See the enrolment</.exec(done.text)[1]);
  const history = [...main(done.text).matchAll(/<li class="[^"]*"><strong>(\w+)<\/strong>/g)].map((m) => m[1]);
  assert.deepEqual(history, ['Submit', 'Approve', 'Accept', 'Enrol']);
});

test('the enrolment page: the provider defers it, the participant only reads it', async () => {
  const pat = await visitor(PARTICIPANT);
  const mine = await pat.get(`/enrolments/${enrolmentId}`);
  assert.equal(mine.status, 200);
  assert.equal(stateTag(mine.text), 'Active');
  assert.match(main(mine.text), /NPQSL-2027-NW-1/);
  assert.deepEqual(buttons(mine.text), [], 'no changes for the participant');
  const refused = await pat.post(`/enrolments/${enrolmentId}/defer`, { defer_reason: 'x', expected_return: '2030-01-01' });
  assert.equal(refused.status, 403);

  const admin = await visitor(ADMIN);
  const page = await admin.get(`/enrolments/${enrolmentId}`);
  assert.deepEqual(buttons(page.text), [
    [`/enrolments/${enrolmentId}/defer`, 'Defer'],
    [`/enrolments/${enrolmentId}/withdraw`, 'Withdraw'],
  ]);
  assert.match(main(page.text), new RegExp(`href="/enrolments/${enrolmentId}/complete">Complete the enrolment<`), 'completing is offered');
  const bad = await admin.post(`/enrolments/${enrolmentId}/defer`, { defer_reason: '', expected_return: 'next year' });
  assert.equal(bad.status, 422);
  assert.deepEqual(errorMessages(bad.text), [
    'defer_reason: Give the reason for deferring',
    'expected_return: Enter the expected return date as YYYY-MM-DD, like 2027-09-01',
  ]);
  assert.match(bad.text, /id="expected_return" name="expected_return" type="text" value="next year"/, 'what was typed is kept');
  const deferred = await admin.post(`/enrolments/${enrolmentId}/defer`, { defer_reason: 'Maternity leave', expected_return: '2030-01-07' });
  assert.equal(deferred.status, 303);
  const after = await admin.get(deferred.location);
  assert.equal(stateTag(after.text), 'Deferred');
  assert.match(after.text, /The enrolment is deferred\./);
  assert.match(main(after.text), /7 January 2030/);
  assert.deepEqual(buttons(after.text), [
    [`/enrolments/${enrolmentId}/resume`, 'Resume'],
    [`/enrolments/${enrolmentId}/withdraw`, 'Withdraw'],
  ]);
  assert.deepEqual(options(after.text, 'cohort_id').map(([, l]) => l), ['Choose a cohort', 'NPQSL-2028-NW-1, from 10 January 2028'], 'only later cohorts');
  const again = await admin.post(`/enrolments/${enrolmentId}/defer`, { defer_reason: 'Again', expected_return: '2030-01-07' });
  assert.equal(again.status, 409);
});

test('the pathway shows completed modules and where they already count', async () => {
  const done = await api(`/api/v1/participants/${participantId}/completions`, { method: 'POST', body: { module: 'closing-the-gap', completed_on: '2026-07-01' } });
  assert.equal(done.status, 201, JSON.stringify(done.body));
  const pat = await visitor(PARTICIPANT);
  const page = await pat.get(`/participants/${participantId}/pathway`);
  assert.equal(page.status, 200);
  const body = main(page.text);
  assert.match(body, /<h1 class="govuk-heading-l">Your pathway<\/h1>/);
  assert.match(body, /Closing the gap<\/dt><dd[^>]*>Completed on 1 July 2026/);
  // Closing the gap is essential to the NPQSL (enrolled, though deferred) and an NPQH elective.
  const counts = /data-testid="counts-towards">([\s\S]*?)<\/div>/.exec(body);
  assert.ok(counts, 'the counts-towards sentence');
  assert.match(counts[1], /^Your completed modules already count towards:/);
  assert.match(counts[1], /National Professional Qualification for Headship \(NPQH\)/);
  assert.doesNotMatch(counts[1], /NPQSL/);
  const npqsl = /data-qualification="NPQSL">([\s\S]*?)<\/dl><\/div><\/div>/.exec(body)[1];
  assert.match(npqsl, /Yes: Deferred, cohort NPQSL-2027-NW-1/);
  assert.match(npqsl, /Still to do<\/dt><dd[^>]*>Needs Succeeding in senior leadership and 2 electives</);
  const npqh = /data-qualification="NPQH">([\s\S]*?)<\/dl><\/div><\/div>/.exec(body)[1];
  assert.match(npqh, /Enrolled<\/dt><dd[^>]*>No</);
  assert.match(npqh, /Still to do<\/dt><dd[^>]*>Needs Leading and improving teaching, Leading an effective school, Succeeding in headship and 1 more elective</);

  // The headteacher of the participant's school sees it under the participant's name.
  const head = await visitor(HEADTEACHER);
  const theirs = await head.get(`/participants/${participantId}/pathway`);
  assert.equal(theirs.status, 200);
  assert.match(theirs.text, /<h1 class="govuk-heading-l">Pat Participant<\/h1>/);
  assert.match(theirs.text, /Their completed modules already count towards:/);
});

test('completing an enrolment: not while deferred; asked first, then done once', async () => {
  const admin = await visitor(ADMIN);
  const deferred = await admin.get(`/enrolments/${enrolmentId}`);
  assert.doesNotMatch(main(deferred.text), /Complete the enrolment/, 'a deferred enrolment is not offered it');
  const early = await admin.get(`/enrolments/${enrolmentId}/complete`);
  assert.equal(early.status, 409);
  assert.match(main(early.text), /Only an active enrolment can be completed/);
  const later = options(deferred.text, 'cohort_id').find(([, l]) => /NPQSL-2028-NW-1/.test(l))[0];
  assert.equal((await admin.post(`/enrolments/${enrolmentId}/resume`, { cohort_id: later })).status, 303);

  const pat = await visitor(PARTICIPANT);
  assert.equal((await pat.get(`/enrolments/${enrolmentId}/complete`)).status, 403, 'not the participant\'s to ask');
  assert.equal((await pat.post(`/enrolments/${enrolmentId}/complete`)).status, 403, 'nor to do');

  const question = await admin.get(`/enrolments/${enrolmentId}/complete`);
  assert.equal(question.status, 200);
  assert.match(main(question.text), /Are you sure the participant has finished the National Professional Qualification for Senior Leadership/);
  assert.deepEqual(buttons(question.text), [[`/enrolments/${enrolmentId}/complete`, 'Yes, complete the enrolment']]);
  const done = await admin.post(`/enrolments/${enrolmentId}/complete`);
  assert.equal(done.status, 303);
  assert.equal(done.location, `/enrolments/${enrolmentId}?done=complete`);
  const after = await admin.get(done.location);
  assert.equal(stateTag(after.text), 'Completed');
  assert.match(after.text, /The enrolment is completed\./);
  assert.deepEqual(buttons(after.text), [], 'nothing more to change');
  assert.equal((await admin.post(`/enrolments/${enrolmentId}/complete`)).status, 409, 'twice');
  const record = await admin.get(`/api/v1/enrolments/${enrolmentId}`);
  assert.equal(record.status, 200);
  assert.equal(JSON.parse(record.text).state, 'completed', 'the API says the same');
});
