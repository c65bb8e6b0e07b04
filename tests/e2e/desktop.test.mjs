// Desktop end-to-end test: drives the real ziping-desktop binary through tauri-driver and
// WebKitWebDriver (W3C WebDriver over plain fetch; no npm dependencies).
//
//   xvfb-run -a -s '-screen 0 1280x1024x24' node --test tests/e2e/desktop.test.mjs
//   (or simply: bash scripts/e2e.sh, which builds what is missing first)
//
// The scenario: create a 示例 24-point assessment through the UI, deduct 1 point on point 15 and
// 2.2 on point 24 (with reasons), mark the other points as scored, see 96.8 on 总览, quit, start
// again and find everything still there; then open a generated 200-leaf system and measure leaf
// switching; then, in the demo county, 佐证材料: three real files dropped on a point at once (the
// drop reaches the UI as Tauri's drag-and-drop events, see dragAndDrop), their 文号 edited ([] and
// 【】 shown as 〔〕), 校验 all intact, one stored file altered on disk and named by 校验, 取消关联,
// and the 佐证材料 page's search, filters by type and point, and 删除 only when unlinked. It prints the measured start-up time (process start → first interactive form), the
// peak RSS of the app and its WebKit processes, and the leaf switch time.
//
// Environment:
//   ZIPING_DESKTOP_BIN    the binary to drive (default: target/debug/ziping-desktop)
//   ZIPING_BIG_WORKSPACE  the generator of the 200-leaf workspace (default: target/debug/examples/big_workspace)
//   TAURI_DRIVER          the tauri-driver executable (default: found on PATH or in ~/.cargo/bin)
//   E2E_SCREENSHOTS       a folder to copy the screenshots into (e.g. docs/screenshots)
//   E2E_TRACE=1           print every WebDriver request and answer
// The app runs with HOME and the XDG directories pointed at a temporary directory, so it never
// touches the user's data. Screenshots go to tests/e2e/out/ (ignored by git).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync, spawn } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { appendFileSync, chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir, homedir } from 'node:os'
import { delimiter, dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { peakMiB, processTree } from '../lib/procs.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const root = resolve(here, '..', '..')
const outDir = join(here, 'out')
const targetDir = process.env.CARGO_TARGET_DIR ? resolve(process.env.CARGO_TARGET_DIR) : join(root, 'target')
const app = resolve(process.env.ZIPING_DESKTOP_BIN ?? join(targetDir, 'debug', 'ziping-desktop'))
const bigGenerator = resolve(process.env.ZIPING_BIG_WORKSPACE ?? join(targetDir, 'debug', 'examples', 'big_workspace'))
const realHome = homedir()

const W3C_ELEMENT = 'element-6066-11e4-a52e-4f735466cecf'

let driver = null // the tauri-driver child process
let driverLog = ''
let base = '' // http://127.0.0.1:<port>
let sessionId = null
let sandbox = ''
let db = ''
const measured = { startupMs: [], rss: [], switchMs: null, evidenceDrop: null }

function findTauriDriver() {
  if (process.env.TAURI_DRIVER) return process.env.TAURI_DRIVER
  const cargoHome = process.env.CARGO_HOME ?? join(realHome, '.cargo')
  const dirs = [...(process.env.PATH ?? '').split(delimiter), join(cargoHome, 'bin')]
  for (const dir of dirs) {
    const candidate = join(dir, 'tauri-driver')
    if (dir && existsSync(candidate)) return candidate
  }
  throw new Error('找不到 tauri-driver：请先运行 scripts/setup.sh（cargo install tauri-driver --version ^2 --locked）')
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolvePort(port))
    })
  })
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

/** One WebDriver request; throws with the driver's own error text when it fails. */
async function wd(method, path, body, timeoutMs = 30_000) {
  if (process.env.E2E_TRACE) console.error(`> ${method} ${path} ${body === undefined ? '' : JSON.stringify(body)}`)
  let response, text
  try {
    response = await fetch(base + path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    })
    text = await response.text()
  } catch (error) {
    throw new Error(`${method} ${path}: no answer within ${timeoutMs} ms (${error.message})`)
  }
  let json
  try {
    json = JSON.parse(text)
  } catch {
    throw new Error(`${method} ${path}: HTTP ${response.status}, not JSON: ${text.slice(0, 500)}`)
  }
  if (!response.ok || (json.value && json.value.error)) {
    const v = json.value ?? {}
    throw new Error(`${method} ${path}: HTTP ${response.status} ${v.error ?? ''}: ${v.message ?? text.slice(0, 500)}`)
  }
  if (process.env.E2E_TRACE) console.error(`< ${text.slice(0, 200)}`)
  return json.value
}

/** Polls `probe` until it returns a truthy value or the time is up. */
async function waitFor(what, probe, timeoutMs = 20_000, intervalMs = 200) {
  const deadline = Date.now() + timeoutMs
  let last
  for (;;) {
    try {
      const value = await probe()
      if (value) return value
      last = undefined
    } catch (error) {
      last = error
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${last.message}` : ''}`)
    }
    await sleep(intervalMs)
  }
}

async function find(css) {
  const element = await wd('POST', `/session/${sessionId}/element`, { using: 'css selector', value: css })
  // W3C names the reference by a fixed key; some drivers still use the JSON Wire Protocol's 'ELEMENT'.
  const id = element?.[W3C_ELEMENT] ?? element?.ELEMENT
  if (!id) throw new Error(`unexpected element reference for ${css}: ${JSON.stringify(element)}`)
  return id
}

async function textOf(css) {
  const id = await find(css)
  return wd('GET', `/session/${sessionId}/element/${id}/text`)
}

async function screenshot(name) {
  const png = await wd('GET', `/session/${sessionId}/screenshot`)
  mkdirSync(outDir, { recursive: true })
  const file = join(outDir, `${name}.png`)
  writeFileSync(file, Buffer.from(png, 'base64'))
  return file
}

