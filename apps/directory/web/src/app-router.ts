import type Backbone from 'backbone'
import type { AppContext } from './app-context.ts'
import { pageRoutes } from './lib/page-routes.ts'
import { sessionGuard } from './lib/session-guard.ts'
import { ForgotView, LINK_ACTIONS, LinkActionView, ResetView } from './views/account-link-views.ts'
import { AccountView } from './views/account-view.ts'
import { DeniedView } from './views/denied-view.ts'
import { EditEmployeeView } from './views/edit-employee-view.ts'
import { EmployeeView } from './views/employee-view.ts'
import { HomeView } from './views/home-view.ts'
import { InvitationView } from './views/invitation-view.ts'
import { InvitationsView } from './views/invitations-view.ts'
import { LoginView } from './views/login-view.ts'
import { RegisterView } from './views/register-view.ts'
import { ReportsView } from './views/reports-view.ts'
import { AboutView, NotFoundView } from './views/static-views.ts'
import { UsersView } from './views/users-view.ts'

/** Hash routes (`#employees/7`), so the server serves one page and every route survives a reload; all but the public ones need a session. */
export function startRouter(app: AppContext, main: JQuery): Backbone.Router {
  const { router, page, employee } = pageRoutes(main, (route) => new NotFoundView(route), sessionGuard(app))
  page('', () => new HomeView(app))
  page('about', () => new AboutView())
  page('login', () => new LoginView(app))
  page('register', () => new RegisterView(app))
  page('denied', () => new DeniedView(app))
  page('account', () => new AccountView(app))
  // Account mails (issue 13): the pages their links open, and the admin's invitations.
  page('forgot', () => new ForgotView(app))
  page('reset/:token', (token) => new ResetView(app, token))
  page('invitation/:token', (token) => new InvitationView(app, token))
  page('verify/:token', (token) => new LinkActionView(app, LINK_ACTIONS.verify, token))
  page('email-confirm/:token', (token) => new LinkActionView(app, LINK_ACTIONS.confirm, token))
  page('email-undo/:token', (token) => new LinkActionView(app, LINK_ACTIONS.undo, token))
  page('admin/invitations', () => new InvitationsView(app))
  page('admin/users', () => new UsersView(app))
  employee('', (id) => new EmployeeView(app, id))
  employee('/reports', (id) => new ReportsView(app, id))
  employee('/edit', (id) => new EditEmployeeView(app, id))
  return router
}
