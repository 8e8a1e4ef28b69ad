import type { LoginStormResult } from '../storm/run-login-storm.ts'

/** A latency, or '–' when the run had no responses (the generator reports null then). */
function ms(value: number | null, digits = 0): string {
  return value === null ? '–' : value.toFixed(digits)
}

/** The login storm in a few lines, as printed and as the doc states it. */
export function formatStorm(s: LoginStormResult): string {
  const h = s.hashing
  const codes = (r: LoginStormResult['logins']) => JSON.stringify(r.statusCodes)
  return [
    `Argon2id m=${h.params.memoryCost} KiB, t=${h.params.timeCost}, p=${h.params.parallelism}: one verification ${h.verifyMs.toFixed(1)} ms alone; ` +
      `hashing limit ${Math.round(h.limitPerSecond)}/s (min(${h.cores} cores, thread pool ${h.threadPool}) ÷ ${h.verifyMs.toFixed(1)} ms); ` +
      `measured with ${Math.min(h.cores, h.threadPool)} at once: ${Math.round(h.measuredPerSecond)}/s`,
    `logins: ${s.logins.requestsPerSecond.toFixed(1)}/s = ${Math.round(s.shareOfLimit * 100)} % of the limit ` +
      `(${Math.round((s.logins.requestsPerSecond / h.measuredPerSecond) * 100)} % of the measured capacity), ` +
      `login p50 ${s.logins.p50Ms.toFixed(0)} ms, p99 ${s.logins.p99Ms.toFixed(0)} ms, statuses ${codes(s.logins)}`,
    `authenticated GETs at ${Math.round(s.gets.requestsPerSecond)}/s: p99 ${s.calm.p99Ms.toFixed(2)} ms alone → ` +
      `${s.gets.p99Ms.toFixed(2)} ms during the storm (p50 ${s.calm.p50Ms.toFixed(2)} → ${s.gets.p50Ms.toFixed(2)} ms, max ${s.gets.maxMs.toFixed(1)} ms), statuses ${codes(s.gets)}`,
    `bogus-login storm: ${s.bogusStorm.bogus.responses} bogus logins, statuses ${codes(s.bogusStorm.bogus)}, p99 ${ms(s.bogusStorm.bogus.p99Ms)} ms; ` +
      `real logins meanwhile at ${s.bogusStorm.real.requestsPerSecond.toFixed(1)}/s: p50 ${ms(s.bogusStorm.real.p50Ms)} ms, p99 ${ms(s.bogusStorm.real.p99Ms)} ms, max ${ms(s.bogusStorm.real.maxMs)} ms, statuses ${codes(s.bogusStorm.real)}`,
    `server CPU during the storm: ${s.logins.serverCores === null ? '?' : `${Math.round(s.logins.serverCores * 100)} %`} (of ${h.cores * 100} %)` +
      (s.valid ? '' : '  — INVALID: not every response was 2xx'),
  ].join('\n')
}
