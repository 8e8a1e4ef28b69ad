import type Backbone from 'backbone'
import { pageRoutes } from '../../web/src/lib/page-routes.ts'
import { sessionGuard } from '../../web/src/lib/session-guard.ts'
import { DeniedView } from '../../web/src/views/denied-view.ts'
import { LoginView } from '../../web/src/views/login-view.ts'
import { NotFoundView } from '../../web/src/views/static-views.ts'
import type { MobileContext } from './mobile-context.ts'
import { template as denied } from './templates/denied.jst'
import { template as login } from './templates/login.jst'
import { MobileEmployeeView } from './views/mobile-employee-view.ts'
import { MobileForgotView } from './views/mobile-forgot-view.ts'
import { mobileReportsView } from './views/mobile-reports-view.ts'
import { MobileSearchView } from './views/mobile-search-view.ts'

/** The mobile client's hash routes: search, employee, reports, login, denied; all but login need a key. */
export function startMobileRouter(app: MobileContext, main: JQuery): Backbone.Router {
  const { router, page, employee } = pageRoutes(main, (route) => new NotFoundView(route), sessionGuard(app))
  page('', () => new MobileSearchView(app))
  page('login', () => new LoginView(app, login))
  page('denied', () => new DeniedView(app, denied))
  page('forgot', () => new MobileForgotView(app))
  employee('', (id) => new MobileEmployeeView(id))
  employee('/reports', (id) => mobileReportsView(app, id))
  return router
}
