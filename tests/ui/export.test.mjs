// The 导出 page in headless Chromium against the UI test build (IPC mocked; see export-harness.mjs):
// texts prefilled, sections and formats chosen, a system font picked in the (mocked) native dialog,
// the first page previewed from real PDF bytes (page 1 of the demo report made by ziping-report,
// drawn by pdf.js), progress file by file, the written files listed and revealed, an error shown
// in Chinese.
//
//   (cd ui && npm run build:mock) && node --test tests/ui/export.test.mjs
//   SCREENSHOTS=docs/screenshots node --test tests/ui/export.test.mjs   also writes export.png
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createAssessment, extend, launch, root } from './export-harness.mjs'

let page, calls, close, errors

// The report commands, answered as ziping-app's report.rs does (same labels and shapes).
const HANDLERS = `(state) => {
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
  return {
    report_defaults: () => ({
      sections: [
        ['basic_info', '一、基本情况'], ['conclusion', '二、自评结论'], ['chart', '自评结果图'],
        ['performance', '三、履职情况'], ['problems', '四、存在问题'], ['measures', '五、整改措施'],
        ['signature', '落款'], ['appendix_scores', '附件：自评打分表'], ['appendix_evidence', '附件：佐证材料清单'],
        ['appendix_data', '附件：主要数据指标'],
      ].map(([key, label]) => ({ key, label })),
      fonts: [
        ['title', '标题（小标宋）', 'FandolSong-Bold'], ['hei', '黑体', 'FandolHei-Regular'], ['kai', '楷体', 'FandolKai-Regular'],
        ['fang', '仿宋', 'FandolFang-Regular'], ['song', '宋体', 'FandolSong-Regular'],
      ].map(([key, label, default_face]) => ({ key, label, default_face })),
    }),
    report_draft: () => ({
      title: '示例县人民政府关于2024年度履行教育职责情况的自查自评报告',
      recipient: '市人民政府教育督导委员会办公室',
      basis: '根据《测试用计分体系》的要求，我县对照评价指标，对2024年度履行教育职责情况进行了全面自查自评。现将有关情况报告如下。',
      basic_info: '',
      signature: '示例县人民政府',
      date: '2024年12月20日',
    }),
    report_preview: async () => {
      await sleep(50)
      return { pdf: state.pdf, pages_shown: 1, pages_total: 15 }
    },
    export_report: async (args) => {
      await sleep(300)
      const r = args.request
      if (state.failXlsx && r.xlsx) throw { code: 'io', message: '无法写入“' + r.xlsx + '”：权限不足。' }
      const files = []
      if (r.pdf) files.push({ format: 'pdf', path: r.pdf, bytes: 332167, pages: 15 })
      if (r.docx) files.push({ format: 'docx', path: r.docx, bytes: 48211 })
      if (r.xlsx) files.push({ format: 'xlsx', path: r.xlsx, bytes: 9120 })
      return { files, warnings: r.pdf && r.fonts.fang ? ['以下字符所选字体中没有，PDF 中留空：𬌗'] : [], elapsed_ms: 420 }
    },
    'plugin:dialog|open': (args) => state.picks.shift() ?? null,
    'plugin:opener|reveal_item_in_dir': () => null,
  }
}`

before(async () => {
  ;({ page, calls, close, errors } = await launch())
  const pdf = [...readFileSync(join(root, 'tests', 'ui', 'fixtures', 'report-page1.pdf'))]
  await extend(page, HANDLERS, { pdf, picks: [], failXlsx: false })
  await page.locator('#assessment-table').waitFor()
  await createAssessment(page, '测试用计分体系', '示例县')
  await page.click('#nav-export')
  await page.locator('#export-sections').waitFor()
})

after(async () => {
  await close?.()
})

