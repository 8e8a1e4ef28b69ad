import type { AppContext } from '../app-context.ts'
import { PageView } from './page-view.ts'

/** A precompiled Underscore template (see `jst.d.ts`). */
export type Template = (data?: object) => string

/**
 * A page drawn from a template the front-end picks: the web app passes its own, the mobile
 * client its markup for the same behaviour.
 */
export class TemplatePageView extends PageView {
  readonly #app: AppContext
  readonly #template: Template

  constructor(app: AppContext, template: Template) {
    super()
    this.#app = app
    this.#template = template
  }

  protected get app(): AppContext {
    return this.#app
  }

  /** Draws the template with `data`, then lands on the page as `title`. */
  protected draw(data: object, title: string): void {
    this.$el.html(this.#template(data))
    this.landed(title)
  }
}
