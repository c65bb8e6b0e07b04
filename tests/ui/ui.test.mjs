// UI flows in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core), against
// the built UI with IPC mocked (@tauri-apps/api/mocks in ui/mock/, a separate test build: the
// product bundle never contains the mock).
//
//   (cd ui && npm run build:mock) && node --test tests/ui/ui.test.mjs
//
// Flows: create an assessment, rate (with 不适用 and its explanation), deduct, the totals update
// live, autosave flushes on leaf switch, the completeness list jumps to its leaf.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import { createRequire } from 'node:module'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, extname, join, normalize, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const root = resolve(here, '..', '..')
const dist = join(root, 'ui', 'dist-mock')
const require = createRequire(join(root, 'ui', 'package.json'))
const { chromium } = require('playwright-core')

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.png': 'image/png', '.svg': 'image/svg+xml', '.woff2': 'font/woff2', '.woff': 'font/woff', '.ttf': 'font/ttf' }

let server, context, page, profile, url

before(async () => {
  assert.ok(existsSync(join(dist, 'mock', 'index.html')), `the UI test build is missing: (cd ui && npm run build:mock)`)
  server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '')
    const file = join(dist, path)
    if (!file.startsWith(dist) || !existsSync(file)) {
      res.writeHead(404).end()
      return
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' })
    res.end(readFileSync(file))
  })
  await new Promise((r) => server.listen(0, '127.0.0.1', r))
  url = `http://127.0.0.1:${server.address().port}/mock/index.html`
  profile = mkdtempSync(join(tmpdir(), 'ziping-ui-'))
  context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1280, height: 800 },
    locale: 'zh-CN',
  })
  page = context.pages()[0] ?? (await context.newPage())
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`))
  await page.goto(url)
})

after(async () => {
  await context?.close()
  server?.close()
  if (profile) rmSync(profile, { recursive: true, force: true })
})

const calls = (cmd) => page.evaluate((c) => window.__calls.filter((x) => x.cmd === c).map((x) => x.args), cmd)
const text = (css) => page.locator(css).first().innerText()

async function createAssessment(systemLabel, region) {
  await page.click('#create-button')
  await page.click('.el-select__wrapper:has(#create-system)')
  await page.locator('.el-select-dropdown__item', { hasText: systemLabel }).click()
  await page.fill('#create-region', region)
  await page.fill('#create-year', '2024')
  await page.click('#create-submit')
  await page.locator('#point-form').waitFor()
}

test('create: the new assessment opens on the workbench, titled, on its first leaf', async () => {
  await page.locator('#assessment-table').getByText('工作区中还没有评估').waitFor()
  await createAssessment('测试用计分体系', '示例县')
  assert.equal((await text('#point-code')).trim(), '1')
  assert.match(await text('#current-assessment'), /示例县2024年度履行教育职责自评/)
  const created = await calls('create_assessment')
  assert.deepEqual(created[0].new, { system_id: 'mock-points', system_version: null, region: '示例县', year: 2024, organ: null })
  const titles = await calls('plugin:window|set_title')
  assert.ok(titles.some((t) => String(t.value).includes('示例县2024年度')), `window title set: ${JSON.stringify(titles)}`)
})

test('deduct: the score updates live, autosave sends amount and reason, totals and tree follow', async () => {
  await page.click('#add-deduction')
  await page.fill('.deduction-amount input', '3.5')
  assert.match(await text('#point-score'), /本项得分 21\.5 \/ 25/)
  await page.fill('.deduction-reason input', '1所学校生均经费未达标')
  await page.locator('#save-state', { hasText: '已保存' }).waitFor()
  const saves = await calls('save_point')
  const last = saves.at(-1).edit
  assert.deepEqual(last.deductions, [{ amount: '3.5', reason: '1所学校生均经费未达标' }])
  // The header's headline comes back from the save: 21.5 of the scored leaf.
  await page.locator('#headline', { hasText: '21.5分' }).waitFor()
  assert.equal(await page.locator('[data-tree-code="1"]').getAttribute('data-status'), 'deducted')
  // An invalid amount is not sent, and says so.
  await page.fill('.deduction-amount input', '30')
  await page.getByText('扣分须为大于0、不超过满分的数').waitFor()
  await page.fill('.deduction-amount input', '3.5')
})

test('autosave: text typed just before a leaf switch is saved (Ctrl+↓ flushes)', async () => {
  await page.fill('#point-note', '经费按时足额拨付。')
  await page.keyboard.press('Control+ArrowDown')
  await page.locator('#point-code', { hasText: '2' }).waitFor()
  await page.locator('#save-state', { hasText: '已保存' }).waitFor()
  const notes = (await calls('save_point')).filter((a) => a.edit.point === '1' && a.edit.note !== undefined)
  assert.equal(notes.at(-1).edit.note, '经费按时足额拨付。')
  // Back on leaf 1 the note is still there.
  await page.keyboard.press('Control+ArrowUp')
  await page.locator('#point-code', { hasText: '1' }).waitFor()
  assert.equal(await page.inputValue('#point-note'), '经费按时足额拨付。')
})

test('totals: scoring the other leaves gives the grade on 总览; the completeness jump opens the leaf', async () => {
  // Ctrl+F finds a leaf by title.
  await page.keyboard.press('Control+f')
  await page.keyboard.type('教师')
  await page.keyboard.press('Enter')
  await page.locator('#point-code', { hasText: '2' }).waitFor()
  await page.click('.scored-check')
  await page.locator('#headline', { hasText: '46.5分' }).waitFor()
  await page.keyboard.press('Control+ArrowDown')
  await page.locator('#point-code', { hasText: '3' }).waitFor()
  await page.click('.scored-check')
  await page.locator('#save-state', { hasText: '已保存' }).waitFor()
  await page.locator('#headline', { hasText: '71.5分' }).waitFor()

  await page.click('#nav-overview')
  await page.locator('#overview-score').waitFor()
  assert.equal((await text('#overview-score')).trim(), '71.5')
  assert.equal((await text('#overview-grade')).trim(), '—')
  await page.locator('#group-chart canvas').waitFor()
  // Leaf 4 is still unscored: the completeness list says so and jumps there.
  await page.locator('.missing-link[data-point="4"]').click()
  await page.locator('#point-code', { hasText: '4' }).waitFor()
  await page.click('.scored-check')
  await page.locator('#headline', { hasText: 'A等，96.5分' }).waitFor()
  await page.click('#nav-overview')
  await page.locator('#overview-grade', { hasText: 'A等' }).waitFor()
  assert.equal((await text('#overview-score')).trim(), '96.5')
  await page.locator('#missing-none').waitFor()
})

test('rate: levels as buttons; 不适用 needs its explanation, the tree shows it', async () => {
  await page.click('#nav-list')
  await createAssessment('测试用等级体系', '示例县')
  await page.locator('#point-form .level', { hasText: '完全落实' }).click()
  await page.locator('#save-state', { hasText: '已保存' }).waitFor()
  assert.equal(await page.locator('[data-tree-code="A1"]').getAttribute('data-status'), 'filled')
  await page.keyboard.press('Control+ArrowDown')
  await page.locator('#point-code', { hasText: 'A2' }).waitFor()
  await page.locator('#point-form .level', { hasText: '不适用' }).click()
  await page.getByText('须在自评说明中写明依据').waitFor()
  await page.locator('[data-tree-code="A2"][data-status="missing_explanation"]').waitFor()
  await page.fill('#point-note', '本县没有高等教育院校。')
  await page.locator('#point-note').blur()
  await page.locator('[data-tree-code="A2"][data-status="not_applicable"]').waitFor()
  // The group counts 2 of 3 leaves filled.
  assert.match(await text('[data-tree-code="A"]'), /2\/3/)
  const ratings = (await calls('save_point')).filter((a) => a.edit.rating !== undefined).map((a) => a.edit.rating)
  assert.deepEqual(ratings.slice(-2), ['A', 'NA'])
})
