import type { AppContext } from '../app-context.ts'
import { describeError } from '../lib/describe-error.ts'
import { clearFormError, formValues, setBusy, showFormError } from '../lib/form-state.ts'
import { PageView } from '../lib/page-view.ts'
import { template } from '../templates/invitations.jst'
import { template as notice } from '../templates/notice.jst'

interface Invitation {
  id: string
  email: string
  name: string
  role: string
  status: string
  expiresAt: string
}

/** The admin's invitations: invite a colleague by email, see each invitation's status, revoke a pending one. */
export class InvitationsView extends PageView {
  readonly #app: AppContext

  constructor(app: AppContext) {
    super()
    this.#app = app
    this.delegateEvents({
      'submit [data-role="invite-form"]': (event: JQuery.TriggeredEvent) => void this.#invite(event),
      'click [data-action="revoke-invitation"]': (event: JQuery.TriggeredEvent) =>
        void this.#revoke(String(this.$(event.currentTarget).data('id'))),
    })
  }

  override render(): this {
    void this.#load()
    return this
  }

  async #load(message?: string): Promise<void> {
    try {
      const { invitations } = await this.#app.client.request<{ invitations: Invitation[] }>(
        '/auth/admin/invitations',
      )
      const rows = invitations.map((i) => ({ ...i, until: new Date(i.expiresAt).toLocaleDateString() }))
      this.$el.html(template({ invitations: rows }))
    } catch (error) {
      this.showError(error, { retry: () => void this.#load() })
      return
    }
    if (message) this.#tell(message, 'success')
    this.landed('Invitations')
  }

  #tell(text: string, tone: 'success' | 'danger'): void {
    this.$('[data-region="notice"]').html(notice({ text, tone }))
  }

  async #invite(event: JQuery.TriggeredEvent): Promise<void> {
    event.preventDefault()
    const form = this.$('[data-role="invite-form"]')
    const { name = '', email = '', role = 'user' } = formValues(form)
    clearFormError(form)
    setBusy(form, true)
    try {
      await this.#app.client.request('/auth/admin/invitations', {
        method: 'POST',
        json: { name, email, role },
      })
    } catch (error) {
      setBusy(form, false)
      showFormError(form, error)
      return
    }
    await this.#load(`Invitation sent to ${email}.`)
  }

  async #revoke(id: string): Promise<void> {
    try {
      await this.#app.client.request(`/auth/admin/invitations/${encodeURIComponent(id)}`, {
        method: 'DELETE',
      })
      await this.#load('Invitation revoked: its link no longer works.')
    } catch (error) {
      this.#tell(describeError(error), 'danger')
    }
  }
}
