import type { UserRecord } from '../../core/stores.ts'
import type { Role } from '../../core/types.ts'
import type { UserTable } from './schema.ts'

/** The columns of a user row, with `id` resolved; also what the credential join yields. */
export type UserRow = Omit<UserTable, 'id'> & { id: number }

/** The one mapping from a user row to a record; `Number()` because mysql2 may return bigints as strings. */
export function toUserRecord(row: UserRow): UserRecord {
  return {
    id: Number(row.id),
    email: row.email,
    emailKey: row.email_key,
    name: row.name,
    role: row.role as Role,
    passwordHash: row.password_hash,
    disabled: Number(row.disabled) === 1,
    credentialEpoch: Number(row.credential_epoch),
    emailVerifiedAt: row.email_verified_at === null ? null : Number(row.email_verified_at),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  }
}
