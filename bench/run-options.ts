import { HTTP_CASES, type HttpCase } from './http/http-cases.ts'

export const PARTS = ['micro', 'http', 'storm', 'revocation', 'cold', 'install'] as const
export type Part = (typeof PARTS)[number]

export interface RunOptions {
  /** The flags as given, for the report's "exact command". */
  args: string[]
  quick: boolean
  parts: ReadonlySet<Part>
  cases: readonly HttpCase[]
  connections: number
  durationS: number
  warmupS: number
  reps: number
  storm: { durationS: number; logins: number; getRate: number; bogus: number }
  revocation: { rounds: number; reads: number }
  coldStartReps: number
  micro: { ops: number; reps: number }
  /** Where the raw JSON goes (default bench/results/). */
  outDir: URL
  /** Write docs/benchmarks.svg: only for a full run of every case. */
  writeChart: boolean
  profile: boolean
}

const RESULTS = new URL('./results/', import.meta.url)

/**
 * `npm run bench [-- --quick] [--only=id,id] [--skip=micro,storm,revocation,cold,install] [--duration=s]
 * [--reps=n] [--out=dir] [--profile]`; `BENCH_QUICK=1` is `--quick`. Full: 64 connections,
 * 4 s × 5 runs after a 2 s warm-up (6–8 minutes in all); quick: 2 s × 1 (about 1½ minutes).
 */
export function parseRunOptions(argv: readonly string[], env: NodeJS.ProcessEnv): RunOptions {
  const flags = readFlags(argv, env)
  const quick = flags.has('quick') || env.BENCH_QUICK === '1'
  const only = flags.get('only')?.split(',')
  const unknown = only?.filter((id) => !HTTP_CASES.some((c) => c.id === id)) ?? []
  if (unknown.length > 0) throw new Error(`unknown case(s) ${unknown.join(', ')}; cases: ${caseIds()}`)
  const skip = new Set(flags.get('skip')?.split(',') ?? [])
  if (quick) skip.add('install')
  const number = (name: string, fallback: number) => {
    const value = Number(flags.get(name) ?? fallback)
    if (!(value > 0)) throw new Error(`--${name} must be a positive number`)
    return value
  }
  return {
    args: [...flags].map(([name, value]) => (value === undefined ? `--${name}` : `--${name}=${value}`)),
    quick,
    parts: new Set(PARTS.filter((p) => !skip.has(p))),
    cases: only ? HTTP_CASES.filter((c) => only.includes(c.id)) : HTTP_CASES,
    connections: number('connections', 64),
    durationS: number('duration', quick ? 2 : 4),
    warmupS: number('warmup', quick ? 1 : 2),
    reps: number('reps', quick ? 1 : 5),
    storm: { durationS: quick ? 2 : 5, logins: 50, getRate: 1000, bogus: 150 },
    revocation: quick ? { rounds: 50, reads: 500 } : { rounds: 200, reads: 2000 },
    coldStartReps: quick ? 1 : 3,
    micro: quick ? { ops: 300, reps: 2 } : { ops: 2000, reps: 5 },
    outDir: flags.has('out') ? new URL(`file://${flags.get('out')}/`) : RESULTS,
    writeChart: !quick && only === undefined && !flags.has('out'),
    profile: flags.has('profile'),
  }
}

const FLAGS = ['quick', 'only', 'skip', 'connections', 'duration', 'warmup', 'reps', 'out', 'profile']

/**
 * `--name[=value]` flags. The root script runs `npm run bench -w @tessera/bench`, so npm takes
 * the flags of `npm run bench -- --quick` as its own config and hands them over as
 * `npm_config_<name>` environment variables: those count too.
 */
function readFlags(argv: readonly string[], env: NodeJS.ProcessEnv): Map<string, string | undefined> {
  const flags = new Map<string, string | undefined>()
  for (const name of FLAGS) {
    const value = env[`npm_config_${name}`]
    if (value !== undefined && value !== '' && value !== 'false')
      flags.set(name, value === 'true' ? undefined : value)
  }
  for (const arg of argv) {
    const [name, value] = arg.replace(/^--/, '').split('=') as [string, string | undefined]
    flags.set(name, value)
  }
  return flags
}

function caseIds(): string {
  return HTTP_CASES.map((c) => c.id).join(', ')
}
