import type { BenchCredential } from './bench-credential.ts'

/** One run of the load generator: what to send, how hard and for how long. */
export interface LoadJob {
  /** `http://127.0.0.1:<port>` */
  origin: string
  path: string
  credentials: BenchCredential[]
  connections: number
  durationS: number
  /** Signed requests to prepare up front (ignored for fixed credentials). */
  poolSize: number
  /** Requests per second over all connections; unset = as fast as the server answers. */
  overallRate?: number
}

/** What one run measured. Latencies in milliseconds, from the generator's own clock. */
export interface LoadResult {
  responses: number
  durationS: number
  requestsPerSecond: number
  p50Ms: number
  p90Ms: number
  p99Ms: number
  maxMs: number
  non2xx: number
  errors: number
  timeouts: number
  statusCodes: Record<string, number>
  /** CPU the generator itself used during the run, in cores (1 = one core busy all the time). */
  generatorCores: number
  prepared: number
  signedLive: number
}

/** The generator's stdout protocol: `START` when the run begins, then `RESULT {json}`. */
export const START_LINE = 'START'
export const RESULT_PREFIX = 'RESULT '
