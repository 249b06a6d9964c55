'use strict';
/*
 * Search, black-box: the real binary on a demo database. The demo participant studies NPQSL in a
 * cohort of the demo partner; "elsewhere" studies in another partner's cohort, led by "lead2".
 * Hits over items, local variants, statements and posts; each person finds only what is theirs to
 * read; snippets as plain runs; bad input a 400 naming the field; paging by cursor. The /search
 * page shows what the API finds for the same person, its snippets escaped with the matches marked.
 *
 *   NPQ_BIN=build/npq node --test --test-concurrency=1 tests/api/search.test.js
 */
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');

const { prepareDemoDb, startServerWithArgs, apiAs, signIn } = require('./auth_helpers');

let server;
let demo;
let as;
const ctx = {};

function expectStatus(r, status, what) {
  assert.equal(r.status, status, `${what}: expected ${status}, got ${r.status} ${r.text.slice(0, 800)}`);
  return r.status === 204 ? null : r.json();
}
const search = async (who, q, extra = '') => expectStatus(await as[who].get(`/api/v1/search?q=${encodeURIComponent(q)}${extra}`), 200, `${who} searches ${q}`).results;
const kinds = (results) => results.map((r) => `${r.type}:${r.id ?? r.statement?.number}`);

before(async () => {
  demo = await prepareDemoDb({
    extraUsers: {
      elsewhere: { email: 'elsewhere@example.test', name: 'Elsie Elsewhere', role: 'participant' },
      lead2: { email: 'lead2@example.test', name: 'Lee Second', role: 'participant' },
    },
  });
  server = await startServerWithArgs([], { db: demo.dbPath, threads: 2 });
  as = Object.fromEntries(Object.entries(demo.tokens).map(([k, t]) => [k, apiAs(server, t, k)]));
  as.anonymous = apiAs(server, null);
  const admin = as.admin;
  const orgs = (await admin.json('/api/v1/organisations')).organisations;
  ctx.partner = orgs.find((o) => o.kind === 'delivery_partner').id;
  const school = orgs.find((o) => o.kind === 'school' && o.urn === '100001').id;
  ctx.otherPartner = expectStatus(
    await admin.post('/api/v1/organisations', { kind: 'delivery_partner', name: 'Thames Search Hub', regions_served: ['London'] }),
    201,
    'another partner',
  ).id;
  expectStatus(await admin.post(`/api/v1/users/${demo.ids.lead2}/roles`, { role: 'partner_lead', organisation_id: ctx.otherPartner }), 201, 'lead2 leads it');
  const cohort = async (code, partnerId) =>
    expectStatus(
      await admin.post('/api/v1/cohorts', { code, kind: 'qualification', target: 'NPQSL', starts_on: '2027-01-11', ends_on: '2028-07-14', delivery_model: 'blended', delivery_partner_id: partnerId }),
      201,
      code,
    ).id;
  ctx.c1 = await cohort('NPQSL-SEARCH-NW', ctx.partner);
  ctx.c2 = await cohort('NPQSL-SEARCH-LDN', ctx.otherPartner);
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

  const item = async (title, body, tags) => expectStatus(await admin.post('/api/v1/content', { kind: 'reading', title, body, minutes: 10, tags }), 201, title).id;
  /* Both study school-self-evaluation; neither studies leading-teaching (an NPQLT module). */
  ctx.studied = await item('Evaluation in practice', 'Leaders weigh the **quillwort** evidence.', ['module:school-self-evaluation']);
  ctx.bodied = ctx.studied;
  ctx.titled = await item('Quillwort', 'A short note.', []);
  ctx.unstudied = await item('Quillwort in another qualification', 'Only for quillwort teachers of leading teaching.', ['module:leading-teaching']);
  expectStatus(await as.partner_lead.put(`/api/v1/content/${ctx.studied}/variants/${ctx.partner}`, { title: 'Zephyrine contacts in the North West', body: 'Call the zephyrine hub.' }), 200, 'a variant');
  expectStatus(await as.lead2.put(`/api/v1/content/${ctx.studied}/variants/${ctx.otherPartner}`, { title: 'Zephyrine contacts in London', body: 'Call the Thames zephyrine hub.' }), 200, 'another partner\'s variant');

  const forums = async (who) => (await as[who].json('/api/v1/forums')).forums;
  ctx.f1 = (await forums('participant')).find((f) => f.kind === 'cohort').id;
  ctx.f2 = (await forums('elsewhere')).find((f) => f.kind === 'cohort').id;
  const thread = async (who, forum, title, body) => expectStatus(await as[who].post(`/api/v1/forums/${forum}/threads`, { title, body }), 201, title).posts[0].id;
  ctx.p1 = await thread('participant', ctx.f1, 'Marmalite week', 'What do marmalite leaders do first?');
  ctx.p4 = await thread('participant', ctx.f1, 'Leading a marmalite review', 'A plan for leading one.');
  ctx.p2 = await thread('elsewhere', ctx.f2, 'Marmalite in London', 'Our marmalite plans.');
  ctx.p3 = await thread('participant', ctx.f1, 'Hidden marmalite', 'A marmalite post to hide.');
  expectStatus(await as.facilitator.patch(`/api/v1/forum-posts/${ctx.p3}`, { hidden: true }), 200, 'hide it');
});

