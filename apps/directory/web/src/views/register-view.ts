import type { AppContext } from '../app-context.ts'
import { clearFormError, formValues, setBusy, showFormError } from '../lib/form-state.ts'
import { PageView } from '../lib/page-view.ts'
import { template } from '../templates/register.jst'

/** Asks for an account (role `user`); logs it in where the server allows it, else points to the mail. */
export class RegisterView extends PageView {
  readonly #app: AppContext

  constructor(app: AppContext) {
    super()
    this.#app = app
    this.delegateEvents({ 'submit form': (event: JQuery.TriggeredEvent) => void this.#register(event) })
  }

  override render(): this {
    this.$el.html(template())
    this.landed('Register')
    return this
  }

  async #register(event: JQuery.TriggeredEvent): Promise<void> {
    event.preventDefault()
    const form = this.$('form')
    const { name = '', email = '', password = '' } = formValues(form)
    clearFormError(form)
    setBusy(form, true)
    try {
      await this.#app.client.register({ name, email, password })
    } catch (error) {
      setBusy(form, false)
      showFormError(form, error)
      return
    }
    // The server answers the same whether the address was free or taken: the mail tells which.
    try {
      this.#app.session.signIn(await this.#app.client.login(email, password))
    } catch {
      this.#app.session.notify('Check your inbox: we sent you a mail about your account.', 'info')
      this.#app.go('login')
      return
    }
    this.#app.session.notify(`Welcome, ${name}! Your account is ready.`, 'success')
    this.#app.auth.resume('')
  }
}
