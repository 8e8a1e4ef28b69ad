import Backbone from 'backbone'
import type { PageView } from '../../web/src/lib/page-view.ts'
import { DeniedView } from '../../web/src/views/denied-view.ts'
import { LoginView } from '../../web/src/views/login-view.ts'
import { NotFoundView } from '../../web/src/views/static-views.ts'
import type { MobileContext } from './mobile-context.ts'
import { template as denied } from './templates/denied.jst'
import { template as login } from './templates/login.jst'
import { MobileEmployeeView, MobileReportsView } from './views/mobile-employee-view.ts'
import { MobileSearchView } from './views/mobile-search-view.ts'

/** The mobile client's hash routes: search, employee, reports, login, denied. */
export function startMobileRouter(app: MobileContext, main: JQuery): Backbone.Router {
  let current: PageView | undefined
  const show = (view: PageView) => {
    current?.remove()
    current = view
    main.empty().append(view.el)
    view.render()
  }
  const router = new Backbone.Router()
  const page = (route: string, make: (arg: string) => PageView) =>
    router.route(route, route, (arg?: string | null) => show(make(arg ?? '')))
  const byId = (id: string, make: (id: number) => PageView) =>
    /^[1-9][0-9]{0,9}$/.test(id) ? make(Number(id)) : new NotFoundView(`employees/${id}`)
  page('*path', (path) => new NotFoundView(path))
  page('', () => new MobileSearchView(app))
  page('login', () => new LoginView(app, login))
  page('denied', () => new DeniedView(app, denied))
  page('employees/:id', (id) => byId(id, (n) => new MobileEmployeeView(app, n)))
  page('employees/:id/reports', (id) => byId(id, (n) => new MobileReportsView(app, n)))
  return router
}
