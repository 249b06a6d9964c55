'use strict';
/*
 * The content library and the course view, black-box: the real binary on a demo database, an API
 * token for every demo role, another participant ("elsewhere") enrolled with another delivery
 * partner whose lead is "lead2", and the demo participant enrolled in NPQSL in a cohort of the demo
 * partner, both through the application flow.
 *
 *   NPQ_BIN=build/npq node --test --test-concurrency=1 tests/api/content.test.js
 *
 * The tests share one server and run in order; each says what it relies on. GET answers are
 * checked against the OpenAPI document's schema, strictly (no undeclared fields). Pages are asked
 * as signed-in people: what they show, that forms keep what was typed, and who is refused.
 */
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');

const { startDemoServer, apiAs, signIn, createToken } = require('./auth_helpers');

let server;
let demo;
let as;
let doc;
const ctx = {};

const MODULE = 'school-self-evaluation'; // an elective of both enrolments

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

const typeOf = (v) => (v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v);
const resolve = (ref) => ref.slice(2).split('/').reduce((node, part) => (node ? node[part] : undefined), doc);
function validate(schema, value, where, errors = []) {
  if (schema.$ref) return validate(resolve(schema.$ref), value, where, errors);
  if (schema.enum && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value)))
    errors.push(`${where}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  if ('const' in schema && JSON.stringify(value) !== JSON.stringify(schema.const)) errors.push(`${where}: not ${schema.const}`);
  if (schema.type) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    const t = typeOf(value);
    if (!types.includes(t) && !(t === 'integer' && types.includes('number')))
      return errors.push(`${where}: ${t} where the schema says ${types.join(' or ')}`), errors;
  }
  if (typeOf(value) === 'object') {
    for (const r of schema.required || []) if (!(r in value)) errors.push(`${where}: "${r}" is missing`);
    for (const [k, v] of Object.entries(value)) {
      if (schema.properties?.[k]) validate(schema.properties[k], v, `${where}.${k}`, errors);
      else if (schema.properties) errors.push(`${where}.${k}: sent but not in the schema`);
    }
  }
  if (typeOf(value) === 'array' && schema.items) value.forEach((v, i) => validate(schema.items, v, `${where}[${i}]`, errors));
  return errors;
}
function matchesSchema(key, body) {
  const [method, pattern] = key.split(' ');
  const op = doc.paths[pattern]?.[method.toLowerCase()];
  assert.ok(op, `${key} is in the OpenAPI document`);
  const success = ['200', '201'].find((c) => op.responses[c]);
  const schema = op.responses[success].content['application/json'].schema;
  assert.deepEqual(validate(schema, body, key), [], `${key} answers as its schema says`);
  return body;
}
async function getChecked(caller, url, key) {
  return matchesSchema(key, expectStatus(await caller.get(url), 200, `${caller.label}: GET ${url}`));
}

const reading = (extra = {}) => ({
  kind: 'reading',
  title: 'Self-evaluation that leads somewhere',
  body: '# Why evaluate\n\nRead this before the first session.',
  minutes: 20,
  tags: [`module:${MODULE}`, 'area:npqsl/3', 'statement:npqsl/3/learn-that/2'],
  ...extra,
});

before(async () => {
  ({ server, ...demo } = await startDemoServer({
    extraUsers: {
      elsewhere: { email: 'elsewhere@example.test', name: 'Elsie Elsewhere', role: 'participant' },
      lead2: { email: 'lead2@example.test', name: 'Lee Second', role: 'participant' },
    },
  }));
  as = Object.fromEntries(Object.entries(demo.tokens).map(([k, t]) => [k, apiAs(server, t, k)]));
  as.anonymous = apiAs(server, null);
  doc = await as.anonymous.json('/api/v1/openapi.json');
  const admin = as.admin;
  const orgs = (await admin.json('/api/v1/organisations')).organisations;
  ctx.partner = orgs.find((o) => o.kind === 'delivery_partner').id;
  const school = orgs.find((o) => o.kind === 'school' && o.urn === '100001').id;
  ctx.otherPartner = expectStatus(
    await admin.post('/api/v1/organisations', { kind: 'delivery_partner', name: 'Thames Teaching Hub', regions_served: ['London'] }),
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
  const c1 = await cohort('NPQSL-CONTENT-NW', ctx.partner);
  const c2 = await cohort('NPQSL-CONTENT-LDN', ctx.otherPartner);
  const answers = { kind: 'qualification', target: 'NPQSL', electives: [MODULE, 'leading-change-for-improvement'], funding_route: 'school', delivery_model: 'blended', job_role: 'Deputy head' };
  const step = async (who, id, name, body) => expectStatus(await as[who].post(`/api/v1/applications/${id}/${name}`, body), 200, `${who} ${name}`);
  const a1 = expectStatus(await as.participant.post('/api/v1/applications', { ...answers, school_id: school, sponsor_id: demo.ids.headteacher }), 201, 'apply').id;
  await step('participant', a1, 'submit');
  await step('headteacher', a1, 'approve');
  await step('admin', a1, 'accept');
  ctx.e1 = (await step('admin', a1, 'enrol', { cohort_id: c1 })).enrolment_id;
  const a2 = expectStatus(await as.elsewhere.post('/api/v1/applications', { ...answers, sponsor_id: demo.ids.admin }), 201, 'apply 2').id;
  await step('elsewhere', a2, 'submit');
  await step('admin', a2, 'approve');
  await step('admin', a2, 'accept');
  ctx.e2 = (await step('admin', a2, 'enrol', { cohort_id: c2 })).enrolment_id;
});

after(async () => {
  await server?.stop();
});

test('only administrators add items; a participant, a partner lead and a visitor are refused', async () => {
  expectStatus(await as.participant.post('/api/v1/content', reading()), 403, 'participant');
  expectStatus(await as.partner_lead.post('/api/v1/content', reading()), 403, 'partner lead');
  expectStatus(await as.anonymous.post('/api/v1/content', reading()), 401, 'visitor');
  const made = matchesSchema('POST /api/v1/content', expectStatus(await as.admin.post('/api/v1/content', reading()), 201, 'admin'));
  assert.equal(made.version, 1);
  assert.deepEqual(made.tags.map((t) => t.tag), ['area:npqsl/3', `module:${MODULE}`, 'statement:npqsl/3/learn-that/2']);
  const statement = made.tags.find((t) => t.tag.startsWith('statement:'));
  assert.equal(statement.label, 'Learn that 3.2: ');
  assert.ok(statement.text.length > 20, 'the statement is described in the framework\'s words');
  ctx.a = made.id;
  ctx.b = expectStatus(
    await as.admin.post('/api/v1/content', {
      kind: 'video',
      title: 'A headteacher on evaluation',
      media_url: 'https://media.example.org/evaluation.mp4',
      captions_url: 'https://media.example.org/evaluation.vtt',
      transcript: 'Welcome. Today we look at evaluation.',
      minutes: 50,
      tags: [`module:${MODULE}`],
    }),
    201,
    'video',
  ).id;
  ctx.c = expectStatus(await as.admin.post('/api/v1/content', reading({ title: 'An evaluation template', kind: 'tool_or_template', minutes: 10, tags: [] })), 201, 'tool').id;
});

test('an item is checked: tags against the catalogue, video needs its link, every field at once', async () => {
  expect422(await as.admin.post('/api/v1/content', reading({ tags: ['statement:npqsl/3/learn-that/99'] })), 'tags', /no learn-that statement 99/, 'unknown statement');
  expect422(await as.admin.post('/api/v1/content', reading({ tags: ['module:basket-weaving'] })), 'tags', /no module/, 'unknown module');
  expect422(await as.admin.post('/api/v1/content', reading({ kind: 'video' })), 'media_url', /https:\/\//, 'video without a link');
  const r = await as.admin.post('/api/v1/content', reading({ kind: 'podcast', title: '', minutes: 0 }));
  expect422(r, 'kind', /reading/, 'kind');
  expect422(r, 'title', /Enter a title/, 'title');
  expect422(r, 'minutes', /minutes/, 'minutes');
  expect422(await as.admin.post('/api/v1/content', reading({ media_url: 'javascript:alert(1)' })), 'media_url', /https/, 'a script link');
});

test('Markdown is rendered safely and titles travel as text', async () => {
  const made = expectStatus(
    await as.admin.post('/api/v1/content', reading({ title: '<img src=x onerror=alert(1)>', body: 'Hi <script>alert(1)</script> [x](javascript:alert(2))', tags: [] })),
    201,
    'a hostile item',
  );
  assert.equal(made.title, '<img src=x onerror=alert(1)>', 'kept as written');
  assert.doesNotMatch(made.body_html, /<script|javascript:/i);
  ctx.hostile = made.id;
});

test('an edit makes a new version with a change note; the history keeps every note', async () => {
  expect422(await as.admin.patch(`/api/v1/content/${ctx.a}`, { body: 'New text' }), 'change_note', /what changed/, 'no note');
  expectStatus(await as.participant.patch(`/api/v1/content/${ctx.a}`, { body: 'x', change_note: 'x' }), 403, 'a participant edits');
  const v2 = matchesSchema(
    'PATCH /api/v1/content/{id}',
    expectStatus(await as.admin.patch(`/api/v1/content/${ctx.a}`, { body: 'Read this first.', change_note: 'Shorter introduction' }), 200, 'edit'),
  );
  assert.equal(v2.version, 2);
  assert.equal(v2.title, reading().title, 'what was not sent is kept');
  assert.equal(v2.tags.length, 3, 'tags are kept when not sent');
  const seen = await getChecked(as.participant, `/api/v1/content/${ctx.a}`, 'GET /api/v1/content/{id}');
  assert.equal(seen.body, 'Read this first.');
  assert.deepEqual(seen.versions.map((v) => [v.version, v.change_note]), [[2, 'Shorter introduction'], [1, '']]);
  assert.deepEqual(seen.variants, [], 'a participant manages no variants');
  expectStatus(await as.participant.get('/api/v1/content/999999'), 404, 'no such item');
  const list = await getChecked(as.participant, `/api/v1/content?tag=module:${MODULE}`, 'GET /api/v1/content');
  assert.deepEqual(list.items.map((i) => i.id).sort(), [ctx.a, ctx.b].sort(), 'found by tag');
  const byTitle = await as.participant.json('/api/v1/content?q=template');
  assert.deepEqual(byTitle.items.map((i) => i.id), [ctx.c]);
});

test('partner leads write variants for their own partner only; participants see their partner\'s', async () => {
  const url = (item, partner) => `/api/v1/content/${item}/variants/${partner}`;
  const text = { title: 'Self-evaluation in the North West', body: 'Your local contact is **Nia** at the hub.' };
  expectStatus(await as.partner_lead.put(url(ctx.a, ctx.otherPartner), text), 403, 'another partner\'s');
  expectStatus(await as.lead2.put(url(ctx.a, ctx.partner), text), 403, 'lead2 on the demo partner');
  expectStatus(await as.participant.put(url(ctx.a, ctx.partner), text), 403, 'a participant');
  expect422(await as.partner_lead.put(url(ctx.a, ctx.partner), { title: 'x', body: '' }), 'body', /local text/, 'empty');
  const v = matchesSchema('PUT /api/v1/content/{id}/variants/{partner}', expectStatus(await as.partner_lead.put(url(ctx.a, ctx.partner), text), 200, 'own partner'));
  assert.equal(v.version, 1);
  expectStatus(await as.partner_lead.put(url(999999, ctx.partner), text), 404, 'no such item');
  expectStatus(await as.lead2.put(url(ctx.a, ctx.otherPartner), { title: 'In London', body: 'Call the Thames hub.' }), 200, 'lead2 on theirs');

  const mine = await getChecked(as.participant, `/api/v1/content/${ctx.a}`, 'GET /api/v1/content/{id}');
  assert.equal(mine.variant?.title, text.title, 'the participant sees their partner\'s variant');
  const theirs = await as.elsewhere.json(`/api/v1/content/${ctx.a}`);
  assert.equal(theirs.variant?.title, 'In London', 'and the other participant theirs');
  const lead = await as.partner_lead.json(`/api/v1/content/${ctx.a}`);
  assert.deepEqual(lead.variants.map((x) => x.partner_id), [ctx.partner], 'a partner lead manages only their own');
  const admin = await as.admin.json(`/api/v1/content/${ctx.a}`);
  assert.equal(admin.variants.length, 2, 'administrators see every variant');

  await getChecked(as.participant, url(ctx.a, ctx.partner), 'GET /api/v1/content/{id}/variants/{partner}');
  expectStatus(await as.participant.get(url(ctx.a, ctx.otherPartner)), 404, 'another partner\'s variant by id');
  expectStatus(await as.elsewhere.get(url(ctx.a, ctx.partner)), 404, 'and the other way');
  expectStatus(await as.partner_lead.get(url(ctx.a, ctx.otherPartner)), 404, 'a lead reading another partner\'s');
  expect422(await as.partner_lead.put(url(ctx.a, ctx.partner), text), 'change_note', /what changed/, 'a change needs a note');
});

test('administrators put items in ordered units of a module', async () => {
  const unit = (extra) => ({ module: MODULE, title: 'Knowing where you are', items: [ctx.a, ctx.b], ...extra });
  expectStatus(await as.partner_lead.post('/api/v1/content-units', unit()), 403, 'partner lead');
  expect422(await as.admin.post('/api/v1/content-units', unit({ module: 'nope' })), 'module', /module/, 'module');
  expect422(await as.admin.post('/api/v1/content-units', unit({ items: [ctx.a, ctx.a] })), 'items', /twice/, 'twice');
  expect422(await as.admin.post('/api/v1/content-units', unit({ items: [999999] })), 'items', /library/, 'unknown item');
  matchesSchema('POST /api/v1/content-units', expectStatus(await as.admin.post('/api/v1/content-units', unit()), 201, 'unit 1'));
  expectStatus(await as.admin.post('/api/v1/content-units', unit({ title: 'Tools', items: [ctx.c] })), 201, 'unit 2');
});

test('the course shows modules, units and items in order, with the partner\'s titles and what is next', async () => {
  const course = await getChecked(as.participant, `/api/v1/enrolments/${ctx.e1}/course`, 'GET /api/v1/enrolments/{id}/course');
  const m = course.modules.find((x) => x.module === MODULE);
  assert.ok(m, 'the elective is in the course');
  assert.deepEqual(m.units.map((u) => u.title), ['Knowing where you are', 'Tools']);
  assert.deepEqual(m.units[0].items.map((i) => i.item_id), [ctx.a, ctx.b]);
  assert.equal(m.units[0].items[0].title, 'Self-evaluation in the North West', 'the variant\'s title');
  assert.equal(m.units[0].items[0].local_variant, true);
  assert.equal(m.minutes, 80);
  assert.equal(course.next.item_id, ctx.a);
  assert.equal(course.items, 3);
  const theirs = await as.elsewhere.json(`/api/v1/enrolments/${ctx.e2}/course`);
  assert.equal(theirs.modules.find((x) => x.module === MODULE).units[0].items[0].title, 'In London');
  await as.coach.json(`/api/v1/enrolments/${ctx.e1}/course`); // the participant's coach
  expectStatus(await as.elsewhere.get(`/api/v1/enrolments/${ctx.e1}/course`), 404, 'another participant\'s course');
  expectStatus(await as.participant.get(`/api/v1/enrolments/${ctx.e1}/course/${ctx.hostile}`), 404, 'an item not in the course');
});

test('marking done moves the course on and offers the time to the hours log', async () => {
  const item = await getChecked(as.participant, `/api/v1/enrolments/${ctx.e1}/course/${ctx.a}`, 'GET /api/v1/enrolments/{id}/course/{item}');
  assert.equal(item.variant.title, 'Self-evaluation in the North West');
  assert.equal(item.next.item_id, ctx.b);
  expectStatus(await as.coach.post(`/api/v1/enrolments/${ctx.e1}/course/${ctx.a}/done`), 403, 'the coach');
  expectStatus(await as.elsewhere.post(`/api/v1/enrolments/${ctx.e1}/course/${ctx.a}/done`), 404, 'someone else');
  const done = matchesSchema(
    'POST /api/v1/enrolments/{id}/course/{item}/done',
    expectStatus(await as.participant.post(`/api/v1/enrolments/${ctx.e1}/course/${ctx.b}/done`), 200, 'done'),
  );
  assert.deepEqual({ ...done.suggested_activity, done_on: '' }, { module: MODULE, type: 'online_learning', done_on: '', hours: 1 });
  expectStatus(await as.participant.post(`/api/v1/enrolments/${ctx.e1}/activities`, done.suggested_activity), 201, 'the offer, taken');
  const course = await as.participant.json(`/api/v1/enrolments/${ctx.e1}/course`);
  const m = course.modules.find((x) => x.module === MODULE);
  assert.equal(m.minutes_done, 50);
  assert.equal(m.hours_logged, 1);
  assert.equal(course.items_done, 1);
  assert.equal(course.next.item_id, ctx.a, 'the first not done');
});

test('a change to a completed item shows as updated with its note until marked done again', async () => {
  expectStatus(await as.participant.post(`/api/v1/enrolments/${ctx.e1}/course/${ctx.a}/done`), 200, 'done a');
  let entry = (await as.participant.json(`/api/v1/enrolments/${ctx.e1}/course`)).modules.find((x) => x.module === MODULE).units[0].items[0];
  assert.equal(entry.done, true);
  assert.equal(entry.updated, false);
  expectStatus(await as.admin.patch(`/api/v1/content/${ctx.a}`, { body: 'Now with the 2026 inspection framework.', change_note: 'Updated for the new inspection framework' }), 200, 'v3');
  entry = (await as.participant.json(`/api/v1/enrolments/${ctx.e1}/course`)).modules.find((x) => x.module === MODULE).units[0].items[0];
  assert.equal(entry.updated, true);
  assert.equal(entry.change_note, 'Updated for the new inspection framework');
  expectStatus(await as.partner_lead.put(`/api/v1/content/${ctx.a}/variants/${ctx.partner}`, { title: 'Self-evaluation in the North West', body: 'Your contact is now Sam.', change_note: 'New local contact' }), 200, 'variant v2');
  expectStatus(await as.participant.post(`/api/v1/enrolments/${ctx.e1}/course/${ctx.a}/done`), 200, 'done again');
  entry = (await as.participant.json(`/api/v1/enrolments/${ctx.e1}/course`)).modules.find((x) => x.module === MODULE).units[0].items[0];
  assert.equal(entry.updated, false);
  expectStatus(await as.partner_lead.put(`/api/v1/content/${ctx.a}/variants/${ctx.partner}`, { title: 'Self-evaluation in the North West', body: 'Your contact is Sam, on 0161 000 0000.', change_note: 'Phone number added' }), 200, 'variant v3');
  entry = (await as.participant.json(`/api/v1/enrolments/${ctx.e1}/course`)).modules.find((x) => x.module === MODULE).units[0].items[0];
  assert.equal(entry.updated, true, 'a change to the variant counts too');
  assert.equal(entry.change_note, 'Phone number added');
});

test('views and completions are learning records an xAPI store can read', async () => {
  const records = await getChecked(as.participant, `/api/v1/enrolments/${ctx.e1}/learning-records`, 'GET /api/v1/enrolments/{id}/learning-records');
  const verbs = records.statements.map((s) => s.verb.id.split('/').pop());
  assert.deepEqual(verbs, ['experienced', 'completed', 'completed', 'completed']);
  const first = records.statements[0];
  assert.equal(first.actor.mbox, `mailto:${demo.emails.participant}`);
  assert.equal(first.object.id, `urn:npq:content:${ctx.a}:2`);
  assert.equal(first.context.module, MODULE);
  const completed = records.statements[1];
  assert.deepEqual(completed.result, { completion: true, duration: 'PT3000S' });
  // Pages follow by the cursor in the Link header.
  const one = await as.participant.get(`/api/v1/enrolments/${ctx.e1}/learning-records?limit=1`);
  assert.equal((await one.json()).statements[0].id, first.id);
  const next = /<([^>]+)>; rel="next"/.exec(one.headers.get('link') || '');
  assert.ok(next, 'a first page of one names the next');
  const later = await as.participant.json(next[1].replace('limit=1', 'limit=10'));
  assert.equal(later.statements.length, 3);
  expectStatus(await as.participant.get(`/api/v1/enrolments/${ctx.e1}/learning-records?after=x`), 400, 'a malformed after');
  expectStatus(await as.elsewhere.get(`/api/v1/enrolments/${ctx.e1}/learning-records`), 404, 'someone else\'s');
  // The coach opening an item is not the participant's learning.
  await as.coach.json(`/api/v1/enrolments/${ctx.e1}/course/${ctx.a}`);
  assert.equal((await as.participant.json(`/api/v1/enrolments/${ctx.e1}/learning-records`)).statements.length, 4);
});

/* ---------------------------------------------------------------- pages */

const pages = {};
async function page(who) {
  if (!pages[who]) pages[who] = await signIn(server, demo.emails[who]);
  return pages[who];
}
const get = async (who, p, status = 200) => {
  const r = await (await page(who)).get(p);
  assert.equal(r.status, status, `${who}: GET ${p}: ${r.status} ${r.text.slice(0, 600)}`);
  return r.text;
};

test('the library lists items and the participant\'s course; only administrators are offered the form', async () => {
  const html = await get('participant', '/content');
  assert.match(html, /Your courses/);
  assert.match(html, new RegExp(`href="/enrolments/${ctx.e1}/course"`));
  assert.match(html, /A headteacher on evaluation/);
  assert.doesNotMatch(html, /href="\/content\/new"/);
  assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;/, 'a hostile title is text');
  assert.doesNotMatch(html, /<img src=x/);
  assert.match(await get('admin', '/content'), /href="\/content\/new"/);
  assert.doesNotMatch(await get('participant', '/content?q=template'), /A headteacher on evaluation/);
  await get('participant', '/content/new', 403);
  await get('partner_lead', '/content/new', 403);
  const r = await (await page('participant')).post('/content/new', { kind: 'reading', title: 'x', minutes: '5' });
  assert.equal(r.status, 403, 'a participant cannot post the form');
});

test('a unit of a course is added on a page, with the same rules as the API', async () => {
  await get('participant', '/content/units/new', 403);
  const form = await get('admin', '/content/units/new');
  assert.match(form, /name="items" type="checkbox" value="/, 'the library is offered as checkboxes');
  const s = await page('admin');
  const bad = await s.post('/content/units/new', { module: MODULE, title: '', items: [String(ctx.c), String(ctx.a)] });
  assert.equal(bad.status, 422, bad.text.slice(0, 400));
  assert.match(bad.text, /govuk-error-summary/);
  assert.match(bad.text, new RegExp(`value="${ctx.c}" checked`), 'the items ticked stay ticked');
  assert.match(bad.text, new RegExp(`<option value="${MODULE}" selected`), 'the module chosen stays chosen');
  const none = await s.post('/content/units/new', { module: MODULE, title: 'Nothing in it' });
  assert.equal(none.status, 422);
  assert.match(none.text, /href="#items"/, 'no items is named against the items');
  const before = await as.participant.json(`/api/v1/enrolments/${ctx.e1}/course`);
  const ok = await s.post('/content/units/new', { module: MODULE, title: 'Made on a page', items: [String(ctx.c), String(ctx.a)] });
  assert.equal(ok.status, 303, ok.text.slice(0, 400));
  assert.match(await get('admin', ok.headers.get('location')), /Unit added to the course/);
  const after = await as.participant.json(`/api/v1/enrolments/${ctx.e1}/course`);
  const units = after.modules.find((m) => m.module === MODULE).units;
  const unit = units[units.length - 1];
  assert.equal(unit.title, 'Made on a page');
  assert.deepEqual(unit.items.map((i) => i.item_id), [ctx.c, ctx.a], 'in the order given');
  assert.equal(after.items, before.items + 2);
});

test('the add form keeps what was typed and names every problem', async () => {
  const s = await page('admin');
  const r = await s.post('/content/new', { kind: 'video', title: 'Typed <title>', minutes: 'ten', body: 'Kept body', tags: 'module:leading-teaching\nstatement:npqsl/3/learn-that/99' });
  assert.equal(r.status, 422, r.text.slice(0, 400));
  assert.match(r.text, /govuk-error-summary/);
  assert.match(r.text, /value="Typed &lt;title&gt;"/);
  assert.match(r.text, />Kept body</);
  assert.match(r.text, /statement:npqsl\/3\/learn-that\/99/, 'the tags as typed');
  assert.match(r.text, /no learn-that statement 99/);
  assert.match(r.text, /Enter the link to the video/);
  assert.match(r.text, /estimated time in minutes/i);
  const ok = await s.post('/content/new', { kind: 'reading', title: 'Made on the page', minutes: '15', body: 'Hello', tags: `module:${MODULE}\n` });
  assert.equal(ok.status, 303, ok.text.slice(0, 400));
  const item = await get('admin', ok.headers.get('location'));
  assert.match(item, /Item added/);
  assert.match(item, /Made on the page/);
  ctx.pageItem = Number(/\/content\/(\d+)/.exec(ok.headers.get('location'))[1]);
  const edit = await s.post(`/content/${ctx.pageItem}/edit`, { kind: 'reading', title: 'Made on the page', minutes: '15', body: 'Hello again', tags: `module:${MODULE}`, change_note: '' });
  assert.equal(edit.status, 422);
  assert.match(edit.text, /Hello again/);
  assert.match(edit.text, /Say what changed/);
  const saved = await s.post(`/content/${ctx.pageItem}/edit`, { kind: 'reading', title: 'Made on the page', minutes: '15', body: 'Hello again', tags: `module:${MODULE}`, change_note: 'Friendlier' });
  assert.equal(saved.status, 303);
  assert.match(await get('participant', `/content/${ctx.pageItem}`), /Friendlier/);
  await get('participant', `/content/${ctx.pageItem}/edit`, 403);
});

test('an item page plays video with captions and shows the partner\'s variant to its participants only', async () => {
  const video = await get('participant', `/content/${ctx.b}`);
  assert.match(video, /<video controls preload="metadata" src="https:\/\/media\.example\.org\/evaluation\.mp4" crossorigin="anonymous"/);
  assert.match(video, /<track kind="captions" src="https:\/\/media\.example\.org\/evaluation\.vtt"/);
  assert.match(video, /Transcript/);
  const mine = await get('participant', `/content/${ctx.a}`);
  assert.match(mine, /The local version for/);
  assert.match(mine, /Your contact is Sam/);
  assert.match(mine, /Statement|Learn that 3\.2/);
  const theirs = await get('elsewhere', `/content/${ctx.a}`);
  assert.match(theirs, /Call the Thames hub/);
  assert.doesNotMatch(theirs, /Sam/);
  const hostile = await get('participant', `/content/${ctx.hostile}`);
  assert.doesNotMatch(hostile, /<script>alert|javascript:alert/);
});

test('a partner lead writes their own partner\'s variant on a page, and no one else\'s', async () => {
  const url = `/content/${ctx.c}/variants/${ctx.partner}`;
  await get('lead2', url, 403);
  await get('participant', url, 403);
  const form = await get('partner_lead', url);
  assert.match(form, /Local variant/);
  const s = await page('partner_lead');
  const bad = await s.post(url, { title: 'Our template', body: '' });
  assert.equal(bad.status, 422);
  assert.match(bad.text, /value="Our template"/);
  const ok = await s.post(url, { title: 'Our template', body: 'Use the hub\'s version.' });
  assert.equal(ok.status, 303, ok.text.slice(0, 300));
  assert.match(await get('participant', `/content/${ctx.c}`), /Use the hub&#39;s version|Use the hub's version/);
  const other = await (await page('lead2')).post(url, { title: 'x', body: 'y' });
  assert.equal(other.status, 403);
});

test('the course page is a task list with what is next; items are marked done and offer the hours log', async () => {
  const html = await get('participant', `/enrolments/${ctx.e1}/course`);
  assert.match(html, /Your course/);
  assert.match(html, /govuk-task-list/);
  assert.match(html, /data-testid="next"/);
  assert.match(html, /Updated/, 'the changed variant shows');
  assert.match(html, /Phone number added/);
  await get('elsewhere', `/enrolments/${ctx.e1}/course`, 404);
  await get('coach', `/enrolments/${ctx.e1}/course`);
  const item = await get('participant', `/enrolments/${ctx.e1}/course/${ctx.c}`);
  assert.match(item, /Mark as done/);
  const s = await page('participant');
  const done = await s.post(`/enrolments/${ctx.e1}/course/${ctx.c}/done`, {});
  assert.equal(done.status, 303, done.text.slice(0, 300));
  const after = await get('participant', done.headers.get('location'));
  assert.match(after, /Marked as done/);
  assert.match(after, /data-testid="hours-offer"/);
  assert.match(after, /name="hours" value="0\.25"/);
  const logged = await s.post(`/enrolments/${ctx.e1}/hours`, {
    module: MODULE,
    type: 'online_learning',
    'date-year': /name="date-year" value="(\d+)"/.exec(after)[1],
    'date-month': /name="date-month" value="(\d+)"/.exec(after)[1],
    'date-day': /name="date-day" value="(\d+)"/.exec(after)[1],
    hours: '0.25',
    reflection: 'Studied: the template',
  });
  assert.equal(logged.status, 303, `the offer goes into the hours log: ${logged.text.slice(0, 300)}`);
  const coachView = await get('coach', `/enrolments/${ctx.e1}/course/${ctx.c}`);
  assert.doesNotMatch(coachView, /Mark as done/, 'the coach is not offered the button');
  const refused = await (await page('coach')).post(`/enrolments/${ctx.e1}/course/${ctx.c}/done`, {});
  assert.equal(refused.status, 403);
});
