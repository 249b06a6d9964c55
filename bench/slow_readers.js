'use strict';
/*
 * Slow readers: N connections (spread over loopback addresses 127.0.0.1 to .16) each ask for the
 * OpenAPI document (277 KB, not compressed) and never read the answer. Prints the server's
 * resident memory before, while they hang on, and after they are gone, and whether a health
 * check is still answered quickly meanwhile.
 *
 *   node bench/slow_readers.js http://127.0.0.1:8080 PID [N]
 */
const net = require('node:net');
const fs = require('node:fs');
const { execFileSync } = require('node:child_process');

const [base, pid, count = '3000'] = process.argv.slice(2);
const url = new URL(base);
const rss = () => {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)[1]);
  return { rssMiB: Math.round(kb('VmRSS') / 1024), peakMiB: Math.round(kb('VmHWM') / 1024) };
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/* A health check by curl, a process of its own, so this one's busy event loop is not timed. */
function health() {
  const out = execFileSync('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code} %{time_total}', new URL('/api/v1/health', base).href]);
  const [status, seconds] = out.toString().split(' ');
  return { status: Number(status), ms: Math.round(Number(seconds) * 1000 * 10) / 10 };
}

(async () => {
  const before = rss();
  const sockets = [];
  let refused = 0;
  for (let i = 0; i < Number(count); i++) {
    const s = net.connect({ host: url.hostname, port: Number(url.port), localAddress: `127.0.0.${1 + (i % 16)}` });
    s.on('error', () => {});
    s.on('data', (d) => {
      if (d.toString('latin1', 0, 12).startsWith('HTTP/1.1 503')) refused++;
      s.pause(); /* read the first bytes, then nothing more */
    });
    s.write(`GET /api/v1/openapi.json HTTP/1.1\r\nHost: ${url.host}\r\n\r\n`);
    sockets.push(s);
    if (i % 200 === 199) await sleep(50);
  }
  await sleep(3000);
  const during = rss();
  const check = health();
  for (const s of sockets) s.destroy();
  await sleep(3000);
  const after = rss();
  console.log(JSON.stringify({ connections: Number(count), refused, before, during, after, health: check }));
})();
