import type { SqlDialect } from '@tessera/server/db'
import { dialectOfKysely } from '@tessera/server/db'
import type { Kysely, Transaction } from 'kysely'
import type { DirectoryTables } from '../db/directory-tables.ts'
import { checkManager } from './check-manager.ts'
import { EDITABLE_FIELDS } from './employee-fields.ts'
import {
  nameMatches,
  selectDetails,
  selectSummaries,
  toColumns,
  toDetail,
  toSummary,
} from './employee-queries.ts'
import type {
  EmployeeDetail,
  EmployeeInput,
  EmployeeReadOnly,
  EmployeeSummary,
  EmployeeWriteResult,
} from './employee-types.ts'
import { guardOutage } from './outage-guard.ts'

export interface EmployeeRepositoryOptions {
  /** Epoch milliseconds; injectable so tests can pin time. */
  now?: () => number
}

type Db = Kysely<DirectoryTables> | Transaction<DirectoryTables>

/** SQLite 787, PostgreSQL 23503, MySQL 1452: the manager vanished between our check and the write. */
function isForeignKeyViolation(error: unknown): boolean {
  const e = error as { code?: unknown; errno?: unknown; message?: unknown }
  return e?.code === '23503' || e?.errno === 1452 || /FOREIGN KEY constraint failed/i.test(String(e?.message))
}

/** The employee table behind the directory routes; every method fails closed on an outage. */
export class EmployeeRepository {
  readonly #db: Kysely<DirectoryTables>
  readonly #dialect: SqlDialect
  readonly #now: () => number

  constructor(db: Kysely<DirectoryTables>, options: EmployeeRepositoryOptions = {}) {
    this.#db = db
    this.#dialect = dialectOfKysely(db as Kysely<unknown>)
    this.#now = options.now ?? Date.now
  }

