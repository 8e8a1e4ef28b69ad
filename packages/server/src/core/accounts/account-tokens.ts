import { createHmac, type KeyObject, randomInt } from 'node:crypto'
import type { AuditLog } from '../audit-log.ts'
import { ProblemError } from '../errors.ts'
import { randomId, randomToken, sha256Hex } from '../secrets.ts'
import type { AccountTokenRecord, AccountTokenStore, TokenPurpose } from '../stores.ts'

const MINUTE = 60_000
const HOUR = 60 * MINUTE

/** How long each token lives (issue 13): reset 30 min, verify 24 h, invitation 7 days, undo 72 h. */
export const TOKEN_LIFETIMES: Record<TokenPurpose, number> = Object.freeze({
  reset: 30 * MINUTE,
  verify: 24 * HOUR,
  invite: 7 * 24 * HOUR,
  email_change: 24 * HOUR,
  email_undo: 72 * HOUR,
})

/** Wrong codes a token survives: the fifth guess is the last one judged. */
export const MAX_CODE_ATTEMPTS = 5

export interface IssueTokenInput {
  userId: number | null
  email: string
  payload?: Record<string, string | number | null>
  createdBy?: number | null
  /** Also make a 6-digit code (the mobile client types it instead of opening the link). */
  withCode?: boolean
}

export interface IssuedToken {
  record: AccountTokenRecord
  /** 256 bits, base64url: only in the mail, never stored or logged. */
  token: string
  code: string | undefined
}

/**
 * Issues and consumes account tokens: 256-bit random, stored as SHA-256 only, bound to one
 * purpose and one account (or invitee), single-use through the store's atomic consume.
 * Every issue, consume and failure is audited by token id, never by token.
 */
export class AccountTokens {
  readonly #store: AccountTokenStore
  readonly #audit: AuditLog
  readonly #codeKey: KeyObject

  constructor(store: AccountTokenStore, audit: AuditLog, codeKey: KeyObject) {
    this.#store = store
    this.#audit = audit
    this.#codeKey = codeKey
  }

  async issue(purpose: TokenPurpose, input: IssueTokenInput, now: number): Promise<IssuedToken> {
    const token = randomToken(32)
    const code = input.withCode ? String(randomInt(0, 1_000_000)).padStart(6, '0') : undefined
    const record: AccountTokenRecord = {
      id: randomId('tok'),
      purpose,
      userId: input.userId,
      email: input.email,
      payload: JSON.stringify(input.payload ?? {}),
      tokenHash: sha256Hex(token),
      codeHash:
        code === undefined || input.userId === null ? null : this.#codeHash(input.userId, purpose, code),
      attempts: 0,
      createdBy: input.createdBy ?? null,
      createdAt: now,
      expiresAt: now + TOKEN_LIFETIMES[purpose],
      endedAt: null,
      endReason: null,
    }
    await this.#store.create(record)
    await this.#audit.record('token_issued', {
      userId: input.userId,
      detail: { purpose, tokenId: record.id },
    })
    return { record, token, code }
  }

  /**
   * Consumes the token of the link, or throws the problem that says why not: `token_invalid`
   * (unknown, forged, another purpose), `token_expired`, `token_used`.
   */
  async consume(token: string, purpose: TokenPurpose, now: number, ip: string): Promise<AccountTokenRecord> {
    const hash = sha256Hex(token)
    const consumed = await this.#store.consume(hash, purpose, now)
    if (consumed !== undefined) {
      await this.#audit.record('token_consumed', {
        userId: consumed.userId,
        ip,
        detail: { purpose, tokenId: consumed.id },
      })
      return consumed
    }
    const found = await this.#store.findByTokenHash(hash)
    const code =
      found === undefined || found.purpose !== purpose
        ? 'token_invalid'
        : found.endedAt !== null
          ? 'token_used'
          : 'token_expired'
    await this.#audit.record('token_failed', {
      userId: found?.purpose === purpose ? found.userId : null,
      ip,
      detail: { purpose, reason: code, tokenId: found?.purpose === purpose ? found.id : null },
    })
    throw new ProblemError(code)
  }

  /** Consumes the live token of `purpose` for `userId` by its 6-digit code; five guesses, then it is dead. */
  async consumeCode(
    userId: number,
    purpose: TokenPurpose,
    code: string,
    now: number,
    ip: string,
  ): Promise<AccountTokenRecord> {
    const outcome = await this.#store.consumeCode(
      userId,
      purpose,
      this.#codeHash(userId, purpose, code),
      MAX_CODE_ATTEMPTS,
      now,
    )
    if (typeof outcome === 'object') {
      await this.#audit.record('token_consumed', {
        userId,
        ip,
        detail: { purpose, tokenId: outcome.id, by: 'code' },
      })
      return outcome
    }
    const reason = outcome === 'exhausted' ? 'token_used' : 'token_invalid'
    await this.#audit.record('token_failed', {
      userId,
      ip,
      detail: { purpose, reason, by: 'code', exhausted: outcome === 'exhausted' },
    })
    throw new ProblemError(reason)
  }

  async revoke(id: string, purpose: TokenPurpose, now: number, by: number): Promise<boolean> {
    const revoked = await this.#store.revoke(id, purpose, now)
    if (revoked) await this.#audit.record('token_revoked', { detail: { purpose, tokenId: id, by } })
    return revoked
  }

  /** Keyed by the master secret: a leaked table does not let anyone try the million codes offline. */
  #codeHash(userId: number, purpose: TokenPurpose, code: string): string {
    return createHmac('sha256', this.#codeKey).update(`${purpose}:${userId}:${code}`).digest('hex')
  }
}
