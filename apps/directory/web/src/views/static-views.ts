import { PageView } from '../lib/page-view.ts'
import { template as about } from '../templates/about.jst'
import { template as notFound } from '../templates/not-found.jst'

/** About the app, and whom to contact. Public. */
export class AboutView extends PageView {
  override render(): this {
    this.$el.html(about())
    this.landed('About')
    return this
  }
}

/** Any route the app does not have. */
export class NotFoundView extends PageView {
  readonly #route: string

  constructor(route: string) {
    super()
    this.#route = route
  }

  override render(): this {
    this.$el.html(notFound({ route: this.#route }))
    this.landed('Page not found')
    return this
  }
}
