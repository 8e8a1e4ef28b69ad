import { PageView } from '../../../web/src/lib/page-view.ts'
import { Employee, EmployeeList } from '../../../web/src/models/employee.ts'
import { apiUrl, type MobileContext } from '../mobile-context.ts'
import { template } from '../templates/employee.jst'
import { template as reportsPage } from '../templates/reports.jst'
import { template as results } from '../templates/results.jst'
import { withPictures } from './mobile-search-view.ts'

/** One employee with big call, text and email buttons (`tel:`, `sms:`, `mailto:`). */
export class MobileEmployeeView extends PageView {
  readonly #app: MobileContext
  readonly #employee: Employee

  constructor(app: MobileContext, id: number) {
    super()
    this.#app = app
    this.#employee = new Employee({ id })
  }

  override render(): this {
    void this.#load()
    return this
  }

  async #load(): Promise<void> {
    this.showLoading()
    try {
      await this.#employee.load()
    } catch (error) {
      this.showError(error, { retry: () => void this.#load() })
      return
    }
    const employee = this.#employee.detail
    this.$el.html(template({ employee, picture: apiUrl(this.#app, employee.pictureUrl) }))
    this.landed(`${employee.firstName} ${employee.lastName}`)
  }
}

/** Direct reports: admins only, so a `user` lands on the denied page (the server's 403). */
export class MobileReportsView extends PageView {
  readonly #app: MobileContext
  readonly #employee: Employee
  readonly #reports: EmployeeList

  constructor(app: MobileContext, id: number) {
    super()
    this.#app = app
    this.#employee = new Employee({ id })
    this.#reports = new EmployeeList(`/api/employees/${id}/reports`)
  }

  override render(): this {
    void this.#load()
    return this
  }

  async #load(): Promise<void> {
    this.showLoading()
    try {
      await Promise.all([this.#employee.load(), this.#reports.load()])
    } catch (error) {
      this.showError(error, { retry: () => void this.#load() })
      return
    }
    const { id, firstName, lastName } = this.#employee.detail
    const name = `${firstName} ${lastName}`
    this.$el.html(reportsPage({ id, name }))
    const items = withPictures(this.#app, this.#reports.summaries)
    this.$('[data-region="list"]').html(results({ items, empty: `${name} has no direct reports.` }))
    this.landed(`Direct reports of ${name}`)
  }
}
