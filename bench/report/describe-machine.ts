import { cpus, loadavg, release, totalmem } from 'node:os'

export interface MachineDescription {
  cores: number
  cpu: string
  memoryGiB: number
  node: string
  kernel: string
  /** 1-minute load average when the run started: other work on the machine skews the figures. */
  loadAverage: number
}

export function describeMachine(): MachineDescription {
  return {
    cores: cpus().length,
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    kernel: `${process.platform} ${release()}`,
    loadAverage: Number((loadavg()[0] ?? 0).toFixed(2)),
  }
}

export function machineLine(m: MachineDescription): string {
  return `${m.cores} × ${m.cpu}, ${m.memoryGiB} GiB, Node ${m.node}, ${m.kernel}, load average ${m.loadAverage} at start`
}
