// Shared by tests/ui/export.test.mjs and tests/ui/systems.test.mjs: the built UI test page
// (ui/dist-mock, IPC mocked by ui/mock/fake.ts) in headless Chromium (/usr/bin/chromium driven by
// playwright-core), plus `extend(page, handlers)`, which answers more commands in the page: the
// handlers run inside the page before the shared fake and record their calls in window.__calls
// like it does.
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import { createRequire } from 'node:module'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, extname, join, normalize, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
export const root = resolve(here, '..', '..')
const dist = process.env.UI_DIST ?? join(root, 'ui', 'dist-mock')
const require = createRequire(join(root, 'ui', 'package.json'))
const { chromium } = require('playwright-core')

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
}

/** Starts the static server and Chromium; returns { page, calls, close }. */
export async function launch() {
  assert.ok(existsSync(join(dist, 'mock', 'index.html')), 'the UI test build is missing: (cd ui && npm run build:mock)')
  const server = createServer((req, res) => {
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
  const url = `http://127.0.0.1:${server.address().port}/mock/index.html`
  const profile = mkdtempSync(join(tmpdir(), 'ziping-ui-'))
  const context = await chromium.launchPersistentContext(profile, {
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
  const page = context.pages()[0] ?? (await context.newPage())
  const errors = []
  page.on('pageerror', (e) => {
    errors.push(e.message)
    console.error(`page error: ${e.message}`)
  })
  await page.goto(url)
  await page.waitForFunction(() => window.__TAURI_INTERNALS__ && window.__calls)
  const calls = (cmd) => page.evaluate((c) => window.__calls.filter((x) => x.cmd === c).map((x) => x.args), cmd)
  const close = async () => {
    await context.close()
    server.close()
    rmSync(profile, { recursive: true, force: true })
  }
  return { page, calls, close, errors }
}

/**
 * Answers more commands in the page. `source` is the text of a function expression
 * `(state) => ({ cmd(args) { … }, … })` evaluated in the page; `data` becomes its `state` (also window.__mockState, for a test to change).
 * A handler may throw `{code, message}` like the Rust side.
 */
export async function extend(page, source, data) {
  await page.evaluate(
    ([src, state]) => {
      // eslint-disable-next-line no-new-func
      window.__mockState = state
      const handlers = new Function(`return (${src})`)()(state)
      const internals = window.__TAURI_INTERNALS__
      const next = internals.invoke.bind(internals)
      internals.invoke = async (cmd, args, options) => {
        if (Object.prototype.hasOwnProperty.call(handlers, cmd)) {
          window.__calls.push({ cmd, args: JSON.parse(JSON.stringify(args ?? {})) })
          return handlers[cmd](args ?? {})
        }
        return next(cmd, args, options)
      }
    },
    [source, data],
  )
}

/** Creates an assessment through the list page (A's create dialog). */
export async function createAssessment(page, systemLabel, region) {
  await page.click('#create-button')
  await page.click('.el-select__wrapper:has(#create-system)')
  await page.locator('.el-select-dropdown__item', { hasText: systemLabel }).click()
  await page.fill('#create-region', region)
  await page.fill('#create-year', '2024')
  await page.click('#create-submit')
  await page.locator('#point-form').waitFor()
}
