// A coaching session booked, moved and cancelled from the pages, on a phone: the demo coach books
// with their coachee, changes the time, is asked before cancelling and cancels; each step emails
// both of them. The participant may cancel it too (they may book one with their coach), but not
// move it: the coach or an administrator changes a session's time or place.
//
//   NPQ_BIN=build/npq node --test --test-concurrency=1 tests/browser/coaching.test.js
'use strict'

const { describe, it, before, after } = require('node:test')
const assert = require('node:assert/strict')
const { execFileSync } = require('node:child_process')
const { chromium } = require('playwright-core')
const { startServer } = require('./server')
const { startSmtpSink, freePort } = require('./smtp_sink')

const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium'
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-quic', '--disable-sync']
const PASSWORD = 'blended-learning-at-local-venues'
const COACH = 'coach@demo.npq.test'
const PARTICIPANT = 'participant@demo.npq.test'
const YEAR = new Date().getUTCFullYear() + 1
const MAIL_TIMEOUT_MS = 10000

let sink
let server
let browser

before(async () => {
  sink = await startSmtpSink()
  for (let attempt = 1; ; attempt++) {
    const port = await freePort()
    try {
      server = await startServer({
        port,
        args: ['--smtp-url', sink.url, '--base-url', `http://127.0.0.1:${port}`, '--mail-from', 'no-reply@npq.example.test'],
        prepare: (db, bin) => { execFileSync(bin, ['demo', '--db', db], { stdio: ['pipe', 'pipe', 'pipe'] }) }
      })
      break
    } catch (err) {
      if (attempt >= 3 || !/exited early/.test(err.message)) throw err
    }
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 20000 })
})

after(async () => {
  if (browser) await browser.close().catch(() => {})
  if (server) await server.stop()
  if (sink) await sink.stop().catch(() => {})
})

async function signedIn (email) {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, baseURL: server.url })
  context.setDefaultTimeout(10000)
  const page = await context.newPage()
  await page.goto('/sign-in', { waitUntil: 'load' })
  await page.getByLabel('Email address').fill(email)
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('main').getByRole('button', { name: 'Sign in' }).click()])
  return { context, page }
}

async function click (page, locator) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), locator.click()])
}

async function fits (page, what) {
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth)
  assert.ok(scrollWidth <= 360, `${what}: no horizontal scroll at 360 px (scrollWidth ${scrollWidth})`)
}

