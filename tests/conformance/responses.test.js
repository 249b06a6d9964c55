'use strict';
/*
 * Every JSON answer the API suite received matches the OpenAPI document: the schema of its
 * operation's status (the Error schema for 4xx and 5xx), every required property present, no
 * property sent that the schema does not declare. The API suite records its answers when run with
 * NPQ_RECORD_RESPONSES=FILE (tests/api/helpers.js); `make test` does so and then runs this file with
 * the same variable.
 *
 * NPQ_SUGGEST_REQUIRED=FILE also writes, for each object schema of the components, the properties
 * present in every answer seen: what its `required` list can truthfully say.
 */
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { test, before, after } = require('node:test');
const { startServer, getJson } = require('../api/helpers');

const RECORD = process.env.NPQ_RECORD_RESPONSES;

let server;
let doc;
before(async () => {
  server = await startServer({ threads: 1 });
  doc = await getJson(server.url, '/api/v1/openapi.json');
});
after(async () => {
  await server?.stop();
});

function typeOf(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (Number.isInteger(v)) return 'integer';
  return typeof v;
}

function resolve(ref) {
  return ref
    .replace(/^#\//, '')
    .split('/')
    .reduce((node, part) => node?.[part.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
}

/* Object instances seen per schema pointer: {count, present: {property: times}}. */
const seen = new Map();

function validate(schema, value, where, pointer, errors) {
  if (schema.$ref) return validate(resolve(schema.$ref), value, where, schema.$ref, errors);
  for (const key of ['anyOf', 'oneOf']) {
    if (!schema[key]) continue;
    const tries = schema[key].map((alt, i) => validate(alt, value, where, `${pointer}/${key}/${i}`, []));
    const fits = tries.filter((e) => e.length === 0).length;
    if (fits === 0) errors.push(`${where}: fits none of ${key} (${tries.map((e) => e[0]).join('; ')})`);
    if (key === 'oneOf' && fits > 1) errors.push(`${where}: fits ${fits} of oneOf`);
  }
  if ('const' in schema && JSON.stringify(value) !== JSON.stringify(schema.const))
    errors.push(`${where}: ${JSON.stringify(value)} is not ${JSON.stringify(schema.const)}`);
  if (schema.enum && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value)))
    errors.push(`${where}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  const t = typeOf(value);
  if (schema.type) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.includes(t) && !(t === 'integer' && types.includes('number'))) {
      errors.push(`${where}: ${t} where the schema says ${types.join(' or ')}`);
      return errors;
    }
  }
  if (t === 'object' && schema.properties) {
    const entry = seen.get(pointer) || { count: 0, present: {} };
    entry.count++;
    for (const k of Object.keys(value)) entry.present[k] = (entry.present[k] || 0) + 1;
    seen.set(pointer, entry);
  }
  if (t === 'object') {
    for (const r of schema.required || []) if (!(r in value)) errors.push(`${where}: required property "${r}" is missing`);
    for (const [k, v] of Object.entries(value)) {
      if (schema.properties?.[k]) validate(schema.properties[k], v, `${where}.${k}`, `${pointer}/properties/${k}`, errors);
      else if (schema.properties && schema.additionalProperties === undefined)
        errors.push(`${where}.${k}: sent but not in the schema`);
      else if (typeof schema.additionalProperties === 'object')
        validate(schema.additionalProperties, v, `${where}.${k}`, `${pointer}/additionalProperties`, errors);
    }
  }
  if (t === 'array' && schema.items)
    value.forEach((v, i) => validate(schema.items, v, `${where}[${i}]`, `${pointer}/items`, errors));
  return errors;
}

/* The documented operation for a method and a concrete path: {id} takes one segment, {rest*} the rest. */
function operationFor(method, pathname) {
  const parts = pathname.split('/');
  let best = null;
  for (const [template, item] of Object.entries(doc.paths)) {
    const op = item[method.toLowerCase()];
    if (!op) continue;
    const tparts = template.split('/');
    let params = 0;
    let ok = true;
    for (let i = 0; i < tparts.length && ok; i++) {
      if (/^\{.+\*\}$/.test(tparts[i])) {
        params++;
        ok = i < parts.length;
        break;
      }
      if (i >= parts.length) ok = false;
      else if (/^\{.+\}$/.test(tparts[i])) params++;
      else ok = tparts[i] === parts[i];
    }
    if (ok && !tparts.some((p) => /\*\}$/.test(p)) && tparts.length !== parts.length) ok = false;
    if (ok && (best === null || params < best.params)) best = { template, op, params };
  }
  return best;
}

test('every JSON answer the API suite saw matches its operation in the OpenAPI document', () => {
  assert.ok(RECORD, 'NPQ_RECORD_RESPONSES names the answers recorded by the API suite (see the Makefile)');
  const lines = fs.readFileSync(RECORD, 'utf8').split('\n').filter(Boolean);
  assert.ok(lines.length > 1000, `the API suite recorded ${lines.length} answers: too few to mean anything`);
  const problems = new Map(); // a problem with its array indices folded, first example kept
  let checked = 0;
  for (const line of lines) {
    const { method, path: pathname, status, body } = JSON.parse(line);
    if (pathname === '/api/v1/openapi.json') continue;
    const found = operationFor(method === 'HEAD' ? 'GET' : method, pathname);
    if (!found) continue; // the router's own 404 and 405 answers, which the Error check below covers too
    const key = `${method} ${found.template}`;
    let schema;
    if (status >= 200 && status < 300) {
      const documented = found.op.responses[String(status)];
      if (!documented) {
        problems.set(`${key}: answers ${status}, which is not documented`, pathname);
        continue;
      }
      schema = documented.content?.['application/json']?.schema;
      if (!schema) {
        problems.set(`${key}: answers JSON with ${status}, documented without a JSON schema`, pathname);
        continue;
      }
    } else {
      const documented = found.op.responses[String(status)] || found.op.responses.default;
      if (!documented) problems.set(`${key}: answers ${status}, which is not documented`, pathname);
      schema = documented?.content?.['application/json']?.schema || { $ref: '#/components/schemas/Error' };
    }
    checked++;
    for (const e of validate(schema, body, key, schema.$ref || key, [])) {
      const folded = e.replace(/\[\d+\]/g, '[]');
      if (!problems.has(folded)) problems.set(folded, `${method} ${pathname} ${status}`);
    }
  }
  if (process.env.NPQ_SUGGEST_REQUIRED) {
    const out = {};
    for (const [pointer, { count, present }] of seen)
      if (pointer.startsWith('#/components/schemas/'))
        out[pointer] = { count, always: Object.keys(present).filter((k) => present[k] === count) };
    fs.writeFileSync(process.env.NPQ_SUGGEST_REQUIRED, JSON.stringify(out, null, 2));
  }
  const report = [...problems].slice(0, 60).map(([p, example]) => `${p}\n    e.g. ${example}`);
  assert.equal(problems.size, 0, `${problems.size} ways ${checked} answers differ from the document:\n${report.join('\n')}`);
});

test('every object schema of the components says which properties are required', () => {
  const missing = [];
  const walk = (schema, pointer) => {
    if (!schema || typeof schema !== 'object') return;
    if (schema.properties && !Array.isArray(schema.required)) missing.push(pointer);
    for (const [k, v] of Object.entries(schema.properties || {})) walk(v, `${pointer}/properties/${k}`);
    if (schema.items) walk(schema.items, `${pointer}/items`);
    for (const key of ['anyOf', 'oneOf', 'allOf']) (schema[key] || []).forEach((s, i) => walk(s, `${pointer}/${key}/${i}`));
  };
  for (const [name, schema] of Object.entries(doc.components.schemas)) walk(schema, `#/components/schemas/${name}`);
  assert.deepEqual(missing, [], 'object schemas without a required list');
});
