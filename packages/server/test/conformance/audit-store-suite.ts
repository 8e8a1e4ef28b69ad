import assert from 'node:assert/strict'
import { randomInt } from 'node:crypto'
import { describe, test } from 'node:test'
import type { AuditEvent } from '../../src/core/stores.ts'
import { type OpenStores, useStores } from './open-stores.ts'
import { uniqueId } from './unique-id.ts'

const NOW = Date.UTC(2030, 0, 1)

/** A user id no other test uses, so a `userId` filter isolates a test's events. */
function someUserId(): number {
  return randomInt(1_000_000, 2_000_000_000)
}

function event(userId: number | null, overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    event: 'authn_login_success',
    at: NOW,
    userId,
    credentialId: uniqueId('ses'),
    ip: '203.0.113.7',
    detail: {},
    ...overrides,
  }
}

/** The AuditStore contract, run against every backend. */
export function auditStoreSuite(backend: string, open: OpenStores<'audit'>): void {
  describe(`AuditStore on ${backend}`, { timeout: 30_000 }, () => {
    const stores = useStores(open)
    const recordAll = async (events: AuditEvent[]) => {
      for (const e of events) await stores().audit.record(e)
    }

    test('lists recorded events newest first with their fields and ids', async () => {
      const userId = someUserId()
      const events = [event(userId, { at: NOW }), event(userId, { event: 'logout', at: NOW + 1 })]
      await recordAll(events)
      const listed = await stores().audit.list({ limit: 10, userId })
      assert.deepEqual(
        listed.map(({ id: _, ...rest }) => rest),
        [events[1], events[0]],
      )
      assert.ok(listed[0]!.id > listed[1]!.id)
    })

    test('round-trips the detail object', async () => {
      const userId = someUserId()
      const detail = {
        reason: 'bad_password',
        attempts: 3,
        locked: false,
        target: null,
        path: '/auth/login?ü=🦄',
      }
      await stores().audit.record(event(userId, { event: 'authn_login_fail', detail }))
      const [listed] = await stores().audit.list({ limit: 1, userId })
      assert.deepEqual(listed?.detail, detail)
    })

    test('records events without user, credential or ip', async () => {
      const anonymous = event(null, {
        event: 'malicious_csrf',
        credentialId: null,
        ip: null,
        detail: { origin: uniqueId('o') },
      })
      await stores().audit.record(anonymous)
      const [latest] = await stores().audit.list({ limit: 1, event: 'malicious_csrf' })
      assert.deepEqual({ ...latest, id: 0 }, { ...anonymous, id: 0 })
    })

    test('pages backwards with beforeId', async () => {
      const userId = someUserId()
      await recordAll(Array.from({ length: 5 }, (_, i) => event(userId, { at: NOW + i, detail: { i } })))
      const first = await stores().audit.list({ limit: 2, userId })
      const second = await stores().audit.list({ limit: 2, userId, beforeId: first[1]!.id })
      const third = await stores().audit.list({ limit: 2, userId, beforeId: second[1]!.id })
      assert.deepEqual(
        [...first, ...second, ...third].map((e) => e.detail.i),
        [4, 3, 2, 1, 0],
      )
      assert.deepEqual(await stores().audit.list({ limit: 2, userId, beforeId: third[0]!.id }), [])
    })

    test('filters by user and by event', async () => {
      const [userId, otherId] = [someUserId(), someUserId()]
      await recordAll([
        event(userId),
        event(userId, { event: 'logout' }),
        event(otherId, { event: 'logout' }),
      ])
      const logouts = await stores().audit.list({ limit: 10, userId, event: 'logout' })
      assert.deepEqual(
        logouts.map((e) => [e.userId, e.event]),
        [[userId, 'logout']],
      )
      assert.equal((await stores().audit.list({ limit: 10, userId })).length, 2)
      const latestLogouts = await stores().audit.list({ limit: 2, event: 'logout' })
      assert.deepEqual(
        latestLogouts.map((e) => e.userId),
        [otherId, userId],
      )
    })
  })
}
