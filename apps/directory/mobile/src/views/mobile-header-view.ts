import Backbone from 'backbone'
import { describeError } from '../../../web/src/lib/describe-error.ts'
import { template as errorAlert } from '../../../web/src/lib/templates/error-alert.jst'
import { logOut } from '../../../web/src/log-out.ts'
import type { MobileContext } from '../mobile-context.ts'
import { template } from '../templates/header.jst'

/** The app bar: title, and the user with "Log out" (which revokes this device's key). */
export class MobileHeaderView extends Backbone.View {
  readonly #app: MobileContext

  constructor(app: MobileContext, el: HTMLElement) {
    super({ el })
    this.#app = app
    this.listenTo(app.session, 'change:user', () => this.render())
    this.delegateEvents({ 'click [data-action="logout"]': () => void this.#logOut() })
  }

  override render(): this {
    this.$el.html(template({ user: this.#app.session.user }))
    return this
  }

  async #logOut(): Promise<void> {
    const region = this.$('[data-region="header-error"]').empty()
    try {
      await logOut(this.#app, 'You are logged out. The key of this device was revoked and deleted.')
    } catch (error) {
      region.html(errorAlert({ message: describeError(error) }))
    }
  }
}
