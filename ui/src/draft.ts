// The editable copy of one leaf's entry. Deduction amounts stay text while typed ("2." is fine
// until it becomes "2.2"); they are sent as text too, so no float ever touches a score.
import type { Entry, NodeStatus } from './ipc'

export interface DraftDeduction {
  amount: string
  reason: string
}

export interface Draft {
  rating: string | null
  scored: boolean
  deductions: DraftDeduction[]
  note: string
  problems: string
  measures: string
}

export function draftFromEntry(entry: Entry | undefined): Draft {
  return {
    rating: entry?.rating ?? null,
    scored: entry?.scored ?? false,
    deductions: (entry?.deductions ?? []).map((d) => ({ amount: String(d.amount), reason: d.reason })),
    note: entry?.note ?? '',
    problems: entry?.problems ?? '',
    measures: entry?.measures ?? '',
  }
}

export const nodeStatusOf = (s: NodeStatus): NodeStatus => s
