import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { RevocationBus, RevocationEvent } from '../../packages/server/src/core/stores.ts'
import { uniqueId } from './unique-id.ts'

/** One bus instance, as one server instance would hold it, on a connection of its own. */
export interface OpenedBus {
  bus: RevocationBus
  /** Puts a raw message on the bus's channel, as anyone with access to the backend could. */
  publishRaw(message: string): Promise<void>
  close(): Promise<void>
}

/** Opens another instance on the same channel each time it is called. */
export type OpenBus = () => Promise<OpenedBus>

const MALFORMED = [
  'not json',
  '',
  'null',
  '[]',
  '"ses_x"',
  '{}',
  '{"credentialId":""}',
  '{"credentialId":42}',
  '{"userId":"7"}',
  '{"userId":0}',
  '{"userId":1.5}',
  '{"credentialId":"ses_x","userId":7}',
  '{"credentialId":"ses_x","admin":true}',
  JSON.stringify({ credentialId: 'x'.repeat(10_000) }),
]

/** Polls until `done()` holds; fails the test after `timeoutMs`. */
async function eventually(done: () => boolean, what: string, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!done()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting until ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

/** Subscribes a listener that records what it hears. */
async function record(bus: RevocationBus): Promise<{ heard: RevocationEvent[]; stop: () => Promise<void> }> {
  const heard: RevocationEvent[] = []
  const stop = await bus.subscribe((event) => heard.push(event))
  return { heard, stop }
}

/** Opens `count` instances and closes them when the test is done. */
async function openMany(open: OpenBus, count: number): Promise<OpenedBus[] & AsyncDisposable> {
  const opened = await Promise.all(Array.from({ length: count }, () => open()))
  return Object.assign(opened, {
    [Symbol.asyncDispose]: async () => {
      await Promise.all(opened.map((o) => o.close()))
    },
  })
}

/** The RevocationBus contract: fan-out across instances, unsubscribe, hostile messages. */
export function revocationBusSuite(backend: string, open: OpenBus): void {
  describe(`RevocationBus on ${backend}`, { timeout: 30_000 }, () => {
    test('delivers an event published on one instance to the subscribers of every instance', async () => {
      await using buses = await openMany(open, 2)
      const [a, b] = [await record(buses[0]!.bus), await record(buses[1]!.bus)]
      const revoked = { credentialId: uniqueId('ses') }
      await buses[0]!.bus.publish(revoked)
      await eventually(() => a.heard.length === 1 && b.heard.length === 1, 'both instances heard it')
      assert.deepEqual([a.heard, b.heard], [[revoked], [revoked]])
      await buses[1]!.bus.publish({ userId: 42 })
      await eventually(() => a.heard.length === 2 && b.heard.length === 2, 'both heard the user event')
      assert.deepEqual(a.heard[1], { userId: 42 })
    })

    test('stops delivering to a listener once it unsubscribed', async () => {
      await using buses = await openMany(open, 2)
      const [gone, stays] = [await record(buses[0]!.bus), await record(buses[0]!.bus)]
      await gone.stop()
      await buses[1]!.bus.publish({ credentialId: uniqueId('key') })
      await eventually(() => stays.heard.length === 1, 'the remaining listener heard it')
      assert.deepEqual(gone.heard, [])
    })

    test('publishes only the known member of an event', async () => {
      await using buses = await openMany(open, 1)
      const listener = await record(buses[0]!.bus)
      const credentialId = uniqueId('ses')
      await buses[0]!.bus.publish({ credentialId, extra: 'x' } as RevocationEvent)
      await eventually(() => listener.heard.length === 1, 'the event arrived')
      assert.deepEqual(listener.heard, [{ credentialId }])
    })

    test('ignores malformed messages on the channel and still delivers valid ones', async () => {
      await using buses = await openMany(open, 1)
      const listener = await record(buses[0]!.bus)
      for (const message of MALFORMED) await buses[0]!.publishRaw(message)
      const valid = { userId: 7 }
      await buses[0]!.publishRaw(JSON.stringify(valid))
      await eventually(() => listener.heard.length > 0, 'the valid message arrived')
      await new Promise((resolve) => setTimeout(resolve, 50))
      assert.deepEqual(listener.heard, [valid])
    })

    test('keeps delivering to other listeners when one throws', async () => {
      await using buses = await openMany(open, 1)
      await buses[0]!.bus.subscribe(() => {
        throw new Error('listener bug')
      })
      const listener = await record(buses[0]!.bus)
      await buses[0]!.bus.publish({ userId: 9 })
      await eventually(() => listener.heard.length === 1, 'the second listener heard it')
      await buses[0]!.bus.publish({ userId: 10 })
      await eventually(() => listener.heard.length === 2, 'delivery went on after the throw')
    })

    test('reports itself live once subscribed', async () => {
      await using buses = await openMany(open, 1)
      await record(buses[0]!.bus)
      assert.equal(buses[0]!.bus.isLive?.() ?? true, true)
    })
  })
}