/** Ends a detached child and everything it started (its process group): TERM, then KILL. */
async function killGroup(child) {
  const signalGroup = (signal) => {
    try {
      process.kill(-child.pid, signal)
      return true
    } catch {
      return false // the group is gone already
    }
  }
  if (signalGroup('SIGTERM')) {
    for (let i = 0; i < 25 && signalGroup(0); i++) await sleep(200)
    signalGroup('SIGKILL')
  }
  // The app may have inherited the driver's pipes; do not let them keep this process alive.
  child.stdout?.destroy()
  child.stderr?.destroy()
}


async function findAll(css) {
  const list = await wd('POST', `/session/${sessionId}/elements`, { using: 'css selector', value: css })
  return list.map((e) => e[W3C_ELEMENT] ?? e.ELEMENT)
}

async function findXPath(xpath) {
  const element = await wd('POST', `/session/${sessionId}/element`, { using: 'xpath', value: xpath })
  return element?.[W3C_ELEMENT] ?? element?.ELEMENT
}

async function click(css) {
  await clickWhenFree(css, () => find(css))
}

async function clickXPath(xpath) {
  await clickWhenFree(xpath, () => findXPath(xpath))
}

/**
 * Clicks the element once nothing covers it: while a transition, a toast or a re-render briefly
 * sits over it, WebDriver answers "element click intercepted" (or the element went stale); the
 * element is then looked up again and the click retried, for up to 10 s.
 */
async function clickWhenFree(what, locate) {
  const deadline = Date.now() + 10_000
  for (;;) {
    const id = await waitFor(`${what} to be present`, locate, 15_000)
    try {
      await wd('POST', `/session/${sessionId}/element/${id}/click`, {})
      return
    } catch (error) {
      const transient = /intercepted|stale element|not interactable/i.test(String(error.message))
      if (!transient || Date.now() > deadline) throw error
      await sleep(250)
    }
  }
}

async function type(css, text, { clear = true } = {}) {
  const id = await waitFor(`${css} to be present`, () => find(css), 15_000)
  if (clear) await wd('POST', `/session/${sessionId}/element/${id}/clear`, {})
  // Emptying: WebDriver's clear does not reach Vue's v-model, so select all and delete as the user would.
  await wd('POST', `/session/${sessionId}/element/${id}/value`, { text: text === '' ? '\uE009a\uE000\uE003' : text })
}

async function script(body, args = []) {
  return wd('POST', `/session/${sessionId}/execute/sync`, { script: body, args })
}

async function asyncScript(body, args = [], timeoutMs = 60_000) {
  return wd('POST', `/session/${sessionId}/execute/async`, { script: body, args }, timeoutMs)
}

/** Ctrl+key, as the user presses it (W3C actions), dispatched to the focused element. */
async function ctrlKey(key) {
  await wd('POST', `/session/${sessionId}/actions`, {
    actions: [
      {
        type: 'key',
        id: 'keyboard',
        actions: [
          { type: 'keyDown', value: '\uE009' },
          { type: 'keyDown', value: key },
          { type: 'keyUp', value: key },
          { type: 'keyUp', value: '\uE009' },
        ],
      },
    ],
  })
  await wd('DELETE', `/session/${sessionId}/actions`).catch(() => {})
}

const ARROW_DOWN = '\uE015'
const ENTER = '\uE007'

async function waitText(css, predicate, what, timeoutMs = 20_000) {
  return waitFor(
    what ?? css,
    async () => {
      const t = (await textOf(css)).trim()
      return predicate(t) ? t : null
    },
    timeoutMs,
  )
}

async function waitSaved() {
  await waitText('#save-state', (t) => t === '已保存', '#save-state to say 已保存', 20_000)
}

/** The app's process and the WebKit processes it started (by parent pid). */
function appProcesses() {
  const { own, all } = processTree(app)
  return { app: own, all }
}

/** Peak RSS (VmHWM) of the app and of the app plus its WebKit processes, in MiB. */
function peakRss(label) {
  const { app: appPids, all } = appProcesses()
  const appMiB = peakMiB(appPids)
  const allMiB = peakMiB(all)
  const sample = { label, appMiB: Math.round(appMiB), totalMiB: Math.round(allMiB), processes: all.length }
  measured.rss.push(sample)
  return sample
}

/** Starts the app on a workspace (a new WebDriver session) and measures start-up to the first form. */
async function startApp(workspace, what) {
  if (sessionId) await stopApp()
  const t0 = Date.now()
  const session = await wd(
    'POST',
    '/session',
    { capabilities: { alwaysMatch: { 'tauri:options': { application: app, args: ['--db', workspace] } } } },
    60_000,
  ).catch((error) => {
    throw new Error(`could not start a WebDriver session for ${app}: ${error.message}\n--- tauri-driver log ---\n${driverLog}`)
  })
  sessionId = session.sessionId
  assert.ok(sessionId, `no session id in ${JSON.stringify(session)}`)
  // The first interactive form: the workbench's point form (the last assessment is reopened) or,
  // on a workspace opened for the first time, the assessment list with its create button.
  const form = await waitFor(
    'the first interactive form',
    async () => {
      const r = await script(`
        const f = document.querySelector('#point-form textarea, #point-form button');
        if (f && !f.disabled) return 'workbench form';
        const b = document.querySelector('#create-button');
        const t = document.querySelector('#assessment-table .el-table__body, #assessment-table .el-table__empty-text');
        if (b && t && !document.querySelector('#assessment-table .el-loading-mask')) return 'assessment list';
        return null;`)
      return r
    },
    30_000,
    25,
  )
  const ms = Date.now() - t0
  measured.startupMs.push({ what, form, ms })
  return { ms, form }
}

/** Waits until no loading mask covers the page (clicks would be intercepted). */
async function waitIdle() {
  await waitFor('the loading masks to go', () =>
    script("return [...document.querySelectorAll('.el-loading-mask')].every((m) => m.offsetParent === null || getComputedStyle(m).display === 'none')"),
  )
}

