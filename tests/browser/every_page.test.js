// Every page of the route table, as everyone who may see it, at 360 px and 1,280 px: axe-core
// finds no violation of WCAG 2.2 A and AA (nor of its best practices: landmarks, headings in
// order, empty table headers) and nothing is wider than the window.
//
// The walk is read from `npq routes`, so a new page is visited without touching this file: each
// GET page route's parameters are filled from records made here through the API (a parameter
// named after a route's resource kind takes that kind's records; the others are named below by
// the segment before them). A page route that cannot be filled, or that answers 200 to nobody,
// fails its test. Each concrete address is asked of every caller (nobody and each demo role); the
// callers it answers 200 with HTML are the ones who see it in the browser. Screenshots of pages
// that fail go to /tmp/npq-shots/every-page-*.png.
//
//   NPQ_BIN=build/npq node --test --test-concurrency=1 tests/browser/every_page.test.js
'use strict'

const { describe, it, before, after } = require('node:test')
const assert = require('node:assert/strict')
const { execFileSync } = require('node:child_process')
const fs = require('node:fs')
const path = require('node:path')
const { chromium } = require('playwright-core')
const AXE_SOURCE = require('axe-core').source
const { startServer } = require('./server')

const SHOTS = '/tmp/npq-shots'
const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium'
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-quic', '--disable-sync']
const STEP_TIMEOUT_MS = 20000
const WIDTHS = {
  phone: { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
  desktop: { viewport: { width: 1280, height: 800 } }
}
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']

const PASSWORD = 'blended-learning-at-local-venues'
const ROLES = ['admin', 'partner_lead', 'facilitator', 'coach', 'assessor', 'participant', 'mentor', 'headteacher']
const EMAILS = {
  admin: 'admin@demo.npq.test',
  partner_lead: 'partner.lead@demo.npq.test',
  facilitator: 'facilitator@demo.npq.test',
  coach: 'coach@demo.npq.test',
  assessor: 'assessor@demo.npq.test',
  participant: 'participant@demo.npq.test',
  mentor: 'mentor@demo.npq.test',
  headteacher: 'headteacher@demo.npq.test'
}
const CALLERS = ['anonymous', ...ROLES]
// People made for the walk besides the demo's: a second participant, whose work is at other
// stages than the demo participant's, and two whose one-time links are left unused.
const EXTRA = [
  { key: 'second', email: 'sam.second@npq.test', name: 'Sam Second', role: 'participant' },
  { key: 'resetme', email: 'rey.reset@npq.test', name: 'Rey Reset', role: 'participant' }
]
const INVITEE = { email: 'ina.invitee@npq.test', name: 'Ina Invitee', role: 'participant' }

const MINUTE = 60 * 1000
const DAY = 24 * 60 * MINUTE
const iso = (ms) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')
const isoDate = (ms) => new Date(ms).toISOString().slice(0, 10)

// The route table, read before the tests are declared so that each page route is a test of its own.
const ROUTES = JSON.parse(execFileSync(path.resolve(process.env.NPQ_BIN || 'build/npq'), ['routes']).toString())
const PAGES = ROUTES.filter((r) => r.kind === 'page' && r.method === 'GET')

let server
let browser
const tokens = {} // API tokens by role
const ids = {} // people by role or EXTRA key
const records = {} // resource kind -> ids to fill {id} with, in the order they are tried
const named = {} // 'segment/{param}' -> values, for parameters that are not a route's resource
const contexts = {} // caller -> width -> { context, page }

before(async () => {
  fs.mkdirSync(SHOTS, { recursive: true })
  server = await startServer({
    prepare: (db, bin) => {
      const run = (args, input) => execFileSync(bin, [...args, '--db', db], { input, stdio: ['pipe', 'pipe', 'pipe'] }).toString()
      run(['demo'])
      // The DfE page with its sync configured (never run here: nothing listens at the address).
      run(['dfe', 'configure', '--url', 'http://127.0.0.1:9/dfe', '--token', 'every-page'])
      for (const p of EXTRA) run(['user', 'add', '--email', p.email, '--name', p.name, '--role', p.role, '--password-stdin'], `${PASSWORD}\n`)
      for (const role of ROLES) tokens[role] = run(['token', 'create', '--email', EMAILS[role], '--name', 'every page']).trim()
      tokens.second = run(['token', 'create', '--email', EXTRA[0].email, '--name', 'every page']).trim()
      const byEmail = {}
      for (const line of run(['user', 'list']).split('\n').filter(Boolean)) {
        const [id, email] = line.split('\t')
        byEmail[email] = Number(id)
      }
      for (const role of ROLES) ids[role] = byEmail[EMAILS[role]]
      for (const p of EXTRA) ids[p.key] = byEmail[p.email]
    }
  })
  await prepareRecords()
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 20000 })
  named['password-reset/{token}'] = [await askReset(EXTRA[1].email)]
  for (const caller of CALLERS) {
    contexts[caller] = {}
    let state
    for (const [width, options] of Object.entries(WIDTHS)) {
      const context = await browser.newContext({ ...options, baseURL: server.url, storageState: state })
      context.setDefaultTimeout(STEP_TIMEOUT_MS)
      await context.addInitScript({ content: AXE_SOURCE })
      const page = await context.newPage()
      if (caller !== 'anonymous' && !state) {
        await signIn(page, EMAILS[caller])
        state = await context.storageState()
      }
      contexts[caller][width] = { context, page }
    }
  }
})

