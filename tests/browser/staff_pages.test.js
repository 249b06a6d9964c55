// The staff's pages on a phone and a laptop: the demo administrator signs in and opens each page
// that runs the programme (adding and changing a cohort, venues, an event's change and the question
// before cancelling it, fees, reports, a completion, the award decision, tasks, the release queue,
// booking coaching, a participant's page), at 360 px and at 1,280 px. None may scroll sideways;
// a form sent wrong on the phone comes back with its error summary and still fits.
//
//   NPQ_BIN=build/npq node --test --test-concurrency=1 tests/browser/staff_pages.test.js
'use strict'

const { describe, it, before, after } = require('node:test')
const assert = require('node:assert/strict')
const { execFileSync } = require('node:child_process')
const { chromium } = require('playwright-core')
const { startServer } = require('./server')

const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium'
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-quic', '--disable-sync']
const PASSWORD = 'blended-learning-at-local-venues'
const YEAR = new Date().getUTCFullYear() + 1

let server
let browser
const tokens = {}
const ids = {}
const made = {}

async function ok (who, method, pathname, body) {
  const res = await fetch(server.url + pathname, {
    method,
    headers: { authorization: `Bearer ${tokens[who]}`, connection: 'close', ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined
  })
  const text = await res.text()
  assert.ok(res.status < 300, `${who}: ${method} ${pathname} → ${res.status} ${text.slice(0, 500)}`)
  return text ? JSON.parse(text) : null
}

before(async () => {
  server = await startServer({
    prepare: (db, bin) => {
      const run = (args) => execFileSync(bin, [...args, '--db', db], { stdio: ['pipe', 'pipe', 'pipe'] }).toString()
      run(['demo'])
      tokens.admin = run(['token', 'create', '--email', 'admin@demo.npq.test', '--name', 'staff pages']).trim()
      tokens.headteacher = run(['token', 'create', '--email', 'headteacher@demo.npq.test', '--name', 'staff pages']).trim()
      for (const line of run(['user', 'list']).split('\n').filter(Boolean)) {
        const [id, email] = line.split('\t')
        ids[email] = Number(id)
      }
    }
  })
  const orgs = (await ok('admin', 'GET', '/api/v1/organisations')).organisations
  const school = orgs.find((o) => o.kind === 'school' && o.urn === '100001').id
  const partner = orgs.find((o) => o.kind === 'delivery_partner').id
  made.cohort = (await ok('admin', 'POST', '/api/v1/cohorts', {
    code: 'NPQSL-A-LONG-COHORT-CODE-FOR-NARROW-SCREENS-2027', target: 'NPQSL', delivery_model: 'blended', delivery_partner_id: partner,
    starts_on: `${YEAR}-01-04`, ends_on: `${YEAR + 1}-07-31`
  })).id
  made.venue = (await ok('admin', 'POST', '/api/v1/venues', {
    delivery_partner_id: partner, name: 'The Hub Conference Centre and Training Rooms', address: '1 Oxford Road, Manchester', postcode: 'M1 1AE', capacity: 30
  })).id
  const participant = ids['participant@demo.npq.test']
  const draft = await ok('admin', 'POST', '/api/v1/applications', {
    participant_id: participant, kind: 'qualification', target: 'NPQSL',
    electives: ['improving-the-quality-of-teaching', 'school-self-evaluation'], school_id: school,
    sponsor_id: ids['headteacher@demo.npq.test'], job_role: 'Assistant head', delivery_model: 'blended', funding_route: 'school'
  })
  await ok('admin', 'POST', `/api/v1/applications/${draft.id}/submit`)
  await ok('headteacher', 'POST', `/api/v1/applications/${draft.id}/approve`)
  await ok('admin', 'POST', `/api/v1/applications/${draft.id}/accept`)
  made.enrolment = (await ok('admin', 'POST', `/api/v1/applications/${draft.id}/enrol`, { cohort_id: made.cohort })).enrolment_id
  made.event = (await ok('admin', 'POST', '/api/v1/events', {
    cohort_id: made.cohort, kind: 'face_to_face', title: 'Leading culture and the curriculum: day one', venue_id: made.venue, capacity: 20,
    starts_at: `${YEAR}-03-10T09:00:00Z`, ends_at: `${YEAR}-03-10T16:00:00Z`
  })).id
  made.task = (await ok('admin', 'POST', '/api/v1/assessment-tasks', {
    kind: 'module', target: 'closing-the-gap', title: 'A case study', brief: 'Write it.', deadline: `${YEAR}-04-30T16:00:00Z`,
    criteria: [{ title: 'Evidence', descriptor: 'Uses data' }]
  })).id
  made.participant = participant
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 20000 })
})

