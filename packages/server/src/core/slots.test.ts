import assert from 'node:assert/strict'
import { test } from 'node:test'
import { type Lane, Slots, SlotsFullError } from './slots.ts'

const ROOMY = { maxWaiting: 100, maxWaitMs: 60_000 }

/** A task that runs until `finish()` is called, recording when it started. */
function gate(started: string[], name: string) {
  let finish = () => {}
  const done = new Promise<void>((resolve) => {
    finish = resolve
  })
  return {
    task: async () => {
      started.push(name)
      await done
      return name
    },
    finish: () => finish(),
  }
}

/** Lets queued promise callbacks run, so a started task has recorded its start. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve))

test('runs at most `size` tasks at once, the rest in arrival order', async () => {
  const slots = new Slots(2, ROOMY)
  const started: string[] = []
  const gates = Array.from({ length: 6 }, (_, i) => gate(started, String(i)))
  const runs = gates.map((g) => slots.run(g.task))
  await settle()
  assert.deepEqual(started, ['0', '1'])
  assert.equal(slots.waiting, 4)
  for (const g of gates) {
    g.finish()
    await settle()
  }
  assert.deepEqual(await Promise.all(runs), ['0', '1', '2', '3', '4', '5'])
  assert.deepEqual(started, ['0', '1', '2', '3', '4', '5'])
})

test('frees the slot when a task fails', async () => {
  const slots = new Slots(1, ROOMY)
  await assert.rejects(slots.run(async () => Promise.reject(new Error('boom'))))
  assert.equal(await slots.run(async () => 'next'), 'next')
})

test('starts waiting fresh tasks first, but one suspect task after every 4 fresh ones', async () => {
  const slots = new Slots(1, ROOMY)
  const started: string[] = []
  const first = gate(started, 'first')
  const running = slots.run(first.task)
  const queued: Array<[string, Lane]> = [
    ['s1', 'suspect'],
    ['s2', 'suspect'],
    ...Array.from({ length: 6 }, (_, i): [string, Lane] => [`f${i + 1}`, 'fresh']),
  ]
  const runs = queued.map(([name, lane]) => slots.run(async () => void started.push(name), lane))
  first.finish()
  await Promise.all([running, ...runs])
  assert.deepEqual(started, ['first', 'f1', 'f2', 'f3', 'f4', 's1', 'f5', 'f6', 's2'])
})

test('refuses a task at once when the queue is full', async () => {
  const slots = new Slots(1, { maxWaiting: 2, maxWaitMs: 60_000 })
  const started: string[] = []
  const first = gate(started, 'first')
  const runs = [slots.run(first.task), slots.run(async () => 'a'), slots.run(async () => 'b')]
  await assert.rejects(
    slots.run(async () => 'c'),
    SlotsFullError,
  )
  await assert.rejects(
    slots.run(async () => 'c', 'suspect'),
    SlotsFullError,
  )
  first.finish()
  assert.deepEqual(await Promise.all(runs), ['first', 'a', 'b'])
})

test('a fresh task takes the place of the newest suspect one when the queue is full', async () => {
  const slots = new Slots(1, { maxWaiting: 2, maxWaitMs: 60_000 })
  const started: string[] = []
  const first = gate(started, 'first')
  const running = slots.run(first.task)
  const older = slots.run(async () => 'older', 'suspect')
  const newer = slots.run(async () => 'newer', 'suspect')
  const fresh = slots.run(async () => 'fresh', 'fresh')
  await assert.rejects(newer, SlotsFullError)
  first.finish()
  assert.deepEqual(await Promise.all([running, fresh, older]), ['first', 'fresh', 'older'])
})

test('refuses a task that waited longer than maxWaitMs, and the queue moves on without it', async () => {
  const slots = new Slots(1, { maxWaiting: 10, maxWaitMs: 20 })
  const started: string[] = []
  const first = gate(started, 'first')
  const running = slots.run(first.task)
  const waited = slots.run(async () => 'late')
  await assert.rejects(waited, /waited too long/)
  assert.equal(slots.waiting, 0)
  first.finish()
  assert.equal(await running, 'first')
  assert.equal(await slots.run(async () => 'after'), 'after')
})