async function stopApp() {
  if (!sessionId) return
  peakRss('before quit')
  await wd('DELETE', `/session/${sessionId}`, undefined, 15_000).catch((e) => console.error(`closing the session: ${e.message}`))
  sessionId = null
  // Wait until the app process is gone, so that the next start is a real restart.
  await waitFor('the app to exit', () => appProcesses().app.length === 0, 15_000)
}

const shots = []
async function shot(name) {
  await sleep(400)
  const file = await screenshot(name)
  shots.push(file)
  return file
}

before(async () => {
  assert.ok(existsSync(app), `desktop binary not found at ${app}: build it first (cargo build -p ziping-desktop)`)
  assert.ok(process.env.DISPLAY, 'no DISPLAY: run this test under xvfb-run -a')

  sandbox = mkdtempSync(join(tmpdir(), 'ziping-e2e-'))
  for (const d of ['home', 'data', 'config', 'cache', 'state']) mkdirSync(join(sandbox, d), { mode: 0o700 })
  rmSync(outDir, { recursive: true, force: true })
  mkdirSync(outDir, { recursive: true })

  const port = await freePort()
  let nativePort = await freePort()
  while (nativePort === port) nativePort = await freePort()
  base = `http://127.0.0.1:${port}`

  const env = {
    ...process.env,
    HOME: join(sandbox, 'home'),
    XDG_DATA_HOME: join(sandbox, 'data'),
    XDG_CONFIG_HOME: join(sandbox, 'config'),
    XDG_CACHE_HOME: join(sandbox, 'cache'),
    XDG_STATE_HOME: join(sandbox, 'state'),
    // The fake HOME must not hide the real toolchains.
    RUSTUP_HOME: process.env.RUSTUP_HOME ?? join(realHome, '.rustup'),
    CARGO_HOME: process.env.CARGO_HOME ?? join(realHome, '.cargo'),
    // No accessibility bus or desktop portals: nothing in the test needs them. Do NOT set
    // WEBKIT_DISABLE_DMABUF_RENDERER here: with it, WebKitWebDriver's screenshot never answers.
    NO_AT_BRIDGE: '1',
    GTK_USE_PORTAL: '0',
  }

  // tauri-driver starts WebKitWebDriver, which starts the app. All of them run in a process group of
  // their own (detached), so that the teardown can end the whole tree, and, when available, under a
  // private D-Bus session so that nothing the app activates (portals, accessibility bus) outlives it.
  const driverArgs = [findTauriDriver(), '--port', String(port), '--native-port', String(nativePort)]
  const command = existsSync('/usr/bin/dbus-run-session') ? ['/usr/bin/dbus-run-session', '--', ...driverArgs] : driverArgs
  driver = spawn(command[0], command.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  driver.stdout.on('data', (d) => (driverLog += d))
  driver.stderr.on('data', (d) => (driverLog += d))
  driver.on('exit', (code, signal) => {
    driverLog += `\n[tauri-driver exited: code ${code}, signal ${signal}]`
  })

  await waitFor(
    `tauri-driver to listen on ${base} (log: ${driverLog})`,
    async () => {
      if (driver.exitCode !== null) throw new Error(`tauri-driver exited early: ${driverLog}`)
      const status = await wd('GET', '/status', undefined, 2_000)
      return status && status.ready !== false
    },
    15_000,
    250,
  )
  db = join(sandbox, 'ws.sqlite')
})

after(async () => {
  if (sessionId) {
    await wd('DELETE', `/session/${sessionId}`, undefined, 10_000).catch((e) => console.error(`closing the session: ${e.message}`))
  }
  if (driver) await killGroup(driver)
  if (sandbox) {
    try {
      rmSync(sandbox, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 })
    } catch (error) {
      console.error(`could not remove ${sandbox}: ${error.message}`)
    }
  }
  const m = measured
  const lines = ['', '================ 履职自评 desktop measurements ================']
  for (const s of m.startupMs) lines.push(`start-up to first interactive form (${s.what}, ${s.form}): ${s.ms} ms`)
  if (m.rss.length) {
    const app = Math.max(...m.rss.map((r) => r.appMiB))
    const total = Math.max(...m.rss.map((r) => r.totalMiB))
    lines.push(`peak RSS: app process ${app} MiB; app + WebKit processes ${total} MiB (VmHWM)`)
  }
  if (m.switchMs) {
    lines.push(
      `leaf switch in a ${m.switchMs.leaves}-leaf system (Ctrl+↓, ${m.switchMs.n} switches, until the new form is painted): median ${m.switchMs.median} ms, p90 ${m.switchMs.p90} ms, max ${m.switchMs.max} ms`,
    )
  }
  if (m.evidenceDrop) {
    const d = m.evidenceDrop
    lines.push(`evidence: ${d.files} files dropped (one of ${d.mib} MiB) → copied, hashed, linked and listed in ${d.ms} ms; ${d.percentages} distinct percentages shown while copying`)
  }
  lines.push('===============================================================')
  console.log(lines.join('\n'))
  writeFileSync(join(outDir, 'measurements.json'), JSON.stringify(m, null, 2))
  if (process.env.E2E_SCREENSHOTS) {
    const dest = resolve(root, process.env.E2E_SCREENSHOTS)
    mkdirSync(dest, { recursive: true })
    for (const f of shots) copyFileSync(f, join(dest, f.split('/').pop()))
    console.log(`screenshots copied to ${dest}`)
  }
})

/** On failure, keeps what is needed to understand it: a screenshot, the page source, the driver log. */
async function withDiagnostics(name, body) {
  try {
    await body()
  } catch (error) {
    const notes = [`URL: ${await wd('GET', `/session/${sessionId}/url`).catch((e) => e.message)}`]
    try {
      notes.push(`screenshot: ${await screenshot(`${name}-failure`)}`)
      const source = await wd('GET', `/session/${sessionId}/source`)
      writeFileSync(join(outDir, `${name}-failure.html`), source)
      notes.push(`page source: ${join(outDir, `${name}-failure.html`)}`)
    } catch (e) {
      notes.push(`no screenshot/source: ${e.message}`)
    }
    throw new Error(`${error.message}\n${notes.join('\n')}\n--- tauri-driver log ---\n${driverLog}`, { cause: error })
  }
}