after(async () => {
  if (browser) await browser.close().catch(() => {})
  if (server) {
    const exit = await server.stop()
    if (exit.code !== 0) console.warn(`npq did not exit cleanly on SIGTERM: ${JSON.stringify(exit)} ${server.output.stderr.trim()}`)
  }
})

// ---------------------------------------------------------------- records, through the API

async function api (who, method, pathname, body, extra = {}) {
  const headers = { authorization: `Bearer ${tokens[who]}`, connection: 'close', ...(extra.headers || {}) }
  if (body !== undefined && !extra.raw) headers['content-type'] = 'application/json'
  const res = await fetch(server.url + pathname, {
    method, headers, body: extra.raw ? body : body === undefined ? undefined : JSON.stringify(body)
  })
  const text = await res.text()
  return { status: res.status, text, json: () => JSON.parse(text) }
}

async function ok (who, method, pathname, body, extra) {
  const r = await api(who, method, pathname, body, extra)
  assert.ok(r.status >= 200 && r.status < 300, `${who}: ${method} ${pathname} → ${r.status} ${r.text.slice(0, 500)}`)
  return r.status === 204 ? null : r.json()
}

// The newest one-time link of kind ('invitation', 'password-reset') in the mail printed to email.
async function mailedToken (email, kind) {
  const pattern = new RegExp(`npq: mail to ${email.replace(/[.]/g, '\\.')}:[\\s\\S]*?\\/${kind}\\/([A-Za-z0-9_-]+)`, 'g')
  for (let i = 0; i < 200; i++) {
    const found = [...server.output.stdout.matchAll(pattern)].pop()
    if (found) return found[1]
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`no ${kind} link was mailed to ${email}`)
}

