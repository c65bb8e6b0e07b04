// The evidence area of the point form, the 佐证材料 page, the 数据 page and the suggestion slot in
// headless Chromium against the UI test build (IPC mocked: ui/mock/fake.ts for the workbench, and
// tests/ui/evidence-fake.ts, transpiled here and installed in front of it, for evidence,
// packages, statistics and suggestions; native dialogs answer with window.__dialog).
//
//   (cd ui && npm run build:mock) && node --test tests/ui/evidence-data.test.mjs
//   SCREENSHOTS=docs/screenshots node --test tests/ui/evidence-data.test.mjs   also writes
//   evidence-page.png and data-page.png
//
// Flows: attach two files by the file dialog and one by dropping it on the window (progress list,
// rows linked); edit the metadata (文号 normalised as typed, an unreadable one flagged); the
// 佐证材料 page (search, filter by type, delete only when unlinked, 校验 lists the altered file by
// title and hash); the 数据 page (import preview with located problems refuses to import, a good
// file imports, figures coloured, the CV table per stage, a figure's source cells); the suggestion
// slot (采纳 writes the deduction, 不采纳 needs a reason and shows it); a large file's copy shown as
// a growing percentage from the shell's evidence-progress events.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { createAssessment, launch, root } from './export-harness.mjs'

const require = createRequire(join(root, 'ui', 'package.json'))
const ts = require('typescript')

let page, calls, close, errors

before(async () => {
  ;({ page, calls, close, errors } = await launch())
  const src = readFileSync(join(root, 'tests', 'ui', 'evidence-fake.ts'), 'utf8')
  const js = ts
    .transpileModule(src, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } })
    .outputText.replace(/^export function makeFake/m, 'function makeFake')
  await page.evaluate((code) => {
    // eslint-disable-next-line no-new-func
    const makeFake = new Function(`${code}\nreturn makeFake`)()
    const internals = window.__TAURI_INTERNALS__
    const next = internals.invoke.bind(internals)
    const handle = makeFake((cmd, args) => next(cmd, args))
    internals.invoke = async (cmd, args, options) => {
      const out = await handle(cmd, args ?? {})
      if (out === '__next__') return next(cmd, args, options)
      window.__calls.push({ cmd, args: JSON.parse(JSON.stringify(args ?? {})) })
      return out
    }
  }, js)
})

after(async () => {
  await close?.()
})

const dialog = (answers) => page.evaluate((a) => (window.__dialog = a), answers)
const shot = async (name) => {
  if (!process.env.SCREENSHOTS) return
  // Wait for the toasts to fade, so they do not cover the page.
  await page.waitForFunction(() => !document.querySelector('.el-message'), null, { timeout: 6000 }).catch(() => {})
  await page.screenshot({ path: join(root, process.env.SCREENSHOTS, name) })
}

test('attach: files from the dialog and a dropped file are stored, linked and listed', async () => {
  await page.locator('#assessment-table').waitFor()
  await createAssessment(page, '测试用计分体系', '示例县')
  await page.locator('#point-evidence').getByText('尚未关联佐证材料').waitFor()
  await dialog({ open: ['/home/督导室/材料/关于印发教育督导工作方案的通知.pdf', '/home/督导室/材料/2024年第一次教育工作联席会议纪要.docx'] })
  await page.click('#evidence-add-files')
  await page.locator('#evidence-jobs').getByText('已添加').first().waitFor()
  await page.locator('#evidence-linked .evidence-row').nth(1).waitFor()
  assert.equal(await page.locator('#evidence-linked .evidence-row').count(), 2)
  assert.equal((await calls('add_evidence')).length, 2)
  assert.deepEqual((await calls('link_evidence')).map((a) => a.edit.point), ['1', '1'])

  // A file dropped on the window: the webview's drag-and-drop event carries its path.
  const listeners = (await calls('plugin:event|listen')).filter((a) => a.event === 'tauri://drag-drop')
  assert.ok(listeners.length >= 1, 'the evidence area listens for dropped files')
  await page.evaluate((handler) => {
    window.__TAURI_INTERNALS__.runCallback(handler, {
      event: 'tauri://drag-drop',
      id: handler,
      payload: { paths: ['/home/督导室/材料/学校安全检查台账（已改动）.xlsx'], position: { x: 400, y: 500 } },
    })
  }, listeners.at(-1).handler)
  await page.locator('#evidence-linked .evidence-row').nth(2).waitFor()
  assert.match(await page.locator('#evidence-linked').innerText(), /学校安全检查台账（已改动）/)
})

