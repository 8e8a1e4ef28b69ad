import type { CaseResult } from '../http/run-http-benchmarks.ts'
import { summarizeCpuProfile } from '../profile/summarize-cpu-profile.ts'

/**
 * A profiled case's top self-time functions, also as µs per response (self time ÷ every
 * response the server gave, warm-up included; start-up time is in the profile too, so the
 * first lines can include module loading).
 */
export function formatHotSpots(result: CaseResult, top = 15): string {
  if (result.profile === undefined) return ''
  const spots = summarizeCpuProfile(result.profile, top)
  const lines = spots.map((s) => {
    const us = (s.selfMs * 1000) / Math.max(1, result.served)
    return `${(s.share * 100).toFixed(1).padStart(5)} %  ${us.toFixed(2).padStart(6)} µs/resp  ${s.where}`
  })
  return [
    `${result.id}: ${result.served.toLocaleString('en-US')} responses, profile ${result.profile}`,
    ...lines,
  ].join('\n')
}
