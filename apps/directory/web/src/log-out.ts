import type { AppContext } from './app-context.ts'

/**
 * Ends the session on the server (the cookie is cleared there), then shows the login page.
 * A network failure throws and changes nothing here: the session may still be alive.
 */
export async function logOut(app: AppContext, notice = 'You are logged out.'): Promise<void> {
  await app.client.logout()
  app.session.signOut(notice)
  app.go('login')
}