test('metadata: the 文号 is shown normalised while typing, an unreadable one is flagged', async () => {
  await page.locator('#evidence-linked .evidence-row').first().locator('.ev-edit').click()
  await page.locator('#evidence-edit-form').waitFor()
  await page.click('.el-select__wrapper:has(#ev-kind)')
  await page.locator('.el-select-dropdown__item', { hasText: /^文件$/ }).click()
  await page.fill('#ev-issuer', '示例县人民政府')
  await page.fill('#ev-docno', '示政发[2024]3号')
  await page.locator('#ev-docno-preview', { hasText: '将保存为：示政发〔2024〕3号' }).waitFor()
  await page.fill('#ev-date', '2024-03-15')
  await page.click('#ev-save')
  await page.locator('#evidence-linked .evidence-row').first().getByText('示政发〔2024〕3号').waitFor()
  const saved = (await calls('update_evidence')).at(-1)
  assert.equal(saved.input.doc_no, '示政发[2024]3号')
  assert.equal(saved.input.kind, 'document')

  await page.locator('#evidence-linked .evidence-row').nth(1).locator('.ev-edit').click()
  await page.fill('#ev-docno', '见会议记录本')
  await page.locator('#ev-docno-preview', { hasText: '无法识别' }).waitFor()
  await page.click('#ev-save')
  await page.locator('#evidence-linked .evidence-row').nth(1).getByText('（文号无法识别）').waitFor()
})

test('evidence page: search, type filter, delete only when unlinked, 校验 names the altered file', async () => {
  await page.click('#nav-evidence')
  await page.locator('#evidence-table').getByText('关于印发教育督导工作方案的通知').waitFor()
  assert.equal(await page.locator('#evidence-table .el-table__body tbody tr').count(), 3)
  // Linked items cannot be deleted.
  assert.equal(await page.locator('#evidence-table .ev-delete').first().isDisabled(), true)

  await page.fill('#evidence-search', '纪要')
  await page.waitForFunction(() => document.querySelectorAll('#evidence-table .el-table__body tbody tr').length === 1)
  await page.fill('#evidence-search', '')
  await page.click('.el-select__wrapper:has(#evidence-kind-filter)')
  await page.locator('.el-select-dropdown__item', { hasText: /^文件$/ }).click()
  await page.waitForFunction(() => document.querySelectorAll('#evidence-table .el-table__body tbody tr').length === 1)
  assert.equal((await calls('evidence_list')).at(-1).filter.kind, 'document')
  await page.locator('.el-select__wrapper:has(#evidence-kind-filter)').hover()
  await page.locator('.el-select__wrapper:has(#evidence-kind-filter) .el-select__clear').click()
  await page.waitForFunction(() => document.querySelectorAll('#evidence-table .el-table__body tbody tr').length === 3)
  await shot('evidence-page.png')

  await page.click('#evidence-verify')
  await page.locator('#verify-summary', { hasText: '1 个有问题' }).waitFor()
  const rows = await page.locator('#verify-problems').innerText()
  assert.match(rows, /学校安全检查台账（已改动）/)
  assert.match(rows, /被改动/)
  assert.match(rows, /[0-9a-f]{64}/)
  await page.keyboard.press('Escape')
})

test('data page: a preview with problems cannot be imported; a good file gives coloured figures and the CV table', async () => {
  await page.click('#nav-data')
  await page.locator('#data-empty').waitFor()
  await dialog({ open: '/home/督导室/统计/2024统计_有问题.xlsx' })
  await page.click('#data-import')
  await page.click('#import-choose')
  await page.locator('#import-preview').waitFor()
  await page.locator('#import-summary', { hasText: '1 个错误' }).waitFor()
  const problems = await page.locator('#import-problems').innerText()
  assert.match(problems, /学校基本情况表/)
  assert.match(problems, /一千二/)
  assert.match(problems, /第5行G列/)
  assert.equal(await page.locator('#import-confirm').isDisabled(), true)
  // The mapping of the detected table.
  await page.locator('#import-preview .el-collapse-item__header').first().click()
  await page.locator('#import-preview').getByText('（不导入）').waitFor()

  await dialog({ open: '/home/督导室/统计/2024统计.xlsx' })
  await page.getByRole('button', { name: '重新选择…' }).click()
  await page.locator('#import-summary', { hasText: '0 个错误' }).waitFor()
  await page.click('#import-confirm')
  await page.locator('#import-done').waitFor()
  await page.getByRole('button', { name: '完成' }).click()
  assert.equal((await calls('import_statistics')).length, 1)

  await page.locator('#figures-table').getByText('社会公众对教育工作满意度', { exact: true }).waitFor()
  assert.ok(await page.locator('#figures-table tr.row-fail').count() >= 1)
  await shot('data-page.png')
  await page.getByRole('tab', { name: '差异系数' }).click()
  await page.locator('#cv-table .cv-value.fail', { hasText: '0.5300' }).waitFor()
  await page.locator('#cv-table .cv-value.pass', { hasText: '0.3100' }).waitFor()
  await page.locator('#cv-table .cv-value.fail').click()
  await page.locator('#figure-cells').getByText('学校基本情况表!H2').waitFor()
  await page.keyboard.press('Escape')
})

