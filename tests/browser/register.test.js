// Taking a register on a phone (360 x 740, touch): the demo facilitator, who works with the cohort
// and runs the event, signs in and opens the register of an event starting within 30 minutes with
// three participants booked. They mark present, late and absent with large radios and save; then
// correct one mark without a reason (refused, with the GOV.UK error summary) and with one (saved).
// The API's register shows the marks. No console errors, failed requests, unexpected HTTP errors
// or horizontal scroll; every radio is a target at least 40 px tall. Screenshots go to
// /tmp/npq-shots/register-*.png.
//
//   NPQ_BIN=build/npq node --test --test-concurrency=1 tests/browser/register.test.js
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
const FACILITATOR = { email: 'facilitator@demo.npq.test', name: 'Femi Facilitator' }
// Three participants made for the register, named so that the register (by name) lists them in this order.
const PEOPLE = [
  { key: 'ann', email: 'ann.register@npq.test', name: 'Ann Ashworth' },
  { key: 'ben', email: 'ben.register@npq.test', name: 'Ben Bradshaw' },
  { key: 'cat', email: 'cat.register@npq.test', name: 'Cat Cartwright' }
]
const YEAR = new Date().getUTCFullYear()

let server
let browser
const tokens = {} // admin, headteacher
const ids = {} // by email
let eventId

before(async () => {
  fs.mkdirSync(SHOTS, { recursive: true })
  server = await startServer({
    prepare: (db, bin) => {
      const run = (args, input) => execFileSync(bin, [...args, '--db', db], { input, stdio: ['pipe', 'pipe', 'pipe'] }).toString()
      run(['demo'])
      for (const p of PEOPLE) run(['user', 'add', '--email', p.email, '--name', p.name, '--role', 'participant', '--password-stdin'], `${PASSWORD}\n`)
      tokens.admin = run(['token', 'create', '--email', 'admin@demo.npq.test', '--name', 'register test']).trim()
      tokens.headteacher = run(['token', 'create', '--email', 'headteacher@demo.npq.test', '--name', 'register test']).trim()
      for (const line of run(['user', 'list']).split('\n').filter(Boolean)) {
        const [id, email] = line.split('\t')
        ids[email] = Number(id)
      }
    }
  })
  await prepareEvent()
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 20000 })
})

after(async () => {
  if (browser) await browser.close().catch(() => {})
  if (server) {
    const exit = await server.stop()
    if (exit.code !== 0) console.warn(`npq did not exit cleanly on SIGTERM: ${JSON.stringify(exit)} ${server.output.stderr.trim()}`)
  }
})

// ---------------------------------------------------------------- setup through the API

async function api (who, method, pathname, body) {
  const res = await fetch(server.url + pathname, {
    method,
    headers: { authorization: `Bearer ${tokens[who]}`, connection: 'close', ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined
  })
  const text = await res.text()
  return { status: res.status, json: () => JSON.parse(text), text }
}

async function ok (who, method, pathname, body, status = [200, 201]) {
  const r = await api(who, method, pathname, body)
  assert.ok([].concat(status).includes(r.status), `${who}: ${method} ${pathname} → ${r.status} ${r.text.slice(0, 500)}`)
  return r.status === 204 ? null : r.json()
}

const iso = (ms) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')

// A cohort of the demo partner with the facilitator on its staff, the three participants enrolled
// (applied, approved by the demo headteacher, accepted, enrolled), a venue, and an event starting
// in ten minutes that the facilitator runs, with the three booked.
async function prepareEvent () {
  const orgs = (await ok('admin', 'GET', '/api/v1/organisations')).organisations
  const school = orgs.find((o) => o.kind === 'school' && o.urn === '100001').id
  const partner = orgs.find((o) => o.kind === 'delivery_partner').id
  const cohort = await ok('admin', 'POST', '/api/v1/cohorts', {
    code: 'NPQSL-REGISTER', target: 'NPQSL', delivery_model: 'blended', delivery_partner_id: partner,
    starts_on: `${YEAR}-01-04`, ends_on: `${YEAR + 1}-07-31`
  })
  await ok('admin', 'POST', `/api/v1/cohorts/${cohort.id}/staff`, { user_id: ids[FACILITATOR.email], role: 'facilitator' })
  const venue = await ok('admin', 'POST', '/api/v1/venues', {
    delivery_partner_id: partner, name: 'Hub Conference Centre', address: '1 Oxford Road, Manchester', postcode: 'M1 1AE', capacity: 30
  })
  for (const p of PEOPLE) {
    const draft = await ok('admin', 'POST', '/api/v1/applications', {
      participant_id: ids[p.email], kind: 'qualification', target: 'NPQSL',
      electives: ['improving-the-quality-of-teaching', 'school-self-evaluation'], school_id: school,
      sponsor_id: ids['headteacher@demo.npq.test'], job_role: 'Assistant head', delivery_model: 'blended', funding_route: 'school'
    })
    await ok('admin', 'POST', `/api/v1/applications/${draft.id}/submit`)
    await ok('headteacher', 'POST', `/api/v1/applications/${draft.id}/approve`)
    await ok('admin', 'POST', `/api/v1/applications/${draft.id}/accept`)
    await ok('admin', 'POST', `/api/v1/applications/${draft.id}/enrol`, { cohort_id: cohort.id })
  }
  const now = Date.now()
  const event = await ok('admin', 'POST', '/api/v1/events', {
    cohort_id: cohort.id, kind: 'face_to_face', title: 'Leading culture: day 1', venue_id: venue.id, capacity: 20,
    starts_at: iso(now + 10 * 60 * 1000), ends_at: iso(now + 3 * 3600 * 1000), facilitator_id: ids[FACILITATOR.email]
  })
  eventId = event.id
  for (const p of PEOPLE) await ok('admin', 'POST', `/api/v1/events/${eventId}/bookings`, { user_id: ids[p.email] })
}

// ---------------------------------------------------------------- the browser

// A page that records what went wrong while it was open. allow(status, method, path) declares one
// response >= 400 the scenario causes on purpose; anything else is a problem.
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
    if (req.isNavigationRequest() && req.frame() === page.mainFrame()) navs.push(`${req.method()} ${res.status()} ${u.pathname}${u.search}`)
    if (res.status() < 400) return
    const entry = allowed.find((a) => !a.seen && a.status === res.status() && a.method === req.method() && a.pathname === u.pathname)
    if (entry) entry.seen = true
    else problems.push(`HTTP ${res.status()}: ${req.method()} ${res.url()}`)
  })
  return { context, page, problems, allowed, allow, navs }
}

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

