// 复制到新年度 in headless Chromium against the UI test build (IPC mocked; see export-harness.mjs):
// the dialog offers the versions of the assessment's system (bundled and imported), previews how
// the leaves map to the chosen version (paired, renumbered/retitled, new, dropped) and copies
// onto that version.
//
//   (cd ui && npm run build:mock) && node --test tests/ui/copy.test.mjs
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { extend, launch } from './export-harness.mjs'

let page, calls, close

const HANDLERS = `(state) => {
  const info = (id, year, version) => ({
    id, uid: 'u' + id, region: '示例县', year, organ: '示例县人民政府', system_id: 'sample-county-24',
    system_version: version, system_name: '示例县24项', official: false, model: 'points', status: 'draft',
    revision: 1, created_at: '2024-12-01T00:00:00Z', updated_at: '2024-12-01T00:00:00Z', frozen_at: null,
    progress: { done: 24, total: 24, percent: 100 }, headline: '92分，优秀',
  })
  const version = (v, bundled, origin) => ({
    id: 'sample-county-24', version: v, name: '示例县24项', display_name: '示例县24项', short_name: null,
    official: false, model: 'points', issuer: null, years: null, level_names: ['一级指标', '测评内容'],
    groups: 5, leaves: 24, bundled, origin,
  })
  const leaf = (code, title) => ({ code, title })
  return {
    assessments: () => state.rows,
    library_systems: () => [version('2024', true), version('2025', false, 'import'), version('2017', false, 'import')],
    leaf_mapping_for_assessment: (a) => a.toVersion === '2025'
      ? {
          from_id: 'sample-county-24', from_version: '2024', to_id: 'sample-county-24', to_version: '2025',
          pairs: [
            { from: leaf('1', '党对教育工作的全面领导'), to: leaf('2', '党对教育工作的全面领导'), by: 'title' },
            { from: leaf('3', '教育督导体制机制'), to: leaf('3', '教育督导体制机制建设（修订）'), by: 'code' },
            { from: leaf('5', '科学的教育评价导向'), to: leaf('5', '科学的教育评价导向'), by: 'code_and_title' },
          ],
          unmatched_from: [leaf('24', '社会公众满意度')],
          unmatched_to: [leaf('25', '人民群众教育满意度')],
        }
      : {
          from_id: 'sample-county-24', from_version: '2024', to_id: 'sample-county-24', to_version: a.toVersion,
          pairs: [{ from: leaf('1', '党对教育工作的全面领导'), to: leaf('1', '党对教育工作的全面领导'), by: 'code_and_title' }],
          unmatched_from: [], unmatched_to: [],
        },
    copy_assessment: (a) => {
      const created = info(2, a.copy.year, a.copy.system_version)
      state.rows = [...state.rows, created]
      return created
    },
  }
}`

before(async () => {
  ;({ page, calls, close } = await launch())
  await extend(page, HANDLERS, { rows: [] })
  await page.evaluate(() => {
    window.__mockState.rows = [{
      id: 1, uid: 'u1', region: '示例县', year: 2024, organ: '示例县人民政府', system_id: 'sample-county-24',
      system_version: '2024', system_name: '示例县24项', official: false, model: 'points', status: 'draft',
      revision: 1, created_at: '2024-12-01T00:00:00Z', updated_at: '2024-12-01T00:00:00Z', frozen_at: null,
      progress: { done: 24, total: 24, percent: 100 }, headline: '92分，优秀',
    }]
  })
  // Leave the list and come back: it reloads with the row above.
  await page.click('#nav-systems')
  await page.click('#nav-list')
})

after(async () => {
  await close?.()
})

test('copy to a new year: versions offered, mapping previewed, copied onto the chosen version', async () => {
  await page.locator('#assessment-table .copy-button').first().waitFor()
  await page.locator('#assessment-table .copy-button').first().click()
  await page.locator('#copy-dialog #copy-summary').waitFor()
  // The newest version is preselected, and its mapping shown.
  assert.match(await page.locator('#copy-summary').innerText(), /3项对应（其中2项编号或名称有变化），沿用其文字；1项为新增；1项不再沿用。/)
  assert.match(await page.locator('#copy-dropped').innerText(), /24 社会公众满意度/)
  await page.locator('#copy-new summary').click()
  assert.match(await page.locator('#copy-new').innerText(), /25 人民群众教育满意度/)
  await page.locator('#copy-renamed summary').click()
  assert.match(await page.locator('#copy-renamed').innerText(), /1 党对教育工作的全面领导 → 2 党对教育工作的全面领导/)
  const maps = await calls('leaf_mapping_for_assessment')
  assert.deepEqual(maps.at(-1), { assessment: 1, toId: 'sample-county-24', toVersion: '2025' })

  // Another version: the preview follows.
  await page.click('.el-select__wrapper:has(#copy-version)')
  await page.locator('.el-select-dropdown__item', { hasText: '2024（内置）' }).click()
  await page.locator('#copy-summary', { hasText: '1项对应，沿用其文字；0项为新增；0项不再沿用。' }).waitFor()
  assert.equal(await page.locator('#copy-dropped').count(), 0)

  // Back to 2025 and copy.
  await page.click('.el-select__wrapper:has(#copy-version)')
  await page.locator('.el-select-dropdown__item', { hasText: '2025（导入）' }).click()
  await page.locator('#copy-summary', { hasText: '1项不再沿用' }).waitFor()
  await page.click('#copy-submit')
  await page.getByText('已创建2025年度评估（版本2025）').waitFor()
  await page.getByText('1项在新版本中没有对应，未沿用').first().waitFor()
  const copies = await calls('copy_assessment')
  assert.deepEqual(copies.at(-1).copy, {
    from: 1, year: 2025, region: null, organ: null, system_id: 'sample-county-24', system_version: '2025',
  })
})
