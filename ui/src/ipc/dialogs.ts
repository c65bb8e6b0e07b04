// Native dialogs (tauri-plugin-dialog) and revealing a written file (tauri-plugin-opener), for the
// 导出 and 指标体系 pages. Least privilege: the window may only open the open/save dialogs
// (dialog:allow-open, dialog:allow-save) and show a file in its folder
// (opener:allow-reveal-item-in-dir); reading and writing the chosen files is done by our own commands.
import { open, save } from '@tauri-apps/plugin-dialog'
import { revealItemInDir } from '@tauri-apps/plugin-opener'
import { toAppError } from './index'

/** A folder chosen in the native dialog (permission dialog:allow-open), or null when cancelled. */
export async function chooseFolder(title: string): Promise<string | null> {
  try {
    const picked = await open({ directory: true, multiple: false, title })
    return typeof picked === 'string' ? picked : null
  } catch (error) {
    throw toAppError(error)
  }
}

/** A file chosen in the native open dialog, or null when cancelled. */
export async function chooseFile(title: string, filterName: string, extensions: string[]): Promise<string | null> {
  try {
    const picked = await open({ multiple: false, directory: false, title, filters: [{ name: filterName, extensions }] })
    return typeof picked === 'string' ? picked : null
  } catch (error) {
    throw toAppError(error)
  }
}

/** A path chosen in the native save dialog (permission dialog:allow-save), or null when cancelled. */
export async function chooseSavePath(
  title: string,
  defaultPath: string,
  filterName: string,
  extensions: string[],
): Promise<string | null> {
  try {
    const picked = await save({ title, defaultPath, filters: [{ name: filterName, extensions }] })
    return picked ?? null
  } catch (error) {
    throw toAppError(error)
  }
}

/** Shows a written file in the system's file manager (permission opener:allow-reveal-item-in-dir). */
export async function revealFile(path: string): Promise<void> {
  try {
    await revealItemInDir(path)
  } catch (error) {
    throw toAppError(error)
  }
}
