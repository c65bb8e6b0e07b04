// An in-memory stand-in for the Rust side, for the UI tests in headless Chromium (tests/ui/).
// It answers the same commands with the same DTO shapes (the generated bindings), for two small
// systems: a points one (4 leaves, 25 分 each, grades A ≥ 90) and a rated one (3 leaves). It is
// only built into the test page (ui/mock/index.html, vite.mock.config.ts), never into the product.
import type {
  AssessmentInfo,
  Entry,
  HistoryItem,
  Missing,
  NewAssessment,
  NodeState,
  NodeStatus,
  Overview,
  PointEdit,
  StatusCounts,
  SystemInfo,
  TreeNode,
  Workbench,
  WorkbenchUpdate,
} from '../src/ipc/bindings'

interface Leaf {
  code: string
  title: string
  max: number
}
interface System {
  info: SystemInfo
  groups: { code: string; title: string; leaves: Leaf[] }[]
}

const POINTS: System = {
  info: {
    id: 'mock-points', version: '1', name: '测试用计分体系', display_name: '示例：测试用计分体系', short_name: null,
    official: false, model: 'points', issuer: null, years: null, level_names: ['一级指标', '测评点'], groups: 2, leaves: 4,
  },
  groups: [
    { code: '一', title: '保障机制', leaves: [{ code: '1', title: '经费投入', max: 25 }, { code: '2', title: '教师队伍', max: 25 }] },
    { code: '二', title: '教育质量', leaves: [{ code: '3', title: '学校规模', max: 25 }, { code: '4', title: '公众满意度', max: 25 }] },
  ],
}
const RATED: System = {
  info: {
    id: 'mock-rated', version: '1', name: '测试用等级体系', display_name: '测试用等级体系', short_name: null,
    official: true, model: 'rated', issuer: null, years: null, level_names: ['评价内容', '测评点'], groups: 1, leaves: 3,
  },
  groups: [{ code: 'A', title: '教育投入', leaves: [{ code: 'A1', title: '经费保障', max: 0 }, { code: 'A2', title: '高等教育', max: 0 }, { code: 'A3', title: '学前教育', max: 0 }] }],
}
const LEVELS = [
  { code: 'A', label: '完全落实', needs_explanation: false },
  { code: 'B', label: '基本落实', needs_explanation: false },
  { code: 'C', label: '未落实', needs_explanation: true },
]

interface Stored {
  info: AssessmentInfo
  system: System
  entries: Record<string, Entry>
  history: HistoryItem[]
}

export const calls: { cmd: string; args: unknown }[] = []
const store: Stored[] = []
let nextId = 1
let nextHistory = 1

const leavesOf = (s: System) => s.groups.flatMap((g) => g.leaves)
const empty = (): Entry => ({ rating: null, scored: false, deductions: [], note: '', problems: '', measures: '' })
const scored = (e: Entry | undefined) => !!e && (e.scored || e.deductions.length > 0)
const leafScore = (l: Leaf, e: Entry) => Math.max(0, l.max * 100 - e.deductions.reduce((s, d) => s + Math.round(d.amount * 100), 0)) / 100

function status(s: System, e: Entry | undefined): NodeStatus {
  if (s.info.model === 'points') {
    if (!scored(e)) return 'empty'
    if (e!.deductions.some((d) => !d.reason.trim())) return 'missing_explanation'
    return e!.deductions.length ? 'deducted' : 'filled'
  }
  if (!e?.rating) return 'empty'
  if (e.rating === 'NA') return e.note.trim() ? 'not_applicable' : 'missing_explanation'
  if (e.rating === 'C' && !e.note.trim()) return 'missing_explanation'
  return e.rating === 'A' ? 'filled' : 'deducted'
}

function counts(statuses: NodeStatus[]): StatusCounts {
  const c: StatusCounts = { total: statuses.length, empty: 0, filled: 0, deducted: 0, not_applicable: 0, missing_explanation: 0 }
  for (const s of statuses) if (s !== 'partial') c[s] += 1
  return c
}

function groupStatus(c: StatusCounts): NodeStatus {
  if (c.missing_explanation) return 'missing_explanation'
  if (c.empty === c.total) return 'empty'
  if (c.empty) return 'partial'
  if (c.deducted) return 'deducted'
  return c.filled ? 'filled' : 'not_applicable'
}

