import assert from 'node:assert/strict'
import { test } from 'node:test'
import { formatRevocation, measureRevocation } from './measure-revocation.ts'

test('the revocation case: B never accepts a session A logged out, and a cached read costs no Redis command', {
  timeout: 120_000,
}, async () => {
  const result = await measureRevocation({ rounds: 20, reads: 200 })
  assert.equal(result.acceptedAfterRevocation, 0)
  assert.equal(result.redisCommandsPerRead, 0, 'no per-request round trip to Redis')
  assert.ok(result.revoke.p50Ms > 0 && result.revoke.p50Ms <= result.revoke.p99Ms)
  assert.match(
    formatRevocation(result),
    /20 rounds: p50 [\d.]+ ms, p99 [\d.]+ ms, max [\d.]+ ms; accepted on B right after: 0/,
  )
})
