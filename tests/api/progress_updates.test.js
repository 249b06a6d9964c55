'use strict';
/*
 * Progress updates by email: the server's notifier sends each mentor and headteacher with a
 * participant to report on one message per period (monthly unless set weekly), a summary per
 * participant with a link to their page; once per period, also across a restart, `npq progress
 * send-updates` and the administrator's button; opting out (API and /account/progress-updates)
 * is respected, and opting back in sends the period's update at once.
 *
 * Mail goes to a real SMTP server (tests/api/smtp_sink.js) through the server's mailer.
 *
 *   NPQ_BIN=build/npq node --test --test-concurrency=1 tests/api/progress_updates.test.js
 */
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');

const { runNpq } = require('./helpers');
const { startDemoServer, startServerWithArgs, apiAs, signIn, sleep } = require('./auth_helpers');
const { show, ok } = require('./programme_helpers');
const { startSmtpSink } = require('./smtp_sink');

const DAY = 24 * 3600 * 1000;
const isoDate = (ms) => new Date(ms).toISOString().slice(0, 10);
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const MONTHLY = `Progress update: ${MONTHS[new Date().getUTCMonth()]} ${new Date().getUTCFullYear()}`;
const WEEKLY = /^Progress update: the week of \d+ \w+ \d{4}$/;

let sink;
let ctx;
let server;
let as;
const made = {};
let serveArgs;

const updates = (to, subject = MONTHLY) =>
  sink.messages().filter((m) => m.to.includes(to) && (subject instanceof RegExp ? subject.test(m.subject) : m.subject === subject));

async function restart() {
  await server.stop();
  server = await startServerWithArgs(serveArgs, { db: ctx.dbPath });
  as = Object.fromEntries(Object.entries(ctx.tokens).map(([k, t]) => [k, apiAs(server, t, k)]));
}

before(async () => {
  sink = await startSmtpSink();
  serveArgs = ['--smtp-url', sink.url, '--notify-interval-ms', '200', '--base-url', 'https://npq.example.org'];
  ctx = await startDemoServer({ serveArgs });
  server = ctx.server;
  as = Object.fromEntries(Object.entries(ctx.tokens).map(([k, t]) => [k, apiAs(server, t, k)]));
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
    'an application',
  );
  ok(await as.participant.post(`/api/v1/applications/${application.id}/submit`), 200, 'submit');
  ok(await as.headteacher.post(`/api/v1/applications/${application.id}/approve`), 200, 'approve');
  ok(await as.admin.post(`/api/v1/applications/${application.id}/accept`), 200, 'accept');
  const cohort = ok(
    await as.admin.post('/api/v1/cohorts', {
      code: 'NPQSL-UPDATES-1',
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
});

after(async () => {
  await server?.stop();
  await sink?.stop();
});

test("a participant's mentor and headteacher are each sent the month's update once, with a summary and a link", async () => {
  for (const role of ['mentor', 'headteacher']) {
    const mail = await sink.waitFor((m) => m.to.includes(ctx.emails[role]) && m.subject === MONTHLY, { what: `${role}'s update` });
    assert.match(mail.text, /NPQSL, cohort NPQSL-UPDATES-1: On track/);
    assert.ok(mail.text.includes(`https://npq.example.org/enrolments/${made.enrolment}/progress`), `${role}: a link to the page`);
    assert.ok(mail.text.includes('https://npq.example.org/account/progress-updates'), `${role}: how to stop them`);
    assert.match(mail.text, /0 of \d modules completed/, `${role}: the reasons`);
  }
  assert.deepEqual(updates(ctx.emails.participant), [], 'the participant is not sent one');
  assert.deepEqual(updates(ctx.emails.coach), [], 'nor is anyone who is neither mentor nor headteacher');
  await sleep(1500); // several passes of the notifier
  for (const role of ['mentor', 'headteacher']) assert.equal(updates(ctx.emails[role]).length, 1, `${role}: one, not more`);
});

test('nothing is sent again this period: not by the command, the button, nor after a restart', async () => {
  const r = await runNpq(['progress', 'send-updates', '--db', ctx.dbPath]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), '0');
  const sent = ok(await as.admin.post('/api/v1/progress/updates'), 200, 'the button, by the API');
  assert.equal(sent.sent, 0);
  assert.match(sent.period, /^\d{4}-\d{2}$/);
  assert.equal((await as.mentor.post('/api/v1/progress/updates')).status, 403, 'only administrators send them by hand');
  const admin = await signIn(server, ctx.emails.admin);
  const page = await admin.get('/progress/cohorts');
  assert.match(page.text, /Send progress updates now/);
  const pressed = await admin.post('/progress/updates', {});
  assert.equal(pressed.status, 303, show(pressed));
  assert.match(pressed.headers.get('location'), /\/progress\/cohorts\?notice=sent&sent=0$/);
  await restart();
  await sleep(1500);
  for (const role of ['mentor', 'headteacher']) assert.equal(updates(ctx.emails[role]).length, 1, `${role}: still one after a restart`);
});

test('an opted-out mentor is sent nothing the next period; opting back in sends it at once', async () => {
  const bad = await as.mentor.put('/api/v1/me/progress-updates', { subscribed: 'no' });
  assert.equal(bad.status, 422, show(bad));
  assert.ok(bad.json().error.fields.some((f) => f.field === 'subscribed'));
  assert.deepEqual(ok(await as.mentor.get('/api/v1/me/progress-updates'), 200, 'read'), { subscribed: true, cadence: 'monthly' });
  assert.deepEqual(ok(await as.mentor.put('/api/v1/me/progress-updates', { subscribed: false }), 200, 'opt out'), { subscribed: false, cadence: 'monthly' });
  const r = await runNpq(['progress', 'settings', '--db', ctx.dbPath, 'update_cadence=weekly']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^update_cadence=weekly$/m);
  await sink.waitFor((m) => m.to.includes(ctx.emails.headteacher) && WEEKLY.test(m.subject), { what: "the headteacher's weekly update" });
  await sleep(1000);
  assert.deepEqual(updates(ctx.emails.mentor, WEEKLY), [], 'the mentor who opted out is sent none');

  const mentor = await signIn(server, ctx.emails.mentor);
  let page = await mentor.get('/account/progress-updates');
  assert.equal(page.status, 200, show(page));
  assert.match(page.text, /You asked not to receive progress updates\./);
  assert.match(page.text, /every week/);
  const refused = await mentor.post('/account/progress-updates', { subscribed: 'perhaps' });
  assert.equal(refused.status, 422, show(refused));
  const saved = await mentor.post('/account/progress-updates', { subscribed: 'yes' });
  assert.equal(saved.status, 303, show(saved));
  page = await mentor.get('/account/progress-updates?notice=saved');
  assert.match(page.text, /You receive progress updates\./);
  await sink.waitFor((m) => m.to.includes(ctx.emails.mentor) && WEEKLY.test(m.subject), { what: "the mentor's weekly update, once back in" });
  await sleep(1000);
  assert.equal(updates(ctx.emails.mentor, WEEKLY).length, 1);
  assert.equal(updates(ctx.emails.headteacher, WEEKLY).length, 1);
});
