'use strict'
// The home page of every demo role in a browser, on the living demo (`npq demo --programme`):
// signing in lands there, its lists are GOV.UK summary lists that stack on a 360 px phone and sit
// side by side at 1,280 px without anything wider than the window, and a participant's menu
// reaches their events, hours, pathway and transcript.
//
//   NPQ_BIN=build/npq node --test --test-concurrency=1 tests/browser/home.test.js
const { describe, it, before, after } = require('node:test')
const assert = require('node:assert/strict')
const { execFileSync } = require('node:child_process')
const fs = require('node:fs')
const path = require('node:path')
const { chromium } = require('playwright-core')
const { startServer } = require('./server')

const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium'
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-quic', '--disable-sync']
const SHOTS = '/tmp/npq-shots'
const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }
const DESKTOP = { viewport: { width: 1280, height: 800 } }

let server
let browser
let signIns // [{ email, role }] as npq demo printed them
let password

before(async () => {
  fs.mkdirSync(SHOTS, { recursive: true })
  server = await startServer({
    prepare: async (db, bin) => {
      const out = execFileSync(bin, ['demo', '--db', db, '--programme'], { encoding: 'utf8' })
      password = /password for all: (\S+)\)/.exec(out)[1]
      signIns = [...out.matchAll(/^ {2}(.+?) {2,}(\S+@\S+) /gm)].map((m) => ({ role: m[1].trim(), email: m[2] }))
    }
  })
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 20000 })
})

after(async () => {
  if (browser) await browser.close().catch(() => {})
  if (server) await server.stop().catch(() => {})
})

async function signedIn (options, email) {
  const context = await browser.newContext(options)
  const page = await context.newPage()
  const errors = []
  page.on('pageerror', (err) => errors.push(err.message))
  await page.goto(`${server.url}/sign-in`)
  await page.getByLabel('Email address').fill(email)
  await page.getByLabel('Password', { exact: true }).fill(password)
  const button = page.locator('main').getByRole('button', { name: 'Sign in' })
  await Promise.all([page.waitForURL(`${server.url}/`), options.hasTouch ? button.tap() : button.click()])
  return { context, page, errors }
}

for (const [name, options] of [['phone, 360 px', PHONE], ['desktop, 1,280 px', DESKTOP]]) {
  describe(`every role's home (${name})`, () => {
    it('lands there after signing in, lists what to do, and fits the window', async () => {
      assert.equal(signIns.length, 8, 'a sign-in for every role')
      for (const { email, role } of signIns) {
        const { context, page, errors } = await signedIn(options, email)
        try {
          assert.equal(await page.locator('h1').textContent(), 'What to do next', `${role}: the home`)
          assert.ok(await page.locator('main .govuk-summary-list__row').count() > 0, `${role}: something to do`)
          assert.equal(await page.locator('main table').count(), 0, `${role}: no tables to overflow`)
          const width = options.viewport.width
          const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth)
          assert.ok(scrollWidth <= width, `${role}: nothing wider than ${width} px (scrollWidth ${scrollWidth})`)
          assert.deepEqual(errors, [], `${role}: no script errors`)
          await page.screenshot({ path: path.join(SHOTS, `home-${email.split('@')[0]}-${width}.png`), fullPage: true })
        } finally {
          await context.close()
        }
      }
    })
  })
}

describe('the participant menu', () => {
  it('reaches their events, hours, pathway and transcript', async () => {
    const { context, page } = await signedIn(DESKTOP, 'participant@demo.npq.test')
    try {
      const nav = page.locator('.govuk-service-navigation__list')
      for (const label of ['Events', 'Hours', 'Pathway', 'Transcript']) {
        const link = nav.getByRole('link', { name: label, exact: true })
        assert.equal(await link.count(), 1, `the menu has ${label}`)
        const response = await Promise.all([page.waitForEvent('load'), link.click()]).then(() => page.url())
        const status = await page.evaluate(() => document.title)
        assert.doesNotMatch(status, /not found|problem/i, `${label} leads to a page (${response})`)
        await page.goto(`${server.url}/`)
      }
      await nav.getByRole('link', { name: 'Hours', exact: true }).click()
      await page.waitForURL(/\/enrolments\/\d+\/hours$/)
      assert.equal(await page.locator('.govuk-service-navigation__link[aria-current=page]').textContent(), 'Hours',
        'the hours page marks Hours in the menu')
    } finally {
      await context.close()
    }
  })
})
