import Backbone from 'backbone'
import type { PageView } from './page-view.ts'

/** A positive integer that fits the API's ids, as the route spells it. */
const ID = /^[1-9][0-9]{0,9}$/

/** Decides whether the page of `route` (the pattern, e.g. `employees/:id`) may be drawn now: calls `show` when it may. */
export type RouteGuard = (route: string, show: () => void) => void

export interface PageRoutes {
  router: Backbone.Router
  /** A route whose page `make` builds from the route's argument (if any). */
  page(route: string, make: (arg: string) => PageView): void
  /** `employees/:id` plus `suffix`; an id that is not a positive integer is not found. */
  employee(suffix: string, make: (id: number) => PageView): void
}

/**
 * Hash routes that each put one page into `main`, removing the one before. Backbone tries the
 * routes added last first, so the catch-all (`notFound`) is added here, before any other.
 * `guard` runs on every navigation (Back and Forward included); a page whose guard answers
 * after the visitor moved on is not drawn.
 */
export function pageRoutes(
  main: JQuery,
  notFound: (route: string) => PageView,
  guard: RouteGuard = (_route, show) => show(),
): PageRoutes {
  let current: PageView | undefined
  let navigations = 0
  const show = (view: PageView) => {
    current?.remove()
    current = view
    main.empty().append(view.el)
    view.render()
  }
  const router = new Backbone.Router()
  const page = (route: string, make: (arg: string) => PageView) =>
    void router.route(route, route, (arg?: string | null) => {
      const navigation = ++navigations
      guard(route, () => navigation === navigations && show(make(arg ?? '')))
    })
  const employee = (suffix: string, make: (id: number) => PageView) =>
    page(`employees/:id${suffix}`, (id) =>
      ID.test(id) ? make(Number(id)) : notFound(`employees/${id}${suffix}`),
    )
  page('*path', notFound)
  return { router, page, employee }
}
