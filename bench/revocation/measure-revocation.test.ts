import assert from 'node:assert/strict'
import { test } from 'node:test'
import { formatRevocation, measureRevocation } from './measure-revocation.ts'

test('the revocation case: B never accepts a session A logged out, and a cached read costs no Redis command', {
  timeout: 120_000,
}, async () => {
  const result = await measureRevocation({ rounds: 20, reads: 1_000 })
  assert.equal(result.acceptedAfterRevocation, 0)
  assert.equal(result.redisCommandsPerRead, 0, 'no per-request round trip to Redis')
  // Every 50 ms per instance, so at most 20 a second each, plus one per instance at the window's edge.
  const most = 2 * 20 + 2 / result.reads.seconds
  assert.ok(result.pingsPerSecond <= most, `at most ${most} pings a second (${result.pingsPerSecond})`)
  assert.ok(result.revoke.p50Ms > 0 && result.revoke.p50Ms <= result.revoke.p99Ms)
  assert.match(
    formatRevocation(result),
    /20 rounds: p50 [\d.]+ ms, p99 [\d.]+ ms, max [\d.]+ ms; accepted on B right after: 0/,
  )
})
