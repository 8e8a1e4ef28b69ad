import { TesseraError } from '@tessera/client'
import type { AppContext } from '../app-context.ts'
import type { RouteGuard } from './page-routes.ts'

/** Routes a logged-out visitor may see (`*path` is the not-found page). */
const PUBLIC_ROUTES: ReadonlySet<string> = new Set([
  'login',
  'register',
  'about',
  '*path',
  // Account mails' links: the visitor is usually not logged in.
  'forgot',
  'reset/:token',
  'invitation/:token',
  'verify/:token',
  'email-confirm/:token',
  'email-undo/:token',
])

/**
 * Every other route re-checks who is logged in before its page is drawn, so a page drawn
 * from memory ("Access denied" after Back past a logout) never shows to a logged-out visitor.
 * With nobody signed in here, the server is asked: its 401 makes the client adapter open the
 * login page (remembering the route), as any 401 does. Without an answer (offline) the page
 * is drawn and its own request says what went wrong.
 */
export function sessionGuard(app: AppContext): RouteGuard {
  return (route, show) => {
    if (PUBLIC_ROUTES.has(route) || app.session.user !== null) return show()
    app.client.me().then(
      ({ user }) => {
        app.session.signIn(user)
        show()
      },
      (error: unknown) => {
        if (!(error instanceof TesseraError && error.status === 401)) show()
      },
    )
  }
}