function tree(a: Stored): TreeNode[] {
  const points = a.system.info.model === 'points'
  return a.system.groups.map((g) => {
    const children: TreeNode[] = g.leaves.map((l) => {
      const e = a.entries[l.code]
      const st = status(a.system, e)
      return {
        code: l.code, title: l.title, text: `${l.title}的测评要点。`, scoring_rule: points ? '每发现一处问题扣1分，扣完为止。' : null,
        evidence: [], max_score: points ? l.max : null, score: points && scored(e) ? leafScore(l, e!) : null,
        pending_label: null, remark: null, level_name: '测评点', status: st, counts: counts([st]), children: [],
      }
    })
    const c = counts(children.map((n) => n.status))
    const sc = children.filter((n) => n.score !== null)
    return {
      code: g.code, title: g.title, text: null, scoring_rule: null, evidence: [],
      max_score: points ? g.leaves.reduce((s, l) => s + l.max, 0) : null,
      score: points && sc.length ? sc.reduce((s, n) => s + (n.score ?? 0), 0) : null,
      pending_label: null, remark: null, level_name: '一级指标', status: groupStatus(c), counts: c, children,
    }
  })
}

function points(a: Stored) {
  const leaves = leavesOf(a.system)
  const done = leaves.filter((l) => scored(a.entries[l.code]))
  const score = Math.round(done.reduce((s, l) => s + leafScore(l, a.entries[l.code]), 0) * 10) / 10
  return { leaves, done, score }
}

function refresh(a: Stored) {
  const leaves = leavesOf(a.system)
  if (a.system.info.model === 'points') {
    const { done, score } = points(a)
    const grade = done.length === leaves.length ? (score >= 90 ? 'A' : 'B') : null
    a.info.progress = { done: done.length, total: leaves.length, percent: Math.floor((done.length * 100) / leaves.length) }
    a.info.headline = `${grade ? `${grade}等，` : ''}${score}分${done.length < leaves.length ? `（已评${done.length}/${leaves.length}项）` : ''}`
  } else {
    const rated = leaves.filter((l) => a.entries[l.code]?.rating)
    a.info.progress = { done: rated.length, total: leaves.length, percent: Math.floor((rated.length * 100) / leaves.length) }
    a.info.headline = rated.length ? `已评${rated.length}项` : '尚未评定'
  }
}

function missing(a: Stored): Missing[] {
  const out: Missing[] = []
  for (const l of leavesOf(a.system)) {
    const st = status(a.system, a.entries[l.code])
    if (st === 'empty') out.push({ point: l.code, kind: 'unrated', message: `第${l.code}测评点尚未评分。` })
    if (st === 'missing_explanation') out.push({ point: l.code, kind: 'deduction_without_reason', message: `第${l.code}测评点缺少说明。` })
  }
  return out
}

function find(id: number): Stored {
  const a = store.find((s) => s.info.id === id)
  if (!a) throw { code: 'not_found', message: `没有编号为${id}的评估。` }
  return a
}

function update(a: Stored, point: string | null): WorkbenchUpdate {
  refresh(a)
  const nodes: NodeState[] = []
  const walk = (ns: TreeNode[]) => ns.forEach((n) => (nodes.push({ code: n.code, status: n.status, counts: n.counts, score: n.score }), walk(n.children)))
  walk(tree(a))
  return { assessment: { ...a.info }, nodes, entry: point ? { ...(a.entries[point] ?? empty()) } : null }
}

function create(n: NewAssessment): AssessmentInfo {
  const system = n.system_id === RATED.info.id ? RATED : POINTS
  if (!n.region.trim()) throw { code: 'invalid_input', message: '请填写地区（如“示例县”）。' }
  const info: AssessmentInfo = {
    id: nextId++, uid: `uid-${nextId}`, region: n.region, year: n.year, organ: n.organ ?? `${n.region}人民政府`,
    system_id: system.info.id, system_version: '1', system_name: system.info.display_name, official: system.info.official,
    model: system.info.model, status: 'draft', revision: 1, created_at: '2024-01-05T09:00:00+08:00',
    updated_at: '2024-01-05T09:00:00+08:00', frozen_at: null, progress: { done: 0, total: 0, percent: 0 }, headline: '',
  }
  const a: Stored = { info, system, entries: {}, history: [] }
  refresh(a)
  store.push(a)
  return { ...info }
}