after(async () => {
  await server?.stop();
});

test('items, variants and statements are found, the best match first', async () => {
  const admin = await search('admin', 'quillwort');
  assert.deepEqual(admin.map((r) => r.type), ['content', 'content', 'content']);
  assert.equal(admin[2].id, ctx.bodied, 'a word in the body alone comes after words in titles');
  assert.ok(admin.some((r) => r.id === ctx.unstudied), 'staff find every item');
  const mine = await search('participant', 'quillwort');
  assert.deepEqual(mine.map((r) => r.id).sort(), [ctx.studied, ctx.titled].sort(), 'a participant finds the items of what they study, and untagged ones');
  assert.equal(mine.find((r) => r.id === ctx.studied).href, `/content/${ctx.studied}`);
  const statements = await search('participant', 'accountable scrutiny');
  assert.ok(statements.length >= 1 && statements[0].type === 'statement', JSON.stringify(statements));
  assert.equal(statements[0].statement.framework, 'npqsl');
  assert.match(statements[0].href, /^\/frameworks\/npqsl#area-\d+$/);
});

test('a local variant only for its partner\'s people and administrators', async () => {
  const variants = (results) => results.filter((r) => r.type === 'variant').map((r) => r.partner_id).sort();
  assert.deepEqual(variants(await search('participant', 'zephyrine')), [ctx.partner]);
  assert.deepEqual(variants(await search('elsewhere', 'zephyrine')), [ctx.otherPartner]);
  assert.deepEqual(variants(await search('partner_lead', 'zephyrine')), [ctx.partner]);
  assert.deepEqual(variants(await search('lead2', 'zephyrine')), [ctx.otherPartner]);
  assert.deepEqual(variants(await search('admin', 'zephyrine')), [ctx.partner, ctx.otherPartner].sort());
});

test('posts only from forums the person belongs to; hidden posts for moderators only', async () => {
  const posts = (results) => results.filter((r) => r.type === 'post').map((r) => r.id).sort((a, b) => a - b);
  assert.deepEqual(posts(await search('participant', 'marmalite')), [ctx.p1], 'not another cohort\'s, not a hidden one');
  assert.deepEqual(posts(await search('elsewhere', 'marmalite')), [ctx.p2]);
  assert.deepEqual(posts(await search('facilitator', 'marmalite')), [ctx.p1, ctx.p3], 'the moderator sees the hidden post');
  assert.deepEqual(posts(await search('headteacher', 'marmalite')), [], 'a person in no cohort');
  const hit = (await search('participant', 'marmalite')).find((r) => r.id === ctx.p1);
  assert.equal(hit.href, `/forums/threads/${hit.thread_id}#post-${ctx.p1}`);
});

test('snippets are plain runs with the matches marked', async () => {
  const [hit] = await search('participant', 'marmalite leaders', '&kind=post');
  assert.ok(Array.isArray(hit.snippet) && hit.snippet.length > 1, JSON.stringify(hit));
  for (const run of hit.snippet) assert.deepEqual(Object.keys(run).sort(), ['match', 'text']);
  assert.deepEqual(hit.snippet.filter((r) => r.match).map((r) => r.text.toLowerCase()), ['marmalite', 'leaders']);
  assert.equal(hit.snippet.map((r) => r.text).join(''), 'What do marmalite leaders do first?');
  assert.doesNotMatch(JSON.stringify(hit.snippet), /[\u0001\u0002<]/);
});

test('stemming: a word finds its other forms', async () => {
  const ids = async (q) => (await search('admin', q)).map((r) => r.id);
  assert.ok((await ids('leading')).includes(ctx.studied), '"leading" finds "Leaders"');
  assert.ok((await ids('leadership')).includes(ctx.studied), '"leadership" finds "Leaders"');
  const lead = await search('participant', 'leaderships', '&kind=post');
  assert.deepEqual(lead.map((r) => r.id).sort((a, b) => a - b), [ctx.p1, ctx.p4], '"leaderships" finds "leaders" and "Leading" in posts');
  assert.ok(lead.find((r) => r.id === ctx.p1).snippet.some((r) => r.match && /leaders/i.test(r.text)), 'and marks it');
  assert.ok((await ids('evaluating')).includes(ctx.studied), '"evaluating" finds "evaluation"');
});

test('filters by kind and module narrow the hits', async () => {
  assert.deepEqual((await search('admin', 'quillwort', '&module=leading-teaching')).map((r) => r.id), [ctx.unstudied]);
  assert.deepEqual((await search('participant', 'marmalite', '&kind=content')), []);
});

test('bad input is a 400 naming the field; a visitor is refused', async () => {
  const bad = async (query, field) => {
    const r = await as.participant.get(`/api/v1/search${query}`);
    assert.equal(r.status, 400, `${query}: ${r.status} ${r.text}`);
    assert.ok(r.json().error.fields.some((f) => f.field === field), `${query}: names ${field}: ${r.text}`);
  };
  await bad('', 'q');
  await bad('?q=', 'q');
  await bad(`?q=${'a'.repeat(201)}`, 'q');
  await bad('?q=quillwort&limit=0', 'limit');
  await bad('?q=quillwort&limit=x', 'limit');
  await bad('?q=quillwort&after=%25%25', 'after');
  expectStatus(await as.anonymous.get('/api/v1/search?q=quillwort'), 401, 'a visitor');
});

test('pages by cursor: the walk sees what one page shows, none twice', async () => {
  const all = await search('admin', 'quillwort zephyrine marmalite', '&limit=100');
  const whole = await search('admin', 'school', '&limit=100');
  assert.ok(whole.length > 3, 'enough to page');
  const key = (r) => `${r.type}:${r.id ?? ''}:${r.partner_id ?? ''}:${JSON.stringify(r.statement ?? '')}`;
  const seen = [];
  let url = '/api/v1/search?q=school&limit=2';
  for (let n = 0; url && n < 200; n++) {
    const r = await as.admin.get(url);
    assert.equal(r.status, 200, r.text);
    const page = r.json().results;
    assert.ok(page.length <= 2);
    seen.push(...page.map(key));
    const m = /^<([^>]+)>; rel="next"$/.exec(r.headers.get('link') || '');
    url = m ? m[1] : null;
  }
  assert.deepEqual(seen, whole.map(key));
  assert.ok(all.length >= 0);
});

/* The hrefs of the page's results, in order, and its highlighted words. */
function pageResults(html) {
  const hrefs = [...html.matchAll(/<li[^>]*data-testid="result"><a[^>]*href="([^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));
  const marks = [...html.matchAll(/<mark>([^<]*)<\/mark>/g)].map((m) => m[1].toLowerCase());
  return { hrefs, marks };
}

test('the search page shows what the API finds for the same person, never another cohort\'s post', async () => {
  const s = await signIn(server, demo.emails.participant);
  for (const q of ['quillwort', 'marmalite', 'zephyrine']) {
    const r = await s.get(`/search?q=${q}`);
    assert.equal(r.status, 200, `${q}: ${r.status} ${r.text.slice(0, 400)}`);
    assert.deepEqual(pageResults(r.text).hrefs, (await search('participant', q)).map((h) => h.href), `${q}: the page lists the API's hits`);
    assert.match(r.text, new RegExp(`value="${q}"`), 'the box keeps what was typed');
  }
  const posts = pageResults((await s.get('/search?q=marmalite')).text);
  assert.ok(!posts.hrefs.some((h) => h.endsWith(`#post-${ctx.p2}`)), "another cohort's post is not listed");
  assert.ok(!posts.hrefs.some((h) => h.endsWith(`#post-${ctx.p3}`)), 'a hidden post is not listed');
  assert.ok(posts.marks.includes('marmalite'), 'the matched word is marked');
  const filtered = await s.get('/search?q=quillwort&module=school-self-evaluation');
  assert.deepEqual(pageResults(filtered.text).hrefs, (await search('participant', 'quillwort', '&module=school-self-evaluation')).map((h) => h.href));
  assert.match(filtered.text, /<option value="school-self-evaluation" selected>/, 'the filter is kept');
  const none = await s.get('/search?q=xylophonic');
  assert.equal(none.status, 200);
  assert.match(none.text, /No results/);
});

test('the search page escapes what people wrote and refuses a bad query with the form kept', async () => {
  await as.participant.post(`/api/v1/forums/${ctx.f1}/threads`, { title: '<img src=x onerror=alert(1)> vorpaline', body: 'A <script>alert(2)</script> vorpaline post' });
  const s = await signIn(server, demo.emails.participant);
  const r = await s.get('/search?q=vorpaline');
  assert.equal(r.status, 200, r.text.slice(0, 400));
  assert.equal(pageResults(r.text).hrefs.length, 1, 'the post is found');
  assert.doesNotMatch(r.text, /<img src=x|<script>alert/, 'titles and snippets are escaped');
  assert.match(r.text, /&lt;img src=x onerror=alert\(1\)&gt;/);
  const long = 'a'.repeat(201);
  const bad = await s.get(`/search?q=${long}&module=school-self-evaluation`);
  assert.equal(bad.status, 400, bad.text.slice(0, 400));
  assert.match(bad.text, /govuk-error-summary/, 'the error is summarised');
  assert.ok(bad.text.includes(`value="${long}"`), 'what was typed is kept');
  assert.match(bad.text, /<option value="school-self-evaluation" selected>/);
  const visitor = await fetch(`${server.url}/search?q=quillwort`, { redirect: 'manual' });
  assert.ok([303, 401].includes(visitor.status), `a visitor is sent to sign in: ${visitor.status}`);
});

test('the search page pages by the same cursor as the API', async () => {
  const s = await signIn(server, demo.emails.admin);
  const whole = [];
  for (let url = '/api/v1/search?q=school&limit=500', n = 0; url && n < 50; n++) {
    const r = await as.admin.get(url);
    whole.push(...expectStatus(r, 200, 'the API walk').results.map((h) => h.href));
    url = (/^<([^>]+)>; rel="next"$/.exec(r.headers.get('link') || '') || [])[1];
  }
  assert.ok(whole.length > 20, `more than one page of the site: ${whole.length}`);
  const seen = [];
  let url = '/search?q=school';
  for (let n = 0; url && n < 50; n++) {
    const r = await s.get(url);
    assert.equal(r.status, 200, r.text.slice(0, 400));
    seen.push(...pageResults(r.text).hrefs);
    const next = /<a class="govuk-link govuk-pagination__link" href="([^"]+)" rel="next"/.exec(r.text);
    url = next ? next[1].replace(/&amp;/g, '&') : null;
  }
  assert.deepEqual(seen, whole);
});
