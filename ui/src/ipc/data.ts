// IPC of the 数据 page (statistics import, computed figures, template) and of the suggestion slot
// of the point form (采纳 / 不采纳): typed wrappers of the commands in src-tauri/src/lib.rs, which call
// crates/ziping-app/src/{statistics.rs,decisions.rs}. The preview, the stored tables and the figure
// details are ziping-import / ziping-metrics types that ts-rs does not declare: their shapes are
// written out below (as serialised by serde).
import { invoke } from '@tauri-apps/api/core'
import { open, save } from '@tauri-apps/plugin-dialog'
import { toAppError } from './index'
import type {
  FigureDto,
  HistoryItem,
  MetricsDto,
  StatisticsSource,
  SuggestionDecided,
  SuggestionDecisionInput,
  SuggestionDto,
  WorkbenchUpdate,
} from './bindings'

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args)
  } catch (error) {
    throw toAppError(error)
  }
}

/** A cell a value came from. */
export interface CellRef {
  file: string
  sheet: string
  row: number
  col: string
}

export interface ColumnMapping {
  col: string
  header: string
  field?: string | null
  field_title?: string | null
  unit?: string | null
  factor: number
  /** The title row the unit was taken from ("第2行“单位：万元”"), when the header names none. */
  unit_from?: string | null
}

export interface DetectedTable {
  kind: string
  title: string
  sheet: string
  header_rows: number[]
  columns: ColumnMapping[]
  rows: number
  total_rows: number
  skipped_rows: number
}

export interface ImportProblem {
  severity: 'error' | 'warning'
  file: string
  sheet?: string | null
  row?: number | null
  col?: string | null
  header?: string | null
  value?: string | null
  /** For a problem the validation of an imported indicator system found: its path in the system. */
  path?: string | null
  reason: string
  message: string
}

export interface ImportPreview {
  file: string
  sha256: string
  tables: DetectedTable[]
  ignored_sheets: { sheet: string; reason: string }[]
  problems: ImportProblem[]
  errors: number
  warnings: number
}

export interface ImportOutcomeFull {
  written: boolean
  preview: ImportPreview
  sources: StatisticsSource[]
  history: HistoryItem[]
}

/** A school × stage behind the 差异系数, with its 7 values. */
export interface SchoolUnit {
  school: string
  label: string
  kind: string
  stage: string
  students: number
  values: (number | null)[]
  inputs: CellRef[][]
}

export interface Exclusion {
  school: string
  kind: string
  reason: string
}

export interface DetailRow {
  school: string
  students?: number
  value?: number
  kind?: string
  limit?: number
}

/** `detail` of a figure, by `type`. */
export type FigureDetail =
  | { type: 'cv'; mean: number; sd: number; students: number; rows: DetailRow[] }
  | { type: 'resource'; mean: number; standard: number; rows: DetailRow[] }
  | { type: 'attainment'; attained: string[]; [k: string]: unknown }
  | { type: 'sizes'; rows: DetailRow[] }
  | { type: 'classes'; total: number; big: number; super_big: number; over_standard: number }
  | { type: 'growth'; year: number; last_year: number; this: number; last: number; change: number; pct: number }
  | { type: 'pair'; a: number; b: number }
  | { type: 'ratio'; numerator: number; denominator: number }
  | { type: 'none' }
  | { type: string; [k: string]: unknown }

export type Figure = Omit<FigureDto, 'provenance' | 'detail'> & { provenance: CellRef[]; detail: FigureDetail }

export type Metrics = Omit<MetricsDto, 'figures' | 'units' | 'excluded' | 'problems'> & {
  figures: Figure[]
  units: SchoolUnit[]
  excluded: Exclusion[]
  problems: { message?: string; [k: string]: unknown }[]
}

/** A stored value with the cell it came from. */
export interface Cell<T = unknown> {
  value: T
  at: CellRef
}

/** The stored tables (rows of `Cell`s keyed by field), as ziping-metrics serialises them. */
export type Tables = Record<string, unknown> & { year?: number | null }

/** Reads a workbook: detected tables, column mapping, row counts and every problem. Nothing is written. */
export const previewImport = (path: string) => call<ImportPreview>('preview_import', { path })
/** Imports a workbook into an assessment (all or nothing; refused when the preview has errors). */
export const importStatistics = (assessment: number, path: string) =>
  call<ImportOutcomeFull>('import_statistics', { assessment, path })
export const statisticsSources = (assessment: number) => call<StatisticsSource[]>('statistics_sources', { assessment })
export const statisticsTables = (assessment: number) => call<Tables>('statistics_tables', { assessment })
export const metrics = (assessment: number) => call<Metrics>('metrics', { assessment })
/** Writes the template workbook to `path`. */
export const writeTemplate = (path: string) => call<null>('write_template', { path })

/** The suggestions of one leaf with their status (open / adopted / declined). */
export const pointSuggestions = (assessment: number, point: string) =>
  call<SuggestionDto[]>('point_suggestions', { assessment, point })
/** 采纳 / 不采纳; returns what was written and the leaf's new state for the workbench. */
export const decideSuggestion = (input: SuggestionDecisionInput) =>
  call<[SuggestionDecided, WorkbenchUpdate]>('decide_suggestion', { input })

/** A statistics workbook chosen in the native open dialog, or null. */
export async function chooseWorkbook(): Promise<string | null> {
  try {
    const picked = await open({
      multiple: false,
      directory: false,
      title: '选择统计数据文件',
      filters: [{ name: 'Excel 或 ODS 表格', extensions: ['xlsx', 'xls', 'ods'] }],
    })
    return typeof picked === 'string' ? picked : null
  } catch (error) {
    throw toAppError(error)
  }
}

/** Where to write the template, or null. */
export async function chooseTemplateDestination(): Promise<string | null> {
  try {
    const picked = await save({
      title: '下载统计数据模板',
      defaultPath: '统计数据模板.xlsx',
      filters: [{ name: 'Excel 工作簿', extensions: ['xlsx'] }],
    })
    return picked ?? null
  } catch (error) {
    throw toAppError(error)
  }
}