// The demo participant: an NPQSL enrolment in a cohort of the demo partner (facilitator and coach
// on its staff) with an event starting soon (register open) and a webinar later, both booked, a
// coaching session with an action, hours logged, submitted work, and an NPQML award with its
// certificate. The second participant: in the same cohort, with work that was referred and with a
// draft application. Also a calendar feed and unused invitation and password-reset links.
async function prepareRecords () {
  const orgs = (await ok('admin', 'GET', '/api/v1/organisations')).organisations
  const school = orgs.find((o) => o.kind === 'school' && o.urn === '100001').id
  const partner = orgs.find((o) => o.kind === 'delivery_partner').id
  records.organisation = [school, partner]
  const now = Date.now()

  const cohort = await ok('admin', 'POST', '/api/v1/cohorts', {
    // A cohort code as providers write them (qualification, year, region, model, number): long and
    // unbreakable, so the events tables of /delivery and the cohort's page, which name it in every
    // row, overflow a phone unless their rows stack.
    code: 'NPQSL-2027-NORTHWEST-BLENDED-01', kind: 'qualification', target: 'NPQSL', delivery_model: 'blended', delivery_partner_id: partner,
    starts_on: isoDate(now - 30 * DAY), ends_on: isoDate(now + 500 * DAY)
  })
  records.cohort = [cohort.id]
  await ok('admin', 'POST', `/api/v1/cohorts/${cohort.id}/staff`, { user_id: ids.facilitator, role: 'facilitator' })
  await ok('admin', 'POST', `/api/v1/cohorts/${cohort.id}/staff`, { user_id: ids.coach, role: 'coach' })

  const answers = {
    kind: 'qualification', target: 'NPQSL', electives: ['improving-the-quality-of-teaching', 'school-self-evaluation'],
    school_id: school, sponsor_id: ids.headteacher, job_role: 'Assistant head', delivery_model: 'blended', funding_route: 'school'
  }
  const enrol = async (who) => {
    const draft = await ok(who, 'POST', '/api/v1/applications', answers)
    await ok(who, 'POST', `/api/v1/applications/${draft.id}/submit`)
    await ok('headteacher', 'POST', `/api/v1/applications/${draft.id}/approve`)
    await ok('admin', 'POST', `/api/v1/applications/${draft.id}/accept`)
    const enrolled = await ok('admin', 'POST', `/api/v1/applications/${draft.id}/enrol`, { cohort_id: cohort.id })
    return { application: draft.id, enrolment: enrolled.enrolment_id }
  }
  const pat = await enrol('participant')
  const sam = await enrol('second')
  const samDraft = await ok('second', 'POST', '/api/v1/applications', { ...answers, target: 'NPQH', electives: undefined })
  records.application = [pat.application, samDraft.id]
  records.enrolment = [pat.enrolment, sam.enrolment]

  // A course the DfE funds, in the DfE's terms: the second participant enrolled on a schedule (the
  // enrolment page shows it, its milestones and the declarations due), and a draft of the
  // participant's (its questions page asks the DfE's questions).
  const sencoCohort = await ok('admin', 'POST', '/api/v1/cohorts', {
    code: 'NPQSENCO-EVERY-PAGE', kind: 'qualification', target: 'NPQSENCO', delivery_model: 'online',
    starts_on: isoDate(now - 30 * DAY), ends_on: isoDate(now + 500 * DAY)
  })
  const dfeTerms = {
    kind: 'qualification', school_id: school, sponsor_id: ids.headteacher, job_role: 'SENCO', delivery_model: 'online',
    funding_route: 'school', trn: '1234567', school_urn: '106286', employment_type: 'in_school', headteacher_status: 'no',
    funding_choice: 'school'
  }
  const senco = await ok('second', 'POST', '/api/v1/applications', {
    ...dfeTerms, target: 'NPQSENCO', works_as_senco: true, senco_start_date: '2021-09-01'
  })
  await ok('second', 'POST', `/api/v1/applications/${senco.id}/submit`)
  await ok('headteacher', 'POST', `/api/v1/applications/${senco.id}/approve`)
  await ok('admin', 'POST', `/api/v1/applications/${senco.id}/accept`)
  const sencoEnrolment = (await ok('admin', 'POST', `/api/v1/applications/${senco.id}/enrol`, { cohort_id: sencoCohort.id })).enrolment_id
  await ok('admin', 'POST', `/api/v1/enrolments/${sencoEnrolment}/schedule`, { schedule_identifier: 'npq-specialist-autumn', cohort: 2026 })
  const dfeDraft = await ok('participant', 'POST', '/api/v1/applications', { ...dfeTerms, target: 'NPQLL' })
  records.application.push(senco.id, dfeDraft.id)
  records.enrolment.push(sencoEnrolment)

  // Delivery.
  const venue = await ok('admin', 'POST', '/api/v1/venues', {
    delivery_partner_id: partner, name: 'Hub Conference Centre', address: '1 Oxford Road, Manchester', postcode: 'M1 1AE', capacity: 30
  })
  records.venue = [venue.id]
  const soon = await ok('admin', 'POST', '/api/v1/events', {
    cohort_id: cohort.id, kind: 'face_to_face', title: 'Leading culture: day 1', venue_id: venue.id, capacity: 20,
    starts_at: iso(now + 10 * MINUTE), ends_at: iso(now + 6 * 60 * MINUTE), facilitator_id: ids.facilitator
  })
  const webinar = await ok('admin', 'POST', '/api/v1/events', {
    cohort_id: cohort.id, kind: 'webinar', title: 'Evaluating a change', joining_url: 'https://meet.example.test/evaluating',
    capacity: 40, starts_at: iso(now + 14 * DAY), ends_at: iso(now + 14 * DAY + 90 * MINUTE), facilitator_id: ids.facilitator
  })
  const conference = await ok('admin', 'POST', '/api/v1/venues', {
    delivery_partner_id: partner, name: 'Manchester Metropolitan University Business School', address: 'All Saints Campus, Oxford Road, Manchester',
    postcode: 'M15 6BH', capacity: 120
  })
  records.venue.push(conference.id)
  await ok('admin', 'POST', '/api/v1/events', {
    cohort_id: cohort.id, kind: 'face_to_face', title: 'Leading culture, behaviour and attendance across a multi-academy trust', venue_id: conference.id,
    capacity: 100, starts_at: iso(now + 30 * DAY), ends_at: iso(now + 30 * DAY + 6 * 60 * MINUTE), facilitator_id: ids.facilitator
  })
  records.event = [soon.id, webinar.id]
  for (const event of records.event) {
    await ok('participant', 'POST', `/api/v1/events/${event}/bookings`, {})
    await ok('second', 'POST', `/api/v1/events/${event}/bookings`, {})
  }
  await ok('facilitator', 'PUT', `/api/v1/events/${soon.id}/attendance`, { marks: [{ user_id: ids.participant, mark: 'present' }] })
  // Declarations on the DfE page and the person's page: one approved of every kind due.
  for (const due of (await ok('admin', 'GET', '/api/v1/dfe/declarations')).due)
    await api('admin', 'POST', `/api/v1/enrolments/${due.enrolment_id}/declarations`, { declaration_type: due.declaration_type })

  const session = await ok('coach', 'POST', '/api/v1/coaching-sessions', {
    participant_id: ids.participant, starts_at: iso(now + 2 * DAY), ends_at: iso(now + 2 * DAY + 60 * MINUTE),
    mode: 'online', place: 'https://meet.example.test/coaching'
  })
  records.coaching_session = [session.id]
  await ok('coach', 'POST', `/api/v1/coaching-sessions/${session.id}/notes`, { body: 'We talked about **attendance** data.', visibility: 'shared' })
  await ok('coach', 'POST', `/api/v1/coaching-sessions/${session.id}/actions`, { text: 'Plan a lesson study' })
  const today = isoDate(now)
  await ok('participant', 'POST', `/api/v1/enrolments/${pat.enrolment}/activities`,
    { module: 'closing-the-gap', type: 'reading', done_on: today, hours: 1.5, reflection: '# Reading\nA paper on attendance.' })

  // Assessment: Pat's work submitted (to mark), Sam's referred and released.
  const task = await ok('admin', 'POST', '/api/v1/assessment-tasks', {
    kind: 'module', target: 'closing-the-gap', title: 'Closing the gap: a school improvement',
    brief: 'Show what you have learned in **closing the gap**.', deadline: iso(now + 90 * DAY), word_limit: 2000,
    max_resubmissions: 1, moderation_percent: 0, criteria: [{ title: 'Applies the evidence' }, { title: 'Evaluates the impact' }]
  })
  const work = async (who) => {
    const s = await ok(who, 'POST', '/api/v1/submissions', { task_id: task.id, enrolment_id: who === 'participant' ? pat.enrolment : sam.enrolment })
    await ok(who, 'PATCH', `/api/v1/submissions/${s.id}`, { activity: 'Raising attendance across the school', text: 'What we did and what we found.' })
    await ok(who, 'POST', `/api/v1/submissions/${s.id}/files`, Buffer.from('evidence'),
      { raw: true, headers: { 'content-type': 'text/plain', 'x-file-name': 'evidence.txt' } })
    await ok(who, 'POST', `/api/v1/submissions/${s.id}/submit`)
    return s.id
  }
  const patWork = await work('participant')
  const samWork = await work('second')
  await ok('assessor', 'POST', `/api/v1/submissions/${samWork}/marks`, {
    outcome: 'refer', feedback: 'Evaluate the impact, then resubmit.',
    criteria: [{ met: true, comment: 'Clear' }, { met: false, comment: 'Not yet' }]
  })
  await ok('admin', 'POST', `/api/v1/submissions/${samWork}/release`)
  records.submission = [patWork, samWork]

  // An NPQML award for Pat, from module completions.
  const mlCohort = await ok('admin', 'POST', '/api/v1/cohorts', {
    code: 'NPQML-EVERY-PAGE', kind: 'qualification', target: 'NPQML', delivery_model: 'blended',
    starts_on: isoDate(now - 30 * DAY), ends_on: isoDate(now + 500 * DAY)
  })
  records.cohort.push(mlCohort.id)
  const ml = await ok('participant', 'POST', '/api/v1/applications', {
    ...answers, target: 'NPQML', electives: ['leading-an-effective-team'], job_role: 'Head of year'
  })
  await ok('participant', 'POST', `/api/v1/applications/${ml.id}/submit`)
  await ok('headteacher', 'POST', `/api/v1/applications/${ml.id}/approve`)
  await ok('admin', 'POST', `/api/v1/applications/${ml.id}/accept`)
  const mlEnrolment = (await ok('admin', 'POST', `/api/v1/applications/${ml.id}/enrol`, { cohort_id: mlCohort.id })).enrolment_id
  for (const module of ['leading-teaching', 'managing-systems-and-processes', 'leading-an-effective-team'])
    await ok('admin', 'POST', `/api/v1/participants/${ids.participant}/completions`, { module, completed_on: today, enrolment_id: mlEnrolment })
  const award = await ok('admin', 'POST', '/api/v1/awards', { enrolment_id: mlEnrolment })

  // Course content: a reading in a unit of a module Pat studies, with the demo partner's own version.
  const reading = await ok('admin', 'POST', '/api/v1/content', {
    kind: 'reading', title: 'Closing the gap: a reading', minutes: 10, tags: ['module:closing-the-gap']
  })
  await ok('admin', 'POST', '/api/v1/content-units', { module: 'closing-the-gap', title: 'Start here', items: [reading.id] })
  await ok('partner_lead', 'PUT', `/api/v1/content/${reading.id}/variants/${partner}`, { title: 'Closing the gap locally', body: 'Local contacts.' })
  // Its files: a video that plays in the page and a handout to download.
  const film = Buffer.alloc(4096)
  film.writeUInt32BE(32, 0)
  film.write('ftypisom', 4, 'latin1')
  await ok('admin', 'POST', `/api/v1/content/${reading.id}/files`, film,
    { raw: true, headers: { 'content-type': 'video/mp4', 'x-file-name': 'A school closing its gap.mp4' } })
  await ok('admin', 'POST', `/api/v1/content/${reading.id}/files`, Buffer.from('%PDF-1.4\n%%EOF\n'),
    { raw: true, headers: { 'content-type': 'application/pdf', 'x-file-name': 'Handout.pdf' } })
  records.content_item = [reading.id]
  named['variants/{partner}'] = [partner]
  named['course/{item}'] = [reading.id]

  // Forums: the cohort's, with a pinned thread, a reply, a hidden post and a report waiting;
  // everyone's; and a module's that Pat studies.
  const forums = (await ok('participant', 'GET', '/api/v1/forums')).forums
  const cohortForum = forums.find((f) => f.kind === 'cohort' && f.cohort_id === cohort.id)
  const started = await ok('participant', 'POST', `/api/v1/forums/${cohortForum.id}/threads`, {
    title: 'Week 1: what did you read?', body: 'I read **two** papers on attendance. What about you, @Carys Coach?'
  })
  const reply = await ok('coach', 'POST', `/api/v1/forum-threads/${started.thread.id}/posts`, { body: 'A chapter on [evaluation](https://example.org/evaluation).' })
  const hidden = await ok('second', 'POST', `/api/v1/forum-threads/${started.thread.id}/posts`, { body: 'Off topic' })
  await ok('facilitator', 'PATCH', `/api/v1/forum-posts/${hidden.id}`, { hidden: true })
  await ok('facilitator', 'PATCH', `/api/v1/forum-threads/${started.thread.id}`, { pinned: true })
  await ok('second', 'POST', `/api/v1/forum-posts/${reply.id}/reports`, { reason: 'Links outside the course' })
  records.forum = [cohortForum.id, forums.find((f) => f.kind === 'provider').id, forums.find((f) => f.kind === 'module').id]
  records.forum_thread = [started.thread.id]
  records.forum_post = [started.posts[0].id, reply.id, hidden.id]

  records.user = [ids.participant, ids.coach]
  records.token = [(await ok('participant', 'POST', '/api/v1/tokens', { name: 'A spreadsheet' })).id]

  // Parameters that are not a route's resource, by the segment before them.
  const codes = async (list, key) => (await ok('admin', 'GET', `/api/v1/${list}`))[key].slice(0, 1).map((x) => x.code)
  named['tasks/{id}'] = [task.id] // assessment tasks are no resource kind of the policy's
  named['qualifications/{code}'] = ['NPQSL']
  named['modules/{code}'] = ['closing-the-gap']
  named['frameworks/{code}'] = await codes('frameworks', 'frameworks')
  named['verify/{code}'] = [award.verification_code]
  named['calendar/{token}'] = [(await ok('participant', 'POST', '/api/v1/calendar-feed', {})).url.split('/').pop()]
  await ok('admin', 'POST', '/api/v1/users', { email: INVITEE.email, name: INVITEE.name, role: INVITEE.role })
  named['invitation/{token}'] = [await mailedToken(INVITEE.email, 'invitation')]
  named['tasks/{id}'] = [task.id]
}

