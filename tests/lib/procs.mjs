// The processes running an executable and everything they started (by parent pid, from /proc), and
// their peak resident memory. Shared by the desktop E2E test and the start-up benchmark.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs'

/** `own`: pids running `exe`; `all`: those plus their descendants. */
export function processTree(exe) {
  const procs = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      let path = ''
      try {
        path = readlinkSync(`/proc/${name}/exe`)
      } catch {}
      procs.push({ pid: Number(name), ppid, exe: path })
    } catch {}
  }
  const own = procs.filter((p) => p.exe === exe).map((p) => p.pid)
  const ids = new Set(own)
  let grew = true
  while (grew) {
    grew = false
    for (const p of procs) {
      if (!ids.has(p.pid) && ids.has(p.ppid)) {
        ids.add(p.pid)
        grew = true
      }
    }
  }
  return { own, all: [...ids] }
}

/** A `kB` field of /proc/PID/status (e.g. VmHWM), 0 when the process is gone. */
export function statusKiB(pid, field) {
  try {
    const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'))
    return m ? Number(m[1]) : 0
  } catch {
    return 0
  }
}

/** Sum of the peak RSS (VmHWM) of the processes, in MiB. */
export function peakMiB(pids) {
  return pids.reduce((s, p) => s + statusKiB(p, 'VmHWM'), 0) / 1024
}
