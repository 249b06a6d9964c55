'use strict';
/*
 * Bad request bodies against every operation of the route table, as the OpenAPI document lists
 * them: malformed JSON, JSON that is not an object, and a body sent to an operation that takes
 * none are each refused with a 4xx in the one error envelope, never a 5xx and never accepted
 * (POST /api/v1/calendar-feed once answered 201 to the body "{").
 *
 *   NPQ_BIN=build/npq node --test --test-concurrency=1 tests/api/bad_bodies.test.js
 */
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');

const { startServer } = require('./helpers');
const { prepareDemoDb, apiAs } = require('./auth_helpers');

let server;
let admin;
let operations;

before(async () => {
  const demo = await prepareDemoDb();
  server = await startServer({ db: demo.dbPath, threads: 1 });
  admin = apiAs(server, demo.tokens.admin, 'admin');
  const doc = await admin.json('/api/v1/openapi.json');
  operations = [];
  for (const [pattern, ops] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(ops))
      if (['post', 'patch', 'put', 'delete'].includes(method))
        operations.push({
          method: method.toUpperCase(),
          /* Every {param} as 1: the body is refused before any record is looked up. */
          path: pattern.replace(/\{[^}]+\}/g, '1'),
          takesBody: Boolean(op.requestBody),
          json: Boolean(op.requestBody?.content?.['application/json']),
        });
  assert.ok(operations.length > 40, `the route table lists the operations: ${operations.length}`);
});

after(async () => {
  await server?.stop();
});

function assertRefused(r, what, statuses) {
  assert.ok(statuses.includes(r.status), `${what}: expected one of ${statuses}, got ${r.status} ${r.text.slice(0, 300)}`);
  const body = r.json();
  assert.equal(body.error?.status, r.status, `${what}: the error envelope`);
  assert.equal(typeof body.error?.message, 'string', `${what}: a message`);
}

test('an operation that takes no body refuses one, and accepts none', async () => {
  const bodiless = operations.filter((o) => !o.takesBody);
  assert.ok(bodiless.some((o) => o.path === '/api/v1/calendar-feed' && o.method === 'POST'));
  for (const o of bodiless) {
    for (const body of ['{', '{"anything": 1}', 'hello']) {
      const r = await admin.request(o.method, o.path, { body, contentType: 'application/json' });
      assertRefused(r, `${o.method} ${o.path} with ${JSON.stringify(body)}`, [400]);
      assert.match(r.json().error.message, /takes no request body/);
    }
  }
  /* Nothing said is fine: the step is taken (or refused for its own reasons, never for the body). */
  const feed = await admin.request('POST', '/api/v1/calendar-feed', { body: '{}', contentType: 'application/json' });
  assert.equal(feed.status, 201, feed.text);
  const blank = await admin.request('POST', '/api/v1/calendar-feed', { body: ' \r\n', contentType: 'application/json' });
  assert.equal(blank.status, 201, blank.text);
});

test('an operation that takes JSON refuses malformed JSON and JSON that is not an object', async () => {
  for (const o of operations.filter((op) => op.json)) {
    for (const body of ['{', '[1, 2]', '"text"', '{"a": 1,}']) {
      const r = await admin.request(o.method, o.path, { body, contentType: 'application/json' });
      assertRefused(r, `${o.method} ${o.path} with ${JSON.stringify(body)}`, [400, 404, 409, 415, 422]);
      assert.ok(r.status < 500, `${o.method} ${o.path}: never a server error`);
    }
  }
});
