// 备份与恢复 dialog of the 评估列表 page in headless Chromium, IPC mocked (ui/mock/fake.ts plus the
// backup commands answered below):
//
//   (cd ui && npm run build:mock) && node --test tests/ui/backup.test.mjs
//
// Flows: the list of backups (time, kind, size), 立即备份 adds one, 恢复 asks first (cancel does
// nothing; confirm restores, shows the message and reloads the assessments), a refused file from the
// open dialog shows the Chinese refusal, 备份到文件 passes the chosen path.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { extend, launch } from './export-harness.mjs'

let page, calls, close, errors

const HANDLERS = `(state) => ({
  backups() { return JSON.parse(JSON.stringify(state.list)) },
  backup_now() {
    const b = { file_name: '20241201-100000-manual.sqlite', path: '/ws/ws.sqlite.backups/20241201-100000-manual.sqlite',
      created_at: '2024-12-01 10:00:00', reason: 'manual', reason_label: '手动备份', size: 2097152 }
    state.list.unshift(b)
    return b
  },
  backup_to(args) {
    return { file_name: args.path.split('/').pop(), path: args.path, created_at: '2024-12-01 10:05:00', reason: '', reason_label: '备份', size: 1048576 }
  },
  restore_backup(args) {
    if (args.path.endsWith('坏文件.sqlite')) {
      throw { code: 'workspace', message: '未恢复：备份文件“坏文件.sqlite”已损坏（完整性检查未通过）。当前工作区未做任何修改。' }
    }
    const safety = { file_name: '20241201-100100-restore.sqlite', path: '/ws/ws.sqlite.backups/20241201-100100-restore.sqlite',
      created_at: '2024-12-01 10:01:00', reason: 'restore', reason_label: '恢复前自动备份', size: 2097152 }
    state.list.unshift(safety)
    const name = args.path.split('/').pop()
    return { restored_from: args.path, safety_backup: safety, schema_version: 5,
      message: '已从“' + name + '”恢复工作区。恢复前的内容已备份为“' + safety.file_name + '”。' }
  },
  'plugin:dialog|open'() { return state.open },
  'plugin:dialog|save'() { return state.save },
})`

before(async () => {
  ;({ page, calls, close, errors } = await launch())
  await extend(page, HANDLERS, {
    list: [
      { file_name: '20241130-083000-freeze.sqlite', path: '/ws/ws.sqlite.backups/20241130-083000-freeze.sqlite',
        created_at: '2024-11-30 08:30:00', reason: 'freeze', reason_label: '定稿时自动备份', size: 1536000 },
      { file_name: '20241129-090000-open.sqlite', path: '/ws/ws.sqlite.backups/20241129-090000-open.sqlite',
        created_at: '2024-11-29 09:00:00', reason: 'open', reason_label: '每日自动备份', size: 512000 },
    ],
    open: '/home/督导室/备份/坏文件.sqlite',
    save: '/home/督导室/备份/年底备份.sqlite',
  })
})

after(async () => {
  await close?.()
})

const rows = () => page.locator('#backup-table .el-table__body-wrapper tbody tr')

test('the dialog lists the backups with time, kind and size; 立即备份 adds one', async () => {
  await page.locator('#assessment-table').waitFor()
  await page.click('#backup-button')
  await page.locator('#backup-table').getByText('定稿时自动备份', { exact: true }).waitFor()
  assert.equal(await rows().count(), 2)
  const first = await rows().first().innerText()
  assert.match(first, /2024-11-30 08:30:00/)
  assert.match(first, /1\.5 MB/)
  assert.match(await rows().nth(1).innerText(), /每日自动备份[\s\S]*500\.0 KB/)

  await page.click('#backup-now')
  await page.locator('.el-message', { hasText: '已备份（2.0 MB）。' }).waitFor()
  await page.locator('#backup-table').getByText('手动备份', { exact: true }).waitFor()
  assert.equal(await rows().count(), 3)
  assert.equal((await calls('backup_now')).length, 1)
})

test('恢复 asks first: cancel does nothing, confirm restores and reloads the list', async () => {
  const before = (await calls('assessments')).length
  await rows().nth(1).locator('.restore-button').click()
  const box = page.locator('.el-message-box')
  await box.getByText('当前工作区的全部内容将被替换').waitFor()
  assert.match(await box.innerText(), /2024-11-30 08:30:00的定稿时自动备份/)
  await box.getByRole('button', { name: '取消' }).click()
  await box.waitFor({ state: 'hidden' })
  assert.equal((await calls('restore_backup')).length, 0)

  await rows().nth(1).locator('.restore-button').click()
  await box.getByText('当前工作区的全部内容将被替换').waitFor()
  await box.getByRole('button', { name: '恢复' }).click()
  await page.locator('.el-message', { hasText: '已从“20241130-083000-freeze.sqlite”恢复工作区' }).waitFor()
  assert.deepEqual(await calls('restore_backup'), [{ path: '/ws/ws.sqlite.backups/20241130-083000-freeze.sqlite' }])
  await page.locator('#backup-table').getByText('恢复前自动备份', { exact: true }).waitFor()
  assert.ok((await calls('assessments')).length > before, 'the assessment list is reloaded after a restore')
})

test('a refused file shows the Chinese refusal; 备份到文件 uses the chosen path', async () => {
  await page.click('#restore-from-file')
  const box = page.locator('.el-message-box')
  await box.getByText('坏文件.sqlite').waitFor()
  await box.getByRole('button', { name: '恢复' }).click()
  await page.locator('.el-message--error', { hasText: '未恢复：备份文件“坏文件.sqlite”已损坏' }).waitFor()
  assert.equal((await calls('restore_backup')).at(-1).path, '/home/督导室/备份/坏文件.sqlite')

  await page.click('#backup-to-file')
  await page.locator('.el-message', { hasText: '已备份到“/home/督导室/备份/年底备份.sqlite”（1.0 MB）。' }).waitFor()
  assert.deepEqual(await calls('backup_to'), [{ path: '/home/督导室/备份/年底备份.sqlite' }])
  assert.deepEqual(errors, [])
})
