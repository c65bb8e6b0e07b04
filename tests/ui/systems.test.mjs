// The 指标体系 page in headless Chromium against the UI test build (IPC mocked; see
// export-harness.mjs): the list with 示例 and 内置 marks; the import wizard (file chosen in the
// native dialog → detected columns, model and tree → a located problem → the user corrects the
// total → check → save → the new system appears in the list); attaching 测评点 as a new version;
// the editor saving a new version; the leaf mapping between versions.
//
//   (cd ui && npm run build:mock) && node --test tests/ui/systems.test.mjs
//   SCREENSHOTS=docs/screenshots node --test tests/ui/systems.test.mjs   also writes systems.png
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { extend, launch, root } from './export-harness.mjs'

let page, calls, close, errors

const FILE = '/home/督导室/下载/某省2024年度县级人民政府履行教育职责评价指标体系.xlsx'

// The library commands, answered with the shapes of ziping-app's systems.rs.
const HANDLERS = `(state) => {
  const FILE_NAME = state.file.split('/').pop()
  const info = (o) => ({
    short_name: null, issuer: null, years: null, level_names: ['一级指标', '二级指标'], bundled: false, ...o,
    display_name: (o.official ? '' : '示例：') + o.name,
  })
  const leaf = (code, title, max, row) => ({ code, title, max_score: max, text: title + '的测评要点。', scoring_rule: '未达到要求的扣' + max / 2 + '分。', row, col: 'B' })
  const tree = [
    { code: '一', title: '保障机制', row: 4, col: 'A', children: [leaf('1', '经费投入', 30, 4), leaf('2', '教师队伍', 20, 5)] },
    { code: '二', title: '教育质量', row: 6, col: 'A', children: [leaf('3', '学校规模', 28, 6), leaf('4', '公众满意度', 20, 7)] },
  ]
  const preview = {
    file: FILE_NAME, sha256: 'ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12', sheet: '附件1', header_rows: [3],
    columns: [
      { col: 'A', header: '一级指标', role: 'level', level: 1, meaning: '第1级指标“一级指标”' },
      { col: 'B', header: '二级指标', role: 'level', level: 2, meaning: '第2级指标“二级指标”' },
      { col: 'C', header: '分值', role: 'score', meaning: '分值' },
      { col: 'D', header: '评分标准', role: 'rule', meaning: '评分标准' },
      { col: 'E', header: '自评得分', role: 'fill', meaning: '填报列，不导入' },
    ],
    title: '某省2024年度县级人民政府履行教育职责评价指标体系', year: 2024, level_names: ['一级指标', '二级指标'],
    model: 'points', model_reason: '表中有“分值”列（C列），各二级指标都填有分值。',
    declared_total: 100, leaf_sum: 98, levels: [
      { code: 'A', label: '完全落实' }, { code: 'B', label: '基本落实' }, { code: 'C', label: '未落实', needs_explanation: true },
    ],
    suggested_grades: [{ grade: 'A', min: 90 }, { grade: 'B', min: 75 }, { grade: 'C', min: 60 }, { grade: 'D', min: 0 }],
    tree, bonus: [], notes: ['注：各地可结合实际细化评分标准。'], groups: 2, leaves: 4,
    problems: [
      { severity: 'warning', file: FILE_NAME, sheet: '附件1', row: 3, col: 'E', header: '自评得分', reason: '这是填报列，不导入。', message: FILE_NAME + ' › 附件1 › 第3行 › E列（自评得分）：这是填报列，不导入。' },
    ],
    errors: 0, warnings: 1,
  }
  const built = (o) => ({ format: 1, id: 'import-5e1f0a2b', version: o.version ?? '2024', name: o.name, official: true,
    level_names: ['一级指标', '二级指标'], scoring: { model: 'points', total: o.total ?? 100, grades: o.grades ?? [] },
    children: tree.map((g) => ({ code: g.code, title: g.title, children: g.children.map((l) => ({ code: l.code, title: l.title, max_score: l.max_score })) })) })
  return {
    library_systems: () => state.list,
    preview_system_import: ({ path }) => {
      if (!path.endsWith('.xlsx')) throw { code: 'invalid_input', message: '“' + path + '”不是 Excel 工作簿。' }
      return preview
    },
    import_system: ({ path, request }) => {
      const o = request.options
      const total = o.total ?? preview.declared_total
      const problems = [...preview.problems]
      if (total !== preview.leaf_sum)
        problems.push({ severity: 'error', file: FILE_NAME, sheet: '附件1', row: 8, col: 'C', header: '分值', value: '100',
          reason: '各测评点分值之和为98分，与总分' + total + '分不符。', message: FILE_NAME + ' › 附件1 › 第8行 › C列（分值）：各测评点分值之和为98分，与总分' + total + '分不符。' })
      const errors = problems.filter((p) => p.severity === 'error').length
      if (!request.dry_run && errors) throw { code: 'invalid_system', message: '“' + FILE_NAME + '”有' + errors + '处错误，未导入。' }
      const system = errors ? undefined : built(o)
      const out = { written: !request.dry_run, preview, problems, errors, warnings: problems.length - errors, system, already_present: false }
      if (!request.dry_run) {
        const saved = info({ id: system.id, version: system.version, name: system.name, official: true, model: 'points', groups: 2, leaves: 4,
          origin: 'import', year: 2024, source_file: FILE_NAME, source_sha256: preview.sha256, created_at: '2026-11-30T09:20:00Z' })
        state.list.push(saved)
        out.saved = saved
      }
      return out
    },
    attach_points: ({ baseId, baseVersion, path, dryRun }) => {
      const base = state.list.find((s) => s.id === baseId && s.version === baseVersion)
      const version = baseVersion + '.1'
      const system = { format: 1, id: baseId, version, name: base.name, official: base.official, level_names: ['评价内容', '测评内容', '测评点'],
        scoring: { model: 'rated', levels: [] }, children: [{ code: 'A', title: '甲', children: Array.from({ length: 92 }, (_, i) => ({ code: String(i + 1), title: '测评点' + (i + 1) })) }] }
      const problems = [{ severity: 'warning', file: path.split('/').pop(), sheet: '测评点', row: 97, col: 'A', reason: '注释行，不导入。', message: '注释行，不导入。' }]
      const out = { written: !dryRun, preview, problems, errors: 0, warnings: 1, system, already_present: false }
      if (!dryRun) {
        const saved = { ...base, version, bundled: false, origin: 'attach', base_version: baseVersion, leaves: 92, source_file: path.split('/').pop(), created_at: '2026-11-30T09:25:00Z' }
        state.list.push(saved)
        out.saved = saved
      }
      return out
    },
    system_detail: ({ id, version }) => {
      const s = state.list.find((x) => x.id === id && x.version === version)
      return { format: 1, id, version, name: s.name, official: s.official, level_names: s.level_names,
        scoring: { model: 'points', total: 100, grades: [{ grade: 'A', min: 90 }, { grade: 'B', min: 75 }] },
        children: [{ code: '一', title: '保障机制', children: [
          { code: '1', title: '经费投入', max_score: 50, text: '落实教育经费“两个只增不减”。', figures: [{ figure: 'cv', thresholds: { primary_max: 0.5, junior_max: 0.45 } }] },
          { code: '2', title: '教师队伍', max_score: 50 } ] }] }
    },
    edit_system: ({ edit }) => {
      const base = state.list.find((x) => x.id === edit.system_id && x.version === edit.version)
      const saved = { ...base, version: edit.new_version ?? edit.version + '.1', bundled: false, origin: 'edit', base_version: edit.version, created_at: '2026-11-30T09:30:00Z' }
      state.list.push(saved)
      return saved
    },
    export_system: () => null,
    write_system_template: () => null,
    leaf_mapping: ({ fromId, fromVersion, toId, toVersion }) => ({
      from_id: fromId, from_version: fromVersion, to_id: toId, to_version: toVersion,
      pairs: [
        { from: { code: '1', title: '经费投入' }, to: { code: '1', title: '经费投入' }, by: 'code_and_title' },
        { from: { code: '2', title: '教师队伍' }, to: { code: '3', title: '教师队伍' }, by: 'title' },
      ],
      unmatched_from: [{ code: '3', title: '学校规模' }],
      unmatched_to: [{ code: '2', title: '教师待遇' }],
    }),
    'plugin:dialog|open': () => state.picks.shift() ?? null,
    'plugin:dialog|save': () => state.picks.shift() ?? null,
  }
}`

