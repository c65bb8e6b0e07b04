// Desktop end-to-end test: drives the real ziping-desktop binary through tauri-driver and
// WebKitWebDriver (W3C WebDriver over plain fetch; no npm dependencies).
//
//   xvfb-run -a node --test tests/e2e/desktop.test.mjs
//
// Environment:
//   ZIPING_DESKTOP_BIN  the binary to drive (default: target/debug/ziping-desktop)
//   TAURI_DRIVER        the tauri-driver executable (default: found on PATH or in ~/.cargo/bin)
//   E2E_TRACE=1         print every WebDriver request and answer
// The app runs with HOME and the XDG directories pointed at a temporary directory, so it never
// touches the user's data. Screenshots go to tests/e2e/out/ (ignored by git).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir, homedir } from 'node:os'
import { delimiter, dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const root = resolve(here, '..', '..')
const outDir = join(here, 'out')
const app = resolve(process.env.ZIPING_DESKTOP_BIN ?? join(root, 'target', 'debug', 'ziping-desktop'))
const realHome = homedir()

const W3C_ELEMENT = 'element-6066-11e4-a52e-4f735466cecf'

let driver = null // the tauri-driver child process
let driverLog = ''
let base = '' // http://127.0.0.1:<port>
let sessionId = null
let sandbox = ''

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

before(async () => {
  assert.ok(existsSync(app), `desktop binary not found at ${app}: build it first (cargo build -p ziping-desktop)`)
  assert.ok(process.env.DISPLAY, 'no DISPLAY: run this test under xvfb-run -a')

  sandbox = mkdtempSync(join(tmpdir(), 'ziping-e2e-'))
  for (const d of ['home', 'data', 'config', 'cache', 'state']) mkdirSync(join(sandbox, d), { mode: 0o700 })

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

  const db = join(sandbox, 'ws.sqlite')
  const session = await wd(
    'POST',
    '/session',
    { capabilities: { alwaysMatch: { 'tauri:options': { application: app, args: ['--db', db] } } } },
    60_000,
  ).catch((error) => {
    throw new Error(`could not start a WebDriver session for ${app}: ${error.message}\n--- tauri-driver log ---\n${driverLog}`)
  })
  sessionId = session.sessionId
  assert.ok(sessionId, `no session id in ${JSON.stringify(session)}`)
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

test('the main window shows the product name and, over IPC, the version', () => withDiagnostics('main-window', async () => {
  const title = await waitFor('#app-title', () => textOf('#app-title'))
  assert.equal(title.trim(), '履职自评')

  const subtitle = await textOf('.subtitle')
  assert.equal(subtitle.trim(), '履行教育职责自评工具')

  // The version arrives through the app_info command: this proves the IPC round trip.
  const version = await waitFor(
    '#app-version to show the version from app_info',
    async () => {
      const errors = await wd('POST', `/session/${sessionId}/elements`, { using: 'css selector', value: '#app-error' })
      if (errors.length > 0) throw new Error(`the UI reports an error: ${await textOf('#app-error')}`)
      const text = (await textOf('#app-version')).trim()
      return /^\d+\.\d+\.\d+/.test(text) ? text : null
    },
    20_000,
  )
  assert.match(version, /^\d+\.\d+\.\d+/)

  const windowTitle = await wd('GET', `/session/${sessionId}/title`)
  assert.equal(windowTitle, '履职自评')

  // Let the page paint after the last DOM change before taking the picture.
  await sleep(500)
  const file = await screenshot('main-window')
  console.log(`screenshot: ${file}`)
}))
