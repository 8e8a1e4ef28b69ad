import type { KeyObject } from 'node:crypto'
import { AccountTokens } from './accounts/account-tokens.ts'
import { AuditLog } from './audit-log.ts'
import { Authenticator, type AuthOutcome } from './authenticator.ts'
import { resolveConfig, type TesseraConfig, type TesseraOptions } from './config.ts'
import type { CachingCredentialStore } from './credential-cache.ts'
import { csrfTokenFor } from './csrf.ts'
import { DeviceBinding } from './dbsc/device-binding.ts'
import { emailKey } from './email.ts'
import { type IssuedKey, type IssuedSession, issueKey, issueSession } from './endpoints/issue-credential.ts'
import { ProblemError } from './errors.ts'
import { bindInternals } from './internals.ts'
import { KeyRing } from './key-ring.ts'
import type { TesseraLogger } from './logger.ts'
import { LoginThrottle } from './login-throttle.ts'
import { MailOutbox } from './mail/mail-outbox.ts'
import type { Mailer } from './mail/mailer.ts'
import { hasSecondFactor } from './mfa-policy.ts'
import { OidcRelyingParty } from './oidc/oidc-relying-party.ts'
import { PasswordHasher } from './password-hasher.ts'
import { judgeOutcome } from './route-guard.ts'
import type { GuardOptions } from './step-up.ts'
import type {
  AuditRecord,
  AuditStore,
  CredentialRecord,
  CredentialWithUser,
  RevocationEvent,
  RevocationReceipt,
  Stores,
  UserRecord,
} from './stores.ts'
import type { Principal, RequestView, Role } from './types.ts'
import {
  type NewUser,
  registerUser,
  setPassword,
  type UserUpdate,
  updateUser,
} from './verbs/account-verbs.ts'
import {
  type Actor,
  type RevokeOptions,
  type RotateKeyOptions,
  revokeCredential,
  revokeUserCredentials,
  rotateSigningKey,
} from './verbs/credential-verbs.ts'
import { checkLogin, type PasswordCheck } from './verbs/login-verb.ts'
import { changeOwnPassword } from './verbs/password-verbs.ts'
import { auditUnconfirmed, cacheFor, createVerifier, wireStores } from './wiring.ts'

/** What `login` answers: the user, and either a new session or a new signing key. */
export type LoginResult = { user: UserRecord; session: IssuedSession } | { user: UserRecord; key: IssuedKey }

/** The query of `auditTrail`: newest first, `beforeId` pages backwards. */
export type AuditQuery = Parameters<AuditStore['list']>[0]

/**
 * One configured Tessera instance: configuration validated and frozen, keys derived, stores
 * and verifier wired once at start-up. Adapters hold one, call `authenticate` + `authorize`
 * per request and serve the `/auth` endpoints; apps, the CLI and scripts call its verbs.
 * Every verb that revokes publishes on the revocation bus (when the stores have one) and
 * writes the audit trail, with or without the credential cache.
 *
 * @example
 * ```ts
 * const tessera = createTessera({ stores, secret: process.env.TESSERA_SECRET, publicOrigin: 'https://app.example' })
 * const user = await tessera.register({ email: 'ana@example.com', password: 'a long passphrase', name: 'Ana' })
 * const key = await tessera.issueKey(user, { label: 'ci' })
 * await tessera.revokeUser(user.id)
 * await tessera.close()
 * ```
 */
export class Tessera {
  readonly #config: TesseraConfig
  readonly #stores: Stores
  readonly #audit: AuditLog
  readonly #now: () => number
  readonly #mail: MailOutbox
  readonly #oidc: OidcRelyingParty | undefined
  readonly #csrfKey: KeyObject
  readonly #authenticator: Authenticator
  readonly #sweeper: NodeJS.Timeout | undefined
  readonly #cache: CachingCredentialStore | undefined

