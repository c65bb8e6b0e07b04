// Navigation: which page is shown, for which assessment and leaf. A deliberately small router —
// the app has one window and a handful of pages. To add a page (佐证材料, 数据, 导出…): write the
// component under pages/, and add one entry to `pages` below; the menu and the page switch follow.
import { defineAsyncComponent, reactive, type Component } from 'vue'
import ListPage from './pages/ListPage.vue'
import WorkbenchPage from './pages/WorkbenchPage.vue'

export type PageId = 'list' | 'workbench' | 'overview' | 'history' | 'evidence' | 'data' | 'export' | 'systems'

export interface PageDef {
  id: PageId
  /** Menu label (Chinese). */
  label: string
  component: Component
  /** The page works on the open assessment; disabled in the menu while none is open. */
  needsAssessment: boolean
  /** Keyboard shortcut shown in the menu's tooltip (Alt+digit). */
  key: string
}

export const pages: PageDef[] = [
  { id: 'list', label: '评估列表', component: ListPage, needsAssessment: false, key: '1' },
  { id: 'workbench', label: '工作台', component: WorkbenchPage, needsAssessment: true, key: '2' },
  {
    id: 'overview',
    label: '总览',
    component: defineAsyncComponent(() => import('./pages/OverviewPage.vue')),
    needsAssessment: true,
    key: '3',
  },
  {
    id: 'history',
    label: '历史',
    component: defineAsyncComponent(() => import('./pages/HistoryPage.vue')),
    needsAssessment: true,
    key: '4',
  },
  {
    id: 'evidence',
    label: '佐证材料',
    component: defineAsyncComponent(() => import('./pages/EvidencePage.vue')),
    needsAssessment: false,
    key: '5',
  },
  {
    id: 'data',
    label: '数据',
    component: defineAsyncComponent(() => import('./pages/DataPage.vue')),
    needsAssessment: true,
    key: '6',
  },
  {
    id: 'export',
    label: '导出',
    component: defineAsyncComponent(() => import('./pages/ExportPage.vue')),
    needsAssessment: true,
    key: '7',
  },
  {
    id: 'systems',
    label: '指标体系',
    component: defineAsyncComponent(() => import('./pages/SystemsPage.vue')),
    needsAssessment: false,
    key: '8',
  },
  // Room for 佐证材料 (evidence), 数据 (statistics) and 导出 (export): add their entries here.
]

export const nav = reactive({
  /** The workspace file (the last assessment is remembered per workspace). */
  workspace: '',
  page: 'list' as PageId,
  /** The open assessment. */
  assessment: null as number | null,
  /** The selected leaf of the open assessment. */
  point: null as string | null,
})

/** Listeners run before the page changes (the workbench flushes pending saves). */
const beforeLeave: Array<() => Promise<void>> = []
export function onBeforeLeave(fn: () => Promise<void>): () => void {
  beforeLeave.push(fn)
  return () => {
    const i = beforeLeave.indexOf(fn)
    if (i >= 0) beforeLeave.splice(i, 1)
  }
}

export async function flushAll(): Promise<void> {
  for (const fn of [...beforeLeave]) await fn()
}

const lastKey = () => `ziping.lastAssessment:${nav.workspace}`

/** Shows a page; `point` jumps to a leaf (e.g. from the completeness list). */
export async function go(page: PageId, opts: { assessment?: number | null; point?: string | null } = {}) {
  await flushAll()
  if (opts.assessment !== undefined) {
    nav.assessment = opts.assessment
    if (opts.assessment === null) localStorage.removeItem(lastKey())
    else localStorage.setItem(lastKey(), String(opts.assessment))
  }
  if (opts.point !== undefined) nav.point = opts.point
  const def = pages.find((p) => p.id === page)
  nav.page = def && def.needsAssessment && nav.assessment === null ? 'list' : page
}

/** The assessment opened last time in this workspace (the app reopens it at start). */
export function lastAssessment(): number | null {
  const v = Number(localStorage.getItem(lastKey()))
  return Number.isInteger(v) && v > 0 ? v : null
}
