import { createHmac, type KeyObject, randomBytes, timingSafeEqual } from 'node:crypto'
import type { NonceStore } from '../stores.ts'

export type ChallengePurpose = 'register' | 'refresh'

export type Redeemed =
  | { ok: true; sessionId: string }
  | { ok: false; reason: 'invalid' | 'expired' | 'reused' }

const SESSION_ID = /^ses_[A-Za-z0-9_-]{1,60}$/

/**
 * DBSC challenges: `<session id>.<random>.<expiry>.<mac>`, authenticated by HMAC under a key
 * derived from the master secret, so any instance can check one without a lookup. Each is
 * single-use: redeeming records its random part in the nonce store (an atomic insert in SQL,
 * SET NX in Redis), so of two instances redeeming the same challenge exactly one succeeds.
 */
export class DbscChallenges {
  readonly #key: KeyObject
  readonly #nonces: NonceStore
  readonly #ttlMs: number

  constructor(key: KeyObject, nonces: NonceStore, ttlMs: number) {
    this.#key = key
    this.#nonces = nonces
    this.#ttlMs = ttlMs
  }

  issue(purpose: ChallengePurpose, sessionId: string, now: number): string {
    const random = randomBytes(16).toString('base64url')
    const expires = Math.ceil((now + this.#ttlMs) / 1000)
    return `${sessionId}.${random}.${expires}.${this.#mac(purpose, sessionId, random, expires)}`
  }

  /** Checks and uses up a challenge issued for `purpose` (and, for a refresh, for `sessionId`). */
  async redeem(
    challenge: string,
    purpose: ChallengePurpose,
    now: number,
    sessionId?: string,
  ): Promise<Redeemed> {
    const [id, random, expiresText, mac, ...rest] = challenge.split('.')
    if (rest.length > 0 || id === undefined || random === undefined || mac === undefined) return INVALID
    if (!SESSION_ID.test(id) || !/^[A-Za-z0-9_-]{22}$/.test(random) || !/^\d{1,12}$/.test(expiresText ?? ''))
      return INVALID
    if (sessionId !== undefined && id !== sessionId) return INVALID
    const expires = Number(expiresText)
    const expected = Buffer.from(this.#mac(purpose, id, random, expires))
    const given = Buffer.from(mac)
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return INVALID
    if (expires * 1000 <= now) return { ok: false, reason: 'expired' }
    const first = await this.#nonces.consume(`dbsc:${id}`, random, expires * 1000, now)
    return first ? { ok: true, sessionId: id } : { ok: false, reason: 'reused' }
  }

  #mac(purpose: ChallengePurpose, sessionId: string, random: string, expires: number): string {
    return createHmac('sha256', this.#key)
      .update(`${purpose}\n${sessionId}\n${random}\n${expires}`)
      .digest()
      .subarray(0, 16)
      .toString('base64url')
  }
}

const INVALID: Redeemed = Object.freeze({ ok: false, reason: 'invalid' })
