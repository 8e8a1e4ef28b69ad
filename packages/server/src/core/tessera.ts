import type { KeyObject } from 'node:crypto'
import { AccountTokens } from './accounts/account-tokens.ts'
import { AuditLog } from './audit-log.ts'
import { Authenticator, type AuthOutcome } from './authenticator.ts'
import { resolveConfig, type TesseraConfig, type TesseraOptions } from './config.ts'
import { CachingCredentialStore } from './credential-cache.ts'
import { csrfTokenFor } from './csrf.ts'
import { DeviceBinding } from './dbsc/device-binding.ts'
import { ProblemError } from './errors.ts'
import { KeyRing } from './key-ring.ts'
import type { TesseraLogger } from './logger.ts'
import { LoginThrottle } from './login-throttle.ts'
import { MailOutbox } from './mail/mail-outbox.ts'
import type { Mailer } from './mail/mailer.ts'
import { requireEnrolment } from './mfa-policy.ts'
import { OidcRelyingParty } from './oidc/oidc-relying-party.ts'
import { PasswordHasher } from './password-hasher.ts'
import { createSignatureVerifier } from './signatures/verify-request-signature.ts'
import { type GuardOptions, requireRecentAuth } from './step-up.ts'
import type { CredentialWithUser, RevocationEvent, RevocationReceipt, Stores } from './stores.ts'
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
  /** Account mails, sent off the request path within the send limits. */
  readonly mail: MailOutbox
  /** Single-use account tokens (invitations, verification, reset, email change). */
  readonly tokens: AccountTokens
  /** OpenID Connect sign-in, when providers are configured. */
  readonly oidc: OidcRelyingParty | undefined
  readonly logger: TesseraLogger | undefined
  /** Device-bound browser sessions (DBSC); undefined when switched off or the stores have no DBSC store. */
  readonly deviceBinding: DeviceBinding | undefined
  readonly now: () => number
  readonly #csrfKey: KeyObject
  readonly #authenticator: Authenticator
  readonly #sweeper: NodeJS.Timeout | undefined
  readonly #cache: CachingCredentialStore | undefined

  constructor(options: TesseraOptions) {
    this.config = resolveConfig(options)
    this.now = options.now ?? Date.now
    this.#cache = cacheFor(options, this.now, (event, receipt) => this.#auditUnconfirmed(event, receipt))
    this.stores = this.#cache ? withCache(options.stores, this.#cache) : options.stores
    void this.#cache
      ?.start()
      .catch((error: unknown) => options.logger?.error({ err: error }, 'revocation bus subscribe failed'))
    this.logger = options.logger
    this.hasher = new PasswordHasher(options.passwordHashing)
    this.throttle = new LoginThrottle(this.stores.rateLimits, this.config.throttle)
    this.audit = new AuditLog(this.stores.audit, this.logger, this.now)
    this.keyRing = new KeyRing(this.stores.credentials, this.config, this.now)
    const mailer = options.mailer ?? NO_MAILER
    this.mail = new MailOutbox(
      mailer,
      this.stores.rateLimits,
      this.audit,
      this.logger,
      this.config.mailLimits,
    )
    this.tokens = new AccountTokens(
      this.stores.accountTokens,
      this.audit,
      this.config.secrets.derive('account-code'),
    )
    this.oidc = options.oidc && new OidcRelyingParty(options.oidc, this.stores.oidc)
    this.#csrfKey = this.config.secrets.derive('csrf')
    this.#sweeper = this.#startSweeper(options.sweepIntervalMs ?? 10 * 60_000)
    this.deviceBinding = this.#createDeviceBinding()
    this.#authenticator = new Authenticator({
      config: this.config,
      credentials: this.stores.credentials,
      verifier: this.#createVerifier(),
      csrfKey: this.#csrfKey,
      audit: this.audit,
      now: this.now,
      ...(this.deviceBinding && { deviceBinding: this.deviceBinding }),
    })
  }

  #createDeviceBinding(): DeviceBinding | undefined {
    const { dbsc, secrets } = this.config
    if (!dbsc.enabled || this.stores.dbsc === undefined) return undefined
    const { dbsc: store, nonces } = this.stores
    return new DeviceBinding({ config: dbsc, store, nonces, secrets, audit: this.audit })
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

  /**
   * A revocation that some instance did not confirm in time (or that could not be published):
   * the revoking call was answered only once those instances had stopped trusting their memory,
   * but an operator should know which ones lag or are cut off from Redis.
   */
  #auditUnconfirmed(event: RevocationEvent, receipt: RevocationReceipt): Promise<void> {
    return this.audit.record('revocation_unconfirmed', {
      ...('userId' in event ? { userId: event.userId } : { credentialId: event.credentialId }),
      detail: {
        published: receipt.published,
        expected: receipt.expected,
        confirmed: receipt.confirmed,
        unconfirmed: receipt.unconfirmed.join(',').slice(0, 1_000),
      },
    })
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
   * The whole route guard: `authorize`, then step-up (`recentAuth`) and the `mfaRequiredRoles`
   * policy. Adapters call this; throws the ProblemError to answer.
   */
  async guard(outcome: AuthOutcome, role: Role, request: RequestView, options: GuardOptions = {}) {
    const principal = this.authorize(outcome, role, request)
    if (options.recentAuth !== undefined) requireRecentAuth(principal, options.recentAuth, this.now())
    if (!options.allowUnenrolled) await requireEnrolment(this.config.mfaRequiredRoles, this.stores, principal)
    return principal
  }

  /**
   * Deletes expired nonces and credentials dead for a week, so the tables do not grow
   * with every signed request. Runs every `sweepIntervalMs` on its own; answers the counts.
   */
  async sweep(
    now = this.now(),
  ): Promise<{ nonces: number; credentials: number; tokens: number; oidc: number }> {
    const [nonces, credentials, tokens, oidc] = await Promise.all([
      this.stores.nonces.deleteExpired(now),
      this.stores.credentials.deleteExpired(now),
      this.stores.accountTokens.deleteExpired(now),
      // Abandoned provider sign-ins and unredeemed mobile codes.
      this.oidc ? this.oidc.store.deleteExpired(now) : 0,
      this.stores.mfa.deleteExpiredChallenges(now),
    ])
    return { nonces, credentials, tokens, oidc }
  }

  csrfToken(sessionId: string): string {
    return csrfTokenFor(this.#csrfKey, sessionId)
  }

  async close(): Promise<void> {
    clearInterval(this.#sweeper)
    await this.mail.close()
    await this.#cache?.stop()
    await this.stores.close()
  }
}

/** Without a mailer every send fails: audited `mail_failed` and logged, as when SMTP is down. */
const NO_MAILER: Mailer = {
  send: () => Promise.reject(new Error('no mailer configured')),
}

/**
 * Credential lookups are cached only where invalidation can reach every reader: with a
 * revocation bus shared by the instances (Redis), or on a single SQLite host, where the
 * database's change counter reveals other processes' writes. Otherwise every lookup reads
 * the database, which is always correct.
 */
function cacheFor(
  options: TesseraOptions,
  now: () => number,
  onUnconfirmed: (event: RevocationEvent, receipt: RevocationReceipt) => Promise<void>,
): CachingCredentialStore | undefined {
  const { stores, credentialCache } = options
  if (credentialCache === false) return undefined
  if (stores.revocations === undefined && stores.changeCounter === undefined) return undefined
  return new CachingCredentialStore(stores.credentials, {
    now,
    onUnconfirmed,
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
