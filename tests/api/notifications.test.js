'use strict';
/*
 * Event notifications by email, end to end: the server's notifier records each notification and
 * queues its email, the mailer sends it over SMTP to a real server (Debian's aiosmtpd), and the
 * test reads what arrived in its maildir. The server runs with a 5-second reminder lead and looks
 * for notifications every 200 ms, so a day's wait becomes seconds.
 *
 * Every count is exact: a notification that went out twice (a second worker round, a restart)
 * fails the test as surely as one that never went out.
 */
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const { startSmtpSink } = require('../browser/smtp_sink');
const { prepareDb, serve, programme, nowSeconds, ukRange, ukDateTime } = require('./calendar_helpers');

const SERVE_ARGS = ['--reminder-lead-seconds', '5', '--notify-interval-ms', '200'];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let sink;
let db;
let server;
let p;
const VENUE = 'Mersey Hub, Room 2, 1 Dock Road, Liverpool, L3 4AA';

/* Messages in the maildir to address whose subject starts with prefix. */
function received(address, prefix) {
  return sink.messages().filter((m) => m.header('To') === address && m.subject.startsWith(prefix));
}

/* Waits until address has count messages whose subject starts with prefix; returns them. */
async function waitFor(address, prefix, count = 1, timeoutMs = 10000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const found = received(address, prefix);
    if (found.length >= count) return found;
    if (Date.now() > until) {
      const all = sink.messages().map((m) => `${m.header('To')}: ${m.subject}`);
      assert.fail(`${address} did not get ${count} "${prefix}" message(s) in ${timeoutMs} ms; the sink has ${JSON.stringify(all)}\nserver stderr:\n${server.stderr()}`);
    }
    await sleep(100);
  }
}

/* Every message the sink holds, as "to: subject", sorted. */
const inventory = () => sink.messages().map((m) => `${m.header('To')}: ${m.subject}`).sort();

/* When the newest message in the sink arrived (ms since the epoch), or 0 when it holds none. */
function lastArrival() {
  let newest = 0;
  for (const sub of ['new', 'cur']) {
    let names = [];
    try {
      names = fs.readdirSync(path.join(sink.maildir, sub));
    } catch {
      continue;
    }
    for (const name of names) if (!name.startsWith('.')) newest = Math.max(newest, fs.statSync(path.join(sink.maildir, sub, name)).mtimeMs);
  }
  return newest;
}

/* What a server logs when it could not hand a message over; the next attempt is 30 s later. */
const MAIL_FAILURE = /^npq: mail \d+ to \S+, attempt \d+: /m;

/*
 * Waits until everything the servers queued has reached the SMTP server. The outbox is inside the
 * server; what shows it empty from outside is what the mail server sees. The mailer hands over one
 * message after another while any is due and looks again every 500 ms, and it logs every attempt
 * that failed (to be retried later): so when no attempt failed and nothing has arrived for
 * QUIET_MS, more than two of its looks, nothing is waiting to be sent.
 */
const QUIET_MS = 1200;
async function outboxDrained(servers = [server], timeoutMs = 10000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    for (const s of servers) assert.doesNotMatch(s.stderr(), MAIL_FAILURE, 'every message was handed over at the first attempt');
    if (Date.now() - lastArrival() >= QUIET_MS) return;
    assert.ok(Date.now() < until, `the outbox did not drain: mail kept arriving for ${timeoutMs} ms: ${JSON.stringify(inventory())}`);
    await sleep(100);
  }
}

before(async () => {
  sink = await startSmtpSink();
  db = await prepareDb({ second: 'Sam Second-Participant' });
  server = await serve(db.dbPath, ['--smtp-url', sink.url, ...SERVE_ARGS]);
  p = await programme(server, db, { code: 'NOTIFY-2027-NW-1' });
  await p.enrol(db.ids.participant, db.ids.second);
});

after(async () => {
  if (server) await server.stop();
  if (sink) await sink.stop();
});

