// The whole journey through the pages: each person does their part only by clicking and filling
// in forms, from a participant's application to their award and the public page that verifies
// it. The participant applies for the NPQML; their headteacher approves; the provider accepts,
// makes a cohort from the dead end the application offers, enrols them, puts the facilitator on
// the cohort's staff, adds a venue and schedules a face-to-face day; the participant books it; the
// facilitator takes the register; the participant logs hours and their coach verifies them; the
// coach books a session, writes a note and agrees an action that the participant ticks off; the
// provider sets the module task (every piece moderated) and records the two essential modules
// completed; the participant drafts the work, the coach gives feedback on the draft, the
// participant attaches a file and submits; an assessor refers it, a second assessor moderates, the
// provider releases; the participant revises and resubmits; it is passed, moderated and released;
// the provider awards the NPQML; the participant finds their certificate and its verification
// address, which a stranger opens.
//
// Only the set-up uses commands: `npq demo` (the catalogue, the organisations, one person of each
// role, the coach assigned to the participant) and a second assessor.
//
//   NPQ_BIN=build/npq node --test --test-concurrency=1 tests/browser/journey.test.js
'use strict'

const { describe, it: nodeIt, before, after } = require('node:test')
const assert = require('node:assert/strict')
const { execFileSync } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { chromium } = require('playwright-core')
const { startServer } = require('./server')

const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium'
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-quic', '--disable-sync']
const PASSWORD = 'blended-learning-at-local-venues'
const PEOPLE = {
  admin: 'admin@demo.npq.test',
  headteacher: 'headteacher@demo.npq.test',
  facilitator: 'facilitator@demo.npq.test',
  coach: 'coach@demo.npq.test',
  assessor: 'assessor@demo.npq.test',
  moderator: 'mo.moderator@journey.npq.test',
  participant: 'participant@demo.npq.test'
}
const PARTICIPANT_NAME = 'Pat Participant'
const ML_TITLE = 'National Professional Qualification for Middle Leadership'
const MINUTE = 60 * 1000

let server
let browser
const pages = {} // signed-in pages by person
const shots = fs.mkdtempSync(path.join(os.tmpdir(), 'npq-journey-'))

before(async () => {
  server = await startServer({
    prepare: (db, bin) => {
      const run = (args, input) => execFileSync(bin, [...args, '--db', db], { input, stdio: ['pipe', 'pipe', 'pipe'] }).toString()
      run(['demo'])
      run(['user', 'add', '--email', PEOPLE.moderator, '--name', 'Mo Moderator', '--role', 'assessor', '--password-stdin'], `${PASSWORD}\n`)
    }
  })
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 20000 })
  for (const [who, email] of Object.entries(PEOPLE)) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, baseURL: server.url })
    context.setDefaultTimeout(10000)
    const page = await context.newPage()
    await page.goto('/sign-in', { waitUntil: 'load' })
    await page.getByLabel('Email address').fill(email)
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
    await click(page, page.locator('main').getByRole('button', { name: 'Sign in' }))
    assert.notEqual(new URL(page.url()).pathname, '/sign-in', `${who} is signed in`)
    pages[who] = page
  }
})

after(async () => {
  if (browser) await browser.close().catch(() => {})
  if (server) await server.stop()
  fs.rmSync(shots, { recursive: true, force: true })
})

// Clicks what leads to a new page and waits for it; a page answering 4xx or 5xx fails the step,
// with what the page said.
async function click (page, locator, expected = 200) {
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), locator.click()])
  const status = response ? response.status() : 0
  if (status !== expected) {
    const said = await page.locator('main').innerText().catch(() => '')
    assert.fail(`${page.url()} answered ${status}, not ${expected}: ${said.replace(/\s+/g, ' ').slice(0, 600)}`)
  }
  return page
}

// Follows a link of the page by its text.
async function follow (page, name, options = {}) {
  return click(page, page.locator('main').getByRole('link', { name, ...options }).first())
}

async function press (page, name, options = {}) {
  return click(page, page.locator('main').getByRole('button', { name, ...options }).first())
}

const mainText = async (page) => (await page.locator('main').innerText()).replace(/\s+/g, ' ')

