import { EmployeePageView } from '../../../web/src/lib/employee-page-view.ts'
import type { EmployeeDetail } from '../../../web/src/models/employee.ts'
import { template } from '../templates/employee.jst'

/** One employee with big call, text and email buttons (`tel:`, `sms:`, `mailto:`); the picture loads signed (avatars.ts). */
export class MobileEmployeeView extends EmployeePageView {
  protected override drawEmployee(employee: EmployeeDetail): void {
    this.$el.html(template({ employee }))
  }
}
