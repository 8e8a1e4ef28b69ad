import assert from 'node:assert/strict'
import type { AuthServer } from '../support/auth-server.ts'
import { type HttpAnswer, send } from '../support/http-client.ts'

export const WRONG = 'not the password, long enough'

/** One `POST /auth/login` from the app's own origin. */
export function attemptLogin(server: AuthServer, email: string, password: string): Promise<HttpAnswer> {
  return send(server.baseUrl, {
    method: 'POST',
    path: '/auth/login',
    headers: [['origin', server.origin]],
    body: { email, password },
  })
}

/** Runs `count` calls of `one(i)`, at most `width` at a time (an office, not a flood), in order of i. */
export async function inWaves<T>(count: number, width: number, one: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = []
  for (let start = 0; start < count; start += width) {
    const wave = Array.from({ length: Math.min(width, count - start) }, (_, k) => one(start + k))
    results.push(...(await Promise.all(wave)))
  }
  return results
}

/** How many answers had each status, e.g. `{ 401: 1, 429: 29 }`. */
export function tally(answers: HttpAnswer[]): Record<number, number> {
  const counts: Record<number, number> = {}
  for (const a of answers) counts[a.status] = (counts[a.status] ?? 0) + 1
  return counts
}

/** Every answer is `429 rate_limited` with a Retry-After of `seconds`. */
export function assertAllLimited(answers: HttpAnswer[], seconds: number): void {
  for (const a of answers) {
    assert.equal(a.status, 429, a.text)
    assert.equal(a.json.code, 'rate_limited')
    assert.equal(a.headers['retry-after'], String(seconds))
  }
}
