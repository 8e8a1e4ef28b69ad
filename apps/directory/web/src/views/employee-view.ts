import type { AppContext } from '../app-context.ts'
import { PageView } from '../lib/page-view.ts'
import { Employee, EmployeeList } from '../models/employee.ts'
import { template } from '../templates/employee.jst'
import { template as list } from '../templates/employee-list.jst'
import { showNotice } from './show-notice.ts'

/**
 * One employee: picture, name, title, department, city, manager link, phones and email,
 * and the direct reports panel. Admins see the reports in the panel; for anyone else it
 * links to the reports page, where the server's 403 leads to the denied page.
 */
export class EmployeeView extends PageView {
  readonly #app: AppContext
  readonly #employee: Employee

  constructor(app: AppContext, id: number) {
    super()
    this.#app = app
    this.#employee = new Employee({ id })
  }

  override render(): this {
    void this.#load()
    return this
  }

  async #load(): Promise<void> {
    this.showLoading('Loading employee…')
    try {
      await this.#employee.load()
    } catch (error) {
      this.showError(error, { retry: () => void this.#load() })
      return
    }
    const employee = this.#employee.detail
    const isAdmin = this.#app.session.isAdmin
    this.$el.html(template({ employee, isAdmin }))
    showNotice(this.$el, this.#app.session)
    this.landed(`${employee.firstName} ${employee.lastName}`)
    if (isAdmin && employee.reportCount > 0) void this.#loadReports(employee.id)
  }

  async #loadReports(id: number): Promise<void> {
    const region = this.$('[data-region="reports"]')
    const reports = new EmployeeList(`/api/employees/${id}/reports`)
    this.showLoading('Loading direct reports…', region)
    try {
      await reports.load()
    } catch (error) {
      this.showError(error, { target: region, retry: () => void this.#loadReports(id) })
      return
    }
    region.addClass('p-0').html(list({ items: reports.summaries, empty: 'No direct reports.', flush: true }))
  }
}
