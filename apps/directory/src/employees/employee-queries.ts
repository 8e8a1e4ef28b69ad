import { type Expression, type Kysely, type SqlBool, sql } from 'kysely'
import type { DirectoryTables } from '../db/directory-tables.ts'
import type { EmployeeDetail, EmployeeInput, EmployeeSummary } from './employee-types.ts'

/** The search pattern's escape character: `!` needs no quoting in any dialect's string literal. */
const LIKE_ESCAPE = '!'

/** `%term%` with LIKE's wildcards (and the escape character itself) matching literally. */
export function containsPattern(term: string): string {
  return `%${term.toLowerCase().replace(/[!%_]/g, (c) => LIKE_ESCAPE + c)}%`
}

/**
 * Case-insensitive "contains" on the full name "first last", which also covers a match on the
 * first or the last name alone. lower() on both sides (the term is lowered in JS) so the result
 * does not depend on a column collation; on MySQL/MariaDB the binary collation also stops
 * utf8mb4_unicode_ci from matching accents and expansions loosely, as the other two do not.
 */
export function nameMatches(term: string, binaryCollation: boolean): Expression<SqlBool> {
  const fullName = sql`lower(concat(e.first_name, ' ', e.last_name))`
  const collated = binaryCollation ? sql`${fullName} collate utf8mb4_bin` : fullName
  return sql<SqlBool>`${collated} like ${containsPattern(term)} escape '!'`
}

/** The list shape's columns, with the number of direct reports from a correlated subquery. */
export function selectSummaries(db: Kysely<DirectoryTables>) {
  return db
    .selectFrom('employee as e')
    .select((eb) => [
      'e.id',
      'e.first_name',
      'e.last_name',
      'e.title',
      'e.department',
      'e.city',
      'e.manager_id',
      eb
        .selectFrom('employee as r')
        .select((r) => r.fn.countAll().as('n'))
        .whereRef('r.manager_id', '=', 'e.id')
        .as('report_count'),
    ])
    .orderBy('e.last_name')
    .orderBy('e.first_name')
    .orderBy('e.id')
}

/** The detail shape: the list columns plus contact details and the manager's name. */
export function selectDetails(db: Kysely<DirectoryTables>) {
  return selectSummaries(db)
    .leftJoin('employee as m', 'm.id', 'e.manager_id')
    .select([
      'e.office_phone',
      'e.cell_phone',
      'e.email',
      'e.modified_at',
      'm.first_name as manager_first_name',
      'm.last_name as manager_last_name',
    ])
}

type SummaryRow = Awaited<ReturnType<ReturnType<typeof selectSummaries>['executeTakeFirstOrThrow']>>
type DetailRow = Awaited<ReturnType<ReturnType<typeof selectDetails>['executeTakeFirstOrThrow']>>

export function toSummary(row: SummaryRow): EmployeeSummary {
  const id = Number(row.id)
  return {
    id,
    firstName: row.first_name,
    lastName: row.last_name,
    title: row.title,
    department: row.department,
    city: row.city,
    managerId: row.manager_id === null ? null : Number(row.manager_id),
    // count(*) comes back as a number, a bigint-parsed number or a string depending on the driver.
    reportCount: Number(row.report_count ?? 0),
    pictureUrl: `/avatars/${id}.svg`,
  }
}

export function toDetail(row: DetailRow): EmployeeDetail {
  return {
    ...toSummary(row),
    officePhone: row.office_phone,
    cellPhone: row.cell_phone,
    email: row.email,
    managerFirstName: row.manager_first_name ?? null,
    managerLastName: row.manager_last_name ?? null,
    modifiedAt: new Date(Number(row.modified_at)).toISOString(),
  }
}

/** The editable fields as columns. */
export function toColumns(input: EmployeeInput, modifiedAt: number) {
  return {
    first_name: input.firstName,
    last_name: input.lastName,
    title: input.title,
    department: input.department,
    city: input.city,
    manager_id: input.managerId,
    office_phone: input.officePhone,
    cell_phone: input.cellPhone,
    email: input.email,
    modified_at: modifiedAt,
  }
}
