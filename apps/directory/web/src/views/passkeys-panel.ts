import Backbone from 'backbone'
import type { AppContext } from '../app-context.ts'
import { clearFormError, showFormError } from '../lib/form-state.ts'
import { addPasskey } from '../lib/passkeys.ts'
import { withReauth } from '../lib/reauth.ts'
import { template } from '../templates/passkeys.jst'

interface PasskeyInfo {
  id: string
  name: string
  backedUp: boolean
  createdAt: string
  lastUsedAt: string | null
}

function when(iso: string | null): string {
  return iso === null
    ? 'never'
    : new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })
}

/** The account page's "Passkeys" card: add one for this device, rename, remove (after a fresh proof). */
export class PasskeysPanel extends Backbone.View {
  readonly #app: AppContext

  constructor(app: AppContext, el: HTMLElement) {
    super({ el })
    this.#app = app
    const id = (event: JQuery.TriggeredEvent) => String(this.$(event.currentTarget).data('id'))
    this.delegateEvents({
      'click [data-action="passkey-add"]': () => void this.#run(() => addPasskey(this.#app)),
      'click [data-action="passkey-rename"]': (event: JQuery.TriggeredEvent) =>
        void this.#run(() => this.#rename(id(event))),
      'click [data-action="passkey-remove"]': (event: JQuery.TriggeredEvent) =>
        void this.#run(() => this.#remove(id(event))),
    })
  }

  async load(): Promise<void> {
    const { passkeys } = await this.#app.client.request<{ passkeys: PasskeyInfo[] }>('/auth/passkeys')
    const rows = passkeys.map((p) => ({ ...p, createdAt: when(p.createdAt), lastUsedAt: when(p.lastUsedAt) }))
    this.$el.html(template({ passkeys: rows }))
  }

  async #run(step: () => Promise<unknown>): Promise<void> {
    clearFormError(this.$('[data-role="passkeys"]'))
    try {
      await step()
      await this.load()
    } catch (error) {
      showFormError(this.$('[data-role="passkeys"]'), error)
    }
  }

  #rename(id: string): Promise<unknown> {
    const name = String(this.$(`[data-passkey="${CSS.escape(id)}"] [name="name"]`).val() ?? '').trim()
    const path = `/auth/passkeys/${encodeURIComponent(id)}`
    return this.#app.client.fetch(path, {
      method: 'PATCH',
      body: JSON.stringify({ name }),
      headers: { 'content-type': 'application/json' },
    })
  }

  #remove(id: string): Promise<unknown> {
    const path = `/auth/passkeys/${encodeURIComponent(id)}`
    return withReauth(this.#app, () => this.#app.client.fetch(path, { method: 'DELETE' }))
  }
}
