import Backbone from 'backbone'
import type { EmployeeDetail, EmployeeInput, EmployeeSummary } from '../../../src/employees/employee-types.ts'

// The API's own JSON types: type-only, so the build erases the import and no server code is bundled.
export type { EmployeeDetail, EmployeeInput, EmployeeSummary } from '../../../src/employees/employee-types.ts'

/** One employee; `fetch` and `save` go through the Tessera client (the Backbone adapter). */
export class Employee extends Backbone.Model<Partial<EmployeeDetail>> {
  constructor(attributes: Partial<EmployeeDetail>) {
    super(attributes)
    this.urlRoot = '/api/employees'
  }

  /** A stock `save()`: PUTs the whole model; the API accepts the read-only fields it sent unchanged. */
  saveInput(input: EmployeeInput): Promise<unknown> {
    return this.save(input, { wait: true }) as unknown as Promise<unknown>
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
