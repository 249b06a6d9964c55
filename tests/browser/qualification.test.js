// The NPQSL qualification page in a real browser, at desktop and phone widths: content, GOV.UK
// styling, the front-end JavaScript running under the CSP, no horizontal scroll on a phone, no
// console errors or failed requests; then a module page and the framework page.
//
//   NPQ_BIN=build/npq node --test --test-concurrency=1 tests/browser/
'use strict'

const { describe, it, before, after } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { chromium } = require('playwright-core')
const { startServer } = require('./server')

const SHOTS = '/tmp/npq-shots'
const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium'
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-quic', '--disable-sync']
const STEP_TIMEOUT_MS = 10000

const NPQSL_TITLE = 'National Professional Qualification for Senior Leadership'
const STRANDS = ['Educational excellence', 'Operational management', 'Strategic leadership']
const ESSENTIAL = ['Closing the gap', 'Succeeding in senior leadership']
const ELECTIVE = [
  'Improving the quality of teaching', 'Research and development in teaching',
  'Effective whole school management', 'School self-evaluation', 'Leading professional development',
  'Leading change for improvement', 'Leading in a diverse system', 'Effective partnership working'
]
const NPQSL_AREAS = [
  'School Culture', 'Teaching', 'Curriculum and Assessment', 'Behaviour',
  'Additional and Special Educational Needs and Disabilities', 'Professional Development',
  'Organisational Management', 'Implementation', 'Working in Partnership', 'Governance and Accountability'
]

const DESKTOP = { viewport: { width: 1280, height: 800 } }
const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }

let server
let browser

before(async () => {
  server = await startServer()
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 20000 })
  fs.mkdirSync(SHOTS, { recursive: true })
})

after(async () => {
  // Each step on its own, so that a failure in one still runs the other.
  if (browser) await browser.close().catch(() => {})
  if (server) {
    const exit = await server.stop()
    if (exit.code !== 0) console.warn(`npq did not exit cleanly on SIGTERM: ${JSON.stringify(exit)} ${server.output.stderr.trim()}`)
  }
})

