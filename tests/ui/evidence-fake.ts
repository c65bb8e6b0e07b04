// The in-memory stand-in for the evidence, package and statistics commands (佐证材料 and 数据
// pages, the evidence area and the suggestion slot of the point form), for the UI tests in
// headless Chromium (tests/ui/evidence-data.test.mjs). The test transpiles this file with
// TypeScript and installs `makeFake(next)` in the page in front of the workbench fake
// (ui/mock/fake.ts), which answers every command returning NEXT here. Native dialogs answer with
// what a test put in `window.__dialog` (open: a path or a list of paths; save: a path).
import type {
  EvidenceFilter,
  EvidenceInput,
  EvidenceItem,
  EvidenceLinkEdit,
  HistoryItem,
  SuggestionDecisionInput,
  SuggestionDto,
  WorkbenchUpdate,
} from '../../ui/src/ipc/bindings'

type Handle = (cmd: string, args: Record<string, unknown>) => Promise<unknown>

export function makeFake(workbench: Handle) {
  const NEXT = '__next__'
  interface DialogAnswers {
    open?: string | string[] | null
    save?: string | null
  }
  const dialog = (): DialogAnswers => (window as unknown as { __dialog?: DialogAnswers }).__dialog ?? {}

  const KINDS = [
    ['document', '文件'], ['minutes', '会议纪要'], ['ledger', '台账'], ['statistics', '统计表'],
    ['photo', '照片'], ['certificate', '证书'], ['other', '其他'],
  ] as const
  const kindLabel = (k: string) => KINDS.find((x) => x[0] === k)?.[1] ?? '其他'

  const items: EvidenceItem[] = []
  let nextEvidence = 1
  const altered = new Set<number>()
  const base = (p: string) => p.split(/[\\/]/).pop() ?? p
  const stem = (p: string) => base(p).replace(/\.[^.]*$/, '')
  const fakeSha = (s: string) => {
    let h = 0
    for (const c of s) h = (h * 31 + c.charCodeAt(0)) >>> 0
    return (h.toString(16).padStart(8, '0')).repeat(8)
  }

  /** The 文号 rule of ziping_core::docno, enough for the tests. */
  function normalizeDocNo(input: string): { text: string; flagged: boolean } {
    const t = input.replace(/\s+/g, '').replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    if (!t) return { text: '', flagged: false }
    const m = /^([^［【﹝\[（(〔〖\d]+)[［【﹝\[（(〔〖](\d{4})年?[］】﹞\]）)〕〗]第?0*(\d+)号?$/.exec(t)
    return m ? { text: `${m[1]}〔${m[2]}〕${m[3]}号`, flagged: false } : { text: input.trim(), flagged: true }
  }

  function meta(item: EvidenceItem, input: EvidenceInput) {
    const d = normalizeDocNo(input.doc_no)
    Object.assign(item, {
      title: input.title.trim() || item.title,
      kind: input.kind || 'other',
      kind_label: kindLabel(input.kind || 'other'),
      issuer: input.issuer.trim(),
      doc_no: d.text,
      doc_no_flagged: d.flagged,
      date: input.date.trim(),
      note: input.note.trim(),
    })
  }

  function linkInfo(e: EvidenceLinkEdit) {
    return { assessment: e.assessment, region: '示例县', year: 2024, point: e.point, point_label: `第${e.point}测评点`, point_title: `测评点${e.point}`, linked_at: '2024-01-05T09:00:00+08:00' }
  }

  const history = (point: string, text: string): HistoryItem => ({
    id: Math.floor(Math.random() * 1e6), point, field: 'evidence', field_label: '佐证材料', old_value: null, new_value: null,
    change: text, at: '2024-01-05T09:00:00+08:00', revision: 1, reverted_id: null,
  })

  // Statistics: one import per assessment; the figures are fixed, two of them failing.
  const imported = new Set<number>()
  const cell = (row: number, col: string) => ({ file: '统计.xlsx', sheet: '学校基本情况表', row, col })
  const FIGURES = [
    { id: 'cv.R6.primary', kind: 'cv', item: 'R6', title: '小学生均教学仪器设备值差异系数', stage: '小学', value: 0.53, decimals: 4, unit: '', display: '0.5300', threshold: 0.5, compare: 'at_most', pass: false, statement: '小学生均教学仪器设备值差异系数为0.5300，高于0.50，未达标', provenance: [cell(2, 'H'), cell(2, 'P'), cell(3, 'H'), cell(3, 'P')], detail: { type: 'cv', mean: 2100, sd: 1113, students: 900, rows: [{ school: '第一小学', students: 500, value: 3000 }, { school: '第二小学', students: 400, value: 975 }] } },
    { id: 'cv.R6.junior', kind: 'cv', item: 'R6', title: '初中生均教学仪器设备值差异系数', stage: '初中', value: 0.31, decimals: 4, unit: '', display: '0.3100', threshold: 0.45, compare: 'at_most', pass: true, statement: '初中生均教学仪器设备值差异系数为0.3100，不高于0.45，达标', provenance: [cell(4, 'H'), cell(4, 'P')], detail: { type: 'cv', mean: 2600, sd: 806, students: 700, rows: [] } },
    { id: 'resource_indicator.R6.primary', kind: 'resource_indicator', item: 'R6', title: '小学生均教学仪器设备值', stage: '小学', value: 2100, decimals: 0, unit: '元', display: '2100元', threshold: 2000, pass: true, statement: '全县小学生均教学仪器设备值平均为2100元', provenance: [cell(2, 'P')], detail: { type: 'resource', mean: 2100, standard: 2000, rows: [] } },
    { id: 'satisfaction', kind: 'satisfaction', title: '社会公众对教育工作满意度', value: 83.5, decimals: 2, unit: '分', display: '83.5分', threshold: 85, compare: 'at_least', pass: false, statement: '社会公众对教育工作满意度为83.5分，低于85分', provenance: [{ file: '统计.xlsx', sheet: '满意度调查表', row: 3, col: 'D' }], detail: { type: 'none' } },
    { id: 'teacher_pay', kind: 'teacher_pay', title: '义务教育教师与当地公务员年平均工资收入差额', value: 3400, decimals: 2, unit: '元', display: '高3400元', threshold: 0, compare: 'at_least', pass: true, statement: '义务教育教师年平均工资收入高于当地公务员', provenance: [{ file: '统计.xlsx', sheet: '教师工资对比表', row: 4, col: 'B' }], detail: { type: 'pair', a: 118600, b: 115200 } },
  ]
  const SOURCES = [
    { table: 'schools', title: '学校基本情况表', file: '统计.xlsx', sha256: 'a'.repeat(64), sheet: '学校基本情况表', rows: 3, imported_at: '2024-01-05T09:00:00+08:00' },
    { table: 'satisfaction', title: '满意度表', file: '统计.xlsx', sha256: 'a'.repeat(64), sheet: '满意度调查表', rows: 1, imported_at: '2024-01-05T09:00:00+08:00' },
  ]

  function preview(path: string) {
    const file = base(path)
    const problems = path.includes('问题')
      ? [
          { severity: 'error', file, sheet: '学校基本情况表', row: 5, col: 'G', header: '在校学生数（人）', value: '一千二', reason: 'not_a_number', message: `“${file}”工作表“学校基本情况表”第5行G列（在校学生数（人））的值“一千二”不是数字。` },
          { severity: 'warning', file, sheet: '学校基本情况表', row: 9, col: 'A', header: '学校名称', value: '合计', reason: 'total_mismatch', message: `“${file}”工作表“学校基本情况表”第9行（合计）与各行之和不符。` },
        ]
      : []
    return {
      file, sha256: 'b'.repeat(64),
      tables: [{ kind: 'schools', title: '学校基本情况表', sheet: '学校基本情况表', header_rows: [2, 3], columns: [
        { col: 'A', header: '学校名称', field: 'school', field_title: '学校名称', factor: 1 },
        { col: 'G', header: '在校学生数（人）', field: 'students', field_title: '在校学生数（人）', factor: 1 },
        { col: 'Z', header: '填表人', field: null, field_title: null, factor: 1 },
      ], rows: 3, total_rows: 1, skipped_rows: 0 }],
      ignored_sheets: [{ sheet: '说明', reason: '说明页' }],
      problems, errors: problems.filter((p) => p.severity === 'error').length, warnings: problems.filter((p) => p.severity === 'warning').length,
    }
  }

  // Suggestions of the points fake system: leaf 1 a deduction, leaf 2 a pass.
  const decisions = new Map<string, { status: string; reason: string }>()
  function suggestionsOf(assessment: number, point: string): SuggestionDto[] {
    if (!imported.has(assessment)) return []
    const list: SuggestionDto[] = []
    if (point === '1')
      list.push({ point_title: '经费投入', key: 'cv.R6.primary', status: { status: 'open', reason: '', decided_at: '', outdated: false, decided_explanation: '' }, point: '1', kind: 'deduction', amount: 1, reason: '小学1项校际差异系数未达标', explanation: '小学7项校际差异系数中1项未达标（小学生均教学仪器设备值0.53，高于0.50），建议扣1分。', figures: ['cv.R6.primary'] })
    if (point === '2')
      list.push({ point_title: '教师队伍', key: 'teacher_pay', status: { status: 'open', reason: '', decided_at: '', outdated: false, decided_explanation: '' }, point: '2', kind: 'pass', explanation: '义务教育教师年平均工资收入高于当地公务员，不扣分。', figures: ['teacher_pay'] })
    for (const s of list) {
      const d = decisions.get(`${assessment}|${point}|${s.key}`)
      if (d) s.status = { status: d.status, reason: d.reason, decided_at: '2024-01-05T09:00:00+08:00', outdated: false, decided_explanation: s.explanation }
    }
    return list
  }

  return async function handleData(cmd: string, args: Record<string, unknown>): Promise<unknown> {
    switch (cmd) {
      case 'plugin:dialog|open':
        return dialog().open ?? null
      case 'plugin:dialog|save':
        return dialog().save ?? null
      case 'evidence_kinds':
        return KINDS.map(([code, label]) => ({ code, label }))
      case 'doc_no_preview':
        return normalizeDocNo(args.text as string)
      case 'add_evidence': {
        const path = args.path as string
        const sha = fakeSha(base(path))
        const known = items.find((i) => i.sha256 === sha)
        if (known) return { item: known, already_stored: true }
        const item: EvidenceItem = {
          id: nextEvidence++, sha256: sha, size: 2048, file_name: base(path), title: stem(path), kind: 'other', kind_label: '其他',
          issuer: '', doc_no: '', doc_no_flagged: false, date: '', note: '', added_at: '2024-01-05T09:00:00+08:00', updated_at: '2024-01-05T09:00:00+08:00', links: [],
        }
        meta(item, args.input as EvidenceInput)
        if (path.includes('改动')) altered.add(item.id)
        if (path.includes('录像')) {
          // A large file: the shell's evidence-progress events while it is copied (48 MB in 8 steps).
          item.size = 48 * 1024 * 1024
          const w = window as unknown as {
            __calls: { cmd: string; args: { event?: string; handler?: number } }[]
            __TAURI_INTERNALS__: { runCallback: (id: number, data: unknown) => void }
          }
          const listeners = w.__calls.filter((c) => c.cmd === 'plugin:event|listen' && c.args.event === 'evidence-progress')
          for (let step = 0; step <= 8; step++) {
            const payload = { path, done: (item.size * step) / 8, total: item.size }
            for (const l of listeners) w.__TAURI_INTERNALS__.runCallback(l.args.handler!, { event: 'evidence-progress', id: 0, payload })
            await new Promise((r) => setTimeout(r, 120))
          }
        }
        items.push(item)
        return { item, already_stored: false }
      }
      case 'update_evidence': {
        const item = items.find((i) => i.id === args.id)
        if (!item) throw { code: 'not_found', message: '没有该佐证材料。' }
        meta(item, args.input as EvidenceInput)
        return { ...item }
      }
      case 'delete_evidence': {
        const i = items.findIndex((x) => x.id === args.id)
        if (items[i]?.links.length) throw { code: 'invalid_input', message: '该佐证材料仍关联着测评点，不能删除。' }
        items.splice(i, 1)
        return null
      }
      case 'link_evidence':
      case 'unlink_evidence': {
        const e = args.edit as EvidenceLinkEdit
        const item = items.find((i) => i.id === e.evidence)!
        item.links = item.links.filter((l) => !(l.assessment === e.assessment && l.point === e.point))
        if (cmd === 'link_evidence') item.links.push(linkInfo(e))
        return [history(e.point, `第${e.point}测评点佐证材料：${cmd === 'link_evidence' ? '关联' : '取消关联'}《${item.title}》`)]
      }
      case 'point_evidence':
        return items.filter((i) => i.links.some((l) => l.assessment === args.id && l.point === args.point)).map((i) => ({ ...i }))
      case 'evidence_list': {
        const f = args.filter as EvidenceFilter
        return items.filter((i) => {
          if (f.kind && i.kind !== f.kind) return false
          if (f.query && ![i.title, i.issuer, i.doc_no, i.file_name, i.note, i.date].some((t) => t.includes(f.query!))) return false
          if (f.unlinked && i.links.length) return false
          if (f.assessment !== null && !i.links.some((l) => l.assessment === f.assessment && (!f.point || l.point === f.point))) return false
          return true
        }).map((i) => ({ ...i }))
      }
      case 'verify_evidence': {
        const problems = items.filter((i) => altered.has(i.id)).map((i) => ({
          id: i.id, title: i.title, sha256: i.sha256, status: 'altered', actual_sha256: 'f'.repeat(64),
          message: `佐证材料《${i.title}》（校验值${i.sha256.slice(0, 12)}…）的文件已被改动。`,
        }))
        return { checked: items.length, ok: items.length - problems.length, problems }
      }
      case 'open_evidence':
        return null
      case 'export_package':
        return { path: args.path, assessments: args.assessment === null ? 2 : 1, evidence: items.length, bytes: 1048576 }
      case 'preview_package':
        return {
          path: args.path, scope: 'assessment', created_at: '2024-01-06T10:00:00+08:00', app_version: '0.1.0', evidence_new: 1, evidence_known: 0,
          assessments: [{ uid: 'uid-x', region: '示例县', year: 2024, local_id: 1, local_frozen: false, take: [], keep: [],
            conflicts: [
              { key: '1', label: '第1测评点', title: '经费投入', mine: '扣3.5分', theirs: '扣2分' },
              { key: '3', label: '第3测评点', title: '学校规模', mine: '满分', theirs: '扣1分' },
            ] }],
        }
      case 'import_package':
        return { created: [], merged: [1], taken: 0, kept: 0, conflicts_resolved: (args.options as { choices: unknown[] }).choices.length, evidence_added: 1, message: '已合并到示例县2024年度：解决冲突2项，新增佐证材料1个。' }
      case 'preview_import':
        return preview(args.path as string)
      case 'import_statistics': {
        const p = preview(args.path as string)
        if (p.errors) throw { code: 'invalid_input', message: `“${p.file}”中有${p.errors}个错误，未导入任何数据。` }
        imported.add(args.assessment as number)
        return { written: true, preview: p, sources: SOURCES, history: [] }
      }
      case 'statistics_sources':
        return imported.has(args.assessment as number) ? SOURCES : []
      case 'statistics_tables':
        return imported.has(args.assessment as number)
          ? { year: 2024, schools: [{ school: { value: '第一小学', at: cell(2, 'A') }, students: { value: 500, at: cell(2, 'G') } }, { school: { value: '第二小学', at: cell(3, 'A') }, students: { value: 400, at: cell(3, 'G') } }] }
          : { year: 2024 }
      case 'metrics': {
        const on = imported.has(args.assessment as number)
        return { assessment_id: args.assessment, year: 2024, figures: on ? FIGURES : [], units: [], excluded: on ? [{ school: '高山教学点', kind: '教学点', reason: '不足50人的教学点（28人）' }] : [], problems: [], sources: on ? SOURCES : [] }
      }
      case 'write_template':
        return null
      case 'suggestions':
        return ['1', '2', '3', '4'].flatMap((p) => suggestionsOf(args.id as number, p))
      case 'point_suggestions':
        return suggestionsOf(args.assessment as number, args.point as string)
      case 'decide_suggestion': {
        const input = args.input as SuggestionDecisionInput
        const s = suggestionsOf(input.assessment, input.point).find((x) => x.key === input.key)
        if (!s) throw { code: 'not_found', message: '没有该建议。' }
        if (!input.adopt && !input.reason.trim()) throw { code: 'invalid_input', message: `不采纳第${input.point}测评点的建议，须填写理由。` }
        let update: WorkbenchUpdate
        if (input.adopt && s.kind === 'deduction') {
          const w = (await workbench('workbench', { id: input.assessment })) as { entries: Record<string, { deductions: { amount: number; reason: string }[] }> }
          const current = (w.entries[input.point]?.deductions ?? []).map((d) => ({ amount: String(d.amount), reason: d.reason }))
          const mine = { amount: String(s.amount), reason: s.reason! }
          if (input.replace) current[input.replace - 1] = mine
          else current.push(mine)
          update = (await workbench('save_point', { edit: { assessment: input.assessment, point: input.point, deductions: current } })) as WorkbenchUpdate
        } else if (input.adopt) {
          update = (await workbench('save_point', { edit: { assessment: input.assessment, point: input.point, scored: true } })) as WorkbenchUpdate
        } else {
          update = (await workbench('save_point', { edit: { assessment: input.assessment, point: input.point } })) as WorkbenchUpdate
        }
        decisions.set(`${input.assessment}|${input.point}|${s.key}`, { status: input.adopt ? 'adopted' : 'declined', reason: input.adopt ? '' : input.reason.trim() })
        const now = suggestionsOf(input.assessment, input.point).find((x) => x.key === s.key)!
        return [{ history: [], suggestion: now }, update]
      }
      default:
        return NEXT
    }
  }
}
