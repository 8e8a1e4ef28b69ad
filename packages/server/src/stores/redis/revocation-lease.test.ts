import assert from 'node:assert/strict'
import { test } from 'node:test'
import { RevocationLease } from './revocation-lease.ts'

function leaseAt(leaseMs: number) {
  const clock = { now: 0 }
  return { clock, lease: new RevocationLease(leaseMs, () => clock.now) }
}

test('is not held before any ping came back', () => {
  const { lease } = leaseAt(250)
  lease.next()
  assert.equal(lease.held(), false)
})

test('is held for the lease from the sending of the newest ping that came back, not from its return', () => {
  const { clock, lease } = leaseAt(250)
  const ping = lease.next()
  clock.now = 200
  lease.back(ping)
  assert.equal(lease.held(), true)
  clock.now = 249
  assert.equal(lease.held(), true)
  clock.now = 250
  assert.equal(lease.held(), false, 'a lagging instance whose pings stop coming back fences itself')
  const later = lease.next()
  clock.now = 300
  lease.back(later)
  assert.equal(lease.held(), true)
})

test('a ping coming back late never extends the lease past a newer one', () => {
  const { clock, lease } = leaseAt(250)
  const first = lease.next()
  clock.now = 100
  const second = lease.next()
  lease.back(second)
  lease.back(first) // out of order (cannot happen on one connection, but must not help)
  clock.now = 349
  assert.equal(lease.held(), true)
  clock.now = 350
  assert.equal(lease.held(), false)
})

test('after the subscription dropped, nothing sent before counts', () => {
  const { lease } = leaseAt(250)
  const before = lease.next()
  lease.back(before)
  assert.equal(lease.held(), true)
  const inFlight = lease.next()
  lease.lose()
  assert.equal(lease.held(), false)
  lease.back(inFlight)
  assert.equal(lease.held(), false, 'a ping sent before the drop proves nothing about after it')
})

test('whenHeld answers at once when held, and false once its bound passed without a ping back', async () => {
  const { lease } = leaseAt(250)
  assert.equal(await lease.whenHeld(1), false)
  const ping = lease.next()
  const waiting = lease.whenHeld(10_000)
  lease.back(ping)
  assert.equal(await waiting, true)
  assert.equal(await lease.whenHeld(0), true)
})
