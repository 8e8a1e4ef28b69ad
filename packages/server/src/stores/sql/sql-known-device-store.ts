import type { Kysely } from 'kysely'
import type { KnownDeviceStore } from '../../core/stores.ts'
import { failClosed, orWhenTaken } from './fail-closed.ts'
import type { AuthTables } from './schema.ts'

/** The devices each user signed in from; the primary key (user, fingerprint) makes `remember` race-safe. */
export class SqlKnownDeviceStore implements KnownDeviceStore {
  readonly #db: Kysely<AuthTables>

  constructor(db: Kysely<AuthTables>) {
    this.#db = db
  }

  remember(userId: number, fingerprint: string, now: number): Promise<'first' | 'new' | 'known'> {
    return failClosed('knownDevices.remember', async () => {
      const other = await this.#db
        .selectFrom('tessera_known_device')
        .select('fingerprint')
        .where('user_id', '=', userId)
        .limit(1)
        .executeTakeFirst()
      const insert = this.#db
        .insertInto('tessera_known_device')
        .values({ user_id: userId, fingerprint, first_seen_at: now })
      const inserted = await orWhenTaken(() => insert.execute().then(() => true), false)
      if (!inserted) return 'known'
      return other === undefined ? 'first' : 'new'
    })
  }
}
