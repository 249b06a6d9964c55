'use strict';
/*
 * Files, black-box: the blob store behind content attachments and submission files, and the one
 * way npq sends a file (assets too). The real binary on a demo database; the demo participant
 * enrolled in NPQSL through the application flow, with a draft to attach files to, and "other",
 * a participant with no part in that work.
 *
 *   NPQ_BIN=build/npq node --test --test-concurrency=1 tests/api/files.test.js
 *
 * The tests share one server and run in order; each says what it relies on.
 */
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const { startDemoServer, apiAs } = require('./auth_helpers');
const { runNpq, startServer, makeTempDir } = require('./helpers');

const DAY = 86400 * 1000;
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const dateOn = (offsetDays) => new Date(Date.now() + offsetDays * DAY).toISOString().slice(0, 10);
const sha256 = (data) => crypto.createHash('sha256').update(data).digest('hex');

let server;
let demo;
let as;
const ctx = {};

function show(r) {
  return `${r.status} ${r.text.slice(0, 800)}`;
}
function expectStatus(r, status, what) {
  assert.equal(r.status, status, `${what}: expected ${status}, got ${show(r)}`);
  return r.status === 204 || !/json/.test(r.headers.get('content-type') || '') ? r : r.json();
}
function expect422(r, field, re, what) {
  assert.equal(r.status, 422, `${what}: expected 422 on ${field}, got ${show(r)}`);
  const hit = r.json().error.fields.find((f) => f.field === field && re.test(f.message));
  assert.ok(hit, `${what}: a field error on "${field}" matching ${re}; got ${JSON.stringify(r.json().error.fields)}`);
}

/* A fake MP4: an ISO media header ("ftyp", brand isom) and then size - 32 bytes of a pattern. */
function mp4(size, seed = 1) {
  const b = Buffer.alloc(size);
  b.writeUInt32BE(32, 0);
  b.write('ftypisom', 4, 'latin1');
  for (let i = 32; i < size; i++) b[i] = (i * 31 + seed * 7 + (i >> 9)) & 0xff;
  return b;
}
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
/* A Windows program: the MZ header and a PE signature. */
const EXE = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(56), Buffer.from('PE\0\0', 'latin1'), Buffer.alloc(200, 0x90)]);

const attach = (caller, item, name, data) =>
  caller.request('POST', `/api/v1/content/${item}/files`, { body: data, contentType: 'application/octet-stream', headers: { 'x-file-name': encodeURIComponent(name) } });
const attachTyped = (caller, item, name, data, type) =>
  caller.request('POST', `/api/v1/content/${item}/files`, { body: data, contentType: type, headers: { 'x-file-name': encodeURIComponent(name) } });
const get = (caller, url, headers = {}) => caller.request('GET', url, { headers });