// Asks for a password-reset link through the page's form, as a visitor would, and reads it from the mail.
async function askReset (email) {
  const context = await browser.newContext({ baseURL: server.url })
  try {
    const page = await context.newPage()
    await page.goto('/password-reset', { waitUntil: 'load' })
    await page.getByLabel('Email address').fill(email)
    await Promise.all([page.waitForEvent('load'), page.locator('main').getByRole('button').click()])
  } finally {
    await context.close()
  }
  return mailedToken(email, 'password-reset')
}

// ---------------------------------------------------------------- the walk

async function signIn (page, email) {
  await page.goto('/sign-in', { waitUntil: 'load' })
  await page.getByLabel('Email address').fill(email)
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
  await Promise.all([page.waitForEvent('load'), page.locator('main').getByRole('button', { name: 'Sign in' }).click()])
  assert.notEqual(new URL(page.url()).pathname, '/sign-in', `${email} is signed in`)
}

// The concrete addresses of a route, or a reason it has none.
// Pages whose answer to a query is a page of its own, visited with it as well as without.
const QUERIES = { '/search': ['?q=gap', '?q=gap&module=closing-the-gap'] }

function addressesOf (route) {
  const params = [...route.pattern.matchAll(/\{([a-z_]+)\}/g)]
  let addresses = [route.pattern]
  for (const [i, m] of params.entries()) {
    const before = route.pattern.slice(0, m.index).split('/').filter(Boolean).pop()
    const values = named[`${before}/{${m[1]}}`] ?? (i === 0 && route.resource !== 'none' ? records[route.resource] : undefined)
    if (!values?.length) return { missing: `{${m[1]}} of ${route.pattern}` }
    addresses = addresses.flatMap((a) => values.map((v) => a.replace(m[0], encodeURIComponent(String(v)))))
  }
  addresses = addresses.flatMap((a) => [a, ...(QUERIES[route.pattern] ?? []).map((q) => a + q)])
  return { addresses }
}