// The radio of a person's mark: the input the label is for ('present' is the first, then -2...).
const MARKS = ['present', 'late', 'absent', 'excused']
function radio (page, person, mark) {
  const i = MARKS.indexOf(mark)
  return page.locator(`#mark-${ids[person.email]}${i === 0 ? '' : `-${i + 1}`}`)
}

// The checked mark of each person, in PEOPLE's order.
async function checkedMarks (page) {
  const out = []
  for (const p of PEOPLE) out.push(await page.locator(`input[name="mark-${ids[p.email]}"]:checked`).evaluateAll((l) => l.map((e) => e.value)[0] ?? null))
  return out
}

describe('taking a register on a phone', () => {
  it('marks three people, saves, corrects one with a reason, and the API shows the marks', async () => {
    const tools = await openPage(PHONE)
    const { page, allow } = tools
    const registerPath = `/events/${eventId}/register`
    const cat = PEOPLE[2]
    try {
      // Signed out, the register sends the facilitator to sign in and back.
      await page.goto(registerPath, { waitUntil: 'load' })
      assert.equal(new URL(page.url()).pathname, '/sign-in')
      await page.getByLabel('Email address').fill(FACILITATOR.email)
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
      assert.deepEqual(await tapAndLoad(tools, page.locator('main').getByRole('button', { name: 'Sign in' })),
        ['POST 303 /sign-in', `GET 200 ${registerPath}`])
      await frontendStarted(page)
      assert.equal(await page.title(), 'Register: Leading culture: day 1 – NPQ')
      assert.equal(await text(page.locator('h1')), 'Leading culture: day 1')
      assert.equal(await page.locator('.govuk-inset-text').count(), 0, 'the register is open: no "opens at" note')
      assert.deepEqual(await page.locator('main fieldset legend').allTextContents(), PEOPLE.map((p) => p.name),
        'one question a person, by name')
      assert.deepEqual(await checkedMarks(page), [null, null, null], 'nobody is marked yet')
      assert.equal(await page.getByLabel('Reason for a correction').count(), 0, 'no corrections before any mark')
      await noHorizontalScroll(page)

      // Every radio is a large target: the input (which GOV.UK Frontend lays over the drawn circle)
      // and the item it makes with its label.
      const boxes = await page.locator('main .govuk-radios__item').evaluateAll((items) => items.map((item) => {
        const box = item.getBoundingClientRect()
        const input = item.querySelector('input').getBoundingClientRect()
        return { item: [box.width, box.height], input: [input.width, input.height], right: box.right }
      }))
      assert.equal(boxes.length, 12, 'four radios for each of three people')
      for (const b of boxes) {
        assert.ok(b.input[0] >= MIN_TARGET_PX && b.input[1] >= MIN_TARGET_PX, `a radio is at least ${MIN_TARGET_PX} px square: ${JSON.stringify(b)}`)
        assert.ok(b.item[1] >= MIN_TARGET_PX, `a radio with its label is at least ${MIN_TARGET_PX} px tall: ${JSON.stringify(b)}`)
        assert.ok(b.right <= WIDTH, `inside the screen: ${JSON.stringify(b)}`)
      }
      await shoot(page, 'register-open-phone-360.png')

      // Present, late, absent; saved in one go.
      await radio(page, PEOPLE[0], 'present').tap()
      await radio(page, PEOPLE[1], 'late').tap()
      await page.locator(`label[for="${await radio(page, PEOPLE[2], 'absent').getAttribute('id')}"]`).tap() // the label works too
      assert.deepEqual(await checkedMarks(page), ['present', 'late', 'absent'])
      assert.deepEqual(await tapAndLoad(tools, page.getByRole('button', { name: 'Save register' })),
        [`POST 303 ${registerPath}`, `GET 200 ${registerPath}?notice=saved`])
      assert.equal(await text(page.locator('.govuk-notification-banner__heading')), 'Register saved')
      assert.deepEqual(await checkedMarks(page), ['present', 'late', 'absent'], 'the saved marks are chosen')
      assert.match(await text(page.locator(`#mark-${ids[PEOPLE[2].email]}-hint`)), /^Saved: Absent, by Femi Facilitator on /)
      assert.equal(await page.getByLabel('Reason for a correction').count(), 3, 'now each mark can be corrected')
      await noHorizontalScroll(page)
      await shoot(page, 'register-saved-phone-360.png')

      // Cat turns up with a good reason: excused. Without saying why, the register is refused.
      const reasonBox = page.locator(`#reason-${ids[cat.email]}`)
      await radio(page, cat, 'excused').tap()
      allow(422, 'POST', registerPath)
      assert.deepEqual(await tapAndLoad(tools, page.getByRole('button', { name: 'Save register' })), [`POST 422 ${registerPath}`])
      assert.equal(await page.title(), 'Error: Register: Leading culture: day 1 – NPQ')
      const summary = page.locator('.govuk-error-summary')
      assert.equal(await text(summary.locator('h2')), 'There is a problem')
      assert.deepEqual(await summary.locator('a').allTextContents(),
        [`${cat.name}: Give a reason for changing the attendance mark, so the record shows why`])
      assert.equal(await summary.locator('a').getAttribute('href'), `#reason-${ids[cat.email]}`)
      assert.equal(await text(page.locator(`#reason-${ids[cat.email]}-error`)),
        'Error: Give a reason for changing the attendance mark, so the record shows why')
      assert.deepEqual(await checkedMarks(page), ['present', 'late', 'excused'], 'the choices are kept')
      await page.waitForFunction(() => document.activeElement?.classList.contains('govuk-error-summary'), null, { timeout: 5000 })
      await noHorizontalScroll(page)
      await shoot(page, 'register-correction-error-phone-360.png')
      await summary.locator('a').tap()
      await page.waitForFunction((id) => document.activeElement?.id === id, `reason-${ids[cat.email]}`, { timeout: 5000 })

      // With a reason it is saved.
      await reasonBox.fill('Arrived after the register; absence agreed with the provider')
      assert.deepEqual(await tapAndLoad(tools, page.getByRole('button', { name: 'Save register' })),
        [`POST 303 ${registerPath}`, `GET 200 ${registerPath}?notice=saved`])
      assert.equal(await text(page.locator('.govuk-notification-banner__heading')), 'Register saved')
      assert.deepEqual(await checkedMarks(page), ['present', 'late', 'excused'])
      assert.match(await text(page.locator(`#mark-${ids[cat.email]}-hint`)),
        /^Saved: Excused, by Femi Facilitator on .*\. Reason: Arrived after the register; absence agreed with the provider$/)
      await noHorizontalScroll(page)
      await shoot(page, 'register-corrected-phone-360.png')

      await page.waitForLoadState('networkidle', { timeout: 5000 }).catch(() => {})
      assert.deepEqual(tools.problems, [], 'no console errors, page errors, failed requests or unexpected HTTP errors')
      assert.deepEqual(tools.allowed.filter((a) => !a.seen).map((a) => `${a.status} ${a.method} ${a.pathname}`), [],
        'every expected refusal happened')
    } finally {
      await tools.context.close().catch(() => {})
    }

    // The API's register agrees.
    const register = await ok('admin', 'GET', `/api/v1/events/${eventId}/attendance`)
    const byName = Object.fromEntries(register.register.map((l) => [l.user.name, l]))
    assert.deepEqual(PEOPLE.map((p) => byName[p.name].mark), ['present', 'late', 'excused'])
    assert.equal(byName[cat.name].reason, 'Arrived after the register; absence agreed with the provider')
    assert.equal(byName[PEOPLE[0].name].recorded_by.name, FACILITATOR.name)
  })
})
