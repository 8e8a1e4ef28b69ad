import type { MfaStore } from './mfa-store.ts'
import type { OidcStore } from './oidc/oidc-store.ts'
import type { PasskeyStore } from './passkey-store.ts'
import type { CredentialType, Role, SignatureAlgorithm, User } from './types.ts'

/**
 * The narrow store interfaces the core needs, each named for an auth need.
 * SQL (Kysely) and Redis implementations live in `src/stores/`; each interface has
 * one conformance suite in `test/conformance/` run against every real backend.
 * Implementations throw StoreUnavailableError on outage; callers answer 503.
 */

export interface UserRecord extends User {
  /** Case-folded, NFKC-normalised email: the unique lookup key. */
  emailKey: string
  passwordHash: string
  disabled: boolean
  /**
   * Moves (atomically, in the same UPDATE) at every password change, role change and
   * disabling or enabling: a credential issued against another epoch is dead, so a login
   * that read the user before such a change cannot yield a live credential.
   */
  credentialEpoch: number
  /** When the owner proved the address (a verification, invitation or email-change link); null until then. */
  emailVerifiedAt: number | null
  createdAt: number
  updatedAt: number
}

export interface NewUser {
  email: string
  emailKey: string
  name: string
  role: Role
  passwordHash: string
  /** Set when the address is already proven (an accepted invitation, an admin's CLI); default null. */
  emailVerifiedAt?: number | null
}

/** A new `passwordHash`, or a `role` or `disabled` that differs from the stored one, moves the credential epoch. */
export interface UserChanges {
  name?: string
  role?: Role
  disabled?: boolean
  passwordHash?: string
  /**
   * Marks `passwordHash` as a rehash of the same password (stronger parameters), verified
   * while the epoch was this one: applied only if it still is (else nothing changes and
   * `update` answers undefined), and the epoch stays, so live credentials stay live.
   */
  rehashAtEpoch?: number
  /**
   * With a new `passwordHash`: this credential of the user (the one changing the password) moves
   * to the new epoch with it and stays live, provided it belonged to the epoch current until then.
   */
  keepCredentialId?: string
}

export interface UserStore {
  /** Creates the user, or answers `'email_taken'` when the email key exists (race-safe: unique index). */
  create(user: NewUser, now: number): Promise<UserRecord | 'email_taken'>
  findByEmailKey(emailKey: string): Promise<UserRecord | undefined>
  findById(id: number): Promise<UserRecord | undefined>
  /** Applies the changes; answers the updated user or undefined when there is no such user (or `rehashAtEpoch` is stale). */
  update(id: number, changes: UserChanges, now: number): Promise<UserRecord | undefined>
  /**
   * Sets the address (and its key) and marks it verified at `now`, a proven address: answers
   * `'email_taken'` when another account holds the key (race-safe: unique index), undefined for no such user.
   */
  changeEmail(
    id: number,
    email: string,
    emailKey: string,
    now: number,
  ): Promise<UserRecord | undefined | 'email_taken'>
  /** Marks the current address verified (once: a later call keeps the first time). */
  markEmailVerified(id: number, now: number): Promise<void>
  list(options: { limit: number; offset: number }): Promise<UserRecord[]>
}

export interface CredentialRecord {
  /** Public id, safe to show and log: `ses_…` or `key_…`. */
  id: string
  userId: number
  type: CredentialType
  /** Sessions: SHA-256 of the cookie token (hex). Keys: null. */
  tokenHash: string | null
  /** Keys: the signature algorithm bound to the key. Sessions: null. */
  algorithm: SignatureAlgorithm | null
  /** Device keys: the public JWK (JSON). HMAC keys: the id of the master secret the key derives from. */
  keyMaterial: string | null
  /** A label for listings, e.g. the user agent at login. */
  label: string
  createdAt: number
  lastUsedAt: number
  /** Epoch ms after which the credential is dead, whatever its use. */
  absoluteExpiresAt: number
  /** Milliseconds of inactivity after which it is dead. */
  idleTimeoutMs: number
  revokedAt: number | null
  /** A rotated key stays valid until then (the documented overlap); null otherwise. */
  retiresAt: number | null
  /** The user's credential epoch it was issued against: dead once the user's has moved on. */
  credentialEpoch: number
  /**
   * Epoch ms of the last proof of the user behind this credential (password, second factor or
   * passkey): its login, or a later re-authentication. A rotated key inherits it. Step-up
   * (`recentAuth`) compares against it.
   */
  authenticatedAt: number
}

