// Signing in and out, resetting a password from a real email, and accepting an invitation, in a
// real browser against npq sending its mail over SMTP to a real SMTP server (aiosmtpd writing a
// maildir, see smtp_sink.js). Sign-in at phone width; the rest at desktop width.
//
//   NPQ_BIN=build/npq node --test --test-concurrency=1 tests/browser/
'use strict'

const { describe, it, before, after } = require('node:test')
const assert = require('node:assert/strict')
const { execFile } = require('node:child_process')
const fs = require('node:fs')
const path = require('node:path')
const { chromium } = require('playwright-core')
const { startServer } = require('./server')
const { startSmtpSink, freePort } = require('./smtp_sink')

const SHOTS = '/tmp/npq-shots'
const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium'
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-quic', '--disable-sync']
const STEP_TIMEOUT_MS = 10000
const MAIL_TIMEOUT_MS = 10000

const DESKTOP = { viewport: { width: 1280, height: 800 } }
const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }

const MAIL_FROM = 'no-reply@npq.example.test'
const RESET_SUBJECT = 'Reset your NPQ password'
const INVITE_SUBJECT = 'Your NPQ account: set your password'
const REFUSED = 'Enter a correct email address and password'

// Made with a password before the server starts.
const ADMIN = { email: 'ada.admin@example.test', name: 'Ada Lovelace', password: 'quartz-lantern-meadow-17' }
const RESETTER = {
  email: 'rowan.reset@example.test',
  name: 'Rowan Beck',
  password: 'copper-kettle-harbour-58',
  newPassword: 'violet-compass-glacier-93'
}
// Invited while the server runs; a name outside ASCII, to follow UTF-8 from the database to the
// email body (8bit) and to the page.
const INVITED = { email: 'sian.invited@example.test', name: 'Siân Ó Briain', password: 'saffron-pebble-thunder-64' }

let sink
let server
let browser

// `npq user add`, with the password on standard input when there is one. Resolves to { stdout, stderr }.
function userAdd (bin, db, person, role, { password, baseUrl } = {}) {
  return new Promise((resolve, reject) => {
    const args = ['user', 'add', '--db', db, '--email', person.email, '--name', person.name, '--role', role]
    if (password !== undefined) args.push('--password-stdin')
    const child = execFile(bin, args, { env: { ...process.env, ...(baseUrl ? { NPQ_BASE_URL: baseUrl } : {}) }, timeout: 10000 },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`npq ${args.join(' ')} failed: ${err.message} ${stderr}`))
        else resolve({ stdout, stderr })
      })
    child.stdin.end(password !== undefined ? `${password}\n` : '')
  })
}

// npq on a port chosen here, so that --base-url can name it; a new port if another process took it.
async function startNpq () {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort()
    const url = `http://127.0.0.1:${port}`
    try {
      return await startServer({
        port,
        args: ['--smtp-url', sink.url, '--base-url', url, '--mail-from', MAIL_FROM],
        prepare: async (db, bin) => {
          await userAdd(bin, db, ADMIN, 'admin', { password: ADMIN.password, baseUrl: url })
          await userAdd(bin, db, RESETTER, 'admin', { password: RESETTER.password, baseUrl: url })
        }
      })
    } catch (err) {
      if (attempt >= 3 || !/exited early/.test(err.message)) throw err
    }
  }
}

before(async () => {
  fs.mkdirSync(SHOTS, { recursive: true })
  sink = await startSmtpSink()
  server = await startNpq()
  assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/)
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 20000 })
})

after(async () => {
  // Each step on its own, so that a failure in one still runs the others.
  if (browser) await browser.close().catch(() => {})
  if (server) {
    const exit = await server.stop().catch((err) => ({ error: err.message }))
    if (exit.code !== 0) console.warn(`npq did not exit cleanly on SIGTERM: ${JSON.stringify(exit)} ${server.output.stderr.trim()}`)
  }
  if (sink) await sink.stop().catch((err) => console.warn(`the SMTP sink did not stop: ${err.message}`))
})

// ---- Pages and what went wrong on them ----

