// The UI test page: the real app (src/main.ts) with IPC answered by the in-memory fake.
import { mockIPC, mockWindows } from '@tauri-apps/api/mocks'
import { calls, handle } from './fake'

mockWindows('main')
mockIPC((cmd, args) => handle(cmd, args as Record<string, unknown>))
;(window as unknown as { __calls: typeof calls }).__calls = calls

await import('../src/main')
