import { readFileSync } from 'node:fs'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }
  children?: number[]
}

interface CpuProfile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
  startTime: number
  endTime: number
}

export interface HotSpot {
  /** `function (file:line)`, line 1-based, file relative to the repository. */
  where: string
  selfMs: number
  /** Share of the samples that were not idle. */
  share: number
}

const REPO = new URL('../../', import.meta.url).href

/**
 * The functions that spent the most self time in a V8 `.cpuprofile` (`node --cpu-prof`),
 * idle and GC shown as such, by function and source line.
 */
export function summarizeCpuProfile(file: string, top = 25): HotSpot[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const self = new Map<string, number>()
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id)?.callFrame
    if (frame === undefined) return
    const key = frameName(frame)
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000)
  })
  const busy = [...self].filter(([k]) => k !== '(idle)').reduce((sum, [, ms]) => sum + ms, 0)
  return [...self]
    .filter(([k]) => k !== '(idle)')
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([where, selfMs]) => ({ where, selfMs, share: selfMs / busy }))
}

function frameName(frame: ProfileNode['callFrame']): string {
  const name = frame.functionName || '(anonymous)'
  if (frame.url === '') return name
  const file = frame.url
    .replace(REPO, '')
    .replace(/^file:\/\//, '')
    .replace(/^node:/, 'node:')
  return `${name} (${file}:${frame.lineNumber + 1})`
}

if (import.meta.main) {
  for (const file of process.argv.slice(2)) {
    console.log(`\n${file}`)
    for (const spot of summarizeCpuProfile(file))
      console.log(
        `${(spot.share * 100).toFixed(1).padStart(5)} %  ${spot.selfMs.toFixed(0).padStart(6)} ms  ${spot.where}`,
      )
  }
}
