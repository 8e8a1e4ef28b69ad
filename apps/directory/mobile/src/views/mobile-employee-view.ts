import { EmployeePageView } from '../../../web/src/lib/employee-page-view.ts'
import type { EmployeeDetail } from '../../../web/src/models/employee.ts'
import { apiUrl, type MobileContext } from '../mobile-context.ts'
import { template } from '../templates/employee.jst'

/** One employee with big call, text and email buttons (`tel:`, `sms:`, `mailto:`). */
export class MobileEmployeeView extends EmployeePageView {
  readonly #app: MobileContext

  constructor(app: MobileContext, id: number) {
    super(id)
    this.#app = app
  }

  protected override drawEmployee(employee: EmployeeDetail): void {
    this.$el.html(template({ employee, picture: apiUrl(this.#app, employee.pictureUrl) }))
  }
}
