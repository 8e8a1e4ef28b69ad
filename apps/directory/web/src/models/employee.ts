import Backbone from 'backbone'

/** An employee in lists (`GET /api/employees`). */
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

/** One employee (`GET /api/employees/:id`). */
export interface EmployeeDetail extends EmployeeSummary {
  officePhone: string | null
  cellPhone: string | null
  email: string
  managerFirstName: string | null
  managerLastName: string | null
  modifiedAt: string
}

/** The fields `PUT /api/employees/:id` replaces. */
export const EDITABLE_FIELDS = [
  'firstName',
  'lastName',
  'title',
  'department',
  'city',
  'managerId',
  'officePhone',
  'cellPhone',
  'email',
] as const

export type EmployeeInput = Pick<EmployeeDetail, (typeof EDITABLE_FIELDS)[number]>

/** One employee; `fetch` and `save` go through the Tessera client (the Backbone adapter). */
export class Employee extends Backbone.Model<Partial<EmployeeDetail>> {
  constructor(attributes: Partial<EmployeeDetail>) {
    super(attributes)
    this.urlRoot = '/api/employees'
  }

  /** PUT with only the editable fields: the API refuses any other property. */
  saveInput(input: EmployeeInput): Promise<unknown> {
    // Backbone.sync sends `attrs` instead of the whole model (the typings omit that option).
    const options = { attrs: input, wait: true }
    return this.save(input, options) as unknown as Promise<unknown>
  }

  load(): Promise<unknown> {
    return this.fetch() as unknown as Promise<unknown>
  }

  get detail(): EmployeeDetail {
    return this.toJSON() as EmployeeDetail
  }
}

/** A list from the API: everyone, a search (`?q=`), or someone's direct reports. */
export class EmployeeList extends Backbone.Collection<Backbone.Model> {
  constructor(url = '/api/employees') {
    super()
    this.url = url
  }

  /** Fetches the list; `q` searches first, last or full name. */
  load(q?: string): Promise<unknown> {
    const options = q === undefined ? {} : { data: { q } }
    return this.fetch({ ...options, reset: true }) as unknown as Promise<unknown>
  }

  get summaries(): EmployeeSummary[] {
    return this.toJSON() as EmployeeSummary[]
  }
}

/** The people at the top of the org chart (nobody above them). */
export function topOf(list: EmployeeSummary[]): EmployeeSummary[] {
  return list.filter((e) => e.managerId === null)
}
