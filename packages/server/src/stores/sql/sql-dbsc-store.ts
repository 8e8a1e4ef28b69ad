import type { Kysely } from 'kysely'
import type { DbscAlgorithm, DbscBinding, DbscStore } from '../../core/stores.ts'
import { failClosed } from './fail-closed.ts'
import type { AuthTables, DbscBindingTable } from './schema.ts'

/** Device bindings of sessions (DBSC) in `tessera_dbsc_binding`. */
export class SqlDbscStore implements DbscStore {
  readonly #db: Kysely<AuthTables>

  constructor(db: Kysely<AuthTables>) {
    this.#db = db
  }

  offer(credentialId: string, required: boolean): Promise<void> {
    return failClosed('dbsc.offer', async () => {
      await this.#db
        .insertInto('tessera_dbsc_binding')
        .values({ credential_id: credentialId, required: required ? 1 : 0 })
        .execute()
    })
  }

  /** One conditional UPDATE: of any number of racing registrations, exactly one binds its key. */
  bind(credentialId: string, algorithm: DbscAlgorithm, publicJwk: string, now: number): Promise<boolean> {
    return failClosed('dbsc.bind', async () => {
      const result = await this.#db
        .updateTable('tessera_dbsc_binding')
        .set({ algorithm, public_jwk: publicJwk, bound_at: now })
        .where('credential_id', '=', credentialId)
        .where('public_jwk', 'is', null)
        .executeTakeFirst()
      return Number(result.numUpdatedRows) === 1
    })
  }

  find(credentialId: string): Promise<DbscBinding | undefined> {
    return failClosed('dbsc.find', async () => {
      const row = await this.#db
        .selectFrom('tessera_dbsc_binding')
        .selectAll()
        .where('credential_id', '=', credentialId)
        .executeTakeFirst()
      return row && toBinding(row)
    })
  }

  boundAmong(credentialIds: readonly string[]): Promise<Set<string>> {
    return failClosed('dbsc.boundAmong', async () => {
      if (credentialIds.length === 0) return new Set()
      const rows = await this.#db
        .selectFrom('tessera_dbsc_binding')
        .select('credential_id')
        .where('credential_id', 'in', credentialIds)
        .where('public_jwk', 'is not', null)
        .execute()
      return new Set(rows.map((r) => r.credential_id))
    })
  }
}

function toBinding(row: DbscBindingTable): DbscBinding {
  return {
    credentialId: row.credential_id,
    required: Number(row.required) === 1,
    algorithm: row.algorithm as DbscAlgorithm | null,
    publicJwk: row.public_jwk,
    boundAt: row.bound_at === null ? null : Number(row.bound_at),
  }
}
