import type { AppContext } from '../app-context.ts'
import { clearFormError, formValues, setBusy, showFormError } from '../lib/form-state.ts'
import { LoadingView } from '../lib/loading-view.ts'
import { Employee, type EmployeeDetail, type EmployeeInput, EmployeeList } from '../models/employee.ts'
import { template } from '../templates/edit-employee.jst'

/** The text inputs of the form, in order; the manager is a select. */
const FIELDS = [
  { name: 'firstName', label: 'First name', type: 'text', help: '' },
  { name: 'lastName', label: 'Last name', type: 'text', help: '' },
  { name: 'title', label: 'Title', type: 'text', help: '' },
  { name: 'department', label: 'Department', type: 'text', help: '' },
  { name: 'city', label: 'City', type: 'text', help: '' },
  { name: 'email', label: 'Email', type: 'email', help: '' },
  { name: 'officePhone', label: 'Office phone', type: 'tel', help: 'Optional. Digits, spaces and + ( ) . -' },
  { name: 'cellPhone', label: 'Cell phone', type: 'tel', help: 'Optional. Digits, spaces and + ( ) . -' },
] as const satisfies ReadonlyArray<{ name: keyof EmployeeInput; label: string; type: string; help: string }>

function inputFrom(values: Record<string, string>): EmployeeInput {
  const optional = (value: string | undefined) => (value === undefined || value === '' ? null : value)
  return {
    firstName: values.firstName ?? '',
    lastName: values.lastName ?? '',
    title: values.title ?? '',
    department: values.department ?? '',
    city: values.city ?? '',
    email: values.email ?? '',
    officePhone: optional(values.officePhone),
    cellPhone: optional(values.cellPhone),
    managerId: values.managerId ? Number(values.managerId) : null,
  }
}

/**
 * The admin's edit form. The server validates (problem+json `validation_failed`), and each
 * message appears under its input; nothing is checked only here.
 */
export class EditEmployeeView extends LoadingView {
  readonly #app: AppContext
  readonly #employee: Employee
  readonly #everyone = new EmployeeList()

  constructor(app: AppContext, id: number) {
    super('Loading employee…')
    this.#app = app
    this.#employee = new Employee({ id })
    this.delegateEvents({ 'submit form': (event: JQuery.TriggeredEvent) => void this.#save(event) })
  }

  override render(): this {
    const { session } = this.#app
    // The server refuses a non-admin's save anyway; this spares them a form they cannot use.
    if (session.user !== null && !session.isAdmin) this.#app.go('denied')
    else super.render()
    return this
  }

  protected override fetchPage(): Promise<unknown> {
    return Promise.all([this.#employee.load(), this.#everyone.load()])
  }

  protected override drawPage(): void {
    const employee = this.#employee.detail
    this.$el.html(template({ employee, fields: this.#fields(employee), managers: this.#managers(employee) }))
    this.landed(`Edit ${employee.firstName} ${employee.lastName}`)
  }

  #fields(employee: EmployeeDetail) {
    return FIELDS.map((field) => ({ ...field, value: employee[field.name] }))
  }

  #managers(employee: EmployeeDetail) {
    return this.#everyone.summaries
      .filter((e) => e.id !== employee.id)
      .sort((a, b) => a.lastName.localeCompare(b.lastName) || a.firstName.localeCompare(b.firstName))
  }

  async #save(event: JQuery.TriggeredEvent): Promise<void> {
    event.preventDefault()
    const form = this.$('form')
    clearFormError(form)
    setBusy(form, true)
    try {
      await this.#employee.saveInput(inputFrom(formValues(form)))
    } catch (error) {
      setBusy(form, false)
      showFormError(form, error)
      return
    }
    this.#app.session.notify('Changes saved.', 'success')
    this.#app.go(`employees/${this.#employee.id}`)
  }
}
