// Studying on a phone (360 x 740, touch): the demo participant, enrolled in NPQSL in a cohort of the
// demo partner, opens their course from Learning, sees what is next, opens a video item (a long
// title, captions, a transcript) whose player fits the screen, marks it done, takes the offer to
// put its time in the learning-hours log, and finds the course moved on. An item the partner has a
// local variant of shows the variant. No console errors, failed requests, unexpected HTTP errors
// or horizontal scroll on any page; every item of the course is a row at least 40 px tall.
// Screenshots go to /tmp/npq-shots/course-*.png.
//
//   NPQ_BIN=build/npq node --test --test-concurrency=1 tests/browser/course.test.js
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
const MIN_TARGET_PX = 40
const PASSWORD = 'blended-learning-at-local-venues'
const PARTICIPANT = 'participant@demo.npq.test'
const MODULE = 'school-self-evaluation'
const LONG_TITLE = 'Self-evaluation-and-improvement-planning-across-a-multi-academy-trust in practice'

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
      for (const who of ['admin', 'headteacher', 'participant']) tokens[who] = run(['token', 'create', '--email', `${who}@demo.npq.test`, '--name', 'course test']).trim()
      tokens.partner_lead = run(['token', 'create', '--email', 'partner.lead@demo.npq.test', '--name', 'course test']).trim()
      for (const line of run(['user', 'list']).split('\n').filter(Boolean)) {
        const [id, email] = line.split('\t')
        ids[email] = Number(id)
      }
    }
  })
  await prepareCourse()
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

// The participant enrolled in a cohort of the demo partner; a unit of three items in an elective
// (a reading with the partner's local variant, a long-titled video, a tool) and a second unit.
async function prepareCourse () {
  const orgs = (await ok('admin', 'GET', '/api/v1/organisations')).organisations
  const school = orgs.find((o) => o.kind === 'school' && o.urn === '100001').id
  const partner = orgs.find((o) => o.kind === 'delivery_partner').id
  const year = new Date().getUTCFullYear()
  const cohort = await ok('admin', 'POST', '/api/v1/cohorts', {
    code: 'NPQSL-COURSE', target: 'NPQSL', delivery_model: 'blended', delivery_partner_id: partner,
    starts_on: `${year}-01-04`, ends_on: `${year + 1}-07-31`
  })
  const draft = await ok('admin', 'POST', '/api/v1/applications', {
    participant_id: ids[PARTICIPANT], kind: 'qualification', target: 'NPQSL',
    electives: ['improving-the-quality-of-teaching', MODULE], school_id: school,
    sponsor_id: ids['headteacher@demo.npq.test'], job_role: 'Assistant head', delivery_model: 'blended', funding_route: 'school'
  })
  await ok('admin', 'POST', `/api/v1/applications/${draft.id}/submit`)
  await ok('headteacher', 'POST', `/api/v1/applications/${draft.id}/approve`)
  await ok('admin', 'POST', `/api/v1/applications/${draft.id}/accept`)
  made.enrolment = (await ok('admin', 'POST', `/api/v1/applications/${draft.id}/enrol`, { cohort_id: cohort.id })).enrolment_id
  const item = (body) => ok('admin', 'POST', '/api/v1/content', { tags: [`module:${MODULE}`, 'statement:npqsl/3/learn-how-to/1'], ...body })
  made.reading = (await item({ kind: 'reading', title: 'Why evaluate', minutes: 20, body: '## Before you start\n\nRead the [framework](https://example.org/framework).' })).id
  made.video = (await item({
    kind: 'video', title: LONG_TITLE, minutes: 50,
    media_url: 'https://media.example.org/a-very-long-path/that-keeps-going/self-evaluation-in-a-trust-2026-final-version.mp4',
    captions_url: 'https://media.example.org/self-evaluation.vtt',
    transcript: 'Welcome. In this talk a trust leader explains how schools evaluate themselves honestly, every term.'
  })).id
  made.tool = (await item({ kind: 'tool_or_template', title: 'An evaluation template', minutes: 10, body: '| Area | Evidence |\n| --- | --- |\n| Teaching | Lesson visits |' })).id
  await ok('partner_lead', 'PUT', `/api/v1/content/${made.reading}/variants/${partner}`, { title: 'Why evaluate, in the North West', body: 'Your local contact is **Nia** at the hub.' })
  await ok('admin', 'POST', '/api/v1/content-units', { module: MODULE, title: 'Knowing where you are', items: [made.reading, made.video] })
  await ok('admin', 'POST', '/api/v1/content-units', { module: MODULE, title: 'Tools', items: [made.tool] })
}