before(async () => {
  ({ server, ...demo } = await startDemoServer({
    threads: 4,
    extraUsers: { other: { email: 'other.files@demo.npq.test', name: 'Ola Other', role: 'participant' } },
  }));
  as = Object.fromEntries(Object.entries(demo.tokens).map(([key, token]) => [key, apiAs(server, token, key)]));
  as.anonymous = apiAs(server, null, 'anonymous');

  ctx.item = expectStatus(
    await as.admin.post('/api/v1/content', { kind: 'video', title: 'Evaluation in practice', media_url: 'https://media.example.org/e.mp4', minutes: 20, tags: [] }),
    201,
    'an item',
  ).id;
  ctx.otherItem = expectStatus(await as.admin.post('/api/v1/content', { kind: 'reading', title: 'Another reading', body: 'Words.', minutes: 5, tags: [] }), 201, 'another item').id;

  // The participant's draft: a cohort, the application flow, a task.
  const orgs = (await as.admin.json('/api/v1/organisations')).organisations;
  const school = orgs.find((o) => o.kind === 'school' && o.urn === '100001').id;
  const partner = orgs.find((o) => o.kind === 'delivery_partner').id;
  const cohort = expectStatus(
    await as.admin.post('/api/v1/cohorts', { code: 'NPQSL-FILES-1', kind: 'qualification', target: 'NPQSL', delivery_model: 'blended', starts_on: dateOn(-30), ends_on: dateOn(600), delivery_partner_id: partner }),
    201,
    'a cohort',
  );
  const draft = expectStatus(
    await as.admin.post('/api/v1/applications', {
      participant_id: demo.ids.participant, kind: 'qualification', target: 'NPQSL', electives: ['improving-the-quality-of-teaching', 'school-self-evaluation'],
      school_id: school, sponsor_id: demo.ids.headteacher, job_role: 'Assistant head', delivery_model: 'blended', funding_route: 'school',
    }),
    201,
    'an application',
  );
  const step = async (caller, name, body) => expectStatus(await caller.post(`/api/v1/applications/${draft.id}/${name}`, body), 200, name);
  await step(as.admin, 'submit');
  await step(as.headteacher, 'approve');
  await step(as.admin, 'accept');
  const enrolled = await step(as.admin, 'enrol', { cohort_id: cohort.id });
  const task = expectStatus(
    await as.admin.post('/api/v1/assessment-tasks', { kind: 'module', target: 'closing-the-gap', title: 'A plan', deadline: iso(Date.now() + 30 * DAY), criteria: [{ title: 'Plans' }] }),
    201,
    'a task',
  );
  ctx.submission = expectStatus(await as.participant.post('/api/v1/submissions', { task_id: task.id, enrolment_id: enrolled.enrolment_id }), 201, 'a draft').id;
});

after(async () => {
  if (server) await server.stop();
});

test('an attached file is kept once, however many times the same bytes are sent', async () => {
  ctx.video = mp4(700 * 1024);
  const first = expectStatus(await attach(as.admin, ctx.item, 'Evaluation film.mp4', ctx.video), 201, 'attach a video');
  assert.equal(first.content_type, 'video/mp4', 'the type is told by the bytes');
  assert.equal(first.kind, 'video');
  assert.equal(first.size, ctx.video.length);
  assert.equal(first.sha256, sha256(ctx.video));
  assert.equal(first.href, `/api/v1/content/${ctx.item}/files/${first.id}`);
  ctx.videoFile = first;
  // The same bytes again, under another name and on another item: another file, the same blob.
  const again = expectStatus(await attach(as.admin, ctx.otherItem, 'copy.mp4', ctx.video), 201, 'the same bytes on another item');
  assert.notEqual(again.id, first.id);
  assert.equal(again.sha256, first.sha256);
  const blobs = await runNpq(['files', '--db', demo.dbPath]);
  assert.equal(blobs.code, 0, blobs.stderr);
  assert.match(blobs.stdout, /^blobs 1 bytes 716800$/m, `one blob holds both: ${blobs.stdout}`);
  // Removing one file keeps the bytes for the other; removing both lets them go.
  expectStatus(await as.admin.delete(`/api/v1/content/${ctx.otherItem}/files/${again.id}`), 204, 'remove the copy');
  expectStatus(await get(as.admin, first.href), 200, 'the first still reads');
  const listed = expectStatus(await as.participant.get(`/api/v1/content/${ctx.item}/files`), 200, 'the list');
  assert.deepEqual(listed.files.map((f) => f.id), [first.id]);
  const view = expectStatus(await as.participant.get(`/api/v1/content/${ctx.item}`), 200, 'the item');
  assert.deepEqual(view.files.map((f) => f.name), ['Evaluation film.mp4'], 'the item names its files');
});

