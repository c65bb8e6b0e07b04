// Autosave: every change of a leaf is queued, merged per leaf (later values win) and sent after a
// short pause (debounce), immediately on blur, and before anything that leaves the leaf or the
// window (leaf switch, page switch, window close). Saves run one after another, in order, so an
// older value never overwrites a newer one. No save button is needed; `session.save` shows
// 保存中 / 已保存.
import { savePoint, saveBonus, type BonusEdit, type PointEdit, type WorkbenchUpdate } from './ipc'
import { session, showError } from './store'

export type PointPatch = Partial<Omit<PointEdit, 'assessment' | 'point'>>

export class AutoSaver {
  private pending = new Map<string, PointEdit>()
  private bonus = new Map<string, BonusEdit>()
  private timer: ReturnType<typeof setTimeout> | null = null
  private chain: Promise<void> = Promise.resolve()

  constructor(
    private readonly onSaved: (update: WorkbenchUpdate, point: string | null) => void,
    private readonly delayMs = 500,
  ) {}

  /** Queues a change of one leaf. */
  point(assessment: number, point: string, patch: PointPatch): void {
    // Absent fields are left as they are on the Rust side (serde defaults), so a patch is sent
    // as is: only the fields that changed.
    const prev = this.pending.get(point) ?? ({ assessment, point } as PointEdit)
    this.pending.set(point, { ...prev, ...patch } as PointEdit)
    this.schedule()
  }

  /** Queues a bonus claim or withdrawal. */
  bonusClaim(edit: BonusEdit): void {
    this.bonus.set(edit.code, edit)
    this.schedule()
  }

  get dirty(): boolean {
    return this.pending.size > 0 || this.bonus.size > 0
  }

  private schedule(): void {
    session.save = 'saving'
    if (this.timer) clearTimeout(this.timer)
    this.timer = setTimeout(() => void this.flush(), this.delayMs)
  }

  /** Sends everything queued now; resolves when all of it (and earlier saves) is stored. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer)
      this.timer = null
    }
    const edits = [...this.pending.values()]
    const bonus = [...this.bonus.values()]
    this.pending.clear()
    this.bonus.clear()
    if (edits.length === 0 && bonus.length === 0) return this.chain
    session.save = 'saving'
    this.chain = this.chain.then(async () => {
      let failed = false
      for (const edit of edits) {
        try {
          this.onSaved(await savePoint(edit), edit.point)
        } catch (error) {
          failed = true
          session.saveError = (error as { message?: string }).message ?? String(error)
          showError(error)
        }
      }
      for (const edit of bonus) {
        try {
          this.onSaved(await saveBonus(edit), null)
        } catch (error) {
          failed = true
          session.saveError = (error as { message?: string }).message ?? String(error)
          showError(error)
        }
      }
      if (!this.dirty) session.save = failed ? 'error' : 'saved'
    })
    return this.chain
  }
}