// Date boxes of the GOV.UK date input inside the fieldset whose legend is legend.
async function fillDate (page, legend, date) {
  const group = page.locator('fieldset', { has: page.locator('legend', { hasText: legend }) })
  await group.getByLabel('Day').fill(String(date.getUTCDate()))
  await group.getByLabel('Month').fill(String(date.getUTCMonth() + 1))
  await group.getByLabel('Year').fill(String(date.getUTCFullYear()))
}

// A moment in UK time: { date (a Date whose UTC fields are the UK day), clock "HH:MM" }.
function ukTime (ms) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23'
  }).formatToParts(new Date(ms)).map((p) => [p.type, p.value]))
  return { date: new Date(Date.UTC(+parts.year, +parts.month - 1, +parts.day)), clock: `${parts.hour}:${parts.minute}` }
}

// Chooses the option of the select named name whose text matches text (a string or a RegExp).
async function choose (page, name, text) {
  const label = name
  const select = page.locator(`main select[name="${name}"]`)
  const options = await select.locator('option').evaluateAll((os) => os.map((o) => [o.value, o.textContent.trim()]))
  const found = options.find(([, t]) => (typeof text === 'string' ? t === text : text.test(t)))
  assert.ok(found, `${label}: no option ${text} among ${JSON.stringify(options.map(([, t]) => t))} on ${page.url()}: ${(await mainText(page)).slice(0, 3000)}`)
  await select.selectOption(found[0])
}

const idIn = (page, pattern) => Number(pattern.exec(new URL(page.url()).pathname)[1])

