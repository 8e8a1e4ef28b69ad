import Backbone from 'backbone'
import type { AppContext } from '../app-context.ts'
import { clearFormError, formValues, setBusy, showFormError } from '../lib/form-state.ts'
import { withReauth } from '../lib/reauth.ts'
import { template } from '../templates/second-factor.jst'

interface MfaStatus {
  totp: boolean
  recoveryCodesLeft: number
  required: boolean
}

type Stage =
  | { stage: 'off'; required: boolean }
  | { stage: 'scan'; qrCode: string; secret: string }
  | { stage: 'codes'; recoveryCodes: string[] }
  | { stage: 'on'; recoveryCodesLeft: number }

/**
 * The account page's "Two-step verification" card: set up an authenticator app (QR code drawn
 * by the server, key shown as text, first code confirms), recovery codes shown once, new codes,
 * turn off. Changing it asks for a fresh proof first (the re-authentication dialog).
 */
export class SecondFactorPanel extends Backbone.View {
  readonly #app: AppContext

  constructor(app: AppContext, el: HTMLElement) {
    super({ el })
    this.#app = app
    this.delegateEvents({
      'click [data-action="totp-begin"]': () => void this.#run(() => this.#begin()),
      'submit [data-role="totp-confirm-form"]': (event: JQuery.TriggeredEvent) => void this.#confirm(event),
      'click [data-action="totp-done"]': () => void this.#run(() => this.load()),
      'click [data-action="totp-new-codes"]': () => void this.#run(() => this.#newCodes()),
      'click [data-action="totp-disable"]': () => void this.#run(() => this.#disable()),
    })
  }

  async load(): Promise<void> {
    const status = await this.#app.client.request<MfaStatus>('/auth/mfa')
    this.#draw(
      status.totp
        ? { stage: 'on', recoveryCodesLeft: status.recoveryCodesLeft }
        : { stage: 'off', required: status.required },
    )
  }

  #draw(stage: Stage): void {
    this.$el.html(template(stage))
  }

  async #run(step: () => Promise<void>): Promise<void> {
    const card = this.$('[data-role="second-factor"]')
    clearFormError(card)
    try {
      await step()
    } catch (error) {
      showFormError(this.$('[data-role="second-factor"]'), error)
    }
  }

  async #begin(): Promise<void> {
    const post = () =>
      this.#app.client.request<{ qrCode: string; secret: string }>('/auth/mfa/totp', {
        method: 'POST',
        json: {},
      })
    const { qrCode, secret } = await withReauth(this.#app, post)
    this.#draw({ stage: 'scan', qrCode, secret })
    this.$('[name="code"]').trigger('focus')
  }

  async #confirm(event: JQuery.TriggeredEvent): Promise<void> {
    event.preventDefault()
    const form = this.$('[data-role="totp-confirm-form"]')
    const { code = '' } = formValues(form)
    setBusy(form, true)
    try {
      const { recoveryCodes } = await this.#app.client.request<{ recoveryCodes: string[] }>(
        '/auth/mfa/totp/confirm',
        { method: 'POST', json: { code } },
      )
      this.#draw({ stage: 'codes', recoveryCodes })
    } catch (error) {
      setBusy(form, false)
      showFormError(this.$('[data-role="second-factor"]'), error)
    }
  }

  async #newCodes(): Promise<void> {
    const post = () =>
      this.#app.client.request<{ recoveryCodes: string[] }>('/auth/mfa/recovery-codes', {
        method: 'POST',
        json: {},
      })
    const { recoveryCodes } = await withReauth(this.#app, post)
    this.#draw({ stage: 'codes', recoveryCodes })
  }

  async #disable(): Promise<void> {
    await withReauth(this.#app, () => this.#app.client.fetch('/auth/mfa/totp', { method: 'DELETE' }))
    await this.load()
  }
}
