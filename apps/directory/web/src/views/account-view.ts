import type { CredentialInfo } from '@tessera/client'
import type { AppContext } from '../app-context.ts'
import { describeError } from '../lib/describe-error.ts'
import { deviceName } from '../lib/device-name.ts'
import { clearFormError, formValues, setBusy, showFormError } from '../lib/form-state.ts'
import { showLinkedIdentities } from '../lib/linked-identities.ts'
import { PageView } from '../lib/page-view.ts'
import { withReauth } from '../lib/reauth.ts'
import { logOut } from '../log-out.ts'
import { template } from '../templates/account.jst'
import { template as table } from '../templates/credentials.jst'
import { template as notice } from '../templates/notice.jst'
import { PasskeysPanel } from './passkeys-panel.ts'
import { SecondFactorPanel } from './second-factor-panel.ts'
import { showNotice } from './show-notice.ts'

const TYPE_LABELS: Record<CredentialInfo['type'], string> = {
  session: 'Browser session',
  hmac: 'API key (HMAC)',
  device: 'Device key',
}

function when(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })
}

function rowOf(c: CredentialInfo) {
  return {
    ...c,
    typeLabel: TYPE_LABELS[c.type] ?? c.type,
    device: deviceName(c.label),
    createdAt: when(c.createdAt),
    lastUsedAt: when(c.lastUsedAt),
    expiresAt: when(c.expiresAt),
  }
}

/**
 * The user's account: profile, every live session and key with "Revoke" (the current one
 * logs out), "Sign out everywhere", and the password change form with the server's
 * password-rule messages.
 */
export class AccountView extends PageView {
  readonly #app: AppContext
  #credentials: CredentialInfo[] = []

  constructor(app: AppContext) {
    super()
    this.#app = app
    this.delegateEvents({
      'click [data-action="revoke"]': (event: JQuery.TriggeredEvent) =>
        void this.#revoke(String(this.$(event.currentTarget).data('id'))),
      'click [data-action="sign-out-everywhere"]': () => void this.#signOutEverywhere(),
      'submit [data-role="password-form"]': (event: JQuery.TriggeredEvent) =>
        void this.#changePassword(event),
      'submit [data-role="email-form"]': (event: JQuery.TriggeredEvent) => void this.#changeEmail(event),
      'click [data-action="resend-verification"]': () => void this.#resendVerification(),
    })
  }

  override render(): this {
    void this.#load()
    return this
  }

  async #load(): Promise<void> {
    this.showLoading('Loading your account…')
    try {
      const [me, credentials, email] = await Promise.all([
        this.#app.client.me(),
        this.#app.client.credentials(),
        this.#app.client.request<{ email: string; verified: boolean }>('/auth/email'),
      ])
      this.#app.session.signIn(me.user)
      this.#credentials = credentials
      this.$el.html(template({ user: me.user, email }))
    } catch (error) {
      this.showError(error, { retry: () => void this.#load() })
      return
    }
    this.#renderCredentials()
    void showLinkedIdentities(this.$('[data-region="identities"]'), this.#app)
    const panel = new SecondFactorPanel(
      this.#app,
      this.$('[data-region="second-factor"]').get(0) as HTMLElement,
    )
    void panel.load().catch(() => {})
    const passkeys = new PasskeysPanel(this.#app, this.$('[data-region="passkeys"]').get(0) as HTMLElement)
    void passkeys.load().catch(() => {})
    showNotice(this.$el, this.#app.session)
    this.landed('Your account')
  }

  #renderCredentials(): void {
    this.$('[data-region="credentials"]').html(table({ credentials: this.#credentials.map(rowOf) }))
  }

  async #reloadCredentials(): Promise<void> {
    this.#credentials = await this.#app.client.credentials()
    this.#renderCredentials()
  }

  #tell(text: string, tone: 'success' | 'danger'): void {
    this.$('[data-region="notice"]').html(notice({ text, tone }))
    this.$('[data-region="notice"] [data-action="dismiss"]').one('click', () =>
      this.$('[data-region="notice"]').empty(),
    )
  }

  async #revoke(id: string): Promise<void> {
    try {
      if (this.#credentials.find((c) => c.id === id)?.current) return await logOut(this.#app)
      await this.#app.client.revoke(id)
      await this.#reloadCredentials()
      this.#tell('Revoked: that session or key no longer works.', 'success')
    } catch (error) {
      this.#tell(describeError(error), 'danger')
    }
  }

  /** Revokes every other credential, then ends this session. */
  async #signOutEverywhere(): Promise<void> {
    try {
      for (const c of this.#credentials.filter((c) => !c.current)) await this.#app.client.revoke(c.id)
      await logOut(this.#app, 'You are signed out everywhere.')
    } catch (error) {
      this.#tell(describeError(error), 'danger')
    }
  }

  /** Asks for the change; nothing changes until the new address's link is followed. */
  async #changeEmail(event: JQuery.TriggeredEvent): Promise<void> {
    event.preventDefault()
    const form = this.$('[data-role="email-form"]')
    const { newEmail = '', currentPassword = '' } = formValues(form)
    clearFormError(form)
    setBusy(form, true)
    try {
      // Critical: a stale login gets the re-authentication dialog, then the same request again.
      const json = currentPassword === '' ? { newEmail } : { newEmail, currentPassword }
      await withReauth(this.#app, () =>
        this.#app.client.request('/auth/email/change', { method: 'POST', json }),
      )
    } catch (error) {
      setBusy(form, false)
      showFormError(form, error)
      return
    }
    setBusy(form, false)
    ;(form.get(0) as HTMLFormElement).reset()
    this.#tell(`Check the inbox of ${newEmail}: follow the link there to finish the change.`, 'success')
  }

  async #resendVerification(): Promise<void> {
    try {
      const { email } = await this.#app.client.request<{ email: string }>('/auth/email')
      await this.#app.client.request('/auth/email/verify/resend', { method: 'POST', json: { email } })
      this.#tell('A new link is on its way.', 'success')
    } catch (error) {
      this.#tell(describeError(error), 'danger')
    }
  }

  async #changePassword(event: JQuery.TriggeredEvent): Promise<void> {
    event.preventDefault()
    const form = this.$('[data-role="password-form"]')
    const values = formValues(form)
    clearFormError(form)
    setBusy(form, true)
    try {
      // An account made with a passkey has no current password: the field stays empty.
      const current = values.currentPassword === '' ? undefined : values.currentPassword
      await withReauth(this.#app, () => this.#app.client.changePassword(current, values.newPassword ?? ''))
    } catch (error) {
      setBusy(form, false)
      showFormError(form, error)
      return
    }
    setBusy(form, false)
    ;(form.get(0) as HTMLFormElement).reset()
    this.#tell('Password changed. Your other sessions and keys are signed out.', 'success')
    await this.#reloadCredentials().catch(() => {})
  }
}
