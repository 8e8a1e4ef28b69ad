import type { Kysely, Selectable } from 'kysely'
import type { AuditEvent, AuditEventName, AuditRecord, AuditStore } from '../../core/stores.ts'
import { failClosed } from './fail-closed.ts'
import type { AuditTable, AuthTables } from './schema.ts'

export interface AuditListOptions {
  limit: number
  beforeId?: number
  userId?: number
  event?: AuditEventName
}

/** The one mapping from a row to a record; `Number()` because mysql2 may return bigints as strings. */
function toAuditRecord(row: Selectable<AuditTable>): AuditRecord {
  return {
    id: Number(row.id),
    event: row.event as AuditEventName,
    at: Number(row.at),
    userId: row.user_id === null ? null : Number(row.user_id),
    credentialId: row.credential_id,
    ip: row.ip,
    detail: JSON.parse(row.detail) as AuditRecord['detail'],
  }
}

/** An append-only audit trail; the detail object is stored as JSON text. */
export class SqlAuditStore implements AuditStore {
  readonly #db: Kysely<AuthTables>

  constructor(db: Kysely<AuthTables>) {
    this.#db = db
  }

  record(event: AuditEvent): Promise<void> {
    return failClosed('audit.record', async () => {
      await this.#db
        .insertInto('tessera_audit')
        .values({
          event: event.event,
          at: event.at,
          user_id: event.userId,
          credential_id: event.credentialId,
          ip: event.ip,
          detail: JSON.stringify(event.detail),
        })
        .execute()
    })
  }

  /** Newest first (by id, which grows with insertion); `beforeId` continues below the last page. */
  list(options: AuditListOptions): Promise<AuditRecord[]> {
    return failClosed('audit.list', async () => {
      let query = this.#db.selectFrom('tessera_audit').selectAll().orderBy('id', 'desc').limit(options.limit)
      if (options.beforeId !== undefined) query = query.where('id', '<', options.beforeId)
      if (options.userId !== undefined) query = query.where('user_id', '=', options.userId)
      if (options.event !== undefined) query = query.where('event', '=', options.event)
      const rows = await query.execute()
      return rows.map(toAuditRecord)
    })
  }
}