export interface CredentialWithUser {
  credential: CredentialRecord
  user: UserRecord
}

export interface CredentialStore {
  create(credential: CredentialRecord): Promise<void>
  findByTokenHash(tokenHash: string): Promise<CredentialWithUser | undefined>
  findById(id: string): Promise<CredentialWithUser | undefined>
  /** Records use; implementations may skip writes closer than a minute apart. */
  touch(id: string, now: number): Promise<void>
  /** Marks one credential revoked; answers false when it did not exist or was already revoked. */
  revoke(id: string, now: number): Promise<boolean>
  /** Revokes every live credential of the user except `exceptId`; answers how many. */
  revokeAllForUser(userId: number, now: number, exceptId?: string): Promise<number>
  /**
   * Lets a key live until `retiresAt` and no longer (rotation overlap). A key retires once:
   * answers false, changing nothing, when it was already retiring (two rotations racing).
   */
  retire(id: string, retiresAt: number): Promise<boolean>
  /** Records a fresh proof of the user for this credential (re-authentication); answers false when it is unknown. */
  markAuthenticated(id: string, at: number): Promise<boolean>
  /** Live (unrevoked, unexpired) credentials of the user, newest first. */
  listForUser(userId: number, now: number): Promise<CredentialRecord[]>
  /** Deletes credentials dead for longer than a grace period; answers how many. */
  deleteExpired(now: number): Promise<number>
}

export interface NonceStore {
  /**
   * Records `nonce` for `keyId` until `expiresAt` (epoch ms). Answers true the first
   * time, false when it is already recorded and unexpired: a replay. Atomic across instances.
   */
  consume(keyId: string, nonce: string, expiresAt: number, now: number): Promise<boolean>
  deleteExpired(now: number): Promise<number>
}

export interface RateLimitState {
  /** Hits within the current window, including this one. */
  count: number
  /** Epoch ms when the window ends. */
  resetAt: number
}

/** How `RateLimitStore.reserve` lets attempts on one key through. */
export interface AttemptRule {
  /** The count's fixed window, from the first attempt in it. */
  windowMs: number
  /** Attempts granted per window; later ones are refused until the window ends. */
  limit: number
  /** Attempts granted before pauses start. */
  free: number
  /** The pause after attempt `free + i`: `pausesMs[i - 1]`, the last entry for every later one; none when empty. */
  pausesMs: readonly number[]
}

/** A granted attempt with its number in the window, or a refusal with the epoch ms to retry at. */
export type Reservation = { granted: true; count: number } | { granted: false; retryAt: number }

export interface RateLimitStore {
  /** Atomically counts one hit on `key` in a fixed window of `windowMs`. */
  hit(key: string, windowMs: number, now: number): Promise<RateLimitState>
  /**
   * Atomically, in one step on every store and across instances: refuses while a pause runs or
   * the window's `limit` is spent (counting nothing), else counts the attempt and starts the
   * pause the rule sets after it. So N parallel reservations cost what N sequential ones cost.
   */
  reserve(key: string, rule: AttemptRule, now: number): Promise<Reservation>
  /** Gives one reserved attempt back (the count goes down by one, never below 0); a running pause stays. */
  release(key: string, now: number): Promise<void>
  /** Reads the state without counting; undefined when no live window. */
  peek(key: string, now: number): Promise<RateLimitState | undefined>
  reset(key: string): Promise<void>
}

/** What an account token is for: each is consumed only by its own endpoint. */
export const TOKEN_PURPOSES = ['invite', 'verify', 'reset', 'email_change', 'email_undo'] as const
export type TokenPurpose = (typeof TOKEN_PURPOSES)[number]

/** How a token's life ended; null while it may still be consumed. */
export type TokenEnd = 'used' | 'revoked' | 'superseded' | 'exhausted'

