import type { AppContext } from '../app-context.ts'
import { PageView } from '../lib/page-view.ts'
import { EmployeeList, topOf } from '../models/employee.ts'
import { template as list } from '../templates/employee-list.jst'
import { template } from '../templates/home.jst'
import { showNotice } from './show-notice.ts'

/** The home page: how to search, the top of the org chart, and everyone. */
export class HomeView extends PageView {
  readonly #app: AppContext
  readonly #everyone = new EmployeeList()

  constructor(app: AppContext) {
    super()
    this.#app = app
  }

  override render(): this {
    this.$el.html(template())
    showNotice(this.$el, this.#app.session, 'afterbegin')
    this.landed('Home')
    void this.#load()
    return this
  }

  async #load(): Promise<void> {
    const everyone = this.$('[data-region="everyone"]')
    const top = this.$('[data-region="top"]').empty()
    this.showLoading('Loading employees…', everyone)
    try {
      await this.#everyone.load()
    } catch (error) {
      this.showError(error, { target: everyone, retry: () => void this.#load() })
      return
    }
    const all = this.#everyone.summaries
    top.html(list({ items: topOf(all), empty: 'Nobody yet.' }))
    everyone.html(list({ items: all, empty: 'No employees yet.' }))
    this.$('[data-role="count"]').text(`(${all.length})`)
  }
}
