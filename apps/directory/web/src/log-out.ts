import type { AppContext } from './app-context.ts'

/**
 * Ends the session on the server (the cookie is cleared there), then shows the login page.
 * A network failure throws and changes nothing here: the session may still be alive.
 */
export async function logOut(app: AppContext, notice = 'You are logged out.'): Promise<void> {
  const endSessionUrl = await endProviderSession(app)
  await app.client.logout()
  app.session.signOut(notice)
  app.go('login')
  // RP-initiated logout: the provider asks whether to end its own session too, then returns here.
  if (endSessionUrl) window.location.assign(endSessionUrl)
}

/** A session from a provider sign-in ends through `/auth/oidc/logout`, which names the provider's logout page. */
async function endProviderSession(app: AppContext): Promise<string | null> {
  if ('apiOrigin' in app) return null // the mobile client signs with a key: no provider session to end here
  try {
    const answer = await app.client.request<{ endSessionUrl: string | null }>('/auth/oidc/logout', {
      method: 'POST',
    })
    return answer.endSessionUrl
  } catch {
    return null // no provider configured, or a key: the plain logout below does it all
  }
}
