import type { Generated } from 'kysely'
import type { MfaTables } from './mfa-schema.ts'

/**
 * Kysely table types of the auth schema (see migrations.ts). Booleans are 0/1 integers and
 * timestamps epoch-millisecond numbers; mysql2 may still hand back strings for bigints,
 * so every store maps rows through one function that applies `Number()`.
 */

export interface UserTable {
  id: Generated<number>
  email: string
  email_key: string
  name: string
  role: string
  password_hash: string
  disabled: number
  /** Added by 0002_credential_epoch (default 0): see UserRecord.credentialEpoch. */
  credential_epoch: number
  /** Added by 0006_account_tokens: when the address was proven; existing users count as verified. */
  email_verified_at: number | null
  created_at: number
  updated_at: number
}

export interface CredentialTable {
  id: string
  user_id: number
  type: string
  token_hash: string | null
  algorithm: string | null
  key_material: string | null
  label: string
  created_at: number
  last_used_at: number
  absolute_expires_at: number
  idle_timeout_ms: number
  revoked_at: number | null
  retires_at: number | null
  /** Added by 0002_credential_epoch (default 0): the user's epoch it was issued against. */
  credential_epoch: number
  /** Added by 0007_mfa: the last proof of the user (password, second factor, passkey); null = created_at. */
  authenticated_at: number | null
}

export interface NonceTable {
  key_id: string
  nonce: string
  expires_at: number
}

export interface RateLimitTable {
  key: string
  count: number
  reset_at: number
  /** Epoch ms until which `reserve` refuses the key (0: no pause); added by 0003_throttle. */
  blocked_until: Generated<number>
}

export interface AuditTable {
  id: Generated<number>
  event: string
  at: number
  user_id: number | null
  credential_id: string | null
  ip: string | null
  /** JSON text of the event's detail object. */
  detail: string
}

/** Added by 0008_dbsc: a session's device binding (see DbscBinding). */
export interface DbscBindingTable {
  credential_id: string
  required: number
  algorithm: string | null
  public_jwk: string | null
  bound_at: number | null
}

/** 0006_account_tokens: single-use tokens of account mails (see AccountTokenRecord). */
export interface AccountTokenTable {
  id: string
  purpose: string
  user_id: number | null
  email: string
  payload: string
  token_hash: string
  code_hash: string | null
  attempts: number
  created_by: number | null
  created_at: number
  expires_at: number
  ended_at: number | null
  end_reason: string | null
}

/** 0006_account_tokens: the devices (fingerprints) a user has signed in from. */
export interface KnownDeviceTable {
  user_id: number
  fingerprint: string
  first_seen_at: number
}

export interface AuthTables extends MfaTables {
  tessera_user: UserTable
  tessera_credential: CredentialTable
  tessera_nonce: NonceTable
  tessera_rate_limit: RateLimitTable
  tessera_audit: AuditTable
  tessera_dbsc_binding: DbscBindingTable
  tessera_account_token: AccountTokenTable
  tessera_known_device: KnownDeviceTable
  tessera_oidc_flow: OidcFlowTable
  tessera_oidc_grant: OidcGrantTable
  tessera_oidc_identity: OidcIdentityTable
  tessera_oidc_sign_in: OidcSignInTable
}

/** Added by 0010_oidc: see core/oidc/oidc-store.ts. `amr` is JSON text of a string array. */
export interface OidcFlowTable {
  id: string
  provider: string
  nonce: string
  code_verifier: string
  browser_hash: string | null
  mode: string
  return_to: string
  app_challenge: string | null
  max_age: number | null
  expires_at: number
}

export interface OidcGrantTable {
  id: string
  user_id: number
  provider: string
  app_challenge: string
  credential_epoch: number
  authenticated_at: number
  amr: string
  acr: string | null
  expires_at: number
}

export interface OidcIdentityTable {
  provider: string
  subject: string
  user_id: number
  email: string
  linked_at: number
}

export interface OidcSignInTable {
  credential_id: string
  user_id: number
  provider: string
  authenticated_at: number
  amr: string
  acr: string | null
}