  /** Everyone, ordered by last then first name. */
  list(): Promise<EmployeeSummary[]> {
    return guardOutage(async () => (await selectSummaries(this.#db).execute()).map(toSummary))
  }

  /** Case-insensitive "contains" on first, last or "first last"; wildcards in `term` match literally. */
  search(term: string): Promise<EmployeeSummary[]> {
    const where = nameMatches(term, this.#dialect === 'mysql')
    return guardOutage(async () => (await selectSummaries(this.#db).where(where).execute()).map(toSummary))
  }

  findById(id: number): Promise<EmployeeDetail | undefined> {
    return guardOutage(() => this.#detail(this.#db, id))
  }

  /** Direct reports, or undefined when there is no such manager. */
  reportsOf(managerId: number): Promise<EmployeeSummary[] | undefined> {
    return guardOutage(async () => {
      if (!(await this.#exists(this.#db, managerId))) return undefined
      const rows = await selectSummaries(this.#db).where('e.manager_id', '=', managerId).execute()
      return rows.map(toSummary)
    })
  }

  /** Employees changed strictly after `epochMs`, in detail (a syncing client needs every field). */
  modifiedSince(epochMs: number): Promise<EmployeeDetail[]> {
    return guardOutage(async () => {
      const rows = await selectDetails(this.#db).where('e.modified_at', '>', epochMs).execute()
      return rows.map(toDetail)
    })
  }

  /** Just the name, for the avatar. */
  nameOf(id: number): Promise<{ firstName: string; lastName: string } | undefined> {
    return guardOutage(async () => {
      const row = await this.#db
        .selectFrom('employee')
        .select(['first_name', 'last_name'])
        .where('id', '=', id)
        .executeTakeFirst()
      return row && { firstName: row.first_name, lastName: row.last_name }
    })
  }

  count(): Promise<number> {
    return guardOutage(async () => {
      const row = await this.#db
        .selectFrom('employee')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirst()
      return Number(row?.n ?? 0)
    })
  }

  create(input: EmployeeInput): Promise<EmployeeWriteResult> {
    return this.#write(async (trx) => {
      const invalid = await checkManager(trx, input.managerId, undefined)
      if (invalid !== undefined) return { ok: false, reason: 'invalid_manager', message: invalid }
      const id = await this.#insert(trx, input)
      return { ok: true, employee: (await this.#detail(trx, id))! }
    })
  }

  /**
   * PUT (every editable field) and PATCH (some): writes `changes` over the stored fields and
   * bumps `modifiedAt` (strictly, even within one millisecond). Read-only fields the client sent
   * back must equal the stored ones. The row is locked first, so two PATCHes of different
   * fields both land.
   */
  update(
    id: number,
    changes: Partial<EmployeeInput>,
    sentBack: Partial<EmployeeReadOnly> = {},
  ): Promise<EmployeeWriteResult> {
    return this.#write(async (trx) => {
      const current = await trx
        .selectFrom('employee')
        .select('modified_at')
        .where('id', '=', id)
        .$if(this.#dialect !== 'sqlite', (query) => query.forUpdate())
        .executeTakeFirst()
      const stored = current && (await this.#detail(trx, id))
      if (current === undefined || stored === undefined) return { ok: false, reason: 'not_found' }
      const differing = (Object.keys(sentBack) as Array<keyof EmployeeReadOnly>).find(
        (field) => sentBack[field] !== stored[field],
      )
      if (differing !== undefined) return { ok: false, reason: 'read_only_differs', field: differing }
      const input = { ...editableOf(stored), ...changes }
      const invalid = await checkManager(trx, input.managerId, id)
      if (invalid !== undefined) return { ok: false, reason: 'invalid_manager', message: invalid }
      const modifiedAt = Math.max(this.#now(), Number(current.modified_at) + 1)
      await trx.updateTable('employee').set(toColumns(input, modifiedAt)).where('id', '=', id).execute()
      return { ok: true, employee: (await this.#detail(trx, id))! }
    })
  }

  /** Deletes one employee; their reports lose their manager and count as modified. */
  remove(id: number): Promise<boolean> {
    return guardOutage(() =>
      this.#db.transaction().execute(async (trx) => {
        if (!(await this.#exists(trx, id))) return false
        await trx
          .updateTable('employee')
          .set({ manager_id: null, modified_at: this.#now() })
          .where('manager_id', '=', id)
          .execute()
        await trx.deleteFrom('employee').where('id', '=', id).execute()
        return true
      }),
    )
  }

  #write(
    work: (trx: Transaction<DirectoryTables>) => Promise<EmployeeWriteResult>,
  ): Promise<EmployeeWriteResult> {
    return guardOutage(async () => {
      try {
        return await this.#db.transaction().execute(work)
      } catch (error) {
        if (!isForeignKeyViolation(error)) throw error
        return { ok: false, reason: 'invalid_manager', message: 'must reference an existing employee' }
      }
    })
  }

  async #insert(trx: Transaction<DirectoryTables>, input: EmployeeInput): Promise<number> {
    const insert = trx.insertInto('employee').values(toColumns(input, this.#now()))
    // MySQL/MariaDB's Kysely dialect has no RETURNING; the driver reports the generated id instead.
    if (this.#dialect === 'mysql') return Number((await insert.executeTakeFirstOrThrow()).insertId)
    return Number((await insert.returning('id').executeTakeFirstOrThrow()).id)
  }

  async #detail(db: Db, id: number): Promise<EmployeeDetail | undefined> {
    const row = await selectDetails(db).where('e.id', '=', id).executeTakeFirst()
    return row && toDetail(row)
  }

  async #exists(db: Db, id: number): Promise<boolean> {
    return (
      (await db.selectFrom('employee').select('id').where('id', '=', id).executeTakeFirst()) !== undefined
    )
  }
}

function editableOf(employee: EmployeeDetail): EmployeeInput {
  return Object.fromEntries(EDITABLE_FIELDS.map((field) => [field, employee[field]])) as EmployeeInput
}