export interface AccountTokenRecord {
  /** Public id, safe to show and log: `tok_…`. */
  id: string
  purpose: TokenPurpose
  /** The account it acts on; null for an invitation (the account does not exist yet). */
  userId: number | null
  /** The address the mail went to (the invitee, the new address of an email change, …). */
  email: string
  /** Purpose-specific, secret-free JSON: an invitation's name and role, the address to restore. */
  payload: string
  /** SHA-256 (hex) of the 256-bit token in the link. The token itself is never stored. */
  tokenHash: string
  /** HMAC-SHA-256 (hex) of the 6-digit code, keyed by the master secret; null when the mail has no code. */
  codeHash: string | null
  /** Code guesses spent (every guess, right or wrong, spends one first). */
  attempts: number
  createdBy: number | null
  createdAt: number
  expiresAt: number
  endedAt: number | null
  endReason: TokenEnd | null
}

export interface AccountTokenStore {
  /** Stores a new token and ends (`superseded`) any live one of the same purpose for the same account or address. */
  create(token: AccountTokenRecord): Promise<void>
  /**
   * Ends the token as `used`, in one conditional statement, if it is live, of `purpose`, unexpired and not
   * exhausted: of any number of concurrent callers (on any instance) exactly one gets the record.
   */
  consume(tokenHash: string, purpose: TokenPurpose, now: number): Promise<AccountTokenRecord | undefined>
  /**
   * Spends one code guess on the live token of `purpose` for `userId` (atomically: never more than
   * `maxAttempts` guesses are judged), then consumes it if `codeHash` matches. Answers the record when
   * it did; `'exhausted'` when no guess was left; undefined for a wrong code or no live token.
   */
  consumeCode(
    userId: number,
    purpose: TokenPurpose,
    codeHash: string,
    maxAttempts: number,
    now: number,
  ): Promise<AccountTokenRecord | 'exhausted' | undefined>
  /** Any token by its hash, live or not (to say "expired" or "used" instead of "unknown"). */
  findByTokenHash(tokenHash: string): Promise<AccountTokenRecord | undefined>
  /** Ends a live token as `revoked`; false when there was none of that id and purpose. */
  revoke(id: string, purpose: TokenPurpose, now: number): Promise<boolean>
  /** Tokens of `purpose`, newest first (the admin's invitations list). */
  list(purpose: TokenPurpose, options: { limit: number }): Promise<AccountTokenRecord[]>
  /** Deletes tokens ended or expired for longer than a grace period; answers how many. */
  deleteExpired(now: number): Promise<number>
}

export interface KnownDeviceStore {
  /**
   * Records that the user signed in from a device (a fingerprint of user agent family and IP
   * prefix). Answers `'new'` the first time for a user who had other devices, `'first'` for a
   * user's very first, `'known'` after that. Race-safe: of parallel calls one answers new/first.
   */
  remember(userId: number, fingerprint: string, now: number): Promise<'first' | 'new' | 'known'>
}

/** OWASP logging vocabulary names (https://cheatsheetseries.owasp.org/cheatsheets/Logging_Vocabulary_Cheat_Sheet.html). */
export const AUDIT_EVENTS = [
  'authn_login_success',
  'authn_login_fail',
  'authn_login_lock',
  'authn_login_successafterfail',
  'authn_password_change',
  'authn_password_change_fail',
  'authn_token_created',
  'authn_token_revoked',
  'authn_token_reuse',
  'authn_token_delete',
  'authn_impossible_travel',
  'session_created',
  'session_expired',
  'session_renewed',
  'session_use_after_expire',
  'logout',
  'authz_fail',
  'authz_admin',
  'user_created',
  'user_updated',
  'privilege_permissions_changed',
  'malicious_csrf',
  'input_validation_fail',
  'revocation_unconfirmed',
  'token_issued',
  'token_consumed',
  'token_failed',
  'token_revoked',
  'mail_sent',
  'mail_failed',
  'mail_held',
  // Multi-factor and step-up (issue 14): not in the OWASP vocabulary, named in its style.
  'authn_reauth_success',
  'authn_reauth_fail',
  'mfa_enrolled',
  'mfa_disabled',
  'mfa_reset',
  'mfa_success',
  'mfa_fail',
  'mfa_recovery_codes_created',
] as const
export type AuditEventName = (typeof AUDIT_EVENTS)[number]

export interface AuditEvent {
  event: AuditEventName
  at: number
  userId: number | null
  credentialId: string | null
  ip: string | null
  /** Free-form, secret-free details: a reason code, a target user id, a path. */
  detail: Record<string, string | number | boolean | null>
}

export interface AuditRecord extends AuditEvent {
  id: number
}