describe('the journey through the pages', () => {
  const j = {} // what the journey has made so far
  // Each step builds on the ones before: after a failure the rest are skipped, not failed.
  let broken = null
  const it = (name, fn) => nodeIt(name, async (t) => {
    if (broken) return t.skip(`after "${broken}"`)
    try {
      await fn()
    } catch (err) {
      broken = name
      throw err
    }
  })

  it('the participant applies for the NPQML and submits', async () => {
    const p = pages.participant
    await p.goto('/applications', { waitUntil: 'load' })
    await press(p, 'Start an application')
    await p.getByLabel(`${ML_TITLE} (NPQML)`).check()
    await press(p, 'Continue')
    j.application = idIn(p, /^\/applications\/(\d+)\/edit$/)
    await p.getByLabel('Leading an effective team').check()
    await p.getByLabel('Job role').fill('Head of year 9')
    await p.getByLabel('Sponsor').selectOption({ label: 'Hana Headteacher' })
    await p.getByLabel('Delivery partner').selectOption({ label: 'North West Teaching School Hub' })
    await p.getByLabel('School-funded').check()
    await press(p, 'Save and continue')
    assert.equal(await p.locator('h1').innerText(), 'Check your answers')
    await press(p, 'Submit application')
    assert.equal(await p.locator('[data-testid=state]').innerText(), 'Waiting for the sponsor')
  })

  it('the headteacher approves it, and the provider accepts it', async () => {
    const h = pages.headteacher
    await h.goto('/applications', { waitUntil: 'load' })
    await follow(h, `NPQML application from ${PARTICIPANT_NAME}`)
    await press(h, 'Approve')
    const a = pages.admin
    await a.goto(`/applications/${j.application}`, { waitUntil: 'load' })
    await press(a, 'Accept')
    assert.match(await mainText(a), /There is no cohort for the NPQML yet/)
  })

  it('the provider makes a cohort from the dead end, enrols the participant and staffs the cohort', async () => {
    const a = pages.admin
    await follow(a, 'Add a cohort')
    await a.getByLabel('Code').fill('NPQML-2027-NW-JOURNEY')
    await a.getByLabel('Blended: face-to-face and online').check()
    await fillDate(a, 'Start date', new Date(Date.now() - 7 * 24 * 60 * MINUTE))
    await fillDate(a, 'End date', new Date(Date.now() + 300 * 24 * 60 * MINUTE))
    await a.getByLabel('Delivery partner').selectOption({ label: 'North West Teaching School Hub' })
    await press(a, 'Add cohort')
    j.cohort = idIn(a, /^\/cohorts\/(\d+)$/)
    await choose(a, 'staff', 'Femi Facilitator, Facilitator')
    await press(a, 'Add to staff')

    await a.goto(`/applications/${j.application}`, { waitUntil: 'load' })
    await choose(a, 'cohort_id', /^NPQML-2027-NW-JOURNEY/)
    await press(a, 'Enrol')
    await follow(a, 'See the enrolment')
    j.enrolment = idIn(a, /^\/enrolments\/(\d+)$/)
    assert.equal(await a.locator('[data-testid=state]').innerText(), 'Active')
  })

  it('the provider adds a venue and schedules a face-to-face day; the participant books it', async () => {
    const a = pages.admin
    await a.goto('/venues/new', { waitUntil: 'load' })
    await a.getByLabel('Delivery partner').selectOption({ label: 'North West Teaching School Hub' })
    await a.getByLabel('Name').fill('Journey Hub')
    await a.getByLabel('Address').fill('1 Oxford Road, Manchester')
    await a.getByLabel('Postcode').fill('M1 1AE')
    await a.getByLabel('Places').fill('30')
    await press(a, 'Add venue')

    await a.goto(`/cohorts/${j.cohort}`, { waitUntil: 'load' })
    // It starts in a few minutes, so that its register is open already.
    const start = ukTime(Date.now() + 10 * MINUTE)
    const end = ukTime(Date.now() + 70 * MINUTE)
    if (end.date.getTime() !== start.date.getTime()) end.clock = '23:59' // an hour from now is tomorrow
    await a.getByLabel('Face-to-face event').check()
    await a.getByLabel('Title').fill('Leading an effective team: day one')
    await choose(a, 'venue_id', /Journey Hub/)
    await fillDate(a, 'Date', start.date)
    await a.getByLabel('Start time (UK time)').fill(start.clock)
    await a.getByLabel('End time (UK time)').fill(end.clock)
    await a.getByLabel('Places').fill('20')
    await press(a, 'Schedule event')
    await follow(a, 'Leading an effective team: day one')
    j.event = idIn(a, /^\/events\/(\d+)$/)

    const p = pages.participant
    await p.goto('/delivery', { waitUntil: 'load' })
    await follow(p, 'Leading an effective team: day one')
    await press(p, 'Book a place')
    assert.match(await mainText(p), /You have a place on this event/)
  })

  it('the facilitator takes the register', async () => {
    const f = pages.facilitator
    await f.goto(`/events/${j.event}`, { waitUntil: 'load' })
    await follow(f, 'Take the register')
    await f.locator('fieldset', { hasText: PARTICIPANT_NAME }).getByLabel('Present').check()
    await press(f, 'Save register')
    await f.goto(`/events/${j.event}/register`, { waitUntil: 'load' })
    assert.match(await mainText(f), /Saved: Present, by Femi Facilitator/)
  })

  it('the participant logs hours and their coach verifies them', async () => {
    const p = pages.participant
    await p.goto(`/enrolments/${j.enrolment}/hours`, { waitUntil: 'load' })
    await p.getByLabel('Module').selectOption({ label: 'Leading an effective team' })
    await p.getByLabel('Reading').check()
    await fillDate(p, 'When did you do it?', new Date())
    await p.getByLabel('Hours').fill('1.5')
    await p.getByLabel('Reflection (optional)').fill('What makes a team work well together.')
    await press(p, 'Log hours')
    assert.match(await mainText(p), /Hours logged/)

    const c = pages.coach
    await c.goto(`/enrolments/${j.enrolment}/hours`, { waitUntil: 'load' })
    await press(c, /^Verify/)
    assert.match(await mainText(c), /Entry verified/)
    await p.goto(`/enrolments/${j.enrolment}/hours`, { waitUntil: 'load' })
    assert.match(await mainText(p), /Verified by Carys Coach/)
  })

  it('the coach books a session, writes a note and agrees an action the participant ticks off', async () => {
    const c = pages.coach
    const when = ukTime(Date.now() + 3 * 24 * 60 * MINUTE)
    await c.goto('/coaching/new', { waitUntil: 'load' })
    await c.getByLabel('With').selectOption({ label: PARTICIPANT_NAME })
    await fillDate(c, 'Date', when.date)
    await c.getByLabel('Start time (UK time)').fill('4pm')
    await c.getByLabel('End time (UK time)').fill('5pm')
    await c.getByLabel('Online').check()
    await c.getByLabel('Joining link or place').fill('https://meet.example.test/journey')
    await press(c, 'Book session')
    j.session = idIn(c, /^\/coaching\/(\d+)$/)
    await c.getByLabel('Shared with the participant').check()
    await c.getByLabel('Note').fill('We talked about **delegation**.')
    await press(c, 'Add note')
    await c.getByLabel('What was agreed').fill('Delegate the year 9 assembly rota')
    await press(c, 'Add action')

    const p = pages.participant
    await p.goto(`/coaching/${j.session}`, { waitUntil: 'load' })
    assert.match(await mainText(p), /delegation/)
    await press(p, /^Mark as done/)
    assert.match(await mainText(p), /Action ticked off/)
  })

  it('the provider sets the module task and records the essential modules completed', async () => {
    const a = pages.admin
    await a.goto('/assessment/tasks/new', { waitUntil: 'load' })
    await a.getByLabel('What it assesses').selectOption({ label: 'Module: Leading an effective team' })
    await a.getByLabel('Title').fill('Leading an effective team: a case study')
    await a.getByLabel('Brief').fill('Show how you led your team through a change.')
    await fillDate(a, 'Deadline', new Date(Date.now() + 60 * 24 * 60 * MINUTE))
    await a.getByLabel('Share of marked work moderated (%)').fill('100')
    await a.getByLabel('Criteria').fill('Applies the evidence\nEvaluates the impact')
    await press(a, 'Set task')

    for (const module of ['Leading teaching', 'Managing systems and processes']) {
      await a.goto(`/enrolments/${j.enrolment}`, { waitUntil: 'load' })
      await follow(a, PARTICIPANT_NAME)
      const participant = idIn(a, /^\/participants\/(\d+)\/pathway$/)
      await a.goto(`/participants/${participant}/completions`, { waitUntil: 'load' })
      await a.getByLabel('Module').selectOption({ label: module })
      await fillDate(a, 'Date completed', new Date())
      await press(a, 'Record completion')
    }
  })

  it('the participant drafts the work, the coach gives feedback, and it is submitted with a file', async () => {
    const p = pages.participant
    await p.goto('/assessment', { waitUntil: 'load' })
    await press(p, /^Start/)
    j.submission = idIn(p, /^\/submissions\/(\d+)$/)
    await p.getByLabel('The school-improvement activity this work is about').fill('Year 9 pastoral team')
    await p.getByLabel('Your work').fill('How I led the team through a new rota, and what changed.')
    await press(p, 'Save draft')

    const c = pages.coach
    await c.goto(`/submissions/${j.submission}`, { waitUntil: 'load' })
    await c.getByLabel('Feedback').fill('Say what the evidence shows.')
    await press(c, 'Add feedback')

    await p.goto(`/submissions/${j.submission}`, { waitUntil: 'load' })
    assert.match(await mainText(p), /Say what the evidence shows/)
    await p.getByLabel('Attach a file').setInputFiles({ name: 'rota.txt', mimeType: 'text/plain', buffer: Buffer.from('The new rota.\n') })
    await press(p, 'Upload file')
    assert.match(await mainText(p), /rota\.txt/)
    await press(p, 'Submit', { exact: true })
    assert.match(await mainText(p), /Version 1/)
  })

  async function mark (who, outcome, button) {
    const m = pages[who]
    await m.goto(`/submissions/${j.submission}/mark`, { waitUntil: 'load' })
    for (const [n, criterion] of ['Applies the evidence', 'Evaluates the impact'].entries()) {
      const group = m.locator('fieldset', { has: m.locator('legend', { hasText: `${n + 1}. ${criterion}` }) })
      await group.getByLabel(outcome === 'pass' || n === 0 ? 'Met' : 'Not met', { exact: true }).check()
    }
    await m.getByLabel(outcome === 'pass' ? 'Pass' : 'Referred for resubmission', { exact: true }).check()
    await m.getByLabel('Feedback for the participant').fill(outcome === 'pass' ? 'Well evidenced.' : 'Evaluate the impact, then resubmit.')
    await press(m, button)
  }

  async function release () {
    const a = pages.admin
    await a.goto('/assessment/release', { waitUntil: 'load' })
    await a.goto(`/submissions/${j.submission}`, { waitUntil: 'load' })
    await press(a, 'Release result')
  }

  it('an assessor refers it, a second assessor moderates, the provider releases; the participant resubmits', async () => {
    await mark('assessor', 'refer', 'Save marking')
    await mark('moderator', 'refer', 'Save moderation')
    await release()
    const p = pages.participant
    await p.goto(`/submissions/${j.submission}`, { waitUntil: 'load' })
    assert.match(await mainText(p), /Evaluate the impact, then resubmit/)
    await p.getByLabel('Your work').fill('How I led the team through a new rota, what changed, and how I evaluated the impact.')
    await press(p, 'Save draft')
    await press(p, 'Submit', { exact: true })
  })

  it('the resubmission is passed, moderated and released', async () => {
    await mark('assessor', 'pass', 'Save marking')
    await mark('moderator', 'pass', 'Save moderation')
    await release()
    const p = pages.participant
    await p.goto(`/submissions/${j.submission}`, { waitUntil: 'load' })
    assert.match(await mainText(p), /Well evidenced/)
    const a = pages.admin
    await a.goto(`/enrolments/${j.enrolment}/award`, { waitUntil: 'load' })
    assert.match(await mainText(a), /Modules completed Leading teaching Managing systems and processes Leading an effective team Final assessment None: the NPQML has no final assessment .*Every requirement of the NPQML is met/, 'the passed task completed its module, and the award may be made')
  })

  it('the provider awards the NPQML; the participant finds the certificate, and a stranger verifies it', async () => {
    const a = pages.admin
    await a.goto(`/enrolments/${j.enrolment}`, { waitUntil: 'load' })
    await follow(a, /The award decision/)
    await press(a, `Award the NPQML to ${PARTICIPANT_NAME}`)
    assert.match(await mainText(a), /Awarded/)
    await a.goto(`/enrolments/${j.enrolment}`, { waitUntil: 'load' })
    assert.equal(await a.locator('[data-testid=state]').innerText(), 'Completed', 'awarding completes the enrolment')
    await a.goto('/', { waitUntil: 'load' })
    await follow(a, 'Awards')
    await choose(a, 'qualification', /\(NPQML\)$/)
    await press(a, 'Filter')
    assert.match(await mainText(a), /Showing the only match/)
    await follow(a, PARTICIPANT_NAME)
    assert.match(new URL(a.url()).pathname, /^\/admin\/users\/\d+$/)

    const p = pages.participant
    await p.goto('/', { waitUntil: 'load' })
    await p.locator('nav, header').getByRole('link', { name: 'Transcript' }).first().click()
    await p.waitForLoadState('load')
    assert.match(await mainText(p), new RegExp(ML_TITLE))
    const certificate = await p.locator('main a[href$="/certificate.pdf"]').first().getAttribute('href')
    const pdf = await p.request.get(certificate)
    assert.equal(pdf.status(), 200)
    assert.equal(pdf.headers()['content-type'], 'application/pdf')
    const verify = await p.locator('main a[href*="/verify/"]').first().getAttribute('href')

    const stranger = await browser.newContext({ baseURL: server.url })
    try {
      const s = await stranger.newPage()
      const res = await s.goto(verify, { waitUntil: 'load' })
      assert.equal(res.status(), 200)
      const text = await mainText(s)
      assert.match(text, /Certificate verified/)
      assert.match(text, new RegExp(PARTICIPANT_NAME))
      assert.match(text, new RegExp(ML_TITLE))
      assert.match(text, /NPQML-\d{4}-\d{6}-\d/, 'the certificate number')
    } finally {
      await stranger.close()
    }
  })
})