// A fresh context and page that records what went wrong while it was open. allow(status, method,
// path) declares one response >= 400 that the scenario causes on purpose (a refused form); each
// must then happen exactly once, and any other is a problem. navs lists the main frame's document
// responses, redirects included, so a step can check the chain it caused.
async function openPage (options) {
  const context = await browser.newContext({ ...options, baseURL: server.url })
  context.setDefaultTimeout(STEP_TIMEOUT_MS)
  const page = await context.newPage()
  const problems = []
  const allowed = []
  const navs = []
  const allow = (status, method, pathname) => allowed.push({ status, method, pathname, response: false, console: false })
  const find = (status, url, key, method) => {
    const { pathname } = new URL(url, server.url)
    return allowed.find((a) => !a[key] && a.status === status && a.pathname === pathname && (method === undefined || a.method === method))
  }
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return
    // Chromium reports every response >= 400 on the console too; an allowed one is no problem.
    const failed = msg.text().match(/^Failed to load resource: the server responded with a status of (\d+)/)
    const entry = failed && find(Number(failed[1]), msg.location().url, 'console')
    if (entry) entry.console = true
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
    if (req.isNavigationRequest() && req.frame() === page.mainFrame()) {
      const u = new URL(res.url())
      navs.push({ method: req.method(), status: res.status(), path: u.pathname, search: u.search })
    }
    if (res.status() < 400) return
    const entry = find(res.status(), res.url(), 'response', req.method())
    if (entry) entry.response = true
    else problems.push(`HTTP ${res.status()}: ${req.method()} ${res.url()}`)
  })
  return { context, page, problems, allowed, allow, navs, defects: [], touch: Boolean(options.hasTouch) }
}

// A check whose failure does not stop the scenario: it is recorded, the steps after it still run,
// and withPage fails the test at the end with every such failure listed.
async function soft (tools, what, fn) {
  try {
    await fn()
  } catch (err) {
    tools.defects.push(`${what}: ${err.message.split('\n').filter(Boolean).join(' ')}`)
  }
}

async function withPage (options, fn) {
  const tools = await openPage(options)
  try {
    await fn(tools)
    // Let late requests (fonts, the lazily imported govuk-frontend module) settle before judging.
    await tools.page.waitForLoadState('networkidle', { timeout: 5000 }).catch(() => {})
    assert.deepEqual(tools.defects, [], 'every check passed')
    assert.deepEqual(tools.problems, [], 'no console errors, page errors, failed requests or unexpected HTTP errors')
    const missing = tools.allowed.filter((a) => !a.response).map((a) => `${a.status} ${a.method} ${a.pathname}`)
    assert.deepEqual(missing, [], 'every expected refusal happened')
  } finally {
    await tools.context.close().catch(() => {})
  }
}

// Presses a form's button (a tap on a touch screen) and waits for the page it leads to; returns
// the document responses on the way, e.g. [{ POST 303 /sign-in }, { GET 200 /account }].
async function submit (tools, button) {
  const start = tools.navs.length
  await Promise.all([tools.page.waitForEvent('load'), tools.touch ? button.tap() : button.click()])
  return tools.navs.slice(start).map(({ method, status, path }) => `${method} ${status} ${path}`)
}

// Goes to url and returns the chain of document responses, e.g. ['GET 303 /account', 'GET 200 /sign-in'].
async function visit (tools, url) {
  const start = tools.navs.length
  await tools.page.goto(url, { waitUntil: 'load' })
  return tools.navs.slice(start).map(({ method, status, path }) => `${method} ${status} ${path}`)
}

function here (page) {
  const u = new URL(page.url())
  return { path: u.pathname, query: Object.fromEntries(u.searchParams) }
}

async function text (locator) {
  return (await locator.textContent()).replace(/\s+/g, ' ').trim()
}

async function shoot (page, name) {
  await page.evaluate(() => document.fonts.ready)
  await page.screenshot({ path: path.join(SHOTS, name), fullPage: true })
}

async function noHorizontalScroll (page, width) {
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth)
  assert.ok(scrollWidth <= width, `no horizontal scroll at ${width} px (scrollWidth ${scrollWidth})`)
}

// GOV.UK Frontend started: app.js ran and initAll found the components.
async function frontendStarted (page) {
  await page.waitForFunction(() => document.body.classList.contains('js-enabled') &&
    document.body.classList.contains('govuk-frontend-supported'), null, { timeout: 5000 })
}

