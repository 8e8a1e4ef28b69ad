import assert from 'node:assert/strict'
import { test } from 'node:test'
import { StoreUnavailableError } from '../../core/errors.ts'
import { failClosed, isUniqueViolation, orWhenTaken } from './fail-closed.ts'

const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432 password=hunter2'), {
  code: 'ECONNREFUSED',
})

test('failClosed answers the value of a working operation', async () => {
  assert.equal(await failClosed('op', async () => 42), 42)
})

test('failClosed turns a driver error into StoreUnavailableError naming only the operation', async () => {
  const error = await failClosed('nonces.consume', () => Promise.reject(refused)).catch((e: unknown) => e)
  assert.ok(error instanceof StoreUnavailableError)
  assert.equal(error.message, 'SQL store failed: nonces.consume')
  assert.equal(error.cause, refused)
})

test('failClosed passes a StoreUnavailableError on unwrapped', async () => {
  const inner = new StoreUnavailableError('inner')
  await assert.rejects(
    failClosed('op', () => Promise.reject(inner)),
    (e) => e === inner,
  )
})

test('recognises the unique violation of each dialect', () => {
  assert.ok(isUniqueViolation({ code: '23505' }))
  assert.ok(isUniqueViolation({ code: 'ER_DUP_ENTRY', errno: 1062 }))
  assert.ok(isUniqueViolation({ code: 'ERR_SQLITE_ERROR', errcode: 2067 }))
  assert.ok(isUniqueViolation({ code: 'ERR_SQLITE_ERROR', errcode: 1555 }))
  assert.ok(isUniqueViolation(new Error('UNIQUE constraint failed: tessera_user.email_key')))
})

test('does not mistake other failures for a unique violation', () => {
  assert.equal(isUniqueViolation(refused), false)
  assert.equal(isUniqueViolation({ code: '23503' }), false) // PostgreSQL foreign_key_violation
  assert.equal(isUniqueViolation({ code: 'ER_NO_REFERENCED_ROW_2', errno: 1452 }), false)
  assert.equal(
    isUniqueViolation({ code: 'ERR_SQLITE_ERROR', errcode: 787, message: 'FOREIGN KEY constraint failed' }),
    false,
  )
  assert.equal(isUniqueViolation(undefined), false)
  assert.equal(isUniqueViolation('23505'), false)
})

test('orWhenTaken answers the fallback on a unique violation and rethrows anything else', async () => {
  assert.equal(await orWhenTaken(() => Promise.reject({ code: '23505' }), 'taken'), 'taken')
  await assert.rejects(
    orWhenTaken(() => Promise.reject(refused), 'taken'),
    (e) => e === refused,
  )
})
