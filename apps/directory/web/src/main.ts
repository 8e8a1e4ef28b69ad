import { createClient } from '@tessera/client'
import { type BackboneLike, connectBackbone } from '@tessera/client/backbone'
import Backbone from 'backbone'
import $ from 'jquery'
import type { AppContext } from './app-context.ts'
import { startRouter } from './app-router.ts'
import { Session } from './session.ts'
import { HeaderView } from './views/header-view.ts'

/** Login and denied pages replace the page that led there, so Back does not bounce into them again. */
function navigator(session: Session): (route: string) => void {
  return (route) => {
    if (route === 'denied') session.deniedFrom = Backbone.history.getFragment()
    Backbone.history.navigate(route, { trigger: true, replace: route === 'login' || route === 'denied' })
  }
}

/**
 * Who is logged in at start. A second client with no listeners asks, so "nobody" is an
 * answer here rather than a redirect to the login page (public pages stay public).
 */
async function probeUser(session: Session): Promise<void> {
  const probe = createClient({ baseUrl: location.origin, mode: 'session' })
  try {
    session.signIn((await probe.me()).user)
  } catch {
    // Not logged in, or the server is unreachable: the first page's own request will say which.
  }
}

function start(): void {
  const client = createClient({ baseUrl: location.origin, mode: 'session' })
  const session = new Session()
  // Registered before the adapter's, so the login page it opens already has the notice.
  client.on('expired', () => session.signOut('Your session expired. Please log in again.'))
  client.on('unauthenticated', () =>
    session.signOut(session.user ? 'You were signed out. Please log in again.' : undefined),
  )
  const go = navigator(session)
  // @types/backbone types `ajax` with jQuery's settings, which the adapter's narrower shape does not match.
  const auth = connectBackbone(Backbone as unknown as BackboneLike, client, { navigate: go })
  const app: AppContext = { client, auth, session, go }
  new HeaderView(app, $('#header').get(0) as HTMLElement).render()
  startRouter(app, $('#main'))
  void probeUser(session).then(() => Backbone.history.start())
}

start()
