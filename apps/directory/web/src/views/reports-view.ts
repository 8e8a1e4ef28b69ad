import type { AppContext } from '../app-context.ts'
import { LoadingView } from '../lib/loading-view.ts'
import type { Template } from '../lib/template-page-view.ts'
import { Employee, EmployeeList, type EmployeeSummary } from '../models/employee.ts'
import { template as list } from '../templates/employee-list.jst'
import { template } from '../templates/reports.jst'

/** How a front-end draws the reports page: the mobile client passes its own markup. */
export interface ReportsMarkup {
  /** The page around the list, given `{ id, name }`. */
  page: Template
  /** The list of reports, saying `empty` when there are none. */
  list: (items: EmployeeSummary[], empty: string) => string
  /** The spinner's text. */
  loading?: string
}

const WEB_MARKUP: ReportsMarkup = {
  page: template,
  list: (items, empty) => list({ items, empty }),
  loading: 'Loading direct reports…',
}

/** An employee's direct reports (admins only: for a `user` the server answers 403 and the denied page shows). */
export class ReportsView extends LoadingView {
  readonly #employee: Employee
  readonly #reports: EmployeeList
  readonly #markup: ReportsMarkup

  constructor(_app: AppContext, id: number, markup: ReportsMarkup = WEB_MARKUP) {
    super(markup.loading)
    this.#employee = new Employee({ id })
    this.#reports = new EmployeeList(`/api/employees/${id}/reports`)
    this.#markup = markup
  }

  protected override fetchPage(): Promise<unknown> {
    return Promise.all([this.#employee.load(), this.#reports.load()])
  }

  protected override drawPage(): void {
    const { id, firstName, lastName } = this.#employee.detail
    const name = `${firstName} ${lastName}`
    this.$el.html(this.#markup.page({ id, name }))
    this.$('[data-region="list"]').html(
      this.#markup.list(this.#reports.summaries, `${name} has no direct reports.`),
    )
    this.landed(`Direct reports of ${name}`)
  }
}
