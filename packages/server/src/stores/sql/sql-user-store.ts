import type { ExpressionBuilder, Kysely, Transaction } from 'kysely'
import type { NewUser, UserChanges, UserRecord, UserStore } from '../../core/stores.ts'
import { dialectOfKysely, type SqlDialect } from '../../db/index.ts'
import { failClosed, orWhenTaken } from './fail-closed.ts'
import type { AuthTables } from './schema.ts'
import { toUserRecord } from './to-user-record.ts'

/**
 * The epoch after the changes, or undefined to leave it: a new password always moves it
 * (a rehash of the same one never), a role or disabled flag only when it differs.
 */
function nextEpoch(eb: ExpressionBuilder<AuthTables, 'tessera_user'>, changes: UserChanges) {
  if (changes.rehashAtEpoch !== undefined) return undefined
  const bumped = eb(eb.ref('credential_epoch'), '+', 1)
  if (changes.passwordHash !== undefined) return bumped
  const differs = []
  if (changes.role !== undefined) differs.push(eb('role', '<>', changes.role))
  if (changes.disabled !== undefined) differs.push(eb('disabled', '<>', Number(changes.disabled)))
  if (differs.length === 0) return undefined
  return eb.case().when(eb.or(differs)).then(bumped).else(eb.ref('credential_epoch')).end()
}

/**
 * Moves the credential changing the password to the user's new epoch, only if it was on the
 * one just left: a credential already stale when the change began stays dead.
 */
async function keepCredential(trx: Transaction<AuthTables>, userId: number, credentialId: string) {
  await trx
    .updateTable('tessera_credential')
    .set((eb) => ({ credential_epoch: eb(eb.ref('credential_epoch'), '+', 1) }))
    .where('id', '=', credentialId)
    .where('user_id', '=', userId)
    .where((eb) =>
      eb(
        eb(eb.ref('credential_epoch'), '+', 1),
        '=',
        eb.selectFrom('tessera_user').select('credential_epoch').where('tessera_user.id', '=', userId),
      ),
    )
    .execute()
}

export class SqlUserStore implements UserStore {
  readonly #db: Kysely<AuthTables>
  readonly #dialect: SqlDialect

  constructor(db: Kysely<AuthTables>) {
    this.#db = db
    this.#dialect = dialectOfKysely(db as Kysely<unknown>)
  }

  /** Race-safe by the unique index on email_key: of parallel creates, exactly one inserts. */
  create(user: NewUser, now: number): Promise<UserRecord | 'email_taken'> {
    return failClosed('users.create', () =>
      orWhenTaken(() => this.#insert(user, now), 'email_taken' as const),
    )
  }

  findByEmailKey(emailKey: string): Promise<UserRecord | undefined> {
    return failClosed('users.findByEmailKey', async () => {
      const row = await this.#db
        .selectFrom('tessera_user')
        .selectAll()
        .where('email_key', '=', emailKey)
        .executeTakeFirst()
      return row === undefined ? undefined : toUserRecord(row)
    })
  }

  findById(id: number): Promise<UserRecord | undefined> {
    return failClosed('users.findById', () => this.#findById(id))
  }

  /**
   * One transaction: the user's UPDATE moves the credential epoch in the same statement as the
   * change that moves it (no read-then-write), then a kept credential follows it.
   */
  update(id: number, changes: UserChanges, now: number): Promise<UserRecord | undefined> {
    return failClosed('users.update', async () => {
      const applied = await this.#db.transaction().execute(async (trx) => {
        const disabled = changes.disabled === undefined ? undefined : Number(changes.disabled)
        let update = trx
          .updateTable('tessera_user')
          // Kysely leaves out undefined values, so absent changes keep their column.
          .set((eb) => ({
            // First: MySQL assigns left to right, so role and disabled are compared with their old values.
            credential_epoch: nextEpoch(eb, changes),
            name: changes.name,
            role: changes.role,
            password_hash: changes.passwordHash,
            disabled,
            updated_at: now,
          }))
          .where('id', '=', id)
        if (changes.rehashAtEpoch !== undefined)
          update = update.where('credential_epoch', '=', changes.rehashAtEpoch)
        const result = await update.executeTakeFirst()
        if (changes.rehashAtEpoch !== undefined) return result.numUpdatedRows > 0n
        if (changes.keepCredentialId !== undefined && changes.passwordHash !== undefined)
          await keepCredential(trx, id, changes.keepCredentialId)
        return true
      })
      return applied ? this.#findById(id) : undefined
    })
  }

  changeEmail(id: number, email: string, emailKey: string, now: number) {
    return failClosed('users.changeEmail', async () => {
      const update = this.#db
        .updateTable('tessera_user')
        .set({ email, email_key: emailKey, email_verified_at: now, updated_at: now })
        .where('id', '=', id)
      const changed = await orWhenTaken(() => update.executeTakeFirst(), 'email_taken' as const)
      if (changed === 'email_taken') return changed
      return this.#findById(id)
    })
  }

  markEmailVerified(id: number, now: number): Promise<void> {
    return failClosed('users.markEmailVerified', async () => {
      await this.#db
        .updateTable('tessera_user')
        .set({ email_verified_at: now })
        .where('id', '=', id)
        .where('email_verified_at', 'is', null)
        .execute()
    })
  }

  list(options: { limit: number; offset: number }): Promise<UserRecord[]> {
    return failClosed('users.list', async () => {
      const rows = await this.#db
        .selectFrom('tessera_user')
        .selectAll()
        .orderBy('id')
        .limit(options.limit)
        .offset(options.offset)
        .execute()
      return rows.map(toUserRecord)
    })
  }

  async #findById(id: number): Promise<UserRecord | undefined> {
    const row = await this.#db.selectFrom('tessera_user').selectAll().where('id', '=', id).executeTakeFirst()
    return row === undefined ? undefined : toUserRecord(row)
  }

  async #insert(user: NewUser, now: number): Promise<UserRecord> {
    const values = {
      email: user.email,
      email_key: user.emailKey,
      name: user.name,
      role: user.role,
      password_hash: user.passwordHash,
      disabled: 0,
      credential_epoch: 0,
      email_verified_at: user.emailVerifiedAt ?? null,
      created_at: now,
      updated_at: now,
    }
    const insert = this.#db.insertInto('tessera_user').values(values)
    // MySQL has no INSERT … RETURNING; its OK packet carries the new id instead.
    const id =
      this.#dialect === 'mysql'
        ? Number((await insert.executeTakeFirstOrThrow()).insertId)
        : (await insert.returning('id').executeTakeFirstOrThrow()).id
    return toUserRecord({ id, ...values })
  }
}
