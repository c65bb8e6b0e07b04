// Benchmark (not a test): cold start of the desktop app to its first interactive form, and peak RSS,
// beside the same two figures for the bare engine — WebKitGTK's own MiniBrowser opening a static
// page with one form — measured the same way in the same run (a WebDriver session is started, the
// clock stops when the form can be used; VmHWM of the process and the WebKit processes it started).
//
//   xvfb-run -a node tests/bench/startup.mjs BIN WORKSPACE.sqlite [RUNS]
//
// Run by scripts/bench.sh (with the release build). The first start shows the assessment list; the
// benchmark then opens the first assessment, so the following starts reopen its workbench form.
import { spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { existsSync, mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { peakMiB, processTree } from '../lib/procs.mjs'

const [bin, workspace, runsArg] = process.argv.slice(2)
const runs = Number(runsArg ?? 3)
const miniBrowser = '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser'
if (!bin || !workspace || !existsSync(bin) || !existsSync(workspace)) {
  console.error('usage: node tests/bench/startup.mjs BIN WORKSPACE.sqlite [RUNS]')
  process.exit(2)
}
const W3C_ELEMENT = 'element-6066-11e4-a52e-4f735466cecf'
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

function freePort() {
  return new Promise((resolvePort, reject) => {
    const s = createServer()
    s.on('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => resolvePort(port))
    })
  })
}

let base
async function wd(method, path, body, timeoutMs = 60_000) {
  const r = await fetch(base + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  })
  const json = JSON.parse(await r.text())
  if (!r.ok || json.value?.error) throw new Error(`${method} ${path}: ${json.value?.error} ${json.value?.message}`)
  return json.value
}

async function poll(what, probe, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      const v = await probe()
      if (v) return v
    } catch {}
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(20)
  }
}

/** Peak RSS (VmHWM, MiB) of the processes running `exe` and everything they started. */
function peakRss(exe) {
  const { own, all } = processTree(exe)
  return { own: peakMiB(own), all: peakMiB(all), alive: own.length }
}

async function withDriver(command, argsFor, env, body) {
  const port = await freePort()
  let native = await freePort()
  while (native === port) native = await freePort()
  base = `http://127.0.0.1:${port}`
  const child = spawn(command, argsFor(port, native), { env, stdio: 'ignore', detached: true })
  try {
    await poll('the WebDriver server', async () => (await wd('GET', '/status', undefined, 1000)) !== undefined, 15_000)
    return await body()
  } finally {
    try {
      process.kill(-child.pid, 'SIGTERM')
    } catch {}
    await sleep(300)
    try {
      process.kill(-child.pid, 'SIGKILL')
    } catch {}
  }
}

async function script(session, js) {
  return wd('POST', `/session/${session}/execute/sync`, { script: js, args: [] })
}

/** One cold start: the session is created (the browser process starts) and the clock runs until `ready`. */
async function start(capabilities, exe, ready, afterReady) {
  if (process.env.BENCH_TRACE) console.error(`starting ${exe}`)
  const t0 = performance.now()
  const session = (await wd('POST', '/session', { capabilities: { alwaysMatch: capabilities } })).sessionId
  const form = await poll('the first interactive form', () => ready(session))
  const ms = performance.now() - t0
  if (process.env.BENCH_TRACE) console.error(`started ${exe}: ${Math.round(ms)} ms (${form})`)
  if (afterReady) await afterReady(session, form)
  if (process.env.BENCH_TRACE) console.error('closing')
  await sleep(500)
  const rss = peakRss(exe)
  await wd('DELETE', `/session/${session}`).catch(() => {})
  await poll('the process to exit', async () => peakRss(exe).alive === 0, 15_000).catch(() => {})
  return { ms, form, rss }
}

