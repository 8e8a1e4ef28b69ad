import Backbone from 'backbone'
import { describeError, isRedirected } from './describe-error.ts'
import { template as errorAlert } from './templates/error-alert.jst'
import { template as loading } from './templates/loading.jst'

export interface ShowErrorOptions {
  /** Offered as a "Try again" button. */
  retry?: () => void
  /** Where the alert goes; default the whole page, with `heading` as its `<h1>`. */
  target?: JQuery
  heading?: string
}

/**
 * A page of the app: the router puts one at a time into `<main>`. A page says when its
 * heading is on screen (`landed`), and focus moves there once, so keyboard and screen-reader
 * users start at the new page rather than at the link they followed.
 */
export class PageView extends Backbone.View {
  #landed = false

  /** Sets the document title and, the first time, moves focus to the page's `<h1>`. */
  landed(title: string): void {
    document.title = `${title} · Employee Directory`
    if (this.#landed) return
    this.#landed = true
    this.$('h1').first().attr('tabindex', '-1').trigger('focus')
  }

  /** A spinner in the page (or in `target`), announced as a status. */
  showLoading(label = 'Loading…', target: JQuery = this.$el): void {
    target.html(loading({ label }))
  }

  /**
   * The error as an alert (with "Try again" when `retry` is given), unless the app already
   * went to the login or denied page for it. Answers whether it showed anything.
   */
  showError(error: unknown, options: ShowErrorOptions = {}): boolean {
    if (isRedirected(error)) return false
    const whole = options.target === undefined
    const heading = whole ? (options.heading ?? 'Could not load this page') : undefined
    const target = options.target ?? this.$el
    target.html(errorAlert({ message: describeError(error), retry: options.retry !== undefined, heading }))
    if (options.retry !== undefined) target.find('[data-action="retry"]').one('click', options.retry)
    if (heading !== undefined) this.landed(heading)
    return true
  }
}
