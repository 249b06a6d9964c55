'use strict';
/*
 * The OpenAPI document against the routes that exist, both ways: every documented operation
 * answers, every API route in src/http/routes.c is documented, and every answer matches the
 * schema the document gives for it.
 */
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const { REPO, startServer, request, getJson } = require('./helpers');

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];
const ROUTER_404 = 'There is no API resource at this address.';

/* Every API route the tests of this suite use. Adding an endpoint means adding it here too. */
const KNOWN_API_ROUTES = [
  'GET /api/v1/health',
  'GET /api/v1/openapi.json',
  'GET /api/v1/qualifications',
  'GET /api/v1/qualifications/{code}',
  'GET /api/v1/modules',
  'GET /api/v1/modules/{code}',
  'GET /api/v1/frameworks',
  'GET /api/v1/frameworks/{code}',
];

/*
 * A value for each path parameter, by the path it appears in. Public reads need a real one (they
 * must answer 200 on the default catalogue); for the rest any segment shows whether it is routed.
 */
function examplePath(pattern, needsRealValue) {
  return pattern.replace(/\{([^}*]+)\*?\}/g, (whole, name) => {
    if (name === 'code') {
      if (pattern.startsWith('/api/v1/qualifications/')) return 'NPQSL';
      if (pattern.startsWith('/api/v1/modules/')) return 'closing-the-gap';
      if (pattern.startsWith('/api/v1/frameworks/')) return 'npqsl';
    }
    if (!needsRealValue) return '1';
    assert.fail(`no example value for ${whole} in ${pattern}: add one to examplePath in openapi.test.js`);
  });
}
/* Public reads of a record a new database has none of (the certificate a verification code names):
 * routed, and 404 for an unknown value (checked below); awards.test.js reads real ones. */
const RECORD_READS = ['/api/v1/verify/'];
const isPublicRead = (method, op, p) =>
  method === 'GET' && op['x-permission'] === 'public' && !RECORD_READS.some((prefix) => p.startsWith(prefix));

/* The API routes of the route table, as "METHOD /pattern". */
function routeTableApiRoutes() {
  const source = fs.readFileSync(path.join(REPO, 'src/http/routes.c'), 'utf8');
  const found = [];
  // Rows are API("METHOD", "/api/...", ...) or API_LOOP(...) (or a plain {"METHOD", "/api/...", ...} initialiser).
  const re = /(?:API(?:_LOOP)?\(|\{)\s*"([A-Z]+)"\s*,\s*"(\/api\/[^"]*)"\s*,/g;
  for (let m; (m = re.exec(source)); ) found.push(`${m[1]} ${m[2]}`);
  // API_STEP("/api/...", ...) rows are POSTs that take a step on a record.
  const steps = /API_STEP\(\s*"(\/api\/[^"]*)"\s*,/g;
  for (let m; (m = steps.exec(source)); ) found.push(`POST ${m[1]}`);
  // API_REPORT("/api/...", ...) rows are GETs of a report, also a CSV download.
  const reports = /API_REPORT\(\s*"(\/api\/[^"]*)"\s*,/g;
  for (let m; (m = reports.exec(source)); ) found.push(`GET ${m[1]}`);
  return found;
}

function operations(doc) {
  const ops = [];
  for (const [p, item] of Object.entries(doc.paths || {}))
    for (const [method, op] of Object.entries(item))
      if (METHODS.includes(method)) ops.push({ key: `${method.toUpperCase()} ${p}`, method: method.toUpperCase(), path: p, op });
  return ops;
}

/* Resolves a local JSON pointer such as "#/components/schemas/Error". */
function resolvePointer(doc, ref) {
  if (!ref.startsWith('#/')) return undefined;
  let node = doc;
  for (const raw of ref.slice(2).split('/')) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || !(part in node)) return undefined;
    node = node[part];
  }
  return node;
}

function collectRefs(node, where, out) {
  if (Array.isArray(node)) node.forEach((v, i) => collectRefs(v, `${where}[${i}]`, out));
  else if (node && typeof node === 'object')
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.push({ ref: v, where });
      else collectRefs(v, `${where}.${k}`, out);
    }
  return out;
}

const typeOf = (v) => (v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v);

/*
 * A small JSON Schema check for the keywords the document uses. strict: every property the
 * server sends must be declared, so the document cannot fall behind the responses.
 */
