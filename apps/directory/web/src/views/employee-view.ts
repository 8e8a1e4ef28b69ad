import type { AppContext } from '../app-context.ts'
import { describeError } from '../lib/describe-error.ts'
import { EmployeePageView } from '../lib/employee-page-view.ts'
import { withReauth } from '../lib/reauth.ts'
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

  readonly #id: number

  constructor(app: AppContext, id: number) {
    super(id, 'Loading employee…')
    this.#app = app
    this.#id = id
    this.delegateEvents({ 'click [data-action="delete-employee"]': () => void this.#delete() })
  }

  /** Admins only; the server asks for a fresh proof (step-up), which the dialog gets, then it retries. */
  async #delete(): Promise<void> {
    const button = this.$('[data-action="delete-employee"]').prop('disabled', true)
    try {
      await withReauth(this.#app, () =>
        this.#app.client.fetch(`/api/employees/${this.#id}`, { method: 'DELETE' }),
      )
    } catch (error) {
      button.prop('disabled', false)
      this.$('[data-role="delete-error"]').text(describeError(error)).removeClass('d-none')
      return
    }
    this.#app.session.notify('Employee deleted.', 'success')
    this.#app.go('')
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
