import Backbone from 'backbone'
import _ from 'underscore'
import type { AppContext } from '../app-context.ts'
import { describeError, isRedirected } from '../lib/describe-error.ts'
import { EmployeeList, type EmployeeSummary } from '../models/employee.ts'
import { template } from '../templates/search-box.jst'
import { template as results } from '../templates/search-results.jst'

/** Results shown in the dropdown. */
const MAX_RESULTS = 8
/** Typing pause before a search is sent. */
const DEBOUNCE_MS = 250

/**
 * Search as you type, as an ARIA combobox: the input keeps focus, ↓/↑ move through the
 * options (`aria-activedescendant`), Enter opens the employee, Escape closes the list (or
 * clears the input). Answers that arrive after a newer search started are dropped.
 */
export class SearchBox extends Backbone.View {
  readonly #app: AppContext
  readonly #list = new EmployeeList()
  readonly #searchSoon: (() => void) & _.Cancelable
  #items: EmployeeSummary[] = []
  #active = -1
  #seq = 0

  constructor(app: AppContext) {
    super()
    this.#app = app
    this.#searchSoon = _.debounce(() => void this.#search(), DEBOUNCE_MS)
    this.delegateEvents({
      'input input': () => this.#searchSoon(),
      'keydown input': (event: JQuery.TriggeredEvent) => this.#onKey(event),
      'blur input': () => this.#close(),
      'submit form': (event: JQuery.TriggeredEvent) => event.preventDefault(),
      // Clicking an option must not blur the input (which would close the list first).
      'mousedown [role="listbox"]': (event: JQuery.TriggeredEvent) => event.preventDefault(),
      'click [role="option"]': (event: JQuery.TriggeredEvent) =>
        this.#choose(this.$('[role="option"]').index(event.currentTarget)),
    })
  }

  override render(): this {
    this.$el.html(template())
    return this
  }

  override remove(): this {
    this.#searchSoon.cancel()
    return super.remove()
  }

  get #input(): JQuery {
    return this.$('input')
  }

  get #listbox(): JQuery {
    return this.$('[role="listbox"]')
  }

  async #search(): Promise<void> {
    const q = String(this.#input.val() ?? '').trim()
    if (q === '') return this.#close()
    const seq = ++this.#seq
    this.#open(results({ loading: true }))
    try {
      await this.#list.load(q)
    } catch (error) {
      if (seq !== this.#seq) return
      if (isRedirected(error)) return this.#close()
      return this.#open(results({ error: describeError(error) }))
    }
    if (seq !== this.#seq) return
    this.#items = this.#list.summaries.slice(0, MAX_RESULTS)
    this.#active = -1
    this.#open(results({ items: this.#items, q }))
    const count = this.#items.length
    this.$('[data-role="search-status"]').text(
      `${count === 0 ? 'No' : count} result${count === 1 ? '' : 's'}`,
    )
  }

  #onKey(event: JQuery.TriggeredEvent): void {
    const key = String(event.key)
    if (key === 'ArrowDown' || key === 'ArrowUp') {
      event.preventDefault()
      if (!this.#isOpen && this.#items.length > 0) this.#open(results({ items: this.#items }))
      this.#move(key === 'ArrowDown' ? 1 : -1)
    } else if (key === 'Enter') {
      event.preventDefault()
      if (this.#items.length > 0) this.#choose(Math.max(this.#active, 0))
      else void this.#search()
    } else if (key === 'Escape') {
      if (this.#isOpen) this.#close()
      else this.#input.val('')
    }
  }

  #move(step: number): void {
    const count = this.#items.length
    if (count === 0) return
    this.#active = (this.#active + step + count) % count
    const options = this.$('[role="option"]').removeClass('active').attr('aria-selected', 'false')
    const option = options.eq(this.#active).addClass('active').attr('aria-selected', 'true')
    this.#input.attr('aria-activedescendant', String(option.attr('id')))
    option.get(0)?.scrollIntoView({ block: 'nearest' })
  }

  #choose(index: number): void {
    const item = this.#items[index]
    if (item === undefined) return
    this.#input.val('')
    this.#items = []
    this.#close()
    this.#app.go(`employees/${item.id}`)
  }

  get #isOpen(): boolean {
    return this.#listbox.hasClass('show')
  }

  #open(html: string): void {
    this.#listbox.html(html).addClass('show')
    this.#input.attr('aria-expanded', 'true').removeAttr('aria-activedescendant')
  }

  #close(): void {
    this.#seq++
    this.#active = -1
    this.#listbox.removeClass('show').empty()
    this.#input.attr('aria-expanded', 'false').removeAttr('aria-activedescendant')
  }
}
