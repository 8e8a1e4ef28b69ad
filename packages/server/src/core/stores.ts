import type { MfaStore } from './mfa-store.ts'
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
  createdAt: number
  updatedAt: number
}

export interface NewUser {
  email: string
  emailKey: string
  name: string
  role: Role
  passwordHash: string
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

export interface RateLimitStore {
  /** Atomically counts one hit on `key` in a fixed window of `windowMs`. */
  hit(key: string, windowMs: number, now: number): Promise<RateLimitState>
  /** Reads the state without counting; undefined when no live window. */
  peek(key: string, now: number): Promise<RateLimitState | undefined>
  reset(key: string): Promise<void>
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
  'logout',
  'authz_fail',
  'authz_admin',
  'user_created',
  'user_updated',
  'privilege_permissions_changed',
  'malicious_csrf',
  'input_validation_fail',
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
 * Tells every server instance that credential state changed, so any cache of credential
 * lookups drops it before the next request (DESIGN §3: revocation on every instance).
 */
export interface RevocationBus {
  publish(event: RevocationEvent): Promise<void>
  /** Calls `listener` for every event any instance publishes (this one included); answers an unsubscribe. */
  subscribe(listener: (event: RevocationEvent) => void): Promise<() => Promise<void>>
  /** False while events may be missed (subscriber disconnected): caches must not be trusted then. */
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
  close(): Promise<void>
}
