// IPC of the 指标体系 page: the library of indicator systems (crates/ziping-app/src/systems.rs):
// list, import from a notice's table (preview → confirm), attach 测评点, export, template, edit,
// leaf mapping between versions. Types mirror the Rust DTOs (ziping-app::systems,
// ziping-import::system, ziping-core::system).
import { invoke } from '@tauri-apps/api/core'
import { toAppError, type Points, type SystemInfo } from './index'
import type { ImportProblem } from './data'

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args)
  } catch (error) {
    throw toAppError(error)
  }
}

export type LibrarySystemInfo = SystemInfo & {
  bundled: boolean
  /** "import", "attach" or "edit" for library versions. */
  origin?: string
  year?: number
  source_file?: string
  source_sha256?: string
  base_version?: string
  created_at?: string
}

export interface Level {
  code: string
  label: string
  needs_explanation?: boolean
}

export interface NotApplicable {
  code: string
  label: string
  phrase: string
}

export interface Grade {
  grade: string
  min: Points
}

export type ColumnRole = 'level' | 'code' | 'score' | 'text' | 'rule' | 'evidence' | 'note' | 'rating' | 'fill' | 'ignored'

export interface DetectedColumn {
  col: string
  header: string
  role: ColumnRole
  level?: number
  meaning: string
}

export interface PreviewNode {
  code: string
  title: string
  max_score?: Points
  text?: string
  scoring_rule?: string
  evidence?: string[]
  note?: string
  row: number
  col: string
  children?: PreviewNode[]
}

export interface PreviewBonus {
  code: string
  title: string
  score?: Points
  row: number
}

/** A located problem of a system table: the same type as the statistics import's (Rust
 *  `ziping_import::Problem`), with `path` set for problems the system's validation found. */
export type SystemProblem = ImportProblem

export interface SystemPreview {
  file: string
  sha256: string
  sheet: string
  header_rows: number[]
  columns: DetectedColumn[]
  title?: string
  year?: number
  level_names: string[]
  model: 'points' | 'rated'
  model_reason: string
  declared_total?: Points
  leaf_sum: Points
  levels: Level[]
  not_applicable?: NotApplicable
  suggested_grades: Grade[]
  bonus_cap?: Points
  tree: PreviewNode[]
  bonus: PreviewBonus[]
  notes: string[]
  groups: number
  leaves: number
  problems: SystemProblem[]
  errors: number
  warnings: number
}

/** The user's confirmed choices; absent fields take what was detected. */
export interface SystemOptions {
  id?: string | null
  version?: string | null
  name?: string | null
  short_name?: string | null
  year?: number | null
  years?: string | null
  issuer?: string | null
  official?: boolean | null
  model?: 'points' | 'rated' | null
  total?: Points | null
  decimals?: number | null
  grades?: Grade[] | null
  bonus_cap?: Points | null
  levels?: Level[] | null
  not_applicable?: NotApplicable | null
  no_not_applicable?: boolean
  level_names?: string[] | null
}

export interface SystemImportRequest {
  options: SystemOptions
  dry_run: boolean
  expected_sha256: string | null
}

export interface SystemNode {
  code: string
  title: string
  text?: string
  scoring_rule?: string
  evidence?: string[]
  max_score?: Points
  pending_label?: string
  figures?: { figure: string; thresholds?: Record<string, number>; deduction?: Record<string, number>; source?: string }[]
  note?: string
  children?: SystemNode[]
}

export interface IndicatorSystem {
  format: number
  id: string
  version: string
  years?: string
  name: string
  short_name?: string
  official: boolean
  issuer?: string
  level_names: string[]
  scoring:
    | { model: 'rated'; levels: Level[]; not_applicable?: NotApplicable; leaf_noun?: string }
    | { model: 'points'; total: Points; decimals?: number; grades?: Grade[]; bonus?: { cap: Points; items: unknown[] } }
  children: SystemNode[]
}

export interface SystemImportOutcome {
  written: boolean
  preview: SystemPreview
  problems: SystemProblem[]
  errors: number
  warnings: number
  system?: IndicatorSystem
  saved?: LibrarySystemInfo
  already_present: boolean
}

export interface ThresholdEdit {
  figure: string
  name: string
  value: number
}

export interface NodeEdit {
  code: string
  title?: string | null
  text?: string | null
  scoring_rule?: string | null
  evidence?: string[] | null
  max_score?: string | null
  note?: string | null
  thresholds?: ThresholdEdit[]
}

export interface GradeInput {
  grade: string
  min: string
}

export interface SystemEdit {
  system_id: string
  version?: string | null
  new_version?: string | null
  name?: string | null
  short_name?: string | null
  years?: string | null
  issuer?: string | null
  nodes: NodeEdit[]
  total?: string | null
  grades?: GradeInput[] | null
  bonus_cap?: string | null
}

export interface LeafRef {
  code: string
  title: string
}

export interface LeafPair {
  from: LeafRef
  to: LeafRef
  /** "code_and_title", "title" (renumbered) or "code" (retitled). */
  by: string
}

export interface LeafMapping {
  from_id: string
  from_version: string
  to_id: string
  to_version: string
  pairs: LeafPair[]
  unmatched_from: LeafRef[]
  unmatched_to: LeafRef[]
}

/** Every system version: bundled ones and the library's (imported, attached, edited). */
export const librarySystems = () => call<LibrarySystemInfo[]>('library_systems')
/** The full tree of one version (the newest when `version` is null). */
export const systemDetail = (id: string, version: string | null) =>
  call<IndicatorSystem>('system_detail', { id, version })
/** Reads a table and shows what would be imported; nothing written. */
export const previewSystemImport = (path: string) => call<SystemPreview>('preview_system_import', { path })
/** Imports with the user's choices (`dry_run` checks only); all or nothing. */
export const importSystem = (path: string, request: SystemImportRequest) =>
  call<SystemImportOutcome>('import_system', { path, request })
/** 测评点 of a table under an existing system's leaves, saved as a new version. */
export const attachPoints = (baseId: string, baseVersion: string | null, path: string, dryRun: boolean) =>
  call<SystemImportOutcome>('attach_points', { baseId, baseVersion, path, dryRun })
/** Writes a system in the table form (.xlsx) that reads back equal. */
export const exportSystem = (id: string, version: string | null, path: string) =>
  call<IndicatorSystem>('export_system', { id, version, path })
/** Writes the empty template (.xlsx). */
export const writeSystemTemplate = (path: string) => call<null>('write_system_template', { path })
/** Corrections saved as a new version. */
export const editSystem = (edit: SystemEdit) => call<LibrarySystemInfo>('edit_system', { edit })
/** Leaves of two versions paired by code and title. */
export const leafMapping = (fromId: string, fromVersion: string | null, toId: string, toVersion: string | null) =>
  call<LeafMapping>('leaf_mapping', { fromId, fromVersion, toId, toVersion })
/** Leaves of an assessment's system paired with another version's (next year's assessment). */
export const leafMappingForAssessment = (assessment: number, toId: string, toVersion: string | null) =>
  call<LeafMapping>('leaf_mapping_for_assessment', { assessment, toId, toVersion })
