import Backbone from 'backbone'
import type { AppContext } from './app-context.ts'
import type { PageView } from './lib/page-view.ts'
import { AccountView } from './views/account-view.ts'
import { DeniedView } from './views/denied-view.ts'
import { EditEmployeeView } from './views/edit-employee-view.ts'
import { EmployeeView } from './views/employee-view.ts'
import { HomeView } from './views/home-view.ts'
import { LoginView } from './views/login-view.ts'
import { RegisterView } from './views/register-view.ts'
import { ReportsView } from './views/reports-view.ts'
import { AboutView, NotFoundView } from './views/static-views.ts'

type EmployeePage = new (app: AppContext, id: number) => PageView

/** Hash routes (`#employees/7`), so the server serves one page and every route survives a reload. */
export function startRouter(app: AppContext, main: JQuery): Backbone.Router {
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
  const employee = (View: EmployeePage, suffix: string) =>
    page(`employees/:id${suffix}`, (id) =>
      /^[1-9][0-9]{0,9}$/.test(id) ? new View(app, Number(id)) : new NotFoundView(`employees/${id}${suffix}`),
    )
  // Backbone tries the routes added last first: the catch-all goes in first.
  page('*path', (path) => new NotFoundView(path))
  page('', () => new HomeView(app))
  page('about', () => new AboutView())
  page('login', () => new LoginView(app))
  page('register', () => new RegisterView(app))
  page('denied', () => new DeniedView(app))
  page('account', () => new AccountView(app))
  employee(EmployeeView, '')
  employee(ReportsView, '/reports')
  employee(EditEmployeeView, '/edit')
  return router
}