// The axe violations and the overflow of the page shown, one line each. axe-core is in every
// page already (added to each context as an init script), so a check costs one call.
async function problemsOf (page, width) {
  const problems = []
  const violations = await page.evaluate(async (tags) => {
    const results = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })
    return results.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }))
  }, AXE_TAGS)
  for (const v of violations) {
    const where = v.targets.slice(0, 3).join(', ') + (v.targets.length > 3 ? ` and ${v.targets.length - 3} more` : '')
    problems.push(`axe ${v.id} (${v.impact}): ${v.help} at ${where}`)
  }
  const limit = WIDTHS[width].viewport.width
  const wide = await page.evaluate((limit) => {
    const outside = (e) => e.getBoundingClientRect().right > limit + 0.5
    const over = [...document.querySelectorAll('body *')]
      .filter((e) => e.getClientRects().length && outside(e) && !(e.parentElement && outside(e.parentElement)))
      .slice(0, 3)
      .map((e) => `${e.tagName.toLowerCase()}${typeof e.className === 'string' && e.className.trim() ? '.' + e.className.trim().split(/\s+/).join('.') : ''}` +
        ` (${Math.round(e.getBoundingClientRect().right)} px)`)
    return { scrollWidth: document.documentElement.scrollWidth, over }
  }, limit)
  if (wide.scrollWidth > limit) problems.push(`${wide.scrollWidth} px wide in a ${limit} px window: ${wide.over.join(', ')}`)
  return problems
}

