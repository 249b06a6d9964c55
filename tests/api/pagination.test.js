'use strict';
/*
 * Lists that scale: every list of the API (each GET whose OpenAPI answer carries a Link header,
 * which the route table gives every list) is walked a record at a time, ?limit=1, following
 * Link until there is none. The walk must see exactly the records one large page shows, in the
 * same order, none twice and none left out, and no page may hold more than it was asked for. A
 * malformed limit or after is a 400 naming the parameter.
 */
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');

const { initDb, runNpq, makeTempDir, startServer, getJson } = require('./helpers');
const { apiAs, createToken } = require('./auth_helpers');

let server;
let admin;
let lists; /* [{pattern, address}] */

/* The one array of a list's answer, and the name of its member. */
function itemsOf(doc, where) {
  const keys = Object.keys(doc).filter((k) => Array.isArray(doc[k]));
  assert.equal(keys.length, 1, `${where}: one list in the answer, found ${keys.join(', ')}`);
  return doc[keys[0]];
}

/* What names a record: its id, or its code for the catalogue's lists. */
function keyOf(item) {
  if (item.type !== undefined && item.snippet !== undefined) return `${item.type}:${item.id ?? ''}:${item.partner_id ?? ''}:${JSON.stringify(item.statement ?? '')}`;
  if (item.id !== undefined) return `id:${item.id}`;
  if (item.code !== undefined) return `code:${item.code}`;
  if (item.module !== undefined) return `module:${item.module}`;
  return JSON.stringify(item);
}

function nextOf(res) {
  const link = res.headers.get('link');
  if (!link) return null;
  const m = /^<([^>]+)>; rel="next"$/.exec(link);
  assert.ok(m, `a Link header of the form <...>; rel="next": ${link}`);
  return m[1];
}

/* Every record of address one at a time, following Link; the pages' sizes too. */
async function walk(address, limit) {
  const seen = [];
  const sizes = [];
  let url = `${address}${address.includes('?') ? '&' : '?'}limit=${limit}`;
  for (let pages = 0; url; pages++) {
    assert.ok(pages < 2000, `${address}: the walk ends`);
    const res = await admin.get(url);
    assert.equal(res.status, 200, `GET ${url}: ${res.text.slice(0, 300)}`);
    const items = itemsOf(res.json(), url);
    sizes.push(items.length);
    seen.push(...items.map(keyOf));
    const next = nextOf(res);
    if (next) {
      assert.ok(next.startsWith(new URL(url, server.url).pathname), `${url}: the next page is of the same list: ${next}`);
      assert.match(next, new RegExp(`[?&]limit=${limit}(&|$)`), `${url}: the next page keeps the limit`);
    }
    url = next;
  }
  return { seen, sizes };
}

