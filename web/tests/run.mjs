// The browser tests: playwright-core drives Chromium headless against `salesradar serve` on a
// loopback port with a fresh database, through the scenarios a user meets first. Each scenario
// is one step; a failed step is reported with its error and a screenshot, and the run goes on
// with the next one. Screenshots of every page at desktop and phone width go to
// docs/screenshots/, and the dashboard's load time to docs/benchmarks.md.
//
// Usage: node web/tests/run.mjs --binary build/src/cli/salesradar [--chromium /usr/bin/chromium]
//        [--root REPO] [--no-write-docs]
import { mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { chromium } from 'playwright-core'
import { ApiSession } from './api.mjs'
import { recordDashboardTiming } from './benchmark.mjs'
import { startFakeWecomRobot } from './fake_robot.mjs'
import { ADMIN, startServer } from './server.mjs'
import { createUsers, pickForeignOpportunity } from './users.mjs'

// The bundled event log runs from October 2011 to March 2012, so the dashboard's default period
// (the last four weeks) would be empty.
const DATA_PERIOD = 'start=2011-10-01&end=2012-03-31'

const { values: options } = parseArgs({
  options: {
    binary: { type: 'string' },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
    root: { type: 'string', default: resolve(import.meta.dirname, '..', '..') },
    'no-write-docs': { type: 'boolean', default: false },
  },
})
if (!options.binary) {
  console.error('usage: node web/tests/run.mjs --binary PATH_TO_SALESRADAR [--chromium PATH] [--root REPO]')
  process.exit(2)
}

const DESKTOP = { width: 1440, height: 900 }
const PHONE = { width: 375, height: 812 }
const STEP_TIMEOUT_MS = 15_000
const FAILURE_DIR = process.env.SALESRADAR_BROWSER_FAILURES ?? join(tmpdir(), 'salesradar-browser-failures')
const started = Date.now()
const results = []

function log(message) {
  console.log(`[${((Date.now() - started) / 1000).toFixed(1)}s] ${message}`)
}

// Runs one scenario and records whether it passed; a failure saves a screenshot for the report.
async function step(name, page, body) {
  const begin = Date.now()
  try {
    await body()
    results.push({ name, ok: true })
    log(`ok   ${name} (${Date.now() - begin} ms)`)
  } catch (error) {
    results.push({ name, ok: false, error })
    log(`FAIL ${name}: ${error.stack ?? error}`)
    if (page) {
      const file = join(FAILURE_DIR, `${name.replace(/\W+/g, '-')}.png`)
      mkdirSync(FAILURE_DIR, { recursive: true })
      await page.screenshot({ path: file }).catch(() => {})
      log(`     screenshot of the failure: ${file}`)
    }
  }
}

// Returns the text box of an Element Plus input. ElInput puts data-testid on the <input> or
// <textarea> itself, ElSelect on its wrapper, so both places are tried.
function textBox(page, testId) {
  const id = `[data-testid="${testId}"]`
  return page.locator(`input${id}, textarea${id}, ${id} input, ${id} textarea`).first()
}

function expect(condition, message) {
  if (!condition) throw new Error(message)
}

async function signIn(page, baseUrl, login, password) {
  await page.goto(`${baseUrl}/login`)
  await textBox(page, 'login-username').fill(login)
  await textBox(page, 'login-password').fill(password)
  await page.getByTestId('login-submit').click()
  await page.waitForURL((url) => !url.pathname.startsWith('/login'))
}

async function newPage(browser, viewport, locale = 'zh-CN') {
  const context = await browser.newContext({ viewport, locale, timezoneId: 'Asia/Shanghai', deviceScaleFactor: 1 })
  const page = await context.newPage()
  page.setDefaultTimeout(STEP_TIMEOUT_MS)
  page.on('pageerror', (error) => log(`page error: ${error.message}`))
  return page
}

async function main() {
  const server = await startServer({ binary: options.binary, root: options.root, log })
  const { baseUrl } = server
  let browser
  try {
    const admin = await ApiSession.signIn(baseUrl, ADMIN.login, ADMIN.password)
    const users = await createUsers(admin)
    log(`users: rep ${users.rep.login} (team ${users.rep.team}), manager ${users.manager.login} (team ${users.manager.team})`)

    browser = await chromium.launch({
      executablePath: options.chromium,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    })
    const page = await newPage(browser, DESKTOP)
    const context = { baseUrl, admin, users, page, browser, server }

    await step('sign in as admin', page, async () => {
      await signIn(page, baseUrl, ADMIN.login, ADMIN.password)
      await page.getByTestId('app-header').waitFor()
    })

    await step('alerts from the bundled data are listed', page, async () => {
      await page.goto(`${baseUrl}/alerts`)
      await page.getByTestId('alert-card').first().waitFor()
      expect((await page.getByTestId('alert-card').count()) > 0, 'no alert card on /alerts')
    })

    await step('acknowledge one alert', page, () => acknowledgeOne(page))
    await step('dashboard load time', page, () => measureDashboard(context))
    await step('create, backtest and publish a rule', page, () => createRule(context))
    await step('new alert appears live after POST /events', page, () => liveAlert(context))
    await step('notifications: WeCom channel and test message', page, () => notifyAdmin(context))
    await step('switch to English', page, () => switchToEnglish(page))
    await step('rep cannot open another team\'s opportunity', null, () => repIsolation(context))
    await step('screenshots at desktop and phone width', null, () => takeScreenshots(context))
  } finally {
    await browser?.close()
    await server.stop()
  }

  const failed = results.filter((result) => !result.ok)
  log(`${results.length - failed.length} of ${results.length} browser scenarios passed`)
  if (failed.length > 0) {
    for (const result of failed) log(`failed: ${result.name}: ${result.error?.message ?? result.error}`)
    process.exitCode = 1
  }
}

async function acknowledgeOne(page) {
  const card = page.locator('[data-testid="alert-card"][data-status="open"]').first()
  await card.waitFor()
  const alertId = await card.getAttribute('data-alert-id')
  await card.getByTestId('alert-acknowledge').click()
  const updated = page.locator(`[data-testid="alert-card"][data-alert-id="${alertId}"]`)
  await updated.and(page.locator('[data-status="acknowledged"]')).waitFor()
}

async function measureDashboard({ baseUrl, page }) {
  await page.goto('about:blank')
  await page.goto(`${baseUrl}/dashboard?${DATA_PERIOD}`)
  await page.locator('[data-testid="chart-by-week"] canvas').first().waitFor()
  await page.locator('[data-testid="chart-by-rule"] canvas').first().waitFor()
  // Charts draw on the next animation frame after the canvas is attached.
  const milliseconds = await page.evaluate(
    () => new Promise((done) => requestAnimationFrame(() => done(performance.now()))),
  )
  log(`dashboard: navigation start to charts rendered in ${milliseconds.toFixed(0)} ms`)
  if (!options['no-write-docs']) {
    recordDashboardTiming(options.root, { milliseconds, chromium: options.chromium, baseUrl })
  }
}

const NEW_RULE_ID = 'large-offer-browser-test'

async function createRule({ baseUrl, page }) {
  await page.goto(`${baseUrl}/rules`)
  await page.getByTestId('pack-bpi2012').first().click()
  await page.getByTestId('rule-new').click()
  await page.getByTestId('rule-editor').waitFor()

  await textBox(page, 'rule-id').fill(NEW_RULE_ID)
  await textBox(page, 'rule-name-zh').fill('大额贷款报价')
  await textBox(page, 'rule-name-en').fill('Large loan offer')
  await selectOption(page, 'rule-kind', '条件')
  await textBox(page, 'rule-trigger-events').fill('O_SENT')
  await page.keyboard.press('Enter')
  await page.keyboard.press('Escape')
  await removeTag(page, 'rule-trigger-events', 'lead_created')

  // An invalid expression first: the server's checker must reject it.
  const condition = textBox(page, 'rule-trigger-condition')
  await condition.fill('event.payload.amount_requested >')
  await page.locator('[data-testid="rule-trigger-condition-check"][data-state="invalid"]').waitFor()
  await condition.fill('event.payload.amount_requested >= 20000')
  await page.locator('[data-testid="rule-trigger-condition-check"][data-state="valid"]').waitFor()

  await textBox(page, 'rule-message-zh').fill('申请「{subject.name}」发出了大额报价')
  await textBox(page, 'rule-message-en').fill("Application '{subject.name}' got a large offer")

  const yaml = await textBox(page, 'rule-yaml').inputValue()
  expect(yaml.includes(`id: ${NEW_RULE_ID}`), `the YAML view does not show the rule id:\n${yaml}`)
  expect(yaml.includes('O_SENT'), `the YAML view does not show the trigger event:\n${yaml}`)

  await page.getByTestId('rule-backtest').click()
  await page.getByTestId('backtest-chart').locator('canvas').waitFor({ timeout: 60_000 })
  const summary = await page.getByTestId('backtest-summary').innerText()
  log(`backtest: ${summary}`)

  await page.getByTestId('rule-publish').click()
  await page.locator('.el-message-box__btns .el-button--primary').click()
  await page.getByTestId('rules-table').waitFor()
  await page.getByTestId(`rule-edit-${NEW_RULE_ID}`).waitFor()
}

async function selectOption(page, testId, label) {
  await page.getByTestId(testId).click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: label }).first().click()
}

