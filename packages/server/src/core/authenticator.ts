import type { KeyObject } from 'node:crypto'
import type { AuditLog } from './audit-log.ts'
import type { TesseraConfig } from './config.ts'
import { liveness, toPrincipal } from './credentials.ts'
import { checkRequestOrigin, UNSAFE_METHODS, verifyCsrfToken } from './csrf.ts'
import type { DeviceBinding } from './dbsc/device-binding.ts'
import type { ErrorCode, ProblemExtras } from './errors.ts'
import { cookieValues, singleHeader } from './request-headers.ts'
import { sha256Hex } from './secrets.ts'
import { carriesTesseraSignature } from './signatures/tessera-profile.ts'
import type { createSignatureVerifier } from './signatures/verify-request-signature.ts'
import type { CredentialStore, CredentialWithUser } from './stores.ts'
import type { Principal, RequestView } from './types.ts'

export type AuthOutcome =
  | { ok: true; principal: Principal; record: CredentialWithUser }
  | { ok: false; code: ErrorCode; extras?: ProblemExtras; anonymous?: true }

const TOUCH_INTERVAL_MS = 60_000

const ANONYMOUS: AuthOutcome = Object.freeze({ ok: false, code: 'unauthenticated', anonymous: true })

export interface AuthenticatorParts {
  config: TesseraConfig
  credentials: CredentialStore
  /** The credential cache's answer for a session token hash without a promise, when it has one. */
  cachedSession?: (tokenHash: string) => CredentialWithUser | undefined
  verifier: ReturnType<typeof createSignatureVerifier<CredentialWithUser>>
  csrfKey: KeyObject
  audit: AuditLog
  now: () => number
  /** DBSC: bound sessions need their short bound cookie too. */
  deviceBinding?: DeviceBinding
}

/**
 * Finds who made a request: a signed request (RFC 9421 `tessera` profile) or a
 * session cookie. A request that carries a `tessera` signature is judged by it alone,
 * so an ambient cookie never lends it authority; a signature of another profile (a
 * gateway's) is not ours to judge, and the request is authenticated by cookie as usual
 * (docs/signatures.md §2). Cookie-authenticated unsafe requests must pass the CSRF
 * checks. Answers a value; only store outages throw.
 */
export class Authenticator {
  readonly #p: AuthenticatorParts

  constructor(parts: AuthenticatorParts) {
    this.#p = parts
  }

  /**
   * A value when the answer needs no store (a session the credential cache knows, no cookie,
   * a malformed one), a promise otherwise (signed requests, cache misses, bound sessions).
   */
  authenticate(request: RequestView): AuthOutcome | Promise<AuthOutcome> {
    for (const [name] of request.headers) {
      if (name.length === 15 && name.toLowerCase() === 'signature-input') return this.#bySignature(request)
    }
    return this.#byCookie(request)
  }

  async #bySignature(request: RequestView): Promise<AuthOutcome> {
    if (request.bodyUnread) {
      if (!carriesTesseraSignature(request.headers)) return this.#byCookie(request)
      return { ok: false, code: 'invalid_signature', extras: { detail: 'body not covered' } }
    }
    const result = await this.#p.verifier.verify(request)
    // The verifier answers `unauthenticated` only when no member is tagged `tessera`.
    if (!result.ok && result.code === 'unauthenticated') return this.#byCookie(request)
    if (result.ok) {
      this.#touch(result.key.payload, this.#p.now())
      return { ok: true, principal: toPrincipal(result.key.payload), record: result.key.payload }
    }
    if (result.code === 'replayed_signature') {
      void this.#p.audit.record('authn_token_reuse', { ip: request.ip, detail: { reason: 'nonce' } })
    }
    const extras: ProblemExtras = { detail: result.detail }
    if (result.serverTime !== undefined) extras.serverTime = result.serverTime
    return { ok: false, code: result.code, extras }
  }

  #byCookie(request: RequestView): AuthOutcome | Promise<AuthOutcome> {
    const tokens = cookieValues(request.headers, this.#p.config.cookieName)
    if (tokens.length === 0) return ANONYMOUS
    if (tokens.length > 1)
      return { ok: false, code: 'unauthenticated', extras: { detail: 'more than one session cookie' } }
    const token = tokens[0] as string
    if (token.length !== 43) return ANONYMOUS
    const tokenHash = sha256Hex(token)
    const cached = this.#p.cachedSession?.(tokenHash)
    if (cached !== undefined) return this.#judgeSession(request, cached)
    return this.#p.credentials
      .findByTokenHash(tokenHash)
      .then((record) => this.#judgeSession(request, record))
  }

  #judgeSession(
    request: RequestView,
    record: CredentialWithUser | undefined,
  ): AuthOutcome | Promise<AuthOutcome> {
    if (record === undefined || record.credential.type !== 'session') return ANONYMOUS
    const now = this.#p.now()
    const state = liveness(record, now)
    if (state !== 'live')
      return { ok: false, code: state === 'expired' ? 'session_expired' : 'unauthenticated' }
    const unbound = this.#p.deviceBinding?.check(record, request, now)
    if (unbound !== undefined)
      return unbound.then((refusal) => refusal ?? this.#checkCsrf(request, record, now))
    return this.#checkCsrf(request, record, now)
  }

  #checkCsrf(request: RequestView, record: CredentialWithUser, now: number): AuthOutcome {
    if (UNSAFE_METHODS.has(request.method) && !this.#csrfPasses(request, record)) {
      void this.#p.audit.record('malicious_csrf', {
        userId: record.user.id,
        credentialId: record.credential.id,
        ip: request.ip,
        detail: { method: request.method, path: request.target.split('?')[0] ?? '' },
      })
      return { ok: false, code: 'csrf_failed' }
    }
    this.#touch(record, now)
    return { ok: true, principal: toPrincipal(record), record }
  }

  /** Idle limits are kept to the minute, so use is written at most once a minute per credential, off the response path. */
  #touch({ credential }: CredentialWithUser, now: number): void {
    if (now - credential.lastUsedAt < TOUCH_INTERVAL_MS) return
    void this.#p.credentials.touch(credential.id, now).catch(() => {})
  }

  #csrfPasses(request: RequestView, record: CredentialWithUser): boolean {
    if (checkRequestOrigin(request.headers, this.#p.config.ownOrigins) !== 'allowed') return false
    return verifyCsrfToken(
      this.#p.csrfKey,
      record.credential.id,
      singleHeader(request.headers, 'x-csrf-token'),
    )
  }
}
