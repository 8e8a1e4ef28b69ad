import type { AppContext } from '../app-context.ts'
import { EmployeePageView } from '../lib/employee-page-view.ts'
import { type EmployeeDetail, EmployeeList } from '../models/employee.ts'
import { template } from '../templates/employee.jst'
import { template as list } from '../templates/employee-list.jst'
import { showNotice } from './show-notice.ts'

/**
 * One employee: picture, name, title, department, city, manager link, phones and email,
 * and the direct reports panel. Admins see the reports in the panel; for anyone else it
 * links to the reports page, where the server's 403 leads to the denied page.
 */
export class EmployeeView extends EmployeePageView {
  readonly #app: AppContext

  constructor(app: AppContext, id: number) {
    super(id, 'Loading employee…')
    this.#app = app
  }

  protected override drawEmployee(employee: EmployeeDetail): void {
    const isAdmin = this.#app.session.isAdmin
    this.$el.html(template({ employee, isAdmin }))
    showNotice(this.$el, this.#app.session)
    if (isAdmin && employee.reportCount > 0) this.#loadReports(employee.id)
  }

  #loadReports(id: number): void {
    const target = this.$('[data-region="reports"]')
    const reports = new EmployeeList(`/api/employees/${id}/reports`)
    const draw = () =>
      target
        .addClass('p-0')
        .html(list({ items: reports.summaries, empty: 'No direct reports.', flush: true }))
    void this.loadThen(() => reports.load(), draw, { label: 'Loading direct reports…', target })
  }
}