// The next email to each of the pair whose subject begins with prefix; its body.
async function bothEmailed (prefix) {
  const bodies = []
  for (const to of [PARTICIPANT, COACH]) {
    const until = Date.now() + MAIL_TIMEOUT_MS
    let found
    while (!found) {
      found = sink.messages().find((m) => m.header('To') === to && m.subject.startsWith(prefix) && !bothEmailed.seen.has(m.file))
      if (!found) {
        if (Date.now() > until) assert.fail(`no "${prefix}" email to ${to}; the sink has ${JSON.stringify(sink.messages().map((m) => `${m.header('To')}: ${m.subject}`))}`)
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    }
    bothEmailed.seen.add(found.file)
    bodies.push(found.body)
  }
  return bodies
}
bothEmailed.seen = new Set()

describe('a coaching session from the pages', () => {
  let sessionPath

  it('the coach books a session with their coachee, and both are emailed', async () => {
    const { context, page } = await signedIn(COACH)
    try {
      await page.goto('/coaching/new', { waitUntil: 'load' })
      await page.getByLabel('With').selectOption({ index: 1 })
      await page.getByLabel('Day').fill('12')
      await page.getByLabel('Month').fill('5')
      await page.getByLabel('Year').fill(String(YEAR))
      await page.getByLabel('Start time (UK time)').fill('4pm')
      await page.getByLabel('End time (UK time)').fill('5pm')
      await page.getByLabel('Online').check()
      await page.getByLabel('Joining link or place').fill('https://meet.example.test/coaching-one')
      await click(page, page.getByRole('button', { name: 'Book session' }))
      assert.match(new URL(page.url()).pathname, /^\/coaching\/\d+$/)
      sessionPath = new URL(page.url()).pathname
      const [toParticipant, toCoach] = await bothEmailed(`Coaching session booked: Wednesday 12 May ${YEAR}`)
      assert.match(toParticipant, /Coaching session with .+\n/)
      assert.match(toParticipant, /https:\/\/meet\.example\.test\/coaching-one/)
      assert.match(toCoach, new RegExp(`${sessionPath}\\b`))
    } finally {
      await context.close()
    }
  })

  it('the participant may cancel the session but not move it', async () => {
    const { context, page } = await signedIn(PARTICIPANT)
    try {
      await page.goto(sessionPath, { waitUntil: 'load' })
      assert.equal(await page.getByRole('link', { name: 'Change time or place' }).count(), 0)
      assert.equal(await page.getByRole('link', { name: 'Cancel session' }).count(), 1)
      assert.equal((await page.goto(`${sessionPath}/edit`, { waitUntil: 'load' })).status(), 403, 'the change form')
      assert.equal((await page.goto(`${sessionPath}/cancel`, { waitUntil: 'load' })).status(), 200, 'the question before cancelling')
    } finally {
      await context.close()
    }
  })

  it('the coach moves it, a wrong time comes back with what was typed, and both are emailed', async () => {
    const { context, page } = await signedIn(COACH)
    try {
      await page.goto(sessionPath, { waitUntil: 'load' })
      await click(page, page.getByRole('link', { name: 'Change time or place' }))
      await fits(page, 'the change form')
      assert.equal(await page.getByLabel('Start time (UK time)').inputValue(), '16:00', 'the form shows the time as it is')
      await page.getByLabel('Day').fill('13')
      await page.getByLabel('Start time (UK time)').fill('teatime')
      await click(page, page.getByRole('button', { name: 'Save changes' }))
      assert.equal(await page.locator('.govuk-error-summary').count(), 1, 'the error summary')
      assert.equal(await page.getByLabel('Start time (UK time)').inputValue(), 'teatime', 'what was typed is kept')
      assert.equal(await page.getByLabel('Day').inputValue(), '13')
      await page.getByLabel('Start time (UK time)').fill('3pm')
      await page.getByLabel('End time (UK time)').fill('4:30pm')
      await click(page, page.getByRole('button', { name: 'Save changes' }))
      assert.equal(new URL(page.url()).pathname, sessionPath)
      assert.match(await page.locator('main').innerText(), /Session changed/)
      const [toParticipant] = await bothEmailed(`Coaching session moved: Thursday 13 May ${YEAR}`)
      assert.match(toParticipant, /3(:00)?pm/i)
    } finally {
      await context.close()
    }
  })

  it('the coach is asked before cancelling, cancels, and both are emailed', async () => {
    const { context, page } = await signedIn(COACH)
    try {
      await page.goto(sessionPath, { waitUntil: 'load' })
      await click(page, page.getByRole('link', { name: 'Cancel session' }))
      await fits(page, 'the question before cancelling')
      assert.match(await page.locator('h1').innerText(), /Are you sure/)
      await click(page, page.getByRole('link', { name: 'No, keep it' }))
      assert.equal(new URL(page.url()).pathname, sessionPath)
      await click(page, page.getByRole('link', { name: 'Cancel session' }))
      await click(page, page.getByRole('button', { name: 'Yes, cancel the session' }))
      assert.match(await page.locator('main').innerText(), /Session cancelled/)
      assert.equal(await page.getByRole('link', { name: 'Cancel session' }).count(), 0, 'no second cancel')
      await bothEmailed(`Coaching session cancelled: Thursday 13 May ${YEAR}`)
      const res = await page.goto(`${sessionPath}/edit`, { waitUntil: 'load' })
      assert.equal(res.status(), 409, 'a cancelled session is not moved')
    } finally {
      await context.close()
    }
  })
})
