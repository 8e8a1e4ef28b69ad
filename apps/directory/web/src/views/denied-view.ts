import type { AppContext } from '../app-context.ts'
import { explainDenial } from '../lib/explain-denial.ts'
import { type Template, TemplatePageView } from '../lib/template-page-view.ts'
import { template } from '../templates/denied.jst'

/** The 403 page: says who you are, what you tried and why it is refused, instead of a blank page. */
export class DeniedView extends TemplatePageView {
  /** `page` lets the mobile client use its own markup. */
  constructor(app: AppContext, page: Template = template) {
    super(app, page)
  }

  override render(): this {
    const { session } = this.app
    this.draw({ user: session.user, ...explainDenial(session.deniedFrom) }, 'Access denied')
    return this
  }
}