const LIST = [
  {
    id: 'national-provincial-2017', version: '2017', name: '对省级人民政府履行教育职责的评价（2017年版指标体系）',
    display_name: '对省级人民政府履行教育职责的评价（2017年版指标体系）', short_name: '国家2017版', official: true, model: 'rated',
    issuer: '国务院教育督导委员会办公室', years: '2017年起', level_names: ['评价内容', '测评内容'], groups: 6, leaves: 38, bundled: true,
  },
  {
    id: 'sample-county-24', version: '1', name: '对县级人民政府履行教育职责评价指标体系（24个测评点）',
    display_name: '示例：对县级人民政府履行教育职责评价指标体系（24个测评点）', short_name: null, official: false, model: 'points',
    issuer: null, years: null, level_names: ['一级指标', '测评点'], groups: 4, leaves: 24, bundled: true,
  },
]

before(async () => {
  ;({ page, calls, close, errors } = await launch())
  await extend(page, HANDLERS, { list: LIST, picks: [], file: FILE })
  await page.click('#nav-systems')
  await page.locator('#system-table').waitFor()
})

after(async () => {
  await close?.()
})

async function pushPicks(paths) {
  await page.evaluate((p) => window.__mockState.picks.push(...p), paths)
}

const rows = () => page.locator('#system-table .el-table__body-wrapper tbody tr').allInnerTexts()