test('first start: the list, 关于 with the version over IPC, the window title', () => withDiagnostics('first-start', async () => {
  await startApp(db, 'first start, empty workspace')
  const title = await waitFor('#app-title', () => textOf('#app-title'))
  assert.equal(title.trim(), '履职自评')
  assert.equal(await wd('GET', `/session/${sessionId}/title`), '履职自评')
  await waitText('#assessment-table', (t) => t.includes('工作区中还没有评估'))
  await shot('01-assessment-list-empty')

  // 关于: the version arrives through the app_info command (an IPC round trip).
  await click('#about-button')
  const version = await waitText('#app-version', (t) => /^\d+\.\d+\.\d+/.test(t), '#app-version to show the version')
  assert.match(version, /^\d+\.\d+\.\d+/)
  await shot('07-about')
  await clickXPath("//div[@id='about-dialog']//button[contains(., '确定')]")
  await waitFor('the about dialog to close', async () => (await script("const d = document.querySelector('#about-dialog'); return !d || d.offsetParent === null")))
}))

test('create a 示例 24-point assessment, deduct 1 on point 15 and 2.2 on point 24, see 96.8 on 总览', () => withDiagnostics('scenario', async () => {
  await click('#create-button')
  // The 示例 24-point system is the first bundled one and preselected; choose it when it is not.
  const chosen = await script("return document.querySelector('.el-select__wrapper:has(#create-system)')?.textContent ?? ''")
  if (!chosen.includes('24个测评点')) {
    await clickXPath("//input[@id='create-system']/ancestor::div[contains(@class,'el-select__wrapper')]")
    await clickXPath("//li[contains(@class,'el-select-dropdown__item')][contains(., '24个测评点')]")
  }
  await type('#create-region', '示例县')
  await type('#create-year', '2024')
  await type('#create-organ', '示例县人民政府')
  await shot('02-create-dialog')
  await click('#create-submit')

  // The workbench opens on the first leaf; the window title names the assessment.
  await waitText('#point-code', (t) => t === '1', 'the workbench to open on point 1')
  const docTitle = await script('return document.title')
  assert.ok(docTitle.includes('示例县2024年度'), `the document title names the assessment: “${docTitle}”`)

  // Ctrl+F, "15", Enter: jump to point 15; deduct 1 with its reason.
  await ctrlKey('f')
  await type('#point-search', '15')
  await type('#point-search', ENTER, { clear: false })
  await waitText('#point-code', (t) => t === '15', 'point 15')
  await click('#add-deduction')
  await type('.deduction-amount input', '1')
  await type('.deduction-reason input', '2所学校超规模办学')
  await waitText('#point-score', (t) => t.includes('本项得分 2 / 3'), 'the live score of point 15 (3 − 1)')
  await waitSaved()

  await ctrlKey('f')
  await type('#point-search', '24')
  await type('#point-search', ENTER, { clear: false })
  await waitText('#point-code', (t) => t === '24', 'point 24')
  await click('#add-deduction')
  await type('.deduction-amount input', '2.2')
  await type('.deduction-reason input', '社会公众满意度为78分，未达到85分')
  await waitText('#point-score', (t) => t.includes('本项得分 7.8 / 10'), 'the live score of point 24 (10 − 2.2)')
  await type('#point-note', '委托第三方开展满意度调查，回收有效问卷1200份。')
  await waitSaved()

  // Every other point is scored without deductions: Ctrl+↓ through the tree from point 1.
  await ctrlKey('f')
  await type('#point-search', '1')
  await type('#point-search', ENTER, { clear: false })
  await waitText('#point-code', (t) => t === '1', 'point 1')
  for (let code = 1; code <= 24; code++) {
    await waitText('#point-code', (t) => t === String(code), `point ${code}`)
    if (code !== 15 && code !== 24) {
      await click('.scored-check')
      await waitFor(`point ${code} to be marked scored`, async () =>
        script("return document.querySelector('#point-scored')?.closest('.el-checkbox')?.classList.contains('is-checked')"),
      )
    }
    if (code < 24) {
      await script("document.activeElement && document.activeElement.blur && document.activeElement.blur()")
      await ctrlKey(ARROW_DOWN)
    }
  }
  await waitSaved()
  await waitText('#headline', (t) => t.includes('96.8'), 'the live total 96.8 in the header')
  await ctrlKey('f')
  await type('#point-search', '15')
  await type('#point-search', ENTER, { clear: false })
  await waitText('#point-code', (t) => t === '15', 'point 15')
  await shot('03-workbench-points')

  await click('#nav-overview')
  const score = await waitText('#overview-score', (t) => t.length > 0, '#overview-score')
  assert.equal(score, '96.8')
  assert.equal(await textOf('#overview-grade'), 'A等')
  const conclusion = await textOf('#conclusion')
  assert.match(conclusion, /自评得分96\.8分/)
  assert.match(conclusion, /第15测评点因2所学校超规模办学，扣1分/)
  await waitFor('the chart to be drawn', () => script("return !!document.querySelector('#group-chart canvas')"))
  await shot('04-overview')

  // The completeness list jumps to its leaf: nothing is missing except evidence, if any.
  const missing = await findAll('.missing-link')
  if (missing.length > 0) {
    const point = await script("return document.querySelector('.missing-link').dataset.point")
    await click('.missing-link')
    await waitText('#point-code', (t) => t === point, `the jump to point ${point}`)
  }
}))