function validate(doc, schema, value, where, errors, strict) {
  if (schema.$ref) {
    const target = resolvePointer(doc, schema.$ref);
    if (!target) return errors.push(`${where}: unresolved $ref ${schema.$ref}`);
    return validate(doc, target, value, where, errors, strict);
  }
  if ('const' in schema && JSON.stringify(value) !== JSON.stringify(schema.const))
    errors.push(`${where}: ${JSON.stringify(value)} is not ${JSON.stringify(schema.const)}`);
  if (schema.enum && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value)))
    errors.push(`${where}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  if (schema.type) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    const t = typeOf(value);
    if (!types.includes(t) && !(t === 'integer' && types.includes('number')))
      return errors.push(`${where}: ${t} where the schema says ${types.join(' or ')}`);
  }
  if (typeOf(value) === 'object') {
    for (const r of schema.required || []) if (!(r in value)) errors.push(`${where}: required property "${r}" is missing`);
    const props = schema.properties || {};
    for (const [k, v] of Object.entries(value)) {
      if (props[k]) validate(doc, props[k], v, `${where}.${k}`, errors, strict);
      else if (strict && schema.properties) errors.push(`${where}.${k}: sent but not in the schema`);
    }
  }
  if (typeOf(value) === 'array' && schema.items)
    value.forEach((v, i) => validate(doc, schema.items, v, `${where}[${i}]`, errors, strict));
  return errors;
}

let server;
let doc;
before(async () => {
  server = await startServer({ threads: 2 });
  doc = await getJson(server.url, '/api/v1/openapi.json');
});
after(async () => {
  await server?.stop();
});

test('the document is OpenAPI 3.1 with info and paths', () => {
  assert.match(doc.openapi, /^3\.1\.\d+$/);
  assert.equal(typeof doc.info?.title, 'string');
  assert.equal(typeof doc.info?.version, 'string');
  assert.ok(doc.paths && typeof doc.paths === 'object');
  assert.ok(Object.keys(doc.paths).length > 0);
  for (const p of Object.keys(doc.paths)) assert.match(p, /^\/api\/v1\//, `path ${p} is under /api/v1/`);
});

test('every route the tests know is documented', () => {
  const documented = new Set(operations(doc).map((o) => o.key));
  for (const r of KNOWN_API_ROUTES) assert.ok(documented.has(r), `${r} is in the OpenAPI document`);
});

test('the documented operations are exactly the API routes of src/http/routes.c', () => {
  const table = routeTableApiRoutes();
  assert.ok(table.length >= KNOWN_API_ROUTES.length, `parsed ${table.length} API routes from routes.c: ${table.join(', ')}`);
  assert.equal(new Set(table).size, table.length, `routes.c lists a route twice: ${table.join(', ')}`);
  const documented = operations(doc).map((o) => o.key);
  const missing = table.filter((r) => !documented.includes(r));
  const extra = documented.filter((r) => !table.includes(r));
  assert.deepEqual(missing, [], 'routes missing from the OpenAPI document');
  assert.deepEqual(extra, [], 'documented operations with no route');
  // And the routes the tests know are all in the table (the parse above found them).
  for (const r of KNOWN_API_ROUTES) assert.ok(table.includes(r), `${r} is in routes.c`);
});

/* The success status an operation documents: 201 for POSTs that create, 204 for DELETE, else 200. */
const successOf = (op) => ['200', '201', '202', '204'].find((code) => op.responses && op.responses[code]);

test('every operation is well-formed: id, summary, success response, x-permission, path parameters', () => {
  const ids = new Set();
  for (const { key, path: p, op } of operations(doc)) {
    assert.equal(typeof op.operationId, 'string', `${key}: operationId`);
    assert.ok(!ids.has(op.operationId), `${key}: operationId ${op.operationId} is unique`);
    ids.add(op.operationId);
    assert.ok(typeof op.summary === 'string' && op.summary.length > 0, `${key}: summary`);
    const success = successOf(op);
    assert.ok(success, `${key}: has a success response`);
    assert.equal(typeof op.responses[success].description, 'string', `${key}: ${success} has a description`);
    if (key.startsWith('GET ')) assert.equal(success, '200', `${key}: a read answers 200`);
    assert.ok(typeof op['x-permission'] === 'string' && op['x-permission'].length > 0, `${key}: x-permission`);
    const names = [...p.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    const params = (op.parameters || []).filter((x) => x.in === 'path');
    assert.deepEqual(params.map((x) => x.name).sort(), names.sort(), `${key}: path parameters`);
    for (const x of params) assert.equal(x.required, true, `${key}: path parameter ${x.name} is required`);
  }
});

test('every operation documents the errors it can answer, each with the Error schema, and who may call it', () => {
  assert.equal(typeof doc.info.license?.name, 'string', 'info.license names the licence');
  for (const { key, method, path: p, op } of operations(doc)) {
    const expected = ['400'];
    if (op['x-permission'] !== 'public') expected.push('401', '403', '404');
    else if (p.includes('{')) expected.push('404');
    if (method !== 'GET') expected.push('409', '422');
    // a CSV import answers 422 with its report of every row's problems; everything else with Error
    const report = op.requestBody?.content?.['text/csv'] ? op.responses['201'].content['application/json'].schema.$ref : null;
    for (const code of expected) {
      const ref = code === '422' && report ? report : '#/components/schemas/Error';
      assert.equal(op.responses[code]?.content?.['application/json']?.schema?.$ref, ref, `${key}: documents ${code} with ${ref}`);
    }
    assert.ok(Array.isArray(op.security), `${key}: says who may call it`);
    if (op['x-permission'] === 'public') assert.deepEqual(op.security, [], `${key}: public, so security is []`);
    else assert.ok(op.security.length > 0, `${key}: names its security schemes`);
    const success = successOf(op);
    if (success !== '204' && op.responses[success].content)
      for (const [type, media] of Object.entries(op.responses[success].content))
        assert.ok(media.schema, `${key}: ${type} answer has a schema`);
  }
});

test('every $ref resolves inside the document', () => {
  const refs = collectRefs(doc, '$', []);
  assert.ok(refs.length > 0);
  const broken = refs.filter(({ ref }) => resolvePointer(doc, ref) === undefined);
  assert.deepEqual(broken, [], 'unresolved $refs');
  // Every schema in components is itself used or at least well-formed JSON objects.
  for (const [name, schema] of Object.entries(doc.components?.schemas || {}))
    assert.equal(typeOf(schema), 'object', `components.schemas.${name}`);
});

test('every documented operation answers (not the router\'s 404, not 405)', async () => {
  for (const { key, method, path: p, op } of operations(doc)) {
    const url = examplePath(p, isPublicRead(method, op, p));
    const r = await request(server.url, url, { method, body: ['GET', 'HEAD'].includes(method) ? undefined : '{}', headers: method === 'GET' ? {} : { 'content-type': 'application/json' } });
    assert.notEqual(r.status, 405, `${key} (${method} ${url}) is 405: ${r.text}`);
    let routerMiss = false;
    if (r.status === 404) {
      try {
        routerMiss = JSON.parse(r.text).error.message === ROUTER_404;
      } catch {
        routerMiss = true;
      }
    }
    assert.ok(!routerMiss, `${key} (${method} ${url}) is not routed: ${r.status} ${r.text}`);
    // Without credentials: a public read answers 200; anything else may ask who is calling.
    if (isPublicRead(method, op, p)) assert.equal(r.status, 200, `${key} (${url}): ${r.text.slice(0, 300)}`);
  }
});

test('every GET answer matches its documented schema, and declares every field it sends', async () => {
  for (const { key, method, path: p, op } of operations(doc)) {
    if (!isPublicRead(method, op, p)) continue;
    const schema = op.responses['200'].content?.['application/json']?.schema;
    if (!schema) continue; // the OpenAPI document itself
    const url = examplePath(p, true);
    const body = await getJson(server.url, url);
    const errors = validate(doc, schema, body, key, [], true);
    assert.deepEqual(errors, [], `${key} (${url}) against ${schema.$ref || 'its schema'}`);
  }
  // The list endpoints' items: every module, qualification and framework.
  for (const [url, ref] of [
    ['/api/v1/qualifications/NPQH', 'Qualification'],
    ['/api/v1/qualifications/NPQML', 'Qualification'],
    ['/api/v1/modules/leading-change-for-improvement', 'Module'],
  ]) {
    const errors = validate(doc, { $ref: `#/components/schemas/${ref}` }, await getJson(server.url, url), url, [], true);
    assert.deepEqual(errors, [], url);
  }
});

test('error answers match the documented Error schema', async () => {
  const errorSchema = { $ref: '#/components/schemas/Error' };
  for (const { key, path: p, op } of operations(doc)) {
    const documented = op.responses.default || op.responses['404'];
    assert.ok(documented, `${key}: documents its errors`);
    assert.equal(documented.content?.['application/json']?.schema?.$ref, '#/components/schemas/Error', `${key}: errors use Error`);
    if (!p.includes('{') || op['x-permission'] !== 'public') continue;
    assert.ok(op.responses['404'], `${key}: a path with a code documents 404`);
    const r = await request(server.url, p.replace(/\{[^}]+\}/g, 'NO-SUCH-CODE'));
    assert.equal(r.status, 404);
    assert.deepEqual(validate(doc, errorSchema, r.json(), key, [], true), []);
  }
  const r405 = await request(server.url, '/api/v1/health', { method: 'DELETE' });
  assert.deepEqual(validate(doc, errorSchema, r405.json(), 'DELETE /api/v1/health', [], true), []);
});