test('a file is served whole with its ETag, and 304 when the client has it', async () => {
  const r = await get(as.participant, ctx.videoFile.href);
  assert.equal(r.status, 200);
  assert.ok(r.body.equals(ctx.video), 'every byte');
  assert.equal(r.headers.get('content-type'), 'video/mp4');
  assert.equal(r.headers.get('etag'), `"${sha256(ctx.video)}"`);
  assert.equal(r.headers.get('accept-ranges'), 'bytes');
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  assert.match(r.headers.get('content-disposition'), /^inline; filename\*=UTF-8''Evaluation%20film\.mp4$/, 'video plays in the page');
  assert.equal(r.headers.get('content-length'), String(ctx.video.length));
  const cached = await get(as.participant, ctx.videoFile.href, { 'if-none-match': r.headers.get('etag') });
  assert.equal(cached.status, 304);
  assert.equal(cached.body.length, 0);
  const listed = await get(as.participant, ctx.videoFile.href, { 'if-none-match': `"nope", W/${r.headers.get('etag')}` });
  assert.equal(listed.status, 304, 'a weak or listed ETag matches too');
  assert.equal((await get(as.participant, ctx.videoFile.href, { 'if-none-match': '"other"' })).status, 200);
});

test('byte ranges: the first bytes, a suffix, an open end, across chunks, and 416 past the end', async () => {
  const size = ctx.video.length;
  const cases = [
    ['bytes=0-99', 0, 99],
    ['bytes=-500', size - 500, size - 1],
    ['bytes=300000-', 300000, size - 1],
    ['bytes=262000-263000', 262000, 263000], // across the first chunk's end
    ['bytes=700000-99999999', 700000, size - 1],
  ];
  for (const [range, first, last] of cases) {
    const r = await get(as.participant, ctx.videoFile.href, { range });
    assert.equal(r.status, 206, `${range}: ${show(r)}`);
    assert.equal(r.headers.get('content-range'), `bytes ${first}-${last}/${size}`, range);
    assert.equal(r.headers.get('content-length'), String(last - first + 1), range);
    assert.ok(r.body.equals(ctx.video.subarray(first, last + 1)), `${range}: the bytes asked for`);
  }
  for (const range of ['bytes=716800-', 'bytes=999999-1000000', 'bytes=-0']) {
    const r = await get(as.participant, ctx.videoFile.href, { range });
    assert.equal(r.status, 416, `${range}: ${show(r)}`);
    assert.equal(r.headers.get('content-range'), `bytes */${size}`);
  }
  // Several ranges, or nonsense, get the whole file.
  for (const range of ['bytes=0-1,5-9', 'bytes=9-3', 'lines=1-2']) {
    const r = await get(as.participant, ctx.videoFile.href, { range });
    assert.equal(r.status, 200, range);
    assert.equal(r.body.length, size, range);
  }
});

test('If-Range: the range for the ETag sent now, the whole file for any other', async () => {
  const etag = `"${sha256(ctx.video)}"`;
  const same = await get(as.participant, ctx.videoFile.href, { range: 'bytes=10-19', 'if-range': etag });
  assert.equal(same.status, 206);
  assert.ok(same.body.equals(ctx.video.subarray(10, 20)));
  const changed = await get(as.participant, ctx.videoFile.href, { range: 'bytes=10-19', 'if-range': '"an-older-version"' });
  assert.equal(changed.status, 200);
  assert.equal(changed.body.length, ctx.video.length);
  const dated = await get(as.participant, ctx.videoFile.href, { range: 'bytes=10-19', 'if-range': 'Wed, 21 Oct 2015 07:28:00 GMT' });
  assert.equal(dated.status, 200, 'a date is no strong validator');
});