async function removeTag(page, testId, text) {
  const tag = page.getByTestId(testId).locator('.el-tag', { hasText: text })
  if ((await tag.count()) > 0) await tag.locator('.el-tag__close').click()
}

async function liveAlert({ baseUrl, admin, page }) {
  await page.goto(`${baseUrl}/alerts`)
  await page.getByTestId('alert-list').waitFor()
  const before = await page.locator('[data-testid="alert-card"]').evaluateAll(
    (cards) => cards.map((card) => card.getAttribute('data-alert-id')),
  )

  // A quote above 500,000 yuan without the compliance statement: b2b-default raises an alert.
  const opportunity = (await admin.get('/opportunities?limit=1')).items[0]
  await admin.post('/events', {
    id: `browser-test-${Date.now()}`,
    type: 'quote_sent',
    occurred_at: new Date().toISOString(),
    subject: { type: 'opportunity', id: String(opportunity.external_id) },
    payload: { total: { fen: 90_000_000, currency: 'CNY' }, list_total: { fen: 90_000_000, currency: 'CNY' } },
  })

  const isNew = (known) => {
    if (document.querySelector('[data-testid="alerts-new-banner"]')) return true
    return [...document.querySelectorAll('[data-testid="alert-card"]')]
      .some((card) => !known.includes(card.getAttribute('data-alert-id')))
  }
  await page.waitForFunction(isNew, before, { timeout: 10_000 })
  const banner = page.getByTestId('alerts-new-banner')
  if ((await banner.count()) > 0) await banner.click()
  await page.waitForFunction(
    (known) => [...document.querySelectorAll('[data-testid="alert-card"]')]
      .some((card) => !known.includes(card.getAttribute('data-alert-id'))),
    before,
  )
}

