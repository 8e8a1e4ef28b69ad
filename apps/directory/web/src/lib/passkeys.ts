import {
  browserSupportsWebAuthn,
  browserSupportsWebAuthnAutofill,
  startAuthentication,
  startRegistration,
} from '@simplewebauthn/browser'
import type { User } from '@tessera/client'
import type { AppContext } from '../app-context.ts'
import { deviceName } from './device-name.ts'
import { withReauth } from './reauth.ts'

interface Ceremony<T> {
  options: T
  ceremony: string
}

type RequestOptions = Parameters<typeof startAuthentication>[0]['optionsJSON']
type CreationOptions = Parameters<typeof startRegistration>[0]['optionsJSON']

export { browserSupportsWebAuthn }

/**
 * A passkey login: the browser's passkey picker (or, with `autofill`, the suggestions of the
 * email field, WebAuthn conditional UI), then the assertion to Tessera: a session in the web
 * app, a device key in the mobile client.
 */
export async function logInWithPasskey(app: AppContext, autofill = false): Promise<User | undefined> {
  if (autofill && !(await browserSupportsWebAuthnAutofill())) return undefined
  return app.client.loginWithPasskey((options) =>
    startAuthentication({ optionsJSON: options as RequestOptions, useBrowserAutofill: autofill }),
  )
}

/** Adds a passkey for this device (after a fresh proof of the user), named after the browser. */
export async function addPasskey(app: AppContext): Promise<void> {
  const post = () =>
    app.client.request<Ceremony<CreationOptions>>('/auth/passkeys/register/options', {
      method: 'POST',
      json: {},
    })
  const { options, ceremony } = await withReauth(app, post)
  const response = await startRegistration({ optionsJSON: options })
  const name = deviceName(navigator.userAgent).slice(0, 100) || 'Passkey'
  await app.client.request('/auth/passkeys/register', { method: 'POST', json: { ceremony, response, name } })
}
