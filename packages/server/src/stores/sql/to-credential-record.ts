import type { CredentialRecord, CredentialWithUser } from '../../core/stores.ts'
import type { CredentialType, SignatureAlgorithm } from '../../core/types.ts'
import type { CredentialTable } from './schema.ts'
import { toUserRecord } from './to-user-record.ts'

/** A credential row joined with its user's columns as `USER_COLUMNS` of the store names them. */
export type JoinedCredentialRow = CredentialTable & {
  user_email: string
  user_email_key: string
  user_name: string
  user_role: string
  user_password_hash: string
  user_disabled: number
  user_credential_epoch: number
  user_email_verified_at: number | null
  user_created_at: number
  user_updated_at: number
}

function nullableNumber(value: number | null): number | null {
  return value === null ? null : Number(value)
}

/** The one mapping from a credential row to a record; `Number()` because mysql2 may return bigints as strings. */
export function toCredentialRecord(row: CredentialTable): CredentialRecord {
  return {
    id: row.id,
    userId: Number(row.user_id),
    type: row.type as CredentialType,
    tokenHash: row.token_hash,
    algorithm: row.algorithm as SignatureAlgorithm | null,
    keyMaterial: row.key_material,
    label: row.label,
    createdAt: Number(row.created_at),
    lastUsedAt: Number(row.last_used_at),
    absoluteExpiresAt: Number(row.absolute_expires_at),
    idleTimeoutMs: Number(row.idle_timeout_ms),
    revokedAt: nullableNumber(row.revoked_at),
    retiresAt: nullableNumber(row.retires_at),
    credentialEpoch: Number(row.credential_epoch),
    authenticatedAt: Number(row.authenticated_at ?? row.created_at),
  }
}

export function toCredentialWithUser(row: JoinedCredentialRow): CredentialWithUser {
  const user = toUserRecord({
    id: row.user_id,
    email: row.user_email,
    email_key: row.user_email_key,
    name: row.user_name,
    role: row.user_role,
    password_hash: row.user_password_hash,
    disabled: row.user_disabled,
    credential_epoch: row.user_credential_epoch,
    email_verified_at: row.user_email_verified_at,
    created_at: row.user_created_at,
    updated_at: row.user_updated_at,
  })
  return { credential: toCredentialRecord(row), user }
}

/** The row a new credential is stored as. */
export function toCredentialRow(c: CredentialRecord): CredentialTable {
  return {
    id: c.id,
    user_id: c.userId,
    type: c.type,
    token_hash: c.tokenHash,
    algorithm: c.algorithm,
    key_material: c.keyMaterial,
    label: c.label,
    created_at: c.createdAt,
    last_used_at: c.lastUsedAt,
    absolute_expires_at: c.absoluteExpiresAt,
    idle_timeout_ms: c.idleTimeoutMs,
    revoked_at: c.revokedAt,
    retires_at: c.retiresAt,
    credential_epoch: c.credentialEpoch,
    authenticated_at: c.authenticatedAt,
  }
}
