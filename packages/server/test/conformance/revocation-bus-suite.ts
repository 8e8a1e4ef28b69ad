import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { RevocationBus, RevocationEvent } from '../../src/core/stores.ts'
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
      assert.deepEqual([a.heard, b.heard], [[revoked], [revoked]])
      await buses[1]!.bus.publish({ userId: 42 })
      assert.deepEqual([a.heard[1], b.heard[1]], [{ userId: 42 }, { userId: 42 }])
    })

    test('stops delivering to a listener once it unsubscribed', async () => {
      await using buses = await openMany(open, 2)
      const [gone, stays] = [await record(buses[0]!.bus), await record(buses[0]!.bus)]
      await gone.stop()
      // Publish answers once the event was applied everywhere: nothing later can reach `gone`.
      await buses[1]!.bus.publish({ credentialId: uniqueId('key') })
      assert.equal(stays.heard.length, 1)
      assert.deepEqual(gone.heard, [])
    })

    test('publishes only the known member of an event', async () => {
      await using buses = await openMany(open, 1)
      const listener = await record(buses[0]!.bus)
      const credentialId = uniqueId('ses')
      await buses[0]!.bus.publish({ credentialId, extra: 'x' } as RevocationEvent)
      assert.deepEqual(listener.heard, [{ credentialId }])
    })

    test('ignores malformed messages on the channel and still delivers valid ones', async () => {
      await using buses = await openMany(open, 1)
      const listener = await record(buses[0]!.bus)
      for (const message of MALFORMED) await buses[0]!.publishRaw(message)
      // Delivery is in order: once this one is acknowledged, every malformed one was handled.
      const valid = { userId: 7 }
      await buses[0]!.bus.publish(valid)
      assert.deepEqual(listener.heard, [valid])
    })

    test('keeps delivering to other listeners when one throws', async () => {
      await using buses = await openMany(open, 1)
      await buses[0]!.bus.subscribe(() => {
        throw new Error('listener bug')
      })
      const listener = await record(buses[0]!.bus)
      await buses[0]!.bus.publish({ userId: 9 })
      assert.equal(listener.heard.length, 1, 'the second listener heard it')
      await buses[0]!.bus.publish({ userId: 10 })
      assert.equal(listener.heard.length, 2, 'delivery went on after the throw')
    })

    test('publish answers only once every subscribed instance has applied the event, and says so', async () => {
      await using buses = await openMany(open, 3)
      const listeners = await Promise.all(buses.map((b) => record(b.bus)))
      for (let round = 0; round < 20; round++) {
        const event = { credentialId: uniqueId('ses') }
        const receipt = await buses[round % 3]!.bus.publish(event)
        // No waiting here: what publish promised must already hold.
        for (const listener of listeners) assert.deepEqual(listener.heard.at(-1), event, `round ${round}`)
        assert.deepEqual(receipt, { published: true, expected: 3, confirmed: 3, unconfirmed: [] })
      }
    })

    test('an instance that publishes without listening of its own still hears the acknowledgements', async () => {
      await using buses = await openMany(open, 2)
      const listener = await record(buses[0]!.bus)
      const receipt = await buses[1]!.bus.publish({ userId: 11 })
      assert.deepEqual(listener.heard, [{ userId: 11 }])
      assert.equal(receipt.confirmed, receipt.expected)
    })

    test('reports itself live once subscribed', async () => {
      await using buses = await openMany(open, 1)
      await record(buses[0]!.bus)
      assert.equal(buses[0]!.bus.isLive?.() ?? true, true)
    })
  })
}
