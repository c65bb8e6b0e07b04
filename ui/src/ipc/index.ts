// The one place in the UI that talks to the Rust side. Every Tauri command gets a typed wrapper
// here; components never import `invoke` themselves. Errors always arrive as `AppError`
// ({code, message}, the message in Chinese), whatever went wrong.
import { invoke } from '@tauri-apps/api/core'

/** The product's name and version (ziping_app::AppInfo). */
export interface AppInfo {
  name: string
  version: string
}

/** The error shape of every command (ziping_app::AppError). */
export interface AppError {
  code: string
  message: string
}

function isAppError(value: unknown): value is AppError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as AppError).code === 'string' &&
    typeof (value as AppError).message === 'string'
  )
}

/** Turns anything a failed `invoke()` may throw into an AppError. */
export function toAppError(error: unknown): AppError {
  if (isAppError(error)) return error
  const detail = error instanceof Error ? error.message : String(error)
  return { code: 'ipc', message: `与桌面程序通信失败：${detail}` }
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args)
  } catch (error) {
    throw toAppError(error)
  }
}

/** The product's name and version. */
export function appInfo(): Promise<AppInfo> {
  return call<AppInfo>('app_info')
}
