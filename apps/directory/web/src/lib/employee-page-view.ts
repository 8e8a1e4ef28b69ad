import { Employee, type EmployeeDetail } from '../models/employee.ts'
import { LoadingView } from './loading-view.ts'

/** A page about one employee: fetched by id, drawn by the subclass, titled with their name. */
export abstract class EmployeePageView extends LoadingView {
  readonly #employee: Employee

  constructor(id: number, label?: string) {
    super(label)
    this.#employee = new Employee({ id })
  }

  protected override fetchPage(): Promise<unknown> {
    return this.#employee.load()
  }

  protected override drawPage(): void {
    const employee = this.#employee.detail
    this.drawEmployee(employee)
    this.landed(`${employee.firstName} ${employee.lastName}`)
  }

  /** Draws the page once the employee is loaded. */
  protected abstract drawEmployee(employee: EmployeeDetail): void
}
