import type { KeyObject } from 'node:crypto'
import { AuditLog } from './audit-log.ts'
import { Authenticator, type AuthOutcome } from './authenticator.ts'
import { resolveConfig, type TesseraConfig, type TesseraOptions } from './config.ts'
import { CachingCredentialStore } from './credential-cache.ts'
import { csrfTokenFor } from './csrf.ts'
import { ProblemError } from './errors.ts'
import { KeyRing } from './key-ring.ts'
import type { TesseraLogger } from './logger.ts'
import { LoginThrottle } from './login-throttle.ts'
import { PasswordHasher } from './password-hasher.ts'
import { createSignatureVerifier } from './signatures/verify-request-signature.ts'
import type { CredentialWithUser, Stores } from './stores.ts'
import type { Principal, RequestView, Role } from './types.ts'

/**
 * One configured Tessera instance: configuration validated and frozen, keys derived,
 * stores and verifier wired once at start-up. Adapters hold one and call
 * `authenticate` + `authorize` per request, and serve `endpoints` under `/auth`.
 */
export class Tessera {
  readonly config: TesseraConfig
  readonly stores: Stores
  readonly hasher: PasswordHasher
  readonly throttle: LoginThrottle
  readonly audit: AuditLog
  readonly keyRing: KeyRing
  readonly logger: TesseraLogger | undefined
  readonly now: () => number
  readonly #csrfKey: KeyObject
  readonly #authenticator: Authenticator
  readonly #sweeper: NodeJS.Timeout | undefined
  readonly #cache: CachingCredentialStore | undefined

  constructor(options: TesseraOptions) {
    this.config = resolveConfig(options)
    this.now = options.now ?? Date.now
    this.#cache = cacheFor(options, this.now)
    this.stores = this.#cache ? withCache(options.stores, this.#cache) : options.stores
    void this.#cache
      ?.start()
      .catch((error: unknown) => options.logger?.error({ err: error }, 'revocation bus subscribe failed'))
    this.logger = options.logger
    this.hasher = new PasswordHasher(options.passwordHashing)
    this.throttle = new LoginThrottle(this.stores.rateLimits, this.config.throttle)
    this.audit = new AuditLog(this.stores.audit, this.logger, this.now)
    this.keyRing = new KeyRing(this.stores.credentials, this.config, this.now)
    this.#csrfKey = this.config.secrets.derive('csrf')
    this.#sweeper = this.#startSweeper(options.sweepIntervalMs ?? 10 * 60_000)
    this.#authenticator = new Authenticator({
      config: this.config,
      credentials: this.stores.credentials,
      verifier: this.#createVerifier(),
      csrfKey: this.#csrfKey,
      audit: this.audit,
      now: this.now,
    })
  }

  #createVerifier() {
    const keyRing = this.keyRing
    return createSignatureVerifier<CredentialWithUser>({
      authorities: [...this.config.authorities],
      scheme: this.config.scheme,
      maxSkewSeconds: this.config.maxSkewSeconds,
      maxFutureSkewSeconds: this.config.maxFutureSkewSeconds,
      now: this.now,
      nonces: this.stores.nonces,
      async resolveKey(keyId) {
        const found = await keyRing.resolve(keyId)
        return found && { id: found.id, algorithm: found.algorithm, key: found.key, payload: found.record }
      },
    })
  }

  #startSweeper(everyMs: number): NodeJS.Timeout | undefined {
    if (everyMs <= 0) return undefined
    const sweep = () =>
      this.sweep().catch((error: unknown) => this.logger?.warn({ err: error }, 'sweep failed'))
    return setInterval(sweep, everyMs).unref()
  }

  /** Who made the request (a value, never a throw, except a store outage). */
  authenticate(request: RequestView): Promise<AuthOutcome> {
    return this.#authenticator.authenticate(request)
  }

  /**
   * The role guard: 401 without a valid credential, 403 when the role is too low;
   * `admin` passes every check. Throws the ProblemError to answer.
   */
  authorize(outcome: AuthOutcome, role: Role, request: RequestView): Principal {
    if (!outcome.ok) {
      if (!outcome.anonymous)
        void this.audit.record('authz_fail', { ip: request.ip, detail: { code: outcome.code } })
      throw new ProblemError(outcome.code, outcome.extras)
    }
    const { user, credential } = outcome.principal
    if (role === 'admin' && user.role !== 'admin') {
      void this.audit.record('authz_fail', {
        userId: user.id,
        credentialId: credential.id,
        ip: request.ip,
        detail: { code: 'forbidden', need: role, path: request.target.split('?')[0] ?? '' },
      })
      throw new ProblemError('forbidden')
    }
    return outcome.principal
  }

  /**
   * Deletes expired nonces and credentials dead for a week, so the tables do not grow
   * with every signed request. Runs every `sweepIntervalMs` on its own; answers the counts.
   */
  async sweep(now = this.now()): Promise<{ nonces: number; credentials: number }> {
    const [nonces, credentials] = await Promise.all([
      this.stores.nonces.deleteExpired(now),
      this.stores.credentials.deleteExpired(now),
    ])
    return { nonces, credentials }
  }

  csrfToken(sessionId: string): string {
    return csrfTokenFor(this.#csrfKey, sessionId)
  }

  async close(): Promise<void> {
    clearInterval(this.#sweeper)
    await this.#cache?.stop()
    await this.stores.close()
  }
}

/**
 * Credential lookups are cached only where invalidation can reach every reader: with a
 * revocation bus shared by the instances (Redis), or on a single SQLite host, where the
 * database's change counter reveals other processes' writes. Otherwise every lookup reads
 * the database, which is always correct.
 */
function cacheFor(options: TesseraOptions, now: () => number): CachingCredentialStore | undefined {
  const { stores, credentialCache } = options
  if (credentialCache === false) return undefined
  if (stores.revocations === undefined && stores.changeCounter === undefined) return undefined
  return new CachingCredentialStore(stores.credentials, {
    now,
    ...(credentialCache?.ttlMs !== undefined && { ttlMs: credentialCache.ttlMs }),
    ...(stores.revocations && { bus: stores.revocations }),
    ...(stores.changeCounter && { changeCounter: stores.changeCounter }),
  })
}

function withCache(stores: Stores, cache: CachingCredentialStore): Stores {
  return { ...stores, credentials: cache, users: cache.watchUsers(stores.users), close: () => stores.close() }
}

export function createTessera(options: TesseraOptions): Tessera {
  return new Tessera(options)
}
