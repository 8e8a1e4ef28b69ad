import type { Kysely } from 'kysely'
import type { NewUser, UserChanges, UserRecord, UserStore } from '../../core/stores.ts'
import { dialectOfKysely, type SqlDialect } from '../../db/index.ts'
import { failClosed, orWhenTaken } from './fail-closed.ts'
import type { AuthTables } from './schema.ts'
import { toUserRecord } from './to-user-record.ts'

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

  update(id: number, changes: UserChanges, now: number): Promise<UserRecord | undefined> {
    return failClosed('users.update', async () => {
      const disabled = changes.disabled === undefined ? undefined : Number(changes.disabled)
      await this.#db
        .updateTable('tessera_user')
        // Kysely leaves out undefined values, so absent changes keep their column.
        .set({
          name: changes.name,
          role: changes.role,
          password_hash: changes.passwordHash,
          disabled,
          updated_at: now,
        })
        .where('id', '=', id)
        .execute()
      return this.#findById(id)
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
