import _ from 'underscore'
import { PageView } from '../../../web/src/lib/page-view.ts'
import { EmployeeList } from '../../../web/src/models/employee.ts'
import { showNotice } from '../../../web/src/views/show-notice.ts'
import type { MobileContext } from '../mobile-context.ts'
import { template as results } from '../templates/results.jst'
import { template } from '../templates/search.jst'

/** The start page: search as you type, results as a list of links. */
export class MobileSearchView extends PageView {
  readonly #app: MobileContext
  readonly #list = new EmployeeList()
  readonly #searchSoon: (() => void) & _.Cancelable
  #seq = 0

  constructor(app: MobileContext) {
    super()
    this.#app = app
    this.#searchSoon = _.debounce(() => void this.#search(), 300)
    this.delegateEvents({
      'input input': () => this.#searchSoon(),
      'submit form': (event: JQuery.TriggeredEvent) => {
        event.preventDefault()
        this.#searchSoon.cancel()
        void this.#search()
      },
    })
  }

  override render(): this {
    this.$el.html(template())
    showNotice(this.$el, this.#app.session, 'afterbegin')
    this.landed('Search')
    return this
  }

  override remove(): this {
    this.#searchSoon.cancel()
    return super.remove()
  }

  async #search(): Promise<void> {
    const q = String(this.$('input').val() ?? '').trim()
    const region = this.$('[data-region="results"]')
    const seq = ++this.#seq
    if (q === '') return void region.empty()
    this.showLoading('Searching…', region)
    try {
      await this.#list.load(q)
    } catch (error) {
      if (seq === this.#seq) this.showError(error, { target: region, retry: () => void this.#search() })
      return
    }
    if (seq !== this.#seq) return
    const items = this.#list.summaries
    region.html(results({ items, empty: `Nobody matches “${q}”.` }))
  }
}
