import type { EditableField, ReadOnlyField } from './employee-fields.ts'

/** An employee in lists (DESIGN §5). */
export interface EmployeeSummary {
  id: number
  firstName: string
  lastName: string
  title: string
  department: string
  city: string
  managerId: number | null
  reportCount: number
  pictureUrl: string
}

/** One employee with contact details and the manager's name (DESIGN §5). */
export interface EmployeeDetail extends EmployeeSummary {
  officePhone: string | null
  cellPhone: string | null
  email: string
  managerFirstName: string | null
  managerLastName: string | null
  /** ISO-8601, UTC. */
  modifiedAt: string
}

/** The editable fields: what POST creates and PUT replaces. */
export type EmployeeInput = Pick<EmployeeDetail, EditableField>

/** The computed fields a client sent back with a PUT or PATCH, to be checked against the stored ones. */
export type EmployeeReadOnly = Pick<EmployeeDetail, ReadOnlyField>

/** What a write answers: the stored employee, or why nothing was written. */
export type EmployeeWriteResult =
  | { ok: true; employee: EmployeeDetail }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'invalid_manager'; message: string }
  | { ok: false; reason: 'read_only_differs'; field: ReadOnlyField }
