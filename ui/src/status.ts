// Status marks of the indicator tree: label, symbol and colour per NodeStatus.
import type { NodeStatus } from './ipc'

export interface StatusStyle {
  label: string
  symbol: string
  color: string
}

export function statusStyle(status: NodeStatus, model: string): StatusStyle {
  switch (status) {
    case 'empty':
      return { label: '未填', symbol: '○', color: '#9a9a9a' }
    case 'filled':
      return { label: '已填', symbol: '●', color: '#2e7d32' }
    case 'deducted':
      return model === 'rated'
        ? { label: '未完全落实', symbol: '▼', color: '#e07b00' }
        : { label: '有扣分', symbol: '▼', color: '#e07b00' }
    case 'not_applicable':
      return { label: '不适用', symbol: '⊘', color: '#1565c0' }
    case 'missing_explanation':
      return { label: '说明缺失', symbol: '!', color: '#c62828' }
    case 'partial':
      return { label: '部分已填', symbol: '◐', color: '#6d6d6d' }
  }
}

export const legend: NodeStatus[] = ['empty', 'filled', 'deducted', 'not_applicable', 'missing_explanation']