before(async () => {
  const dir = await makeTempDir();
  const dbPath = path.join(dir, 'npq.db');
  await initDb(dbPath);
  const demo = await runNpq(['demo', '--db', dbPath, '--programme']);
  assert.equal(demo.code, 0, `npq demo --programme: ${demo.stderr}`);
  const token = await createToken(dbPath, 'admin@demo.npq.test', 'pagination');
  server = await startServer({ db: dbPath });
  admin = apiAs(server, token, 'admin');

  /* Two or more of what the demo programme has one of or none, made as an administrator would. */
  const made = async (r, what) => assert.ok([200, 201].includes(r.status), `${what}: ${r.status} ${r.text.slice(0, 300)}`);
  const modules = (await admin.json('/api/v1/modules')).modules.map((m) => m.code);
  const partner = await admin.post('/api/v1/organisations', { kind: 'delivery_partner', name: 'Second Partner', regions_served: ['London'] });
  await made(partner, 'a second partner');
  for (let i = 0; i < 3; i++) {
    await made(await admin.post('/api/v1/organisations', { kind: 'school', name: `Walk School ${i}`, urn: String(990100 + i) }), 'a school');
    await made(await admin.post('/api/v1/venues', { delivery_partner_id: partner.json().id, name: `Walk Venue ${i}`, postcode: 'SW1A 1AA', capacity: 30 }), 'a venue');
    await made(await admin.post('/api/v1/tokens', { name: `walk ${i}` }), 'a token');
    await made(await admin.put('/api/v1/module-credits', { module: modules[i], credits: 20, awarding_body: 'Walk University' }), 'credits');
    await made(await admin.post('/api/v1/content', { kind: 'reading', title: `Walk reading ${i}`, body: 'Read this.', minutes: 10, tags: [`module:${modules[i]}`] }), 'an item');
  }
  const everyone = (await admin.json('/api/v1/forums')).forums.find((f) => f.kind === 'provider');
  const thread = await admin.post(`/api/v1/forums/${everyone.id}/threads`, { title: 'Walk thread', body: 'The first post.' });
  await made(thread, 'a thread');
  for (let i = 0; i < 2; i++) {
    const reply = await admin.post(`/api/v1/forum-threads/${thread.json().thread.id}/posts`, { body: `Reply ${i}` });
    await made(reply, 'a reply');
    await made(await admin.post(`/api/v1/forum-posts/${reply.json().id}/reports`, { reason: `Walk report ${i}` }), 'a report');
  }
  const items = (await admin.json('/api/v1/content?limit=500')).items;
  for (let i = 0; i < 3; i++)
    await made(
      await admin.request('POST', `/api/v1/content/${items[0].id}/files`, {
        body: Buffer.from(`%PDF-1.4\n% walk ${i}\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n`),
        contentType: 'application/octet-stream',
        headers: { 'x-file-name': `walk-${i}.pdf` },
      }),
      'a file',
    );

  /* Records for the lists under another record: the one with the most in each. */
  const doc = await getJson(server.url, '/api/v1/openapi.json');
  const users = (await admin.json('/api/v1/users?limit=500')).users;
  const enrolments = (await admin.json('/api/v1/enrolments?limit=500')).enrolments;
  const events = (await admin.json('/api/v1/events?limit=500')).events;
  async function richest(ids, address) {
    let best = null;
    for (const id of ids) {
      const res = await admin.get(address(id));
      if (res.status !== 200) continue;
      const n = itemsOf(res.json(), address(id)).length;
      if (!best || n > best.n) best = { id, n };
    }
    assert.ok(best, `a record for ${address('{id}')}`);
    return best.id;
  }
  const forums = (await admin.json('/api/v1/forums?limit=500')).forums;
  const threads = [];
  for (const f of forums) threads.push(...(await admin.json(`/api/v1/forums/${f.id}?limit=500`)).threads);
  const parents = {
    '/api/v1/enrolments/{id}/activities': await richest(enrolments.map((e) => e.id), (id) => `/api/v1/enrolments/${id}/activities`),
    '/api/v1/forums/{id}': await richest(forums.map((f) => f.id), (id) => `/api/v1/forums/${id}`),
    '/api/v1/forum-threads/{id}': await richest(threads.map((t) => t.id), (id) => `/api/v1/forum-threads/${id}`),
    '/api/v1/users/{id}/assignments': await richest(users.map((u) => u.id), (id) => `/api/v1/users/${id}/assignments`),
    '/api/v1/enrolments/{id}/learning-records': await richest(enrolments.map((e) => e.id), (id) => `/api/v1/enrolments/${id}/learning-records`),
    '/api/v1/events/{id}/bookings': await richest(events.map((e) => e.id), (id) => `/api/v1/events/${id}/bookings`),
    '/api/v1/content/{id}/files': await richest(items.map((c) => c.id), (id) => `/api/v1/content/${id}/files`),
    '/api/v1/enrolments/{id}/declarations/made': await richest(enrolments.map((e) => e.id), (id) => `/api/v1/enrolments/${id}/declarations/made`),
  };
  lists = [];
  for (const [pattern, item] of Object.entries(doc.paths)) {
    if (!item.get?.responses?.['200']?.headers?.Link) continue;
    const names = item.get.parameters.map((p) => p.name);
    assert.ok(names.includes('limit') && names.includes('after'), `${pattern} documents limit and after`);
    const braces = pattern.match(/\{[^}]+\}/g) || [];
    let address = pattern === '/api/v1/search' ? '/api/v1/search?q=school' : pattern; /* q is required */
    if (braces.length) {
      assert.ok(parents[pattern], `a record to list under for ${pattern}`);
      address = pattern.replace(braces[0], String(parents[pattern]));
    }
    lists.push({ pattern, address });
  }
  /* The same lists with a filter: the Link must keep it. */
  lists.push({ pattern: '/api/v1/users?role=participant', address: '/api/v1/users?role=participant' });
  lists.push({ pattern: '/api/v1/tokens?all=1', address: '/api/v1/tokens?all=1' });
  lists.push({ pattern: '/api/v1/organisations?kind=school', address: '/api/v1/organisations?kind=school' });
});
after(async () => server?.stop());

