import type Backbone from 'backbone'
import type { AppContext } from './app-context.ts'
import { pageRoutes } from './lib/page-routes.ts'
import { sessionGuard } from './lib/session-guard.ts'
import { AccountView } from './views/account-view.ts'
import { DeniedView } from './views/denied-view.ts'
import { EditEmployeeView } from './views/edit-employee-view.ts'
import { EmployeeView } from './views/employee-view.ts'
import { HomeView } from './views/home-view.ts'
import { LoginView } from './views/login-view.ts'
import { RegisterView } from './views/register-view.ts'
import { ReportsView } from './views/reports-view.ts'
import { AboutView, NotFoundView } from './views/static-views.ts'

/** Hash routes (`#employees/7`), so the server serves one page and every route survives a reload; all but the public ones need a session. */
export function startRouter(app: AppContext, main: JQuery): Backbone.Router {
  const { router, page, employee } = pageRoutes(main, (route) => new NotFoundView(route), sessionGuard(app))
  page('', () => new HomeView(app))
  page('about', () => new AboutView())
  page('login', () => new LoginView(app))
  page('register', () => new RegisterView(app))
  page('denied', () => new DeniedView(app))
  page('account', () => new AccountView(app))
  employee('', (id) => new EmployeeView(app, id))
  employee('/reports', (id) => new ReportsView(app, id))
  employee('/edit', (id) => new EditEmployeeView(app, id))
  return router
}
