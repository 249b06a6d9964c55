'use strict';
/*
 * The administration pages, black-box: the real binary on a temporary database, people made
 * with the command line, sessions made through the real sign-in page, and every change checked
 * where a user would see it (the pages, the JSON API, the audit log).
 *
 *   NPQ_BIN=build/npq node --test --test-concurrency=1 tests/api/admin_pages.test.js
 */
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');

const { makeTempDir, runNpq, initDb, startServer, request, signIn } = require('./helpers');

const PASSWORD = 'correct-horse-battery-staple-9';

/* Runs npq and returns its standard output, failing the test when it fails. */
async function npq(args, input) {
  const r = await runNpq(args, { input });
  assert.equal(r.code, 0, `npq ${args.join(' ')}: exit ${r.code}\n${r.stderr}`);
  return r.stdout.trim();
}

async function addPerson(db, email, name, role, organisation) {
  const args = ['user', 'add', '--db', db, '--email', email, '--name', name, '--role', role, '--password-stdin'];
  if (organisation) args.push('--organisation', organisation);
  return npq(args, `${PASSWORD}\n`);
}

/* The main content of a page, so that navigation and headers do not satisfy an assertion. */
function main(html) {
  const m = /<main[^>]*>([\s\S]*)<\/main>/.exec(html);
  assert.ok(m, `no <main> in the page:\n${html.slice(0, 500)}`);
  return m[1];
}

