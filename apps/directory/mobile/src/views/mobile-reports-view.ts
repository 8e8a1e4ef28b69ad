import { type ReportsMarkup, ReportsView } from '../../../web/src/views/reports-view.ts'
import type { MobileContext } from '../mobile-context.ts'
import { template as page } from '../templates/reports.jst'
import { template as results } from '../templates/results.jst'

/** Direct reports: the web app's page in the mobile markup. Admins only, so a `user` lands on the denied page. */
export function mobileReportsView(app: MobileContext, id: number): ReportsView {
  const markup: ReportsMarkup = {
    page,
    list: (items, empty) => results({ items, empty }),
  }
  return new ReportsView(app, id, markup)
}