test('booking sends an invitation with the title, UK time, place and .ics link; a change and a cancellation follow', async () => {
  const starts = nowSeconds() + 10 * 86400;
  const event = { title: 'Day 1: Leading with integrity', venue: true, facilitator_id: db.ids.facilitator, starts_at: starts, ends_at: starts + 7 * 3600 };
  const id = await p.createEvent(event);
  await sleep(600);
  const aboutEvents = (address) => received(address, '').filter((m) => !/^Your? (have a place|NPQ)/.test(m.subject));
  assert.deepEqual(aboutEvents(db.emails.participant), [], 'scheduling an event invites nobody: booking does');

  await p.book(id, [db.ids.participant, db.ids.second]);
  const [invitation] = await waitFor(db.emails.participant, 'Booked: ');
  await waitFor(db.emails.second, 'Booked: ');
  assert.equal(invitation.subject, `Booked: ${event.title}, ${ukDateTime(starts).date}`);
  const text = invitation.body;
  assert.match(text, /^Dear Pat Participant,/);
  assert.ok(text.includes(event.title), text);
  assert.ok(text.includes(`When: ${ukRange(event.starts_at, event.ends_at)} (UK time)`), `the time in UK time:\n${text}`);
  assert.ok(text.includes(`Where: ${VENUE}`), text);
  assert.ok(text.includes(`${server.url}/events/${id}\n`), `a link to the event's page:\n${text}`);
  assert.ok(!text.includes('/api/v1/'), 'no link a mail reader cannot open signed out');
  assert.equal(invitation.header('Content-Type'), 'text/plain; charset=utf-8', 'nothing attached');

  await p.changeEvent(id, { title: 'Day 1: Leading with integrity (new room)', starts_at: starts + 3600, ends_at: starts + 8 * 3600 });
  const [change] = await waitFor(db.emails.participant, 'Changed: ');
  await waitFor(db.emails.second, 'Changed: ');
  assert.ok(change.body.includes('Day 1: Leading with integrity (new room)'));
  assert.ok(change.body.includes(`When: ${ukRange(starts + 3600, starts + 8 * 3600)} (UK time)`), change.body);

  await p.cancelEvent(id);
  const [cancellation] = await waitFor(db.emails.participant, 'Cancelled: ');
  await waitFor(db.emails.second, 'Cancelled: ');
  assert.match(cancellation.body, /has been cancelled/);

  await sleep(1000); // five more worker rounds
  for (const address of [db.emails.participant, db.emails.second])
    for (const prefix of ['Booked: ', 'Changed: ', 'Cancelled: '])
      assert.equal(received(address, prefix).length, 1, `exactly one "${prefix}" to ${address}: ${JSON.stringify(inventory())}`);
  assert.equal(received(db.emails.facilitator, '').length, 0, 'the facilitator is not emailed as if booked');
});

test('an online event gives its joining link', async () => {
  const starts = nowSeconds() + 20 * 86400;
  const id = await p.createEvent({ title: 'Webinar: using evidence', kind: 'webinar', joining_url: 'https://meet.example.org/npq/42', starts_at: starts, ends_at: starts + 5400 });
  await p.book(id, [db.ids.second]);
  const [mail] = await waitFor(db.emails.second, 'Booked: Webinar: using evidence');
  assert.ok(mail.body.includes('Join online: https://meet.example.org/npq/42'), mail.body);
  assert.ok(!mail.body.includes('Where:'), 'no place for an online event');
});

/*
 * That a reminder goes once, only within the lead and never after the start is a rule of time,
 * tested with the clock set in tests/unit/app/time_rules_test.c rather than by waiting here for
 * the event to start; this test is the end-to-end path of one.
 */
test('an event starting in 4 s sends one reminder to each booked person, once', async () => {
  const starts = nowSeconds() + 4;
  const id = await p.createEvent({ title: 'Twilight webinar: feedback', kind: 'webinar', joining_url: 'https://meet.example.org/npq/7', starts_at: starts, ends_at: starts + 3600 });
  await p.book(id, [db.ids.participant, db.ids.second]);
  for (const address of [db.emails.participant, db.emails.second]) {
    const [reminder] = await waitFor(address, 'Reminder: Twilight webinar: feedback');
    assert.ok(reminder.body.includes(`When: ${ukRange(starts, starts + 3600)} (UK time)`), reminder.body);
  }
  // More worker rounds (every 200 ms): still one each.
  await sleep(1000);
  for (const address of [db.emails.participant, db.emails.second])
    assert.equal(received(address, 'Reminder: ').length, 1, `one reminder to ${address}: ${JSON.stringify(inventory())}`);
  const reminders = sink.messages().filter((m) => m.subject.startsWith('Reminder: ') && m.body.includes(`/events/${id}\n`));
  assert.deepEqual(
    reminders.map((m) => m.header('To')).sort(),
    [db.emails.participant, db.emails.second].sort(),
    `one reminder of this event per booked person, and to no one else: ${JSON.stringify(inventory())}`,
  );
});

test('restarting the server sends nothing again', async () => {
  await outboxDrained();
  const sent = inventory();
  assert.ok(sent.length >= 10, `the earlier tests sent mail: ${JSON.stringify(sent)}`);

  await server.stop();
  server = await serve(db.dbPath, ['--smtp-url', sink.url, ...SERVE_ARGS]);
  p.useServer(server);
  await sleep(2000); // ten worker rounds and four mailer polls
  await outboxDrained();
  assert.deepEqual(inventory(), sent, 'nothing was sent twice: no notification was recorded again');
});

test('two servers on one database send each notification once', async () => {
  const twin = await serve(db.dbPath, ['--smtp-url', sink.url, ...SERVE_ARGS], { threads: 1 });
  try {
    const starts = nowSeconds() + 30 * 86400;
    const ids = [];
    for (let i = 1; i <= 5; i++) ids.push(await p.createEvent({ title: `Peer session ${i}`, kind: 'virtual_live', joining_url: `https://meet.example.org/peer/${i}`, starts_at: starts + i * 3600, ends_at: starts + i * 3600 + 1800 }));
    for (const id of ids) await p.book(id, [db.ids.participant, db.ids.second]);
    for (const address of [db.emails.participant, db.emails.second]) await waitFor(address, 'Booked: Peer session', 5);
    await sleep(1000);
    await outboxDrained([server, twin]);
    for (const address of [db.emails.participant, db.emails.second])
      assert.equal(received(address, 'Booked: Peer session').length, 5, `five invitations to ${address}, not more: ${JSON.stringify(inventory())}`);
  } finally {
    await twin.stop();
  }
});