test('list: bundled systems with versions; the 示例 one is marked', async () => {
  await page.locator('[data-system="sample-county-24"]').waitFor()
  const texts = await rows()
  assert.equal(texts.length, 2)
  assert.match(texts[0], /内置\s*对省级人民政府履行教育职责的评价（2017年版指标体系）/)
  assert.match(texts[0], /2017/)
  assert.match(texts[0], /等级制/)
  assert.match(texts[1], /示例\s*内置\s*对县级人民政府/)
  assert.match(texts[1], /计分制/)
  assert.match(texts[1], /4个一级，24个末级/)
  assert.equal(await page.locator('[data-system="national-provincial-2017"] .el-tag', { hasText: '示例' }).count(), 0)
})

test('import: preview with columns, model and tree; a located problem; the corrected total saves; the list shows it', async () => {
  await page.click('#system-import-button')
  await pushPicks([FILE])
  await page.click('#system-import-choose')
  await page.locator('#system-import-columns').waitFor()
  assert.deepEqual((await calls('preview_system_import')).at(-1), { path: FILE })
  assert.match(await page.locator('#system-import-file').innerText(), /工作表“附件1”，表头在第3行；2个一级指标，4个末级指标/)
  const columns = await page.locator('#system-import-columns tbody tr').allInnerTexts()
  assert.equal(columns.length, 5)
  assert.match(columns[2], /C\s+分值\s+分值/)
  assert.match(columns[4], /E\s+自评得分\s+填报列，不导入/)
  assert.match(await page.locator('#system-import-model-reason').innerText(), /自动识别为计分制：表中有“分值”列/)
  await page.locator('#system-import-tree [data-label="1　经费投入"]').waitFor()
  assert.match(await page.locator('#system-import-tree').innerText(), /3　学校规模\s*28分，第6行B列/)
  assert.match(await page.locator('#system-import-problems').innerText(), /提示\s+附件1，第3行\s+E列（自评得分）\s+这是填报列，不导入。/)
  assert.equal(await page.inputValue('#system-import-name'), '某省2024年度县级人民政府履行教育职责评价指标体系')
  assert.equal(await page.inputValue('#system-import-total'), '100.00')
  if (process.env.SCREENSHOTS) await page.screenshot({ path: join(root, process.env.SCREENSHOTS, 'systems-import.png') })

  // Check with the table's 合计 (100): the leaves add up to 98 — an error, located; save is disabled.
  await page.click('#system-import-check-button')
  await page.locator('#system-check-problems[data-errors="1"]').waitFor()
  const problem = await page.locator('#system-check-problems').innerText()
  assert.match(problem, /错误\s+附件1，第8行\s+C列（分值）\s+“100”：各测评点分值之和为98分，与总分100分不符。/)
  assert.match(problem, /发现\s*1个错误\s*、\s*1个提示/)
  assert.equal(await page.locator('#system-import-save').isDisabled(), true)

  // Back: the user confirms the total as 98 and the grade cut-offs, then checks again and saves.
  await page.getByRole('button', { name: '上一步' }).click()
  await page.fill('#system-import-total', '98')
  await page.locator('#system-import-total').blur()
  await page.fill('#system-import-version', '2024')
  await page.click('#system-import-check-button')
  await page.locator('#system-check-problems[data-errors="0"]').waitFor()
  assert.equal(await page.locator('#system-import-save').isDisabled(), false)
  await page.click('#system-import-save')
  await page.locator('[data-system="import-5e1f0a2b"]').waitFor()
  await page.locator('#system-import-dialog').waitFor({ state: 'hidden' })

  const imports = await calls('import_system')
  assert.equal(imports.length, 3)
  assert.deepEqual(
    imports.map((c) => c.request.dry_run),
    [true, true, false],
  )
  const saved = imports.at(-1)
  assert.equal(saved.path, FILE)
  assert.equal(saved.request.expected_sha256, 'ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12')
  assert.equal(saved.request.options.model, 'points')
  assert.equal(saved.request.options.total, 98)
  assert.equal(saved.request.options.version, '2024')
  assert.deepEqual(saved.request.options.grades.map((g) => g.grade), ['A', 'B', 'C', 'D'])
  const texts = await rows()
  assert.equal(texts.length, 3)
  assert.match(texts[2], /某省2024年度县级人民政府履行教育职责评价指标体系/)
  assert.match(texts[2], /导入，某省2024年度县级人民政府履行教育职责评价指标体系\.xlsx/)
  assert.equal(await page.locator('[data-system="import-5e1f0a2b"] .el-tag', { hasText: '示例' }).count(), 0)
  if (process.env.SCREENSHOTS) {
    await page.waitForTimeout(300)
    await page.screenshot({ path: join(root, process.env.SCREENSHOTS, 'systems.png') })
  }
})

