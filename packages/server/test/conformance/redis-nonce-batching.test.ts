import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { test } from 'node:test'
import { connectRedis, RedisNonceStore } from '../../src/stores/redis/index.ts'

const NOW = Date.UTC(2030, 0, 1)
const PREFIX = `tessera-test-${randomBytes(6).toString('hex')}:`

test('Redis: the nonce checks of one event-loop turn go to Redis in one script call', async () => {
  const client = connectRedis('redis://127.0.0.1:6379/7')
  const store = new RedisNonceStore(client, { keyPrefix: PREFIX })
  try {
    // Loads the script, so the counted turn needs no EVAL fallback.
    assert.equal(await store.consume('warm', 'up', NOW + 1000, NOW), true)
    const calls: string[] = []
    const sendCommand = client.sendCommand.bind(client)
    client.sendCommand = (command, ...rest) => {
      calls.push(command.name)
      return sendCommand(command, ...rest)
    }
    const nonces = Array.from({ length: 200 }, (_, i) => `n-${i % 100}`)
    const results = await Promise.all(nonces.map((nonce) => store.consume('k', nonce, NOW + 60_000, NOW)))
    assert.deepEqual(calls, ['evalsha'])
    // Each of the 100 nonces twice in the batch: the first consumed, the second a replay.
    assert.deepEqual(results, [...Array(100).fill(true), ...Array(100).fill(false)])
    assert.equal(
      await store.consume('k', 'n-1', NOW + 60_000, NOW + 1),
      false,
      'recorded for later turns too',
    )
  } finally {
    const keys = await client.keys(`${PREFIX}*`)
    if (keys.length > 0) await client.del(...keys)
    client.disconnect()
  }
})
