import assert from 'node:assert/strict'
import { availableParallelism } from 'node:os'
import { mock, test } from 'node:test'
import { ProblemError } from './errors.ts'
import { HASH_QUEUE, hasPassword, NO_PASSWORD_HASH, PasswordHasher } from './password-hasher.ts'
import { Slots, SlotsFullError } from './slots.ts'

const CHEAP = { memoryCost: 1024, timeCost: 1, parallelism: 1 }

test('with the defaults 64 hashes wait for a core; the next is refused with 503 and Retry-After 1', async () => {
  const hasher = new PasswordHasher(CHEAP)
  const phc = await hasher.hash('a password to check against')
  const cores = availableParallelism()
  // Called in one go, so none has finished before the last one asks for its place.
  const checks = Array.from({ length: cores + 64 + 3 }, () =>
    hasher.verify(phc, 'a password to check against').then(
      (ok) => ({ ok }),
      (error: unknown) => ({ error }),
    ),
  )
  const outcomes = await Promise.all(checks)
  const refused = outcomes.flatMap((o) => ('error' in o ? [o.error] : []))
  assert.equal(refused.length, 3)
  for (const error of refused) {
    assert.ok(error instanceof ProblemError)
    assert.equal(error.code, 'service_unavailable')
    assert.equal(error.toProblem().headers['retry-after'], '1')
  }
  assert.ok(outcomes.every((o) => !('ok' in o) || o.ok))
})

test('with the defaults a hash waits at most 2 s for a core', async (t) => {
  mock.timers.enable({ apis: ['setTimeout'] })
  t.after(() => mock.timers.reset())
  const slots = new Slots(1, { maxWaiting: HASH_QUEUE.queueLength, maxWaitMs: HASH_QUEUE.queueWaitMs })
  let finish = () => {}
  const running = slots.run(() => new Promise<void>((resolve) => (finish = resolve)))
  const seen: { error?: unknown } = {}
  const waiting = slots
    .run(async () => 'ran')
    .catch((error: unknown) => {
      seen.error = error
    })
  mock.timers.tick(1999)
  await Promise.resolve()
  assert.equal('error' in seen, false, 'still waiting after 1,999 ms')
  mock.timers.tick(1)
  await waiting
  assert.ok(seen.error instanceof SlotsFullError)
  finish()
  await running
})

test('a dummy hash refused by a full queue is made again for the next login, not remembered as a failure', async () => {
  const hasher = new PasswordHasher({ ...CHEAP, queueLength: 1 })
  const phc = await hasher.hash('a password to check against')
  const busy = Array.from({ length: availableParallelism() + 1 }, () => hasher.verify(phc, 'x'))
  await assert.rejects(hasher.verifyDummy('guess'), { code: 'service_unavailable' })
  await Promise.all(busy)
  assert.equal(await hasher.verifyDummy('guess'), false)
})

test('an account without a password (passkey-only) is checked against the dummy hash: a real hash of time, never a match', async (t) => {
  const hasher = new PasswordHasher(CHEAP)
  const dummy = t.mock.method(hasher, 'verifyDummy')
  for (const guess of ['', 'any password', NO_PASSWORD_HASH])
    assert.equal(await hasher.verify(NO_PASSWORD_HASH, guess), false)
  assert.equal(dummy.mock.callCount(), 3, 'each check spent a dummy verification, as an unknown email does')
  assert.equal(hasPassword({ passwordHash: NO_PASSWORD_HASH }), false)
  assert.equal(hasPassword({ passwordHash: await hasher.hash('x') }), true)
})
