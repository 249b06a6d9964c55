'use strict';
/*
 * GET /api/v1/me is answered from the loop's cached caller, its JSON made once and kept with it.
 * Whatever changes the account, its roles or its organisation must show in the very next answer,
 * never a kept copy: a renamed person, a role granted and removed, a renamed organisation, an
 * account deactivated (401 from then on).
 */
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');

const { startDemoServer, apiAs } = require('./auth_helpers');

let server;
let demo;
let admin;
let me;
before(async () => {
  ({ server, ...demo } = await startDemoServer({ threads: 1 }));
  admin = apiAs(server, demo.tokens.admin, 'admin');
  me = apiAs(server, demo.tokens.coach, 'coach');
});
after(async () => server?.stop());

const read = async () => {
  const r = await me.get('/api/v1/me');
  assert.equal(r.status, 200, r.text);
  return r.json();
};

test('the same answer, read again and again', async () => {
  const first = await read();
  for (let i = 0; i < 5; i++) assert.deepEqual(await read(), first);
});

test('a change to the person shows at once', async () => {
  await read();
  const renamed = await admin.patch(`/api/v1/users/${demo.ids.coach}`, { name: 'Carys Renamed' });
  assert.equal(renamed.status, 200, renamed.text);
  assert.equal((await read()).name, 'Carys Renamed');

  const granted = await admin.post(`/api/v1/users/${demo.ids.coach}/roles`, { role: 'assessor' });
  assert.equal(granted.status, 201, granted.text);
  const withRole = await read();
  const grant = withRole.roles.find((g) => g.role === 'assessor');
  assert.ok(grant, `the new role is there: ${JSON.stringify(withRole.roles)}`);
  const removed = await admin.delete(`/api/v1/users/${demo.ids.coach}/roles/${grant.id}`);
  assert.ok([200, 204].includes(removed.status), removed.text);
  assert.ok(!(await read()).roles.some((g) => g.role === 'assessor'), 'the removed role is gone');
});

test("a change to the person's organisation shows at once", async () => {
  const lead = await apiAs(server, demo.tokens.partner_lead, 'lead').get('/api/v1/me');
  const org = lead.json().organisation_id || lead.json().organisation?.id;
  assert.ok(org, `the lead works at an organisation: ${lead.text}`);
  const before = await apiAs(server, demo.tokens.partner_lead).get('/api/v1/me');
  assert.equal(before.status, 200);
  const r = await admin.patch(`/api/v1/organisations/${org}`, { name: 'North West Hub, renamed' });
  assert.equal(r.status, 200, r.text);
  const after = await apiAs(server, demo.tokens.partner_lead).get('/api/v1/me');
  assert.match(after.text, /North West Hub, renamed/);
});

test('a deactivated account is refused at once', async () => {
  await read();
  const off = await admin.patch(`/api/v1/users/${demo.ids.coach}`, { active: false });
  assert.equal(off.status, 200, off.text);
  assert.equal((await me.get('/api/v1/me')).status, 401);
});
