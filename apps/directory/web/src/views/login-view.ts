import { type SecondFactorProof, TesseraError, type User } from '@tessera/client'
import type { AppContext } from '../app-context.ts'
import { describeError } from '../lib/describe-error.ts'
import { clearFormError, formValues, setBusy, showFormError } from '../lib/form-state.ts'
import { passkeyProof } from '../lib/passkey-proof.ts'
import { logInWithPasskey } from '../lib/passkeys.ts'
import { showProviderButtons, takeProviderRefusal } from '../lib/provider-sign-in.ts'
import { type Template, TemplatePageView } from '../lib/template-page-view.ts'
import { template } from '../templates/login.jst'
import { template as secondStep } from '../templates/login-second-step.jst'

/**
 * The login form. Errors stay in the form (wrong password, "try again in N s", no
 * connection); after a login the user goes back to the page a 401 interrupted (the
 * adapter's `returnTo`), or home.
 */
export class LoginView extends TemplatePageView {
  /** Set once the password was right and the account has a second factor (`mfa_required`). */
  #challenge: string | undefined

  /** `page` lets the mobile client use its own markup with the same behaviour. */
  constructor(app: AppContext, page: Template = template) {
    super(app, page)
    this.delegateEvents({
      'submit form': (event: JQuery.TriggeredEvent) =>
        void (this.#challenge === undefined ? this.#logIn(event) : this.#verify(event)),
      'click [data-action="passkey-login"]': () => void this.#withPasskey(false),
      'click [data-action="second-step-passkey"]': () =>
        void this.#verifyWith(passkeyProof(this.app).then((passkey) => ({ passkey }))),
    })
  }

  /**
   * A passkey login, from the button (the browser's picker) or from the email field's
   * suggestions (conditional UI, started with the page and left waiting). A passkey with user
   * verification is both factors: no second step follows.
   */
  async #withPasskey(autofill: boolean): Promise<void> {
    const form = this.$('form')
    if (!autofill) clearFormError(form)
    let user: User | undefined
    try {
      user = await logInWithPasskey(this.app, autofill)
    } catch (error) {
      // The picker closed or a newer ceremony replaced this one: nothing to tell.
      if (error instanceof TesseraError) showFormError(form, error)
      else if (!autofill) showFormError(form, new Error('passkey'))
      return
    }
    if (user === undefined) return
    this.app.session.signIn(user)
    this.app.auth.resume('')
  }

  override render(): this {
    const notice = this.app.session.takeNotice()?.text
    const wanted = this.app.auth.returnTo ? 'Please log in to see that page.' : undefined
    this.draw({ notice: notice ?? wanted }, 'Log in')
    void showProviderButtons(this.$('[data-region="providers"]'), this.app)
    const refusal = takeProviderRefusal()
    if (refusal !== undefined) this.$('[data-role="form-error"]').text(refusal).removeClass('d-none')
    if (this.$('[data-action="passkey-login"]').length > 0) void this.#withPasskey(true)
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
      if (error instanceof TesseraError && error.code === 'mfa_required') return this.#askSecondStep(error)
      showFormError(form, error)
      form.find('[name="password"]').trigger('select')
      return
    }
    this.app.auth.resume('')
  }

  #askSecondStep(error: TesseraError): void {
    this.#challenge = String(error.problem?.challenge ?? '')
    this.$el.html(secondStep())
    this.$('[name="code"]').trigger('focus')
  }

  /** The second step: a 6-digit TOTP code, or anything else as a recovery code. */
  async #verify(event: JQuery.TriggeredEvent): Promise<void> {
    event.preventDefault()
    const { code = '' } = formValues(this.$('form'))
    await this.#verifyWith(Promise.resolve(/^\d{6}$/.test(code) ? { code } : { recoveryCode: code }))
  }

  /** Sends the second step's proof (a code, a recovery code or a passkey assertion) with the challenge. */
  async #verifyWith(proof: Promise<SecondFactorProof>): Promise<void> {
    const form = this.$('form')
    clearFormError(form)
    setBusy(form, true)
    try {
      this.app.session.signIn(await this.app.client.completeLogin(this.#challenge ?? '', await proof))
    } catch (error) {
      setBusy(form, false)
      showFormError(form, error)
      if (error instanceof TesseraError && error.code === 'invalid_challenge') {
        this.app.session.notify(describeError(error), 'warning')
        this.#challenge = undefined
        this.render()
      }
      return
    }
    this.app.auth.resume('')
  }
}
