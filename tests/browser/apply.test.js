// Applying for a qualification in a real browser on a phone (360 x 740, touch): a participant of
// the demo signs in, chooses the NPQSL, answers the questions (meeting one refusal on the way),
// checks the answers and submits, and sees the application waiting for the sponsor. GOV.UK
// Frontend runs under the CSP (the scholarship box is revealed only when chosen); no console
// errors, failed requests, unexpected HTTP errors or horizontal scroll. Screenshots go to
// /tmp/npq-shots/apply-*.png.
//
//   NPQ_BIN=build/npq node --test --test-concurrency=1 tests/browser/apply.test.js
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

const PARTICIPANT = { email: 'participant@demo.npq.test', name: 'Pat Participant', password: 'blended-learning-at-local-venues' }
const ELECTIVES = ['Improving the quality of teaching', 'Leading professional development']

let server
let browser

before(async () => {
  fs.mkdirSync(SHOTS, { recursive: true })
  server = await startServer({
    // The demo's people: a participant at a school whose headteacher can sponsor them.
    prepare: (db, bin) => { execFileSync(bin, ['demo', '--db', db], { stdio: ['ignore', 'pipe', 'pipe'] }) }
  })
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 20000 })
})

after(async () => {
  if (browser) await browser.close().catch(() => {})
  if (server) {
    const exit = await server.stop()
    if (exit.code !== 0) console.warn(`npq did not exit cleanly on SIGTERM: ${JSON.stringify(exit)} ${server.output.stderr.trim()}`)
  }
})