// A fresh context and page that records everything that went wrong while it was open.
async function openPage (options) {
  const context = await browser.newContext({ ...options, baseURL: server.url })
  context.setDefaultTimeout(STEP_TIMEOUT_MS)
  const page = await context.newPage()
  const problems = []
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()} (${msg.location().url})`)
  })
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`))
  page.on('requestfailed', (req) => {
    // A request the page itself abandoned by moving on (a favicon still loading when a form is
    // sent) is not a failure of the server; refusals, resets and 4xx/5xx still count.
    if (req.failure()?.errorText === 'net::ERR_ABORTED') return
    problems.push(`request failed: ${req.url()} ${req.failure()?.errorText}`)
  })
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`)
  })
  return { context, page, problems }
}

async function withPage (options, fn) {
  const { context, page, problems } = await openPage(options)
  try {
    await fn(page)
    // Let late requests (fonts, the lazily imported govuk-frontend module) settle before judging.
    await page.waitForLoadState('networkidle', { timeout: 5000 }).catch(() => {})
    assert.deepEqual(problems, [], 'no console errors, page errors or failed requests')
  } finally {
    await context.close().catch(() => {})
  }
}

async function goto (page, url) {
  const response = await page.goto(url, { waitUntil: 'load' })
  assert.equal(response.status(), 200, `${url} answers 200`)
}

async function checkQualificationPage (page) {
  assert.equal((await page.locator('h1').innerText()).trim(), NPQSL_TITLE)
  assert.equal((await page.locator('[data-testid=rule]').innerText()).trim(), '2 essential and 2 elective modules')

  const strands = await page.locator('section.npq-strand h3').allInnerTexts()
  assert.deepEqual(strands.map((s) => s.trim()), STRANDS)

  const main = page.locator('main')
  for (const name of [...ESSENTIAL, ...ELECTIVE]) {
    assert.equal(await main.getByRole('link', { name, exact: true }).count(), 1, `module link "${name}" is shown once`)
  }
  const essential = await page.locator('section.npq-strand h4:text-is("Essential") + ul a').allInnerTexts()
  assert.deepEqual(essential.map((s) => s.trim()).sort(), [...ESSENTIAL].sort(), 'the essential modules')
  const elective = await page.locator('section.npq-strand h4:text-is("Elective") + ul a').allInnerTexts()
  assert.deepEqual(elective.map((s) => s.trim()).sort(), [...ELECTIVE].sort(), 'the elective modules')

  // The GOV.UK stylesheet applied: the typeface and the heading size of govuk-heading-xl. (GOV.UK
  // Frontend sets the typeface on its classes, not on <body>, so body itself keeps the default.)
  const style = await page.evaluate(() => {
    const font = (selector) => getComputedStyle(document.querySelector(selector)).fontFamily
    const h1 = getComputedStyle(document.querySelector('h1'))
    return {
      h1Font: h1.fontFamily,
      h1Size: parseFloat(h1.fontSize),
      h1Weight: h1.fontWeight,
      textFonts: ['main .govuk-body-l', 'main .govuk-summary-list', 'main .govuk-list', '.govuk-service-navigation']
        .map((selector) => [selector, font(selector)])
    }
  })
  assert.match(style.h1Font, /GDS Transport/, 'h1 uses the GOV.UK typeface')
  assert.equal(style.h1Weight, '700', 'h1 is bold')
  for (const [selector, family] of style.textFonts) assert.match(family, /GDS Transport/, `${selector} uses the GOV.UK typeface`)
  const loaded = await page.evaluate(async () => {
    await document.fonts.ready
    return [...document.fonts].filter((f) => f.family.includes('GDS Transport') && f.status === 'loaded').length
  })
  assert.ok(loaded > 0, 'the GDS Transport font file loaded (font-src self)')

  // app.js ran (js-enabled) and found govuk-frontend supported; then initAll ran.
  await page.waitForFunction(() => document.body.classList.contains('js-enabled') &&
    document.body.classList.contains('govuk-frontend-supported'), null, { timeout: 5000 })
  return style
}

async function shoot (page, name) {
  await page.evaluate(() => document.fonts.ready)
  await page.screenshot({ path: path.join(SHOTS, name), fullPage: true })
}

describe('NPQSL qualification page', () => {
  it('is complete and styled at desktop width (1280 px)', async () => {
    await withPage(DESKTOP, async (page) => {
      await goto(page, '/qualifications/NPQSL')
      const style = await checkQualificationPage(page)
      assert.equal(style.h1Size, 48, 'govuk-heading-xl is 48 px on a wide screen')
      // On a wide screen the navigation is shown in full and the Menu toggle stays hidden.
      await page.getByRole('link', { name: 'Frameworks', exact: true }).waitFor({ state: 'visible' })
      assert.equal(await page.locator('.govuk-service-navigation__toggle').isVisible(), false)
      await shoot(page, 'npqsl-desktop-1280.png')
    })
  })

  it('is complete, styled and fits at phone width (360 px)', async () => {
    await withPage(PHONE, async (page) => {
      await goto(page, '/qualifications/NPQSL')
      const style = await checkQualificationPage(page)
      assert.equal(style.h1Size, 32, 'govuk-heading-xl is 32 px on a small screen')
      // govuk-frontend's service navigation shows the Menu toggle below its breakpoint.
      const toggle = page.getByRole('button', { name: 'Menu' })
      await toggle.waitFor({ state: 'visible', timeout: 5000 })
      assert.equal(await toggle.getAttribute('aria-expanded'), 'false')
      const scroll = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        clientWidth: document.documentElement.clientWidth
      }))
      assert.ok(scroll.scrollWidth <= 360, `no horizontal scroll at 360 px (scrollWidth ${scroll.scrollWidth})`)
      await shoot(page, 'npqsl-phone-360.png')
      // The toggle opens the navigation.
      await toggle.click()
      assert.equal(await toggle.getAttribute('aria-expanded'), 'true')
      await page.locator('#navigation').getByRole('link', { name: 'Frameworks' }).waitFor({ state: 'visible' })
      await shoot(page, 'npqsl-phone-360-menu-open.png')
    })
  })

  it('links to a module page that names the qualifications it counts towards', async () => {
    await withPage(DESKTOP, async (page) => {
      await goto(page, '/qualifications/NPQSL')
      await Promise.all([
        page.waitForURL('**/modules/closing-the-gap'),
        page.locator('main').getByRole('link', { name: 'Closing the gap', exact: true }).click()
      ])
      assert.equal((await page.locator('h1').innerText()).trim(), 'Closing the gap')
      const heading = page.getByRole('heading', { name: 'Counts towards' })
      assert.equal(await heading.count(), 1, 'a "Counts towards" heading')
      const towards = await page.locator('h2:text-is("Counts towards") + ul a').evaluateAll(
        (links) => links.map((a) => a.getAttribute('href')))
      assert.deepEqual(towards, ['/qualifications/NPQSL', '/qualifications/NPQH'])
      const items = await page.locator('h2:text-is("Counts towards") + ul li').allInnerTexts()
      assert.match(items[0], /Senior Leadership.*\(essential\)/)
      assert.match(items[1], /Headship.*\(elective\)/)
      await shoot(page, 'module-closing-the-gap-desktop-1280.png')
    })
  })
})

describe('NPQSL framework page', () => {
  it('has its ten areas', async () => {
    await withPage(DESKTOP, async (page) => {
      await goto(page, '/frameworks/npqsl')
      const headings = await page.locator('section.npq-area > h2').allInnerTexts()
      assert.deepEqual(headings.map((h) => h.trim()), NPQSL_AREAS.map((title, i) => `${i + 1}. ${title}`))
      // The contents list links to each area.
      assert.equal(await page.locator('main ol.govuk-list--number a[href^="#area-"]').count(), 10)
      await shoot(page, 'framework-npqsl-desktop-1280.png')
    })
  })
})
