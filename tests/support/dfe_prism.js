'use strict';
/*
 * Stoplight Prism as a validating proxy in front of a fake DfE: every request npq sends is
 * checked against the DfE's published v3 document, and a request that breaks it is answered with
 * Prism's error instead of reaching the fake (--errors). Prism listens on loopback at a port the
 * test chose, and is stopped by the test.
 *
 * The document marks many properties `required: true` inside their own schemas, which JSON Schema
 * does not have (its `required` is a list on the object, and the document has those too). Prism
 * cannot compile a request body's schema holding them and then checks no body at all, so the
 * document Prism is given is the published one without those booleans, and nothing else changed.
 */
const { spawn } = require('node:child_process');
const net = require('node:net');
const path = require('node:path');

const REPO = path.join(__dirname, '../..');
const fs = require('node:fs');
/* The document lives in the shared folder beside the checkout. */
const DOCUMENT = [process.env.NPQ_DFE_OPENAPI, path.join(REPO, '../shared/dfe/lead-provider-api-v3.yaml'), '/work/shared/dfe/lead-provider-api-v3.yaml']
  .filter(Boolean)
  .find((p) => fs.existsSync(p));
const PRISM = path.join(REPO, 'node_modules/.bin/prism');
const os = require('node:os');
const yaml = require('js-yaml');

/* The published document as JSON Schema reads it: boolean `required` members dropped. */
function documentForPrism(source) {
  const doc = yaml.load(fs.readFileSync(source, 'utf8'));
  (function drop(x) {
    if (Array.isArray(x)) return x.forEach(drop);
    if (x && typeof x === 'object') {
      if (typeof x.required === 'boolean') delete x.required;
      Object.values(x).forEach(drop);
    }
  })(doc);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'npq-dfe-'));
  const file = path.join(dir, 'lead-provider-api-v3.json');
  fs.writeFileSync(file, JSON.stringify(doc));
  return { file, dir };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function startPrism(upstream, { document = DOCUMENT } = {}) {
  if (!document) throw new Error('the DfE v3 document is not found: set NPQ_DFE_OPENAPI to lead-provider-api-v3.yaml');
  const prepared = documentForPrism(document);
  const port = await freePort();
  const started = Date.now();
  const proc = spawn(PRISM, ['proxy', prepared.file, upstream, '--errors', '-h', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: false,
  });
  let output = '';
  proc.stdout.on('data', (c) => (output += c));
  proc.stderr.on('data', (c) => (output += c));
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Prism did not start in 30 s:\n${output}`)), 30000);
    const check = setInterval(() => {
      if (/Prism is listening/.test(output)) {
        clearInterval(check);
        clearTimeout(timer);
        resolve();
      }
    }, 50);
    proc.on('exit', (code) => {
      clearInterval(check);
      clearTimeout(timer);
      reject(new Error(`Prism exited ${code}:\n${output}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    startMs: Date.now() - started,
    /* What Prism said: its request and response violations show here. */
    output: () => output,
    stop: () =>
      new Promise((resolve) => {
        const done = () => {
          fs.rmSync(prepared.dir, { recursive: true, force: true });
          resolve();
        };
        if (proc.exitCode !== null) return done();
        proc.once('exit', done);
        proc.kill('SIGTERM');
      }),
  };
}

module.exports = { startPrism };
