import $ from 'jquery'
import type { Session } from '../session.ts'
import { template } from '../templates/notice.jst'

/**
 * Shows the session's pending notice ("Changes saved.") once, in the page's notice region or
 * at `position` of the page, with a button to dismiss it.
 */
export function showNotice(
  page: JQuery,
  session: Session,
  position: 'afterbegin' | 'region' = 'region',
): void {
  const notice = session.takeNotice()
  if (notice === undefined) return
  const html = template(notice)
  if (position === 'region') page.find('[data-region="notice"]').html(html)
  else page.prepend(html)
  page
    .find('[data-action="dismiss"]')
    .one('click', (event) => $(event.currentTarget).closest('.alert').remove())
}