test('assets are sent the same way: ranges and 304', async () => {
  // Ranges are of the bytes as stored: asked without compression (a gzipped answer has none).
  const whole = await as.anonymous.request('GET', '/assets/app.css', { headers: { 'accept-encoding': 'identity' } });
  assert.equal(whole.status, 200);
  assert.equal(whole.headers.get('accept-ranges'), 'bytes');
  const etag = whole.headers.get('etag');
  assert.ok(etag);
  const part = await as.anonymous.request('GET', '/assets/app.css', { headers: { range: 'bytes=0-9', 'accept-encoding': 'identity' } });
  assert.equal(part.status, 206);
  assert.equal(part.text, whole.text.slice(0, 10));
  assert.match(part.headers.get('content-range'), /^bytes 0-9\/\d+$/);
  assert.equal((await as.anonymous.request('GET', '/assets/app.css', { headers: { range: 'bytes=99999999-' } })).status, 416);
  assert.equal((await as.anonymous.request('GET', '/assets/app.css', { headers: { 'if-none-match': etag } })).status, 304);
});

test('the type is told by the content: a program named .pdf is refused, a script is never served as one', async () => {
  expect422(await attach(as.admin, ctx.item, 'handout.pdf', EXE), 'file', /not a file/, 'an .exe named .pdf');
  // HTML is text too: kept as such, and never sent as a page of this site.
  const html = expectStatus(await attachTyped(as.admin, ctx.item, 'page.html', Buffer.from('<!doctype html><script>alert(1)</script>'), 'text/html'), 201, 'HTML');
  assert.equal(html.content_type, 'text/plain; charset=utf-8');
  const page = await get(as.participant, html.href);
  assert.equal(page.headers.get('content-type'), 'text/plain; charset=utf-8');
  assert.match(page.headers.get('content-disposition'), /^attachment; /);
  expect422(await attach(as.admin, ctx.item, 'empty.pdf', Buffer.alloc(0)), 'file', /empty/, 'nothing');
  expect422(await attach(as.admin, ctx.item, '../up.pdf', PDF), 'name', /slashes/, 'a path');
  // JavaScript is text: kept, but served as plain text to download, never as script.
  const js = Buffer.from('document.body.innerHTML = "owned";\n');
  const kept = expectStatus(await attachTyped(as.admin, ctx.item, 'tool.js', js, 'text/javascript'), 201, 'a script sent as text/javascript');
  assert.equal(kept.content_type, 'text/plain; charset=utf-8');
  const r = await get(as.participant, kept.href);
  assert.equal(r.headers.get('content-type'), 'text/plain; charset=utf-8');
  assert.match(r.headers.get('content-disposition'), /^attachment; /, 'a download, not a page');
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  const pdf = expectStatus(await attach(as.admin, ctx.item, 'Handout (v2).pdf', PDF), 201, 'a PDF');
  assert.equal(pdf.content_type, 'application/pdf');
  const got = await get(as.participant, pdf.href);
  assert.match(got.headers.get('content-disposition'), /^attachment; filename\*=UTF-8''Handout%20%28v2%29\.pdf$/);
  ctx.pdfFile = pdf;
});

test('only administrators attach and remove; a visitor reads nothing', async () => {
  assert.equal((await attach(as.participant, ctx.item, 'mine.pdf', PDF)).status, 403);
  assert.equal((await attach(as.coach, ctx.item, 'mine.pdf', PDF)).status, 403);
  assert.equal((await as.participant.delete(`/api/v1/content/${ctx.item}/files/${ctx.pdfFile.id}`)).status, 403);
  assert.equal((await get(as.anonymous, ctx.pdfFile.href)).status, 401);
  assert.equal((await get(as.participant, `/api/v1/content/${ctx.otherItem}/files/${ctx.pdfFile.id}`)).status, 404, 'a file under another item');
});

test('the size limit is the server\'s --content-file-limit', async () => {
  const { startServerWithArgs } = require('./auth_helpers');
  const small = await startServerWithArgs(['--content-file-limit', '1'], { db: demo.dbPath });
  try {
    const admin = apiAs(small, demo.tokens.admin, 'admin');
    const r = await attach(admin, ctx.item, 'big.mp4', mp4(1024 * 1024 + 1));
    assert.equal(r.status, 413, show(r));
    assert.match(r.json().error.message, /1 MiB/);
    expectStatus(await attach(admin, ctx.item, 'fits.mp4', mp4(1024 * 1024, 3)), 201, 'exactly the limit');
  } finally {
    await small.stop();
  }
});