function edit(e: PointEdit): WorkbenchUpdate {
  const a = find(e.assessment)
  const l = leavesOf(a.system).find((x) => x.code === e.point)
  if (!l) throw { code: 'not_found', message: `没有编码为“${e.point}”的测评点。` }
  const entry = (a.entries[e.point] ??= empty())
  const record = (field: string, label: string, value: string) =>
    a.history.unshift({
      id: nextHistory++, point: e.point, field, field_label: label, old_value: null, new_value: value,
      change: `第${e.point}测评点${label}：→ ${value}`, at: '2024-01-05T09:00:00+08:00', revision: 1, reverted_id: null,
    })
  if (e.rating !== undefined && e.rating !== null) (entry.rating = e.rating || null), record('rating', '评定等级', e.rating)
  if (e.deductions !== undefined && e.deductions !== null) {
    for (const d of e.deductions) {
      const amount = Number(d.amount)
      if (!(amount > 0 && amount <= l.max)) throw { code: 'invalid_input', message: `扣分${d.amount}分不在0到${l.max}分之间。` }
    }
    entry.deductions = e.deductions.map((d) => ({ amount: Number(d.amount), reason: d.reason }))
    entry.scored = true
    record('deductions', '扣分', e.deductions.map((d) => `扣${d.amount}分（${d.reason}）`).join('；'))
  }
  if (e.scored !== undefined && e.scored !== null) entry.scored = e.scored
  for (const f of ['note', 'problems', 'measures'] as const) {
    const v = e[f]
    if (v !== undefined && v !== null) (entry[f] = v), record(f, f === 'note' ? '自评说明' : f === 'problems' ? '存在问题' : '整改措施', v)
  }
  return update(a, e.point)
}

export function handle(cmd: string, args: Record<string, unknown> = {}): unknown {
  calls.push({ cmd, args: JSON.parse(JSON.stringify(args ?? {})) })
  switch (cmd) {
    case 'app_info':
      return { name: '履职自评', version: '0.1.0' }
    case 'workspace_path':
      return '/tmp/mock.sqlite'
    case 'systems':
      return [POINTS.info, RATED.info]
    case 'assessments':
      return store.map((a) => (refresh(a), { ...a.info }))
    case 'create_assessment':
      return create(args.new as NewAssessment)
    case 'delete_assessment':
      store.splice(store.indexOf(find(args.id as number)), 1)
      return null
    case 'workbench': {
      const a = find(args.id as number)
      refresh(a)
      const w: Workbench = {
        assessment: { ...a.info }, model: a.system.info.model, leaf_noun: '测评点',
        levels: a.system.info.model === 'rated' ? LEVELS : [],
        not_applicable: a.system.info.model === 'rated' ? { code: 'NA', label: '不适用', phrase: '不属于本级履行教育职责范围' } : null,
        bonus_cap: null, bonus: [], tree: tree(a), leaves: leavesOf(a.system).map((l) => l.code),
        entries: JSON.parse(JSON.stringify(a.entries)),
      }
      return w
    }
    case 'save_point':
      return edit(args.edit as PointEdit)
    case 'overview': {
      const a = find(args.id as number)
      refresh(a)
      const { leaves, done, score } = points(a)
      const o: Overview = {
        summary: {
          assessment: a.info.id, region: a.info.region, year: a.info.year, system_name: a.info.system_name, status: 'draft',
          conclusion: `对照《${a.system.info.name}》${leaves.length}个测评点，自评得分${score}分。`, missing: missing(a),
          model: 'points', total: 100, score, scored_max: done.reduce((s, l) => s + l.max, 0), scored: done.length,
          leaves: leaves.length, pending: [], bonus: 0, bonus_claimed: 0,
          grade: done.length === leaves.length ? (score >= 90 ? 'A' : 'B') : null,
          deductions: leaves.flatMap((l) => (a.entries[l.code]?.deductions ?? []).map((d) => ({ point: l.code, amount: d.amount, reason: d.reason }))),
          groups: [],
        },
        groups: a.system.groups.map((g) => ({
          code: g.code, title: g.title, max: g.leaves.reduce((s, l) => s + l.max, 0),
          score: g.leaves.reduce((s, l) => s + (scored(a.entries[l.code]) ? leafScore(l, a.entries[l.code]) : 0), 0),
          levels: [], not_applicable: 0, unrated: g.leaves.filter((l) => !scored(a.entries[l.code])).length, leaves: g.leaves.length,
        })),
      }
      return o
    }
    case 'history': {
      const a = find(args.id as number)
      return a.history.filter((h) => !args.point || h.point === args.point)
    }
    case 'point_evidence':
      return []
    case 'suggestions':
      return []
    default:
      // The window API (set_title, listen for close requests…): accepted and ignored.
      if (cmd.startsWith('plugin:')) return null
      throw { code: 'internal', message: `测试桩不支持命令 ${cmd}` }
  }
}
