import Backbone from 'backbone'
import type { AppContext } from '../app-context.ts'
import { describeError } from '../lib/describe-error.ts'
import { template as errorAlert } from '../lib/templates/error-alert.jst'
import { logOut } from '../log-out.ts'
import { template } from '../templates/header.jst'
import { SearchBox } from './search-box.ts'

/** The top bar: navigation, the search box and the user's name, role and "Log out" once logged in. */
export class HeaderView extends Backbone.View {
  readonly #app: AppContext
  #search: SearchBox | undefined

  constructor(app: AppContext, el: HTMLElement) {
    super({ el })
    this.#app = app
    this.listenTo(app.session, 'change:user', () => this.render())
    this.delegateEvents({ 'click [data-action="logout"]': () => void this.#logOut() })
  }

  override render(): this {
    this.#search?.remove()
    this.#search = undefined
    const user = this.#app.session.user
    this.$el.html(template({ user }))
    if (user !== null) {
      this.#search = new SearchBox(this.#app)
      this.$('[data-region="search"]').append(this.#search.render().el)
    }
    return this
  }

  async #logOut(): Promise<void> {
    const region = this.$('[data-region="header-error"]').empty()
    try {
      await logOut(this.#app)
    } catch (error) {
      region.html(errorAlert({ message: describeError(error) }))
    }
  }
}
