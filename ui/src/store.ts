// State shared by the shell and the pages: the open assessment's line (for the window title, the
// banner and the header) and the autosave indicator.
import { reactive, watch } from 'vue'
import { ElMessage } from 'element-plus'
import { setWindowTitle, type AppError, type AssessmentInfo } from './ipc'

export type SaveState = 'idle' | 'saving' | 'saved' | 'error'

export const session = reactive({
  /** The open assessment as the list shows it (progress, headline, status). */
  info: null as AssessmentInfo | null,
  save: 'idle' as SaveState,
  saveError: '',
})

export function assessmentTitle(info: AssessmentInfo): string {
  return `${info.region}${info.year}年度履行教育职责自评`
}

watch(
  () => session.info,
  (info) => {
    const title = info ? `${assessmentTitle(info)}（${info.system_name}）— 履职自评` : '履职自评'
    document.title = title
    void setWindowTitle(title)
  },
)

/** Shows an error from the Rust side (or anything else) as a Chinese message. */
export function showError(error: unknown): void {
  const e = error as Partial<AppError>
  const message = typeof e?.message === 'string' ? e.message : String(error)
  ElMessage({ type: 'error', message, duration: 6000, showClose: true, grouping: true })
}

export const isFrozen = (info: AssessmentInfo | null) => info?.status === 'frozen'
