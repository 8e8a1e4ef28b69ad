import type { ColdStartResult } from '../cold/measure-cold-start.ts'
import type { InstallResult } from '../cold/measure-install.ts'
import type { CaseResult } from '../http/run-http-benchmarks.ts'
import type { RevocationResult } from '../revocation/measure-revocation.ts'
import type { RunOptions } from '../run-options.ts'
import type { LoginStormResult } from '../storm/run-login-storm.ts'
import type { MicroResult } from '../verify-signature.bench.ts'
import type { MachineDescription } from './describe-machine.ts'

/** Everything one `npm run bench` measured, as kept in bench/results/http-<time>.json. */
export interface BenchReport {
  machine: MachineDescription
  command: string
  startedAt: string
  options: Omit<RunOptions, 'parts' | 'cases' | 'outDir'> & { parts: string[]; cases: string[] }
  micro?: MicroResult[]
  http?: CaseResult[]
  storm?: LoginStormResult
  revocation?: RevocationResult
  coldStart?: ColdStartResult
  install?: InstallResult
  /** Parts that failed, with why: the rest of the run still counts. */
  failures: Record<string, string>
  totalSeconds?: number
}
