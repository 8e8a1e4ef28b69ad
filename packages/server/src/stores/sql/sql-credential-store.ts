import type { ExpressionBuilder, Kysely } from 'kysely'
import type { CredentialRecord, CredentialStore, CredentialWithUser } from '../../core/stores.ts'
import { failClosed } from './fail-closed.ts'
import type { AuthTables } from './schema.ts'
import { toCredentialRecord, toCredentialRow, toCredentialWithUser } from './to-credential-record.ts'

/** `touch` skips the write while the recorded use is less than this old: no write per request. */
export const TOUCH_INTERVAL_MS = 60_000
/** `deleteExpired` keeps dead credentials this long, so callers can still tell `session_expired` from unknown. */
export const DEAD_CREDENTIAL_GRACE_MS = 7 * 24 * 60 * 60 * 1000

type CredentialExpressions = ExpressionBuilder<AuthTables, 'tessera_credential'>

/** The user's columns as the join names them (`u.email as user_email`, …); `c.user_id` is the user's id. */
const USER_COLUMNS = [
  'u.email as user_email',
  'u.email_key as user_email_key',
  'u.name as user_name',
  'u.role as user_role',
  'u.password_hash as user_password_hash',
  'u.disabled as user_disabled',
  'u.credential_epoch as user_credential_epoch',
  'u.email_verified_at as user_email_verified_at',
  'u.created_at as user_created_at',
  'u.updated_at as user_updated_at',
] as const

/** Alive at `now`: not revoked, and neither the absolute, the idle nor the retirement limit reached. */
function isLive(eb: CredentialExpressions, now: number) {
  return eb.and([
    eb('revoked_at', 'is', null),
    eb('absolute_expires_at', '>', now),
    eb(eb('last_used_at', '+', eb.ref('idle_timeout_ms')), '>', now),
    eb.or([eb('retires_at', 'is', null), eb('retires_at', '>', now)]),
  ])
}

/** Dead since before `cutoff`, by whichever limit ended it first. */
function isDeadBefore(eb: CredentialExpressions, cutoff: number) {
  return eb.or([
    eb('revoked_at', '<', cutoff),
    eb('absolute_expires_at', '<', cutoff),
    eb(eb('last_used_at', '+', eb.ref('idle_timeout_ms')), '<', cutoff),
    eb('retires_at', '<', cutoff),
  ])
}

export class SqlCredentialStore implements CredentialStore {
  readonly #db: Kysely<AuthTables>

  constructor(db: Kysely<AuthTables>) {
    this.#db = db
  }

  create(credential: CredentialRecord): Promise<void> {
    return failClosed('credentials.create', async () => {
      await this.#db.insertInto('tessera_credential').values(toCredentialRow(credential)).execute()
    })
  }

  /** Hot path: one indexed join, dead credentials included (the caller tells expired from unknown). */
  findByTokenHash(tokenHash: string): Promise<CredentialWithUser | undefined> {
    return failClosed('credentials.findByTokenHash', () => this.#findOne('c.token_hash', tokenHash))
  }

  /** Hot path: one primary-key join, dead credentials included. */
  findById(id: string): Promise<CredentialWithUser | undefined> {
    return failClosed('credentials.findById', () => this.#findOne('c.id', id))
  }

  /** One conditional UPDATE: a use less than TOUCH_INTERVAL_MS after the recorded one writes nothing. */
  touch(id: string, now: number): Promise<void> {
    return failClosed('credentials.touch', async () => {
      await this.#db
        .updateTable('tessera_credential')
        .set({ last_used_at: now })
        .where('id', '=', id)
        .where('last_used_at', '<=', now - TOUCH_INTERVAL_MS)
        .execute()
    })
  }

  revoke(id: string, now: number): Promise<boolean> {
    return failClosed('credentials.revoke', async () => {
      const result = await this.#db
        .updateTable('tessera_credential')
        .set({ revoked_at: now })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst()
      return result.numUpdatedRows > 0n
    })
  }

  revokeAllForUser(userId: number, now: number, exceptId?: string): Promise<number> {
    return failClosed('credentials.revokeAllForUser', async () => {
      let update = this.#db
        .updateTable('tessera_credential')
        .set({ revoked_at: now })
        .where('user_id', '=', userId)
        .where((eb) => isLive(eb, now))
      if (exceptId !== undefined) update = update.where('id', '!=', exceptId)
      const result = await update.executeTakeFirst()
      return Number(result.numUpdatedRows)
    })
  }

  retire(id: string, retiresAt: number): Promise<boolean> {
    return failClosed('credentials.retire', async () => {
      const result = await this.#db
        .updateTable('tessera_credential')
        .set({ retires_at: retiresAt })
        .where('id', '=', id)
        // One conditional UPDATE: of two racing rotations exactly one claims the key.
        .where('retires_at', 'is', null)
        .executeTakeFirst()
      return result.numUpdatedRows > 0n
    })
  }

  markAuthenticated(id: string, at: number): Promise<boolean> {
    return failClosed('credentials.markAuthenticated', async () => {
      const result = await this.#db
        .updateTable('tessera_credential')
        .set({ authenticated_at: at })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst()
      return result.numUpdatedRows > 0n
    })
  }

  listForUser(userId: number, now: number): Promise<CredentialRecord[]> {
    return failClosed('credentials.listForUser', async () => {
      const rows = await this.#db
        .selectFrom('tessera_credential')
        .selectAll()
        .where('user_id', '=', userId)
        .where((eb) => isLive(eb, now))
        // Issued against an older epoch (a login racing a password change): dead, not listed.
        .where((eb) =>
          eb(
            'credential_epoch',
            '=',
            eb.selectFrom('tessera_user').select('credential_epoch').where('tessera_user.id', '=', userId),
          ),
        )
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .execute()
      return rows.map(toCredentialRecord)
    })
  }

  deleteExpired(now: number): Promise<number> {
    return failClosed('credentials.deleteExpired', async () => {
      const result = await this.#db
        .deleteFrom('tessera_credential')
        .where((eb) => isDeadBefore(eb, now - DEAD_CREDENTIAL_GRACE_MS))
        .executeTakeFirst()
      return Number(result.numDeletedRows)
    })
  }

  async #findOne(column: 'c.id' | 'c.token_hash', value: string): Promise<CredentialWithUser | undefined> {
    const row = await this.#db
      .selectFrom('tessera_credential as c')
      .innerJoin('tessera_user as u', 'u.id', 'c.user_id')
      .selectAll('c')
      .select(USER_COLUMNS)
      .where(column, '=', value)
      .executeTakeFirst()
    return row === undefined ? undefined : toCredentialWithUser(row)
  }
}