function unescapeHtml(s) {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/* A CSV file for a multipart form, as a browser sends a chosen file. */
function csvForm(kind, csv, action = 'preview') {
  const form = new FormData();
  form.set('action', action);
  form.set('kind', kind);
  form.set('file', new Blob([csv], { type: 'text/csv' }), `${kind}.csv`);
  return form;
}

function assertStatus(r, status, what) {
  assert.equal(r.status, status, `${what}: status ${r.status}\n${r.text.slice(0, 2000)}`);
}

test('administration pages', async (t) => {
  const dir = await makeTempDir();
  const db = path.join(dir, 'npq.db');
  await initDb(db);
  const adminId = await addPerson(db, 'admin@example.org', 'Ada Admin', 'admin');
  const partnerId = await npq(['organisation', 'add', '--db', db, '--kind', 'delivery_partner', '--name', 'North Partner']);
  const leadId = await addPerson(db, 'lead@example.org', 'Lee Lead', 'partner_lead', partnerId);
  const participantId = await addPerson(db, 'pat@example.org', 'Pat Participant', 'participant');
  const coachId = await addPerson(db, 'coach@example.org', 'Cora Coach', 'coach');

  const server = await startServer({ db });
  t.after(() => server.stop());
  const base = server.url;
  const admin = await signIn(base, 'admin@example.org', PASSWORD);
  const lead = await signIn(base, 'lead@example.org', PASSWORD);
  const participant = await signIn(base, 'pat@example.org', PASSWORD);

  await t.test('every page renders for an administrator', async () => {
    const pages = [
      ['/admin/users', ['People', 'Invite a person', 'href="/admin/users/new"', 'Lee Lead', 'Pat Participant']],
      ['/admin/users/new', ['Invite a person', 'name="email"', 'name="name"', 'name="role"', 'North Partner']],
      [`/admin/users/${leadId}`, ['Lee Lead', 'lead@example.org', 'Delivery partner lead', 'Grant a role',
        'Deactivate account', `/admin/audit?entity=user&amp;entity_id=${leadId}`]],
      ['/admin/organisations', ['Organisations', 'Add an organisation', 'North Partner']],
      ['/admin/organisations/new', ['Add an organisation', 'name="urn"', 'separate regions with semicolons', 'Yorkshire and the Humber']],
      [`/admin/organisations/${partnerId}`, ['North Partner', 'Delivery partner', 'Save changes']],
      ['/admin/imports', ['enctype="multipart/form-data"', 'type="file"', 'accept=".csv', 'school_urn', 'local_authority']],
      ['/admin/audit', ['Audit log', 'name="since"', 'user.create']],
    ];
    for (const [pathname, expected] of pages) {
      const r = await admin.get(pathname);
      assertStatus(r, 200, `GET ${pathname}`);
      assert.match(r.headers.get('content-type'), /^text\/html/);
      const body = main(r.text);
      for (const text of expected)
        assert.ok(body.toLowerCase().includes(text.toLowerCase()), `GET ${pathname} should show ${text}`);
    }
  });

  await t.test('a partner lead sees the people of their partner, and nothing of an administrator', async () => {
    const r = await lead.get('/admin/users');
    assertStatus(r, 200, 'GET /admin/users as a partner lead');
    const body = main(r.text);
    assert.match(body, /Lee Lead/);
    assert.doesNotMatch(body, /Ada Admin/, 'the list is limited to their scope');
    assert.doesNotMatch(body, /Invite a person|\/admin\/users\/new/);
    assert.equal((await lead.get('/admin/users/new')).status, 403);
    assert.equal((await lead.get('/admin/audit')).status, 403);
    assert.equal((await lead.get('/admin/imports')).status, 403);
    assert.equal((await lead.get(`/admin/users/${adminId}`)).status, 404, 'someone out of scope looks absent');
    const own = await lead.get(`/admin/users/${leadId}`);
    assertStatus(own, 200, 'their own page');
    assert.doesNotMatch(main(own.text), /Grant a role|Deactivate account|<form method="post"/);
    const orgs = await lead.get('/admin/organisations');
    assertStatus(orgs, 200, 'organisations for a partner lead');
    assert.doesNotMatch(main(orgs.text), /Add an organisation/);
    const org = await lead.get(`/admin/organisations/${partnerId}`);
    assertStatus(org, 200, 'an organisation for a partner lead');
    assert.doesNotMatch(main(org.text), /Save changes/);
  });

  await t.test('a participant cannot see organisations', async () => {
    assert.equal((await participant.get('/admin/organisations')).status, 403);
    assert.equal((await participant.get(`/admin/organisations/${partnerId}`)).status, 403);
    const r = await participant.get('/admin/users');
    assertStatus(r, 200, 'their list of people');
    assert.doesNotMatch(main(r.text), /Lee Lead|Ada Admin/);
  });

  await t.test('anonymous visitors are sent to sign in and brought back', async () => {
    for (const pathname of ['/admin/users', '/admin/organisations', '/admin/audit', `/admin/users/${leadId}`]) {
      const r = await request(base, pathname);
      assert.equal(r.status, 303, `GET ${pathname} anonymously`);
      assert.equal(r.headers.get('location'), `/sign-in?next=${pathname}`);
    }
  });

  let invitedId;
  await t.test('inviting through the form creates the person and emails them', async () => {
    const r = await admin.post('/admin/users/new', {
      email: 'new.person@example.org',
      name: 'New Person',
      role: 'facilitator',
      organisation_id: partnerId,
    });
    assertStatus(r, 303, 'POST /admin/users/new');
    const m = /^\/admin\/users\/(\d+)\?notice=invited$/.exec(r.headers.get('location'));
    assert.ok(m, `redirected to the person: ${r.headers.get('location')}`);
    invitedId = m[1];
    const page = await admin.get(r.headers.get('location'));
    assertStatus(page, 200, 'the new person');
    assert.match(page.text, /Invitation sent to new\.person@example\.org/);
    assert.match(main(page.text), /Facilitator/);
    assert.match(main(page.text), /North Partner/);
    assert.match(main(page.text), /invitation pending/);

    const api = await admin.get('/api/v1/users?q=new.person');
    assertStatus(api, 200, 'GET /api/v1/users');
    const { users } = api.json();
    assert.equal(users.length, 1);
    assert.equal(String(users[0].id), invitedId);
    assert.deepEqual(
      users[0].roles.map((g) => [g.role, g.organisation && String(g.organisation.id)]),
      [['facilitator', partnerId]],
      'the organisation is the scope of a role that needs one',
    );
    assert.equal(String(users[0].organisation.id), partnerId);
  });

  await t.test('a duplicate email shows the form again with the error', async () => {
    const r = await admin.post('/admin/users/new', {
      email: 'NEW.person@example.org',
      name: 'Someone Else',
      role: 'participant',
      organisation_id: '',
    });
    assertStatus(r, 422, 'POST /admin/users/new with a taken email');
    const body = main(r.text);
    assert.match(body, /govuk-error-summary/);
    assert.match(body, /<a href="#email">An account with this email address already exists<\/a>/);
    assert.match(body, /id="email-error"/);
    assert.match(body, /value="Someone Else"/, 'what was typed is kept');
    assert.match(r.text, /<title>Error: /);
  });

  await t.test('invalid fields are all reported at once, and nothing is created', async () => {
    const r = await admin.post('/admin/users/new', { email: 'not-an-email', name: '', role: '' });
    assertStatus(r, 422, 'POST /admin/users/new with nothing right');
    const body = main(r.text);
    for (const field of ['email', 'name', 'role']) assert.match(body, new RegExp(`href="#${field}"`));
    const head = await admin.post('/admin/users/new', {
      email: 'head@example.org',
      name: 'Hedda Head',
      role: 'headteacher',
      organisation_id: partnerId,
    });
    assertStatus(head, 422, 'a headteacher scoped to a delivery partner');
    assert.match(main(head.text), /href="#organisation_id"/);
    assert.equal((await admin.get('/api/v1/users?q=head%40example.org')).json().users.length, 0);
  });

  await t.test('forms posted without their CSRF token are refused', async () => {
    const r = await admin.post(
      '/admin/users/new',
      { email: 'csrf@example.org', name: 'No Token', role: 'participant' },
      { withCsrf: false },
    );
    assert.equal(r.status, 403);
    const wrong = await admin.post(`/admin/users/${participantId}/active`, { active: '0', csrf_token: 'forged' }, { withCsrf: false });
    assert.equal(wrong.status, 403);
    const upload = await admin.postMultipart('/admin/imports', csvForm('schools', 'name,urn\nA,123456\n'), { withCsrf: false });
    assert.equal(upload.status, 403, 'a multipart form without its token');
    assert.equal((await admin.get('/api/v1/users?q=csrf%40example.org')).json().users.length, 0);
  });

  await t.test('roles are granted and revoked; an administrator keeps their own', async () => {
    const grant = await admin.post(`/admin/users/${participantId}/roles`, { role: 'mentor', organisation_id: partnerId });
    assertStatus(grant, 303, 'grant a role');
    assert.equal(grant.headers.get('location'), `/admin/users/${participantId}?notice=role_granted`);
    const user = (await admin.get(`/api/v1/users/${participantId}`)).json();
    const mentor = user.roles.find((g) => g.role === 'mentor');
    assert.ok(mentor, 'the role is held');
    assert.equal(mentor.organisation, null, 'a role without a scope ignores the organisation chosen');

    const again = await admin.post(`/admin/users/${participantId}/roles`, { role: 'mentor' });
    assertStatus(again, 422, 'the same role twice');
    assert.match(main(again.text), /They already have this role/);

    const revoke = await admin.post(`/admin/users/${participantId}/roles/${mentor.id}/revoke`, {});
    assertStatus(revoke, 303, 'revoke a role');
    assert.ok(!(await admin.get(`/api/v1/users/${participantId}`)).json().roles.some((g) => g.role === 'mentor'));

    const me = (await admin.get('/api/v1/me')).json();
    const own = me.roles.find((g) => g.role === 'admin');
    const refused = await admin.post(`/admin/users/${adminId}/roles/${own.id}/revoke`, {});
    assertStatus(refused, 422, 'revoking your own administrator role');
    assert.match(main(refused.text), /You cannot remove your own administrator role/);
    assert.ok((await admin.get('/api/v1/me')).json().roles.some((g) => g.role === 'admin'));
  });

  await t.test('people are deactivated and reactivated, but not yourself', async () => {
    const self = await admin.post(`/admin/users/${adminId}/active`, { active: '0' });
    assertStatus(self, 422, 'deactivating yourself');
    assert.match(main(self.text), /You cannot deactivate your own account/);

    const off = await admin.post(`/admin/users/${invitedId}/active`, { active: '0' });
    assertStatus(off, 303, 'deactivate');
    assert.equal(off.headers.get('location'), `/admin/users/${invitedId}?notice=deactivated`);
    assert.equal((await admin.get(`/api/v1/users/${invitedId}`)).json().active, false);
    const page = await admin.get(off.headers.get('location'));
    assert.match(main(page.text), /Deactivated/);
    assert.match(main(page.text), /Reactivate account/);
    const list = main((await admin.get('/admin/users?q=new.person')).text);
    assert.doesNotMatch(list, /New Person/, 'deactivated people are left out by default');
    assert.match(main((await admin.get('/admin/users?q=new.person&include_inactive=1')).text), /New Person/);

    const resend = await admin.post(`/admin/users/${invitedId}/invitation`, {});
    assertStatus(resend, 422, 'an invitation to a deactivated account');

    const on = await admin.post(`/admin/users/${invitedId}/active`, { active: '1' });
    assertStatus(on, 303, 'reactivate');
    assert.equal((await admin.get(`/api/v1/users/${invitedId}`)).json().active, true);
    const again = await admin.post(`/admin/users/${invitedId}/invitation`, {});
    assertStatus(again, 303, 'send the invitation again');
    assert.equal(again.headers.get('location'), `/admin/users/${invitedId}?notice=invitation_sent`);
  });

  await t.test('a coach is assigned to a participant and removed', async () => {
    const page = main((await admin.get(`/admin/users/${participantId}`)).text);
    assert.match(page, /Add a coach or mentor/);
    assert.match(page, new RegExp(`<option value="${coachId}">Cora Coach \\(coach\\)</option>`));

    const wrong = await admin.post(`/admin/users/${participantId}/assignments`, { kind: 'mentor', staff_id: coachId });
    assertStatus(wrong, 422, 'a coach named as a mentor');
    assert.match(main(wrong.text), /This person is not a mentor/);

    const add = await admin.post(`/admin/users/${participantId}/assignments`, { kind: 'coach', staff_id: coachId });
    assertStatus(add, 303, 'assign a coach');
    const list = (await admin.get(`/api/v1/users/${participantId}/assignments`)).json().assignments;
    assert.equal(list.length, 1);
    assert.equal(String(list[0].staff.id), coachId);
    const coachPage = main((await admin.get(`/admin/users/${coachId}`)).text);
    assert.match(coachPage, /The participants they look after/);
    assert.match(coachPage, /Pat Participant/);

    const other = await admin.post(`/admin/users/${leadId}/assignments/${list[0].id}/delete`, {});
    assertStatus(other, 422, 'an assignment that is not theirs');
    assert.equal((await admin.get(`/api/v1/users/${participantId}/assignments`)).json().assignments.length, 1);
    const remove = await admin.post(`/admin/users/${participantId}/assignments/${list[0].id}/delete`, {});
    assertStatus(remove, 303, 'remove the coach');
    assert.equal((await admin.get(`/api/v1/users/${participantId}/assignments`)).json().assignments.length, 0);
  });

  await t.test('notices are fixed sentences, never the query text', async () => {
    const r = await admin.get(`/admin/users/${participantId}?notice=%3Cb%3Ehello%3C%2Fb%3E`);
    assertStatus(r, 200, 'an unknown notice');
    assert.doesNotMatch(r.text, /hello/);
    assert.doesNotMatch(r.text, /govuk-notification-banner/);
  });

  let schoolId;
  await t.test('organisations are added and changed; a URN is taken once', async () => {
    const trust = await admin.post('/admin/organisations/new', { kind: 'trust', name: 'Oak Trust' });
    assertStatus(trust, 303, 'add a trust');
    const trustId = /\/admin\/organisations\/(\d+)\?notice=created$/.exec(trust.headers.get('location'))[1];
    const add = await admin.post('/admin/organisations/new', {
      kind: 'school',
      name: 'Oak Primary',
      urn: '654321',
      local_authority: 'Leeds',
      region: 'Yorkshire and the Humber',
      phase: 'Primary',
      regions_served: '',
      trust_id: trustId,
    });
    assertStatus(add, 303, 'add a school');
    schoolId = /\/admin\/organisations\/(\d+)\?notice=created$/.exec(add.headers.get('location'))[1];
    const page = await admin.get(add.headers.get('location'));
    assert.match(page.text, /Organisation added/);
    assert.match(main(page.text), /654321/);
    assert.match(main(page.text), new RegExp(`href="/admin/organisations/${trustId}">Oak Trust`));

    const taken = await admin.post('/admin/organisations/new', { kind: 'school', name: 'Copy', urn: '654321' });
    assertStatus(taken, 422, 'a URN taken');
    assert.match(main(taken.text), /<a href="#urn">A school with this URN already exists<\/a>/);
    const bad = await admin.post('/admin/organisations/new', { kind: 'delivery_partner', name: 'P', urn: '1', trust_id: trustId });
    assertStatus(bad, 422, 'a partner with a URN and a trust');
    assert.match(main(bad.text), /href="#urn"/);
    assert.match(main(bad.text), /href="#trust_id"/);

    const partner = await admin.post(`/admin/organisations/${partnerId}`, {
      name: 'North Partner Ltd',
      local_authority: '',
      region: 'North West',
      regions_served: ' North West ;; Merseyside; ',
    });
    assertStatus(partner, 303, 'change a partner');
    const changed = (await admin.get(`/api/v1/organisations/${partnerId}`)).json();
    assert.equal(changed.name, 'North Partner Ltd');
    assert.deepEqual(changed.regions_served, ['North West', 'Merseyside']);
    const empty = await admin.post(`/admin/organisations/${partnerId}`, { name: '' });
    assertStatus(empty, 422, 'a name removed');
    assert.match(main(empty.text), /href="#name"/);
  });

  await t.test('an import with one bad URN shows where and imports nothing', async () => {
    const csv = 'name,urn,local_authority\nGood School,111111,Leeds\nBad School,12AB,Leeds\n';
    const r = await admin.postMultipart('/admin/imports', csvForm('schools', csv));
    assertStatus(r, 422, 'preview of a bad file');
    const body = main(r.text);
    assert.match(body, /row 3, column urn/);
    assert.match(body, /Nothing was imported/);
    assert.doesNotMatch(body, /name="action" value="commit"/, 'no way to import a file with problems');
    const commit = await admin.postMultipart('/admin/imports', csvForm('schools', csv, 'commit'));
    assertStatus(commit, 422, 'a file with problems posted for real');
    const csvCommit = new FormData();
    for (const [k, v] of Object.entries({ action: 'commit', kind: 'schools', csv })) csvCommit.set(k, v);
    assertStatus(await admin.postMultipart('/admin/imports', csvCommit), 422, 'the bad file carried back');
    const list = main((await admin.get('/admin/organisations?kind=school')).text);
    assert.doesNotMatch(list, /Good School/);
    assert.equal((await admin.get('/api/v1/organisations?q=111111')).json().organisations.length, 0);
  });

  await t.test('an upload is checked: a kind, a file, at most 5 MB', async () => {
    const none = new FormData();
    none.set('action', 'preview');
    none.set('file', new Blob([]), '');
    const r = await admin.postMultipart('/admin/imports', none);
    assertStatus(r, 422, 'nothing chosen');
    assert.match(main(r.text), /href="#kind"/);
    assert.match(main(r.text), /Select a CSV file/);
    const big = await admin.postMultipart('/admin/imports', csvForm('schools', 'x'.repeat(5 * 1024 * 1024 + 10)));
    assertStatus(big, 422, 'a file over 5 MB');
    assert.match(main(big.text), /must be smaller than 5 MB/);
  });

  await t.test('a good file is previewed, then imported, and the schools appear', async () => {
    const csv = 'name,urn,local_authority,region,phase,trust\r\n"Elm ""Village"" School",222222,York,Yorkshire and the Humber,Primary,Oak Trust\r\nBirch Academy,333333,Hull,,Secondary,\r\n';
    const preview = await admin.postMultipart('/admin/imports', csvForm('schools', csv));
    assertStatus(preview, 200, 'preview of a good file');
    const body = main(preview.text);
    assert.match(body, /Check the import/);
    assert.match(body, /Import 2 rows/);
    assert.doesNotMatch(main((await admin.get('/admin/organisations?kind=school')).text), /Birch Academy/, 'a preview keeps nothing');

    const carried = /name="csv" value="([^"]*)"/.exec(body);
    assert.ok(carried, 'the file is carried in the confirmation form');
    assert.equal(unescapeHtml(carried[1]), csv);
    assert.match(body, /name="kind" value="schools"/);
    const form = new FormData();
    for (const [k, v] of Object.entries({ action: 'commit', kind: 'schools', csv: unescapeHtml(carried[1]) })) form.set(k, v);
    const done = await admin.postMultipart('/admin/imports', form);
    assertStatus(done, 200, 'the import');
    assert.match(main(done.text), /Import complete/);

    const list = main((await admin.get('/admin/organisations?kind=school')).text);
    assert.match(list, /Elm &quot;Village&quot; School/);
    assert.match(list, /Birch Academy/);
    const again = await admin.postMultipart('/admin/imports', csvForm('schools', csv));
    assertStatus(again, 422, 'the same file twice');
    assert.match(main(again.text), /row 2, column urn/);
  });

  await t.test('people are imported from a file and invited', async () => {
    const csv = 'email,name,role,school_urn,partner\nimported@example.org,Ivy Imported,headteacher,222222,\n';
    const preview = await admin.postMultipart('/admin/imports', csvForm('people', csv));
    assertStatus(preview, 200, 'preview of people');
    const carried = unescapeHtml(/name="csv" value="([^"]*)"/.exec(main(preview.text))[1]);
    const form = new FormData();
    for (const [k, v] of Object.entries({ action: 'commit', kind: 'people', csv: carried })) form.set(k, v);
    assertStatus(await admin.postMultipart('/admin/imports', form), 200, 'import people');
    const { users } = (await admin.get('/api/v1/users?q=imported%40example.org')).json();
    assert.equal(users.length, 1);
    assert.equal(users[0].roles[0].role, 'headteacher');
  });

  await t.test('the audit log lists the invitation and can be filtered', async () => {
    const r = await admin.get('/admin/audit');
    assertStatus(r, 200, 'GET /admin/audit');
    const body = main(r.text);
    assert.match(body, /user\.invite/);
    assert.match(body, new RegExp(`href="/admin/users/${invitedId}">user ${invitedId}</a>`));
    assert.match(body, /admin@example\.org/);
    assert.match(body, /<code>\{[^<]*new\.person@example\.org[^<]*\}<\/code>/, 'the change as compact JSON');
    assert.match(body, /\d{1,2}\u00a0[A-Z][a-z]{2}\u00a0\d{4} \d{2}:\d{2}/, 'times as 23 Nov 2026 11:50, the date unbroken');

    const own = main((await admin.get(`/admin/audit?entity=user&entity_id=${invitedId}&action=user.`)).text);
    assert.match(own, /user\.invite/);
    assert.match(own, /user\.deactivate/);
    assert.doesNotMatch(own, /organisation\.create/);
    const later = main((await admin.get('/admin/audit?since=2999-01-01')).text);
    assert.match(later, /No events match/);
    const bad = await admin.get('/admin/audit?since=yesterday&actor_id=x');
    assertStatus(bad, 422, 'bad filters');
    assert.match(main(bad.text), /href="#since"/);
    assert.match(main(bad.text), /href="#actor_id"/);
  });

  await t.test('the audit log has no way to change it', async () => {
    const r = await admin.post('/admin/audit', {});
    assert.equal(r.status, 405);
    assert.doesNotMatch(main((await admin.get('/admin/audit')).text), /method="post"/);
  });

  await t.test('lists are paged and keep their filters', async () => {
    for (let i = 0; i < 51; i++) {
      const r = await admin.post('/admin/users/new', { email: `paged${i}@example.org`, name: `Paged ${i}`, role: 'assessor' });
      assertStatus(r, 303, `invite paged${i}`);
    }
    const first = main((await admin.get('/admin/users?role=assessor')).text);
    assert.match(first, /Showing 50 of 51 people/);
    const next = /href="(\/admin\/users\?role=assessor&amp;after=[A-Za-z0-9_-]+)" rel="next"/.exec(first);
    assert.ok(next, 'the first page links to the next, keeping the filter');
    const second = main((await admin.get(next[1].replace(/&amp;/g, '&'))).text);
    assert.match(second, /Showing 1 of 51 people/);
    assert.match(second, /Paged 9</); /* by name: the last of "Paged 0" ... "Paged 9" */
    assert.doesNotMatch(second, /Paged 8</);
    assert.match(second, /href="\/admin\/users\?role=assessor" rel="first"/);
    assert.doesNotMatch(second, /rel="next"/);
    assertStatus(await admin.get('/admin/users?after=garbage'), 400, 'a malformed position');
    const kept = main((await admin.get('/admin/users?q=paged&role=assessor&include_inactive=1')).text);
    assert.match(kept, /href="\/admin\/users\?q=paged&amp;role=assessor&amp;include_inactive=1&amp;after=[A-Za-z0-9_-]+" rel="next"/,
      'every filter of the people list is kept');
  });

  await t.test('the organisations list is paged and keeps its filters', async () => {
    let csv = 'name,urn,local_authority\n';
    for (let i = 0; i < 101; i++) csv += `Paging School ${String(i).padStart(3, '0')},${500000 + i},Leeds\n`;
    const form = new FormData();
    for (const [k, v] of Object.entries({ action: 'commit', kind: 'schools', csv })) form.set(k, v);
    const done = await admin.postMultipart('/admin/imports', form);
    assertStatus(done, 200, 'an import of 101 schools');
    const first = main((await admin.get('/admin/organisations?q=Paging&kind=school')).text);
    assert.match(first, /Paging School 099</);
    assert.doesNotMatch(first, /Paging School 100</);
    const next = /href="(\/admin\/organisations\?q=Paging&amp;kind=school&amp;after=[A-Za-z0-9_-]+)" rel="next"/.exec(first);
    assert.ok(next, 'the first page links to the next, keeping both filters');
    const second = main((await admin.get(next[1].replace(/&amp;/g, '&'))).text);
    assert.match(second, /Paging School 100</);
    assert.doesNotMatch(second, /Paging School 099</);
    assert.match(second, /href="\/admin\/organisations\?q=Paging&amp;kind=school" rel="first"/);
    assert.doesNotMatch(second, /rel="next"/);
    assertStatus(await admin.get('/admin/organisations?after=garbage'), 400, 'a malformed position');
  });
});