test('quit and start again: everything is still there', () => withDiagnostics('restart', async () => {
  await stopApp()
  const { form } = await startApp(db, 'restart, the assessment reopened')
  if (form === 'assessment list') {
    await waitIdle()
    await click('.open-button')
  }
  await waitText('#headline', (t) => t.includes('A等') && t.includes('96.8'), 'the headline after the restart')
  await ctrlKey('f')
  await type('#point-search', '24')
  await type('#point-search', ENTER, { clear: false })
  await waitText('#point-code', (t) => t === '24', 'point 24')
  const amount = await script("return document.querySelector('.deduction-amount input').value")
  const reason = await script("return document.querySelector('.deduction-reason input').value")
  assert.equal(amount, '2.2')
  assert.equal(reason, '社会公众满意度为78分，未达到85分')
  assert.equal(await script("return document.querySelector('#point-note').value"), '委托第三方开展满意度调查，回收有效问卷1200份。')

  await click('#nav-overview')
  assert.equal(await waitText('#overview-score', (t) => t.length > 0), '96.8')

  await click('#nav-history')
  await waitText('#history-table', (t) => t.includes('第24测评点扣分'), 'the history of point 24')
  await shot('05-history')

  await click('#nav-list')
  await waitText('#assessment-table', (t) => t.includes('A等，96.8分'), 'the list line')
  await shot('06-assessment-list')
}))

test('a 200-leaf system: leaf switch time', () => withDiagnostics('big-system', async () => {
  await stopApp()
  assert.ok(existsSync(bigGenerator), `generator not found at ${bigGenerator}: cargo build -p ziping-app --example big_workspace`)
  const bigDb = join(sandbox, 'big.sqlite')
  execFileSync(bigGenerator, [bigDb])
  const { form } = await startApp(bigDb, '200-leaf workspace')
  assert.equal(form, 'assessment list', 'a workspace opened for the first time shows the list')
  await waitIdle()
  await sleep(1000)
  assert.ok((await findAll('.open-button')).length > 0, 'the generated 200-leaf assessment is listed')
  await click('.open-button')
  await waitText('#point-code', (t) => t === '1', 'the workbench on point 1')
  await sleep(500)
  // Each switch: Ctrl+↓ as a key event, then wait until the new leaf's form is in the DOM and painted.
  const result = await asyncScript(`
    const done = arguments[arguments.length - 1];
    const n = 60, times = [];
    const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    (async () => {
      for (let i = 0; i < n; i++) {
        const before = document.querySelector('#point-code').textContent;
        const t0 = performance.now();
        window.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', ctrlKey: true, bubbles: true }));
        while (document.querySelector('#point-code').textContent === before) await new Promise((r) => setTimeout(r, 0));
        await frame();
        times.push(performance.now() - t0);
      }
      done({ times, last: document.querySelector('#point-code').textContent });
    })().catch((e) => done({ error: String(e) }));`)
  assert.ok(!result.error, result.error)
  assert.equal(result.last, '61')
  const sorted = [...result.times].sort((a, b) => a - b)
  const pct = (p) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))])
  measured.switchMs = { leaves: 200, n: sorted.length, median: pct(0.5), p90: pct(0.9), max: Math.round(sorted[sorted.length - 1]) }
  await shot('08-workbench-200-leaves')
  peakRss('200-leaf system')
  await stopApp()
}))

test('the demo county: a rated system on the workbench', () => withDiagnostics('demo', async () => {
  const demoDb = join(sandbox, 'demo.sqlite')
  await startApp(demoDb, 'demo workspace, first start')
  await click('#demo-button')
  await waitText('#assessment-table', (t) => t.includes('完全落实'), 'the demo assessments')
  await waitIdle()
  await shot('11-assessment-list-demo')
  await clickXPath("//tr[contains(., '完全落实')]//button[contains(@class,'open-button')]")
  await waitFor('the rated form', () => script("return !!document.querySelector('#point-form .level')"))
  await shot('09-workbench-rated')
  await click('#nav-overview')
  await waitFor('the chart', () => script("return !!document.querySelector('#group-chart canvas')"))
  await shot('10-overview-rated')
  peakRss('demo')
}))

// ----- 佐证材料 in the real window -----

/**
 * Drags files from the system onto the window as Tauri reports it: WebDriver cannot drag from the
 * desktop, so the page is handed the same events the shell emits when the OS drops files on the
 * webview (tauri://drag-enter, then tauri://drag-drop with the paths), through the very function
 * the shell's emit script calls (`__internal_unstable_listeners_function_id__`, pinned with tauri
 * 2.12) for every listener the UI registered with getCurrentWebview().onDragDropEvent. The UI's own
 * handler then runs, and it calls the real backend with the paths. Returns the listener counts.
 */
async function dragAndDrop(paths, { drop = true } = {}) {
  return script(
    `const [paths, drop] = arguments;
     const emit = window.__internal_unstable_listeners_function_id__;
     const all = window.__internal_unstable_listeners_object_id__ || {};
     if (typeof emit !== 'function') return { error: 'the Tauri event function is not on the page' };
     const send = (event, payload) => {
       const ids = Object.getOwnPropertyNames(all[event] || {}).map(Number);
       emit({ event, payload }, ids);
       return ids.length;
     };
     const position = { x: 640, y: 600 };
     const counts = { enter: send('tauri://drag-enter', { paths, position }) };
     if (drop) counts.drop = send('tauri://drag-drop', { paths, position });
     return counts;`,
    [paths, drop],
  )
}

/**
 * Opens an Element Plus select (by its input's id) and clicks the visible option with this text,
 * once the list has stopped moving (it fades and slides in); retried until the select shows it.
 */
