import { spawnSync } from 'node:child_process'
import { availableParallelism } from 'node:os'

export interface CpuPinning {
  /** The command line that runs `args` on `cpu` (unchanged when pinning is off). */
  wrap(args: string[], cpu: number | undefined): { command: string; args: string[] }
  /** Whether servers and load generators get a core each. */
  readonly enabled: boolean
}

/**
 * On a machine with two or more cores, the server runs on CPU 0 and the load generator on
 * CPU 1 (`taskset`, util-linux), so they never take turns on one core and the figures do not
 * depend on the scheduler's mood. Without `taskset` they run unpinned.
 */
export function cpuPinning(): CpuPinning {
  const enabled =
    process.platform === 'linux' &&
    availableParallelism() >= 2 &&
    spawnSync('taskset', ['-c', '0', 'true']).status === 0
  return {
    enabled,
    wrap(args, cpu) {
      if (!enabled || cpu === undefined) return { command: process.execPath, args }
      return { command: 'taskset', args: ['-c', String(cpu), process.execPath, ...args] }
    },
  }
}
