'use strict';
/*
 * Pipelined floods: one client writes thousands of requests down one connection at once and never
 * reads the answers. The server answers a connection's requests one after another and stops
 * reading it while an answer waits to be sent, so the flood costs it one socket's buffers: its
 * memory stays where it was, and another client is served meanwhile. With the rate limit on (not
 * exempt), most of the flood is answered 429 without any work.
 */
const { test, describe, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const net = require('node:net');
const http = require('node:http');

const { startServerWithArgs } = require('./auth_helpers');

const FLOOD = 20000;
const residentMiB = (pid) => Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

function get(port, path, localAddress) {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, localAddress, agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      })
      .on('error', reject);
  });
}

/* A connection from localAddress that sends count requests in one go and reads nothing. */
function flood(port, localAddress, count) {
  const socket = net.connect({ host: '127.0.0.1', port, localAddress });
  socket.on('error', () => {});
  socket.pause();
  const one = 'GET /api/v1/qualifications HTTP/1.1\r\nHost: x\r\n\r\n';
  socket.on('connect', () => socket.write(one.repeat(count)));
  return socket;
}

for (const [label, args] of [
  ['exempt from the rate limit', []],
  ['under the rate limit', ['--rate-limit', '5', '--rate-limit-exempt', 'none']],
]) {
  describe(`a pipelined flood, ${label}`, () => {
    let server;
    const sockets = [];
    before(async () => {
      /* A sanitizer build keeps freed memory in quarantine (256 MiB by default), which is memory
       * the server no longer uses; a small quarantine keeps the bound about the server. */
      const asan = process.env.ASAN_OPTIONS;
      server = await startServerWithArgs(args, asan ? { env: { ASAN_OPTIONS: `${asan}:quarantine_size_mb=4` } } : {});
    });
    after(async () => {
      for (const s of sockets) s.destroy();
      await server?.stop();
    });

    test('costs no memory and holds nobody else up', async () => {
      assert.equal(await get(server.port, '/api/v1/qualifications', '127.0.0.3'), 200);
      const before = residentMiB(server.proc.pid);
      for (let i = 0; i < 4; i++) sockets.push(flood(server.port, '127.0.0.2', FLOOD));
      await new Promise((r) => setTimeout(r, 1500));
      for (let i = 0; i < 20; i++) assert.equal(await get(server.port, '/api/v1/health', '127.0.0.3'), 200);
      const during = residentMiB(server.proc.pid);
      assert.ok(during - before < 32, `resident memory ${before.toFixed(0)} MiB before, ${during.toFixed(0)} MiB during the flood`);
      for (const s of sockets) s.destroy();
      assert.equal(await get(server.port, '/api/v1/health', '127.0.0.3'), 200);
    });
  });
}
