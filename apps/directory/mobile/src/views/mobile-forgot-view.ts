import { clearFormError, formValues, setBusy, showFormError } from '../../../web/src/lib/form-state.ts'
import { PageView } from '../../../web/src/lib/page-view.ts'
import type { MobileContext } from '../mobile-context.ts'
import { template } from '../templates/forgot.jst'

/**
 * Forgot password on the phone: the app cannot open the mail's link into itself, so the mail's
 * 6-digit code is typed here with the new password (five tries, then ask for a new mail).
 */
export class MobileForgotView extends PageView {
  readonly #app: MobileContext
  #email = ''

  constructor(app: MobileContext) {
    super()
    this.#app = app
    this.delegateEvents({
      'submit [data-role="forgot-form"]': (event: JQuery.TriggeredEvent) => void this.#send(event),
      'submit [data-role="code-form"]': (event: JQuery.TriggeredEvent) => void this.#reset(event),
    })
  }

  override render(): this {
    this.$el.html(template({ step: 'email' }))
    this.landed('Forgot password')
    return this
  }

  async #send(event: JQuery.TriggeredEvent): Promise<void> {
    event.preventDefault()
    const form = this.$('[data-role="forgot-form"]')
    this.#email = formValues(form).email ?? ''
    clearFormError(form)
    setBusy(form, true)
    try {
      await this.#app.client.accountLink('/auth/password/forgot', { email: this.#email })
    } catch (error) {
      setBusy(form, false)
      showFormError(form, error)
      return
    }
    form.addClass('d-none')
    this.$('[data-role="code-form"]').removeClass('d-none')
    this.$('[name="code"]').trigger('focus')
  }

  async #reset(event: JQuery.TriggeredEvent): Promise<void> {
    event.preventDefault()
    const form = this.$('[data-role="code-form"]')
    const { code = '', newPassword = '' } = formValues(form)
    clearFormError(form)
    setBusy(form, true)
    try {
      await this.#app.client.accountLink('/auth/password/reset', { code, email: this.#email, newPassword })
    } catch (error) {
      setBusy(form, false)
      showFormError(form, error)
      return
    }
    this.#app.session.notify('Your password was changed. Log in with the new one.', 'success')
    this.#app.go('login')
  }
}