after(async () => {
  if (browser) await browser.close().catch(() => {})
  if (server) await server.stop()
})

async function signedIn (width) {
  const context = await browser.newContext({ viewport: { width, height: 800 }, isMobile: width < 500, hasTouch: width < 500, baseURL: server.url })
  context.setDefaultTimeout(10000)
  const page = await context.newPage()
  await page.goto('/sign-in', { waitUntil: 'load' })
  await page.getByLabel('Email address').fill('admin@demo.npq.test')
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('main').getByRole('button', { name: 'Sign in' }).click()])
  return { context, page }
}

async function fits (page, width, what) {
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth)
  // The widest element past the edge, to say what to fix.
  const widest = scrollWidth <= width ? '' : await page.evaluate((w) => {
    let found = ''
    for (const el of document.querySelectorAll('main *')) {
      const r = el.getBoundingClientRect()
      if (r.right > w + 1) found = `${el.tagName.toLowerCase()}.${el.className} "${(el.textContent || '').trim().slice(0, 60)}" right ${Math.round(r.right)}`
    }
    return found
  }, width)
  assert.ok(scrollWidth <= width, `${what}: no horizontal scroll at ${width} px (scrollWidth ${scrollWidth}) ${widest}`)
}

// The pages this work added (the events tables of /delivery and a cohort's page are older, and
// are made to fit with every other table of the site).
const pathsToVisit = () => [
  '/cohorts/new', `/cohorts/${made.cohort}/edit`, '/venues', '/venues/new',
  `/venues/${made.venue}/edit`, `/events/${made.event}`, `/events/${made.event}/edit`, `/events/${made.event}/cancel`,
  '/programme/fees', '/programme/credits', '/programme/reports', `/participants/${made.participant}/completions`, `/enrolments/${made.enrolment}/award`,
  '/assessment/tasks', '/assessment/tasks/new', `/assessment/tasks/${made.task}/edit`, '/assessment/release', '/coaching/new',
  `/admin/users/${made.participant}`
]

describe('the staff pages fit a phone and a laptop', () => {
  for (const width of [360, 1280]) {
    it(`every page at ${width} px`, async () => {
      const { context, page } = await signedIn(width)
      try {
        for (const path of pathsToVisit()) {
          const res = await page.goto(path, { waitUntil: 'load' })
          assert.equal(res.status(), 200, `${path}: ${res.status()}`)
          await fits(page, width, path)
        }
      } finally {
        await context.close()
      }
    })
  }

  it('a wrong cohort form comes back on a phone with its summary, and still fits', async () => {
    const { context, page } = await signedIn(360)
    try {
      await page.goto('/cohorts/new', { waitUntil: 'load' })
      await page.getByLabel('Code').fill('NPQSL-PHONE')
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.getByRole('button', { name: 'Add cohort' }).click()])
      assert.equal(await page.locator('.govuk-error-summary').count(), 1, 'the error summary')
      assert.equal(await page.getByLabel('Code').inputValue(), 'NPQSL-PHONE', 'the code is kept')
      assert.equal(new URL(page.url()).pathname, '/cohorts/new')
      await fits(page, 360, 'the refused form')
    } finally {
      await context.close()
    }
  })
})