test('submission files live in the same store; another participant cannot read them by id', async () => {
  const up = (caller, name, data) =>
    caller.request('POST', `/api/v1/submissions/${ctx.submission}/files`, { body: data, contentType: 'application/pdf', headers: { 'x-file-name': name } });
  const blobCount = async () => Number(/^blobs (\d+)/m.exec((await runNpq(['files', '--db', demo.dbPath])).stdout)[1]);
  const before = await blobCount();
  const f = expectStatus(await up(as.participant, 'plan.pdf', PDF), 201, 'attach to the draft');
  assert.equal(await blobCount(), before, 'the same bytes as the library\'s handout: no new blob');
  assert.equal(f.sha256, sha256(PDF));
  ctx.subFile = f;
  const mine = await get(as.participant, f.href);
  assert.equal(mine.status, 200);
  assert.ok(mine.body.equals(PDF));
  assert.match(mine.headers.get('content-disposition'), /^attachment; filename\*=UTF-8''plan\.pdf$/);
  assert.equal(mine.headers.get('etag'), `"${sha256(PDF)}"`);
  const part = await get(as.participant, f.href, { range: 'bytes=0-3' });
  assert.equal(part.status, 206);
  assert.equal(part.text, '%PDF');

  assert.equal((await get(as.other, f.href)).status, 404, 'another participant, at its address');
  assert.equal((await get(as.coach, f.href)).status, 200, 'their coach reads the draft');
  // Any file id under an item the other participant may read answers only for that item's files.
  for (let id = 1; id <= 12; id++) {
    const r = await get(as.other, `/api/v1/content/${ctx.otherItem}/files/${id}`);
    assert.equal(r.status, 404, `file ${id} is not the other item's`);
  }
  // Submitting still works, and the version keeps the file.
  expectStatus(await as.participant.patch(`/api/v1/submissions/${ctx.submission}`, { activity: 'Reading at KS2', text: 'My plan in words.' }), 200, 'the draft');
  const submitted = expectStatus(await as.participant.post(`/api/v1/submissions/${ctx.submission}/submit`), 200, 'submit');
  assert.deepEqual(submitted.version.files.map((x) => x.sha256), [sha256(PDF)]);
});

