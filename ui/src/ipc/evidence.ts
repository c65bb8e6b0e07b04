// IPC of 佐证材料 (the evidence area of the point form and the 佐证材料 page) and of packages
// (.zpk): typed wrappers of the commands in src-tauri/src/lib.rs, which call
// crates/ziping-app/src/{evidence.rs,evidence_view.rs,package.rs}. File paths come from the native
// dialogs (tauri-plugin-dialog: dialog:allow-open / dialog:allow-save) or from files dropped on the
// window, and reach ziping-app only through these commands; files are opened with the system viewer
// by the `open_evidence` command (a read-only copy), never from the webview.
import { invoke } from '@tauri-apps/api/core'
import { open, save } from '@tauri-apps/plugin-dialog'
import { getCurrentWebview } from '@tauri-apps/api/webview'
import { listen } from '@tauri-apps/api/event'
import { toAppError } from './index'
import type {
  DocNoPreview,
  EvidenceAdded,
  EvidenceFilter,
  EvidenceInput,
  EvidenceItem,
  EvidenceKindOption,
  EvidenceLinkEdit,
  EvidenceProgress,
  EvidenceVerifyReport,
  ExportResult,
  HistoryItem,
  PackageImportOptions,
  PackageImportResult,
  PackagePreview,
} from './bindings'

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args)
  } catch (error) {
    throw toAppError(error)
  }
}

/** 文件 / 会议纪要 / 台账 / 统计表 / 照片 / 证书 / 其他. */
export const evidenceKinds = () => call<EvidenceKindOption[]>('evidence_kinds')
export const evidenceList = (filter: EvidenceFilter) => call<EvidenceItem[]>('evidence_list', { filter })
/**
 * Copies a file into the workspace (stored once per content) and records it. While a file is
 * copied and hashed, the shell sends `evidence-progress` events (see onEvidenceProgress).
 */
export const addEvidence = (path: string, input: EvidenceInput) => call<EvidenceAdded>('add_evidence', { path, input })
export const updateEvidence = (id: number, input: EvidenceInput) => call<EvidenceItem>('update_evidence', { id, input })
export const deleteEvidence = (id: number) => call<null>('delete_evidence', { id })
export const linkEvidence = (edit: EvidenceLinkEdit) => call<HistoryItem[]>('link_evidence', { edit })
export const unlinkEvidence = (edit: EvidenceLinkEdit) => call<HistoryItem[]>('unlink_evidence', { edit })
/** The 文号 as it will be stored (normalised, or flagged when unreadable). */
export const docNoPreview = (text: string) => call<DocNoPreview>('doc_no_preview', { text })
/** Re-hashes every stored file. */
export const verifyEvidence = () => call<EvidenceVerifyReport>('verify_evidence')
/** Opens a read-only copy of the item's file with the system viewer. */
export const openEvidence = (id: number) => call<null>('open_evidence', { id })
/** The items linked to one leaf, in the order they were linked. */
export const pointEvidence = (assessment: number, point: string) =>
  call<EvidenceItem[]>('point_evidence', { id: assessment, point })

export const exportPackage = (assessment: number | null, path: string) =>
  call<ExportResult>('export_package', { assessment, path })
export const previewPackage = (path: string) => call<PackagePreview>('preview_package', { path })
export const importPackage = (path: string, options: PackageImportOptions) =>
  call<PackageImportResult>('import_package', { path, options })

/** Files chosen in the native open dialog (several at once); empty when cancelled. */
export async function chooseEvidenceFiles(): Promise<string[]> {
  try {
    const picked = await open({ multiple: true, directory: false, title: '选择佐证材料文件' })
    if (!picked) return []
    return Array.isArray(picked) ? picked : [picked]
  } catch (error) {
    throw toAppError(error)
  }
}

/** A .zpk package chosen in the native open dialog, or null. */
export async function choosePackage(): Promise<string | null> {
  try {
    const picked = await open({
      multiple: false,
      directory: false,
      title: '选择评估包',
      filters: [{ name: '评估包（.zpk）', extensions: ['zpk'] }],
    })
    return typeof picked === 'string' ? picked : null
  } catch (error) {
    throw toAppError(error)
  }
}

/** Where to write a package, chosen in the native save dialog, or null. */
export async function choosePackageDestination(defaultName: string): Promise<string | null> {
  try {
    const picked = await save({
      title: '导出评估包',
      defaultPath: defaultName,
      filters: [{ name: '评估包（.zpk）', extensions: ['zpk'] }],
    })
    return picked ?? null
  } catch (error) {
    throw toAppError(error)
  }
}

/** The last path segment, for messages ("…/通知.pdf" → "通知.pdf"). */
export const baseName = (path: string) => path.split(/[\\/]/).pop() ?? path

export interface FileDropHandlers {
  /** Files are dragged over the window (true) or left it (false). */
  hover: (over: boolean) => void
  /** Files were dropped: their paths. */
  drop: (paths: string[]) => void
}

/**
 * Files dragged from the system onto the window (the webview's drag-and-drop events carry their
 * paths; permission core:event:allow-listen). Returns the function that stops listening.
 */
export async function onFileDrop(handlers: FileDropHandlers): Promise<() => void> {
  try {
    return await getCurrentWebview().onDragDropEvent((event) => {
      const p = event.payload
      if (p.type === 'enter' || p.type === 'over') handlers.hover(true)
      else if (p.type === 'leave') handlers.hover(false)
      else if (p.type === 'drop') {
        handlers.hover(false)
        if (p.paths.length) handlers.drop(p.paths)
      }
    })
  } catch {
    // Outside the desktop shell there is nothing to listen to.
    return () => {}
  }
}

/**
 * How far the file being added has been copied and hashed (`evidence-progress` events sent by the
 * add_evidence command, permission core:event:allow-listen). Returns the function that stops listening.
 */
export async function onEvidenceProgress(handler: (progress: EvidenceProgress) => void): Promise<() => void> {
  try {
    return await listen<EvidenceProgress>('evidence-progress', (event) => handler(event.payload))
  } catch {
    // Outside the desktop shell there is nothing to listen to.
    return () => {}
  }
}
