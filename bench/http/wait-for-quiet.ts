import { setTimeout as sleep } from 'node:timers/promises'
import { machineBusySeconds } from './process-cpu-seconds.ts'

export interface QuietOptions {
  /** Busier than this (in cores) counts as "something else is running". */
  thresholdCores: number
  maxWaitMs: number
  windowMs?: number
}

/**
 * Waits until the machine is idle (busy below `thresholdCores` over a short window) before
 * a run starts, for at most `maxWaitMs`; answers how long it waited and whether it got quiet.
 * Between runs nothing of ours works, so whatever is busy then belongs to someone else.
 */
export async function waitForQuiet(options: QuietOptions): Promise<{ waitedMs: number; quiet: boolean }> {
  const start = performance.now()
  const windowMs = options.windowMs ?? 300
  while (true) {
    const before = machineBusySeconds()
    await sleep(windowMs)
    const after = machineBusySeconds()
    const waitedMs = performance.now() - start
    if (before === null || after === null) return { waitedMs, quiet: true }
    if ((after - before) / (windowMs / 1000) < options.thresholdCores) return { waitedMs, quiet: true }
    if (waitedMs >= options.maxWaitMs) return { waitedMs, quiet: false }
  }
}
