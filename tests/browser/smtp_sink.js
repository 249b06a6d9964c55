// A real SMTP server for the browser tests to send mail to: Debian's aiosmtpd on a free loopback
// port, writing each message it accepts into a maildir that the tests read and parse.
//
// aiosmtpd comes from Debian's python3-aiosmtpd, so it belongs to the system's interpreter, which
// may not be the first python3 on PATH (the same choice as tests/unit/mail/mailer_test.c).
'use strict'

const { spawn } = require('node:child_process')
const fs = require('node:fs')
const net = require('node:net')
const os = require('node:os')
const path = require('node:path')

const PYTHON = process.env.NPQ_SINK_PYTHON || (fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3')
const START_TIMEOUT_MS = 10000
const STOP_TIMEOUT_MS = 5000
const POLL_MS = 100

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

// A loopback port nothing listens on at the moment of asking. Another process could take it
// before the caller does; callers that bind it themselves retry with a new one.
function freePort () {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.unref()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })
}

function portOpen (port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port })
    const done = (open) => { socket.destroy(); resolve(open) }
    socket.once('connect', () => done(true))
    socket.once('error', () => done(false))
    socket.setTimeout(500, () => done(false))
  })
}

// ---- Parsing a message (RFC 5322 headers, a single text part) ----

// RFC 2047 encoded words (B and Q) in a header value, as the mailer writes long or non-ASCII subjects.
function decodeWords (value) {
  return value
    .replace(/(\?=)\s+(=\?)/g, '$1$2') // white space between adjacent encoded words is not text
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, charset, enc, text) => {
      const bytes = enc.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64')
        : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (__, h) => String.fromCharCode(parseInt(h, 16))), 'latin1')
      return new TextDecoder(charset.toLowerCase()).decode(bytes)
    })
}

// { raw, headers: [[name, value]...], header(name), headerAll(name), contentType, charset,
//   transferEncoding, subject, body } from the bytes of one message.
function parseMessage (raw) {
  const split = raw.indexOf('\n\n') >= 0 && !raw.includes('\r\n\r\n')
    ? { at: raw.indexOf('\n\n'), sep: 2 }
    : { at: raw.indexOf('\r\n\r\n'), sep: 4 }
  if (split.at < 0) throw new Error('message has no blank line between its header and its body')
  const head = raw.subarray(0, split.at).toString('latin1') // headers are ASCII; 8-bit bytes show up as such
  const bodyBytes = raw.subarray(split.at + split.sep)
  const headers = []
  for (const line of head.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && headers.length > 0) {
      headers[headers.length - 1][1] += line // unfold (RFC 5322 2.2.3)
    } else {
      const colon = line.indexOf(':')
      if (colon <= 0) throw new Error(`malformed header line: ${JSON.stringify(line)}`)
      headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()])
    }
  }
  const headerAll = (name) => headers.filter(([n]) => n.toLowerCase() === name.toLowerCase()).map(([, v]) => v)
  const header = (name) => headerAll(name)[0]
  const contentType = (header('Content-Type') || 'text/plain; charset=us-ascii').trim()
  const charsetMatch = contentType.match(/;\s*charset="?([^";\s]+)"?/i)
  const charset = charsetMatch ? charsetMatch[1].toLowerCase() : 'us-ascii'
  const transferEncoding = (header('Content-Transfer-Encoding') || '7bit').trim().toLowerCase()
  if (!/^text\/plain\b/i.test(contentType)) throw new Error(`not a text/plain message: ${contentType}`)
  let decoded
  if (transferEncoding === '7bit' || transferEncoding === '8bit') decoded = bodyBytes
  else if (transferEncoding === 'base64') decoded = Buffer.from(bodyBytes.toString('latin1'), 'base64')
  else if (transferEncoding === 'quoted-printable') {
    decoded = Buffer.from(bodyBytes.toString('latin1').replace(/=\r?\n/g, '')
      .replace(/=([0-9A-Fa-f]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16))), 'latin1')
  } else throw new Error(`unknown Content-Transfer-Encoding: ${transferEncoding}`)
  // fatal: bytes that are not valid in the declared charset fail the test instead of becoming U+FFFD.
  const body = new TextDecoder(charset === 'us-ascii' ? 'utf-8' : charset, { fatal: true }).decode(decoded)
    .replace(/\r\n/g, '\n')
  return {
    raw,
    headers,
    header,
    headerAll,
    contentType,
    charset,
    transferEncoding,
    subject: decodeWords(header('Subject') || ''),
    body
  }
}

// ---- The sink ----