test('attach: the 92 测评点 under the national system become version 2017.1', async () => {
  await page.locator('[data-system="national-provincial-2017"]').locator('xpath=ancestor::tr').locator('.attach-button').click()
  await pushPicks(['/home/督导室/下载/92个测评点.xlsx'])
  await page.click('#system-attach-choose')
  await page.locator('#system-attach-result').waitFor()
  assert.match(await page.locator('#system-attach-result').innerText(), /新版本“2017\.1”，共92个末级指标/)
  await page.click('#system-attach-save')
  await page.locator('[data-system="national-provincial-2017"][data-version="2017.1"]').waitFor()
  const attach = await calls('attach_points')
  assert.deepEqual(attach.map((a) => a.dryRun), [true, false])
  assert.equal(attach[1].baseId, 'national-provincial-2017')
  assert.equal(attach[1].baseVersion, '2017')
  assert.match((await rows()).join('\n'), /挂接测评点，基于版本2017，92个测评点\.xlsx/)
})

test('editor: a corrected title, max score and threshold are saved as a new version', async () => {
  await page.locator('[data-system="import-5e1f0a2b"]').locator('xpath=ancestor::tr').locator('.edit-button').click()
  await page.locator('#system-editor [data-code="1"]').click()
  await page.fill('#editor-title', '教育经费投入')
  await page.fill('#editor-max', '48')
  const threshold = page.locator('#editor-node .el-input-number input').first()
  await threshold.fill('0.55')
  await threshold.blur()
  if (process.env.SCREENSHOTS_ALL) await page.screenshot({ path: join(root, process.env.SCREENSHOTS_ALL, 'systems-editor.png') })
  await page.click('#editor-save')
  await page.locator('[data-system="import-5e1f0a2b"][data-version="2024.1"]').waitFor()
  const edit = (await calls('edit_system')).at(-1).edit
  assert.equal(edit.system_id, 'import-5e1f0a2b')
  assert.equal(edit.version, '2024')
  assert.equal(edit.name, null)
  assert.deepEqual(edit.nodes, [
    { code: '1', thresholds: [{ figure: 'cv', name: 'primary_max', value: 0.55 }], title: '教育经费投入', max_score: '48' },
  ])
})

test('export, template and the leaf mapping between two versions', async () => {
  await pushPicks(['/home/督导室/指标体系.xlsx'])
  await page.locator('[data-system="import-5e1f0a2b"][data-version="2024"]').locator('xpath=ancestor::tr').locator('.export-button').click()
  await page.getByText('已导出到：/home/督导室/指标体系.xlsx').waitFor()
  assert.deepEqual((await calls('export_system')).at(-1), { id: 'import-5e1f0a2b', version: '2024', path: '/home/督导室/指标体系.xlsx' })
  await pushPicks(['/home/督导室/空白模板.xlsx'])
  await page.click('#system-template-button')
  await page.getByText('空白模板已保存到：/home/督导室/空白模板.xlsx').waitFor()

  await page.locator('[data-system="import-5e1f0a2b"][data-version="2024"]').locator('xpath=ancestor::tr').locator('.mapping-button').click()
  await page.locator('#leaf-mapping').waitFor()
  const text = await page.locator('#leaf-mapping').innerText()
  assert.match(text, /从版本“2024”到版本“2024\.1”：2个末级指标可以对应（其中1个编号和标题都相同）/)
  assert.match(text, /2　教师队伍\s+3　教师队伍\s+标题相同（编号改变）/)
  assert.match(text, /旧版本中没有对应项的\s+3　学校规模/)
  assert.match(text, /新版本中新增的\s+2　教师待遇/)
  if (process.env.SCREENSHOTS_ALL) await page.screenshot({ path: join(root, process.env.SCREENSHOTS_ALL, 'systems-mapping.png') })
  assert.deepEqual(errors, [])
})