test('a participant\'s files are traced to them for export and erasure', async () => {
  const r = await runNpq(['files', '--db', demo.dbPath, '--owner', demo.emails.participant]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^file \\d+ submission ${ctx.submission} ${sha256(PDF)} ${PDF.length} plan\\.pdf$`, 'm'));
  const none = await runNpq(['files', '--db', demo.dbPath, '--owner', 'other.files@demo.npq.test']);
  assert.doesNotMatch(none.stdout, /^file /m);
});

test('a backup holds the files, and a restored database serves them', async () => {
  const dir = await makeTempDir();
  const backup = path.join(dir, 'backup.db');
  const b = await runNpq(['backup', '--db', demo.dbPath, '--to', backup]);
  assert.equal(b.code, 0, b.stderr);
  const target = path.join(dir, 'restored.db');
  assert.equal((await runNpq(['restore', '--db', target, '--from', backup])).code, 0);
  assert.ok(fs.existsSync(target));
  const restored = await startServer({ db: target, threads: 2 });
  try {
    const participant = apiAs(restored, demo.tokens.participant, 'participant');
    const video = await get(participant, ctx.videoFile.href);
    assert.equal(video.status, 200);
    assert.ok(video.body.equals(ctx.video), 'the video, every byte');
    const work = await get(participant, ctx.subFile.href);
    assert.ok(work.body.equals(PDF), 'the submitted file');
  } finally {
    await restored.stop();
  }
});

test('public pages carry an ETag and answer 304 when nothing changed', async () => {
  const first = await as.anonymous.get('/qualifications');
  assert.equal(first.status, 200);
  const etag = first.headers.get('etag');
  assert.ok(etag, 'an ETag on the list of qualifications');
  const again = await as.anonymous.request('GET', '/qualifications', { headers: { 'if-none-match': etag } });
  assert.equal(again.status, 304);
  assert.equal(again.body.length, 0);
  const other = await as.anonymous.request('GET', '/frameworks', { headers: { 'if-none-match': etag } });
  assert.equal(other.status, 200, 'another page is not the one the client has');
  const signedIn = await as.participant.get('/');
  assert.equal(signedIn.headers.get('etag'), null, 'no ETag on what is someone\'s own');
});

test('pages: an administrator attaches and removes files on the edit page; the item page plays the video', async () => {
  const { signIn } = require('./auth_helpers');
  const admin = await signIn(server, demo.emails.admin);
  const postFile = async (name, type, data) => {
    const form = new FormData();
    form.set('csrf_token', await admin.csrfToken());
    if (name !== null) form.set('file', new Blob([data], { type }), name);
    else form.set('file', new Blob([]), '');
    return admin.request('POST', `/content/${ctx.item}/files`, { body: form });
  };
  const edit = await admin.get(`/content/${ctx.item}/edit`);
  assert.equal(edit.status, 200, edit.text.slice(0, 300));
  assert.match(edit.text, /enctype="multipart\/form-data"/);
  assert.match(edit.text, /Up to 50 MiB/);
  assert.match(edit.text, /Evaluation film\.mp4/, 'the files attached so far');

  const refused = await postFile('C:\\Users\\me\\setup.pdf', 'application/pdf', EXE);
  assert.equal(refused.status, 422, refused.text.slice(0, 300));
  assert.match(refused.text, /govuk-error-summary/);
  assert.match(refused.text, /setup\.pdf is not a file/);
  assert.match(refused.text, /name="title" type="text" value="Evaluation in practice"/, 'the item form is still there');
  const none = await postFile(null);
  assert.equal(none.status, 422);
  assert.match(none.text, /Choose a file to attach/);

  const added = await postFile('C:\\Users\\me\\notes.txt', 'text/plain', Buffer.from('Notes for the session.\n'));
  assert.equal(added.status, 303, added.text.slice(0, 300));
  assert.equal(added.headers.get('location'), `/content/${ctx.item}/edit?notice=file_added#files`);
  const after = await admin.get(`/content/${ctx.item}/edit?notice=file_added`);
  assert.match(after.text, /File attached/);
  assert.match(after.text, />notes\.txt</, 'kept under the name without its folders');
  const row = after.text.split('<li data-testid="attachment">').find((li) => />notes\.txt</.test(li));
  const fileId = Number(new RegExp(`/content/${ctx.item}/files/(\\d+)/remove`).exec(row)[1]);
  const gone = await admin.post(`/content/${ctx.item}/files/${fileId}/remove`, {});
  assert.equal(gone.status, 303);
  assert.doesNotMatch((await admin.get(`/content/${ctx.item}/edit`)).text, />notes\.txt</);

  const participant = await signIn(server, demo.emails.participant);
  const itemPage = await participant.get(`/content/${ctx.item}`);
  assert.equal(itemPage.status, 200);
  assert.match(itemPage.text, new RegExp(`<video controls preload="metadata" src="/api/v1/content/${ctx.item}/files/${ctx.videoFile.id}"`));
  assert.match(itemPage.text, /Handout \(v2\)\.pdf<\/a>/);
  const form = new FormData();
  form.set('csrf_token', await participant.csrfToken());
  form.set('file', new Blob([PDF], { type: 'application/pdf' }), 'mine.pdf');
  assert.equal((await participant.request('POST', `/content/${ctx.item}/files`, { body: form })).status, 403);
});