// Creates a WeCom channel that points at a local fake robot, sends a test message from the
// channel list and waits for it to arrive; the stored key shows only as 已设置.
async function notifyAdmin({ baseUrl, page }) {
  const robot = await startFakeWecomRobot({ key: 'browser-wecom-key' })
  try {
    await page.goto(`${baseUrl}/notify`)
    await page.getByTestId('page-notify').waitFor()
    await page.getByTestId('channel-new').click()
    await textBox(page, 'channel-name').fill('浏览器测试群')
    await textBox(page, 'channel-config-endpoint').fill(robot.endpoint)
    await textBox(page, 'channel-secret-key').fill('browser-wecom-key')
    await page.getByTestId('channel-save').click()

    const row = page.locator('[data-testid^="channel-row-"]', { hasText: '浏览器测试群' })
    await row.waitFor()
    const id = (await row.getAttribute('data-testid')).replace('channel-row-', '')
    await page.getByTestId(`channel-test-${id}`).click()
    await page.locator('.notify-test-sent').waitFor()
    const deadline = Date.now() + 10_000
    while (robot.arrivals.length === 0 && Date.now() < deadline) await page.waitForTimeout(100)
    expect(robot.arrivals.length === 1, `the fake robot received ${robot.arrivals.length} requests, expected 1`)
    expect(robot.arrivals[0].accepted, `the fake robot rejected the request: ${JSON.stringify(robot.arrivals[0].body)}`)
    const content = JSON.stringify(robot.arrivals[0].body)
    expect(content.includes('销售雷达测试消息'), `the test message does not read 销售雷达测试消息: ${content}`)

    await page.getByTestId(`channel-edit-${id}`).click()
    await page.getByTestId('channel-secret-set-key').waitFor()
    const shown = await textBox(page, 'channel-secret-key').inputValue()
    expect(shown === '', 'the edit form shows the stored robot key')
    await page.keyboard.press('Escape')
    await page.getByTestId('channel-dialog').waitFor({ state: 'hidden' })
    if (!options['no-write-docs']) {
      const directory = join(options.root, 'docs', 'screenshots')
      mkdirSync(directory, { recursive: true })
      await page.screenshot({ path: join(directory, 'notify-admin.png') })
    }
  } finally {
    await robot.stop()
  }
}