const sandbox = mkdtempSync(join(tmpdir(), 'ziping-bench-'))
for (const d of ['home', 'data', 'config', 'cache']) mkdirSync(join(sandbox, d))
const env = {
  ...process.env,
  HOME: join(sandbox, 'home'),
  XDG_DATA_HOME: join(sandbox, 'data'),
  XDG_CONFIG_HOME: join(sandbox, 'config'),
  XDG_CACHE_HOME: join(sandbox, 'cache'),
  NO_AT_BRIDGE: '1',
  GTK_USE_PORTAL: '0',
}
const page = join(sandbox, 'form.html')
writeFileSync(
  page,
  '<!doctype html><meta charset="utf-8"><title>表单</title><form id="f"><label>自评说明<textarea id="t"></textarea></label><button id="b" type="button">保存</button></form>',
)

const ours = []
const theirs = []
const tauriDriver = join(process.env.CARGO_HOME ?? join(process.env.REAL_HOME ?? '/root', '.cargo'), 'bin', 'tauri-driver')
const driverCmd = existsSync(tauriDriver) ? tauriDriver : 'tauri-driver'

await withDriver(driverCmd, (p, n) => ['--port', String(p), '--native-port', String(n)], env, async () => {
  for (let i = 0; i < runs; i++) {
    ours.push(
      await start(
        { 'tauri:options': { application: bin, args: ['--db', workspace] } },
        bin,
        async (s) =>
          script(
            s,
            `const f = document.querySelector('#point-form textarea, #point-form button');
             if (f && !f.disabled) return 'workbench form';
             const b = document.querySelector('#create-button');
             const t = document.querySelector('#assessment-table .el-table__body, #assessment-table .el-table__empty-text');
             if (b && t && !document.querySelector('#assessment-table .el-loading-mask')) return 'assessment list';
             return null;`,
          ),
        i === 0
          ? async (s, form) => {
              if (form !== 'assessment list') return
              // Open the first assessment, so that the next starts reopen its workbench form.
              const open = await wd('POST', `/session/${s}/element`, { using: 'css selector', value: '.open-button' })
              await wd('POST', `/session/${s}/element/${open[W3C_ELEMENT] ?? open.ELEMENT}/click`, {})
              await poll('the workbench', () => script(s, "return !!document.querySelector('#point-form')"), 30_000)
            }
          : undefined,
      ),
    )
  }
})

await withDriver('WebKitWebDriver', (p) => [`--port=${p}`], env, async () => {
  for (let i = 0; i < runs; i++) {
    theirs.push(
      await start(
        { 'webkitgtk:browserOptions': { binary: miniBrowser, args: ['--automation'] } },
        miniBrowser,
        async (s) => {
          const url = await wd('GET', `/session/${s}/url`)
          if (!url.startsWith('file:')) await wd('POST', `/session/${s}/url`, { url: `file://${page}` })
          return script(s, "const t = document.querySelector('#t'); return t && !t.disabled ? 'form' : null")
        },
      ),
    )
  }
})
rmSync(sandbox, { recursive: true, force: true })

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
for (const [label, xs] of [['ziping-desktop', ours], ['MiniBrowser', theirs]]) {
  for (const [i, r] of xs.entries()) {
    console.log(`${label} start ${i + 1}: ${Math.round(r.ms)} ms to the ${r.form}; peak RSS ${Math.round(r.rss.own)} MiB (process), ${Math.round(r.rss.all)} MiB (with WebKit processes)`)
  }
}
const o = median(ours.map((r) => r.ms))
const t = median(theirs.map((r) => r.ms))
const oRss = Math.max(...ours.map((r) => r.rss.all))
const tRss = Math.max(...theirs.map((r) => r.rss.all))
console.log(`cold start to first interactive form (median of ${runs}):   ours ${Math.round(o)} ms   baseline MiniBrowser ${Math.round(t)} ms   ratio ${(o / t).toFixed(2)}× (ours / baseline)`)
console.log(`peak RSS, process + WebKit processes (max of ${runs}):        ours ${Math.round(oRss)} MiB   baseline MiniBrowser ${Math.round(tRss)} MiB   ratio ${(oRss / tRss).toFixed(2)}× (ours / baseline)`)
