// Taking part in a cohort's forum on a phone (360 x 740, touch): the demo participant, enrolled in
// NPQSL in a cohort of the demo partner, finds Forums in the menu, opens their cohort's forum,
// starts a thread with a long unbroken word and a mention of their coach, sees the form keep what
// they typed when the title is missing, and replies. The cohort's facilitator then pins the thread,
// asks to hide the reply (a page says what that does before its button), hides it, and finds the
// participant's report in the moderation queue. No console errors, failed requests, unexpected
// HTTP errors or horizontal scroll on any page. Screenshots go to /tmp/npq-shots/forum-*.png.
//
//   NPQ_BIN=build/npq node --test --test-concurrency=1 tests/browser/forum.test.js
'use strict'

const { describe, it, before, after } = require('node:test')
const assert = require('node:assert/strict')
const { execFileSync } = require('node:child_process')
const fs = require('node:fs')
const path = require('node:path')
const { chromium } = require('playwright-core')
const { startServer } = require('./server')

const SHOTS = '/tmp/npq-shots'
const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium'
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-quic', '--disable-sync']
const STEP_TIMEOUT_MS = 10000
const WIDTH = 360
const PHONE = { viewport: { width: WIDTH, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }
const PASSWORD = 'blended-learning-at-local-venues'
const PARTICIPANT = 'participant@demo.npq.test'
const FACILITATOR = 'facilitator@demo.npq.test'
const LONG_WORD = 'Supercalifragilisticexpialidocious-evaluation-frameworks-across-the-whole-trust'

let server
let browser
const tokens = {}
const ids = {}
const made = {}

before(async () => {
  fs.mkdirSync(SHOTS, { recursive: true })
  server = await startServer({
    prepare: (db, bin) => {
      const run = (args) => execFileSync(bin, [...args, '--db', db], { stdio: ['pipe', 'pipe', 'pipe'] }).toString()
      run(['demo'])
      for (const who of ['admin', 'headteacher', 'participant']) tokens[who] = run(['token', 'create', '--email', `${who}@demo.npq.test`, '--name', 'forum test']).trim()
      for (const line of run(['user', 'list']).split('\n').filter(Boolean)) {
        const [id, email] = line.split('\t')
        ids[email] = Number(id)
      }
    }
  })
  await prepareCohort()
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 20000 })
})

after(async () => {
  if (browser) await browser.close().catch(() => {})
  if (server) await server.stop()
})

