import assert from 'node:assert/strict'
import { assertProblem, login, type Session, withSession } from '../../../../test/contract/session-helpers.ts'
import { type ClientKey, loginForKey, signedSend } from '../../../../test/contract/signed-helpers.ts'
import type { AuthServer } from '../../../../test/support/auth-server.ts'
import { internals } from '../../src/core/internals.ts'
import type { Tessera } from '../../src/core/tessera.ts'

/**
 * Issue 12 item 4: a login reads the user, waits for the slow password hash, then issues its
 * credential. These helpers hold the hasher open, so a change lands in that wait every run.
 */

export const KEY_LOGINS = 12
export const SESSION_LOGINS = 4

/** Holds the next `count` password verifications after the hash: `arrived` once all are waiting. */
export function holdVerifications(tessera: Tessera, count: number) {
  const hasher = internals(tessera).hasher
  const verify = hasher.verify.bind(hasher)
  const arrived = Promise.withResolvers<void>()
  const released = Promise.withResolvers<void>()
  let waiting = 0
  hasher.verify = async (phc, password) => {
    if (waiting >= count) return verify(phc, password)
    waiting++
    const ok = await verify(phc, password)
    if (waiting === count) arrived.resolve()
    await released.promise
    return ok
  }
  return { arrived: arrived.promise, release: () => released.resolve() }
}

/**
 * Starts key and session logins with the current password, lets `change` run while every one
 * of them waits between reading the user and issuing, and answers what they were issued.
 */
export async function loginsRacing(
  server: AuthServer,
  email: string,
  password: string,
  change: () => Promise<void>,
) {
  const hold = holdVerifications(server.tessera, KEY_LOGINS + SESSION_LOGINS)
  const keys = Promise.all(Array.from({ length: KEY_LOGINS }, () => loginForKey(server, email, password)))
  const sessions = Promise.all(Array.from({ length: SESSION_LOGINS }, () => login(server, email, password)))
  try {
    await hold.arrived
    await change()
  } finally {
    hold.release()
  }
  return { keys: await keys, sessions: await sessions }
}

export async function assertAllRefused(
  server: AuthServer,
  issued: { keys: ClientKey[]; sessions: Session[] },
) {
  assert.equal(issued.keys.length, KEY_LOGINS)
  for (const key of issued.keys) {
    const { answer } = await signedSend(server, key, { path: '/api/things' })
    assertProblem(answer, 401, 'unknown_key')
  }
  for (const session of issued.sessions) {
    assertProblem(await withSession(server, session, { path: '/api/things' }), 401, 'unauthenticated')
  }
}

/**
 * Logins held in flight count as the account's failures until they succeed (docs/security.md §5),
 * so the racing logins of these tests need more free failures than the default five.
 */
export const RACING_LOGINS = { freeFailures: 50 }