test('suggestions: 采纳 writes the deduction; 不采纳 needs a reason, which is shown', async () => {
  await page.click('#nav-workbench')
  await page.locator('[data-tree-code="1"]').click()
  const s1 = page.locator('#point-suggestions .suggestion[data-key="cv.R6.primary"]')
  await s1.waitFor()
  assert.match(await s1.innerText(), /建议扣1分/)
  await s1.locator('.adopt').click()
  await page.locator('#point-suggestions .suggestion[data-status="adopted"]').waitFor()
  await page.locator('#point-score', { hasText: '本项得分 24 / 25' }).waitFor()
  assert.equal(await page.locator('.deduction-reason input').first().inputValue(), '小学1项校际差异系数未达标')
  assert.equal((await calls('decide_suggestion')).at(-1).input.adopt, true)

  await page.locator('[data-tree-code="2"]').click()
  const s2 = page.locator('#point-suggestions .suggestion[data-key="teacher_pay"]')
  await s2.waitFor()
  await s2.locator('.decline').click()
  await page.locator('#decline-reason').waitFor()
  assert.equal(await page.locator('#decline-confirm').isDisabled(), true)
  await page.fill('#decline-reason', '工资数据为预算数，待决算后复核。')
  await page.click('#decline-confirm')
  await page.locator('#point-suggestions .suggestion[data-status="declined"]').waitFor()
  assert.match(await s2.locator('.reason-text').innerText(), /工资数据为预算数，待决算后复核。/)
  const last = (await calls('decide_suggestion')).at(-1).input
  assert.deepEqual([last.adopt, last.reason, last.point], [false, '工资数据为预算数，待决算后复核。', '2'])
  assert.deepEqual(errors, [])
})

test('a large file: its copy is shown as a growing percentage while it is added', async () => {
  await page.locator('#point-code', { hasText: /^2$/ }).waitFor()
  const listening = (await calls('plugin:event|listen')).filter((a) => a.event === 'evidence-progress')
  assert.ok(listening.length >= 1, 'the evidence area listens for evidence-progress events')
  await dialog({ open: ['/home/督导室/材料/校园安全巡查录像.mp4'] })
  await page.click('#evidence-add-files')
  await page.locator('#evidence-jobs .job-progress').waitFor()
  assert.match(await page.locator('#evidence-jobs .job-bytes').innerText(), /\/ 48\.0 MB$/)
  // What the user sees, sampled until the file is added.
  const seen = await page.evaluate(async () => {
    const out = []
    const t0 = performance.now()
    while (performance.now() - t0 < 8000 && !document.querySelector('#evidence-jobs .job.done')) {
      const text = document.querySelector('#evidence-jobs .job-progress .el-progress__text')?.textContent.trim()
      if (text && out.at(-1) !== text) out.push(text)
      await new Promise((r) => setTimeout(r, 20))
    }
    return out
  })
  const values = seen.map((t) => Number(t.replace('%', '')))
  assert.ok(values.some((v) => v > 0 && v < 100), `a percentage between 0 and 100 was shown: ${seen}`)
  assert.ok(values.length >= 3, `the percentage grew in steps: ${seen}`)
  assert.ok(values.every((v, i) => i === 0 || v >= values[i - 1]), `never backwards: ${seen}`)
  await page.locator('#evidence-jobs .job.done', { hasText: '校园安全巡查录像.mp4' }).waitFor()
  assert.equal(await page.locator('#evidence-jobs .job-progress').count(), 0, 'no percentage once added')
  await page.locator('#evidence-linked').getByText('校园安全巡查录像').waitFor()
  assert.deepEqual(errors, [])
})