  constructor(options: TesseraOptions) {
    this.#config = resolveConfig(options)
    const now = options.now ?? Date.now
    this.#now = now
    const onUnconfirmed = (event: RevocationEvent, receipt: RevocationReceipt) =>
      auditUnconfirmed(this.#audit, event, receipt)
    this.#cache = cacheFor(options, now, onUnconfirmed)
    this.#stores = wireStores(options.stores, this.#cache, onUnconfirmed)
    void this.#cache
      ?.start()
      .catch((error: unknown) => options.logger?.error({ err: error }, 'revocation bus subscribe failed'))
    const logger = options.logger
    this.#audit = new AuditLog(this.#stores.audit, logger, now)
    const keyRing = new KeyRing(this.#stores.credentials, this.#config, now)
    const deviceBinding = createDeviceBinding(this.#config, this.#stores, this.#audit)
    this.#oidc = options.oidc && new OidcRelyingParty(options.oidc, this.#stores.oidc)
    this.#mail = new MailOutbox(
      options.mailer ?? NO_MAILER,
      this.#stores.rateLimits,
      this.#audit,
      logger,
      this.#config.mailLimits,
    )
    this.#csrfKey = this.#config.secrets.derive('csrf')
    const cache = this.#cache
    this.#authenticator = new Authenticator({
      config: this.#config,
      credentials: this.#stores.credentials,
      ...(cache && { cachedSession: (tokenHash: string) => cache.cachedByTokenHash(tokenHash) }),
      verifier: createVerifier(this.#config, this.#stores.nonces, keyRing, now),
      csrfKey: this.#csrfKey,
      audit: this.#audit,
      now,
      ...(deviceBinding && { deviceBinding }),
    })
    bindInternals(this, {
      authenticator: this.#authenticator,
      config: this.#config,
      stores: this.#stores,
      hasher: new PasswordHasher(options.passwordHashing),
      throttle: new LoginThrottle(this.#stores.rateLimits, this.#config.throttle),
      audit: this.#audit,
      keyRing,
      logger,
      now,
      mail: this.#mail,
      tokens: new AccountTokens(
        this.#stores.accountTokens,
        this.#audit,
        this.#config.secrets.derive('account-code'),
      ),
      oidc: this.#oidc,
      deviceBinding,
    })
    this.#sweeper = this.#startSweeper(options.sweepIntervalMs ?? 10 * 60_000, logger)
  }

  #startSweeper(everyMs: number, logger: TesseraLogger | undefined): NodeJS.Timeout | undefined {
    if (everyMs <= 0) return undefined
    const sweep = () => this.sweep().catch((error: unknown) => logger?.warn({ err: error }, 'sweep failed'))
    return setInterval(sweep, everyMs).unref()
  }

  /**
   * Who made the request (a value, never a throw, except a store outage).
   * @example
   * ```ts
   * const outcome = await tessera.authenticate(requestView)
   * if (outcome.ok) console.log(outcome.principal.user.email)
   * ```
   */
  authenticate(request: RequestView): Promise<AuthOutcome> {
    return Promise.resolve(this.#authenticator.authenticate(request))
  }

  /**
   * The role guard: 401 without a valid credential, 403 when the role is too low;
   * `admin` passes every check. Throws the ProblemError to answer.
   * @example
   * ```ts
   * const principal = tessera.authorize(await tessera.authenticate(view), 'admin', view)
   * ```
   */
  authorize(outcome: AuthOutcome, role: Role, request: RequestView): Principal {
    if (!outcome.ok) {
      if (!outcome.anonymous)
        void this.#audit.record('authz_fail', { ip: request.ip, detail: { code: outcome.code } })
      throw new ProblemError(outcome.code, outcome.extras)
    }
    const { user, credential } = outcome.principal
    if (role === 'admin' && user.role !== 'admin') {
      void this.#audit.record('authz_fail', {
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
   * @example
   * ```ts
   * const principal = await tessera.guard(await tessera.authenticate(view), 'user', view, { recentAuth: 300 })
   * ```
   */
  async guard(outcome: AuthOutcome, role: Role, request: RequestView, options: GuardOptions = {}) {
    return judgeOutcome(this, outcome, role, request, options)
  }

  /**
   * Creates an account (password policy, display-name and email checks; `422 validation_failed`,
   * `409 email_taken`), audited as `user_created`.
   * @example
   * ```ts
   * const admin = await tessera.register({ email: 'ops@example.com', password, name: 'Ops', role: 'admin' }, { via: 'seed' })
   * ```
   */
  register(user: NewUser, actor?: Actor): Promise<UserRecord> {
    return registerUser(this, user, actor)
  }

  /**
   * Checks an email and password under the login throttle (one answer, `401 invalid_credentials`,
   * for every failure; `429 rate_limited`; `403 sso_required`, `email_unverified` as over HTTP) and issues
   * a session or, with `credential: 'key'`, a key. A user with a second factor gets `401 mfa_required`:
   * they log in through `/auth/login` and `/auth/login/mfa`.
   * @example
   * ```ts
   * const result = await tessera.login({ email, password, ip: '203.0.113.7', credential: 'key' })
   * if ('key' in result) console.log(result.key.id, result.key.secret)
   * ```
   */
  async login(
    input: PasswordCheck & { label?: string; publicKey?: Record<string, unknown> },
  ): Promise<LoginResult> {
    const user = await checkLogin(this, input)
    // The second step needs the HTTP flow (`/auth/login` then `/auth/login/mfa`): no credential here.
    if (await hasSecondFactor(this.#stores, user.id)) throw new ProblemError('mfa_required')
    const label = input.label ?? (input.credential === 'key' ? 'key' : 'browser')
    if (input.credential === 'key') {
      return { user, key: await this.issueKey(user, { label, publicKey: input.publicKey }) }
    }
    return { user, session: await this.issueSession(user, { label }) }
  }

  /**
   * A new session for the user: its CSRF token, expiry and the `Set-Cookie` carrying the token.
   * Born dead if the user's password, role or enabled state changed since `user` was read.
   * @example
   * ```ts
   * const { cookie, csrfToken } = await tessera.issueSession(user, { label: 'browser' })
   * ```
   */
  issueSession(user: UserRecord, options: { label?: string } = {}): Promise<IssuedSession> {
    return issueSession(this, user, options.label ?? 'session', this.#now())
  }

  /**
   * A new signing key: HMAC (its secret answered once, never stored) or, with a public JWK,
   * a device key. `422 validation_failed` for an unusable JWK.
   * @example
   * ```ts
   * const { id, secret } = await tessera.issueKey(user, { label: 'ci' })
   * ```
   */
  issueKey(user: UserRecord, options: { label?: string; publicKey?: unknown } = {}): Promise<IssuedKey> {
    return issueKey(this, user, options.label ?? 'key', options.publicKey, this.#now())
  }

  /**
   * Replaces a signing key with a successor for the rest of its absolute life; the old one
   * works for the rotation overlap, then dies. `403 forbidden` when it was already rotated.
   * @example
   * ```ts
   * const next = await tessera.rotateKey(principal.credential.id)
   * ```
   */
  rotateKey(keyId: string, options?: RotateKeyOptions): Promise<IssuedKey> {
    return rotateSigningKey(this, keyId, options)
  }

  /**
   * Revokes one session or key everywhere (store, revocation bus, audit). Undefined, changing
   * nothing, for an unknown or dead id, or one not `ownedBy` the given user.
   * @example
   * ```ts
   * await tessera.revoke('key_…', { ownedBy: principal.user.id, by: principal.user.id })
   * ```
   */
  revoke(credentialId: string, options?: RevokeOptions): Promise<CredentialWithUser | undefined> {
    return revokeCredential(this, credentialId, options)
  }

  /**
   * Ends the credential the caller used for this request (audited as `logout`).
   * @example
   * ```ts
   * await tessera.logout(principal, { ip: request.ip })
   * ```
   */
  async logout(principal: Principal, options: { ip?: string } = {}): Promise<void> {
    await revokeCredential(this, principal.credential.id, { ...options, reason: 'logout' })
  }

  /**
   * Revokes every session and key of a user, on every instance; answers how many.
   * @example
   * ```ts
   * const count = await tessera.revokeUser(user.id, { via: 'cli' })
   * ```
   */
  revokeUser(userId: number, actor?: Actor): Promise<number> {
    return revokeUserCredentials(this, userId, actor)
  }

  /**
   * Changes a user's role, disabled flag or name; a role or disabled change revokes all their
   * credentials. Undefined for an unknown user.
   * @example
   * ```ts
   * await tessera.updateUser(user.id, { disabled: true }, { by: admin.id })
   * ```
   */
  updateUser(
    userId: number,
    changes: UserUpdate,
    actor?: Actor,
  ): Promise<{ user: UserRecord; revoked: number } | undefined> {
    return updateUser(this, userId, changes, actor)
  }

  /**
   * The signed-in user's password change: the current one is checked under the throttle
   * (`422` on `/body/currentPassword` when wrong; a passkey-only account has none and gives
   * none), the new one against the policy; every
   * other credential is revoked, the one used (`principal.credential`) stays.
   * @example
   * ```ts
   * await tessera.changePassword(principal, { currentPassword, newPassword }, { ip })
   * ```
   */
  changePassword(
    principal: Principal,
    passwords: { currentPassword?: string; newPassword: string },
    request: { ip: string },
  ): Promise<number> {
    return changeOwnPassword(this, principal, passwords, request)
  }

  /**
   * Sets a new password without knowing the old one (an operator's reset) and revokes every
   * credential of the user; answers how many.
   * @example
   * ```ts
   * await tessera.resetPassword(user, generatedPassword, { via: 'cli' })
   * ```
   */
  resetPassword(user: UserRecord, newPassword: string, actor?: Actor): Promise<number> {
    return setPassword(this, user, newPassword, { ...actor, path: '/body/password' })
  }

  /**
   * A user by email (normalized as at login) or by id.
   * @example
   * ```ts
   * const user = await tessera.findUser('ana@example.com')
   * ```
   */
  findUser(emailOrId: string | number): Promise<UserRecord | undefined> {
    return typeof emailOrId === 'number'
      ? this.#stores.users.findById(emailOrId)
      : this.#stores.users.findByEmailKey(emailKey(emailOrId))
  }

  /**
   * A page of users, oldest first.
   * @example
   * ```ts
   * const users = await tessera.listUsers({ limit: 50, offset: 0 })
   * ```
   */
  listUsers(page: { limit: number; offset: number }): Promise<UserRecord[]> {
    return this.#stores.users.list(page)
  }

  /**
   * A user's live sessions and keys, newest first.
   * @example
   * ```ts
   * const credentials = await tessera.listCredentials(user.id)
   * ```
   */
  listCredentials(userId: number): Promise<CredentialRecord[]> {
    return this.#stores.credentials.listForUser(userId, this.#now())
  }

  /**
   * The audit trail, newest first (`beforeId` pages backwards).
   * @example
   * ```ts
   * const events = await tessera.auditTrail({ limit: 20, event: 'authn_login_fail' })
   * ```
   */
  auditTrail(query: AuditQuery): Promise<AuditRecord[]> {
    return this.#stores.audit.list(query)
  }

  /**
   * Deletes expired nonces and credentials dead for a week, so the tables do not grow
   * with every signed request. Runs every `sweepIntervalMs` on its own; answers the counts.
   * @example
   * ```ts
   * const { nonces, credentials } = await tessera.sweep()
   * ```
   */
  async sweep(
    now = this.#now(),
  ): Promise<{ nonces: number; credentials: number; tokens: number; oidc: number }> {
    const [nonces, credentials, tokens, oidc] = await Promise.all([
      this.#stores.nonces.deleteExpired(now),
      this.#stores.credentials.deleteExpired(now),
      this.#stores.accountTokens.deleteExpired(now),
      // Abandoned provider sign-ins and unredeemed mobile codes.
      this.#oidc ? this.#oidc.store.deleteExpired(now) : 0,
      this.#stores.mfa.deleteExpiredChallenges(now),
    ])
    return { nonces, credentials, tokens, oidc }
  }

  /**
   * The CSRF token of a session (what `login` answered, again after a page reload).
   * @example
   * ```ts
   * const token = tessera.csrfToken(principal.credential.id)
   * ```
   */
  csrfToken(sessionId: string): string {
    return csrfTokenFor(this.#csrfKey, sessionId)
  }

  /**
   * Stops the sweeper and the revocation subscription, then closes the stores.
   * @example
   * ```ts
   * process.once('SIGTERM', () => tessera.close())
   * ```
   */
  async close(): Promise<void> {
    clearInterval(this.#sweeper)
    await this.#mail.close()
    await this.#cache?.stop()
    await this.#stores.close()
  }
}

/** Device-bound browser sessions (DBSC); undefined when switched off or the stores have no DBSC store. */
function createDeviceBinding(
  config: TesseraConfig,
  stores: Stores,
  audit: AuditLog,
): DeviceBinding | undefined {
  const { dbsc, secrets } = config
  if (!dbsc.enabled || stores.dbsc === undefined) return undefined
  return new DeviceBinding({ config: dbsc, store: stores.dbsc, nonces: stores.nonces, secrets, audit })
}

/** Without a mailer every send fails: audited `mail_failed` and logged, as when SMTP is down. */
const NO_MAILER: Mailer = {
  send: () => Promise.reject(new Error('no mailer configured')),
}

/**
 * Validates the options (one clear `TesseraConfigError` naming the option otherwise) and wires
 * a Tessera.
 * @example
 * ```ts
 * import { createTessera } from '@tessera/server'
 * import { migrateToLatest, openDatabase } from '@tessera/server/db'
 * import { AUTH_MIGRATIONS, createSqlStores } from '@tessera/server/sql'
 * const database = openDatabase('sqlite:data/app.db')
 * await migrateToLatest(database.kysely, AUTH_MIGRATIONS)
 * const tessera = createTessera({ stores: createSqlStores(database), secret, publicOrigin: 'https://app.example' })
 * ```
 */
export function createTessera(options: TesseraOptions): Tessera {
  return new Tessera(options)
}
