'use strict';
/*
 * The OpenAPI document the server publishes passes Redocly's linter with its recommended rules:
 * no errors and no warnings (an independent check of what tests/api/openapi.test.js checks against
 * the route table: operation ids, summaries, error responses, security, licence, examples).
 */
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFile } = require('node:child_process');
const { test, before, after } = require('node:test');
const { REPO, startServer, getJson } = require('../api/helpers');

const REDOCLY = path.join(REPO, 'node_modules/.bin/redocly');

let server;
let dir;
before(async () => {
  server = await startServer({ threads: 1 });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'npq-lint-'));
});
after(async () => {
  await server?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('redocly lint --extends=recommended finds no problem', async () => {
  const file = path.join(dir, 'openapi.json');
  fs.writeFileSync(file, JSON.stringify(await getJson(server.url, '/api/v1/openapi.json')));
  const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' };
  const out = await new Promise((resolve) => {
    execFile(REDOCLY, ['lint', '--extends=recommended', '--format=json', file], { cwd: dir, env, timeout: 60000 }, (error, stdout, stderr) =>
      resolve({ code: error ? error.code : 0, stdout, stderr }),
    );
  });
  const report = JSON.parse(out.stdout);
  const problems = report.problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location?.[0]?.pointer}`);
  assert.deepEqual(problems, [], 'the linter found problems');
  assert.equal(report.totals.errors, 0);
  assert.equal(report.totals.warnings, 0);
  assert.equal(out.code, 0, out.stderr);
});