// What a page shows in its main part, without the tokens that differ on every answer: two
// callers shown the same main part see the same page but for the header, which each caller's
// first page checks.
function mainOf (html) {
  const main = html.match(/<main\b[\s\S]*<\/main>/)?.[0] ?? html
  return main.replace(/name="csrf_token" value="[^"]*"/g, '')
}

describe('every page passes axe-core and fits the window', () => {
  const seen = new Set() // patterns that answered 200 to someone
  const checked = new Set() // callers shown at least one page
  let visits = 0

  for (const route of PAGES) {
    it(`GET ${route.pattern}`, async () => {
      const { addresses, missing } = addressesOf(route)
      assert.ok(addresses, `no records to fill ${missing}: make one in prepareRecords, or name the parameter in named`)
      const found = new Map() // problem -> where it was found
      const note = (problem, where) => found.set(problem, [...(found.get(problem) || []), where])
      for (const address of addresses) {
        const shown = new Set() // main parts already checked at this address
        for (const caller of CALLERS) {
          const res = await contexts[caller].desktop.page.request.get(address, { maxRedirects: 0 })
          if (res.status() !== 200) continue
          seen.add(route.pattern)
          if (!/^text\/html\b/.test(res.headers()['content-type'] || '')) continue
          const main = mainOf(await res.text())
          if (shown.has(main) && checked.has(caller)) continue
          shown.add(main)
          checked.add(caller)
          for (const width of Object.keys(WIDTHS)) {
            const { page } = contexts[caller][width]
            const nav = await page.goto(address, { waitUntil: 'load' })
            visits++
            if (nav.status() !== 200) {
              note(`answered ${nav.status()} in the browser`, `${caller} at ${width} width on ${address}`)
              continue
            }
            const problems = await problemsOf(page, width)
            for (const problem of problems) note(problem, `${caller} at ${width} width on ${address}`)
            if (problems.length) {
              const shot = `every-page-${address.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '') || 'home'}-${caller}-${width}.png`
              await page.screenshot({ path: path.join(SHOTS, shot), fullPage: true }).catch(() => {})
            }
          }
        }
      }
      assert.ok(seen.has(route.pattern), `${route.pattern} answered 200 to nobody at ${addresses.join(', ')}`)
      const report = [...found].map(([problem, where]) => `${problem}\n    ${where.join('\n    ')}`)
      assert.ok(report.length === 0, `GET ${route.pattern}:\n  ${report.join('\n  ')}`)
    })
  }

  it('visited the pages', (t) => {
    assert.ok(visits > 0)
    t.diagnostic(`${visits} visits of ${PAGES.length} page routes`)
  })
})