// A page that records what went wrong while it was open. allow(status, method, path) declares one
// response >= 400 the scenario causes on purpose (a refused form); anything else is a problem.
async function openPage (options) {
  const context = await browser.newContext({ ...options, baseURL: server.url })
  context.setDefaultTimeout(STEP_TIMEOUT_MS)
  const page = await context.newPage()
  const problems = []
  const allowed = []
  const navs = []
  const allow = (status, method, pathname) => allowed.push({ status, method, pathname, seen: false, logged: false })
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return
    // Chromium logs every response >= 400 too; an allowed one is no problem.
    const failed = msg.text().match(/^Failed to load resource: the server responded with a status of (\d+)/)
    const entry = failed && allowed.find((a) => !a.logged && a.status === Number(failed[1]) &&
      a.pathname === new URL(msg.location().url, server.url).pathname)
    if (entry) entry.logged = true
    else problems.push(`console error: ${msg.text()} (${msg.location().url})`)
  })
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`))
  page.on('requestfailed', (req) => {
    // A request the page itself abandoned by moving on (a favicon still loading when a form is
    // sent) is not a failure of the server; refusals, resets and 4xx/5xx still count.
    if (req.failure()?.errorText === 'net::ERR_ABORTED') return
    problems.push(`request failed: ${req.method()} ${req.url()} ${req.failure()?.errorText}`)
  })
  page.on('response', (res) => {
    const req = res.request()
    const u = new URL(res.url())
    if (req.isNavigationRequest() && req.frame() === page.mainFrame()) navs.push(`${req.method()} ${res.status()} ${u.pathname}`)
    if (res.status() < 400) return
    const entry = allowed.find((a) => !a.seen && a.status === res.status() && a.method === req.method() && a.pathname === u.pathname)
    if (entry) entry.seen = true
    else problems.push(`HTTP ${res.status()}: ${req.method()} ${res.url()}`)
  })
  return { context, page, problems, allowed, allow, navs }
}

// Presses a button or link with a tap and waits for the page it leads to; returns the document
// responses on the way, e.g. ['POST 303 /apply', 'GET 200 /applications/1/edit'].
async function tapAndLoad (tools, locator) {
  const start = tools.navs.length
  await Promise.all([tools.page.waitForEvent('load'), locator.tap()])
  return tools.navs.slice(start)
}

async function text (locator) {
  return (await locator.textContent()).replace(/\s+/g, ' ').trim()
}

async function shoot (page, name) {
  await page.evaluate(() => document.fonts.ready)
  await page.screenshot({ path: path.join(SHOTS, name), fullPage: true })
}

async function noHorizontalScroll (page) {
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth)
  assert.ok(scrollWidth <= WIDTH, `no horizontal scroll at ${WIDTH} px on ${page.url()} (scrollWidth ${scrollWidth})`)
}

async function frontendStarted (page) {
  await page.waitForFunction(() => document.body.classList.contains('js-enabled') &&
    document.body.classList.contains('govuk-frontend-supported'), null, { timeout: 5000 })
}

// The summary list rows of the main content as [key, value].
async function summaryRows (page) {
  return page.locator('main .govuk-summary-list__row').evaluateAll((rows) => rows.map((r) => [
    r.querySelector('.govuk-summary-list__key').textContent.replace(/\s+/g, ' ').trim(),
    r.querySelector('.govuk-summary-list__value').innerText.replace(/\s+/g, ' ').trim()
  ]))
}

describe('applying for the NPQSL on a phone', () => {
  it('signs in, chooses, answers, checks and submits; the application waits for the sponsor', async () => {
    const tools = await openPage(PHONE)
    const { page, allow } = tools
    try {
      // Signed out, the applications page sends the visitor to sign in and back.
      await page.goto('/applications', { waitUntil: 'load' })
      assert.equal(new URL(page.url()).pathname, '/sign-in')
      await page.getByLabel('Email address').fill(PARTICIPANT.email)
      await page.getByLabel('Password', { exact: true }).fill(PARTICIPANT.password)
      assert.deepEqual(await tapAndLoad(tools, page.locator('main').getByRole('button', { name: 'Sign in' })),
        ['POST 303 /sign-in', 'GET 200 /applications'])
      await frontendStarted(page)
      assert.equal(await text(page.locator('h1')), 'Applications')
      assert.equal(await text(page.locator('main p.govuk-body').last()), 'There are no applications to show yet.')
      await noHorizontalScroll(page)

      // The start page: a question page whose legend is the h1.
      assert.deepEqual(await tapAndLoad(tools, page.getByRole('button', { name: 'Start an application' })), ['GET 200 /apply'])
      assert.equal(await text(page.locator('legend h1')), 'What do you want to apply for?')
      const npqsl = page.getByLabel('National Professional Qualification for Senior Leadership (NPQSL)')
      assert.equal(await text(page.locator(`#${await npqsl.getAttribute('aria-describedby')}`)),
        '2 essential and 2 elective modules. Fees to be confirmed.')
      // The module list is revealed only when "a single module" is chosen.
      const moduleSelect = page.getByLabel('Which module?')
      assert.equal(await moduleSelect.isVisible(), false, 'the module list is hidden at first')
      await page.getByLabel('A single module studied alone').tap()
      await moduleSelect.waitFor({ state: 'visible' })
      await noHorizontalScroll(page)
      await shoot(page, 'apply-start-phone-360.png')
      await npqsl.tap()
      await moduleSelect.waitFor({ state: 'hidden' })
      const started = await tapAndLoad(tools, page.getByRole('button', { name: 'Continue' }))
      assert.equal(started.length, 2)
      assert.equal(started[0], 'POST 303 /apply')
      const m = /^GET 200 \/applications\/(\d+)\/edit$/.exec(started[1])
      assert.ok(m, `the questions follow: ${started}`)
      const id = m[1]

      // The questions.
      await frontendStarted(page)
      assert.equal(await text(page.locator('h1')), 'Your application')
      assert.equal(await text(page.locator('#electives-hint')), 'Choose 2')
      assert.deepEqual(await page.locator('[data-testid=essential] li').allTextContents(),
        ['Closing the gap', 'Succeeding in senior leadership'])
      assert.equal(await page.getByLabel('School', { exact: true }).evaluate((s) => s.selectedOptions[0].textContent),
        'Riverside Primary School', 'the participant\'s school is chosen already')
      await noHorizontalScroll(page)

      // Three electives are one too many: 422, the error summary and the message at the question.
      for (const title of [...ELECTIVES, 'School self-evaluation']) await page.getByLabel(title).tap()
      await page.getByLabel('Job role').fill('Assistant headteacher')
      await page.getByLabel('Sponsor').selectOption({ label: 'Hana Headteacher' })
      allow(422, 'POST', `/applications/${id}/edit`)
      assert.deepEqual(await tapAndLoad(tools, page.getByRole('button', { name: 'Save and continue' })),
        [`POST 422 /applications/${id}/edit`])
      assert.equal(await page.title(), 'Error: Your application – NPQ')
      const summary = page.locator('.govuk-error-summary')
      assert.equal(await text(summary.locator('h2')), 'There is a problem')
      assert.equal(await summary.locator('a').getAttribute('href'), '#electives')
      assert.match(await text(summary.locator('a')), /^Choose 2 elective modules for the NPQSL\. You chose 3\.?$/)
      assert.match(await text(page.locator('#electives-error')), /^Error: Choose 2 elective modules/)
      await page.waitForFunction(() => document.activeElement?.classList.contains('govuk-error-summary'), null, { timeout: 5000 })
      assert.equal(await page.getByLabel('Job role').inputValue(), 'Assistant headteacher', 'answers are kept')
      await noHorizontalScroll(page)
      await shoot(page, 'apply-electives-error-phone-360.png')
      await summary.locator('a').tap()
      await page.waitForFunction(() => document.activeElement?.id === 'electives', null, { timeout: 5000 })

      // Two electives, and the rest of the answers.
      await page.getByLabel('School self-evaluation').tap()
      for (const title of ELECTIVES) assert.equal(await page.getByLabel(title).isChecked(), true)
      assert.equal(await page.getByLabel('Blended').isChecked(), true)
      assert.equal(await text(page.locator('#delivery_model-item-hint')), '4 face-to-face events, webinars, online study and coaching')
      await page.getByLabel('Preferred region').selectOption('North West')
      await page.getByLabel('Delivery partner').selectOption({ label: 'North West Teaching School Hub' })
      // The scholarship box appears only under Scholarship, with JavaScript.
      const why = page.getByLabel('Why you are eligible')
      assert.equal(await why.isVisible(), false)
      await page.getByLabel('Scholarship').tap()
      await why.waitFor({ state: 'visible' })
      await page.getByLabel('School-funded').tap()
      await why.waitFor({ state: 'hidden' })
      await shoot(page, 'apply-questions-phone-360.png')
      assert.deepEqual(await tapAndLoad(tools, page.getByRole('button', { name: 'Save and continue' })),
        [`POST 303 /applications/${id}/edit`, `GET 200 /applications/${id}/check`])

      // Check your answers.
      assert.equal(await text(page.locator('h1')), 'Check your answers')
      const rows = await summaryRows(page)
      assert.deepEqual(rows, [
        ['Qualification', 'National Professional Qualification for Senior Leadership (NPQSL)'],
        ['Elective modules', ELECTIVES.join(' ')],
        ['Essential modules', 'Closing the gap Succeeding in senior leadership'],
        ['School', 'Riverside Primary School'],
        ['Job role', 'Assistant headteacher'],
        ['Sponsor', 'Hana Headteacher'],
        ['Delivery model', 'Blended'],
        ['Preferred region', 'North West'],
        ['Delivery partner', 'North West Teaching School Hub'],
        ['Funding', 'School-funded']
      ])
      assert.equal(await page.locator('main .govuk-summary-list__actions a').first().getAttribute('href'),
        `/applications/${id}/edit#electives`)
      await noHorizontalScroll(page)
      await shoot(page, 'apply-check-phone-360.png')
      assert.deepEqual(await tapAndLoad(tools, page.getByRole('button', { name: 'Submit application' })),
        [`POST 303 /applications/${id}/submit`, `GET 200 /applications/${id}`])

      // Submitted: waiting for the sponsor.
      assert.equal(await text(page.locator('[data-testid=state]')), 'Waiting for the sponsor')
      assert.equal(await text(page.locator('.govuk-notification-banner__heading')),
        'The application is submitted. We have emailed the sponsor to ask them to approve it.')
      assert.match(await text(page.locator('main')), /We have emailed Hana Headteacher, the sponsor, to ask them to approve it\./)
      assert.equal(await page.locator('main form').count(), 0, 'nothing more for the participant to do')
      await noHorizontalScroll(page)
      await shoot(page, 'apply-submitted-phone-360.png')

      // The list, with the application in it, and the pathway it links to.
      assert.deepEqual(await tapAndLoad(tools, page.locator('.govuk-breadcrumbs').getByRole('link', { name: 'Applications' })),
        ['GET 200 /applications'])
      const cells = await page.locator('main tbody tr').first().locator('td').allTextContents()
      assert.deepEqual(cells.map((c) => c.replace(/\s+/g, ' ').trim()).slice(0, 3),
        [PARTICIPANT.name, `NPQSL application from ${PARTICIPANT.name}`, 'Waiting for the sponsor'])
      await noHorizontalScroll(page)
      await shoot(page, 'apply-list-phone-360.png')
      assert.match((await tapAndLoad(tools, page.getByRole('link', { name: 'Your pathway' })))[0], /^GET 200 \/participants\/\d+\/pathway$/)
      assert.equal(await text(page.locator('h1')), 'Your pathway')
      await noHorizontalScroll(page)
      await shoot(page, 'apply-pathway-phone-360.png')

      await page.waitForLoadState('networkidle', { timeout: 5000 }).catch(() => {})
      assert.deepEqual(tools.problems, [], 'no console errors, page errors, failed requests or unexpected HTTP errors')
      assert.deepEqual(tools.allowed.filter((a) => !a.seen).map((a) => `${a.status} ${a.method} ${a.pathname}`), [],
        'every expected refusal happened')
    } finally {
      await tools.context.close().catch(() => {})
    }
  })
})