async function switchToEnglish(page) {
  await page.getByTestId('locale-switch').click()
  await page.getByTestId('locale-option-en').click()
  await page.getByTestId('nav-alerts').getByText('Alerts', { exact: false }).first().waitFor()
  const lang = await page.evaluate(() => document.documentElement.lang)
  expect(lang === 'en', `<html lang> is '${lang}' after switching to English`)
}

async function repIsolation({ baseUrl, admin, users, browser }) {
  const foreign = await pickForeignOpportunity(admin, users.rep)
  const page = await newPage(browser, DESKTOP)
  try {
    await signIn(page, baseUrl, users.rep.login, users.rep.password)

    // Through the UI: neither the alert list nor the pipeline shows the opportunity or its team.
    for (const [path, ready] of [['/alerts', 'alert-list'], ['/pipeline', 'pipeline-stages']]) {
      await page.goto(`${baseUrl}${path}`)
      await page.getByTestId(ready).or(page.getByTestId('state-empty')).first().waitFor()
      const text = await page.locator('main, #app').first().innerText()
      expect(!text.includes(foreign.name), `${path} shows ${foreign.name}, an opportunity of another team`)
      expect(!text.includes(foreign.team), `${path} shows team ${foreign.team}, which is not the rep's`)
    }

    // Through its URL: the page shows the error state with the server's message, not the record.
    await page.goto(`${baseUrl}/opportunities/${foreign.id}`)
    await page.getByTestId('state-error').waitFor()
    const nameShown = await page.getByTestId('opportunity-name').count()
    expect(nameShown === 0, 'the opportunity page shows the foreign opportunity')
  } finally {
    await page.context().close()
  }
}

// The pages to capture, in README order; `path` may depend on data found at run time.
function screenshotPages(foreignId) {
  return [
    { name: 'login', path: '/login', signedOut: true, ready: 'login-card' },
    { name: 'alerts', path: '/alerts', ready: 'alert-list' },
    { name: 'dashboard', path: `/dashboard?${DATA_PERIOD}`, ready: 'chart-by-week' },
    { name: 'pipeline', path: '/pipeline', ready: 'pipeline-stages' },
    { name: 'opportunity', path: `/opportunities/${foreignId}`, ready: 'opportunity-name' },
    { name: 'rules', path: '/rules', ready: 'page-rules' },
    // The phone layout lists rules as cards, so wait for the button that both layouts have.
    { name: 'rule-pack', path: '/rules/b2b-default', ready: 'rule-new' },
    { name: 'import', path: '/import', ready: 'import-upload' },
    { name: 'audit', path: '/audit', ready: 'page-audit' },
  ]
}

async function takeScreenshots({ baseUrl, admin, users, browser }) {
  const directory = join(options.root, 'docs', 'screenshots')
  mkdirSync(directory, { recursive: true })
  const opportunity = await pickForeignOpportunity(admin, users.rep)

  for (const [suffix, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
    const page = await newPage(browser, viewport)
    try {
      let signedIn = false
      for (const target of screenshotPages(opportunity.id)) {
        if (!target.signedOut && !signedIn) {
          await signIn(page, baseUrl, ADMIN.login, ADMIN.password)
          signedIn = true
        }
        await page.goto(`${baseUrl}${target.path}`)
        if (target.ready) await page.getByTestId(target.ready).first().waitFor()
        // The alert stream keeps a request open, so 'networkidle' never comes; wait for charts.
        await page.waitForTimeout(600)
        const file = join(directory, `${target.name}-${suffix}.png`)
        await page.screenshot({ path: file })
        if (suffix === 'phone') {
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
          if (overflow > 1) log(`warning: ${target.path} is ${overflow} px wider than the 375 px phone viewport`)
        }
      }
    } finally {
      await page.context().close()
    }
  }
  log(`screenshots written to ${directory}`)
}

main().catch((error) => {
  console.error(error.stack ?? error)
  process.exit(1)
})