async function ok (who, method, pathname, body) {
  const res = await fetch(server.url + pathname, {
    method,
    headers: { authorization: `Bearer ${tokens[who]}`, connection: 'close', ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined
  })
  const text = await res.text()
  assert.ok([200, 201].includes(res.status), `${who}: ${method} ${pathname} → ${res.status} ${text.slice(0, 500)}`)
  return JSON.parse(text)
}

// The participant enrolled in a cohort of the demo partner whose facilitator is on its staff.
async function prepareCohort () {
  const orgs = (await ok('admin', 'GET', '/api/v1/organisations')).organisations
  const school = orgs.find((o) => o.kind === 'school' && o.urn === '100001').id
  const partner = orgs.find((o) => o.kind === 'delivery_partner').id
  const year = new Date().getUTCFullYear()
  const cohort = await ok('admin', 'POST', '/api/v1/cohorts', {
    code: 'NPQSL-FORUM', target: 'NPQSL', delivery_model: 'blended', delivery_partner_id: partner,
    starts_on: `${year}-01-04`, ends_on: `${year + 1}-07-31`
  })
  await ok('admin', 'POST', `/api/v1/cohorts/${cohort.id}/staff`, { user_id: ids[FACILITATOR], role: 'facilitator' })
  const draft = await ok('admin', 'POST', '/api/v1/applications', {
    participant_id: ids[PARTICIPANT], kind: 'qualification', target: 'NPQSL',
    electives: ['improving-the-quality-of-teaching', 'school-self-evaluation'], school_id: school,
    sponsor_id: ids['headteacher@demo.npq.test'], job_role: 'Assistant head', delivery_model: 'blended', funding_route: 'school'
  })
  await ok('admin', 'POST', `/api/v1/applications/${draft.id}/submit`)
  await ok('headteacher', 'POST', `/api/v1/applications/${draft.id}/approve`)
  await ok('admin', 'POST', `/api/v1/applications/${draft.id}/accept`)
  await ok('admin', 'POST', `/api/v1/applications/${draft.id}/enrol`, { cohort_id: cohort.id })
  made.forum = (await ok('participant', 'GET', '/api/v1/forums')).forums.find((f) => f.kind === 'cohort').id
}

async function openPage (options) {
  const context = await browser.newContext({ ...options, baseURL: server.url })
  context.setDefaultTimeout(STEP_TIMEOUT_MS)
  const page = await context.newPage()
  const problems = []
  // A form shown again with its errors answers 422, which the browser reports and is expected.
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !/status of 422/.test(msg.text())) problems.push(`console error: ${msg.text()} (${msg.location().url})`)
  })
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`))
  page.on('requestfailed', (req) => {
    if (req.failure()?.errorText === 'net::ERR_ABORTED') return
    problems.push(`request failed: ${req.method()} ${req.url()} ${req.failure()?.errorText}`)
  })
  page.on('response', (res) => { if (res.status() >= 400 && res.status() !== 422) problems.push(`HTTP ${res.status()}: ${res.request().method()} ${res.url()}`) })
  return { context, page, problems }
}

async function noHorizontalScroll (page) {
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth)
  assert.ok(scrollWidth <= WIDTH, `no horizontal scroll at ${WIDTH} px on ${page.url()} (scrollWidth ${scrollWidth})`)
}

async function shoot (page, name) {
  await page.evaluate(() => document.fonts.ready)
  await page.screenshot({ path: path.join(SHOTS, name), fullPage: true })
}

async function tapAndLoad (page, locator) {
  await Promise.all([page.waitForEvent('load'), locator.tap()])
}

async function signIn (page, email) {
  await page.goto('/sign-in', { waitUntil: 'load' })
  await page.getByLabel('Email address').fill(email)
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
  await tapAndLoad(page, page.locator('main').getByRole('button', { name: 'Sign in' }))
}

describe('a cohort forum on a phone', () => {
  it('a participant starts a thread, is told what to fix, and replies', async () => {
    const { context, page, problems } = await openPage(PHONE)
    try {
      await signIn(page, PARTICIPANT)
      // The menu is collapsed behind a button on a phone; the link is in it.
      assert.equal(await page.locator('header a[href="/forums"]').count(), 1, 'Forums is in the menu')
      await page.goto('/forums', { waitUntil: 'load' })
      await noHorizontalScroll(page)
      await shoot(page, 'forum-list-phone-360.png')
      await tapAndLoad(page, page.locator('[data-testid="forum"] a', { hasText: 'Cohort NPQSL-FORUM' }))
      assert.equal(new URL(page.url()).pathname, `/forums/${made.forum}`)

      const body = `Has anyone read about ${LONG_WORD}? I'd like to hear from @Carys Coach.`
      await page.getByLabel('Your post').fill(body)
      await tapAndLoad(page, page.getByRole('button', { name: 'Start the thread' }))
      assert.match(await page.locator('.govuk-error-summary').textContent(), /Enter a title for the thread/)
      assert.equal(await page.getByLabel('Your post').inputValue(), body, 'what was typed is kept')
      await noHorizontalScroll(page)
      await page.getByLabel('Title').fill('Evaluation across a trust')
      await tapAndLoad(page, page.getByRole('button', { name: 'Start the thread' }))
      assert.match(new URL(page.url()).pathname, /^\/forums\/threads\/\d+$/)
      made.thread = Number(new URL(page.url()).pathname.split('/').pop())
      assert.match(await page.locator('.govuk-notification-banner').textContent(), /Thread started/)
      await noHorizontalScroll(page)

      await page.getByLabel('Your reply').fill('And a **second** thought.')
      await tapAndLoad(page, page.getByRole('button', { name: 'Post the reply' }))
      const posts = page.locator('[data-testid="post"]')
      assert.equal(await posts.count(), 2)
      assert.equal(await posts.nth(1).locator('strong').textContent(), 'second', 'Markdown is rendered')
      for (const box of await posts.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().right)))
        assert.ok(box <= WIDTH, 'each post fits the screen')
      await noHorizontalScroll(page)
      await shoot(page, 'forum-thread-phone-360.png')
      made.reply = Number((await posts.nth(1).getAttribute('id')).replace('post-', ''))
      assert.deepEqual(problems, [], 'no console errors, failed requests or unexpected HTTP errors')
    } finally {
      await context.close()
    }
  })

  it('the facilitator pins the thread, confirms hiding a post, and works the report queue', async () => {
    await ok('participant', 'POST', `/api/v1/forum-posts/${made.reply}/reports`, { reason: 'I posted this in the wrong thread' })
    const { context, page, problems } = await openPage(PHONE)
    try {
      await signIn(page, FACILITATOR)
      await page.goto(`/forums/threads/${made.thread}`, { waitUntil: 'load' })
      await tapAndLoad(page, page.getByRole('button', { name: 'Pin the thread' }))
      assert.match(await page.locator('.govuk-notification-banner').textContent(), /Thread pinned/)
      await tapAndLoad(page, page.locator(`#post-${made.reply}`).getByRole('link', { name: /Hide/ }))
      assert.equal(new URL(page.url()).pathname, `/forums/posts/${made.reply}/hide`)
      assert.match(await page.locator('h1').textContent(), /Hide this post\?/)
      await noHorizontalScroll(page)
      await shoot(page, 'forum-hide-phone-360.png')
      await tapAndLoad(page, page.getByRole('button', { name: 'Hide the post' }))
      assert.match(await page.locator(`#post-${made.reply}`).textContent(), /Hidden/)

      await page.goto('/forums/moderation', { waitUntil: 'load' })
      const report = page.locator('[data-testid="report"]')
      assert.equal(await report.count(), 1)
      assert.match(await report.textContent(), /wrong thread/)
      await noHorizontalScroll(page)
      await shoot(page, 'forum-moderation-phone-360.png')
      await tapAndLoad(page, report.getByRole('button', { name: 'Keep the post' }))
      assert.equal(await page.locator('[data-testid="queue-empty"]').count(), 1)
      assert.deepEqual(problems, [], 'no console errors, failed requests or unexpected HTTP errors')
    } finally {
      await context.close()
    }
  })
})
