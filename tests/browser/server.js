// Starts npq on a fresh temporary database for the browser tests, and stops it again.
// Kept inside tests/browser/ on purpose: these tests do not depend on the API tests' helpers.
'use strict'

const { spawn, execFileSync } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')

const START_TIMEOUT_MS = 10000
const STOP_TIMEOUT_MS = 5000

function npqBin () {
  return path.resolve(process.env.NPQ_BIN || 'build/npq')
}

// Resolves to { url, stop, output, db, bin } once npq prints its "listening on" line.
// options (all optional):
//   port     listen on 127.0.0.1:port instead of a port npq picks (for a --base-url known in advance)
//   args     more arguments for npq serve, e.g. ['--smtp-url', url, '--base-url', url]
//   env      more environment for npq serve
//   prepare  (db, bin) => void, run after npq init and before npq serve, e.g. to add people
async function startServer (options = {}) {
  const bin = npqBin()
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'npq-browser-'))
  const db = path.join(dir, 'npq.db')
  try {
    execFileSync(bin, ['init', '--db', db], { stdio: ['ignore', 'pipe', 'pipe'] })
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true })
    throw new Error(`${bin} init failed: ${err.message}`)
  }
  if (options.prepare) {
    try {
      await options.prepare(db, bin)
    } catch (err) {
      fs.rmSync(dir, { recursive: true, force: true })
      throw err
    }
  }

  const listen = `127.0.0.1:${options.port ?? 0}`
  const child = spawn(bin, ['serve', '--db', db, '--listen', listen, '--access-log', path.join(dir, 'access.log'), '--threads', '2',
    ...(options.args || [])], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: options.env ? { ...process.env, ...options.env } : process.env
  })
  const output = { stdout: '', stderr: '' }
  child.stdout.setEncoding('utf8')
  child.stderr.setEncoding('utf8')
  child.stderr.on('data', (chunk) => { output.stderr += chunk })
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })))

  let url
  try {
    url = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`npq did not start within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS)
      child.stdout.on('data', (chunk) => {
        output.stdout += chunk
        const m = output.stdout.match(/npq: listening on (http:\/\/127\.0\.0\.1:\d+\/)/)
        if (m) { clearTimeout(timer); resolve(m[1]) }
      })
      exited.then(({ code, signal }) => {
        clearTimeout(timer)
        reject(new Error(`npq exited early (code ${code}, signal ${signal}): ${output.stderr}`))
      })
    })
  } catch (err) {
    child.kill('SIGKILL')
    fs.rmSync(dir, { recursive: true, force: true })
    throw err
  }

  let stopped = null
  // SIGTERM, wait for a graceful exit, SIGKILL if it does not come. Resolves to { code, signal }.
  async function stop () {
    if (stopped) return stopped
    stopped = (async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      let timer
      const result = await Promise.race([
        exited,
        new Promise((resolve) => { timer = setTimeout(() => resolve(null), STOP_TIMEOUT_MS) })
      ])
      clearTimeout(timer)
      let final = result
      if (final === null) {
        child.kill('SIGKILL')
        final = { ...(await exited), killed: true }
      }
      fs.rmSync(dir, { recursive: true, force: true })
      return final
    })()
    return stopped
  }

  return { url: url.replace(/\/$/, ''), stop, output, db, bin }
}

module.exports = { startServer }
