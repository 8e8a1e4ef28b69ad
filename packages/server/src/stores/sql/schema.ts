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

export interface AuthTables extends MfaTables {
  tessera_user: UserTable
  tessera_credential: CredentialTable
  tessera_nonce: NonceTable
  tessera_rate_limit: RateLimitTable
  tessera_audit: AuditTable
}