// The error summary and the field's own message, as the GOV.UK error pattern has them.
async function checkErrors (page, field, message) {
  const summary = page.locator('.govuk-error-summary')
  assert.equal(await summary.count(), 1, 'one error summary')
  assert.equal(await text(summary.locator('.govuk-error-summary__title')), 'There is a problem')
  const links = await summary.locator('.govuk-error-summary__list a').evaluateAll(
    (as) => as.map((a) => [a.getAttribute('href'), a.textContent.trim()]))
  assert.deepEqual(links, [[`#${field}`, message]], 'the summary links the message to its field')
  assert.equal(await text(page.locator(`#${field}-error`)), `Error: ${message}`, 'the field shows the message')
  const input = page.locator(`#${field}`)
  assert.match(await input.getAttribute('class'), /\bgovuk-input--error\b/)
  assert.match(await input.getAttribute('aria-describedby'), new RegExp(`\\b${field}-error\\b`))
  assert.equal(await page.locator('.govuk-form-group--error').count(), 1, 'one form group in error')
  // GOV.UK Frontend moves focus to the summary when the page loads, so it is announced.
  await frontendStarted(page)
  await page.waitForFunction(() => document.activeElement?.classList.contains('govuk-error-summary'), null, { timeout: 5000 })
}

// The summary's link moves focus to the field it names.
async function followErrorLink (tools, field) {
  const link = tools.page.locator('.govuk-error-summary__list a').first()
  if (tools.touch) await link.tap()
  else await link.click()
  await tools.page.waitForFunction((id) => document.activeElement?.id === id, field, { timeout: 5000 })
}

async function checkSignInForm (page, next) {
  assert.equal(await page.title(), 'Sign in – NPQ')
  assert.equal(await text(page.locator('h1')), 'Sign in')
  const form = page.locator('main form[action="/sign-in"]')
  assert.equal(await form.count(), 1, 'one sign-in form')
  assert.equal(await form.getAttribute('method'), 'post')
  assert.equal(await form.locator('input[name=next]').inputValue(), next, 'the form keeps where to go next')
  assert.ok((await form.locator('input[name=csrf_token]').inputValue()).length >= 16, 'the form carries a CSRF token')
  const email = page.getByLabel('Email address')
  assert.deepEqual(await email.evaluate((i) => [i.type, i.autocomplete, i.className, i.spellcheck]),
    ['email', 'username', 'govuk-input', false])
  const password = page.getByLabel('Password', { exact: true })
  assert.deepEqual(await password.evaluate((i) => [i.type, i.autocomplete, i.className]),
    ['password', 'current-password', 'govuk-input'])
  const button = form.getByRole('button', { name: 'Sign in' })
  assert.match(await button.getAttribute('class'), /\bgovuk-button\b/)
  assert.equal(await page.getByRole('link', { name: 'Forgotten your password?' }).getAttribute('href'), '/password-reset')
  // GOV.UK styling applied.
  const h1 = await page.locator('h1').evaluate((e) => getComputedStyle(e).fontFamily)
  assert.match(h1, /GDS Transport/, 'the heading uses the GOV.UK typeface')
  assert.equal(await page.locator('.npq-signed-in').count(), 0, 'nobody is shown as signed in')
}

// Fills the sign-in form and presses its button; returns the document responses on the way.
async function signIn (tools, email, password) {
  const { page } = tools
  await page.getByLabel('Email address').fill(email)
  await page.getByLabel('Password', { exact: true }).fill(password)
  return submit(tools, page.locator('main').getByRole('button', { name: 'Sign in' }))
}

// The home page where a sign-in without a destination lands: what to do next, a part for the
// person's role, the navigation marking Home, and nothing wider than a phone.
async function checkHomePage (tools, person, role) {
  const { page } = tools
  assert.equal(await page.title(), 'Home – NPQ')
  assert.equal(await text(page.locator('h1')), 'What to do next')
  assert.equal(await text(page.locator('main .govuk-caption-l')), person.name)
  assert.deepEqual(await page.locator('main [data-home-part]').evaluateAll((ps) => ps.map((p) => p.dataset.homePart)),
    [role], 'one part, for their role')
  assert.ok(await page.locator('main [data-home-list] h3').count() > 0, 'the part has its lists')
  const current = page.locator('.govuk-service-navigation__link[aria-current=page]')
  assert.equal(await text(current), 'Home', 'the navigation marks the home page')
}

