import type { AppContext } from '../app-context.ts'
import { describeError } from '../lib/describe-error.ts'
import { PageView } from '../lib/page-view.ts'
import { withReauth } from '../lib/reauth.ts'
import { template as issuedKey } from '../templates/issued-key.jst'
import { template as notice } from '../templates/notice.jst'
import { template } from '../templates/users.jst'

interface AdminUser {
  id: number
  name: string
  email: string
  role: string
  disabled: boolean
}

interface IssuedKey {
  id: string
  secret?: string
  expiresAt: string
}

/**
 * The admin's user list, with "Issue key": a signing key for that account (a script, a
 * service), after a fresh proof of the admin. The secret is shown here once; reloading the
 * page forgets it, as the server never stores it.
 */
export class UsersView extends PageView {
  readonly #app: AppContext

  constructor(app: AppContext) {
    super()
    this.#app = app
    this.delegateEvents({
      'click [data-action="issue-key"]': (event: JQuery.TriggeredEvent) =>
        void this.#issue(Number(this.$(event.currentTarget).data('id'))),
    })
  }

  override render(): this {
    void this.#load()
    return this
  }

  async #load(): Promise<void> {
    try {
      const { users } = await this.#app.client.request<{ users: AdminUser[] }>('/auth/admin/users?limit=200')
      this.$el.html(template({ users }))
    } catch (error) {
      this.showError(error, { retry: () => void this.#load() })
      return
    }
    this.landed('Users')
  }

  async #issue(id: number): Promise<void> {
    this.$('[data-region="notice"]').empty()
    const issue = () =>
      this.#app.client.request<{ user: AdminUser; key: IssuedKey }>(`/auth/admin/users/${id}/keys`, {
        method: 'POST',
        json: { label: 'issued from the directory' },
      })
    try {
      const { user, key } = await withReauth(this.#app, issue)
      const until = new Date(key.expiresAt).toLocaleDateString()
      this.$('[data-region="issued"]').html(
        issuedKey({ name: user.name, id: key.id, secret: key.secret, until }),
      )
    } catch (error) {
      this.$('[data-region="notice"]').html(notice({ text: describeError(error), tone: 'danger' }))
    }
  }
}
