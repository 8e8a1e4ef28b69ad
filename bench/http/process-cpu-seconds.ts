import { readdirSync, readFileSync } from 'node:fs'

// USER_HZ is 100 on every Linux architecture Node runs on.
const CLOCK_TICKS = 100

/** CPU seconds (user + system) a process has used so far, from /proc; null where there is no /proc. */
export function processCpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Fields after the command name (which may hold spaces) start after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS
  } catch {
    return null
  }
}

/**
 * Busy CPU seconds of the whole machine so far (every core, every process), from /proc/stat;
 * null where there is none. Less the server's and the generator's, it shows how much else ran.
 */
export function machineBusySeconds(): number | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').slice(0, 200).split('\n')[0] ?? ''
    // cpu user nice system idle iowait irq softirq steal …: everything but idle and iowait is busy.
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = line
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number)
    return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS
  } catch {
    return null
  }
}

const DATABASE_COMMANDS = new Set(['postgres', 'redis-server'])

/**
 * CPU seconds used so far by the PostgreSQL and Redis processes on this machine (the
 * PostgreSQL + Redis cases' share of "other" work); null where there is no /proc.
 */
export function databaseCpuSeconds(): number | null {
  let pids: string[]
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name))
  } catch {
    return null
  }
  let total = 0
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
      if (DATABASE_COMMANDS.has(command)) total += processCpuSeconds(Number(pid)) ?? 0
    } catch {
      // gone meanwhile
    }
  }
  return total
}
