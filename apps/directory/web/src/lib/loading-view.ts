import { PageView } from './page-view.ts'

/** Where a load shows its spinner and any error; default the whole page, with "Loading…". */
export interface LoadPlace {
  label?: string
  target?: JQuery
}

/**
 * A page that fetches before it draws: a spinner first, then the page, or the error with a
 * "Try again" that starts over. Subclasses say what to fetch and how to draw it.
 */
export abstract class LoadingView extends PageView {
  readonly #label: string | undefined

  /** `label` is the spinner's text while the page loads. */
  constructor(label?: string) {
    super()
    this.#label = label
  }

  override render(): this {
    void this.loadThen(
      () => this.fetchPage(),
      () => this.drawPage(),
      { label: this.#label },
    )
    return this
  }

  /** Fetches what the page shows. */
  protected abstract fetchPage(): Promise<unknown>

  /** Draws the page once `fetchPage` is done. */
  protected abstract drawPage(): void

  /** The spinner, then `fetch`; on failure the error in the same place (with "Try again"), else `draw`. */
  protected async loadThen(
    fetch: () => Promise<unknown>,
    draw: () => void,
    place: LoadPlace = {},
  ): Promise<void> {
    this.showLoading(place.label, place.target)
    try {
      await fetch()
    } catch (error) {
      this.showError(error, { target: place.target, retry: () => void this.loadThen(fetch, draw, place) })
      return
    }
    draw()
  }
}