export interface AuditStore {
  record(event: AuditEvent): Promise<void>
  /** Newest first; `beforeId` pages backwards. */
  list(options: {
    limit: number
    beforeId?: number
    userId?: number
    event?: AuditEventName
  }): Promise<AuditRecord[]>
}

/** What changed: one credential, or everything about one user (role, disabled, all credentials). */
export type RevocationEvent = { credentialId: string } | { userId: number }

/**
 * What became of one published revocation. The bus answers only once it is safe to report the
 * revocation done: every instance subscribed when it was published confirmed it, or the bound
 * passed and those that did not have stopped trusting their caches (their lease ran out).
 */
export interface RevocationReceipt {
  /** False when the bus could not be reached: it is published once the bus is back. */
  published: boolean
  /** Instances subscribed when it was published (PUBLISH's count, this one included). */
  expected: number
  /** Instances that confirmed, within the bound, that they had dropped it. */
  confirmed: number
  /** The instances that did not confirm in time, by name, where the backend can tell. */
  unconfirmed: string[]
}

/**
 * Tells every server instance that credential state changed, so any cache of credential
 * lookups drops it before the next request (DESIGN §3: revocation on every instance).
 */
export interface RevocationBus {
  /**
   * Publishes and waits (bounded) until every subscribed instance confirmed it dropped the
   * event, or could no longer serve it from memory. Never throws for an unreachable backend.
   */
  publish(event: RevocationEvent): Promise<RevocationReceipt>
  /** Calls `listener` for every event any instance publishes (this one included); answers an unsubscribe. */
  subscribe(listener: (event: RevocationEvent) => void): Promise<() => Promise<void>>
  /**
   * False while events may be missed or not yet applied (subscriber disconnected, or not
   * recently confirmed caught up): caches must not be trusted then. Called on every lookup.
   */
  isLive?(): boolean
  /** Counts confirmed (re)subscriptions: a change means events may have been missed in between. */
  generation?(): number
}

/** Everything the core persists, chosen at start-up (SQL alone, or SQL + Redis). */
export interface Stores {
  users: UserStore
  credentials: CredentialStore
  nonces: NonceStore
  rateLimits: RateLimitStore
  audit: AuditStore
  /** Single-use tokens of account mails (invitations, verification, reset, email change); SQL in every deployment. */
  accountTokens: AccountTokenStore
  knownDevices: KnownDeviceStore
  /** OpenID Connect sign-in state (SQL stores have it); needed only when `oidc` providers are configured. */
  oidc?: OidcStore
  /** Second factors, recovery codes, login challenges and passkeys (issue 14). */
  mfa: MfaStore
  /** WebAuthn credentials (passkeys) (issue 14). */
  passkeys: PasskeyStore
  /** Present when instances share one (Redis pub/sub); lets the core cache credential lookups safely. */
  revocations?: RevocationBus
  /**
   * A counter that moves whenever another process commits to the database (SQLite's
   * `PRAGMA data_version`): lets a single-host deployment cache lookups and still see
   * the CLI's changes on the next request.
   */
  changeCounter?: () => number
  /** Device-bound session keys (DBSC); without it, sessions are never bound (the SQL stores always have one). */
  dbsc?: DbscStore
  close(): Promise<void>
}

/** The DBSC proof algorithms browsers offer (JWS names). */
export type DbscAlgorithm = 'ES256' | 'RS256'

/**
 * A session's DBSC state. A row is written when registration is offered (no key yet: `pending`),
 * and receives the browser's public key once, at registration.
 */
export interface DbscBinding {
  /** The session credential's id, also the DBSC `session_identifier`. */
  credentialId: string
  /** The role policy asked for binding: the session is refused until it is bound. */
  required: boolean
  algorithm: DbscAlgorithm | null
  /** The public JWK (JSON) the browser registered; null while pending. */
  publicJwk: string | null
  boundAt: number | null
}

export interface DbscStore {
  /** Records the offer of registration for a new session. */
  offer(credentialId: string, required: boolean): Promise<void>
  /** Stores the key of a pending binding; answers false, changing nothing, when it is unknown or already bound (atomic). */
  bind(credentialId: string, algorithm: DbscAlgorithm, publicJwk: string, now: number): Promise<boolean>
  find(credentialId: string): Promise<DbscBinding | undefined>
  /** Which of these credentials are bound to a key. */
  boundAmong(credentialIds: readonly string[]): Promise<Set<string>>
}