async function checkAccountPage (tools, person, roleTitle) {
  const { page } = tools
  assert.equal(await page.title(), 'Your account – NPQ')
  assert.equal(await text(page.locator('h1')), 'Your account')
  const rows = await page.locator('main .govuk-summary-list__row').evaluateAll((rs) => rs.map((r) => [
    r.querySelector('dt').textContent.trim(), r.querySelector('dd').textContent.replace(/\s+/g, ' ').trim()]))
  assert.deepEqual(rows, [['Name', person.name], ['Email address', person.email], ['Roles', roleTitle]])
  await soft(tools, 'the header says who is signed in', async () => {
    const header = page.locator('.npq-signed-in')
    assert.equal(await header.count(), 1, 'the page has the signed-in header (.npq-signed-in)')
    assert.equal(await text(header.locator('p')), `Signed in as ${person.name}`)
    assert.equal(await text(header.locator('strong')), person.name)
    assert.equal(await header.getByRole('button', { name: 'Sign out' }).count(), 1, 'a Sign out button in the header')
  })
  const current = page.locator('.govuk-service-navigation__link[aria-current=page]')
  assert.equal(await text(current), 'Your account', 'the navigation marks the account page')
}

// The message's link to path (/password-reset or /invitation) on this server, after checking the
// headers and the body's format: one text/plain part, UTF-8, sent 8bit.
function checkMail (message, person, subject, linkPath) {
  assert.equal(message.header('From'), MAIL_FROM)
  assert.equal(message.header('To'), person.email)
  assert.equal(message.header('X-RcptTo'), person.email, 'the envelope names only the recipient')
  assert.equal(message.header('X-MailFrom'), MAIL_FROM, 'the envelope sender')
  assert.equal(message.subject, subject)
  assert.equal(message.header('MIME-Version'), '1.0')
  assert.match(message.contentType, /^text\/plain;\s*charset=utf-8$/i)
  assert.equal(message.transferEncoding, '8bit')
  assert.match(message.header('Date'), /^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000$/)
  assert.match(message.header('Message-ID'), /^<[^<>\s]+@npq\.example\.test>$/)
  assert.ok(message.body.startsWith(`Dear ${person.name},\n`), `the message greets ${person.name}: ${JSON.stringify(message.body.slice(0, 60))}`)
  const escaped = server.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const links = [...message.body.matchAll(new RegExp(`^${escaped}${linkPath}/([A-Za-z0-9_-]+)$`, 'gm'))]
  assert.equal(links.length, 1, `one ${linkPath} link to ${server.url} on a line of its own:\n${message.body}`)
  assert.ok(!/https?:\/\//.test(message.body.replace(links[0][0], '')), 'no other link in the message')
  return { url: links[0][0], pathname: new URL(links[0][0]).pathname }
}

// A page for choosing a password from an emailed link.
async function checkLinkForm (page, person, { heading, button }) {
  assert.equal(await page.title(), `${heading} – NPQ`)
  assert.equal(await text(page.locator('h1')), heading)
  assert.equal(await text(page.locator('main p.govuk-body').first()),
    `${person.name}, your email address for signing in is ${person.email}.`)
  assert.equal(await text(page.locator('main p.govuk-body strong')), person.email)
  assert.equal(await text(page.locator('#password-hint')), 'At least 12 characters. A good password is three or more random words.')
  assert.deepEqual(await page.getByLabel('Password', { exact: true }).evaluate((i) => [i.type, i.autocomplete]), ['password', 'new-password'])
  assert.deepEqual(await page.getByLabel('Confirm password').evaluate((i) => [i.type, i.autocomplete]), ['password', 'new-password'])
  assert.equal(await page.locator('main').getByRole('button', { name: button }).count(), 1)
}

async function choosePassword (tools, password, confirmation, button) {
  await tools.page.getByLabel('Password', { exact: true }).fill(password)
  await tools.page.getByLabel('Confirm password').fill(confirmation)
  return submit(tools, tools.page.locator('main').getByRole('button', { name: button }))
}

async function checkNotice (tools, message) {
  await soft(tools, `the success banner "${message}"`, async () => {
    const banner = tools.page.locator('.govuk-notification-banner--success')
    assert.equal(await banner.count(), 1, `a success banner on ${tools.page.url()}`)
    assert.equal(await banner.getAttribute('role'), 'alert')
    assert.equal(await text(banner.locator('.govuk-notification-banner__title')), 'Success')
    assert.equal(await text(banner.locator('.govuk-notification-banner__heading')), message)
  })
}

// ---- The scenarios ----

describe('signing in and out (phone, 360 px)', () => {
  it('sends a signed-out visitor to sign in, refuses a wrong password, signs in and out', async () => {
    await withPage(PHONE, async (tools) => {
      const { page, allow } = tools

      // A page that needs an account sends the visitor to sign in, and remembers where they were going.
      assert.deepEqual(await visit(tools, '/account'), ['GET 303 /account', 'GET 200 /sign-in'])
      assert.deepEqual(here(page), { path: '/sign-in', query: { next: '/account' } })
      await checkSignInForm(page, '/account')
      await noHorizontalScroll(page, 360)

      // A wrong password: 401 and the GOV.UK error pattern, with the email kept and the password not.
      allow(401, 'POST', '/sign-in')
      assert.deepEqual(await signIn(tools, ADMIN.email, 'not-the-right-password-9'), ['POST 401 /sign-in'])
      await checkErrors(page, 'email', REFUSED)
      assert.equal(await page.getByLabel('Email address').inputValue(), ADMIN.email, 'the email is kept')
      assert.equal(await page.getByLabel('Password', { exact: true }).inputValue(), '', 'the password is not sent back')
      assert.equal(await page.locator('main input[name=next]').inputValue(), '/account', 'still going to /account')
      await noHorizontalScroll(page, 360)
      await shoot(page, 'sign-in-error-phone-360.png')
      await followErrorLink(tools, 'email')

      // The right password: a fresh session, then the page the visitor was going to.
      assert.deepEqual(await signIn(tools, ADMIN.email, ADMIN.password), ['POST 303 /sign-in', 'GET 200 /account'])
      assert.deepEqual(here(page), { path: '/account', query: {} })
      await checkAccountPage(tools, ADMIN, 'Provider administrator')
      const session = (await page.context().cookies()).find((c) => c.name === 'npq_session')
      assert.ok(session, 'a session cookie')
      assert.equal(session.httpOnly, true, 'the session cookie is HttpOnly')
      assert.equal(session.sameSite, 'Lax')
      await frontendStarted(page)
      await noHorizontalScroll(page, 360)
      await shoot(page, 'account-phone-360.png')

      // Sign out with the header's button. (Without one, "Sign out everywhere" on the account page
      // is the only way out; it is used instead so that the steps after this still run.)
      let signOut = page.locator('.npq-signed-in').getByRole('button', { name: 'Sign out', exact: true })
      let signOutPath = '/sign-out'
      if (await signOut.count() === 0) {
        tools.defects.push('no Sign out button in the header: signed out with "Sign out everywhere" instead')
        signOut = page.locator('main').getByRole('button', { name: 'Sign out everywhere' })
        signOutPath = '/account/sign-out-everywhere'
      }
      assert.deepEqual(await submit(tools, signOut), [`POST 303 ${signOutPath}`, 'GET 200 /sign-in'])
      assert.deepEqual(here(page), { path: '/sign-in', query: { done: 'signed-out' } })
      await checkNotice(tools, 'You have signed out.')
      await checkSignInForm(page, '/')
      assert.equal((await page.context().cookies()).find((c) => c.name === 'npq_session'), undefined, 'the session cookie is gone')
      await shoot(page, 'signed-out-phone-360.png')

      // Signed out for real: the account page sends them to sign in again.
      assert.deepEqual(await visit(tools, '/account'), ['GET 303 /account', 'GET 200 /sign-in'])
      assert.deepEqual(here(page), { path: '/sign-in', query: { next: '/account' } })

      // Signing in with nowhere in particular to go lands on the home page, which fits a phone.
      assert.deepEqual(await visit(tools, '/sign-in'), ['GET 200 /sign-in'])
      assert.deepEqual(await signIn(tools, ADMIN.email, ADMIN.password), ['POST 303 /sign-in', 'GET 200 /'])
      await checkHomePage(tools, ADMIN, 'admin')
      await noHorizontalScroll(page, 360)
      await shoot(page, 'home-phone-360.png')
    })
  })
})

describe('resetting a forgotten password by email (desktop)', () => {
  it('emails a link that sets a new password once', async () => {
    await withPage(DESKTOP, async (tools) => {
      const { page, allow } = tools
      const unknown = 'nobody.here@example.test'

      await visit(tools, '/sign-in')
      const forgotten = page.getByRole('link', { name: 'Forgotten your password?' })
      await Promise.all([page.waitForEvent('load'), forgotten.click()])
      assert.deepEqual(here(page), { path: '/password-reset', query: {} })
      assert.equal(await text(page.locator('h1')), 'Reset your password')

      // An address with no account gets the same answer as one with an account (and no email).
      await page.getByLabel('Email address').fill(unknown)
      assert.deepEqual(await submit(tools, page.locator('main').getByRole('button', { name: 'Send the link' })),
        ['POST 200 /password-reset'])
      assert.equal(await text(page.locator('h1')), 'Check your email')
      await visit(tools, '/password-reset')

      await page.getByLabel('Email address').fill(RESETTER.email)
      assert.deepEqual(await submit(tools, page.locator('main').getByRole('button', { name: 'Send the link' })),
        ['POST 200 /password-reset'])
      assert.equal(await page.title(), 'Check your email – NPQ')
      assert.equal(await text(page.locator('h1')), 'Check your email')
      assert.equal(await text(page.locator('main p.govuk-body')),
        `If ${RESETTER.email} has an account, we have sent it a link to reset the password. The link lasts 1 hour.`)

      // The email, delivered over SMTP. The outbox is sent oldest first, so by now a message to the
      // unknown address would have arrived too.
      const mail = await sink.nextMessage({ to: RESETTER.email, subject: RESET_SUBJECT, timeoutMs: MAIL_TIMEOUT_MS })
      const link = checkMail(mail, RESETTER, RESET_SUBJECT, '/password-reset')
      assert.match(mail.body, /The link works once and lasts 1 hour\./)
      assert.deepEqual(sink.messages().filter((m) => m.header('To') === unknown).map((m) => m.subject), [],
        'no email to an address without an account')

      // The link opens the form, which names the person.
      assert.deepEqual(await visit(tools, link.url), [`GET 200 ${link.pathname}`])
      await checkLinkForm(page, RESETTER, { heading: 'Choose a new password', button: 'Change password' })
      await frontendStarted(page)
      await shoot(page, 'password-reset-form-desktop-1280.png')

      // Too short: 422 with the rule, and the link still works.
      allow(422, 'POST', link.pathname)
      assert.deepEqual(await choosePassword(tools, 'short-one', 'short-one', 'Change password'), [`POST 422 ${link.pathname}`])
      await checkErrors(page, 'password', 'Password must be 12 characters or more')
      await followErrorLink(tools, 'password')
      assert.equal(await page.getByLabel('Password', { exact: true }).inputValue(), '', 'the password is not sent back')
      await shoot(page, 'password-reset-error-desktop-1280.png')

      // Not the same twice: 422 on the confirmation.
      allow(422, 'POST', link.pathname)
      assert.deepEqual(await choosePassword(tools, RESETTER.newPassword, `${RESETTER.newPassword}x`, 'Change password'),
        [`POST 422 ${link.pathname}`])
      await checkErrors(page, 'confirmation', 'The passwords do not match')

      // A good one: set, and sent to sign in with it.
      assert.deepEqual(await choosePassword(tools, RESETTER.newPassword, RESETTER.newPassword, 'Change password'),
        [`POST 303 ${link.pathname}`, 'GET 200 /sign-in'])
      assert.deepEqual(here(page), { path: '/sign-in', query: { done: 'password' } })
      await checkNotice(tools, 'Your password is set. Sign in with it now.')

      // The old password no longer works; the new one does.
      allow(401, 'POST', '/sign-in')
      assert.deepEqual(await signIn(tools, RESETTER.email, RESETTER.password), ['POST 401 /sign-in'])
      await checkErrors(page, 'email', REFUSED)
      assert.deepEqual(await signIn(tools, RESETTER.email, RESETTER.newPassword), ['POST 303 /sign-in', 'GET 200 /'])
      await checkHomePage(tools, RESETTER, 'admin')
      assert.deepEqual(await visit(tools, '/account'), ['GET 200 /account'])
      await checkAccountPage(tools, RESETTER, 'Provider administrator')

      // The link worked once.
      allow(404, 'GET', link.pathname)
      assert.deepEqual(await visit(tools, link.url), [`GET 404 ${link.pathname}`])
      assert.equal(await text(page.locator('h1')), 'This link has expired or been used')
      assert.equal(await page.getByLabel('Password', { exact: true }).count(), 0, 'no form')
    })
  })
})

describe('accepting an invitation (desktop)', () => {
  it('npq user add emails an invitation whose link sets the first password', async () => {
    // Added while the server runs: the server's mailer sends what the command queued.
    const added = await userAdd(server.bin, server.db, INVITED, 'participant', { baseUrl: server.url })
    assert.match(added.stdout, /^\d+\n$/, 'the new id on standard output')
    assert.match(added.stderr, /an invitation to set a password is queued/)

    const mail = await sink.nextMessage({ to: INVITED.email, subject: INVITE_SUBJECT, timeoutMs: MAIL_TIMEOUT_MS })
    const link = checkMail(mail, INVITED, INVITE_SUBJECT, '/invitation')
    assert.match(mail.body, new RegExp(`Your email address for signing in is ${INVITED.email.replace(/\./g, '\\.')}\\.`))
    assert.match(mail.body, /lasts 7 days/)

    await withPage(DESKTOP, async (tools) => {
      const { page } = tools
      assert.deepEqual(await visit(tools, link.url), [`GET 200 ${link.pathname}`])
      await checkLinkForm(page, INVITED, { heading: 'Set your password', button: 'Set password' })
      await frontendStarted(page)
      await shoot(page, 'invitation-form-desktop-1280.png')

      assert.deepEqual(await choosePassword(tools, INVITED.password, INVITED.password, 'Set password'),
        [`POST 303 ${link.pathname}`, 'GET 200 /sign-in'])
      await checkNotice(tools, 'Your password is set. Sign in with it now.')

      assert.deepEqual(await signIn(tools, INVITED.email, INVITED.password), ['POST 303 /sign-in', 'GET 200 /'])
      await checkHomePage(tools, INVITED, 'participant')
      await noHorizontalScroll(page, 1280)
      assert.deepEqual(await visit(tools, '/account'), ['GET 200 /account'])
      await checkAccountPage(tools, INVITED, 'Participant')
      await frontendStarted(page)
      await shoot(page, 'account-invited-desktop-1280.png')
    })
  })
})

// Gaps these tests once found, kept so that they cannot come back.
describe('fixed gaps', () => {
  it('an account made with --password-stdin is sent no invitation', () => {
    // The two were queued before the server started, and the outbox is sent oldest first, so
    // any invitation to them was delivered before the later mail the scenarios above waited for.
    const invitations = sink.messages()
      .filter((m) => [ADMIN.email, RESETTER.email].includes(m.header('To')) && m.subject === INVITE_SUBJECT)
      .map((m) => `${m.header('To')}: ${m.body.match(/^http\S+$/m)?.[0]}`)
    assert.deepEqual(invitations, [], 'no invitation to people who were given a password')
  })

  it('a new password retires the older reset links', async () => {
    await withPage(DESKTOP, async (tools) => {
      const { page, allow } = tools
      const links = []
      for (let i = 0; i < 2; i++) {
        await visit(tools, '/password-reset')
        await page.getByLabel('Email address').fill(ADMIN.email)
        await submit(tools, page.locator('main').getByRole('button', { name: 'Send the link' }))
        const mail = await sink.nextMessage({ to: ADMIN.email, subject: RESET_SUBJECT, timeoutMs: MAIL_TIMEOUT_MS })
        links.push(checkMail(mail, ADMIN, RESET_SUBJECT, '/password-reset'))
      }
      assert.notEqual(links[0].url, links[1].url)
      await visit(tools, links[1].url)
      assert.deepEqual(await choosePassword(tools, 'amber-falcon-river-31', 'amber-falcon-river-31', 'Change password'),
        [`POST 303 ${links[1].pathname}`, 'GET 200 /sign-in'])
      allow(404, 'GET', links[0].pathname)
      assert.deepEqual(await visit(tools, links[0].url), [`GET 404 ${links[0].pathname}`], 'the older link no longer works')
    })
  })

  it('a refused form puts "Error: " at the start of the page title', async () => {
    await withPage(DESKTOP, async (tools) => {
      tools.allow(401, 'POST', '/sign-in')
      await visit(tools, '/sign-in')
      assert.deepEqual(await signIn(tools, ADMIN.email, 'not-the-right-password-9'), ['POST 401 /sign-in'])
      assert.equal(await tools.page.title(), 'Error: Sign in – NPQ')
    })
  })
})