async function chooseOption(inputId, label, { prefix = false } = {}) {
  const wrapper = `//input[@id='${inputId}']/ancestor::div[contains(@class,'el-select__wrapper')]`
  const shows = () =>
    script(
      `const [id, label, prefix] = arguments;
       const t = document.getElementById(id).closest('.el-select__wrapper').querySelector('.el-select__placeholder:not(.is-transparent)')?.textContent.trim() ?? '';
       return prefix ? t.startsWith(label.trim()) : t === label;`,
      [inputId, label, prefix],
    )
  for (let attempt = 1; ; attempt++) {
    const open = await script(
      "return document.getElementById(arguments[0]).getAttribute('aria-expanded') === 'true'",
      [inputId],
    )
    if (!open) await clickXPath(wrapper)
    let lastRect = ''
    await clickWhenFree(`the option “${label}” of #${inputId}`, async () => {
      const found = await script(
        `const [label, prefix] = arguments;
         const li = [...document.querySelectorAll('.el-select-dropdown__item')].find((li) => {
           const t = li.textContent.trim();
           return li.offsetParent !== null && (prefix ? t.startsWith(label) : t === label);
         });
         if (!li) return null;
         const r = li.getBoundingClientRect();
         return { li, rect: [r.x, r.y, r.width, r.height].map(Math.round).join(',') };`,
        [label, prefix],
      )
      if (!found) return null
      // Still moving: wait for two equal positions in a row.
      const stable = found.rect === lastRect
      lastRect = found.rect
      return stable ? found.li[W3C_ELEMENT] ?? found.li.ELEMENT : null
    })
    try {
      await waitFor(`#${inputId} to show “${label}”`, shows, 3_000)
      return
    } catch (error) {
      if (attempt >= 3) throw error
    }
  }
}

