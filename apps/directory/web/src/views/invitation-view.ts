import { browserSupportsWebAuthn, startRegistration } from '@simplewebauthn/browser'
import { TesseraError } from '@tessera/client'
import { describeError } from '../lib/describe-error.ts'
import { deviceName } from '../lib/device-name.ts'
import { PasswordLinkView, post } from './account-link-views.ts'

type CreationOptions = Parameters<typeof startRegistration>[0]['optionsJSON']

/** The invitation page: who is invited, and a password (or a passkey) to start; then logged in. */
export class InvitationView extends PasswordLinkView {
  #email = ''

  protected text() {
    return { heading: 'Welcome aboard', action: 'Create my account', title: 'Invitation' }
  }

  protected async intro() {
    const { invitation } = (await post(this.app, '/auth/invitations/inspect', { token: this.token })) as {
      invitation: { email: string; name: string }
    }
    this.#email = invitation.email
    return `${invitation.name}, choose a password for ${invitation.email}.`
  }

  protected async spend(password: string) {
    await post(this.app, '/auth/invitations/accept', { token: this.token, password })
    this.app.session.signIn(await this.app.client.login(this.#email, password))
    this.app.session.notify('Your account is ready.', 'success')
    this.app.go('')
  }

  protected override offersPasskey(): boolean {
    return browserSupportsWebAuthn()
  }

  /** The passkey instead of a password: the account is made with it (no password), and logged in. */
  protected override async usePasskey(): Promise<void> {
    const box = this.$('[data-role="passkey-choice"]')
    box.find('[data-role="passkey-error"]').addClass('d-none')
    box.find('button').prop('disabled', true)
    try {
      const user = await this.app.client.acceptInvitationWithPasskey(
        this.token,
        (options) => startRegistration({ optionsJSON: options as CreationOptions }),
        deviceName(navigator.userAgent).slice(0, 100) || 'Passkey',
      )
      this.app.session.signIn(user)
    } catch (error) {
      box.find('button').prop('disabled', false)
      const text = error instanceof TesseraError ? describeError(error) : 'No passkey was created.'
      box.find('[data-role="passkey-error"]').text(text).removeClass('d-none')
      return
    }
    this.app.session.notify('Your account is ready. Sign in with your passkey next time.', 'success')
    this.app.go('')
  }
}
