import type { Generated } from 'kysely'

/** The `employee` table as Kysely sees it. Timestamps are epoch milliseconds. */
export interface EmployeeTable {
  id: Generated<number>
  first_name: string
  last_name: string
  title: string
  department: string
  city: string
  manager_id: number | null
  office_phone: string | null
  cell_phone: string | null
  email: string
  modified_at: number
}

/** Every table the directory owns; the auth tables are merged in by whoever opens the database. */
export interface DirectoryTables {
  employee: EmployeeTable
}
