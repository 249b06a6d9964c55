'use strict';
/*
 * Learning communities, black-box: the real binary on a demo database with a real SMTP sink.
 * The demo participant studies NPQSL in a cohort of the demo partner, whose facilitator is on its
 * staff and whose coach coaches them; "elsewhere" studies in another partner's cohort, led by
 * "lead2". Membership, mentions (an email arrives; a non-member is never told), each-post
 * subscriptions, moderation (hide, lock, pin), reports and their queue, and stored HTML and script
 * in a post rendered inert, in the API and the pages.
 *
 *   NPQ_BIN=build/npq node --test --test-concurrency=1 tests/api/forums.test.js
 *
 * The tests share one server and run in order; each says what it relies on.
 */
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');

const { prepareDemoDb, startServerWithArgs, apiAs, signIn } = require('./auth_helpers');
const { startSmtpSink, freePort } = require('./smtp_sink');

let sink;
let server;
let demo;
let as;
let doc;
const ctx = {};

function show(r) {
  return `${r.status} ${r.text.slice(0, 1200)}`;
}
function expectStatus(r, status, what) {
  assert.equal(r.status, status, `${what}: expected ${status}, got ${show(r)}`);
  return r.status === 204 ? null : r.json();
}
function expect422(r, field, re, what) {
  assert.equal(r.status, 422, `${what}: expected 422 on ${field}, got ${show(r)}`);
  const hit = r.json().error.fields.find((f) => f.field === field && re.test(f.message));
  assert.ok(hit, `${what}: a field error on "${field}" matching ${re}; got ${JSON.stringify(r.json().error.fields)}`);
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/* The forum's emails to email (the application's own emails are no concern here). */
const mailsTo = (email) => sink.messages().filter((m) => m.to.includes(email) && /mentioned you|^New post in|^Forum digest/.test(m.subject));

before(async () => {
  sink = await startSmtpSink();
  demo = await prepareDemoDb({
    extraUsers: {
      elsewhere: { email: 'elsewhere@example.test', name: 'Elsie Elsewhere', role: 'participant' },
      lead2: { email: 'lead2@example.test', name: 'Lee Second', role: 'participant' },
    },
  });
  for (let attempt = 0; attempt < 3 && !server; attempt++) {
    const port = await freePort();
    try {
      server = await startServerWithArgs(['--listen', `127.0.0.1:${port}`, '--smtp-url', sink.url, '--base-url', `http://127.0.0.1:${port}`], {
        db: demo.dbPath,
        threads: 4,
      });
    } catch (e) {
      if (attempt === 2) throw e;
    }
  }
  as = Object.fromEntries(Object.entries(demo.tokens).map(([k, t]) => [k, apiAs(server, t, k)]));
  as.anonymous = apiAs(server, null);
  doc = await as.anonymous.json('/api/v1/openapi.json');
  const admin = as.admin;
  const orgs = (await admin.json('/api/v1/organisations')).organisations;
  const partner = orgs.find((o) => o.kind === 'delivery_partner').id;
  const school = orgs.find((o) => o.kind === 'school' && o.urn === '100001').id;
  const otherPartner = expectStatus(
    await admin.post('/api/v1/organisations', { kind: 'delivery_partner', name: 'Thames Forum Hub', regions_served: ['London'] }),
    201,
    'another partner',
  ).id;
  expectStatus(await admin.post(`/api/v1/users/${demo.ids.lead2}/roles`, { role: 'partner_lead', organisation_id: otherPartner }), 201, 'lead2 leads it');
  const cohort = async (code, partnerId) =>
    expectStatus(
      await admin.post('/api/v1/cohorts', { code, kind: 'qualification', target: 'NPQSL', starts_on: '2027-01-11', ends_on: '2028-07-14', delivery_model: 'blended', delivery_partner_id: partnerId }),
      201,
      code,
    ).id;
  ctx.c1 = await cohort('NPQSL-FORUM-NW', partner);
  ctx.c2 = await cohort('NPQSL-FORUM-LDN', otherPartner);
  expectStatus(await admin.post(`/api/v1/cohorts/${ctx.c1}/staff`, { user_id: demo.ids.facilitator, role: 'facilitator' }), 201, 'facilitator on c1');
  const answers = { kind: 'qualification', target: 'NPQSL', electives: ['school-self-evaluation', 'leading-change-for-improvement'], funding_route: 'school', delivery_model: 'blended', job_role: 'Deputy head' };
  const step = async (who, id, name, body) => expectStatus(await as[who].post(`/api/v1/applications/${id}/${name}`, body), 200, `${who} ${name}`);
  const a1 = expectStatus(await as.participant.post('/api/v1/applications', { ...answers, school_id: school, sponsor_id: demo.ids.headteacher }), 201, 'apply').id;
  await step('participant', a1, 'submit');
  await step('headteacher', a1, 'approve');
  await step('admin', a1, 'accept');
  await step('admin', a1, 'enrol', { cohort_id: ctx.c1 });
  const a2 = expectStatus(await as.elsewhere.post('/api/v1/applications', { ...answers, sponsor_id: demo.ids.admin }), 201, 'apply 2').id;
  await step('elsewhere', a2, 'submit');
  await step('admin', a2, 'approve');
  await step('admin', a2, 'accept');
  await step('admin', a2, 'enrol', { cohort_id: ctx.c2 });
  ctx.names = {};
  for (const who of ['coach', 'facilitator', 'participant', 'elsewhere', 'headteacher']) ctx.names[who] = (await as[who].json('/api/v1/me')).name;
});

after(async () => {
  await server?.stop();
  await sink?.stop();
});

const forumIds = async (who) => (await as[who].json('/api/v1/forums')).forums;

test('people see only the communities they belong to', async () => {
  const mine = await forumIds('participant');
  const c1 = mine.find((f) => f.kind === 'cohort');
  assert.ok(c1, 'the participant has their cohort forum');
  assert.equal(c1.cohort_id, ctx.c1);
  assert.equal(c1.title, 'Cohort NPQSL-FORUM-NW');
  assert.equal(c1.moderator, false);
  assert.ok(!mine.some((f) => f.cohort_id === ctx.c2), 'not another cohort');
  assert.ok(mine.some((f) => f.kind === 'provider'), 'and everyone');
  assert.ok(mine.some((f) => f.kind === 'module' && f.module === 'school-self-evaluation'), 'a module they study');
  ctx.f1 = c1.id;
  ctx.provider = mine.find((f) => f.kind === 'provider').id;
  ctx.module = mine.find((f) => f.kind === 'module' && f.module === 'school-self-evaluation').id;
  const theirs = await forumIds('elsewhere');
  ctx.f2 = theirs.find((f) => f.kind === 'cohort').id;
  assert.notEqual(ctx.f2, ctx.f1);
  assert.ok(theirs.some((f) => f.id === ctx.module), 'both study the module');

  const facilitator = (await forumIds('facilitator')).find((f) => f.id === ctx.f1);
  assert.ok(facilitator, 'the cohort\'s facilitator takes part');
  assert.equal(facilitator.moderator, true, 'and moderates it');
  assert.ok((await forumIds('coach')).some((f) => f.id === ctx.f1), 'the coach of a participant takes part');
  assert.ok((await forumIds('partner_lead')).some((f) => f.id === ctx.f1 && f.moderator), 'the partner lead moderates');
  assert.ok(!(await forumIds('lead2')).some((f) => f.id === ctx.f1), 'another partner\'s lead does not belong');
  assert.deepEqual((await forumIds('headteacher')).map((f) => f.kind), ['provider'], 'a headteacher is in everyone\'s forum only');

  expectStatus(await as.elsewhere.get(`/api/v1/forums/${ctx.f1}`), 404, 'another cohort\'s forum');
  expectStatus(await as.lead2.get(`/api/v1/forums/${ctx.f1}`), 404, 'another partner\'s cohort forum');
  expectStatus(await as.anonymous.get('/api/v1/forums'), 401, 'a visitor');
  expectStatus(await as.participant.get('/api/v1/forums/999999'), 404, 'no such forum');
  expectStatus(await as.participant.get(`/api/v1/forums/${ctx.f1}?limit=0`), 400, 'a bad limit');
});

test('a thread with a mention emails the member mentioned, never a non-member', async () => {
  expect422(await as.participant.post(`/api/v1/forums/${ctx.f1}/threads`, { title: '', body: ' ' }), 'title', /title/, 'empty title');
  expect422(await as.participant.post(`/api/v1/forums/${ctx.f1}/threads`, { title: 'x', body: ' ' }), 'body', /what you want to say/, 'empty body');
  const body = `Week 1 reading: what did you make of it, @${ctx.names.coach}? And @${ctx.names.elsewhere}?`;
  const made = expectStatus(await as.participant.post(`/api/v1/forums/${ctx.f1}/threads`, { title: 'Week 1 reading', body }), 201, 'start a thread');
  assert.equal(made.thread.title, 'Week 1 reading');
  assert.equal(made.posts.length, 1);
  assert.equal(made.posts[0].opening, true);
  ctx.t1 = made.thread.id;
  ctx.p1 = made.posts[0].id;
  const mail = await sink.waitFor((m) => m.to.includes('coach@demo.npq.test') && /mentioned you/.test(m.subject), { what: 'the mention email' });
  assert.match(mail.text, new RegExp(`/forums/threads/${ctx.t1}#post-${ctx.p1}`), 'it links to the post');
  assert.match(mail.text, /Week 1 reading/);
  await sleep(700);
  assert.deepEqual(mailsTo('elsewhere@example.test'), [], 'a person outside the cohort is not told, however named');
  assert.deepEqual(mailsTo('participant@demo.npq.test'), [], 'the author is not told of their own post');
});

test('replies reach subscribers for each post; editing tells only the newly mentioned', async () => {
  const sub = expectStatus(await as.facilitator.put(`/api/v1/forums/${ctx.f1}/subscription`, { mode: 'each_post' }), 200, 'subscribe');
  assert.deepEqual(sub, { forum_id: ctx.f1, mode: 'each_post' });
  expect422(await as.facilitator.put(`/api/v1/forums/${ctx.f1}/subscription`, { mode: 'weekly' }), 'mode', /each_post/, 'a bad mode');
  expectStatus(await as.elsewhere.put(`/api/v1/forums/${ctx.f1}/subscription`, { mode: 'each_post' }), 404, 'not a member');
  const reply = expectStatus(await as.coach.post(`/api/v1/forum-threads/${ctx.t1}/posts`, { body: 'It made me think about **evidence**.' }), 201, 'reply');
  ctx.p2 = reply.id;
  assert.equal(reply.opening, false);
  const news = await sink.waitFor((m) => m.to.includes('facilitator@demo.npq.test') && /^New post in Cohort NPQSL-FORUM-NW/.test(m.subject), { what: 'the each-post email' });
  assert.match(news.text, new RegExp(`#post-${ctx.p2}`));
  const mine = expectStatus(await as.participant.post(`/api/v1/forum-threads/${ctx.t1}/posts`, { body: 'Thanks!' }), 201, 'reply 2');
  ctx.p3 = mine.id;
  const before = mailsTo('coach@demo.npq.test').length;
  const edited = expectStatus(await as.participant.patch(`/api/v1/forum-posts/${ctx.p3}`, { body: `Thanks, @${ctx.names.coach}!` }), 200, 'edit own post');
  assert.ok(edited.edited_at, 'marked edited');
  await sink.waitFor((m) => m.to.includes('coach@demo.npq.test') && mailsTo('coach@demo.npq.test').length > before, { what: 'a mention added by an edit' });
  expectStatus(await as.participant.patch(`/api/v1/forum-posts/${ctx.p3}`, { body: `Thanks again, @${ctx.names.coach}!` }), 200, 'edit again');
  await sleep(700);
  assert.equal(mailsTo('coach@demo.npq.test').length, before + 1, 'a second edit tells nobody twice');
  expectStatus(await as.participant.patch(`/api/v1/forum-posts/${ctx.p2}`, { body: 'Mine now' }), 403, 'someone else\'s post');
  expect422(await as.participant.patch(`/api/v1/forum-posts/${ctx.p3}`, { body: '' }), 'body', /what you want to say/, 'an empty edit');
  expectStatus(await as.facilitator.delete(`/api/v1/forums/${ctx.f1}/subscription`), 204, 'unsubscribe');
  const f = (await forumIds('facilitator')).find((x) => x.id === ctx.f1);
  assert.equal(f.subscription, null);
});

test('a hidden post is gone for members and kept for moderators', async () => {
  expectStatus(await as.participant.patch(`/api/v1/forum-posts/${ctx.p2}`, { hidden: true }), 403, 'a member hides');
  const hidden = expectStatus(await as.facilitator.patch(`/api/v1/forum-posts/${ctx.p2}`, { hidden: true }), 200, 'the facilitator hides');
  assert.equal(hidden.hidden, true);
  expectStatus(await as.participant.get(`/api/v1/forum-posts/${ctx.p2}`), 404, 'a member reads it by id');
  expectStatus(await as.coach.get(`/api/v1/forum-posts/${ctx.p2}`), 404, 'its author reads it by id');
  const seen = await as.participant.json(`/api/v1/forum-threads/${ctx.t1}`);
  assert.deepEqual(seen.posts.map((p) => p.id), [ctx.p1, ctx.p3], 'not in the thread');
  const staff = await as.facilitator.json(`/api/v1/forum-threads/${ctx.t1}`);
  assert.deepEqual(staff.posts.map((p) => [p.id, p.hidden]), [[ctx.p1, false], [ctx.p2, true], [ctx.p3, false]]);
  expectStatus(await as.facilitator.patch(`/api/v1/forum-posts/${ctx.p2}`, { hidden: false }), 200, 'shown again');
  expectStatus(await as.participant.get(`/api/v1/forum-posts/${ctx.p2}`), 200, 'back');
  expectStatus(await as.elsewhere.get(`/api/v1/forum-posts/${ctx.p1}`), 404, 'another cohort\'s post');
});

test('a locked thread refuses replies; pinned threads come first', async () => {
  expectStatus(await as.participant.patch(`/api/v1/forum-threads/${ctx.t1}`, { locked: true }), 403, 'a member locks');
  expect422(await as.facilitator.patch(`/api/v1/forum-threads/${ctx.t1}`, {}), 'pinned', /pinned or locked/, 'nothing to change');
  const locked = expectStatus(await as.facilitator.patch(`/api/v1/forum-threads/${ctx.t1}`, { locked: true }), 200, 'lock');
  assert.equal(locked.locked, true);
  const r = await as.participant.post(`/api/v1/forum-threads/${ctx.t1}/posts`, { body: 'Too late?' });
  assert.equal(r.status, 409, show(r));
  assert.match(r.json().error.message, /locked/);
  expectStatus(await as.participant.patch(`/api/v1/forum-posts/${ctx.p3}`, { body: 'changed' }), 409, 'editing in a locked thread');
  const second = expectStatus(await as.participant.post(`/api/v1/forums/${ctx.f1}/threads`, { title: 'Later thread', body: 'Hello' }), 201, 'another thread');
  let list = await as.participant.json(`/api/v1/forums/${ctx.f1}`);
  assert.deepEqual(list.threads.map((t) => t.id), [second.thread.id, ctx.t1], 'the newest first');
  expectStatus(await as.facilitator.patch(`/api/v1/forum-threads/${ctx.t1}`, { pinned: true, locked: false }), 200, 'pin and unlock');
  list = await as.participant.json(`/api/v1/forums/${ctx.f1}`);
  assert.deepEqual(list.threads.map((t) => [t.id, t.pinned]), [[ctx.t1, true], [second.thread.id, false]], 'pinned first');
  const paged = await as.participant.get(`/api/v1/forums/${ctx.f1}?limit=1`);
  assert.deepEqual(paged.json().threads.map((t) => t.id), [ctx.t1], 'a page of one, pinned first');
  const next = /^<([^>]+)>; rel="next"$/.exec(paged.headers.get('link') || '');
  assert.ok(next, 'a Link to the next page');
  const rest = await as.participant.get(next[1]);
  assert.deepEqual(rest.json().threads.map((t) => t.id), [second.thread.id], 'then the rest, by cursor');
  assert.equal(rest.headers.get('link'), null, 'the last page');
  expectStatus(await as.participant.post(`/api/v1/forum-threads/${ctx.t1}/posts`, { body: 'Open again' }), 201, 'unlocked');
});

test('reports wait in the queue of the forum\'s moderators, and closing one can hide the post', async () => {
  expect422(await as.participant.post(`/api/v1/forum-posts/${ctx.p2}/reports`, { reason: '  ' }), 'reason', /why/, 'no reason');
  const rep = expectStatus(await as.participant.post(`/api/v1/forum-posts/${ctx.p2}/reports`, { reason: 'Shares a phone number' }), 201, 'report');
  assert.equal(rep.reason, 'Shares a phone number');
  assert.equal(rep.post.id, ctx.p2);
  expectStatus(await as.participant.post(`/api/v1/forum-posts/${ctx.p2}/reports`, { reason: 'again' }), 409, 'twice while open');
  expectStatus(await as.elsewhere.post(`/api/v1/forum-posts/${ctx.p2}/reports`, { reason: 'x' }), 404, 'a non-member');
  const queue = await as.facilitator.json('/api/v1/forums/reports');
  assert.deepEqual(queue.reports.map((r) => r.id), [rep.id]);
  assert.deepEqual((await as.partner_lead.json('/api/v1/forums/reports')).reports.map((r) => r.id), [rep.id], 'the partner lead');
  assert.deepEqual((await as.lead2.json('/api/v1/forums/reports')).reports, [], 'not another partner\'s lead');
  expectStatus(await as.participant.get('/api/v1/forums/reports'), 403, 'a participant');
  expectStatus(await as.lead2.post(`/api/v1/forums/reports/${rep.id}/resolve`, { outcome: 'kept' }), 404, 'another partner\'s lead resolves');
  expect422(await as.facilitator.post(`/api/v1/forums/reports/${rep.id}/resolve`, { outcome: 'deleted' }), 'outcome', /hide/, 'a bad outcome');
  const done = expectStatus(await as.facilitator.post(`/api/v1/forums/reports/${rep.id}/resolve`, { outcome: 'hidden' }), 200, 'resolve');
  assert.equal(done.post.hidden, true, 'the post is hidden with it');
  expectStatus(await as.facilitator.post(`/api/v1/forums/reports/${rep.id}/resolve`, { outcome: 'kept' }), 409, 'closed already');
  assert.deepEqual((await as.facilitator.json('/api/v1/forums/reports')).reports, [], 'the queue is empty');
  expectStatus(await as.participant.get(`/api/v1/forum-posts/${ctx.p2}`), 404, 'hidden');
});

test('stored HTML and script in a post are inert in the API and on the page', async () => {
  const evil = 'Hi <script>alert(1)</script><img src=x onerror=alert(2)> [x](javascript:alert(3)) **bold**';
  const made = expectStatus(await as.participant.post(`/api/v1/forums/${ctx.f1}/threads`, { title: '<b onmouseover=alert(4)>t</b>', body: evil }), 201, 'a hostile post');
  assert.equal(made.posts[0].body, evil, 'kept as written');
  assert.doesNotMatch(made.posts[0].body_html, /<script|onerror|javascript:|<img/i);
  assert.match(made.posts[0].body_html, /<strong>bold<\/strong>/);
  const page = await signIn(server, demo.emails.coach);
  const r = await page.get(`/forums/threads/${made.thread.id}`);
  assert.equal(r.status, 200, show(r));
  assert.doesNotMatch(r.text, /<script>alert|onerror=|javascript:alert|<b onmouseover/i);
  assert.match(r.text, /&lt;b onmouseover=alert\(4\)&gt;t&lt;\/b&gt;/, 'the title is escaped text');
});

test('the pages: list, thread, reply with errors kept, report, moderation queue, and refusals', async () => {
  const p = await signIn(server, demo.emails.participant);
  let r = await p.get('/forums');
  assert.equal(r.status, 200);
  assert.match(r.text, /Cohort NPQSL-FORUM-NW/);
  assert.doesNotMatch(r.text, /NPQSL-FORUM-LDN/);
  assert.doesNotMatch(r.text, /moderation-link/, 'a participant has no queue');
  r = await p.get(`/forums/${ctx.f1}`);
  assert.equal(r.status, 200);
  assert.ok(r.text.indexOf('Week 1 reading') < r.text.indexOf('Later thread'), 'pinned first');
  r = await p.post(`/forums/threads/${ctx.t1}/posts`, { body: '   ' });
  assert.equal(r.status, 422);
  assert.match(r.text, /There is a problem/);
  r = await p.post(`/forums/${ctx.f1}/threads`, { title: 'Kept title', body: '' });
  assert.equal(r.status, 422);
  assert.match(r.text, /value="Kept title"/, 'what was typed is kept');
  r = await p.post(`/forums/threads/${ctx.t1}/posts`, { body: 'From the page' });
  assert.equal(r.status, 303);
  assert.match(r.headers.get('location'), new RegExp(`/forums/threads/${ctx.t1}\\?notice=replied#post-\\d+`));
  r = await p.post(`/forums/posts/${ctx.p1}/report`, { reason: '' });
  assert.equal(r.status, 422);
  r = await p.post(`/forums/posts/${ctx.p1}/report`, { reason: 'Off topic' });
  assert.equal(r.status, 303);
  assert.equal((await p.get(`/forums/posts/${ctx.p1}/hide`)).status, 403, 'a member is no moderator');
  const other = await signIn(server, demo.emails.elsewhere);
  assert.equal((await other.get(`/forums/threads/${ctx.t1}`)).status, 404, 'another cohort\'s thread');
  assert.equal((await other.get(`/forums/posts/${ctx.p2}/report`)).status, 404);

  const f = await signIn(server, demo.emails.facilitator);
  r = await f.get('/forums/moderation');
  assert.equal(r.status, 200);
  assert.match(r.text, /Off topic/);
  r = await f.get(`/forums/posts/${ctx.p1}/hide`);
  assert.equal(r.status, 200);
  assert.match(r.text, /Hide this post\?/, 'hiding asks first');
  r = await f.post(`/forums/threads/${ctx.t1}/moderate`, { action: 'lock' });
  assert.equal(r.status, 303);
  r = await p.get(`/forums/threads/${ctx.t1}`);
  assert.match(r.text, /data-testid="locked"/);
  assert.doesNotMatch(r.text, /Post the reply/, 'no reply form while locked');
  const rep = (await as.facilitator.json('/api/v1/forums/reports')).reports[0];
  r = await f.post(`/forums/reports/${rep.id}/resolve`, { outcome: 'kept' });
  assert.equal(r.status, 303);
  r = await f.get('/forums/moderation');
  assert.match(r.text, /queue-empty/);
  r = await f.post(`/forums/${ctx.f1}/subscription`, { mode: 'daily_digest' });
  assert.equal(r.status, 303);
  assert.equal((await forumIds('facilitator')).find((x) => x.id === ctx.f1).subscription, 'daily_digest');
});

test('a long thread pages by cursor, in the API and on its page', async () => {
  const started = expectStatus(await as.participant.post(`/api/v1/forums/${ctx.f1}/threads`, { title: 'A long thread', body: 'Post 0' }), 201, 'a thread');
  const id = started.thread.id;
  for (let i = 1; i <= 50; i++) expectStatus(await as.participant.post(`/api/v1/forum-threads/${id}/posts`, { body: `Post ${i}` }), 201, `post ${i}`);
  const first = await as.participant.get(`/api/v1/forum-threads/${id}?limit=20`);
  assert.equal(first.json().posts.length, 20);
  assert.equal(first.json().posts[0].body, 'Post 0', 'oldest first');
  const seen = [];
  for (let url = `/api/v1/forum-threads/${id}?limit=20`; url; ) {
    const r = await as.participant.get(url);
    seen.push(...r.json().posts.map((x) => x.body));
    url = /^<([^>]+)>; rel="next"$/.exec(r.headers.get('link') || '')?.[1];
  }
  assert.deepEqual(seen, Array.from({ length: 51 }, (_, i) => `Post ${i}`), 'every post once, in order');

  const p = await signIn(server, demo.emails.participant);
  const page = await p.get(`/forums/threads/${id}?notice=replied`);
  assert.equal(page.status, 200);
  assert.match(page.text, /Post 49</);
  assert.doesNotMatch(page.text, /Post 50</, '50 posts to a page');
  const next = /href="(\/forums\/threads\/\d+\?after=[A-Za-z0-9_-]+)" rel="next"/.exec(page.text);
  assert.ok(next, 'a Next link, without the notice');
  const rest = await p.get(next[1]);
  assert.match(rest.text, /Post 50</);
  assert.doesNotMatch(rest.text, /Post 49</);
  assert.match(rest.text, new RegExp(`href="/forums/threads/${id}" rel="first"`));
  assert.doesNotMatch(rest.text, /rel="next"/);
  assert.equal((await p.get(`/forums/threads/${id}?after=garbage`)).status, 400, 'a malformed position');
  assert.equal((await p.get(`/forums/${ctx.f1}?after=garbage`)).status, 400);
});

test('search finds posts in the forums one belongs to, never hidden ones, whatever is typed', async () => {
  const mine = expectStatus(await as.participant.post(`/api/v1/forums/${ctx.f1}/threads`, { title: 'Zebra crossings', body: 'Our zebra crossing project' }), 201, 'a post in c1').posts[0];
  const theirs = expectStatus(await as.elsewhere.post(`/api/v1/forums/${ctx.f2}/threads`, { title: 'Zebras', body: 'A zebra in London' }), 201, 'a post in c2').posts[0];
  const found = await as.participant.json('/api/v1/forums/search?q=zebra');
  assert.deepEqual(found.results.map((r) => r.post.id), [mine.id], 'only the participant\'s own cohort\'s');
  assert.equal(found.results[0].forum_title, 'Cohort NPQSL-FORUM-NW');
  assert.deepEqual((await as.elsewhere.json('/api/v1/forums/search?q=ZEBRA')).results.map((r) => r.post.id), [theirs.id]);
  assert.deepEqual((await as.admin.json('/api/v1/forums/search?q=zebra')).results.map((r) => r.post.id).sort(), [mine.id, theirs.id].sort());
  assert.deepEqual((await as.participant.json('/api/v1/forums/search?q=evidence')).results, [], 'the hidden reply is not found');
  assert.ok((await as.facilitator.json('/api/v1/forums/search?q=zebra%20crossing')).results.length === 1, 'every word must match');
  for (const q of ['"', 'zebra OR', 'NEAR(', '*', 'a:b -c']) expectStatus(await as.participant.get(`/api/v1/forums/search?q=${encodeURIComponent(q)}`), 200, `typing ${q}`);
  expectStatus(await as.participant.get('/api/v1/forums/search'), 400, 'no q');
  const page = await signIn(server, demo.emails.participant);
  const r = await page.get('/forums/search?q=zebra');
  assert.equal(r.status, 200);
  assert.match(r.text, /Zebra crossings/);
  assert.doesNotMatch(r.text, /A zebra in London/);
});

test('the OpenAPI document describes the forum answers', async () => {
  for (const name of ['Forum', 'ForumList', 'ForumThreadList', 'ForumThread', 'ForumPostList', 'ForumPost', 'ForumReport', 'ForumReportList', 'ForumSubscription'])
    assert.ok(doc.components.schemas[name]?.required, `${name} has a required list`);
  assert.ok(doc.paths['/api/v1/forums/{id}'].get);
});
