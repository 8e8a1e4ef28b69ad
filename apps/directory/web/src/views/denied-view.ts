import type { AppContext } from '../app-context.ts'
import { explainDenial } from '../lib/explain-denial.ts'
import { PageView } from '../lib/page-view.ts'
import { template } from '../templates/denied.jst'

/** The 403 page: says who you are, what you tried and why it is refused, instead of a blank page. */
export class DeniedView extends PageView {
  readonly #app: AppContext
  readonly #template: typeof template

  /** `page` lets the mobile client use its own markup. */
  constructor(app: AppContext, page: typeof template = template) {
    super()
    this.#app = app
    this.#template = page
  }

  override render(): this {
    const { session } = this.#app
    this.$el.html(this.#template({ user: session.user, ...explainDenial(session.deniedFrom) }))
    this.landed('Access denied')
    return this
  }
}
