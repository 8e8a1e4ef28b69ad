import type { AppContext } from '../app-context.ts'
import { PageView } from '../lib/page-view.ts'
import { Employee, EmployeeList } from '../models/employee.ts'
import { template as list } from '../templates/employee-list.jst'
import { template } from '../templates/reports.jst'

/** An employee's direct reports (admins only: for a `user` the server answers 403 and the denied page shows). */
export class ReportsView extends PageView {
  readonly #employee: Employee
  readonly #reports: EmployeeList

  constructor(_app: AppContext, id: number) {
    super()
    this.#employee = new Employee({ id })
    this.#reports = new EmployeeList(`/api/employees/${id}/reports`)
  }

  override render(): this {
    void this.#load()
    return this
  }

  async #load(): Promise<void> {
    this.showLoading('Loading direct reports…')
    try {
      await Promise.all([this.#employee.load(), this.#reports.load()])
    } catch (error) {
      this.showError(error, { retry: () => void this.#load() })
      return
    }
    const { id, firstName, lastName } = this.#employee.detail
    const name = `${firstName} ${lastName}`
    this.$el.html(template({ id, name }))
    this.$('[data-region="list"]').html(
      list({ items: this.#reports.summaries, empty: `${name} has no direct reports.` }),
    )
    this.landed(`Direct reports of ${name}`)
  }
}
