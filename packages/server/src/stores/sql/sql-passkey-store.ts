import type { Kysely } from 'kysely'
import type { PasskeyRecord, PasskeyStore } from '../../core/passkey-store.ts'
import { failClosed } from './fail-closed.ts'
import type { PasskeyTable } from './mfa-schema.ts'
import type { AuthTables } from './schema.ts'

function toRecord(row: PasskeyTable): PasskeyRecord {
  return {
    id: row.id,
    userId: Number(row.user_id),
    publicKey: row.public_key,
    signCount: Number(row.sign_count),
    backedUp: Number(row.backed_up) === 1,
    deviceType: row.device_type,
    transports: row.transports === '' ? [] : row.transports.split(','),
    name: row.name,
    createdAt: Number(row.created_at),
    lastUsedAt: row.last_used_at === null ? null : Number(row.last_used_at),
  }
}

export class SqlPasskeyStore implements PasskeyStore {
  readonly #db: Kysely<AuthTables>

  constructor(db: Kysely<AuthTables>) {
    this.#db = db
  }

  create(p: PasskeyRecord): Promise<boolean> {
    return failClosed('passkeys.create', async () => {
      const taken = await this.#db
        .selectFrom('tessera_passkey')
        .select('id')
        .where('id', '=', p.id)
        .executeTakeFirst()
      if (taken !== undefined) return false
      await this.#db
        .insertInto('tessera_passkey')
        .values({
          id: p.id,
          user_id: p.userId,
          public_key: p.publicKey,
          sign_count: p.signCount,
          backed_up: p.backedUp ? 1 : 0,
          device_type: p.deviceType,
          transports: p.transports.join(','),
          name: p.name,
          created_at: p.createdAt,
          last_used_at: p.lastUsedAt,
        })
        .execute()
      return true
    })
  }

  findById(id: string): Promise<PasskeyRecord | undefined> {
    return failClosed('passkeys.findById', async () => {
      const row = await this.#db
        .selectFrom('tessera_passkey')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst()
      return row === undefined ? undefined : toRecord(row)
    })
  }

  listForUser(userId: number): Promise<PasskeyRecord[]> {
    return failClosed('passkeys.listForUser', async () => {
      const rows = await this.#db
        .selectFrom('tessera_passkey')
        .selectAll()
        .where('user_id', '=', userId)
        .orderBy('created_at', 'desc')
        .orderBy('id')
        .execute()
      return rows.map(toRecord)
    })
  }

  recordUse(id: string, seenCount: number, use: { signCount: number; backedUp: boolean; now: number }) {
    return failClosed('passkeys.recordUse', async () => {
      const result = await this.#db
        .updateTable('tessera_passkey')
        .set({ sign_count: use.signCount, backed_up: use.backedUp ? 1 : 0, last_used_at: use.now })
        .where('id', '=', id)
        .where('sign_count', '=', seenCount)
        .executeTakeFirst()
      return result.numUpdatedRows > 0n
    })
  }

  rename(userId: number, id: string, name: string): Promise<boolean> {
    return failClosed('passkeys.rename', async () => {
      const result = await this.#db
        .updateTable('tessera_passkey')
        .set({ name })
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .executeTakeFirst()
      return result.numUpdatedRows > 0n
    })
  }

  remove(userId: number, id: string): Promise<boolean> {
    return failClosed('passkeys.remove', async () => {
      const result = await this.#db
        .deleteFrom('tessera_passkey')
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .executeTakeFirst()
      return result.numDeletedRows > 0n
    })
  }
}