/** Empties an Element Plus select as the user does: hover it, click its clear icon (×). */
async function clearSelect(inputId) {
  const wrapper = await findXPath(`//input[@id='${inputId}']/ancestor::div[contains(@class,'el-select__wrapper')]`)
  await wd('POST', `/session/${sessionId}/actions`, {
    actions: [{ type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' }, actions: [{ type: 'pointerMove', origin: { [W3C_ELEMENT]: wrapper }, x: 0, y: 0 }] }],
  })
  await clickXPath(`//input[@id='${inputId}']/ancestor::div[contains(@class,'el-select__wrapper')]//*[contains(@class,'el-select__clear')]`)
  await wd('DELETE', `/session/${sessionId}/actions`).catch(() => {})
}

/** Presses Escape (closes the open dialog). */
async function escape() {
  await wd('POST', `/session/${sessionId}/actions`, {
    actions: [{ type: 'key', id: 'keyboard', actions: [{ type: 'keyDown', value: '\uE00C' }, { type: 'keyUp', value: '\uE00C' }] }],
  })
  await wd('DELETE', `/session/${sessionId}/actions`).catch(() => {})
}

/** The rows of the 佐证材料 page's table as the user reads them. */
async function evidenceRows() {
  return script(
    `return [...document.querySelectorAll('#evidence-table .el-table__body tbody tr')].map((tr) => ({
       text: tr.innerText.replace(/\\s+/g, ' ').trim(),
       deletable: !!tr.querySelector('.ev-delete') && !tr.querySelector('.ev-delete').disabled,
     }));`,
  )
}

async function waitRows(what, predicate) {
  return waitFor(what, async () => {
    if (!(await script("return !document.querySelector('#evidence-table .el-loading-mask') || getComputedStyle(document.querySelector('#evidence-table .el-loading-mask')).display === 'none'"))) return null
    const rows = await evidenceRows()
    return predicate(rows) ? rows : null
  })
}

/** The text of the linked-evidence rows of the point form. */
async function linkedTitles() {
  return script("return [...document.querySelectorAll('#evidence-linked .evidence-row .ev-title')].map((e) => e.textContent.trim())")
}

test('佐证材料: drop several files on a point, edit the 文号, verify, an altered file named, unlink, the evidence page', () => withDiagnostics('evidence', async () => {
  const demoDb = join(sandbox, 'demo.sqlite')
  if (!sessionId) {
    // Run alone (--test-name-pattern): the demo workspace of the previous test, or a new one.
    const fresh = !existsSync(demoDb)
    await startApp(demoDb, 'demo workspace, evidence')
    if (fresh) await click('#demo-button')
    await waitIdle()
  }
  // Real files in a folder of their own; the app must copy them (they are removed afterwards).
  const folder = join(sandbox, '督导室材料')
  mkdirSync(folder, { recursive: true })
  const files = {
    notice: join(folder, '关于开展义务教育优质均衡督导评估的通知.pdf'),
    minutes: join(folder, '县教育督导委员会2024年第二次全体会议纪要.txt'),
    ledger: join(folder, '2024年春季学校安全隐患排查台账.csv'),
    video: join(folder, '校园安全巡查录像.mp4'), // large: its copy is shown as a percentage
  }
  writeFileSync(
    files.notice,
    '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
      '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
  )
  writeFileSync(files.minutes, '县教育督导委员会2024年第二次全体会议纪要\n\n时间：2024年6月18日\n议题：部署义务教育优质均衡发展督导评估工作。\n')
  writeFileSync(files.ledger, '学校,排查日期,隐患,整改情况\n示例县第一中学,2024-03-05,消防通道堆放杂物,已整改\n示例县实验小学,2024-03-06,围墙破损,整改中\n')
  writeFileSync(files.video, randomBytes(96 * 1024 * 1024))
  const sha = (path) => createHash('sha256').update(readFileSync(path)).digest('hex')

  // The rated demo assessment (the previous test left it open), on a point without evidence.
  await click('#nav-workbench')
  await click('[data-tree-code="6"]')
  await waitText('#point-code', (t) => t === '6', 'point 6')
  await waitText('#point-evidence', (t) => t.includes('尚未关联佐证材料'), 'point 6 without evidence')

  // Files dragged over the window: the drop zone says where they will go; then they are dropped.
  const hover = await dragAndDrop(Object.values(files), { drop: false })
  assert.ok(!hover.error, hover.error)
  assert.ok(hover.enter >= 1, `the UI listens for files dragged onto the window (${JSON.stringify(hover)})`)
  await waitText('#evidence-drop-zone', (t) => t.includes('松开鼠标，添加到本测评点'), 'the drop zone to light up')
  // Every percentage the file list shows while the files are copied.
  await script(`window.__percentages = [];
    new MutationObserver(() => {
      const t = document.querySelector('#evidence-jobs .job-progress .el-progress__text')?.textContent.trim();
      if (t && window.__percentages.at(-1) !== t) window.__percentages.push(t);
    }).observe(document.querySelector('#point-evidence'), { subtree: true, childList: true, characterData: true });`)
  const dropStart = Date.now()
  const dropped = await dragAndDrop(Object.values(files))
  assert.ok(dropped.drop >= 1, `the UI listens for dropped files (${JSON.stringify(dropped)})`)
  await waitFor('the four dropped files to be listed', async () => (await linkedTitles()).length === 4, 60_000)
  assert.deepEqual(await linkedTitles(), [
    '关于开展义务教育优质均衡督导评估的通知',
    '县教育督导委员会2024年第二次全体会议纪要',
    '2024年春季学校安全隐患排查台账',
    '校园安全巡查录像',
  ])
  const dropMs = Date.now() - dropStart
  const jobs = await textOf('#evidence-jobs')
  assert.equal(jobs.match(/已添加/g)?.length, 4, `each file is reported added: ${jobs}`)
  // The 96 MiB file's copy was shown as a growing percentage (the shell's evidence-progress events).
  const percentages = (await script('return window.__percentages')).map((t) => Number(t.replace('%', '')))
  assert.ok(percentages.some((v) => v > 0 && v < 100), `a percentage between 0 and 100 was shown: ${percentages}`)
  measured.evidenceDrop = { files: 4, mib: 96, ms: dropMs, percentages: percentages.length }
  assert.match(await textOf('#evidence-drop-zone'), /可将文件直接拖到窗口中添加/)
  await script("document.querySelector('#point-evidence').scrollIntoView({ block: 'end' })")
  await shot('12-evidence-drop')
  // Still on point 6: the form, the tree's current node and the linked list agree.
  assert.deepEqual(
    await script("return [document.querySelector('#point-code').textContent.trim(), document.querySelector('.el-tree-node.is-current [data-tree-code]')?.dataset.treeCode]"),
    ['6', '6'],
  )

  // The copies are in the workspace's evidence folder under their SHA-256.
  const blob = (path) => {
    const h = sha(path)
    return join(`${demoDb}.evidence`, h.slice(0, 2), h.slice(2))
  }
  for (const f of Object.values(files)) assert.ok(existsSync(blob(f)), `${f} is stored as ${blob(f)}`)

  // 编辑: a 文号 typed with [] and one with 【】 are shown as 〔〕.
  const editRow = async (title, { kind, issuer, docNo, expect }) => {
    await clickXPath(`//tr[contains(@class,'evidence-row')][.//div[@class='ev-title'][normalize-space(.)='${title}']]//button[contains(@class,'ev-edit')]`)
    await waitFor('the metadata form', () => script("const f = document.querySelector('#evidence-edit-form'); return !!f && f.offsetParent !== null"))
    await chooseOption('ev-kind', kind)
    await type('#ev-issuer', issuer)
    await type('#ev-docno', docNo)
    await waitText('#ev-docno-preview', (t) => t === `将保存为：${expect}`, `the 文号 preview ${expect}`)
    await click('#ev-save')
    await waitFor('the metadata form to close', () => script("const f = document.querySelector('#evidence-edit-form'); return !f || f.offsetParent === null"))
    await waitFor(`“${expect}” in the row of ${title}`, () =>
      script(
        `const [title, docNo] = arguments;
         const row = [...document.querySelectorAll('#evidence-linked .evidence-row')].find((r) => r.querySelector('.ev-title').textContent.trim() === title);
         return !!row && row.querySelector('.ev-docno')?.textContent.trim() === docNo && row.querySelector('.ev-kind').textContent.trim() === arguments[2];`,
        [title, expect, kind],
      ),
    )
  }
  await editRow('县教育督导委员会2024年第二次全体会议纪要', { kind: '会议纪要', issuer: '示例县人民政府教育督导委员会', docNo: '示教督[2024]7号', expect: '示教督〔2024〕7号' })
  await editRow('关于开展义务教育优质均衡督导评估的通知', { kind: '文件', issuer: '示例县人民政府', docNo: '示政发【2024】12号', expect: '示政发〔2024〕12号' })
  assert.doesNotMatch(await textOf('#evidence-linked'), /文号无法识别|\[|【/)

  // 校验: every stored file intact.
  await click('#nav-evidence')
  await waitRows('the evidence page', (rows) => rows.some((r) => r.text.includes('2024年春季学校安全隐患排查台账')))
  const total = Number((await textOf('.evidence-page .head .muted')).match(/共 (\d+) 个/)?.[1])
  assert.ok(total >= 3, `the page counts the workspace's items: ${total}`)
  await click('#evidence-verify')
  const intact = await waitText('#verify-summary', (t) => t.includes('全部完好'), 'verify: all intact')
  assert.equal(intact, `共校验 ${total} 个文件，全部完好。`)
  await escape()
  await waitFor('the verify dialog to close', () => script("const s = document.querySelector('#verify-summary'); return !s || s.offsetParent === null"))

  // Someone alters a stored file on disk: the next check names it by title, with both hashes.
  const ledgerBlob = blob(files.ledger)
  chmodSync(ledgerBlob, 0o644)
  appendFileSync(ledgerBlob, '示例县第二小学,2024-03-07,无,—\n')
  await click('#evidence-verify')
  const broken = await waitText('#verify-summary', (t) => t.includes('有问题'), 'verify: one problem')
  assert.equal(broken, `共校验 ${total} 个文件，1 个有问题（丢失或被改动），${total - 1} 个完好。`)
  const problems = await script("return document.querySelector('#verify-problems .el-table__body').innerText")
  assert.match(problems, /2024年春季学校安全隐患排查台账/)
  assert.match(problems, /被改动/)
  assert.ok(problems.includes(sha(files.ledger)), 'the original hash is shown')
  assert.ok(problems.includes(createHash('sha256').update(readFileSync(ledgerBlob)).digest('hex')), 'the current hash is shown')
  assert.doesNotMatch(problems, /会议纪要|督导评估的通知/)
  await shot('13-evidence-verify')
  await escape()
  await waitFor('the verify dialog to close', () => script("const s = document.querySelector('#verify-summary'); return !s || s.offsetParent === null"))

  // 取消关联 on the point form: the item leaves the point, stays in the workspace.
  await click('#nav-workbench')
  await click('[data-tree-code="6"]')
  await waitText('#point-code', (t) => t === '6', 'point 6 again')
  await waitFor('the four items of point 6', async () => (await linkedTitles()).length === 4)
  await clickXPath("//tr[contains(@class,'evidence-row')][.//div[@class='ev-title'][normalize-space(.)='2024年春季学校安全隐患排查台账']]//button[contains(@class,'ev-unlink')]")
  await waitFor('the ledger to be unlinked', async () => (await linkedTitles()).length === 3)
  assert.deepEqual(await linkedTitles(), ['关于开展义务教育优质均衡督导评估的通知', '县教育督导委员会2024年第二次全体会议纪要', '校园安全巡查录像'])
  await waitText('.el-message', (t) => t.includes('已取消关联《2024年春季学校安全隐患排查台账》'), 'the unlink message')

  // The workspace-wide page: search, filter by type, by point; delete only when unlinked.
  await click('#nav-evidence')
  await waitRows('the evidence page again', (rows) => rows.length === total)
  await type('#evidence-search', '隐患排查')
  let rows = await waitRows('the search to find the ledger alone', (r) => r.length === 1)
  assert.match(rows[0].text, /2024年春季学校安全隐患排查台账/)
  assert.match(rows[0].text, /未关联/)
  assert.equal(rows[0].deletable, true, 'an unlinked item can be deleted')
  await type('#evidence-search', '')
  await waitRows('all items again', (r) => r.length === total)

  await chooseOption('evidence-kind-filter', '会议纪要')
  rows = await waitRows('only 会议纪要', (r) => r.length < total && r.length >= 1)
  assert.ok(rows.every((r) => r.text.startsWith('会议纪要')), `every row is a 会议纪要: ${JSON.stringify(rows)}`)
  assert.ok(rows.some((r) => r.text.includes('县教育督导委员会2024年第二次全体会议纪要')))
  assert.ok(!rows.some((r) => r.text.includes('督导评估的通知')))
  await chooseOption('evidence-kind-filter', '文件')
  rows = await waitRows('only 文件', (r) => r.length >= 1 && r.every((x) => x.text.startsWith('文件')))
  assert.ok(rows.some((r) => r.text.includes('关于开展义务教育优质均衡督导评估的通知')))
  assert.ok(!rows.some((r) => r.text.includes('全体会议纪要')))

  // By point: 第6测评内容 (the leaves of this system are 测评内容) lists the items still linked there, none deletable.
  await chooseOption('evidence-point-filter', '第6测评内容 ', { prefix: true })
  rows = await waitRows('the 文件 linked to point 6', (r) => r.length === 1)
  assert.match(rows[0].text, /关于开展义务教育优质均衡督导评估的通知/)
  assert.match(rows[0].text, /示政发〔2024〕12号/)
  await clearSelect('evidence-kind-filter')
  rows = await waitRows('everything linked to point 6', (r) => r.length === 3)
  assert.deepEqual(rows.map((r) => /全体会议纪要|督导评估的通知|巡查录像/.test(r.text)), [true, true, true])
  assert.deepEqual(rows.map((r) => r.deletable), [false, false, false], 'linked items cannot be deleted')
  await shot('14-evidence-page')

  // Delete the unlinked ledger: asked first, then gone (its stored file too).
  await clearSelect('evidence-point-filter')
  await type('#evidence-search', '隐患排查')
  rows = await waitRows('the ledger alone', (r) => r.length === 1 && r[0].text.includes('隐患排查'))
  await click('#evidence-table .ev-delete')
  await waitText('.el-message-box', (t) => t.includes('确定从工作区删除《2024年春季学校安全隐患排查台账》'), 'the delete question')
  await clickXPath("//div[contains(@class,'el-message-box')]//button[normalize-space(.)='删除']")
  await waitText('#evidence-table', (t) => t.includes('没有符合条件的佐证材料'), 'the ledger to be deleted')
  await waitText('.evidence-page .head .muted', (t) => t === `工作区共 ${total - 1} 个`, 'the count to drop by one')
  assert.ok(!existsSync(ledgerBlob), 'the stored file of the deleted item is removed')
  // The original files were only read.
  assert.ok(existsSync(files.ledger) && existsSync(files.notice))

  // Viewer copies: an old one left by an earlier run is removed at the next start. (This run's own
  // folder is removed when the app exits normally; WebKitWebDriver ends the app without a close
  // request or an exit event, so that part cannot be seen here.) The app's temporary directory is
  // read from its environment: WebKitWebDriver does not pass TMPDIR on.
  const [pid] = appProcesses().app
  const appTmp = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').find((l) => l.startsWith('TMPDIR='))?.slice(7) || '/tmp'
  const earlierRun = join(appTmp, 'ziping-view', `p-e2e-${process.pid}-${Date.now()}`)
  const leftOver = join(earlierRun, 'fedcba9876543210', '台账.xlsx')
  const recent = join(earlierRun, '0123456789abcdef', '会议纪要.pdf')
  for (const f of [leftOver, recent]) {
    mkdirSync(dirname(f), { recursive: true })
    writeFileSync(f, '%PDF-1.4')
    chmodSync(f, 0o444)
  }
  const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000)
  utimesSync(leftOver, twoDaysAgo, twoDaysAgo)
  await stopApp()
  await startApp(demoDb, 'demo workspace, restart')
  await waitFor('the left-over viewer copy of an earlier run to be removed', () => !existsSync(leftOver))
  assert.ok(existsSync(recent), 'a copy younger than a day is kept')
  rmSync(earlierRun, { recursive: true, force: true })
}))
