import type { AppContext } from '../app-context.ts'
import { clearFormError, formValues, setBusy, showFormError } from '../lib/form-state.ts'
import { showProviderButtons, takeProviderRefusal } from '../lib/provider-sign-in.ts'
import { type Template, TemplatePageView } from '../lib/template-page-view.ts'
import { template } from '../templates/login.jst'

/**
 * The login form. Errors stay in the form (wrong password, "try again in N s", no
 * connection); after a login the user goes back to the page a 401 interrupted (the
 * adapter's `returnTo`), or home.
 */
export class LoginView extends TemplatePageView {
  /** `page` lets the mobile client use its own markup with the same behaviour. */
  constructor(app: AppContext, page: Template = template) {
    super(app, page)
    this.delegateEvents({ 'submit form': (event: JQuery.TriggeredEvent) => void this.#logIn(event) })
  }

  override render(): this {
    const notice = this.app.session.takeNotice()?.text
    const wanted = this.app.auth.returnTo ? 'Please log in to see that page.' : undefined
    this.draw({ notice: notice ?? wanted }, 'Log in')
    void showProviderButtons(this.$('[data-region="providers"]'), this.app)
    const refusal = takeProviderRefusal()
    if (refusal !== undefined) this.$('[data-role="form-error"]').text(refusal).removeClass('d-none')
    return this
  }

  async #logIn(event: JQuery.TriggeredEvent): Promise<void> {
    event.preventDefault()
    const form = this.$('form')
    const { email = '', password = '' } = formValues(form)
    clearFormError(form)
    if (email === '' || password === '') {
      form
        .find('[data-role="form-error"]')
        .text('Enter your email address and password.')
        .removeClass('d-none')
      form.find(email === '' ? '[name="email"]' : '[name="password"]').trigger('focus')
      return
    }
    setBusy(form, true)
    try {
      const user = await this.app.client.login(email, password)
      this.app.session.signIn(user)
    } catch (error) {
      setBusy(form, false)
      showFormError(form, error)
      form.find('[name="password"]').trigger('select')
      return
    }
    this.app.auth.resume('')
  }
}
