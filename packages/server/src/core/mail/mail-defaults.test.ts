import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { test } from 'node:test'
import { MAX_CODE_ATTEMPTS, TOKEN_LIFETIMES } from '../accounts/account-tokens.ts'
import { resolveConfig } from '../config.ts'
import type { Stores } from '../stores.ts'

const BASE = { stores: {} as Stores, secret: randomBytes(32), publicOrigin: 'https://app.example.com' }

test('mails: 3 an hour per address, 20 per client IP, a send fails after 10 s; verification optional', () => {
  const config = resolveConfig(BASE)
  assert.deepEqual(config.mailLimits, {
    perAddress: 3,
    perIp: 20,
    windowMs: 3_600_000,
    sendTimeoutMs: 10_000,
  })
  assert.equal(config.emailVerification, 'optional')
  assert.equal(config.openRegistration, false)
})

test('tokens live 30 min (reset), 24 h (verify, email change), 7 days (invitation), 72 h (undo); codes get 5 guesses', () => {
  const HOUR = 3_600_000
  assert.deepEqual(TOKEN_LIFETIMES, {
    reset: HOUR / 2,
    verify: 24 * HOUR,
    invite: 7 * 24 * HOUR,
    email_change: 24 * HOUR,
    email_undo: 72 * HOUR,
  })
  assert.equal(MAX_CODE_ATTEMPTS, 5)
})

test('refuses an unknown mail limit, a limit that is not positive and an unknown verification setting', () => {
  assert.throws(
    () => resolveConfig({ ...BASE, mailLimits: { perAdress: 3 } as never }),
    /mailLimits.perAdress is not an option/,
  )
  assert.throws(
    () => resolveConfig({ ...BASE, mailLimits: { perIp: 0 } }),
    /mailLimits.perIp must be a positive number/,
  )
  assert.throws(
    () => resolveConfig({ ...BASE, emailVerification: 'sometimes' as never }),
    /emailVerification must be one of/,
  )
})
