'use strict';
/*
 * A real SMTP server for the API tests to send mail to: Debian's aiosmtpd on a free loopback port,
 * writing each message it accepts into a maildir, which the tests read and decode.
 *
 * aiosmtpd comes from Debian's python3-aiosmtpd, so it belongs to the system's interpreter, which
 * may not be the first python3 on PATH (the same choice as tests/unit/mail/mailer_test.c).
 *
 *   const sink = await startSmtpSink();      // {port, url, maildir, messages(), waitFor(), stop()}
 *   const mail = await sink.waitFor((m) => m.to.includes('x@y') && m.subject === '...');
 *   mail.text                                 // the body decoded as its headers say
 */
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const PYTHON = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/* A loopback port that nothing listens on at the moment of asking. */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function portOpen(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const done = (open) => {
      socket.destroy();
      resolve(open);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.setTimeout(500, () => done(false));
  });
}

/* RFC 2047 encoded words (B and Q) in a header value. */
function decodeWords(value) {
  return value
    .replace(/(\?=)\s+(=\?)/g, '$1$2')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, charset, enc, text) => {
      const bytes =
        enc.toUpperCase() === 'B'
          ? Buffer.from(text, 'base64')
          : Buffer.from(
              text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (__, h) => String.fromCharCode(parseInt(h, 16))),
              'latin1',
            );
      return new TextDecoder(charset.toLowerCase()).decode(bytes);
    });
}

function decodeQuotedPrintable(bytes) {
  const s = bytes.toString('latin1').replace(/=\r?\n/g, '');
  return Buffer.from(s.replace(/=([0-9A-Fa-f]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16))), 'latin1');
}

/*
 * One message from its bytes: {file, raw, headers: [[name, value]], header(name), to, subject,
 * contentType, charset, transferEncoding, text}. text is the body decoded by its
 * Content-Transfer-Encoding and charset, with CRLF line ends kept as they are.
 */
function parseMessage(raw, file) {
  let at = raw.indexOf('\r\n\r\n');
  let sep = 4;
  const lf = raw.indexOf('\n\n');
  if (at < 0 || (lf >= 0 && lf < at)) {
    at = lf;
    sep = 2;
  }
  if (at < 0) throw new Error(`${file}: no blank line between the header and the body`);
  const head = raw.subarray(0, at).toString('latin1');
  const bodyBytes = raw.subarray(at + sep);
  const headers = [];
  for (const line of head.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && headers.length > 0) headers[headers.length - 1][1] += line;
    else {
      const colon = line.indexOf(':');
      if (colon <= 0) throw new Error(`${file}: malformed header line ${JSON.stringify(line)}`);
      headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
    }
  }
  const header = (name) => {
    const h = headers.find(([n]) => n.toLowerCase() === name.toLowerCase());
    return h ? h[1] : undefined;
  };
  const contentType = (header('Content-Type') || 'text/plain; charset=us-ascii').trim();
  const charsetMatch = /;\s*charset="?([^";\s]+)"?/i.exec(contentType);
  const charset = (charsetMatch ? charsetMatch[1] : 'us-ascii').toLowerCase();
  const transferEncoding = (header('Content-Transfer-Encoding') || '7bit').trim().toLowerCase();
  let decoded = bodyBytes;
  if (transferEncoding === 'base64') decoded = Buffer.from(bodyBytes.toString('latin1').replace(/\s+/g, ''), 'base64');
  else if (transferEncoding === 'quoted-printable') decoded = decodeQuotedPrintable(bodyBytes);
  const text = new TextDecoder(charset === 'us-ascii' ? 'utf-8' : charset, { fatal: true }).decode(decoded);
  return {
    file,
    raw,
    headers,
    header,
    to: header('To') || '',
    rcptTo: header('X-RcptTo') || '',
    subject: decodeWords(header('Subject') || ''),
    contentType,
    mimeType: contentType.split(';')[0].trim().toLowerCase(),
    charset,
    transferEncoding,
    text,
  };
}

/* Starts aiosmtpd writing to a new maildir; resolves the sink. */
async function startSmtpSink({ timeoutMs = 10000 } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'npq-smtp-'));
  const maildir = path.join(dir, 'maildir');
  let lastError = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    let output = '';
    const proc = spawn(PYTHON, ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${port}`, '-c', 'aiosmtpd.handlers.Mailbox', maildir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    proc.stdout.on('data', (d) => (output += d));
    proc.stderr.on('data', (d) => (output += d));
    let exited = false;
    const exitedPromise = new Promise((resolve) =>
      proc.on('close', (code, signal) => {
        exited = true;
        resolve({ code, signal });
      }),
    );
    const killOnExit = () => {
      try {
        proc.kill('SIGKILL');
      } catch {
        /* gone */
      }
      fs.rmSync(dir, { recursive: true, force: true });
    };
    process.on('exit', killOnExit);
    const deadline = Date.now() + timeoutMs;
    while (!exited && Date.now() < deadline && !(await portOpen(port))) await sleep(50);
    if (exited || !(await portOpen(port))) {
      lastError = `aiosmtpd on 127.0.0.1:${port} did not listen (is python3-aiosmtpd installed?)\n${output}`;
      proc.kill('SIGKILL');
      await exitedPromise;
      process.off('exit', killOnExit);
      continue;
    }
    for (const h of [proc, proc.stdout, proc.stderr]) h.unref();

    const messages = () => {
      const out = [];
      for (const sub of ['new', 'cur']) {
        const d = path.join(maildir, sub);
        if (!fs.existsSync(d)) continue;
        for (const name of fs.readdirSync(d).sort()) {
          try {
            out.push(parseMessage(fs.readFileSync(path.join(d, name)), name));
          } catch (e) {
            // Kept, so that a message npq wrote badly shows up in waitFor's failure.
            out.push({ file: name, error: e.message, to: '', rcptTo: '', subject: `(unreadable: ${e.message})`, text: '' });
          }
        }
      }
      return out;
    };
    return {
      port,
      url: `smtp://127.0.0.1:${port}`,
      maildir,
      messages,
      /* The first message matching predicate, waiting up to timeoutMs for it. */
      async waitFor(predicate, { timeoutMs: wait = 10000, what = 'a matching message' } = {}) {
        const until = Date.now() + wait;
        for (;;) {
          const found = messages().find(predicate);
          if (found) return found;
          if (Date.now() >= until) {
            const seen = messages().map((m) => `${m.to}: ${m.subject}`);
            assert.fail(`the SMTP sink received no ${what} within ${wait} ms; it has ${JSON.stringify(seen)}\n${output}`);
          }
          await sleep(100);
        }
      },
      output: () => output,
      async stop() {
        for (const h of [proc, proc.stdout, proc.stderr]) h.ref();
        if (!exited) proc.kill('SIGTERM');
        const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
        await exitedPromise;
        clearTimeout(timer);
        process.off('exit', killOnExit);
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  throw new Error(lastError);
}

module.exports = { startSmtpSink, freePort, parseMessage, decodeWords };
