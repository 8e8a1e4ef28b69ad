import { createClient } from '@tessera/client'
import { type BackboneLike, connectBackbone } from '@tessera/client/backbone'
import Backbone from 'backbone'
import $ from 'jquery'
import { Session } from '../../web/src/session.ts'
import { watchAvatars } from './avatars.ts'
import type { MobileContext } from './mobile-context.ts'
import { startMobileRouter } from './mobile-router.ts'
import { redeemProviderCode } from './provider-return.ts'
import { MobileHeaderView } from './views/mobile-header-view.ts'

/** The API's origin, written into the page by the server that serves this app. */
function apiOrigin(): string {
  const origin = $('meta[name="tessera-api-origin"]').attr('content')
  if (!origin) throw new Error('this page does not name its API (meta tessera-api-origin)')
  return origin
}

function navigator(session: Session): (route: string) => void {
  return (route) => {
    if (route === 'denied') session.deniedFrom = Backbone.history.getFragment()
    Backbone.history.navigate(route, { trigger: true, replace: route === 'login' || route === 'denied' })
  }
}

/**
 * Signed mode, like a PhoneGap/Capacitor app: login creates a P-256 key pair here (private
 * key non-extractable, kept in IndexedDB), and every request is signed; no cookie is used.
 * A key left from an earlier visit signs the first request, so a reload stays logged in.
 */
async function start(): Promise<void> {
  // Back from an identity provider: the device key is stored before the client reads its store.
  const providerProblem = await redeemProviderCode(apiOrigin()).catch(
    () => 'The sign-in could not be completed.',
  )
  const client = createClient({ baseUrl: apiOrigin(), mode: 'signed', label: 'Directory mobile' })
  const session = new Session()
  if (providerProblem !== undefined) session.signOut(providerProblem)
  client.on('expired', () => session.signOut('Your key expired. Please log in again.'))
  client.on('unauthenticated', () =>
    session.signOut(session.user ? 'This device was signed out. Please log in again.' : undefined),
  )
  const go = navigator(session)
  const auth = connectBackbone(Backbone as unknown as BackboneLike, client, { navigate: go })
  const app: MobileContext = { client, auth, session, go, apiOrigin: apiOrigin() }
  const avatars = watchAvatars(client, $('#main').get(0) as HTMLElement)
  session.on('change:user', () => session.user === null && avatars.forget())
  new MobileHeaderView(app, $('#header').get(0) as HTMLElement).render()
  startMobileRouter(app, $('#main'))
  // Every page but login needs a key: the router asks who is logged in before drawing one, so a
  // missing or revoked key leads straight to the login page (and back to the route after login).
  Backbone.history.start()
}

void start()
