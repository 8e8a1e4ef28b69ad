import type { Generated } from 'kysely'

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

export interface AuthTables {
  tessera_user: UserTable
  tessera_credential: CredentialTable
  tessera_nonce: NonceTable
  tessera_rate_limit: RateLimitTable
  tessera_audit: AuditTable
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
