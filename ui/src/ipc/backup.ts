// IPC of 备份与恢复: typed wrappers of the commands in src-tauri/src/lib.rs, which call
// crates/ziping-app/src/backup.rs. Paths of a chosen backup file come from the native dialogs
// (chooseFile / chooseSavePath in ./dialogs) and reach ziping-app only through these commands.
import { invoke } from '@tauri-apps/api/core'
import { toAppError } from './index'
import type { BackupInfo, RestoreResult } from './bindings'

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args)
  } catch (error) {
    throw toAppError(error)
  }
}

/** The backups in the folder beside the workspace, newest first. */
export const backups = () => call<BackupInfo[]>('backups')
/** 立即备份 into the backups folder (the folder keeps the newest 10). */
export const backupNow = () => call<BackupInfo>('backup_now')
/** A backup to a file the user chose. */
export const backupTo = (path: string) => call<BackupInfo>('backup_to', { path })
/** Replaces the workspace with a verified backup; the current state is backed up first. */
export const restoreBackup = (path: string) => call<RestoreResult>('restore_backup', { path })
