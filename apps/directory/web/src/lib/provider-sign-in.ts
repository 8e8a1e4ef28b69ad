import $ from 'jquery'
import type { AppContext } from '../app-context.ts'

interface Provider {
  id: string
  name: string
}

/** Where the mobile client keeps its PKCE verifier while the provider's page is open (this tab only). */
export const VERIFIER_KEY = 'tessera-oidc-verifier'

/** The API's origin: the page's own for the web app, another one for the mobile client. */
function apiBase(app: AppContext): string {
  return 'apiOrigin' in app ? String(app.apiOrigin) : ''
}

/**
 * "Sign in with <provider>" buttons under the login form, one per configured provider (none
 * when the server has none or cannot say). A provider that is down gets a clear message, and
 * the password form keeps working.
 */
export async function showProviderButtons(region: JQuery, app: AppContext): Promise<void> {
  const base = apiBase(app)
  const answer = await fetch(`${base}/auth/oidc/providers`).catch(() => undefined)
  const providers: Provider[] = answer?.ok
    ? ((await answer.json()) as { providers: Provider[] }).providers
    : []
  for (const provider of providers) {
    const button = $('<button type="button" class="btn btn-outline-primary w-100 mb-2"></button>')
    button.text(`Sign in with ${provider.name}`)
    button.on('click', () => void startSignIn(region, app, provider))
    region.append(button)
  }
}

async function startSignIn(region: JQuery, app: AppContext, provider: Provider): Promise<void> {
  region.find('[role="alert"]').remove()
  const mobile = 'apiOrigin' in app
  const body = mobile ? await mobileStart() : { returnTo: `/#${app.auth.returnTo ?? ''}` }
  const answer = await fetch(`${apiBase(app)}/auth/oidc/${encodeURIComponent(provider.id)}/start`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }).catch(() => undefined)
  if (answer?.ok) {
    window.location.assign(((await answer.json()) as { authorizationUrl: string }).authorizationUrl)
    return
  }
  const message =
    answer?.status === 503
      ? `${provider.name} is not answering right now. You can still log in with your password.`
      : `Sign-in with ${provider.name} could not start. Please try again.`
  region.append($('<div class="alert alert-danger" role="alert"></div>').text(message))
}

/** RFC 8252: the app's own PKCE verifier stays here; only its S256 challenge goes out. */
async function mobileStart() {
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)))
  sessionStorage.setItem(VERIFIER_KEY, verifier)
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))
  return {
    mode: 'mobile',
    returnTo: `${window.location.origin}/m/`,
    appChallenge: base64url(new Uint8Array(digest)),
  }
}

export function base64url(bytes: Uint8Array): string {
  let text = ''
  for (const byte of bytes) text += String.fromCharCode(byte)
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

const REFUSALS: Record<string, string> = {
  sso_state_invalid:
    'That sign-in was already used, expired, or began in another browser. Please sign in again.',
  sso_token_invalid: "The identity provider's answer could not be verified. Please try again.",
  sso_account_refused: 'This identity provider account cannot sign in here. Ask an administrator for access.',
  sso_unavailable:
    'The identity provider is not answering right now. You can still log in with your password.',
}

/** The refusal the server's callback sent the browser back with (`?sso_error=`), once: the address bar is cleaned. */
export function takeProviderRefusal(): string | undefined {
  const code = new URLSearchParams(window.location.search).get('sso_error')
  if (code === null) return undefined
  window.history.replaceState(null, '', window.location.pathname + window.location.hash)
  return REFUSALS[code] ?? 'Sign-in with your identity provider failed. Please try again.'
}