test('every list of the route table is documented as one', async () => {
  const routes = await runNpq(['routes']);
  assert.equal(routes.code, 0, routes.stderr);
  const listed = new Set(lists.map((l) => l.pattern));
  const table = JSON.parse(routes.stdout).filter((r) => r.list);
  assert.ok(table.length >= 20, `npq routes marks the lists: ${table.length}`);
  for (const r of table) assert.ok(listed.has(r.pattern), `${r.method} ${r.pattern} is walked`);
  assert.equal(table.length, lists.filter((l) => !l.pattern.includes('?')).length, 'and nothing else is');
});

test('walking every list a record at a time sees each record once, in order', async () => {
  let walkedDeep = 0;
  for (const { pattern, address } of lists) {
    const whole = await walk(address, 500);
    const one = await walk(address, 1);
    assert.ok(one.sizes.every((n) => n <= 1), `${pattern}: ?limit=1 pages hold at most one (${one.sizes.slice(0, 5)})`);
    assert.equal(new Set(one.seen).size, one.seen.length, `${pattern}: no record twice`);
    assert.deepEqual(one.seen, whole.seen, `${pattern}: page by page is the whole list, in order`);
    if (whole.seen.length >= 2) walkedDeep++;
    else console.log(`# ${pattern} holds ${whole.seen.length} record(s) in the demo programme`);
  }
  /* Most lists must hold several records for the walk to prove anything. The demo programme has
   * one framework, one award and one learner's record of each kind, and no DfE configured, so the
   * declarations made and the DfE's call log are empty (tests/api/dfe_sync.test.js fills them). */
  assert.ok(walkedDeep >= lists.length - 5, `${walkedDeep} of ${lists.length} lists held two or more records`);
});

test('limit and after are checked, and the one named in the error', async () => {
  for (const { pattern, address } of lists) {
    const sep = address.includes('?') ? '&' : '?';
    for (const [query, field] of [
      ['limit=abc', 'limit'],
      ['limit=0', 'limit'],
      ['limit=501', 'limit'],
      ['limit=-1', 'limit'],
      ['after=garbage', 'after'],
      ['after=aTo0Mg%3D%3D', 'after'],
      ['after=', null],
    ]) {
      const res = await admin.get(`${address}${sep}${query}`);
      if (field === null) {
        assert.equal(res.status, 200, `${pattern} ${query}: an empty after is the first page`);
        continue;
      }
      assert.equal(res.status, 400, `${pattern} ${query}: ${res.status} ${res.text.slice(0, 200)}`);
      const fields = (res.json().error.fields || []).map((f) => f.field);
      assert.ok(fields.includes(field), `${pattern} ${query}: the error names ${field}: ${res.text}`);
    }
  }
});

test('a cursor of one list kind is refused by a list of another', async () => {
  const res = await admin.get('/api/v1/users?limit=1');
  const next = nextOf(res);
  assert.ok(next, 'people come more than one');
  const cursor = new URL(next, server.url).searchParams.get('after');
  const other = await admin.get(`/api/v1/enrolments?after=${cursor}`); /* ordered by id, not by name */
  assert.equal(other.status, 400);
  assert.deepEqual(other.json().error.fields.map((f) => f.field), ['after']);
});

test('a record added between pages is neither repeated nor makes another skipped', async () => {
  const first = await admin.get('/api/v1/organisations?kind=school&limit=2');
  const firstNames = itemsOf(first.json(), 'first').map((o) => o.name);
  const r = await admin.post('/api/v1/organisations', { kind: 'school', name: 'Aaa Early School', urn: '999001' });
  assert.equal(r.status, 201, r.text);
  const rest = [];
  for (let url = nextOf(first); url; ) {
    const res = await admin.get(url);
    rest.push(...itemsOf(res.json(), url).map((o) => o.name));
    url = nextOf(res);
  }
  const all = itemsOf(await admin.json('/api/v1/organisations?kind=school&limit=500'), 'all').map((o) => o.name);
  /* The new school sorts before the first page, so the walk goes on exactly where it left off. */
  assert.deepEqual([...firstNames, ...rest], all.filter((n) => n !== 'Aaa Early School'));
});
