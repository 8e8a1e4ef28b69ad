import type { AppContext } from '../app-context.ts'
import { describeError } from '../lib/describe-error.ts'
import { clearFormError, formValues, setBusy, showFormError } from '../lib/form-state.ts'
import { PageView } from '../lib/page-view.ts'
import { template as forgot } from '../templates/forgot.jst'
import { template as linkResult } from '../templates/link-result.jst'
import { template as passwordPage } from '../templates/reset.jst'

/** Link tokens are 43 base64url characters; anything else is refused before a call. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/
const INVALID_LINK = 'This link is not valid. Ask for a new mail.'

/** Links work logged out: sent without a credential (no CSRF round trip, no login redirect). */
export function post(app: AppContext, path: string, json: object): Promise<unknown> {
  return app.client.accountLink(path, json)
}

/** "Forgot password?": the same message whatever the address (the server answers the same). */
export class ForgotView extends PageView {
  readonly #app: AppContext

  constructor(app: AppContext) {
    super()
    this.#app = app
    this.delegateEvents({ 'submit form': (event: JQuery.TriggeredEvent) => void this.#send(event) })
  }

  override render(): this {
    this.$el.html(forgot())
    this.landed('Forgot password')
    return this
  }

  async #send(event: JQuery.TriggeredEvent): Promise<void> {
    event.preventDefault()
    const form = this.$('form')
    clearFormError(form)
    setBusy(form, true)
    try {
      await post(this.#app, '/auth/password/forgot', { email: formValues(form).email ?? '' })
    } catch (error) {
      showFormError(form, error)
      return
    } finally {
      setBusy(form, false)
    }
    this.$('[data-role="sent"]')
      .text('If the address has an account, a mail with a link is on its way. It works for 30 minutes.')
      .removeClass('d-none')
  }
}

interface PasswordPageText {
  heading: string
  action: string
  title: string
}

/** A page with one new-password field that spends a link's token: the reset page and the invitation page. */
export abstract class PasswordLinkView extends PageView {
  protected readonly app: AppContext
  protected readonly token: string

  constructor(app: AppContext, token: string) {
    super()
    this.app = app
    this.token = token
    this.delegateEvents({
      'submit form': (event: JQuery.TriggeredEvent) => void this.#submit(event),
      'click [data-action="invitation-passkey"]': () => void this.usePasskey(),
    })
  }

  protected abstract text(): PasswordPageText
  protected abstract intro(): Promise<string | undefined>
  protected abstract spend(password: string): Promise<void>

  /** Whether the page offers a passkey instead of the password (the invitation page, where WebAuthn works). */
  protected offersPasskey(): boolean {
    return false
  }

  /** Spends the link with a passkey instead (only where `offersPasskey`). */
  protected async usePasskey(): Promise<void> {}

  override render(): this {
    void this.#draw()
    return this
  }

  async #draw(): Promise<void> {
    const { heading, action, title } = this.text()
    try {
      if (!TOKEN.test(this.token)) throw new Error('not a token')
      const intro = await this.intro()
      this.$el.html(passwordPage({ heading, action, intro, passkey: this.offersPasskey() }))
    } catch (error) {
      const text = TOKEN.test(this.token) ? describeError(error) : INVALID_LINK
      this.$el.html(
        linkResult({ heading, tone: 'danger', text, next: 'forgot', nextLabel: 'Ask for a new link' }),
      )
    }
    this.landed(title)
  }

  async #submit(event: JQuery.TriggeredEvent): Promise<void> {
    event.preventDefault()
    const form = this.$('form')
    clearFormError(form)
    setBusy(form, true)
    try {
      await this.spend(formValues(form).password ?? '')
    } catch (error) {
      setBusy(form, false)
      showFormError(form, error)
    }
  }
}

/** The reset page (from the mail's link): a new password; every session and key is signed out. */
export class ResetView extends PasswordLinkView {
  protected text() {
    return { heading: 'Choose a new password', action: 'Set the new password', title: 'Reset password' }
  }

  protected async intro() {
    return 'Every session and key of your account will be signed out.'
  }

  protected async spend(password: string) {
    await post(this.app, '/auth/password/reset', { token: this.token, newPassword: password })
    this.app.session.notify('Your password was changed. Log in with the new one.', 'success')
    this.app.go('login')
  }
}

interface LinkAction {
  path: string
  heading: string
  title: string
  done: string
}

export const LINK_ACTIONS = {
  verify: {
    path: '/auth/email/verify',
    heading: 'Email address',
    title: 'Verify email',
    done: 'Thank you: your email address is verified.',
  },
  confirm: {
    path: '/auth/email/confirm',
    heading: 'New email address',
    title: 'Confirm email',
    done: 'Your new email address is confirmed.',
  },
  undo: {
    path: '/auth/email/undo',
    heading: 'Email change undone',
    title: 'Undo email change',
    done: 'Your old address is back and every session and key is signed out. Log in, then choose a new password.',
  },
} as const satisfies Record<string, LinkAction>

/** A link that acts when opened (verify, confirm, undo): says what happened, or why not. */
export class LinkActionView extends PageView {
  readonly #app: AppContext
  readonly #action: LinkAction
  readonly #token: string

  constructor(app: AppContext, action: LinkAction, token: string) {
    super()
    this.#app = app
    this.#action = action
    this.#token = token
  }

  override render(): this {
    void this.#run()
    return this
  }

  async #run(): Promise<void> {
    const { heading, title, done, path } = this.#action
    this.showLoading('One moment…')
    let text: string = done
    let tone = 'success'
    try {
      if (!TOKEN.test(this.#token)) throw new Error('not a token')
      await post(this.#app, path, { token: this.#token })
    } catch (error) {
      tone = 'danger'
      text = TOKEN.test(this.#token) ? describeError(error) : INVALID_LINK
    }
    const signedIn = this.#app.session.user !== null && path !== LINK_ACTIONS.undo.path
    this.$el.html(
      linkResult({
        heading,
        tone,
        text,
        next: signedIn ? 'account' : 'login',
        nextLabel: signedIn ? 'Your account' : 'Log in',
      }),
    )
    this.landed(title)
  }
}