test('export: chosen sections, fonts and formats; preview of page 1; progress; files listed and revealed', async () => {
  // The prefilled texts.
  assert.equal(await page.inputValue('#export-title'), '示例县人民政府关于2024年度履行教育职责情况的自查自评报告')
  assert.equal(await page.inputValue('#export-recipient'), '市人民政府教育督导委员会办公室')
  // Without a folder the export is not possible yet.
  assert.equal(await page.locator('#export-run').isDisabled(), true)

  // Leave out 四、存在问题 and the evidence appendix; no Word file.
  await page.locator('#export-sections .el-checkbox', { hasText: '四、存在问题' }).click()
  await page.locator('#export-appendices .el-checkbox', { hasText: '佐证材料清单' }).click()
  await page.locator('#export-formats .el-checkbox', { hasText: 'Word' }).click()

  // The native dialogs answer: a font file for 仿宋, then the output folder.
  await pushPicks(['/usr/share/fonts/仿宋_GB2312.ttf', '/home/督导室/报告'])
  await page.locator('[data-font="fang"] .font-pick').click()
  await page.locator('[data-font="fang"] .chosen', { hasText: '仿宋_GB2312.ttf' }).waitFor()
  await page.click('#export-choose-folder')
  assert.equal(await page.inputValue('#export-folder'), '/home/督导室/报告')

  // Preview: real PDF bytes drawn by pdf.js into a canvas.
  await page.click('#export-preview-button')
  await page.locator('#export-preview[data-drawn="1"]').waitFor({ timeout: 30000 })
  const inked = await page.evaluate(() => {
    const c = document.querySelector('#export-preview canvas')
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data
    let dark = 0
    for (let i = 0; i < d.length; i += 4) if (d[i] < 128 && d[i + 1] < 128 && d[i + 2] < 128) dark++
    return { w: c.width, h: c.height, dark }
  })
  assert.ok(inked.h > inked.w, `an A4 page is taller than wide: ${JSON.stringify(inked)}`)
  assert.ok(inked.dark > 2000, `the page has text drawn on it: ${JSON.stringify(inked)}`)
  assert.match(await page.locator('#export-page-count').innerText(), /全文共 15 页/)
  const previews = await calls('report_preview')
  assert.equal(previews.at(-1).pages, 1)
  assert.equal(previews.at(-1).options.sections.problems, false)
  assert.deepEqual(previews.at(-1).fonts, { fang: { path: '/usr/share/fonts/仿宋_GB2312.ttf', index: 0 } })

  // Export: two files, one call each; the bar moves file by file.
  await page.click('#export-run')
  await page.locator('#export-progress').waitFor()
  await page.locator('#export-step', { hasText: '（1/2）' }).waitFor()
  await page.locator('#export-step', { hasText: '导出完成。（2/2）' }).waitFor()
  assert.equal(await page.locator('#export-progress').getAttribute('aria-valuenow'), '100')
  const requests = (await calls('export_report')).map((a) => a.request)
  assert.equal(requests.length, 2)
  assert.equal(requests[0].pdf, '/home/督导室/报告/示例县2024年度履行教育职责自查自评报告.pdf')
  assert.equal(requests[0].docx, null)
  assert.equal(requests[1].xlsx, '/home/督导室/报告/示例县2024年度履行教育职责自评表.xlsx')
  for (const r of requests) {
    assert.equal(r.assessment, 1)
    assert.equal(r.options.sections.problems, false)
    assert.equal(r.options.sections.appendix_evidence, false)
    assert.equal(r.options.sections.appendix_scores, true)
    // Unchanged texts are left to the back end's defaults.
    assert.equal(r.options.title, null)
  }
  const listed = await page.locator('#export-files li').allInnerTexts()
  assert.equal(listed.length, 2)
  assert.match(listed[0], /PDF\s+示例县2024年度履行教育职责自查自评报告\.pdf\s+324 KB，共15页/)
  assert.match(listed[1], /Excel.*自评表\.xlsx/s)
  await page.getByText('以下字符所选字体中没有，PDF 中留空：𬌗').waitFor()

  // 打开所在文件夹: the file is shown in the file manager.
  await page.locator('#export-files li[data-format="pdf"] .reveal').click()
  const reveals = await calls('plugin:opener|reveal_item_in_dir')
  assert.deepEqual(reveals.at(-1).paths, ['/home/督导室/报告/示例县2024年度履行教育职责自查自评报告.pdf'])

  if (process.env.SCREENSHOTS) {
    await page.setViewportSize({ width: 1280, height: 1000 })
    await page.waitForTimeout(600) // the progress bar's transition
    await page.screenshot({ path: join(root, process.env.SCREENSHOTS, 'export.png') })
  }
})

test('export: an edited title is sent; a failing file stops with the Chinese message', async () => {
  await page.fill('#export-title', '示例县人民政府关于2024年度履行教育职责情况的自查报告')
  await setFail()
  await page.click('#export-run')
  await page.locator('#export-failed').waitFor()
  assert.match(await page.locator('#export-failed').innerText(), /无法写入“\/home\/督导室\/报告\/.*\.xlsx”：权限不足。/)
  assert.match(await page.locator('#export-step').innerText(), /导出未完成。（1\/2）/)
  const last = (await calls('export_report')).at(-2).request
  assert.equal(last.options.title, '示例县人民政府关于2024年度履行教育职责情况的自查报告')
  assert.deepEqual(errors, [])
})

async function pushPicks(paths) {
  await extendState((s, p) => s.picks.push(...p), paths)
}

async function setFail() {
  await extendState((s) => (s.failXlsx = true))
}

/** Changes the handlers' state in the page (window.__mockState, kept by `extend`). */
async function extendState(fn, arg) {
  await page.evaluate(([src, a]) => new Function(`return (${src})`)()(window.__mockState, a), [fn.toString(), arg])
}