async function startOnce () {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'npq-smtp-'))
  const maildir = path.join(dir, 'maildir')
  const port = await freePort()
  const logPath = path.join(dir, 'sink.log')
  const log = fs.openSync(logPath, 'w')
  // `python3 -m aiosmtpd -n -l ADDRESS -c aiosmtpd.handlers.Mailbox MAILDIR`, plus a watchdog: the
  // sink leaves when its standard input closes, that is when this process ends in any way (even
  // killed), so it never outlives the test.
  const args = ['-n', '-l', `127.0.0.1:${port}`, '-c', 'aiosmtpd.handlers.Mailbox', maildir]
  const watchdog = 'import os, runpy, sys, threading\n' +
    'threading.Thread(target=lambda: (sys.stdin.buffer.read(), os._exit(0)), daemon=True).start()\n' +
    'sys.argv = ["aiosmtpd"] + sys.argv[1:]\n' +
    'runpy.run_module("aiosmtpd", run_name="__main__", alter_sys=True)\n'
  const child = spawn(PYTHON, ['-c', watchdog, ...args], { stdio: ['pipe', log, log] })
  fs.closeSync(log)
  const killOnExit = () => { try { child.kill('SIGKILL') } catch {} }
  process.once('exit', killOnExit)
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })))
  let gone = null
  exited.then((r) => { gone = r })
  const readLog = () => { try { return fs.readFileSync(logPath, 'utf8').trim() } catch { return '' } }
  const cleanUp = () => {
    process.removeListener('exit', killOnExit)
    fs.rmSync(dir, { recursive: true, force: true })
  }

  const deadline = Date.now() + START_TIMEOUT_MS
  while (!(await portOpen(port))) {
    if (gone || Date.now() > deadline) {
      if (!gone) { child.kill('SIGKILL'); await exited }
      const why = gone ? `exited (code ${gone.code}, signal ${gone.signal})` : `did not listen within ${START_TIMEOUT_MS} ms`
      const text = readLog()
      cleanUp()
      const err = new Error(`the SMTP sink (${PYTHON} -m aiosmtpd) ${why}; is python3-aiosmtpd installed? ${text}`)
      err.portTaken = /address already in use/i.test(text)
      throw err
    }
    await sleep(50)
  }

  const seen = new Set() // maildir file names already handed out by nextMessage

  // Every message delivered so far, oldest first, parsed.
  function messages () {
    const found = []
    for (const sub of ['new', 'cur']) {
      let names = []
      try { names = fs.readdirSync(path.join(maildir, sub)) } catch { continue }
      for (const name of names) {
        if (name.startsWith('.')) continue
        const file = path.join(maildir, sub, name)
        found.push({ name, mtime: fs.statSync(file).mtimeMs, message: parseMessage(fs.readFileSync(file)) })
      }
    }
    // Maildir names begin with the delivery time in seconds; the mtime orders within a second.
    found.sort((a, b) => a.mtime - b.mtime || a.name.localeCompare(b.name))
    return found.map(({ name, message }) => ({ ...message, file: name }))
  }

  // The first message not handed out before that matches { to, subject }, polling up to timeoutMs.
  async function nextMessage ({ to, subject, timeoutMs = 10000 } = {}) {
    const until = Date.now() + timeoutMs
    for (;;) {
      for (const m of messages()) {
        if (seen.has(m.file)) continue
        if (to !== undefined && !(m.header('To') === to || (m.header('X-RcptTo') || '').split(/,\s*/).includes(to))) continue
        if (subject !== undefined && m.subject !== subject) continue
        seen.add(m.file)
        return m
      }
      if (Date.now() > until) {
        const have = messages().map((m) => `${m.header('To')}: ${m.subject}`)
        throw new Error(`no message ${JSON.stringify({ to, subject })} within ${timeoutMs} ms; the sink has ${JSON.stringify(have)}`)
      }
      if (gone) throw new Error(`the SMTP sink exited (code ${gone.code}, signal ${gone.signal}): ${readLog()}`)
      await sleep(POLL_MS)
    }
  }

  let stopped = null
  // SIGTERM, then SIGKILL if it does not go; removes the maildir. Safe to call more than once.
  function stop () {
    if (stopped) return stopped
    stopped = (async () => {
      if (!gone) child.kill('SIGTERM')
      let timer
      const result = await Promise.race([exited, new Promise((resolve) => { timer = setTimeout(() => resolve(null), STOP_TIMEOUT_MS) })])
      clearTimeout(timer)
      let final = result
      if (final === null) {
        child.kill('SIGKILL')
        final = { ...(await exited), killed: true }
      }
      cleanUp()
      return final
    })()
    return stopped
  }

  return { port, url: `smtp://127.0.0.1:${port}`, maildir, messages, nextMessage, stop, log: readLog }
}

// Starts the sink, with a new port if another process took the one chosen in between.
async function startSmtpSink () {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce()
    } catch (err) {
      if (!err.portTaken || attempt >= 3) throw err
    }
  }
}

module.exports = { startSmtpSink, parseMessage, freePort }
