import assert from 'node:assert/strict'
import { test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { Slots } from './slots.ts'

test('runs at most `size` tasks at once, the rest in arrival order', async () => {
  const slots = new Slots(2)
  let running = 0
  let peak = 0
  const started: number[] = []
  await Promise.all(
    Array.from({ length: 6 }, (_, i) =>
      slots.run(async () => {
        started.push(i)
        running++
        peak = Math.max(peak, running)
        await sleep(5)
        running--
      }),
    ),
  )
  assert.equal(peak, 2)
  assert.deepEqual(started, [0, 1, 2, 3, 4, 5])
})

test('frees the slot when a task fails', async () => {
  const slots = new Slots(1)
  await assert.rejects(slots.run(async () => Promise.reject(new Error('boom'))))
  assert.equal(await slots.run(async () => 'next'), 'next')
})