async function openPage (options) {
  const context = await browser.newContext({ ...options, baseURL: server.url })
  context.setDefaultTimeout(STEP_TIMEOUT_MS)
  const page = await context.newPage()
  const problems = []
  // The media are at addresses that do not exist: the player's own requests failing is expected.
  const media = (u) => u.startsWith('https://media.example.org/')
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !media(msg.location().url || '')) problems.push(`console error: ${msg.text()} (${msg.location().url})`)
  })
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`))
  page.on('requestfailed', (req) => {
    if (req.failure()?.errorText === 'net::ERR_ABORTED' || media(req.url())) return
    problems.push(`request failed: ${req.method()} ${req.url()} ${req.failure()?.errorText}`)
  })
  page.on('response', (res) => {
    if (res.status() >= 400 && !media(res.url())) problems.push(`HTTP ${res.status()}: ${res.request().method()} ${res.url()}`)
  })
  await context.route('https://media.example.org/**', (route) => route.abort())
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

describe('studying on a phone', () => {
  it('opens the course, plays an item in the page, marks it done and logs its time', async () => {
    const { context, page, problems } = await openPage(PHONE)
    try {
      await page.goto('/sign-in', { waitUntil: 'load' })
      await page.getByLabel('Email address').fill(PARTICIPANT)
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
      await tapAndLoad(page, page.locator('main').getByRole('button', { name: 'Sign in' }))

      await page.goto('/content', { waitUntil: 'load' })
      await noHorizontalScroll(page)
      await shoot(page, 'course-library-phone-360.png')
      await tapAndLoad(page, page.locator('[data-testid="course-link"]').first())
      assert.equal(new URL(page.url()).pathname, `/enrolments/${made.enrolment}/course`)
      assert.match(await page.locator('[data-testid="next"]').textContent(), /Why evaluate, in the North West/, 'the variant\'s title, next')
      await noHorizontalScroll(page)
      const rows = await page.locator('[data-testid="course-item"]').evaluateAll((items) => items.map((i) => {
        const b = i.getBoundingClientRect()
        return { height: b.height, right: b.right }
      }))
      assert.equal(rows.length, 3)
      for (const r of rows) {
        assert.ok(r.height >= MIN_TARGET_PX, `an item is a row at least ${MIN_TARGET_PX} px tall: ${JSON.stringify(r)}`)
        assert.ok(r.right <= WIDTH, `inside the screen: ${JSON.stringify(r)}`)
      }
      await shoot(page, 'course-phone-360.png')

      await tapAndLoad(page, page.locator('[data-testid="course-item"] a', { hasText: LONG_TITLE }))
      const video = page.locator('video[data-testid="media"]')
      assert.equal(await video.count(), 1, 'the video plays in the page')
      assert.equal(await page.locator('video track[kind="captions"]').count(), 1, 'with captions')
      const box = await video.boundingBox()
      assert.ok(box.x >= 0 && box.x + box.width <= WIDTH, `the player fits the screen: ${JSON.stringify(box)}`)
      await page.locator('summary', { hasText: 'Transcript' }).tap()
      assert.match(await page.locator('.npq-transcript').textContent(), /trust leader/)
      await noHorizontalScroll(page)
      await shoot(page, 'course-item-phone-360.png')

      await tapAndLoad(page, page.getByRole('button', { name: 'Mark as done' }))
      assert.match(await page.locator('.govuk-notification-banner').textContent(), /Marked as done/)
      const offer = page.locator('[data-testid="hours-offer"]')
      assert.match(await offer.textContent(), /Add 1 hour to your learning-hours log/)
      await noHorizontalScroll(page)
      await shoot(page, 'course-done-phone-360.png')
      await tapAndLoad(page, offer.getByRole('button', { name: 'Add to my hours log' }))
      assert.equal(new URL(page.url()).pathname, `/enrolments/${made.enrolment}/hours`)
      assert.match(await page.locator('main').textContent(), /Hours logged/)

      await page.goto(`/enrolments/${made.enrolment}/course`, { waitUntil: 'load' })
      assert.match(await page.locator('[data-testid="progress"]').textContent(), /1 of 3 items done/)
      await page.goto(`/enrolments/${made.enrolment}/course/${made.reading}`, { waitUntil: 'load' })
      assert.match(await page.locator('[data-testid="local-variant"]').textContent(), /local version/)
      assert.match(await page.locator('main').textContent(), /Nia/)
      await noHorizontalScroll(page)
      assert.deepEqual(problems, [], 'no console errors, failed requests or unexpected HTTP errors')
    } finally {
      await context.close()
    }
  })
})
