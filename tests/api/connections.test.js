'use strict';
/*
 * Connection caps: one client cannot hold more than --max-connections-per-client connections,
 * nor all clients together more than --max-connections; a connection over a cap is answered 503
 * with the JSON error and closed, and a place frees up when a connection closes. Clients are told
 * apart by address: the test connects from 127.0.0.1, 127.0.0.2 and 127.0.0.3.
 */
const { test, describe, before, after } = require('node:test');
const assert = require('node:assert/strict');
const net = require('node:net');

const { startServerWithArgs } = require('./auth_helpers');
const { poll } = require('./helpers');

/* An idle connection from localAddress, open once the server has accepted it and not refused
 * it: a refused one receives the 503 at once, so a short wait tells the two apart. */
function connect(port, localAddress) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port, localAddress });
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (d) => (received += d));
    socket.on('error', reject);
    socket.on('connect', () => {
      setTimeout(() => resolve({ socket, received: () => received, closed: () => socket.readableEnded }), 150);
    });
  });
}

function refusal(text) {
  const [head, body] = text.split('\r\n\r\n');
  assert.match(head, /^HTTP\/1\.1 503 /);
  assert.match(head, /\r\nRetry-After: \d+/i);
  const error = JSON.parse(body).error;
  assert.equal(error.status, 503);
  assert.equal(error.code, 'too_many_connections');
  return error;
}

describe('connection caps (--max-connections 6 --max-connections-per-client 4)', () => {
  let server;
  const open = [];
  before(async () => {
    server = await startServerWithArgs(['--max-connections', '6', '--max-connections-per-client', '4']);
  });
  after(async () => {
    for (const c of open) c.socket.destroy();
    await server?.stop();
  });

  test('a fifth connection from one address is refused with 503, the others serve', async () => {
    for (let i = 0; i < 4; i++) {
      const c = await connect(server.port, '127.0.0.1');
      assert.equal(c.received(), '', `connection ${i + 1} is kept`);
      open.push(c);
    }
    const fifth = await connect(server.port, '127.0.0.1');
    refusal(fifth.received());
    fifth.socket.destroy();
    /* one of the four still answers requests */
    open[0].socket.write('GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n');
    assert.ok(await poll(() => /^HTTP\/1\.1 200 /.test(open[0].received())), open[0].received());
  });

  test('another address still gets in, up to the cap in all', async () => {
    const a = await connect(server.port, '127.0.0.2');
    const b = await connect(server.port, '127.0.0.2');
    assert.equal(a.received() + b.received(), '');
    open.push(a, b);
    const seventh = await connect(server.port, '127.0.0.3');
    refusal(seventh.received());
    seventh.socket.destroy();
  });

  test('when a connection closes, its place is free again', async () => {
    open.shift().socket.destroy();
    const reopened = await poll(async () => {
      const c = await connect(server.port, '127.0.0.1');
      if (c.received() !== '') {
        c.socket.destroy();
        return false;
      }
      open.push(c);
      return true;
    });
    assert.ok(reopened, 'a connection from 127.0.0.1 was kept again');
  });
});

/* Sends raw bytes on a new connection and resolves what came back before the server closed it or
 * a second passed. */
function exchange(port, bytes) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => socket.write(bytes));
    const chunks = [];
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(Buffer.concat(chunks));
    };
    const timer = setTimeout(done, 1000);
    socket.on('data', (d) => chunks.push(d));
    socket.on('end', done);
    socket.on('error', done);
  });
}

describe('HTTP/2 in clear text (h2c) is not spoken', () => {
  let server;
  before(async () => {
    server = await startServerWithArgs([]);
  });
  after(async () => {
    await server?.stop();
  });

  test('an Upgrade: h2c request is answered in HTTP/1.1, not switched', async () => {
    const answer = await exchange(
      server.port,
      'GET /api/v1/health HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n' +
        'HTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n',
    );
    assert.match(answer.toString('latin1'), /^HTTP\/1\.1 200 /);
  });

  test('the HTTP/2 connection preface gets no HTTP/2 SETTINGS frame back', async () => {
    const answer = await exchange(server.port, 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04\x00\x00\x00\x00\x00');
    /* an HTTP/2 server's first frame is SETTINGS: type 4 in the fourth byte */
    assert.ok(answer.length < 9 || answer[3] !== 4, `answered ${JSON.stringify(answer.toString('latin1'))}`);
  });
});
