import { startAuthentication } from '@simplewebauthn/browser'
import type { AppContext } from '../app-context.ts'

type RequestOptions = Parameters<typeof startAuthentication>[0]['optionsJSON']

/**
 * A passkey assertion for a fresh ceremony: the proof `/auth/reauth` and the second login step
 * take. The options are public and asked without a credential, since at the second step there
 * is none yet (a credentialed call from a logged-out page would be refused before it is sent).
 */
export async function passkeyProof(app: AppContext): Promise<{ ceremony: string; response: object }> {
  const { options, ceremony } = await app.client.accountLink<{ options: RequestOptions; ceremony: string }>(
    '/auth/passkeys/login/options',
    {},
  )
  return { ceremony, response: await startAuthentication({ optionsJSON: options }) }
}
