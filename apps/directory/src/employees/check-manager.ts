import type { Transaction } from 'kysely'
import type { DirectoryTables } from '../db/directory-tables.ts'

/** Deeper than any real org chart; stops the walk if the data ever holds a cycle. */
const MAX_DEPTH = 256

/**
 * Why `managerId` cannot be the manager of employee `selfId` (undefined for a new employee),
 * or undefined when it can: it must exist, not be the employee, and not be one of the employee's
 * own (indirect) reports, which would make the chart a cycle.
 */
export async function checkManager(
  trx: Transaction<DirectoryTables>,
  managerId: number | null,
  selfId: number | undefined,
): Promise<string | undefined> {
  if (managerId === null) return undefined
  if (managerId === selfId) return 'must not be the employee itself'
  let current: number | null = managerId
  for (let depth = 0; current !== null && depth < MAX_DEPTH; depth++) {
    const row = await trx
      .selectFrom('employee')
      .select('manager_id')
      .where('id', '=', current)
      .executeTakeFirst()
    if (row === undefined) return depth === 0 ? 'must reference an existing employee' : undefined
    if (selfId === undefined) return undefined
    current = row.manager_id === null ? null : Number(row.manager_id)
    if (current === selfId) return "must not be one of the employee's own reports"
  }
  return undefined
}
