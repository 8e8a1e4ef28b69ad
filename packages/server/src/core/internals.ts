import type { AccountTokens } from './accounts/account-tokens.ts'
import type { AuditLog } from './audit-log.ts'
import type { Authenticator } from './authenticator.ts'
import type { TesseraConfig } from './config.ts'
import type { DeviceBinding } from './dbsc/device-binding.ts'
import type { KeyRing } from './key-ring.ts'
import type { TesseraLogger } from './logger.ts'
import type { LoginThrottle } from './login-throttle.ts'
import type { MailOutbox } from './mail/mail-outbox.ts'
import type { OidcRelyingParty } from './oidc/oidc-relying-party.ts'
import type { PasswordHasher } from './password-hasher.ts'
import type { Stores } from './stores.ts'
import type { Tessera } from './tessera.ts'

/**
 * What a Tessera is built from, for the code inside this package that implements its verbs
 * (endpoints, adapters). Not exported from any package entry point: users call the verbs.
 */
export interface TesseraInternals {
  /** Who made a request; answers without a promise when it can (the route guard's fast path). */
  readonly authenticator: Authenticator
  readonly config: TesseraConfig
  /** The stores as wired (cached, and publishing every revocation to the bus when there is one). */
  readonly stores: Stores
  readonly hasher: PasswordHasher
  readonly throttle: LoginThrottle
  readonly audit: AuditLog
  readonly keyRing: KeyRing
  readonly logger: TesseraLogger | undefined
  readonly now: () => number
  /** Account mails, sent off the request path within the send limits. */
  readonly mail: MailOutbox
  /** Single-use account tokens (invitations, verification, reset, email change). */
  readonly tokens: AccountTokens
  /** OpenID Connect sign-in, when providers are configured. */
  readonly oidc: OidcRelyingParty | undefined
  /** Device-bound browser sessions (DBSC); undefined when switched off or the stores have no DBSC store. */
  readonly deviceBinding: DeviceBinding | undefined
}

const byInstance = new WeakMap<Tessera, TesseraInternals>()

/** Called once by the Tessera constructor. */
export function bindInternals(tessera: Tessera, parts: TesseraInternals): void {
  byInstance.set(tessera, Object.freeze(parts))
}

/** The parts of a Tessera; throws for an object that is not one (a programming error). */
export function internals(tessera: Tessera): TesseraInternals {
  const parts = byInstance.get(tessera)
  if (parts === undefined) throw new TypeError('not a Tessera instance')
  return parts
}
