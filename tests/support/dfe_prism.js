'use strict';
/*
 * Stoplight Prism as a validating proxy in front of a fake DfE: every request npq sends is
 * checked against the DfE's published v3 document, and a request that breaks it is answered with
 * Prism's error instead of reaching the fake (--errors). Prism listens on loopback at a port the
 * test chose, and is stopped by the test.
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
  const port = await freePort();
  const started = Date.now();
  const proc = spawn(PRISM, ['proxy', document, upstream, '--errors', '-h', '127.0.0.1', '-p', String(port)], {
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
        if (proc.exitCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      }),
  };
}

module.exports = { startPrism };
